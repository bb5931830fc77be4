//! The fonts a PDF embeds: which glyphs of which face the pages use (collected before any
//! page is written, so every page can be written as soon as it is made), each face subset
//! to those glyphs by printpdf, and the font objects around the subsets (Type 0 with
//! Identity-H, a ToUnicode map so copy and search give the exact characters, widths).

use std::collections::BTreeMap;
use std::io::{self, Write};

use printpdf::FontId;

use super::super::ReportError;
use super::super::font::{Face, Fonts};
use super::super::layout::Document;
use super::objects::{Id, Obj, PdfWriter, deflate};

/// One embedded face.
struct Embedded {
    /// Index into `Fonts::faces`.
    face: usize,
    /// Original glyph → the code written in content streams (`u32::MAX`: not used).
    codes: Vec<u32>,
    /// (code, width in 1/1000 em, the character) in code order.
    glyphs: Vec<(u16, i64, String)>,
    program: Vec<u8>,
}

/// The faces a document uses, subset.
pub struct Embedding {
    fonts: Vec<Embedded>,
    /// `Fonts` face index → index into `fonts` (the `/F{n}` resource).
    by_face: Vec<Option<usize>>,
}

impl Embedding {
    /// Collects the glyphs `doc` draws and subsets each face to them.
    pub fn plan(doc: &Document, fonts: &Fonts) -> Result<Embedding, ReportError> {
        // Per face, per glyph: the first character drawn with it.
        let mut used: Vec<Vec<Option<char>>> = fonts
            .faces()
            .iter()
            .map(|f| vec![None; usize::from(f.font.num_glyphs.max(1))])
            .collect();
        for page in &doc.pages {
            for t in page.texts() {
                fonts.for_each_glyph(t.family, &t.text, |c, glyph| {
                    if let Some((face, gid)) = glyph
                        && let Some(slot) = used[face].get_mut(usize::from(gid))
                        && slot.is_none()
                    {
                        *slot = Some(c);
                    }
                });
            }
        }
        let mut out = Embedding {
            fonts: Vec::new(),
            by_face: vec![None; fonts.faces().len()],
        };
        for (face, glyphs) in used.into_iter().enumerate() {
            let glyphs: BTreeMap<u16, String> = glyphs
                .into_iter()
                .enumerate()
                .filter_map(|(gid, c)| Some((u16::try_from(gid).ok()?, c?.to_string())))
                .collect();
            if glyphs.is_empty() {
                continue;
            }
            let font = &fonts.faces()[face].font;
            let subset = printpdf::subset_font(font, &glyphs).map_err(|e| {
                ReportError::Font(format!(
                    "字体 {} 无法嵌入 (the font cannot be subset): {e}",
                    fonts.faces()[face].source
                ))
            })?;
            // The code for each glyph: the subset glyph for TrueType outlines, the charset's
            // CID for CID-keyed CFF (which the subset keeps from the original).
            let cids = printpdf::cff_charset_gid_to_cid_map(&subset.bytes, 0);
            let upm = f32::from(font.pdf_font_metrics.units_per_em.max(1));
            let mut codes = vec![u32::MAX; usize::from(font.num_glyphs.max(1))];
            let mut list = Vec::new();
            for (orig, (new, ch)) in &subset.glyph_mapping {
                let code = cids
                    .as_ref()
                    .and_then(|m| m.get(new).copied())
                    .unwrap_or(*new);
                if let Some(slot) = codes.get_mut(usize::from(*orig)) {
                    *slot = u32::from(code);
                }
                let width = f32::from(font.get_horizontal_advance(*orig)) * 1000.0 / upm;
                list.push((code, width.round() as i64, ch.clone()));
            }
            list.sort_by_key(|g| g.0);
            out.by_face[face] = Some(out.fonts.len());
            out.fonts.push(Embedded {
                face,
                codes,
                glyphs: list,
                program: subset.bytes,
            });
        }
        Ok(out)
    }

    /// The font resource (`/F{n}`) and code that draw `gid` of face `face`.
    pub fn code(&self, face: usize, gid: u16) -> Option<(usize, u16)> {
        let at = (*self.by_face.get(face)?)?;
        let code = *self.fonts[at].codes.get(usize::from(gid))?;
        u16::try_from(code).ok().map(|c| (at, c))
    }

    /// How many fonts are embedded (`/F0` … `/F{n-1}`).
    pub fn len(&self) -> usize {
        self.fonts.len()
    }

    /// Writes every font under the numbers in `ids` (one per font, in order).
    pub fn write<W: Write>(
        &self,
        w: &mut PdfWriter<W>,
        fonts: &Fonts,
        ids: &[Id],
    ) -> io::Result<()> {
        for (n, (e, id)) in self.fonts.iter().zip(ids).enumerate() {
            write_font(w, &fonts.faces()[e.face], e, n, *id)?;
        }
        Ok(())
    }
}

/// A six-letter subset tag (ISO 32000-1, 9.6.4), different for each font of the file.
fn subset_tag(n: usize, e: &Embedded) -> String {
    let mut h: u64 = 1469598103934665603 ^ n as u64;
    for (code, _, _) in &e.glyphs {
        h = (h ^ u64::from(*code)).wrapping_mul(1099511628211);
    }
    (0..6)
        .map(|i| char::from(b'A' + ((h >> (i * 5)) % 26) as u8))
        .collect()
}

fn write_font<W: Write>(
    w: &mut PdfWriter<W>,
    face: &Face,
    e: &Embedded,
    n: usize,
    id: Id,
) -> io::Result<()> {
    let font = &face.font;
    let ps_name = font
        .font_name
        .clone()
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| format!("ScoreDeskFont{n}"))
        .replace(' ', "");
    let name = format!("{}+{ps_name}", subset_tag(n, e));

    // The font program, as printpdf embeds it: a CID-keyed CFF as its bare table, a
    // name-keyed CFF as the whole OpenType file, TrueType outlines as FontFile2.
    let (subtype, file_key, kind, program) =
        if let Some(cff) = printpdf::extract_cid_keyed_cff(&e.program, 0) {
            let kind = ("Subtype", Obj::name("CIDFontType0C"));
            ("CIDFontType0", "FontFile3", kind, cff)
        } else if e.program.starts_with(b"OTTO") {
            let kind = ("Subtype", Obj::name("OpenType"));
            ("CIDFontType0", "FontFile3", kind, e.program.clone())
        } else {
            let kind = ("Length1", Obj::Int(e.program.len() as i64));
            ("CIDFontType2", "FontFile2", kind, e.program.clone())
        };
    let file = w.stream_new(
        vec![kind, ("Filter", Obj::name("FlateDecode"))],
        &deflate(&program),
    )?;

    let m = &font.pdf_font_metrics;
    let scale = 1000.0 / f32::from(m.units_per_em.max(1));
    let s = |v: f32| Obj::Int((v * scale).round() as i64);
    let ascent = font.font_metrics.ascent;
    let descent = font.font_metrics.descent;
    // The font's own cap height (OS/2); about 0.7 em when it does not say.
    let cap = face
        .cap_height
        .map_or(0.7 * f32::from(m.units_per_em), f32::from);
    // No table carries the stem width: estimated from the weight class as PDF producers do
    // (about 88 at 400, 166 at 700 — the 宋体 title face is bold).
    let stem_v = if m.us_weight_class == 0 {
        80
    } else {
        50 + (f32::from(m.us_weight_class) / 65.0).powi(2).round() as i64
    };
    let descriptor = w.put_new(&Obj::dict(vec![
        ("Type", Obj::name("FontDescriptor")),
        ("FontName", Obj::name(name.clone())),
        ("Flags", Obj::Int(4)),
        (
            "FontBBox",
            Obj::Array(vec![
                s(f32::from(m.x_min)),
                s(f32::from(m.y_min)),
                s(f32::from(m.x_max)),
                s(f32::from(m.y_max)),
            ]),
        ),
        ("ItalicAngle", Obj::Int(0)),
        ("Ascent", s(ascent)),
        ("Descent", s(descent)),
        ("CapHeight", s(cap)),
        ("StemV", Obj::Int(stem_v)),
        (file_key, Obj::Ref(file)),
    ]))?;

    // Widths: runs of consecutive codes share one array.
    let mut widths = Vec::new();
    let mut i = 0;
    while i < e.glyphs.len() {
        let start = e.glyphs[i].0;
        let mut run = vec![Obj::Int(e.glyphs[i].1)];
        let mut j = i + 1;
        while j < e.glyphs.len() && e.glyphs[j].0 == e.glyphs[j - 1].0 + 1 {
            run.push(Obj::Int(e.glyphs[j].1));
            j += 1;
        }
        widths.push(Obj::Int(i64::from(start)));
        widths.push(Obj::Array(run));
        i = j;
    }
    let mut cid_font = vec![
        ("Type", Obj::name("Font")),
        ("Subtype", Obj::name(subtype)),
        ("BaseFont", Obj::name(name.clone())),
        (
            "CIDSystemInfo",
            Obj::dict(vec![
                ("Registry", Obj::ascii("Adobe")),
                ("Ordering", Obj::ascii("Identity")),
                ("Supplement", Obj::Int(0)),
            ]),
        ),
        ("FontDescriptor", Obj::Ref(descriptor)),
        ("DW", Obj::Int(1000)),
        ("W", Obj::Array(widths)),
    ];
    if subtype == "CIDFontType2" {
        cid_font.push(("CIDToGIDMap", Obj::name("Identity")));
    }
    let cid_font = w.put_new(&Obj::dict(cid_font))?;

    let pairs: Vec<(u16, String)> = e.glyphs.iter().map(|g| (g.0, g.2.clone())).collect();
    let cmap = printpdf::generate_cmap_string(font, &FontId(format!("F{n}")), &pairs);
    let to_unicode = w.stream_new(
        vec![("Filter", Obj::name("FlateDecode"))],
        &deflate(cmap.as_bytes()),
    )?;
    w.put_at(
        id,
        &Obj::dict(vec![
            ("Type", Obj::name("Font")),
            ("Subtype", Obj::name("Type0")),
            // ISO 32000-1 Table 121: a CIDFontType0 descendant's name with the encoding.
            (
                "BaseFont",
                Obj::name(if subtype == "CIDFontType0" {
                    format!("{name}-Identity-H")
                } else {
                    name
                }),
            ),
            ("Encoding", Obj::name("Identity-H")),
            ("DescendantFonts", Obj::Array(vec![Obj::Ref(cid_font)])),
            ("ToUnicode", Obj::Ref(to_unicode)),
        ]),
    )
}
