//! Certificates (荣誉证书): the template, the awards with their serial numbers, one page per
//! award, pre-printed stock with an offset, and the calibration page.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::model::Contestant;

use super::ReportError;
use super::data::{ReportData, pick_groups};
use super::font::{Fonts, Owned};
use super::layout::{
    Align, Color, Document, Furniture, Item, Orientation, Page, Style, fit_in_box,
    paragraph_in_box, stamp_footers,
};

/// The built-in template.
pub const DEFAULT_TEMPLATE: &str = include_str!("../../assets/certificate.toml");

/// The fields a template may use.
pub const FIELDS: &[&str] = &[
    "姓名",
    "单位",
    "组别",
    "项目",
    "等次",
    "届次",
    "日期",
    "证书编号",
    "比赛",
    "主办单位",
];

/// The event name printed for overall (综合) awards, and the serial-number code.
pub const OVERALL_NAME: &str = "综合";
pub const OVERALL_CODE: &str = "ZH";

/// A certificate template (TOML; see `assets/certificate.toml`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Template {
    #[serde(default = "landscape")]
    pub orientation: String,
    /// The {日期} text; empty: the day of printing.
    #[serde(default)]
    pub date: String,
    pub landscape: Design,
    pub portrait: Design,
    pub stock: Stock,
}

fn landscape() -> String {
    "landscape".into()
}

/// One orientation's design.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Design {
    /// Background image (PNG/JPEG) filling the page; empty for none.
    #[serde(default)]
    pub background: String,
    /// Colour of a double border drawn by ScoreDesk; empty for none.
    #[serde(default)]
    pub border: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seal: Option<ImageBox>,
    pub blocks: Vec<Block>,
}

/// An image in a box (mm).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ImageBox {
    pub path: String,
    pub x: f32,
    pub y: f32,
    pub width: f32,
    pub height: f32,
}

/// The pre-printed stock layout.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Stock {
    #[serde(default = "landscape")]
    pub orientation: String,
    #[serde(default)]
    pub offset_x: f32,
    #[serde(default)]
    pub offset_y: f32,
    pub blocks: Vec<Block>,
}

/// A text box.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Block {
    pub text: String,
    pub x: f32,
    pub y: f32,
    pub width: f32,
    pub height: f32,
    pub size: f32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_size: Option<f32>,
    #[serde(default = "left")]
    pub align: String,
    #[serde(default)]
    pub bold: bool,
    #[serde(default)]
    pub color: String,
    #[serde(default)]
    pub spacing: f32,
    #[serde(default)]
    pub wrap: bool,
    #[serde(default)]
    pub indent: f32,
    #[serde(default = "line_height")]
    pub line_height: f32,
    #[serde(default)]
    pub underline: bool,
}

fn left() -> String {
    "left".into()
}

fn line_height() -> f32 {
    1.6
}

fn parse_align(s: &str) -> Option<Align> {
    match s {
        "left" | "" => Some(Align::Left),
        "center" | "centre" => Some(Align::Center),
        "right" => Some(Align::Right),
        _ => None,
    }
}

/// The `{…}` fields used in `text`.
fn fields_in(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find('{') {
        let after = &rest[start + 1..];
        match after.find('}') {
            Some(end) => {
                out.push(&after[..end]);
                rest = &after[end + 1..];
            }
            None => break,
        }
    }
    out
}

impl Template {
    /// Parses and checks a template.
    pub fn parse(text: &str) -> Result<Template, ReportError> {
        let t: Template = toml::from_str(text).map_err(|e| ReportError::Template(e.to_string()))?;
        t.check()?;
        Ok(t)
    }

    /// The built-in template.
    pub fn builtin() -> Template {
        // The built-in template is checked by a test; fall back to a minimal one rather than panic.
        Template::parse(DEFAULT_TEMPLATE).unwrap_or_else(|_| Template {
            orientation: landscape(),
            date: String::new(),
            landscape: Design {
                background: String::new(),
                border: String::new(),
                seal: None,
                blocks: Vec::new(),
            },
            portrait: Design {
                background: String::new(),
                border: String::new(),
                seal: None,
                blocks: Vec::new(),
            },
            stock: Stock {
                orientation: landscape(),
                offset_x: 0.0,
                offset_y: 0.0,
                blocks: Vec::new(),
            },
        })
    }

    fn check(&self) -> Result<(), ReportError> {
        let err = |m: String| Err(ReportError::Template(m));
        for (name, o) in [
            ("orientation", &self.orientation),
            ("stock.orientation", &self.stock.orientation),
        ] {
            if Orientation::parse(o).is_none() {
                return err(format!(
                    "{name} = \"{o}\"：只能是 landscape 或 portrait (must be landscape or portrait)"
                ));
            }
        }
        let all = [
            ("landscape", &self.landscape.blocks, Some(&self.landscape)),
            ("portrait", &self.portrait.blocks, Some(&self.portrait)),
            ("stock", &self.stock.blocks, None),
        ];
        for (part, blocks, design) in all {
            if let Some(d) = design
                && !d.border.is_empty()
                && Color::parse(&d.border).is_none()
            {
                return err(format!(
                    "[{part}] border = \"{}\"：颜色应写成 #rrggbb (colour must be #rrggbb)",
                    d.border
                ));
            }
            for (i, b) in blocks.iter().enumerate() {
                let at = format!("[[{part}.blocks]] 第 {} 个 (block {})", i + 1, i + 1);
                for f in fields_in(&b.text) {
                    if !FIELDS.contains(&f) {
                        return err(format!(
                            "{at}：未知字段 {{{f}}}；可用字段：{} (unknown field)",
                            FIELDS
                                .iter()
                                .map(|f| format!("{{{f}}}"))
                                .collect::<Vec<_>>()
                                .join(" ")
                        ));
                    }
                }
                if !(b.size > 0.0 && b.width > 0.0 && b.height > 0.0) {
                    return err(format!(
                        "{at}：size、width、height 必须大于 0 (must be positive)"
                    ));
                }
                if parse_align(&b.align).is_none() {
                    return err(format!(
                        "{at}：align = \"{}\" 只能是 left、center 或 right",
                        b.align
                    ));
                }
                if !b.color.is_empty() && Color::parse(&b.color).is_none() {
                    return err(format!(
                        "{at}：color = \"{}\" 应写成 #rrggbb (colour must be #rrggbb)",
                        b.color
                    ));
                }
            }
        }
        Ok(())
    }

    /// The design for an orientation.
    pub fn design(&self, o: Orientation) -> &Design {
        match o {
            Orientation::Landscape => &self.landscape,
            Orientation::Portrait => &self.portrait,
        }
    }

    /// The default orientation of the template.
    pub fn default_orientation(&self) -> Orientation {
        Orientation::parse(&self.orientation).unwrap_or_default()
    }
}

/// One award to print a certificate for.
#[derive(Clone, Debug, PartialEq)]
pub struct Award {
    /// e.g. 2025-E05-0001.
    pub serial: String,
    /// `None` for the overall (综合) award.
    pub event_code: Option<String>,
    /// The event's name, or 综合.
    pub event_name: String,
    pub event_order: usize,
    pub group: String,
    pub group_order: usize,
    pub rank: u32,
    /// 等次, e.g. 一等奖.
    pub award: String,
    pub contestant: Contestant,
    /// The rank is shared across an award boundary (a human decision is needed).
    pub tie_flag: bool,
}

/// The year used in serial numbers: a year written in the competition's dates, else the year the
/// file was created, else this year.
pub fn serial_year(data: &ReportData, now_unix: i64) -> i32 {
    let dates = &data.setup.competition.dates;
    let digits: Vec<char> = dates.chars().collect();
    for w in digits.windows(4) {
        let s: String = w.iter().collect();
        if let Ok(y) = s.parse::<i32>()
            && (1990..2200).contains(&y)
        {
            return y;
        }
    }
    data.created_year.unwrap_or_else(|| {
        crate::clock::beijing_minutes(now_unix)
            .get(..4)
            .and_then(|y| y.parse().ok())
            .unwrap_or(2025)
    })
}

/// Every final award (single events in event order, then the overall), numbered
/// `{year}-{code}-{0001}` within each event code, sorted by (event order, group, rank,
/// contestant id) — the same data always gives the same numbers. Provisional awards get no
/// certificate; the second value says how many were left out.
pub fn awards(data: &ReportData, year: i32) -> (Vec<Award>, Vec<String>) {
    let groups = data.group_order();
    let group_order = |g: &str| groups.iter().position(|x| x == g).unwrap_or(usize::MAX);
    let mut out = Vec::new();
    let mut warnings = Vec::new();
    // (table name, number of provisional entries) — those get no certificate yet.
    let mut provisional: Vec<(String, usize)> = Vec::new();
    let mut ties = 0usize;
    let events = &data.results.events;
    for (order, er) in events.iter().enumerate() {
        let pending = er
            .groups
            .iter()
            .flat_map(|g| &g.entries)
            .filter(|e| e.provisional)
            .count();
        if pending > 0 {
            provisional.push((er.name.clone(), pending));
        }
        for g in &er.groups {
            for e in &g.entries {
                let (Some(award), Some(rank)) = (&e.award, e.rank) else {
                    continue;
                };
                if e.provisional {
                    continue;
                }
                let Some(c) = data.contestant(&e.contestant) else {
                    continue;
                };
                ties += usize::from(e.tie_flag);
                out.push(Award {
                    serial: String::new(),
                    event_code: Some(er.code.clone()),
                    event_name: er.name.clone(),
                    event_order: order,
                    group: g.group.clone(),
                    group_order: group_order(&g.group),
                    rank,
                    award: award.clone(),
                    contestant: c.clone(),
                    tie_flag: e.tie_flag,
                });
            }
        }
    }
    let pending = data
        .results
        .overall
        .groups
        .iter()
        .flat_map(|g| &g.entries)
        .filter(|e| e.provisional)
        .count();
    if pending > 0 {
        provisional.push((OVERALL_NAME.to_string(), pending));
    }
    for g in &data.results.overall.groups {
        for e in &g.entries {
            let (Some(award), Some(rank)) = (&e.award, e.rank) else {
                continue;
            };
            if e.provisional {
                continue;
            }
            let Some(c) = data.contestant(&e.contestant) else {
                continue;
            };
            ties += usize::from(e.tie_flag);
            out.push(Award {
                serial: String::new(),
                event_code: None,
                event_name: OVERALL_NAME.into(),
                event_order: events.len(),
                group: g.group.clone(),
                group_order: group_order(&g.group),
                rank,
                award: award.clone(),
                contestant: c.clone(),
                tie_flag: e.tie_flag,
            });
        }
    }
    out.sort_by(|a, b| {
        (
            a.event_order,
            a.group_order,
            &a.group,
            a.rank,
            &a.contestant.id,
        )
            .cmp(&(
                b.event_order,
                b.group_order,
                &b.group,
                b.rank,
                &b.contestant.id,
            ))
    });
    let mut counters: BTreeMap<String, usize> = BTreeMap::new();
    for a in &mut out {
        let code = a.event_code.clone().unwrap_or_else(|| OVERALL_CODE.into());
        let n = counters.entry(code.clone()).or_default();
        *n += 1;
        a.serial = format!("{year}-{code}-{n:04}");
    }
    if !provisional.is_empty() {
        let list: Vec<String> = provisional
            .iter()
            .map(|(name, n)| format!("{name}（{n} 人）"))
            .collect();
        warnings.push(format!(
            "成绩仍是待定，其奖项暂不打印证书：{} (provisional results get no certificate yet)",
            list.join("、")
        ));
    }
    if ties > 0 {
        warnings.push(format!(
            "{ties} 个奖项是跨档并列，请人工确认 (ties across an award boundary need a decision)"
        ));
    }
    (out, warnings)
}

/// How certificates are ordered and batched.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum BatchBy {
    /// In serial-number order (event, group, rank).
    #[default]
    Serial,
    /// By group (组别), then event and rank.
    Group,
    /// By school (工作单位), then group, event and rank.
    School,
}

/// Certificate options.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CertificateOptions {
    pub by: BatchBy,
    /// `None`: the template's orientation.
    pub orientation: Option<Orientation>,
    /// Pre-printed stock: only the stock layout's texts, moved by the offset.
    pub stock: bool,
    /// Overrides the template's stock offset (mm, right and down positive).
    pub offset: Option<(f32, f32)>,
    /// A template to use instead of the one in the file (TOML text).
    pub template: Option<String>,
}

/// The template to use: the one given, else the file's, else the built-in one.
pub fn effective_template(
    data: &ReportData,
    opts: &CertificateOptions,
) -> Result<Template, ReportError> {
    match opts.template.as_deref().or(data.template.as_deref()) {
        Some(t) => Template::parse(t),
        None => Ok(Template::builtin()),
    }
}

/// Resolves an image path against the competition file's folder and checks it exists.
fn resolve_image(base: &Path, p: &str) -> Result<PathBuf, ReportError> {
    let path = Path::new(p.trim());
    let full = if path.is_absolute() {
        path.to_path_buf()
    } else {
        base.join(path)
    };
    if !full.is_file() {
        return Err(ReportError::ImageMissing { path: full });
    }
    Ok(full)
}

/// Awards selected by event (code, name, or ZH/综合 for the overall) and group.
pub fn select_awards(
    data: &ReportData,
    all: Vec<Award>,
    event: Option<&str>,
    group: Option<&str>,
) -> Result<Vec<Award>, ReportError> {
    let groups = data.group_order();
    if let Some(g) = group.map(str::trim).filter(|g| !g.is_empty()) {
        // Reuse the friendly unknown-group message.
        pick_groups(&data.results.overall.groups, Some(g), &groups)?;
    }
    let event_filter: Option<Option<String>> = match event.map(str::trim).filter(|e| !e.is_empty())
    {
        None => None,
        Some(e) if is_overall(e) => Some(None),
        Some(e) => match data.find_event(e) {
            Some(ev) => Some(Some(ev.code.clone())),
            None => {
                return Err(ReportError::Usage(format!(
                    "没有项目「{e}」；综合奖请用 ZH (no such event; ZH is the overall)"
                )));
            }
        },
    };
    Ok(all
        .into_iter()
        .filter(|a| event_filter.as_ref().is_none_or(|f| *f == a.event_code))
        .filter(|a| {
            group
                .map(str::trim)
                .is_none_or(|g| g.is_empty() || a.group == g)
        })
        .collect())
}

/// Whether an `--event` value means the overall table.
pub fn is_overall(e: &str) -> bool {
    matches!(
        e.trim(),
        "ZH" | "zh" | "综合" | "全能" | "overall" | "OVERALL"
    )
}

/// Orders awards for printing, returning batch titles with the index of their first award.
pub fn order_awards(awards: &mut [Award], by: BatchBy) -> Vec<(String, usize)> {
    match by {
        BatchBy::Serial => {}
        BatchBy::Group => awards.sort_by(|a, b| {
            (
                a.group_order,
                &a.group,
                a.event_order,
                a.rank,
                &a.contestant.id,
            )
                .cmp(&(
                    b.group_order,
                    &b.group,
                    b.event_order,
                    b.rank,
                    &b.contestant.id,
                ))
        }),
        BatchBy::School => awards.sort_by(|a, b| {
            (
                &a.contestant.school,
                a.group_order,
                a.event_order,
                a.rank,
                &a.contestant.id,
            )
                .cmp(&(
                    &b.contestant.school,
                    b.group_order,
                    b.event_order,
                    b.rank,
                    &b.contestant.id,
                ))
        }),
    }
    let key = |a: &Award| match by {
        BatchBy::Serial => a.event_name.clone(),
        BatchBy::Group => a.group.clone(),
        BatchBy::School => a.contestant.school.clone(),
    };
    let mut batches: Vec<(String, usize)> = Vec::new();
    let mut counts: Vec<usize> = Vec::new();
    for (i, a) in awards.iter().enumerate() {
        let k = key(a);
        if batches.last().is_none_or(|(last, _)| *last != k) {
            batches.push((k, i));
            counts.push(0);
        }
        if let Some(c) = counts.last_mut() {
            *c += 1;
        }
    }
    batches
        .into_iter()
        .zip(counts)
        .map(|((k, i), n)| (format!("{k}（{n} 张）"), i))
        .collect()
}

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

/// Lays out one block with its text filled in; returns the items and whether the text had to
/// go below the block's `min_size`.
pub fn block_items(
    fonts: &Fonts,
    block: &Block,
    text: &str,
    (dx, dy): (f32, f32),
) -> (Vec<Item>, bool) {
    let mut items = Vec::new();
    if text.trim().is_empty() {
        return (items, false);
    }
    let mut style = Style::new(block.size);
    style.bold = block.bold;
    style.spacing = block.spacing;
    if let Some(c) = Color::parse(&block.color) {
        style.color = c;
    }
    let align = parse_align(&block.align).unwrap_or_default();
    let bx = (block.x + dx, block.y + dy, block.width, block.height);
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
    let mut too_small = false;
    for b in &design.blocks {
        let (items, small) = block_items(fonts, b, &fill(&b.text, fields), (0.0, 0.0));
        too_small |= small;
        page.items.extend(items);
    }
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
    let mut too_small = false;
    for b in &stock.blocks {
        let (items, small) = block_items(fonts, b, &fill(&b.text, fields), offset);
        too_small |= small;
        page.items.extend(items);
    }
    (page, too_small)
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
        crate::clock::beijing_date_chinese(now_unix)
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
    let offset = opts
        .offset
        .unwrap_or((template.stock.offset_x, template.stock.offset_y));
    let total = awards.len();
    for (i, a) in awards.iter().enumerate() {
        let f = fields(data, a, &date);
        let (page, small) = if opts.stock {
            stock_page(fonts, &template.stock, orientation, offset, &f)
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

/// The calibration page for pre-printed stock: a millimetre grid with rulers, corner marks, and
/// the stock boxes (dashed) where the texts will be printed with the current offset.
pub fn calibration_page(
    fonts: &Fonts,
    template: &Template,
    orientation: Option<Orientation>,
    offset: Option<(f32, f32)>,
    furniture: &Furniture,
) -> Page {
    let orientation = orientation
        .unwrap_or_else(|| Orientation::parse(&template.stock.orientation).unwrap_or_default());
    let (dx, dy) = offset.unwrap_or((template.stock.offset_x, template.stock.offset_y));
    let mut page = Page::new(orientation);
    let (w, h) = (page.width, page.height);
    let grid = Color::rgb(215, 225, 240);
    let major = Color::rgb(150, 170, 210);
    // The grid: every 5 mm, stronger every 10 mm.
    let mut x = 0.0;
    while x <= w + 0.01 {
        let ten = (x as i32) % 10 == 0;
        page.line(
            x,
            0.0,
            x,
            h,
            if ten { 0.5 } else { 0.2 },
            if ten { major } else { grid },
        );
        x += 5.0;
    }
    let mut y = 0.0;
    while y <= h + 0.01 {
        let ten = (y as i32) % 10 == 0;
        page.line(
            0.0,
            y,
            w,
            y,
            if ten { 0.5 } else { 0.2 },
            if ten { major } else { grid },
        );
        y += 5.0;
    }
    // Rulers with 1 mm ticks along the top and left edges, numbered every 10 mm.
    let label = Style::new(6.0).color(Color::rgb(40, 60, 120));
    for mm in 0..=(w as i32) {
        let len = if mm % 10 == 0 {
            6.0
        } else if mm % 5 == 0 {
            4.0
        } else {
            2.0
        };
        page.line(mm as f32, 0.0, mm as f32, len, 0.25, Color::BLACK);
        if mm % 10 == 0 && mm > 0 && mm < w as i32 {
            page.items.push(Item::Text(fit_in_box(
                fonts,
                &mm.to_string(),
                (mm as f32 - 5.0, 6.2, 10.0, 3.0),
                Align::Center,
                label,
            )));
        }
    }
    for mm in 0..=(h as i32) {
        let len = if mm % 10 == 0 {
            6.0
        } else if mm % 5 == 0 {
            4.0
        } else {
            2.0
        };
        page.line(0.0, mm as f32, len, mm as f32, 0.25, Color::BLACK);
        if mm % 10 == 0 && mm > 0 && mm < h as i32 {
            page.items.push(Item::Text(fit_in_box(
                fonts,
                &mm.to_string(),
                (6.5, mm as f32 - 1.5, 8.0, 3.0),
                Align::Left,
                label,
            )));
        }
    }
    // Crosshair marks 20 mm in from each corner and at the centre, with their coordinates.
    let marks = [
        (20.0, 20.0),
        (w - 20.0, 20.0),
        (20.0, h - 20.0),
        (w - 20.0, h - 20.0),
        ((w / 2.0).round(), (h / 2.0).round()),
    ];
    for (mx, my) in marks {
        page.line(mx - 6.0, my, mx + 6.0, my, 0.6, Color::RED);
        page.line(mx, my - 6.0, mx, my + 6.0, 0.6, Color::RED);
        page.items.push(Item::Rect {
            x: mx - 3.0,
            y: my - 3.0,
            w: 6.0,
            h: 6.0,
            stroke: Some((0.4, Color::RED)),
            fill: None,
        });
        page.items.push(Item::Text(fit_in_box(
            fonts,
            &format!("({mx:.0}, {my:.0})"),
            (mx + 3.5, my - 7.5, 22.0, 4.0),
            Align::Left,
            Style::new(7.0).color(Color::RED),
        )));
    }
    // The stock boxes where the texts land with the current offset.
    let box_color = Color::rgb(20, 120, 60);
    for b in &template.stock.blocks {
        let (bx, by) = (b.x + dx, b.y + dy);
        for (x1, y1, x2, y2) in [
            (bx, by, bx + b.width, by),
            (bx, by + b.height, bx + b.width, by + b.height),
            (bx, by, bx, by + b.height),
            (bx + b.width, by, bx + b.width, by + b.height),
        ] {
            page.items.push(Item::Line {
                x1,
                y1,
                x2,
                y2,
                width: 0.6,
                color: box_color,
                dashed: true,
            });
        }
        page.items.push(Item::Text(fit_in_box(
            fonts,
            &b.text,
            (bx, by, b.width, b.height),
            parse_align(&b.align).unwrap_or_default(),
            Style::new(b.size.min(14.0)).color(box_color),
        )));
    }
    // Instructions.
    let lines = [
        format!(
            "证书套打校准页 (calibration page) — A4 {}，当前偏移 offset_x = {dx} mm，offset_y = {dy} mm",
            match orientation {
                Orientation::Landscape => "横向",
                Orientation::Portrait => "纵向",
            }
        ),
        "把本页放在证书纸上对着光比较（或直接打印在证书纸上）：绿色虚线框是各字段将要打印的位置。".to_string(),
        "量出需要移动的距离，在证书模板 [stock] 中设置 offset_x / offset_y（向右、向下为正，单位 mm），或用 --offset-x / --offset-y。".to_string(),
        "打印时请选择“实际大小 / 100%”，不要“适合页面”。(Print at 100 %, not fit-to-page.)".to_string(),
    ];
    let mut y = 16.0;
    for l in lines {
        page.items.push(Item::Rect {
            x: 34.0,
            y: y - 0.5,
            w: w - 68.0,
            h: 5.6,
            stroke: None,
            fill: Some(Color::rgb(255, 255, 255)),
        });
        page.items.push(Item::Text(fit_in_box(
            fonts,
            &l,
            (35.0, y, w - 70.0, 5.0),
            Align::Left,
            Style::new(9.0),
        )));
        y += 6.0;
    }
    let mut pages = [page];
    stamp_footers(fonts, furniture, &mut pages);
    let [page] = pages;
    page
}

/// The name block's text (the first block showing {姓名}) of a page, for tests: its size and
/// the box width it had to fit.
pub fn name_block(design: &Design) -> Option<&Block> {
    design.blocks.iter().find(|b| b.text.contains("{姓名}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_template_parses() {
        let t = Template::parse(DEFAULT_TEMPLATE).expect("built-in template");
        assert_eq!(t.default_orientation(), Orientation::Landscape);
        assert!(name_block(&t.landscape).is_some());
        assert!(name_block(&t.portrait).is_some());
        assert!(!t.stock.blocks.is_empty());
    }

    #[test]
    fn unknown_field_is_refused() {
        let bad = DEFAULT_TEMPLATE.replace("{等次}", "{奖项}");
        let e = Template::parse(&bad).expect_err("unknown field");
        assert!(e.to_string().contains("{奖项}"), "{e}");
    }

    #[test]
    fn fills_fields() {
        let f = BTreeMap::from([("姓名", "王䶮".to_string()), ("等次", "一等奖".to_string())]);
        assert_eq!(fill("{姓名}荣获{等次}{x}", &f), "王䶮荣获一等奖{x}");
    }
}
