//! Laid-out pages → a PDF file, written page by page.
//!
//! The glyphs every page draws are collected first and each face is subset once (printpdf's
//! subsetter; CID fonts, Identity-H, with a ToUnicode map, so copy and search return the exact
//! characters); then each page's content is made, compressed and written, and the laid-out
//! page released — a 15,000-certificate export never holds the PDF in memory. Each text is
//! positioned absolutely; a character no face has is left out. Images are embedded once and
//! reused on every page that shows them.

mod content;
mod fonts;
mod images;
mod objects;

use std::io::{BufWriter, Write};
use std::path::Path;

use printpdf::RawImage;
use sha2::{Digest, Sha256};

use super::ReportError;
use super::font::{Fonts, MM_PER_PT};
use super::layout::Document;
use fonts::Embedding;
use objects::{Deflater, Id, Obj, PdfWriter};

/// Reads and decodes an image file (PNG or JPEG); returns the file's bytes too (a JPEG is
/// embedded as it is).
pub fn load_image(path: &Path) -> Result<(Vec<u8>, RawImage), ReportError> {
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
    let image = RawImage::decode_from_bytes(&bytes, &mut Vec::new()).map_err(|reason| {
        ReportError::ImageBad {
            path: path.to_path_buf(),
            reason,
        }
    })?;
    Ok((bytes, image))
}

/// Writes `doc` as PDF bytes (small documents: PIN slips, join cards). `progress(done,
/// total)` is called per page.
pub fn write(
    doc: &Document,
    fonts: &Fonts,
    progress: &dyn Fn(usize, usize),
) -> Result<Vec<u8>, ReportError> {
    let plan = Plan::new(doc, fonts)?;
    let mut out = Vec::new();
    // Writing into memory fails only on an internal error (an object never written).
    plan.write(doc.clone(), &mut out, progress)
        .map_err(|e| ReportError::Usage(format!("PDF: {e}")))?;
    Ok(out)
}

/// Writes `doc` to the file `out` safely (a temporary file renamed over it), page by page;
/// returns the file's size.
pub fn write_file(
    doc: Document,
    fonts: &Fonts,
    out: &Path,
    progress: &dyn Fn(usize, usize),
) -> Result<u64, ReportError> {
    let plan = Plan::new(&doc, fonts)?;
    let mut size = 0;
    super::write::write_atomic_with(out, |f| {
        size = plan.write(doc, BufWriter::with_capacity(1 << 16, f), progress)?;
        Ok(())
    })?;
    Ok(size)
}

/// Pages under one node of the page tree.
const PAGES_PER_NODE: usize = 128;

/// What must be known before the first page is written: the fonts (subset to the glyphs the
/// pages use) and the decoded images — everything that can fail for a reason other than the
/// disk.
struct Plan<'a> {
    fonts: &'a Fonts,
    embedding: Embedding,
    /// Each image file's bytes and its decoded pixels.
    images: Vec<(Vec<u8>, RawImage)>,
}

impl<'a> Plan<'a> {
    fn new(doc: &Document, fonts: &'a Fonts) -> Result<Plan<'a>, ReportError> {
        Ok(Plan {
            fonts,
            embedding: Embedding::plan(doc, fonts)?,
            images: doc
                .images
                .iter()
                .map(|p| load_image(p))
                .collect::<Result<_, _>>()?,
        })
    }

    /// Writes the file; returns its size.
    fn write<W: Write>(
        &self,
        mut doc: Document,
        out: W,
        progress: &dyn Fn(usize, usize),
    ) -> std::io::Result<u64> {
        let mut w = PdfWriter::new(out)?;
        let catalog = w.reserve();
        let pages_id = w.reserve();
        let resources = w.reserve();
        let info = w.reserve();
        let font_ids: Vec<Id> = (0..self.embedding.len()).map(|_| w.reserve()).collect();
        let image_ids: Vec<Id> = self.images.iter().map(|_| w.reserve()).collect();
        for ((file, img), id) in self.images.iter().zip(&image_ids) {
            images::write_image(&mut w, file, img, *id)?;
        }

        let total = doc.pages.len();
        let mut page_ids = Vec::with_capacity(total);
        // A two-level page tree: no /Kids array longer than PAGES_PER_NODE (some printers'
        // built-in PDF interpreters stop at 8,191 array elements; 15,000 certificates).
        let mut nodes: Vec<Id> = Vec::new();
        let mut deflater = Deflater::default();
        for (i, page) in doc.pages.drain(..).enumerate() {
            if i % PAGES_PER_NODE == 0 {
                nodes.push(w.reserve());
            }
            let parent = *nodes.last().expect("a node for every page");
            let content = content::page_content(&page, self.fonts, &self.embedding);
            let data = deflater.deflate(&content);
            let contents = w.stream_new(vec![("Filter", Obj::name("FlateDecode"))], &data)?;
            let (pw, ph) = (page.width / MM_PER_PT, page.height / MM_PER_PT);
            let id = w.put_new(&Obj::dict(vec![
                ("Type", Obj::name("Page")),
                ("Parent", Obj::Ref(parent)),
                (
                    "MediaBox",
                    Obj::Array(vec![Obj::Int(0), Obj::Int(0), Obj::Real(pw), Obj::Real(ph)]),
                ),
                ("Resources", Obj::Ref(resources)),
                ("Contents", Obj::Ref(contents)),
            ]))?;
            page_ids.push(id);
            if i % 64 == 0 {
                progress(i, total);
            }
        }

        self.embedding.write(&mut w, self.fonts, &font_ids)?;
        let named = |prefix: &str, ids: &[Id]| {
            Obj::Map(
                ids.iter()
                    .enumerate()
                    .map(|(n, id)| (format!("{prefix}{n}"), Obj::Ref(*id)))
                    .collect(),
            )
        };
        w.put_at(
            resources,
            &Obj::dict(vec![
                ("Font", named("F", &font_ids)),
                ("XObject", named("Im", &image_ids)),
            ]),
        )?;
        for (node, kids) in nodes.iter().zip(page_ids.chunks(PAGES_PER_NODE)) {
            w.put_at(
                *node,
                &Obj::dict(vec![
                    ("Type", Obj::name("Pages")),
                    ("Parent", Obj::Ref(pages_id)),
                    (
                        "Kids",
                        Obj::Array(kids.iter().map(|id| Obj::Ref(*id)).collect()),
                    ),
                    ("Count", Obj::Int(kids.len() as i64)),
                ]),
            )?;
        }
        w.put_at(
            pages_id,
            &Obj::dict(vec![
                ("Type", Obj::name("Pages")),
                (
                    "Kids",
                    Obj::Array(nodes.iter().map(|id| Obj::Ref(*id)).collect()),
                ),
                ("Count", Obj::Int(page_ids.len() as i64)),
            ]),
        )?;

        let mut root = vec![
            ("Type", Obj::name("Catalog")),
            ("Pages", Obj::Ref(pages_id)),
        ];
        let marks: Vec<(&String, Id)> = doc
            .outline
            .iter()
            .filter_map(|(title, page)| page_ids.get(*page).map(|id| (title, *id)))
            .collect();
        if !marks.is_empty() {
            let outlines = w.reserve();
            let items: Vec<Id> = marks.iter().map(|_| w.reserve()).collect();
            for (i, ((title, page), id)) in marks.iter().zip(&items).enumerate() {
                let mut d = vec![
                    ("Title", Obj::Text((*title).clone())),
                    ("Parent", Obj::Ref(outlines)),
                    ("Dest", Obj::Array(vec![Obj::Ref(*page), Obj::name("Fit")])),
                ];
                if i > 0 {
                    d.push(("Prev", Obj::Ref(items[i - 1])));
                }
                if let Some(next) = items.get(i + 1) {
                    d.push(("Next", Obj::Ref(*next)));
                }
                w.put_at(*id, &Obj::dict(d))?;
            }
            w.put_at(
                outlines,
                &Obj::dict(vec![
                    ("Type", Obj::name("Outlines")),
                    ("First", Obj::Ref(items[0])),
                    ("Last", Obj::Ref(items[items.len() - 1])),
                    ("Count", Obj::Int(items.len() as i64)),
                ]),
            )?;
            root.push(("Outlines", Obj::Ref(outlines)));
            root.push(("PageMode", Obj::name("UseOutlines")));
        }
        w.put_at(catalog, &Obj::dict(root))?;

        // The real time of writing.
        let now = crate::clock::now_unix();
        let date = pdf_date(now);
        w.put_at(
            info,
            &Obj::dict(vec![
                ("Title", Obj::Text(doc.title.clone())),
                ("Creator", Obj::ascii("ScoreDesk")),
                ("Producer", Obj::ascii("ScoreDesk")),
                ("CreationDate", Obj::Ascii(date.clone())),
                ("ModDate", Obj::Ascii(date)),
            ]),
        )?;
        let mut h = Sha256::new();
        h.update(doc.title.as_bytes());
        h.update(now.to_le_bytes());
        h.update((total as u64).to_le_bytes());
        let digest = h.finalize();
        let mut file_id = [0u8; 16];
        file_id.copy_from_slice(&digest[..16]);
        let (_, size) = w.finish(catalog, info, file_id)?;
        progress(total, total);
        Ok(size)
    }
}

/// `D:YYYYMMDDHHmmSSZ` (UTC) for `unix` seconds.
fn pdf_date(unix: i64) -> String {
    match printpdf::date::OffsetDateTime::from_unix_timestamp(unix) {
        Ok(t) => format!(
            "D:{:04}{:02}{:02}{:02}{:02}{:02}Z",
            t.year(),
            u8::from(t.month()),
            t.day(),
            t.hour(),
            t.minute(),
            t.second()
        ),
        Err(_) => "D:19700101000000Z".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::layout::{Orientation, Page};

    #[test]
    fn no_page_tree_node_has_more_than_its_share_of_pages() {
        let fonts = Fonts::bundled().expect("font");
        let doc = Document {
            title: "页".into(),
            pages: (0..300).map(|_| Page::new(Orientation::Portrait)).collect(),
            ..Document::default()
        };
        let bytes = write(&doc, &fonts, &|_, _| {}).expect("pdf");
        let text = String::from_utf8_lossy(&bytes);
        let kids: Vec<usize> = text
            .split("/Kids [")
            .skip(1)
            .map(|rest| rest[..rest.find(']').expect("]")].matches(" R").count())
            .collect();
        // The root (3 nodes) and 128 + 128 + 44 pages.
        assert_eq!(kids, vec![128, 128, 44, 3], "{kids:?}");
        assert!(text.contains("/Type /Pages/Kids [") && text.contains("/Count 300"));
    }
}
