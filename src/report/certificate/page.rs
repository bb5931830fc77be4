//! One certificate page per award (and the text-only page for pre-printed stock), and the
//! whole certificate document.

use std::collections::BTreeMap;
use std::path::Path;

use super::super::ReportError;
use super::super::data::ReportData;
use super::super::font::{Fonts, Owned};
use super::super::layout::{
    Align, Color, Document, Item, Orientation, Page, Style, fit_in_box, paragraph_in_box,
};
use super::*;

/// The values of the template fields for one award.
pub fn fields(data: &ReportData, award: &Award, date: &str) -> BTreeMap<&'static str, String> {
    let c = &data.setup.competition;
    BTreeMap::from([
        ("姓名", award.contestant.name.clone()),
        ("单位", award.contestant.school.clone()),
        ("组别", award.group.clone()),
        ("项目", award.event_name.clone()),
        ("等次", award.award.clone()),
        ("届次", c.edition.clone()),
        ("日期", date.to_string()),
        ("证书编号", award.serial.clone()),
        ("比赛", c.title.clone()),
        ("主办单位", c.organiser.clone()),
    ])
}

/// `text` with its fields filled in.
pub fn fill(text: &str, fields: &BTreeMap<&'static str, String>) -> String {
    let mut out = String::with_capacity(text.len() + 32);
    let mut rest = text;
    while let Some(start) = rest.find('{') {
        out.push_str(&rest[..start]);
        let after = &rest[start + 1..];
        match after.find('}') {
            Some(end) => {
                let name = &after[..end];
                match fields.get(name) {
                    Some(v) => out.push_str(v),
                    None => {
                        out.push('{');
                        out.push_str(name);
                        out.push('}');
                    }
                }
                rest = &after[end + 1..];
            }
            None => {
                out.push_str(&rest[start..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

/// Lays out one block with its text filled in, moved by `(dx, dy)` and `grow` mm wider;
/// returns the items and whether the text had to go below the block's `min_size`.
pub fn block_items(
    fonts: &Fonts,
    block: &Block,
    text: &str,
    (dx, dy): (f32, f32),
    grow: f32,
) -> (Vec<Item>, bool) {
    let mut items = Vec::new();
    if text.trim().is_empty() {
        return (items, false);
    }
    let fonts = &fonts.in_family(block.family());
    let mut style = Style::new(block.size);
    style.bold = block.bold;
    style.spacing = block.spacing;
    if let Some(c) = Color::parse(&block.color) {
        style.color = c;
    }
    let align = parse_align(&block.align).unwrap_or_default();
    let bx = (block.x + dx, block.y + dy, block.width + grow, block.height);
    let min = block.min_size.unwrap_or(0.0);
    let mut too_small = false;
    if block.wrap {
        let lines = paragraph_in_box(
            fonts,
            text,
            bx,
            align,
            style,
            block.line_height,
            block.indent,
            min.max(1.0),
        );
        too_small = lines.iter().any(|t| t.size + 1e-3 < min);
        items.extend(lines.into_iter().map(Item::Text));
    } else {
        let t = fit_in_box(fonts, text, bx, align, style);
        too_small = too_small || t.size + 1e-3 < min;
        items.push(Item::Text(t));
    }
    if block.underline {
        let y = bx.1 + bx.3;
        items.push(Item::Line {
            x1: bx.0,
            y1: y,
            x2: bx.0 + bx.2,
            y2: y,
            width: 0.8,
            color: Color::BLACK,
            dashed: false,
        });
    }
    (items, too_small)
}

/// Images a design uses, as indices into the document's image list.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DesignImages {
    pub background: Option<usize>,
    pub seal: Option<usize>,
}

/// Registers a design's images in `doc` (checking the files exist).
pub fn design_images(
    doc: &mut Document,
    design: &Design,
    base: &Path,
) -> Result<DesignImages, ReportError> {
    let mut add = |p: &str| -> Result<Option<usize>, ReportError> {
        if p.trim().is_empty() {
            return Ok(None);
        }
        let path = resolve_image(base, p)?;
        if let Some(i) = doc.images.iter().position(|x| *x == path) {
            return Ok(Some(i));
        }
        doc.images.push(path);
        Ok(Some(doc.images.len() - 1))
    };
    Ok(DesignImages {
        background: add(&design.background)?,
        seal: match &design.seal {
            Some(s) => add(&s.path)?,
            None => None,
        },
    })
}

/// One certificate page (the full design: background, border, texts, seal).
pub fn certificate_page(
    fonts: &Fonts,
    design: &Design,
    images: DesignImages,
    orientation: Orientation,
    fields: &BTreeMap<&'static str, String>,
) -> (Page, bool) {
    let mut page = Page::new(orientation);
    if let Some(bg) = images.background {
        page.items.push(Item::Image {
            image: bg,
            x: 0.0,
            y: 0.0,
            w: page.width,
            h: page.height,
        });
    }
    if let Some(c) = Color::parse(&design.border) {
        for (inset, width) in [(10.0, 2.2), (13.0, 0.7)] {
            page.items.push(Item::Rect {
                x: inset,
                y: inset,
                w: page.width - 2.0 * inset,
                h: page.height - 2.0 * inset,
                stroke: Some((width, c)),
                fill: None,
            });
        }
    }
    let (items, too_small) = blocks_items(fonts, &design.blocks, fields, (0.0, 0.0), page.width);
    page.items.extend(items);
    if let (Some(seal), Some(s)) = (images.seal, &design.seal) {
        page.items.push(Item::Image {
            image: seal,
            x: s.x,
            y: s.y,
            w: s.width,
            h: s.height,
        });
    }
    (page, too_small)
}

/// One page for pre-printed stock: only the stock texts, moved by `offset`.
pub fn stock_page(
    fonts: &Fonts,
    stock: &Stock,
    orientation: Orientation,
    offset: (f32, f32),
    fields: &BTreeMap<&'static str, String>,
) -> (Page, bool) {
    let mut page = Page::new(orientation);
    let (items, too_small) = blocks_items(fonts, &stock.blocks, fields, offset, page.width);
    page.items.extend(items);
    (page, too_small)
}

/// The first text of a stock page that would fall outside the paper, if any.
pub fn off_page(page: &Page) -> Option<String> {
    page.texts()
        .find(|t| {
            let top = t.top();
            t.x < -0.01
                || t.x + t.width > page.width + 0.01
                || top < -0.01
                || t.baseline > page.height + 0.01
        })
        .map(|t| t.text.clone())
}

/// How far right of the page's edge a growing box may push text (mm).
const GROW_MARGIN: f32 = 15.0;

/// All blocks of a design with their fields filled in. A one-line block whose text is wider
/// than its box at the template's size (a long name) grows to the right instead of shrinking,
/// and the blocks to its right on the same line (老师：) move with it — as far as the page allows
/// (text ends [`GROW_MARGIN`] mm before the page's right edge); only then does the text shrink.
pub fn blocks_items(
    fonts: &Fonts,
    blocks: &[Block],
    fields: &BTreeMap<&'static str, String>,
    offset: (f32, f32),
    page_width: f32,
) -> (Vec<Item>, bool) {
    let texts: Vec<String> = blocks.iter().map(|b| fill(&b.text, fields)).collect();
    let mut shift = vec![0.0_f32; blocks.len()];
    let mut items = Vec::new();
    let mut too_small = false;
    let limit = page_width - GROW_MARGIN;
    for (i, b) in blocks.iter().enumerate() {
        let text = &texts[i];
        let mut grow = 0.0;
        let need = if b.wrap || text.trim().is_empty() {
            0.0
        } else {
            fonts
                .in_family(b.family())
                .width_mm(text, b.size, b.spacing)
                - b.width
        };
        if need > 0.0 {
            let same_line = |o: &Block| o.y < b.y + b.height && b.y < o.y + o.height;
            let right: Vec<usize> = (i + 1..blocks.len())
                .filter(|&j| same_line(&blocks[j]) && blocks[j].x >= b.x + b.width - 0.5)
                .collect();
            let extent = |j: usize| {
                let o = &blocks[j];
                let w = if parse_align(&o.align) == Some(Align::Left) {
                    fonts
                        .in_family(o.family())
                        .width_mm(&texts[j], o.size, o.spacing)
                        .min(o.width)
                } else {
                    o.width
                };
                o.x + shift[j] + w
            };
            let room = right
                .iter()
                .map(|&j| limit - extent(j))
                .fold(limit - (b.x + shift[i] + b.width), f32::min)
                .max(0.0);
            grow = need.min(room);
            for j in right {
                shift[j] += grow;
            }
        }
        let (its, small) = block_items(fonts, b, text, (offset.0 + shift[i], offset.1), grow);
        too_small |= small;
        items.extend(its);
    }
    (items, too_small)
}

/// The texts of every certificate, with who they belong to (for the glyph check).
pub fn owned_texts<'a>(awards: &'a [Award]) -> Vec<Owned<'a>> {
    let mut v = Vec::new();
    for a in awards {
        let who = format!("选手 {} {}", a.contestant.id, a.contestant.name);
        v.push(Owned {
            who: who.clone(),
            text: &a.contestant.name,
        });
        v.push(Owned {
            who,
            text: &a.contestant.school,
        });
    }
    v
}

/// The certificates document.
#[allow(clippy::too_many_arguments)] // plain inputs; a struct for them would only move the list
pub fn document(
    data: &ReportData,
    fonts: &Fonts,
    awards: &[Award],
    batches: &[(String, usize)],
    opts: &CertificateOptions,
    template: &Template,
    now_unix: i64,
    progress: &dyn Fn(usize, usize),
) -> Result<(Document, Vec<String>), ReportError> {
    let mut doc = Document {
        title: format!("{} 荣誉证书", data.setup.competition.title),
        ..Document::default()
    };
    let mut warnings = Vec::new();
    let date = if template.date.trim().is_empty() {
        let d = super::certificate_date(data, now_unix);
        warnings.extend(d.warning);
        d.text
    } else {
        template.date.trim().to_string()
    };
    let orientation = if opts.stock {
        opts.orientation
            .unwrap_or_else(|| Orientation::parse(&template.stock.orientation).unwrap_or_default())
    } else {
        opts.orientation
            .unwrap_or_else(|| template.default_orientation())
    };
    let design = template.design(orientation);
    let images = if opts.stock {
        DesignImages::default()
    } else {
        design_images(&mut doc, design, &data.base_dir)?
    };
    let stock = template.stock_for(orientation);
    let offset = opts.offset.unwrap_or((stock.offset_x, stock.offset_y));
    let total = awards.len();
    for (i, a) in awards.iter().enumerate() {
        let f = fields(data, a, &date);
        let (page, small) = if opts.stock {
            let (page, small) = stock_page(fonts, stock, orientation, offset, &f);
            if let Some(text) = off_page(&page) {
                // Name the template's field ({日期} …), not only the text.
                let field = stock
                    .blocks
                    .iter()
                    .find(|b| fill(&b.text, &f) == text)
                    .map_or(text.clone(), |b| format!("{}」「{text}", b.text));
                return Err(ReportError::Usage(format!(
                    "套打时「{field}」（证书 {}，{}）会印到纸张外：当前偏移 x {} mm、y {} mm。请减小偏移（--offset-x / --offset-y 或模板 [stock] 的 offset_x / offset_y），或在模板中移动该字段 (text would fall outside the page)",
                    a.serial, a.contestant.name, offset.0, offset.1
                )));
            }
            (page, small)
        } else {
            certificate_page(fonts, design, images, orientation, &f)
        };
        if small {
            warnings.push(format!(
                "证书 {}（{} {}）的文字太长，已缩小到模板的最小字号以下 (text shrunk below min_size)",
                a.serial, a.contestant.id, a.contestant.name
            ));
        }
        doc.pages.push(page);
        if i % 32 == 0 {
            progress(i, total);
        }
    }
    doc.outline = batches.to_vec();
    Ok((doc, warnings))
}
