//! One page's content stream: the laid-out items (mm from the top-left) as PDF operators
//! (points from the bottom-left). Consecutive texts share one text object, and colour,
//! stroke, spacing and font are set only when they change.

use super::super::font::{Fonts, MM_PER_PT};
use super::super::layout::{Color, Item, Page, Text};
use super::fonts::Embedding;
use super::objects::{push_real, real};

fn pt(mm: f32) -> String {
    real(mm / MM_PER_PT)
}

fn rgb(c: Color) -> String {
    format!(
        "{} {} {}",
        real(f32::from(c.r) / 255.0),
        real(f32::from(c.g) / 255.0),
        real(f32::from(c.b) / 255.0)
    )
}

/// What the page's open text object (BT … ET) has set. `None`: not set yet on this page.
#[derive(Default)]
struct TextState {
    open: bool,
    fill: Option<Color>,
    /// `Some(None)`: plain fill; `Some(Some(colour, width))`: emboldened with a stroke.
    stroke: Option<Option<(Color, f32)>>,
    spacing: Option<f32>,
    font: Option<(usize, f32)>,
}

/// The content stream of `page` (uncompressed). `images[i]` is the resource name of
/// `Document::images[i]`.
pub fn page_content(page: &Page, fonts: &Fonts, embedding: &Embedding) -> Vec<u8> {
    let mut s = String::with_capacity(page.items.len() * 48);
    let h = page.height;
    let mut state = TextState::default();
    for item in &page.items {
        if !matches!(item, Item::Text(_)) && state.open {
            s.push_str("ET\n");
            state.open = false;
        }
        match item {
            Item::Text(t) => text(t, h, fonts, embedding, &mut state, &mut s),
            Item::Line {
                x1,
                y1,
                x2,
                y2,
                width,
                color,
                dashed,
            } => {
                s.push_str(&format!("q {} RG {} w ", rgb(*color), real(*width)));
                if *dashed {
                    s.push_str("[3 2] 0 d ");
                }
                s.push_str(&format!(
                    "{} {} m {} {} l S Q\n",
                    pt(*x1),
                    pt(h - y1),
                    pt(*x2),
                    pt(h - y2)
                ));
            }
            Item::Rect {
                x,
                y,
                w,
                h: rh,
                stroke,
                fill,
            } => {
                let op = match (stroke, fill) {
                    (Some(_), Some(_)) => "B",
                    (Some(_), None) => "S",
                    (None, Some(_)) => "f",
                    (None, None) => continue,
                };
                s.push_str("q ");
                if let Some(f) = fill {
                    s.push_str(&format!("{} rg ", rgb(*f)));
                }
                if let Some((width, c)) = stroke {
                    s.push_str(&format!("{} RG {} w ", rgb(*c), real(*width)));
                }
                s.push_str(&format!(
                    "{} {} {} {} re {op} Q\n",
                    pt(*x),
                    pt(h - y - rh),
                    pt(*w),
                    pt(*rh)
                ));
            }
            Item::Image {
                image,
                x,
                y,
                w,
                h: ih,
            } => {
                s.push_str(&format!(
                    "q {} 0 0 {} {} {} cm /Im{image} Do Q\n",
                    pt(*w),
                    pt(*ih),
                    pt(*x),
                    pt(h - y - ih)
                ));
            }
        }
    }
    if state.open {
        s.push_str("ET\n");
    }
    s.into_bytes()
}

/// One text: an absolute position, then one run per face; characters no face has are left
/// out.
fn text(
    t: &Text,
    page_h: f32,
    fonts: &Fonts,
    embedding: &Embedding,
    state: &mut TextState,
    s: &mut String,
) {
    let mut runs: Vec<(usize, String)> = Vec::new();
    fonts.for_each_glyph(t.family, &t.text, |_, glyph| {
        let Some((font, code)) = glyph.and_then(|(face, gid)| embedding.code(face, gid)) else {
            return;
        };
        let run = match runs.last_mut() {
            Some((f, h)) if *f == font => h,
            _ => {
                runs.push((font, String::with_capacity(4 * t.text.len())));
                &mut runs.last_mut().expect("just pushed").1
            }
        };
        for shift in [12, 8, 4, 0] {
            run.push(char::from(
                b"0123456789ABCDEF"[usize::from((code >> shift) & 15)],
            ));
        }
    });
    if runs.is_empty() {
        return;
    }
    if !state.open {
        s.push_str("BT\n");
        state.open = true;
    }
    if state.fill != Some(t.color) {
        s.push_str(&format!("{} rg\n", rgb(t.color)));
        state.fill = Some(t.color);
    }
    let stroke = t.bold.then_some((t.color, t.size * 0.035));
    if state.stroke != Some(stroke) {
        match stroke {
            Some((c, width)) => s.push_str(&format!("{} RG {} w 2 Tr\n", rgb(c), real(width))),
            None => s.push_str("0 Tr\n"),
        }
        state.stroke = Some(stroke);
    }
    let spacing = t.spacing * t.size;
    if state.spacing != Some(spacing) {
        s.push_str(&format!("{} Tc\n", real(spacing)));
        state.spacing = Some(spacing);
    }
    s.push_str("1 0 0 1 ");
    push_real(s, t.x / MM_PER_PT);
    s.push(' ');
    push_real(s, (page_h - t.baseline) / MM_PER_PT);
    s.push_str(" Tm\n");
    for (font, hex) in runs {
        if state.font != Some((font, t.size)) {
            s.push_str(&format!("/F{font} {} Tf\n", real(t.size)));
            state.font = Some((font, t.size));
        }
        s.push('<');
        s.push_str(&hex);
        s.push_str("> Tj\n");
    }
}
