//! Files embedded in the binary: the CJK font (a subset of Noto Sans CJK SC, OFL — see
//! `assets/fonts/README.md`) shared by the screen and the PDFs.

/// The bundled CJK font (CFF outlines; covers GB2312, all of U+4E00–9FFF, Ext-A and the
/// Ext-B–F characters Noto has, including 䶮 and 𬭎).
pub const CJK_FONT: &[u8] = include_bytes!("../assets/fonts/NotoSansSC-ScoreDesk.otf");
