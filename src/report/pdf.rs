//! Laid-out pages → PDF bytes, with printpdf.
//!
//! Fonts are embedded as subsets (CID fonts, Identity-H, with a ToUnicode map, so copy and
//! search return the exact characters). Each text is its own text object positioned with an
//! absolute text matrix; a character no face has is left out. Images are embedded once and
//! reused on every page that shows them.

use std::collections::HashMap;

use printpdf::{
    Codepoint, Color as PdfColor, FontId, ImageCompression, ImageOptimizationOptions, Line,
    LinePoint, Mm, Op, PaintMode, PdfDocument, PdfFontHandle, PdfPage, PdfSaveOptions, Point, Pt,
    RawImage, Rect, Rgb, TextItem, TextMatrix, TextRenderingMode, WindingOrder, XObjectId,
    XObjectTransform,
};

use super::ReportError;
use super::font::{Fonts, MM_PER_PT};
use super::layout::{Color, Document, Item, Page, Text};

fn pt(mm: f32) -> Pt {
    Pt(mm / MM_PER_PT)
}

fn color(c: Color) -> PdfColor {
    PdfColor::Rgb(Rgb {
        r: f32::from(c.r) / 255.0,
        g: f32::from(c.g) / 255.0,
        b: f32::from(c.b) / 255.0,
        icc_profile: None,
    })
}

/// A decoded image and its pixel size.
struct Embedded {
    id: XObjectId,
    width: usize,
    height: usize,
}

/// Reads and decodes an image file (PNG or JPEG).
pub fn load_image(path: &std::path::Path) -> Result<RawImage, ReportError> {
    let bytes = std::fs::read(path).map_err(|e| {
        if e.kind() == std::io::ErrorKind::NotFound {
            ReportError::ImageMissing {
                path: path.to_path_buf(),
            }
        } else {
            ReportError::ImageBad {
                path: path.to_path_buf(),
                reason: e.to_string(),
            }
        }
    })?;
    RawImage::decode_from_bytes(&bytes, &mut Vec::new()).map_err(|reason| ReportError::ImageBad {
        path: path.to_path_buf(),
        reason,
    })
}

/// Writes `doc` as PDF bytes. `progress(done, total)` is called per page.
pub fn write(
    doc: &Document,
    fonts: &Fonts,
    progress: &dyn Fn(usize, usize),
) -> Result<Vec<u8>, ReportError> {
    write_owned(doc.clone(), fonts, progress)
}

/// [`write`], consuming the document: each laid-out page is released as soon as it has been
/// turned into PDF operations (a 15,000-page export never holds both forms of every page).
pub fn write_owned(
    mut doc: Document,
    fonts: &Fonts,
    progress: &dyn Fn(usize, usize),
) -> Result<Vec<u8>, ReportError> {
    let mut pdf = PdfDocument::new(&doc.title);
    pdf.metadata.info.creator = "ScoreDesk".into();
    pdf.metadata.info.producer = "ScoreDesk".into();
    // The real time of writing (printpdf leaves 1970-01-01 otherwise).
    if let Ok(now) = printpdf::date::OffsetDateTime::from_unix_timestamp(crate::clock::now_unix()) {
        pdf.metadata.info.creation_date = now;
        pdf.metadata.info.modification_date = now;
        pdf.metadata.info.metadata_date = now;
    }

    let mut images = Vec::with_capacity(doc.images.len());
    for path in &doc.images {
        let raw = load_image(path)?;
        let (width, height) = (raw.width, raw.height);
        images.push(Embedded {
            id: pdf.add_image(&raw),
            width,
            height,
        });
    }

    let mut font_ids: HashMap<usize, FontId> = HashMap::new();
    let total = doc.pages.len();
    let mut pages = Vec::with_capacity(total);
    for (i, page) in doc.pages.drain(..).enumerate() {
        let ops = page_ops(&page, fonts, &images, &mut |face| {
            font_ids
                .entry(face)
                .or_insert_with(|| pdf.add_font(&fonts.faces()[face].font))
                .clone()
        });
        pages.push(PdfPage::new(Mm(page.width), Mm(page.height), ops));
        if i % 16 == 0 {
            progress(i, total);
        }
    }
    pdf.with_pages(pages);
    for (name, page) in &doc.outline {
        pdf.add_bookmark(name, page + 1);
    }
    // Images: JPEG-compressed at high quality (greyscale losslessly), never downscaled —
    // certificate backgrounds are printed at full resolution.
    let opts = PdfSaveOptions {
        image_optimization: Some(ImageOptimizationOptions {
            quality: Some(0.92),
            max_image_size: None,
            dither_greyscale: None,
            convert_to_greyscale: Some(false),
            auto_optimize: Some(true),
            format: Some(ImageCompression::Auto),
        }),
        ..PdfSaveOptions::default()
    };
    let bytes = pdf.save(&opts, &mut Vec::new());
    progress(total, total);
    Ok(bytes)
}

fn page_ops(
    page: &Page,
    fonts: &Fonts,
    images: &[Embedded],
    font_id: &mut dyn FnMut(usize) -> FontId,
) -> Vec<Op> {
    let mut ops = Vec::with_capacity(page.items.len() * 4);
    let h = page.height;
    let mut state = TextState::default();
    for item in &page.items {
        if !matches!(item, Item::Text(_)) && state.open {
            ops.push(Op::EndTextSection);
            state.open = false;
        }
        match item {
            Item::Text(t) => text_ops(t, h, fonts, font_id, &mut state, &mut ops),
            Item::Line {
                x1,
                y1,
                x2,
                y2,
                width,
                color: c,
                dashed,
            } => {
                ops.push(Op::SaveGraphicsState);
                ops.push(Op::SetOutlineColor { col: color(*c) });
                ops.push(Op::SetOutlineThickness { pt: Pt(*width) });
                if *dashed {
                    ops.push(Op::SetLineDashPattern {
                        dash: printpdf::LineDashPattern::new(0.0, &[3.0, 2.0]),
                    });
                }
                ops.push(Op::DrawLine {
                    line: Line {
                        points: vec![
                            LinePoint {
                                p: Point {
                                    x: pt(*x1),
                                    y: pt(h - y1),
                                },
                                bezier: false,
                            },
                            LinePoint {
                                p: Point {
                                    x: pt(*x2),
                                    y: pt(h - y2),
                                },
                                bezier: false,
                            },
                        ],
                        is_closed: false,
                    },
                });
                ops.push(Op::RestoreGraphicsState);
            }
            Item::Rect {
                x,
                y,
                w,
                h: rh,
                stroke,
                fill,
            } => {
                let mode = match (stroke, fill) {
                    (Some(_), Some(_)) => PaintMode::FillStroke,
                    (Some(_), None) => PaintMode::Stroke,
                    (None, Some(_)) => PaintMode::Fill,
                    (None, None) => continue,
                };
                ops.push(Op::SaveGraphicsState);
                if let Some(f) = fill {
                    ops.push(Op::SetFillColor { col: color(*f) });
                }
                if let Some((width, c)) = stroke {
                    ops.push(Op::SetOutlineColor { col: color(*c) });
                    ops.push(Op::SetOutlineThickness { pt: Pt(*width) });
                }
                ops.push(Op::DrawRectangle {
                    rectangle: Rect {
                        x: pt(*x),
                        y: pt(h - y - rh),
                        width: pt(*w),
                        height: pt(*rh),
                        mode: Some(mode),
                        winding_order: Some(WindingOrder::NonZero),
                    },
                });
                ops.push(Op::RestoreGraphicsState);
            }
            Item::Image {
                image,
                x,
                y,
                w,
                h: ih,
            } => {
                let Some(img) = images.get(*image) else {
                    continue;
                };
                // At 72 dpi one pixel is one point; then scale to the box.
                let sx = pt(*w).0 / img.width.max(1) as f32;
                let sy = pt(*ih).0 / img.height.max(1) as f32;
                // Whatever the image's drawing leaves set, the next text sets its own state.
                state = TextState::default();
                ops.push(Op::UseXobject {
                    id: img.id.clone(),
                    transform: XObjectTransform {
                        translate_x: Some(pt(*x)),
                        translate_y: Some(pt(h - y - ih)),
                        rotate: None,
                        scale_x: Some(sx),
                        scale_y: Some(sy),
                        dpi: Some(72.0),
                        no_auto_scale: false,
                    },
                });
            }
        }
    }
    if state.open {
        ops.push(Op::EndTextSection);
    }
    ops
}

/// What the page's open text object (BT … ET) has set: consecutive texts share one text
/// object, and colour, stroke, spacing and font are set only when they change (a 15,000-page
/// export writes a third fewer operators). `None`: not set yet on this page.
#[derive(Default)]
struct TextState {
    open: bool,
    fill: Option<Color>,
    /// `Some(None)`: plain fill; `Some(Some(colour, width))`: emboldened with a stroke.
    stroke: Option<Option<(Color, f32)>>,
    spacing: Option<f32>,
    font: Option<(usize, f32)>,
}

/// One text: an absolute position, then one run per face, in the page's open text object.
fn text_ops(
    t: &Text,
    page_h: f32,
    fonts: &Fonts,
    font_id: &mut dyn FnMut(usize) -> FontId,
    state: &mut TextState,
    ops: &mut Vec<Op>,
) {
    // Split into runs drawn with the same face; characters no face has are left out. The
    // glyphs are the ones measured (printpdf need not look each character up again); each
    // carries its character for the ToUnicode map (copy and search).
    let mut runs: Vec<(usize, Vec<Codepoint>)> = Vec::new();
    for c in t.text.chars() {
        let Some((face, gid)) = fonts.glyph_in(t.family, c) else {
            continue;
        };
        let glyph = Codepoint::with_cid(gid, 0.0, c.to_string());
        match runs.last_mut() {
            Some((f, g)) if *f == face => g.push(glyph),
            _ => runs.push((face, vec![glyph])),
        }
    }
    if runs.is_empty() {
        return;
    }
    if !state.open {
        ops.push(Op::StartTextSection);
        state.open = true;
    }
    if state.fill != Some(t.color) {
        ops.push(Op::SetFillColor {
            col: color(t.color),
        });
        state.fill = Some(t.color);
    }
    let stroke = t.bold.then_some((t.color, t.size * 0.035));
    if state.stroke != Some(stroke) {
        match stroke {
            Some((c, width)) => {
                ops.push(Op::SetOutlineColor { col: color(c) });
                ops.push(Op::SetOutlineThickness { pt: Pt(width) });
                ops.push(Op::SetTextRenderingMode {
                    mode: TextRenderingMode::FillStroke,
                });
            }
            None => ops.push(Op::SetTextRenderingMode {
                mode: TextRenderingMode::Fill,
            }),
        }
        state.stroke = Some(stroke);
    }
    let spacing = t.spacing * t.size;
    if state.spacing != Some(spacing) {
        ops.push(Op::SetCharacterSpacing {
            multiplier: spacing,
        });
        state.spacing = Some(spacing);
    }
    ops.push(Op::SetTextMatrix {
        matrix: TextMatrix::Translate(pt(t.x), pt(page_h - t.baseline)),
    });
    for (face, glyphs) in runs {
        if state.font != Some((face, t.size)) {
            ops.push(Op::SetFont {
                font: PdfFontHandle::External(font_id(face)),
                size: Pt(t.size),
            });
            state.font = Some((face, t.size));
        }
        ops.push(Op::ShowText {
            items: vec![TextItem::GlyphIds(glyphs)],
        });
    }
}
