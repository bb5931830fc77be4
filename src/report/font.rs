//! The bundled CJK font.

/// ScoreDesk Sans SC (a renamed subset of Noto Sans CJK SC, OFL): CFF outlines, GB2312, all of
/// U+4E00–9FFF, Ext-A and the Ext-B–F characters the face covers. The GUI reuses it.
pub const CJK_FONT: &[u8] = include_bytes!("../../assets/fonts/NotoSansSC-ScoreDesk.otf");
