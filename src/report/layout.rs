//! Pages as positioned text, lines, rectangles and images, in millimetres from the page's
//! top-left corner. Pure: no PDF here (see `pdf/`), so tests and the GUI's preview can look at
//! a layout directly.
//!
//! Also the building blocks every printout uses: fitting text into a box (shrinking it),
//! wrapping Chinese text, tables that break across pages with the header repeated, and the
//! page furniture (title, page x / y, generation time, audit-chain head).

use std::path::PathBuf;

use super::font::{Family, Fonts, MM_PER_PT};

/// A4, in mm.
pub const A4_SHORT: f32 = 210.0;
pub const A4_LONG: f32 = 297.0;

/// Page orientation.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Orientation {
    #[default]
    Landscape,
    Portrait,
}

impl Orientation {
    /// (width, height) of an A4 page in mm.
    pub fn a4(self) -> (f32, f32) {
        match self {
            Orientation::Landscape => (A4_LONG, A4_SHORT),
            Orientation::Portrait => (A4_SHORT, A4_LONG),
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "landscape" | "横向" => Some(Orientation::Landscape),
            "portrait" | "纵向" => Some(Orientation::Portrait),
            _ => None,
        }
    }
}

/// An sRGB colour.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Color {
    pub r: u8,
    pub g: u8,
    pub b: u8,
}

impl Color {
    pub const BLACK: Color = Color::rgb(0, 0, 0);
    pub const GREY: Color = Color::rgb(110, 110, 110);
    pub const LIGHT: Color = Color::rgb(200, 200, 200);
    pub const STRIPE: Color = Color::rgb(242, 242, 242);
    pub const RED: Color = Color::rgb(190, 30, 30);

    pub const fn rgb(r: u8, g: u8, b: u8) -> Color {
        Color { r, g, b }
    }

    /// Parses `#rrggbb`.
    pub fn parse(s: &str) -> Option<Color> {
        let h = s.trim().strip_prefix('#')?;
        if h.len() != 6 || !h.is_ascii() {
            return None;
        }
        let p = |i: usize| u8::from_str_radix(&h[i..i + 2], 16).ok();
        Some(Color::rgb(p(0)?, p(2)?, p(4)?))
    }
}

/// Horizontal alignment.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Align {
    #[default]
    Left,
    Center,
    Right,
}

/// A run of text on one line. `x` is the left end, `baseline` the baseline (mm from the top).
#[derive(Clone, Debug, PartialEq)]
pub struct Text {
    pub x: f32,
    pub baseline: f32,
    /// Font size in points.
    pub size: f32,
    pub text: String,
    /// Measured width in mm (from the fonts' advances).
    pub width: f32,
    pub color: Color,
    /// Drawn slightly emboldened (fill and a thin stroke).
    pub bold: bool,
    /// Extra space after each character, in em.
    pub spacing: f32,
    /// The typeface family (字体) it was measured in.
    pub family: Family,
}

impl Text {
    /// Top of the text's em box (mm from the top).
    pub fn top(&self) -> f32 {
        self.baseline - 0.88 * self.size * MM_PER_PT
    }
}

/// What is drawn on a page.
#[derive(Clone, Debug, PartialEq)]
pub enum Item {
    Text(Text),
    Line {
        x1: f32,
        y1: f32,
        x2: f32,
        y2: f32,
        /// Width in points.
        width: f32,
        color: Color,
        dashed: bool,
    },
    Rect {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
        /// Outline width in points and colour.
        stroke: Option<(f32, Color)>,
        fill: Option<Color>,
    },
    /// An image file (PNG/JPEG) stretched over the box.
    Image {
        /// Index into [`Document::images`].
        image: usize,
        x: f32,
        y: f32,
        w: f32,
        h: f32,
    },
}

/// One page.
#[derive(Clone, Debug, PartialEq)]
pub struct Page {
    pub width: f32,
    pub height: f32,
    pub items: Vec<Item>,
}

impl Page {
    pub fn new(orientation: Orientation) -> Page {
        let (width, height) = orientation.a4();
        Page {
            width,
            height,
            items: Vec::new(),
        }
    }

    /// The texts on the page, in drawing order.
    pub fn texts(&self) -> impl Iterator<Item = &Text> {
        self.items.iter().filter_map(|i| match i {
            Item::Text(t) => Some(t),
            _ => None,
        })
    }

    pub fn line(&mut self, x1: f32, y1: f32, x2: f32, y2: f32, width: f32, color: Color) {
        self.items.push(Item::Line {
            x1,
            y1,
            x2,
            y2,
            width,
            color,
            dashed: false,
        });
    }
}

/// A laid-out document: pages, the images they use, and bookmarks.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Document {
    pub title: String,
    pub pages: Vec<Page>,
    /// Image files referenced by [`Item::Image`].
    pub images: Vec<PathBuf>,
    /// (title, 0-based page index) of each batch or section.
    pub outline: Vec<(String, usize)>,
}

/// Style of a single text.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Style {
    pub size: f32,
    pub color: Color,
    pub bold: bool,
    pub spacing: f32,
}

impl Style {
    pub fn new(size: f32) -> Style {
        Style {
            size,
            color: Color::BLACK,
            bold: false,
            spacing: 0.0,
        }
    }

    pub fn bold(mut self) -> Style {
        self.bold = true;
        self
    }

    pub fn color(mut self, color: Color) -> Style {
        self.color = color;
        self
    }
}

/// Offset from the vertical middle of a line of CJK text to its baseline, per point of size.
const MIDDLE_TO_BASELINE: f32 = 0.36 * MM_PER_PT;

/// A text placed in a box `(x, w)` on `baseline`, aligned.
pub fn place(
    fonts: &Fonts,
    text: &str,
    x: f32,
    w: f32,
    baseline: f32,
    align: Align,
    style: Style,
) -> Text {
    let width = fonts.width_mm(text, style.size, style.spacing);
    let left = match align {
        Align::Left => x,
        Align::Center => x + (w - width) / 2.0,
        Align::Right => x + w - width,
    };
    Text {
        x: left,
        baseline,
        size: style.size,
        text: text.to_string(),
        width,
        color: style.color,
        bold: style.bold,
        spacing: style.spacing,
        family: fonts.family(),
    }
}

/// The largest size ≤ `size` at which `text` fits `max_w` mm (never below 1 pt).
pub fn fit_size(fonts: &Fonts, text: &str, size: f32, spacing: f32, max_w: f32) -> f32 {
    let w = fonts.width_mm(text, size, spacing);
    if w <= max_w || w <= 0.0 {
        size
    } else {
        // Width is proportional to size; step down a hair so rounding never overflows.
        (size * max_w / w * 0.999).max(1.0)
    }
}

/// A single line in the box `(x, y, w, h)`: shrunk until it fits the width, vertically centred.
pub fn fit_in_box(
    fonts: &Fonts,
    text: &str,
    (x, y, w, h): (f32, f32, f32, f32),
    align: Align,
    style: Style,
) -> Text {
    let mut style = style;
    style.size = fit_size(fonts, text, style.size, style.spacing, w);
    // Never taller than the box either.
    style.size = style.size.min(h / MM_PER_PT / 1.05).max(1.0);
    let baseline = y + h / 2.0 + MIDDLE_TO_BASELINE * style.size;
    place(fonts, text, x, w, baseline, align, style)
}

/// Characters that must not start a line (避头点).
fn no_line_start(c: char) -> bool {
    "，。、：；！？）》」』】〉”’,.;:!?)%·".contains(c)
}

/// Characters that must not end a line.
fn no_line_end(c: char) -> bool {
    "（《「『【〈“‘(".contains(c)
}

/// Splits a paragraph into breakable units: Latin words and numbers stay whole, each CJK
/// character is its own unit, and punctuation sticks to the unit before it (or after it, for
/// opening brackets).
fn units(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut glue_next = false;
    for c in text.chars() {
        let latin = c.is_ascii_alphanumeric() || c == '-' || c == '.' || c == '/';
        let join_prev = match out.last() {
            Some(last) => {
                glue_next
                    || no_line_start(c)
                    || (latin
                        && last
                            .chars()
                            .last()
                            .is_some_and(|l| l.is_ascii_alphanumeric() || "-./".contains(l)))
            }
            None => false,
        };
        if join_prev {
            if let Some(last) = out.last_mut() {
                last.push(c);
            }
        } else {
            out.push(c.to_string());
        }
        glue_next = no_line_end(c);
    }
    out
}

/// Wraps `text` (with `\n` as hard breaks) into lines no wider than `width` mm at `size` pt;
/// the first line of each paragraph is indented by `indent_em`.
pub fn wrap(
    fonts: &Fonts,
    text: &str,
    size: f32,
    spacing: f32,
    width: f32,
    indent_em: f32,
) -> Vec<(f32, String)> {
    let indent = indent_em * size * MM_PER_PT;
    let mut lines = Vec::new();
    for para in text.split('\n') {
        let mut line = String::new();
        let mut offset = indent;
        let mut line_w = 0.0;
        for u in units(para) {
            let uw = fonts.width_mm(&u, size, spacing)
                + if line.is_empty() {
                    0.0
                } else {
                    spacing * size * MM_PER_PT
                };
            if !line.is_empty() && offset + line_w + uw > width + 0.01 {
                lines.push((offset, std::mem::take(&mut line)));
                offset = 0.0;
                let trimmed = u.trim_start();
                line.push_str(trimmed);
                line_w = fonts.width_mm(trimmed, size, spacing);
                continue;
            }
            line.push_str(&u);
            line_w += uw;
        }
        lines.push((offset, line));
    }
    lines
}

/// A wrapped paragraph block in the box `(x, y, w, h)`, shrunk (down to `min_size`, or
/// further if it still would not fit) until its lines fit the box.
#[allow(clippy::too_many_arguments)]
pub fn paragraph_in_box(
    fonts: &Fonts,
    text: &str,
    (x, y, w, h): (f32, f32, f32, f32),
    align: Align,
    style: Style,
    line_height: f32,
    indent_em: f32,
    min_size: f32,
) -> Vec<Text> {
    let mut size = style.size;
    let lines = loop {
        let lines = wrap(fonts, text, size, style.spacing, w, indent_em);
        let needed = lines.len() as f32 * size * MM_PER_PT * line_height;
        if needed <= h + 0.01 || size <= 1.0 {
            break lines;
        }
        // Shrink in small steps, faster once below the preferred minimum.
        size = if size > min_size {
            (size * 0.96).max(min_size)
        } else {
            size * 0.9
        };
    };
    let step = size * MM_PER_PT * line_height;
    // The first line's middle sits half a line below the box top.
    let first_baseline = y + step / 2.0 + MIDDLE_TO_BASELINE * size;
    let st = Style { size, ..style };
    lines
        .into_iter()
        .enumerate()
        .map(|(i, (offset, line))| {
            place(
                fonts,
                &line,
                x + offset,
                w - offset,
                first_baseline + step * i as f32,
                align,
                st,
            )
        })
        .collect()
}

/// The mark on every page that holds a result not yet final.
pub const DRAFT_MARK: &str = "未定稿";

/// The smallest text size on any printed page (SPEC §8: wrap first, then shrink only down to
/// this floor).
pub const MIN_TEXT_PT: f32 = 7.0;

/// A table cell's text in `width` mm, starting at `size` pt: one line if it fits; else wrapped
/// onto two, then three lines at that size; else shrunk (three lines) down to [`MIN_TEXT_PT`];
/// at the floor it takes as many lines as it needs. Returns the size and the lines.
pub fn cell_lines(fonts: &Fonts, text: &str, size: f32, width: f32) -> (f32, Vec<String>) {
    let size = size.max(MIN_TEXT_PT);
    if fonts.width_mm(text, size, 0.0) <= width + 0.01 {
        return (size, vec![text.to_string()]);
    }
    let lines_at = |s: f32| -> Vec<String> {
        // A name with middle dots (阿依古丽·买买提·艾力) breaks after a dot when it can.
        if text.contains('·') {
            let mut lines: Vec<String> = Vec::new();
            for part in text.split_inclusive('·') {
                match lines.last_mut() {
                    Some(last)
                        if fonts.width_mm(&format!("{last}{part}"), s, 0.0) <= width + 0.01 =>
                    {
                        last.push_str(part)
                    }
                    _ => lines.push(part.to_string()),
                }
            }
            if lines
                .iter()
                .all(|l| fonts.width_mm(l, s, 0.0) <= width + 0.01)
            {
                return lines;
            }
        }
        wrap(fonts, text, s, 0.0, width, 0.0)
            .into_iter()
            .map(|(_, l)| l)
            .collect()
    };
    let fits = |lines: &[String], s: f32| {
        lines
            .iter()
            .all(|l| fonts.width_mm(l, s, 0.0) <= width + 0.01)
    };
    let mut s = size;
    loop {
        let lines = lines_at(s);
        if lines.len() <= 3 && fits(&lines, s) {
            return (s, lines);
        }
        if s <= MIN_TEXT_PT {
            return (s, lines);
        }
        s = (s * 0.95).max(MIN_TEXT_PT);
    }
}

/// A row's height: the table's row height, or more for cells wrapped onto several lines.
fn row_height(table: &Table, cells: &[(f32, Vec<String>)]) -> f32 {
    cells
        .iter()
        .map(|(s, l)| l.len() as f32 * table_line_height(*s) + 1.6)
        .fold(table.row_height, f32::max)
}

/// Line height of table text (mm) at `size` pt.
fn table_line_height(size: f32) -> f32 {
    size * MM_PER_PT * 1.2
}

/// Characters after which a header may break besides two-character words (与 和 及 、 的 …).
fn header_joint(c: char) -> bool {
    "与和及、的/".contains(c)
}

/// A column header that does not fit on one line, broken at a word boundary: a Chinese header
/// of five or more characters breaks between two-character words or after 与/和/及
/// ("业务能力/测试", "方法与/策略"), never inside a word; "name(max)" puts "(max)" on a line of
/// its own; an explicit `\n` is kept.
pub fn header_lines(title: &str) -> Vec<String> {
    if title.contains('\n') {
        return title.split('\n').map(str::to_string).collect();
    }
    let (name, rest) = match split_paren(title) {
        Some((n, r)) => (n, Some(r)),
        None => (title, None),
    };
    let chars: Vec<char> = name.chars().collect();
    let n = chars.len();
    let mut lines = Vec::new();
    if n >= 5 {
        // Candidate breaks: after an even number of characters (two-character words), or after
        // a joint character; never leaving a single character on a line.
        let best = (2..=n - 2)
            .filter(|&p| p % 2 == 0 || header_joint(chars[p - 1]))
            // The shortest longest line; then a break after a joint; then the longer first line.
            .min_by_key(|&p| (p.max(n - p), !header_joint(chars[p - 1]), p < n - p));
        match best {
            Some(p) => {
                lines.push(chars[..p].iter().collect());
                lines.push(chars[p..].iter().collect());
            }
            None => lines.push(name.to_string()),
        }
    } else {
        lines.push(name.to_string());
    }
    if let Some(r) = rest {
        lines.push(r.to_string());
    }
    lines
}

// ---------------------------------------------------------------------------------------------
// Reports: pages with furniture, sections and tables.

/// What every report page carries.
#[derive(Clone, Debug, PartialEq)]
pub struct Furniture {
    /// The competition title.
    pub title: String,
    /// When the document was made, e.g. "2026-11-28 21:05".
    pub generated: String,
    /// The audit chain's head (printed shortened).
    pub audit_head: String,
}

impl Furniture {
    /// The first 16 hex digits of the audit head.
    pub fn audit_short(&self) -> &str {
        self.audit_head.get(..16).unwrap_or(&self.audit_head)
    }
}

/// Page margins (mm).
pub const MARGIN: f32 = 12.0;
const TITLE_SIZE: f32 = 14.0;
const SECTION_SIZE: f32 = 12.0;
const INFO_SIZE: f32 = 8.5;
const FOOTER_SIZE: f32 = 7.5;
const FOOTER_SPACE: f32 = 10.0;

/// A column of a table.
#[derive(Clone, Debug, PartialEq)]
pub struct Column {
    pub title: String,
    pub align: Align,
    /// Takes the spare width (and gives it back first when the table is too wide).
    pub flex: bool,
    /// Minimum width in mm.
    pub min: f32,
}

impl Column {
    pub fn new(title: impl Into<String>, align: Align) -> Column {
        Column {
            title: title.into(),
            align,
            flex: false,
            min: 8.0,
        }
    }

    pub fn flex(mut self) -> Column {
        self.flex = true;
        self
    }

    pub fn min(mut self, min: f32) -> Column {
        self.min = min;
        self
    }
}

/// A cell: text and whether it is de-emphasised (grey, e.g. a dropped score).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Cell {
    pub text: String,
    pub muted: bool,
    pub strong: bool,
    /// The row's result is not final (待定): the page that holds it is marked 未定稿.
    pub draft: bool,
}

impl From<String> for Cell {
    fn from(text: String) -> Cell {
        Cell {
            text,
            muted: false,
            strong: false,
            draft: false,
        }
    }
}

impl From<&str> for Cell {
    fn from(text: &str) -> Cell {
        Cell::from(text.to_string())
    }
}

/// A table: columns and rows.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Table {
    pub columns: Vec<Column>,
    pub rows: Vec<Vec<Cell>>,
    /// Body font size (pt).
    pub size: f32,
    /// Row height (mm).
    pub row_height: f32,
}

/// A titled part of a report (one event and group, one judge's sheet …). It starts on a new
/// page; its title and info lines are repeated (with 续) on the pages it continues on.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Section {
    pub title: String,
    /// Small lines under the title (rules, legend).
    pub info: Vec<String>,
    pub table: Table,
    /// Lines after the table (signature lines, notes), each `row_height` high.
    pub after: Vec<String>,
    /// Bookmark text, if any.
    pub bookmark: Option<String>,
}

/// Lays out report sections onto pages of one orientation, then adds page x / y.
pub struct ReportBuilder<'a> {
    fonts: &'a Fonts,
    furniture: Furniture,
    orientation: Orientation,
    pages: Vec<Page>,
    outline: Vec<(String, usize)>,
    /// Where the last section ended on the last page (for sections that run on).
    cursor: Option<f32>,
    /// A line printed at the bottom of every page started while it is set (a judge's
    /// signature line on every page of their set).
    page_note: Option<String>,
    /// Sets of pages numbered on their own ("PW029 第 2/7 页"): (label, first page).
    sets: Vec<(String, usize)>,
    /// Every page started from now on is marked 未定稿 (a notice with results still pending).
    draft_all: bool,
    /// Pages already marked 未定稿.
    drafted: std::collections::BTreeSet<usize>,
}

/// "教学目标(10)" → ("教学目标", "(10)").
fn split_paren(title: &str) -> Option<(&str, &str)> {
    let at = title.find('(').filter(|at| *at > 0)?;
    Some((&title[..at], &title[at..]))
}

/// Column widths for `table` in `avail` mm: natural widths (widest cell plus padding), spare
/// width to the flex columns, or, when too wide, flex columns shrunk first and then all.
pub fn column_widths(fonts: &Fonts, table: &Table, avail: f32) -> Vec<f32> {
    let pad = 2.4;
    let header_size = table.size;
    let mut natural: Vec<f32> = table
        .columns
        .iter()
        .map(|c| {
            // A header of up to four characters stays on one line; a longer one takes the
            // width of its word-boundary break (two lines), so criterion columns get the width
            // their names need before the flexible name and unit columns.
            let one_line = fonts.width_mm(&c.title, header_size, 0.0);
            let four = fonts.width_mm("四个汉字", header_size, 0.0);
            let hw = if one_line <= four && !c.title.contains('\n') {
                one_line
            } else {
                header_lines(&c.title)
                    .iter()
                    .map(|l| fonts.width_mm(l, header_size, 0.0))
                    .fold(0.0, f32::max)
            };
            (hw + pad).max(c.min)
        })
        .collect();
    // The header's width is the least a column gets when the table is too wide.
    let header_min: Vec<f32> = natural.clone();
    for row in &table.rows {
        for (i, cell) in row.iter().enumerate().take(natural.len()) {
            let w = fonts.width_mm(&cell.text, table.size, 0.0) + pad;
            if w > natural[i] {
                natural[i] = w;
            }
        }
    }
    let total: f32 = natural.iter().sum();
    let flex_total: f32 = table
        .columns
        .iter()
        .zip(&natural)
        .filter(|(c, _)| c.flex)
        .map(|(_, w)| *w)
        .sum();
    if total <= avail {
        let spare = avail - total;
        let nflex = table.columns.iter().filter(|c| c.flex).count();
        return table
            .columns
            .iter()
            .zip(natural)
            .map(|(c, w)| {
                if nflex == 0 {
                    w + spare / table.columns.len().max(1) as f32
                } else if c.flex {
                    w + spare / nflex as f32
                } else {
                    w
                }
            })
            .collect();
    }
    // Too wide: shrink flex columns towards their minimum first.
    let excess = total - avail;
    let flex_min: f32 = table.columns.iter().filter(|c| c.flex).map(|c| c.min).sum();
    let flex_room = (flex_total - flex_min).max(0.0);
    if flex_room >= excess && flex_room > 0.0 {
        let k = excess / flex_room;
        return table
            .columns
            .iter()
            .zip(natural)
            .map(|(c, w)| if c.flex { w - (w - c.min) * k } else { w })
            .collect();
    }
    let shrunk: Vec<f32> = table
        .columns
        .iter()
        .zip(&natural)
        .map(|(c, w)| if c.flex { c.min } else { *w })
        .collect();
    // Still too wide: non-flex columns give back what their cells need beyond their header
    // (their text wraps), then everything shrinks in proportion.
    let t: f32 = shrunk.iter().sum();
    let room: f32 = shrunk
        .iter()
        .zip(&header_min)
        .zip(&table.columns)
        .map(|((w, h), c)| if c.flex { 0.0 } else { (w - h).max(0.0) })
        .sum();
    let excess = t - avail;
    if room >= excess && room > 0.0 {
        let k = excess / room;
        return shrunk
            .iter()
            .zip(&header_min)
            .zip(&table.columns)
            .map(|((w, h), c)| if c.flex { *w } else { w - (w - h).max(0.0) * k })
            .collect();
    }
    shrunk.into_iter().map(|w| w * avail / t).collect()
}

impl<'a> ReportBuilder<'a> {
    pub fn new(fonts: &'a Fonts, furniture: Furniture, orientation: Orientation) -> Self {
        ReportBuilder {
            fonts,
            furniture,
            orientation,
            pages: Vec::new(),
            outline: Vec::new(),
            cursor: None,
            page_note: None,
            sets: Vec::new(),
            draft_all: false,
            drafted: std::collections::BTreeSet::new(),
        }
    }

    /// Marks every page started from now on 未定稿 (results still pending).
    pub fn set_draft_all(&mut self, draft: bool) {
        self.draft_all = draft;
    }

    /// Marks the current page 未定稿 (once).
    fn mark_draft(&mut self) {
        let n = self.pages.len();
        if n == 0 || !self.drafted.insert(n - 1) {
            return;
        }
        let fonts = self.fonts;
        if let Some(page) = self.pages.last_mut() {
            let t = fit_in_box(
                fonts,
                DRAFT_MARK,
                (MARGIN, MARGIN - 9.0, 30.0, 8.0),
                Align::Left,
                Style::new(14.0).bold().color(Color::rgb(190, 30, 30)),
            );
            page.items.push(Item::Rect {
                x: MARGIN - 1.0,
                y: MARGIN - 9.0,
                w: t.width + 2.0,
                h: 8.0,
                stroke: Some((0.6, Color::rgb(190, 30, 30))),
                fill: None,
            });
            page.items.push(Item::Text(t));
        }
    }

    /// From the next page on, pages belong to a set numbered on its own, labelled `label`
    /// (e.g. a judge's id): each carries "label 第 i/n 页" at its top right. `None` ends it.
    pub fn begin_set(&mut self, label: Option<&str>) {
        self.cursor = None;
        self.sets
            .push((label.unwrap_or_default().to_string(), self.pages.len()));
    }

    /// A line at the bottom of every page started from now on (`None`: no more).
    pub fn set_page_note(&mut self, note: Option<String>) {
        self.page_note = note;
    }

    fn page_size(&self) -> (f32, f32) {
        self.orientation.a4()
    }

    /// The orientation of the pages started from now on.
    pub fn set_orientation(&mut self, orientation: Orientation) {
        self.orientation = orientation;
    }

    /// Starts a page with the competition title and the section's title; returns the y
    /// below them.
    fn start_page(&mut self, section: &Section, continued: bool) -> f32 {
        let (w, h) = self.page_size();
        let mut page = Page::new(self.orientation);
        let inner = w - 2.0 * MARGIN;
        if let Some(note) = &self.page_note {
            page.items.push(Item::Text(fit_in_box(
                self.fonts,
                note,
                (MARGIN, h - MARGIN - FOOTER_SPACE - 9.0, inner, 8.0),
                Align::Left,
                Style::new(11.0),
            )));
        }
        let title = fit_in_box(
            self.fonts,
            &self.furniture.title,
            (MARGIN, MARGIN - 2.0, inner, 8.0),
            Align::Center,
            Style::new(TITLE_SIZE).bold(),
        );
        page.items.push(Item::Text(title));
        let mut y = MARGIN + 7.0;
        let heading = if continued {
            format!("{}（续）", section.title)
        } else {
            section.title.clone()
        };
        page.items.push(Item::Text(fit_in_box(
            self.fonts,
            &heading,
            (MARGIN, y, inner, 7.0),
            Align::Center,
            Style::new(SECTION_SIZE),
        )));
        y += 8.0;
        for line in &section.info {
            // Long info lines wrap (never shrink below the floor).
            for (_, part) in wrap(self.fonts, line, INFO_SIZE, 0.0, inner, 0.0) {
                page.items.push(Item::Text(fit_in_box(
                    self.fonts,
                    &part,
                    (MARGIN, y, inner, 4.5),
                    Align::Left,
                    Style::new(INFO_SIZE).color(Color::GREY),
                )));
                y += 4.6;
            }
        }
        self.pages.push(page);
        if self.draft_all {
            self.mark_draft();
        }
        y + 1.5
    }

    fn bottom(&self) -> f32 {
        self.page_size().1
            - MARGIN
            - FOOTER_SPACE
            - if self.page_note.is_some() { 11.0 } else { 0.0 }
    }

    /// A header cell's lines and size in a column of width `w`: one line when it fits, else
    /// broken at a word boundary ([`header_lines`]), each line shrunk no further than
    /// [`MIN_TEXT_PT`] and wrapped when still too wide.
    fn header_cell(&self, title: &str, size: f32, w: f32) -> (f32, Vec<String>) {
        let inner = w - 1.6;
        if self.fonts.width_mm(title, size, 0.0) <= inner && !title.contains('\n') {
            return (size, vec![title.to_string()]);
        }
        let lines = header_lines(title);
        let widest = lines
            .iter()
            .map(|l| self.fonts.width_mm(l, size, 0.0))
            .fold(0.0, f32::max);
        if widest <= inner {
            return (size, lines);
        }
        let shrunk = (size * inner / widest * 0.999).max(MIN_TEXT_PT);
        let mut out = Vec::new();
        for l in lines {
            if self.fonts.width_mm(&l, shrunk, 0.0) <= inner + 0.01 {
                out.push(l);
            } else {
                out.extend(cell_lines(self.fonts, &l, shrunk, inner).1);
            }
        }
        (shrunk, out)
    }

    /// Header row at `y`; returns its height.
    fn header_row(&mut self, table: &Table, widths: &[f32], y: f32) -> f32 {
        let size = table.size;
        let cells: Vec<(f32, Vec<String>)> = table
            .columns
            .iter()
            .zip(widths)
            .map(|(c, w)| self.header_cell(&c.title, size, *w))
            .collect();
        let h = cells
            .iter()
            .map(|(s, l)| l.len() as f32 * table_line_height(*s) + 2.0)
            .fold(table.row_height, f32::max);
        let total: f32 = widths.iter().sum();
        let fonts = self.fonts;
        let Some(page) = self.pages.last_mut() else {
            return h;
        };
        page.items.push(Item::Rect {
            x: MARGIN,
            y,
            w: total,
            h,
            stroke: None,
            fill: Some(Color::rgb(228, 228, 228)),
        });
        let mut x = MARGIN;
        for (w, (size, lines)) in widths.iter().zip(cells) {
            let line_h = table_line_height(size);
            let top = y + (h - lines.len() as f32 * line_h) / 2.0;
            for (i, line) in lines.iter().enumerate() {
                let baseline = top + (i as f32 + 0.5) * line_h + MIDDLE_TO_BASELINE * size;
                page.items.push(Item::Text(place(
                    fonts,
                    line,
                    x + 0.8,
                    w - 1.6,
                    baseline,
                    Align::Center,
                    Style::new(size).bold(),
                )));
            }
            x += w;
        }
        h
    }

    /// Grid lines for the rows drawn on the current page from `top` to `bottom`.
    fn grid(&mut self, widths: &[f32], row_lines: &[f32]) {
        let Some(page) = self.pages.last_mut() else {
            return;
        };
        let (Some(&top), Some(&bottom)) = (row_lines.first(), row_lines.last()) else {
            return;
        };
        let total: f32 = widths.iter().sum();
        for (i, y) in row_lines.iter().enumerate() {
            let outer = i == 0 || i + 1 == row_lines.len();
            page.line(
                MARGIN,
                *y,
                MARGIN + total,
                *y,
                if outer { 0.8 } else { 0.3 },
                if outer { Color::BLACK } else { Color::GREY },
            );
        }
        let mut x = MARGIN;
        page.line(x, top, x, bottom, 0.8, Color::BLACK);
        for (i, w) in widths.iter().enumerate() {
            x += w;
            let outer = i + 1 == widths.len();
            page.line(
                x,
                top,
                x,
                bottom,
                if outer { 0.8 } else { 0.3 },
                if outer { Color::BLACK } else { Color::GREY },
            );
        }
    }

    /// Adds a section: a new page, the table (continued on further pages with the header
    /// repeated), then the lines after it.
    pub fn section(&mut self, section: &Section) {
        self.section_at(section, false);
    }

    /// Adds a section that runs on below the previous one when the page has room for its
    /// heading, the table's header and a few rows (a list of four names does not take a page).
    pub fn section_run_on(&mut self, section: &Section) {
        self.section_at(section, true);
    }

    /// The section's heading and info lines at `y` on the current page; returns the y below.
    fn heading_here(&mut self, section: &Section, y: f32) -> f32 {
        let (w, _) = self.page_size();
        let inner = w - 2.0 * MARGIN;
        let fonts = self.fonts;
        let Some(page) = self.pages.last_mut() else {
            return y;
        };
        let mut y = y + 4.0;
        page.items.push(Item::Text(fit_in_box(
            fonts,
            &section.title,
            (MARGIN, y, inner, 7.0),
            Align::Center,
            Style::new(SECTION_SIZE),
        )));
        y += 8.0;
        for line in &section.info {
            for (_, part) in wrap(fonts, line, INFO_SIZE, 0.0, inner, 0.0) {
                page.items.push(Item::Text(fit_in_box(
                    fonts,
                    &part,
                    (MARGIN, y, inner, 4.5),
                    Align::Left,
                    Style::new(INFO_SIZE).color(Color::GREY),
                )));
                y += 4.6;
            }
        }
        y + 1.5
    }

    /// Paragraphs of running text (a notice's preamble) at the top of a new page, under a
    /// heading; sections may run on below it.
    pub fn text_page(&mut self, heading: &str, paragraphs: &[String], size: f32) {
        let section = Section {
            title: heading.to_string(),
            ..Section::default()
        };
        let mut y = self.start_page(&section, false) + 2.0;
        let (w, _) = self.page_size();
        let inner = w - 2.0 * MARGIN;
        let fonts = self.fonts;
        let line_h = size * MM_PER_PT * 1.7;
        if let Some(page) = self.pages.last_mut() {
            for p in paragraphs {
                for (offset, line) in wrap(fonts, p, size, 0.0, inner, 2.0) {
                    let baseline = y + line_h / 2.0 + MIDDLE_TO_BASELINE * size;
                    page.items.push(Item::Text(place(
                        fonts,
                        &line,
                        MARGIN + offset,
                        inner - offset,
                        baseline,
                        Align::Left,
                        Style::new(size),
                    )));
                    y += line_h;
                }
            }
        }
        self.cursor = Some(y);
    }

    /// Lines set to the right below what came last (a notice's 落款 and date); on a new page
    /// when there is no room.
    pub fn closing(&mut self, lines: &[String], size: f32) {
        let needed = 8.0 + lines.len() as f32 * 9.0;
        let y0 = match self.cursor {
            Some(y) if y + needed <= self.bottom() => y + 8.0,
            _ => {
                let section = Section::default();
                self.start_page(&section, false)
            }
        };
        let (w, _) = self.page_size();
        let fonts = self.fonts;
        if let Some(page) = self.pages.last_mut() {
            for (i, line) in lines.iter().enumerate() {
                page.items.push(Item::Text(fit_in_box(
                    fonts,
                    line,
                    (w / 2.0, y0 + i as f32 * 9.0, w / 2.0 - MARGIN - 10.0, 8.0),
                    Align::Center,
                    Style::new(size),
                )));
            }
        }
        self.cursor = Some(y0 + needed);
    }

    fn section_at(&mut self, section: &Section, run_on: bool) {
        let (w, _) = self.page_size();
        let avail = w - 2.0 * MARGIN;
        let table = &section.table;
        let widths = column_widths(self.fonts, table, avail);
        let room_needed = 14.0 + section.info.len() as f32 * 4.6 + 3.0 * table.row_height + 10.0;
        let mut y = match self.cursor {
            Some(c) if run_on && c + room_needed <= self.bottom() => self.heading_here(section, c),
            _ => self.start_page(section, false),
        };
        if let Some(b) = &section.bookmark {
            self.outline.push((b.clone(), self.pages.len() - 1));
        }
        let bottom = self.bottom();
        let mut lines = vec![y];
        y += self.header_row(table, &widths, y);
        lines.push(y);
        for (r, row) in table.rows.iter().enumerate() {
            let cells = self.row_cells(table, &widths, row);
            let h = row_height(table, &cells);
            if y + h > bottom {
                self.grid(&widths, &lines);
                y = self.start_page(section, true);
                lines = vec![y];
                y += self.header_row(table, &widths, y);
                lines.push(y);
            }
            if row.iter().any(|c| c.draft) {
                self.mark_draft();
            }
            self.row(table, &widths, row, &cells, y, h, r % 2 == 1);
            y += h;
            lines.push(y);
        }
        self.grid(&widths, &lines);
        if !section.after.is_empty() {
            y += 4.0;
            let needed = section.after.len() as f32 * 9.0;
            if y + needed > bottom {
                y = self.start_page(section, true);
            }
            let fonts = self.fonts;
            if let Some(page) = self.pages.last_mut() {
                for line in &section.after {
                    page.items.push(Item::Text(fit_in_box(
                        fonts,
                        line,
                        (MARGIN, y, avail, 8.0),
                        Align::Left,
                        Style::new(11.0),
                    )));
                    y += 9.0;
                }
            }
        }
        self.cursor = Some(y);
    }

    /// Each cell of a row laid out in its column: (size, lines).
    fn row_cells(&self, table: &Table, widths: &[f32], row: &[Cell]) -> Vec<(f32, Vec<String>)> {
        widths
            .iter()
            .zip(row)
            .map(|(w, cell)| {
                if cell.text.is_empty() {
                    (table.size, Vec::new())
                } else {
                    cell_lines(self.fonts, &cell.text, table.size, w - 2.4)
                }
            })
            .collect()
    }

    #[allow(clippy::too_many_arguments)]
    fn row(
        &mut self,
        table: &Table,
        widths: &[f32],
        row: &[Cell],
        cells: &[(f32, Vec<String>)],
        y: f32,
        h: f32,
        stripe: bool,
    ) {
        let fonts = self.fonts;
        let Some(page) = self.pages.last_mut() else {
            return;
        };
        if stripe {
            page.items.push(Item::Rect {
                x: MARGIN,
                y,
                w: widths.iter().sum(),
                h,
                stroke: None,
                fill: Some(Color::STRIPE),
            });
        }
        let mut x = MARGIN;
        for (((col, w), cell), (size, lines)) in
            table.columns.iter().zip(widths).zip(row).zip(cells)
        {
            let mut style = Style::new(*size);
            if cell.muted {
                style = style.color(Color::GREY);
            }
            if cell.strong {
                style = style.bold();
            }
            let line_h = table_line_height(*size);
            let top = y + (h - lines.len() as f32 * line_h) / 2.0;
            for (i, line) in lines.iter().enumerate() {
                let baseline = top + (i as f32 + 0.5) * line_h + MIDDLE_TO_BASELINE * size;
                page.items.push(Item::Text(place(
                    fonts,
                    line,
                    x + 1.2,
                    w - 2.4,
                    baseline,
                    col.align,
                    style,
                )));
            }
            x += w;
        }
    }

    /// Adds a page made by `draw` (given the page and the y below the section heading).
    pub fn custom(&mut self, section: &Section, draw: impl FnOnce(&mut Page, f32, &Fonts)) {
        self.cursor = None;
        let y = self.start_page(section, false);
        if let Some(b) = &section.bookmark {
            self.outline.push((b.clone(), self.pages.len() - 1));
        }
        let fonts = self.fonts;
        if let Some(page) = self.pages.last_mut() {
            draw(page, y, fonts);
        }
    }

    /// Number of pages so far.
    pub fn page_count(&self) -> usize {
        self.pages.len()
    }

    /// The pages with footers (page x / y, time, audit head) and the outline.
    pub fn finish(self) -> (Vec<Page>, Vec<(String, usize)>) {
        let mut pages = self.pages;
        stamp_footers(self.fonts, &self.furniture, &mut pages);
        for (k, (label, start)) in self.sets.iter().enumerate() {
            if label.is_empty() {
                continue;
            }
            let end = self
                .sets
                .get(k + 1)
                .map_or(pages.len(), |s| s.1)
                .min(pages.len());
            let n = end.saturating_sub(*start);
            for (i, page) in pages.iter_mut().enumerate().take(end).skip(*start) {
                let w = page.width;
                page.items.push(Item::Text(fit_in_box(
                    self.fonts,
                    &format!("{label} 第 {}/{n} 页", i - start + 1),
                    (w / 2.0, MARGIN - 8.0, w / 2.0 - MARGIN, 5.0),
                    Align::Right,
                    Style::new(9.0).bold(),
                )));
            }
        }
        (pages, self.outline)
    }
}

/// Writes the footer on every page: generation time, page x / y, audit-chain head.
pub fn stamp_footers(fonts: &Fonts, furniture: &Furniture, pages: &mut [Page]) {
    let n = pages.len();
    for (i, page) in pages.iter_mut().enumerate() {
        let y = page.height - MARGIN - 5.0;
        let inner = page.width - 2.0 * MARGIN;
        page.line(
            MARGIN,
            y - 0.5,
            page.width - MARGIN,
            y - 0.5,
            0.3,
            Color::LIGHT,
        );
        let style = Style::new(FOOTER_SIZE).color(Color::GREY);
        let third = inner / 3.0;
        page.items.push(Item::Text(fit_in_box(
            fonts,
            &format!("生成时间 {}（北京时间）", furniture.generated),
            (MARGIN, y, third, 5.0),
            Align::Left,
            style,
        )));
        page.items.push(Item::Text(fit_in_box(
            fonts,
            &format!("第 {} 页 / 共 {} 页", i + 1, n),
            (MARGIN + third, y, third, 5.0),
            Align::Center,
            style,
        )));
        page.items.push(Item::Text(fit_in_box(
            fonts,
            &format!("审计链 {}", furniture.audit_short()),
            (MARGIN + 2.0 * third, y, third, 5.0),
            Align::Right,
            style,
        )));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fonts() -> Fonts {
        Fonts::bundled().expect("font")
    }

    #[test]
    fn headers_break_between_words_not_inside_them() {
        assert_eq!(header_lines("业务能力测试"), vec!["业务能力", "测试"]);
        assert_eq!(header_lines("方法与策略"), vec!["方法与", "策略"]);
        assert_eq!(header_lines("教学目标(10)"), vec!["教学目标", "(10)"]);
        assert_eq!(
            header_lines("方法与策略(20)"),
            vec!["方法与", "策略", "(20)"]
        );
        assert_eq!(
            header_lines("去掉最高最低\n后平均分"),
            vec!["去掉最高最低", "后平均分"]
        );
    }

    #[test]
    fn cells_wrap_before_they_shrink_and_never_below_the_floor() {
        let f = fonts();
        let unit = "吕梁市离石区教育科技局直属第一实验小学附属幼儿园分园";
        // Twelve characters of 9 pt per line: two or three lines at 9 pt.
        let (size, lines) = cell_lines(&f, unit, 9.0, 12.0 * 9.0 * MM_PER_PT);
        assert_eq!(size, 9.0);
        assert_eq!(lines.len(), 3);
        assert_eq!(lines.concat(), unit);
        // Far too narrow: the floor holds, more lines instead.
        let (size, lines) = cell_lines(&f, unit, 9.0, 4.0 * 7.0 * MM_PER_PT);
        assert_eq!(size, MIN_TEXT_PT);
        assert!(lines.len() > 3);
        assert_eq!(lines.concat(), unit);
        // A name breaks after its middle dot.
        let (_, lines) = cell_lines(&f, "阿依古丽·买买提·艾力", 9.0, 8.0 * 9.0 * MM_PER_PT);
        assert_eq!(lines, vec!["阿依古丽·", "买买提·艾力"]);
    }

    #[test]
    fn wraps_chinese_and_keeps_punctuation_off_line_starts() {
        let f = fonts();
        let text = "在吕梁市第二届中小学教师教学技能大赛中，荣获小学语文组课堂教学一等奖。";
        // 10 characters of 10 pt per line.
        let lines = wrap(&f, text, 10.0, 0.0, 10.0 * 10.0 * MM_PER_PT, 0.0);
        assert!(lines.len() >= 3);
        for (_, l) in &lines {
            assert!(!l.starts_with(['，', '。']), "{l}");
            assert!(
                f.width_mm(l, 10.0, 0.0) <= 10.0 * 10.0 * MM_PER_PT + 0.6,
                "{l}"
            );
        }
        let joined: String = lines.into_iter().map(|(_, l)| l).collect();
        assert_eq!(joined, text);
    }

    #[test]
    fn latin_words_stay_whole() {
        let u = units("编号2025-E05-0001号");
        assert!(u.contains(&"2025-E05-0001".to_string()), "{u:?}");
    }

    #[test]
    fn fit_in_box_shrinks_long_text() {
        let f = fonts();
        let t = fit_in_box(
            &f,
            "一二三四五六七八九十",
            (0.0, 0.0, 20.0, 10.0),
            Align::Center,
            Style::new(20.0),
        );
        assert!(t.width <= 20.0 + 1e-3 && t.size < 20.0 && t.x >= -1e-3);
    }

    #[test]
    fn widths_fill_the_page() {
        let f = fonts();
        let table = Table {
            columns: vec![
                Column::new("序号", Align::Right),
                Column::new("单位", Align::Left).flex(),
            ],
            rows: vec![vec!["1".into(), "吕梁市第一中学".into()]],
            size: 9.0,
            row_height: 6.5,
        };
        let w = column_widths(&f, &table, 200.0);
        assert!((w.iter().sum::<f32>() - 200.0).abs() < 0.01);
        assert!(w[1] > w[0]);
    }
}
