//! Fonts for printing: the bundled CJK font, system fonts as a fallback for the few characters
//! it lacks, glyph coverage checks and text widths (from the fonts' own advances).
//!
//! Every text is set in a [`Family`] (字体): sans (黑体, the bundled font) for sheets and lists,
//! 楷体 and 宋体 for certificates. Each character is drawn with the first face that has a glyph
//! for it: the text's own family, then the bundled sans font, then system fonts found by
//! [`FontSearch`], then the other certificate face. A character no face has is left out of the
//! page (never drawn as a box) and reported as a warning by [`missing_glyph_warnings`].

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

use printpdf::ParsedFont;

use super::ReportError;

/// ScoreDesk Sans SC (a renamed subset of Noto Sans CJK SC, SIL OFL 1.1): CFF outlines, GB2312,
/// all of U+4E00–9FFF, Ext-A and the Ext-B–F characters the face covers (䶮 U+4DAE,
/// 𬭎 U+2CB4E). The GUI reuses this constant.
pub use crate::assets::{CJK_FONT, KAI_FONT, SERIF_FONT};

/// Millimetres per PostScript point.
pub const MM_PER_PT: f32 = 25.4 / 72.0;

/// Where to look for fallback fonts when the bundled font lacks a character.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum FontSearch {
    /// The operating system's font folders.
    #[default]
    System,
    /// Only these folders (searched recursively).
    Dirs(Vec<PathBuf>),
    /// The bundled font only.
    None,
}

impl FontSearch {
    /// The folders searched, in order.
    pub fn dirs(&self) -> Vec<PathBuf> {
        match self {
            FontSearch::None => Vec::new(),
            FontSearch::Dirs(d) => d.clone(),
            FontSearch::System => system_font_dirs(),
        }
    }
}

/// The usual font folders of Linux, Windows and macOS that exist on this machine.
pub fn system_font_dirs() -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = Vec::new();
    if cfg!(windows) {
        let windir = std::env::var_os("WINDIR").unwrap_or_else(|| "C:\\Windows".into());
        dirs.push(PathBuf::from(windir).join("Fonts"));
        if let Some(local) = std::env::var_os("LOCALAPPDATA") {
            dirs.push(PathBuf::from(local).join("Microsoft\\Windows\\Fonts"));
        }
    } else {
        let home = std::env::var_os("HOME").map(PathBuf::from);
        if cfg!(target_os = "macos") {
            dirs.push("/System/Library/Fonts".into());
            dirs.push("/Library/Fonts".into());
            if let Some(h) = &home {
                dirs.push(h.join("Library/Fonts"));
            }
        } else {
            dirs.push("/usr/share/fonts".into());
            dirs.push("/usr/local/share/fonts".into());
            if let Some(h) = &home {
                dirs.push(h.join(".local/share/fonts"));
                dirs.push(h.join(".fonts"));
            }
        }
    }
    dirs.into_iter().filter(|d| d.is_dir()).collect()
}

/// One font face used for printing.
#[derive(Clone, Debug)]
pub struct Face {
    pub font: ParsedFont,
    /// "bundled", or the file (and face index) it came from.
    pub source: String,
    /// The height of capital letters (OS/2 sCapHeight), in font units, when the font says.
    pub cap_height: Option<i16>,
}

/// OS/2 sCapHeight of face `index` of a font file, in font units.
fn cap_height(bytes: &[u8], index: usize) -> Option<i16> {
    use read_fonts::TableProvider;
    let font = read_fonts::FontRef::from_index(bytes, u32::try_from(index).ok()?).ok()?;
    font.os2().ok()?.s_cap_height()
}

impl Face {
    fn glyph(&self, c: char) -> Option<u16> {
        self.font.lookup_glyph_index(c as u32).filter(|g| *g != 0)
    }

    /// Advance of `c` in em.
    fn advance_em(&self, glyph: u16) -> f32 {
        let upm = f32::from(self.font.font_metrics.units_per_em.max(1));
        f32::from(self.font.get_horizontal_advance(glyph)) / upm
    }
}

/// A typeface family a text is set in (字体).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Family {
    /// 黑体: the bundled sans font, for sheets, lists and forms.
    #[default]
    Sans,
    /// 楷体: certificate body text (ScoreDesk Kai SC).
    Kai,
    /// 宋体: the certificate title, a bold serif display face (ScoreDesk Serif SC Bold).
    Serif,
}

impl Family {
    pub const ALL: [Family; 3] = [Family::Sans, Family::Kai, Family::Serif];

    /// The family named in a template: `sans`/`黑体`, `kai`/`楷体`, `serif`/`song`/`宋体`;
    /// empty is sans.
    pub fn parse(s: &str) -> Option<Family> {
        match s.trim() {
            "" | "sans" | "黑体" => Some(Family::Sans),
            "kai" | "楷体" => Some(Family::Kai),
            "serif" | "song" | "宋体" => Some(Family::Serif),
            _ => None,
        }
    }

    /// The name written in templates.
    pub fn key(self) -> &'static str {
        match self {
            Family::Sans => "sans",
            Family::Kai => "kai",
            Family::Serif => "serif",
        }
    }

    fn slot(self) -> usize {
        self as usize
    }
}

fn parsed_face(
    cell: &'static OnceLock<Option<ParsedFont>>,
    bytes: &'static [u8],
    source: &str,
) -> Result<Face, ReportError> {
    match cell.get_or_init(|| ParsedFont::from_bytes(bytes, 0, &mut Vec::new())) {
        Some(font) => Ok(Face {
            font: font.clone(),
            source: source.into(),
            cap_height: cap_height(bytes, 0),
        }),
        None => Err(ReportError::Font(format!(
            "内置字体 {source} 无法解析 (the bundled font {source} cannot be parsed)"
        ))),
    }
}

fn bundled_face() -> Result<Face, ReportError> {
    static BUNDLED: OnceLock<Option<ParsedFont>> = OnceLock::new();
    parsed_face(&BUNDLED, CJK_FONT, "bundled")
}

fn family_face(family: Family) -> Result<Face, ReportError> {
    static KAI: OnceLock<Option<ParsedFont>> = OnceLock::new();
    static SERIF: OnceLock<Option<ParsedFont>> = OnceLock::new();
    match family {
        Family::Sans => bundled_face(),
        Family::Kai => parsed_face(&KAI, KAI_FONT, "bundled kai"),
        Family::Serif => parsed_face(&SERIF, SERIF_FONT, "bundled serif"),
    }
}

/// The faces used for one export: the bundled sans font first, then the certificate faces
/// when asked for, then any fallbacks. Cloning is cheap (the faces are shared); a clone made
/// by [`in_family`](Self::in_family) measures and draws in that family.
#[derive(Clone, Debug)]
pub struct Fonts {
    faces: Arc<Vec<Face>>,
    /// Characters whose glyph comes from a fallback face (the bundled one has none).
    fallback: Arc<HashMap<char, usize>>,
    /// The face of each family (index into `faces`; 0, the sans font, when not loaded).
    families: [usize; 3],
    /// The family [`width_mm`](Self::width_mm) and [`place`](super::layout::place) use.
    family: Family,
    /// Each (family, character) looked up once per export: the face, glyph and advance in em
    /// (the fonts' own cmap lookups are linear scans — most of a 15,000-certificate export's
    /// time before this cache). Shared by clones; replaced when the faces change.
    lookups: Arc<Mutex<Lookups>>,
}

/// The lookup cache: (family, character) → what draws it (`None`: no face has it). The Basic
/// Multilingual Plane is a table per family (made on first use); other characters a map.
#[derive(Debug, Default)]
struct Lookups {
    bmp: [Vec<Slot>; 3],
    other: HashMap<(Family, char), Option<Lookup>>,
}

#[derive(Clone, Copy, Debug, Default)]
enum Slot {
    #[default]
    Unknown,
    Known(Option<Lookup>),
}

/// A character's face (index into the faces), glyph and advance in em.
#[derive(Clone, Copy, Debug)]
struct Lookup {
    face: usize,
    glyph: u16,
    advance_em: f32,
}

impl Fonts {
    /// The bundled font alone.
    pub fn bundled() -> Result<Fonts, ReportError> {
        Ok(Fonts {
            faces: Arc::new(vec![bundled_face()?]),
            fallback: Arc::new(HashMap::new()),
            families: [0; 3],
            family: Family::Sans,
            lookups: Arc::default(),
        })
    }

    /// These fonts plus the certificate faces (楷体, 宋体).
    pub fn with_certificate_faces(mut self) -> Result<Fonts, ReportError> {
        for family in [Family::Kai, Family::Serif] {
            if self.families[family.slot()] == 0 {
                let face = family_face(family)?;
                let faces = Arc::make_mut(&mut self.faces);
                faces.push(face);
                self.families[family.slot()] = faces.len() - 1;
            }
        }
        self.lookups = Arc::default();
        Ok(self)
    }

    /// The same faces, measuring and placing text in `family`.
    pub fn in_family(&self, family: Family) -> Fonts {
        Fonts {
            family,
            ..self.clone()
        }
    }

    /// The family this value measures in.
    pub fn family(&self) -> Family {
        self.family
    }

    /// The bundled font plus, for characters of `texts` it lacks, the first system fonts
    /// (found by `search`) that have them.
    pub fn for_texts<'a>(
        texts: impl IntoIterator<Item = &'a str>,
        search: &FontSearch,
    ) -> Result<Fonts, ReportError> {
        let mut fonts = Fonts::bundled()?;
        let mut missing: BTreeSet<char> = BTreeSet::new();
        for t in texts {
            for c in t.chars() {
                if !c.is_control() && fonts.faces[0].glyph(c).is_none() {
                    missing.insert(c);
                }
            }
        }
        if !missing.is_empty() {
            fonts.add_fallbacks(&missing, &search.dirs());
        }
        Ok(fonts)
    }

    fn add_fallbacks(&mut self, missing: &BTreeSet<char>, dirs: &[PathBuf]) {
        let mut wanted: BTreeSet<char> = missing.clone();
        let mut files = Vec::new();
        for d in dirs {
            collect_font_files(d, 0, &mut files);
        }
        // Regular faces before bold, italic, light … ones; then by path, for a stable choice.
        files.sort_by_key(|f| (style_rank(f), f.clone()));
        files.dedup();
        for file in files {
            if wanted.is_empty() {
                break;
            }
            let Ok(bytes) = std::fs::read(&file) else {
                continue;
            };
            for index in 0..face_count(&bytes) {
                if wanted.is_empty() {
                    break;
                }
                let Some(font) = ParsedFont::from_bytes(&bytes, index, &mut Vec::new()) else {
                    continue;
                };
                let face = Face {
                    font,
                    source: format!("{}#{index}", file.display()),
                    cap_height: cap_height(&bytes, index),
                };
                let covered: Vec<char> = wanted
                    .iter()
                    .copied()
                    .filter(|c| face.glyph(*c).is_some())
                    .collect();
                if covered.is_empty() {
                    continue;
                }
                let at = self.faces.len();
                Arc::make_mut(&mut self.faces).push(face);
                self.lookups = Arc::default();
                let fallback = Arc::make_mut(&mut self.fallback);
                for c in covered {
                    wanted.remove(&c);
                    fallback.insert(c, at);
                }
            }
        }
    }

    pub fn faces(&self) -> &[Face] {
        &self.faces
    }

    /// The face (index into [`faces`](Self::faces)) that draws `c` in this value's family, and
    /// its glyph.
    pub fn glyph(&self, c: char) -> Option<(usize, u16)> {
        self.glyph_in(self.family, c)
    }

    /// The face that draws `c` in `family`, and its glyph: the family's face, the sans font, a
    /// fallback, then any other loaded face.
    pub fn glyph_in(&self, family: Family, c: char) -> Option<(usize, u16)> {
        self.lookup(family, c).map(|l| (l.face, l.glyph))
    }

    fn lookup(&self, family: Family, c: char) -> Option<Lookup> {
        self.lookup_with(&mut self.cache(), family, c)
    }

    /// The lookup cache (a poisoned lock only means another thread panicked mid-insert; the
    /// map is still a valid cache).
    fn cache(&self) -> std::sync::MutexGuard<'_, Lookups> {
        self.lookups.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn lookup_with(&self, cache: &mut Lookups, family: Family, c: char) -> Option<Lookup> {
        let find = || {
            self.find_glyph(family, c).map(|(face, glyph)| Lookup {
                face,
                glyph,
                advance_em: self.faces[face].advance_em(glyph),
            })
        };
        let at = c as usize;
        if at < 0x1_0000 {
            let table = &mut cache.bmp[family.slot()];
            if table.is_empty() {
                table.resize(0x1_0000, Slot::Unknown);
            }
            match table[at] {
                Slot::Known(l) => l,
                Slot::Unknown => {
                    let l = find();
                    table[at] = Slot::Known(l);
                    l
                }
            }
        } else {
            *cache.other.entry((family, c)).or_insert_with(find)
        }
    }

    /// Calls `each` with every character of `text` and the face and glyph that draw it in
    /// `family` (`None`: no face has it) — one lock for the whole text.
    pub fn for_each_glyph(
        &self,
        family: Family,
        text: &str,
        mut each: impl FnMut(char, Option<(usize, u16)>),
    ) {
        let mut cache = self.cache();
        for c in text.chars() {
            each(
                c,
                self.lookup_with(&mut cache, family, c)
                    .map(|l| (l.face, l.glyph)),
            );
        }
    }

    fn find_glyph(&self, family: Family, c: char) -> Option<(usize, u16)> {
        let own = self.families[family.slot()];
        if own != 0
            && let Some(g) = self.faces[own].glyph(c)
        {
            return Some((own, g));
        }
        if let Some(g) = self.faces[0].glyph(c) {
            return Some((0, g));
        }
        if let Some(at) = self.fallback.get(&c)
            && let Some(g) = self.faces[*at].glyph(c)
        {
            return Some((*at, g));
        }
        self.families
            .iter()
            .filter(|at| **at != 0 && **at != own)
            .find_map(|at| self.faces[*at].glyph(c).map(|g| (*at, g)))
    }

    /// Whether some face has a glyph for `c` (then every family can draw it).
    pub fn covers(&self, c: char) -> bool {
        self.glyph(c).is_some()
    }

    /// Whether `c` is drawn with `family`'s own face (not a stand-in from another family).
    pub fn drawn_in_family(&self, family: Family, c: char) -> bool {
        let own = self.families[family.slot()];
        self.glyph_in(family, c).is_some_and(|(at, _)| at == own)
    }

    /// Advance of `c` in em (0 for characters no face has).
    pub fn advance_em(&self, c: char) -> f32 {
        self.lookup(self.family, c).map_or(0.0, |l| l.advance_em)
    }

    /// Width of `text` in mm at `size_pt`, with `spacing_em` extra after every character but
    /// the last.
    pub fn width_mm(&self, text: &str, size_pt: f32, spacing_em: f32) -> f32 {
        let mut em = 0.0;
        let mut n = 0usize;
        let mut cache = self.cache();
        for c in text.chars() {
            em += self
                .lookup_with(&mut cache, self.family, c)
                .map_or(0.0, |l| l.advance_em);
            n += 1;
        }
        if n > 1 {
            em += spacing_em * (n - 1) as f32;
        }
        em * size_pt * MM_PER_PT
    }
}

/// 0 for a regular-looking font file name, 1 for bold/italic/light/… ones.
fn style_rank(path: &Path) -> u8 {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    let styled = [
        "bold",
        "italic",
        "oblique",
        "light",
        "thin",
        "black",
        "heavy",
        "medium",
        "semibold",
        "condensed",
        "mono",
    ]
    .iter()
    .any(|k| name.contains(k));
    u8::from(styled)
}

/// Number of faces in a font file (a `.ttc`/`.otc` collection has several).
fn face_count(bytes: &[u8]) -> usize {
    if bytes.get(..4) == Some(b"ttcf") {
        bytes
            .get(8..12)
            .map(|b| u32::from_be_bytes([b[0], b[1], b[2], b[3]]) as usize)
            .unwrap_or(0)
            .min(64)
    } else {
        1
    }
}

fn collect_font_files(dir: &Path, depth: usize, out: &mut Vec<PathBuf>) {
    if depth > 6 {
        return;
    }
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect_font_files(&path, depth + 1, out);
        } else if let Some(ext) = path.extension().and_then(|e| e.to_str())
            && matches!(
                ext.to_ascii_lowercase().as_str(),
                "ttf" | "otf" | "ttc" | "otc"
            )
        {
            out.push(path);
        }
    }
}

/// Who or what a printed text belongs to, for warnings.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Owned<'a> {
    /// e.g. "选手 JS20250001 王䶮".
    pub who: String,
    pub text: &'a str,
}

/// One warning per owner and character that no face can draw: the character is left out.
pub fn missing_glyph_warnings(fonts: &Fonts, texts: &[Owned<'_>]) -> Vec<String> {
    let mut seen: BTreeSet<(String, char)> = BTreeSet::new();
    let mut out = Vec::new();
    for t in texts {
        for c in t.text.chars() {
            if c.is_control() || fonts.covers(c) {
                continue;
            }
            if seen.insert((t.who.clone(), c)) {
                out.push(format!(
                    "{}：「{}」中的字符 U+{:04X} 没有任何字体可以显示，打印时已省略 (no font has a glyph for U+{:04X}; it is left out)",
                    t.who, t.text, c as u32, c as u32
                ));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundled_font_covers_rare_names() {
        let fonts = Fonts::bundled().expect("font");
        for c in "金𬭎王䶮阿依古丽·买买提欧阳晓堃李喆0123456789.（）".chars() {
            assert!(fonts.covers(c), "missing {c}");
        }
        assert!(!fonts.covers('\u{E000}'));
        // Ideographs are one em wide: 4 of them at 10 pt are 40 pt.
        let w = fonts.width_mm("荣誉证书", 10.0, 0.0);
        assert!((w - 40.0 * MM_PER_PT).abs() < 0.01, "{w}");
        // Latin is narrower.
        assert!(fonts.width_mm("AB", 10.0, 0.0) < fonts.width_mm("荣誉", 10.0, 0.0));
    }

    #[test]
    fn missing_glyph_is_named() {
        let fonts = Fonts::for_texts(["张\u{E000}"], &FontSearch::None).expect("fonts");
        let w = missing_glyph_warnings(
            &fonts,
            &[Owned {
                who: "选手 X1".into(),
                text: "张\u{E000}",
            }],
        );
        assert_eq!(w.len(), 1);
        assert!(
            w[0].contains("选手 X1") && w[0].contains("U+E000"),
            "{}",
            w[0]
        );
    }
}
