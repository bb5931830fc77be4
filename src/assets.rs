//! Files embedded in the binary: the CJK sans font shared by the screen and the PDFs, and the
//! two certificate faces (楷体 body, 宋体 title) — renamed OFL subsets, see
//! `assets/fonts/README.md`.

/// The bundled CJK font (CFF outlines; covers GB2312, all of U+4E00–9FFF, Ext-A and the
/// Ext-B–F characters Noto has, including 䶮 and 𬭎).
pub static CJK_FONT: &[u8] = include_bytes!("../assets/fonts/NotoSansSC-ScoreDesk.otf");

/// ScoreDesk Kai SC (楷体, from LXGW WenKai): certificate body text. TrueType outlines; every
/// ideograph LXGW WenKai has (all of U+4E00–9FFF, most of Ext-A, 1,169 of Ext-B–F).
pub static KAI_FONT: &[u8] = include_bytes!("../assets/fonts/ScoreDeskKaiSC-Regular.ttf");

/// ScoreDesk Serif SC Bold (宋体/明朝, from Noto Serif CJK SC Bold): the certificate title. CFF
/// outlines; GB2312.
pub static SERIF_FONT: &[u8] = include_bytes!("../assets/fonts/ScoreDeskSerifSC-Bold.otf");
