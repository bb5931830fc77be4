//! The certificate template (TOML): wording with fields, fonts, positions in mm, background
//! and seal, the pre-printed stock layout; parsing and checking it.

use serde::{Deserialize, Serialize};

use super::super::ReportError;
use super::super::font::Family;
use super::super::layout::{Align, Color, Orientation};

/// The built-in template.
pub const DEFAULT_TEMPLATE: &str = include_str!("../../../assets/certificate.toml");

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
    /// Pre-printed stock in portrait; a template without it gets the built-in one.
    #[serde(default = "builtin_stock_portrait")]
    pub stock_portrait: Stock,
}

fn builtin_stock_portrait() -> Stock {
    Template::builtin().stock_portrait
}

pub(super) fn landscape() -> String {
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
    /// Typeface (字体): `kai` (楷体), `serif` (宋体) or `sans` (黑体, also when empty).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub font: String,
}

impl Block {
    /// The block's typeface family (sans when the name is unknown; [`Template::parse`] refuses
    /// those).
    pub fn family(&self) -> Family {
        Family::parse(&self.font).unwrap_or_default()
    }
}

pub(super) fn left() -> String {
    "left".into()
}

pub(super) fn line_height() -> f32 {
    1.6
}

pub(super) fn parse_align(s: &str) -> Option<Align> {
    match s {
        "left" | "" => Some(Align::Left),
        "center" | "centre" => Some(Align::Center),
        "right" => Some(Align::Right),
        _ => None,
    }
}

/// The `{…}` fields used in `text`.
pub(super) fn fields_in(text: &str) -> Vec<&str> {
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
            stock_portrait: Stock {
                orientation: "portrait".into(),
                offset_x: 0.0,
                offset_y: 0.0,
                blocks: Vec::new(),
            },
        })
    }

    /// The pre-printed stock layout for an orientation.
    pub fn stock_for(&self, o: Orientation) -> &Stock {
        match o {
            Orientation::Landscape => &self.stock,
            Orientation::Portrait => &self.stock_portrait,
        }
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
            ("stock_portrait", &self.stock_portrait.blocks, None),
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
                if Family::parse(&b.font).is_none() {
                    return err(format!(
                        "{at}：font = \"{}\" 只能是 kai（楷体）、serif（宋体）或 sans（黑体） (font must be kai, serif or sans)",
                        b.font
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

/// Sets the background or seal image of the current layout in a template's TOML.
/// (Re-serialising drops the template's comments; the built-in one is documented in the README.)
pub fn set_image(
    toml_text: &str,
    key: &str,
    path: &std::path::Path,
    portrait: bool,
) -> Result<String, String> {
    let mut doc: toml::Table = toml::from_str(toml_text).map_err(|e| e.to_string())?;
    let layout = if portrait { "portrait" } else { "landscape" };
    let table = doc
        .entry(layout)
        .or_insert_with(|| toml::Value::Table(toml::Table::new()))
        .as_table_mut()
        .ok_or_else(|| format!("[{layout}] is not a table"))?;
    let p = path.display().to_string();
    if key == "seal" {
        let mut seal = toml::Table::new();
        let (x, y) = if portrait { (130, 215) } else { (194, 130) };
        seal.insert("path".into(), toml::Value::String(p));
        seal.insert("x".into(), toml::Value::Integer(x));
        seal.insert("y".into(), toml::Value::Integer(y));
        seal.insert("width".into(), toml::Value::Integer(42));
        seal.insert("height".into(), toml::Value::Integer(42));
        table.insert("seal".into(), toml::Value::Table(seal));
    } else {
        table.insert("background".into(), toml::Value::String(p));
        table.insert("border".into(), toml::Value::String(String::new()));
    }
    toml::to_string_pretty(&doc).map_err(|e| e.to_string())
}

#[cfg(test)]
mod image_tests {
    use super::*;
    use std::path::Path;

    #[test]
    fn a_seal_and_a_background_are_set_in_the_chosen_layout() {
        let text =
            set_image(DEFAULT_TEMPLATE, "seal", Path::new("/印章.png"), false).expect("seal");
        let text = set_image(&text, "background", Path::new("/底图.png"), true).expect("bg");
        let doc: toml::Table = toml::from_str(&text).expect("toml");
        let landscape = doc["landscape"].as_table().expect("landscape");
        assert_eq!(landscape["seal"]["path"].as_str(), Some("/印章.png"));
        let portrait = doc["portrait"].as_table().expect("portrait");
        assert_eq!(portrait["background"].as_str(), Some("/底图.png"));
        assert!(Template::parse(&text).is_ok(), "still a valid template");
    }
}
