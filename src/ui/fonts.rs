//! Installs the bundled CJK font into egui, after egui's Latin font so digits and Latin text
//! keep their shapes; eframe's system-font fallback covers anything both lack.

use std::sync::Arc;

use egui::{FontData, FontDefinitions, FontFamily};

/// Name of the bundled font inside egui.
pub const CJK: &str = "ScoreDesk Sans SC";

/// Adds the CJK font to both families of `ctx`.
pub fn install(ctx: &egui::Context) {
    let mut fonts = FontDefinitions::default();
    fonts.font_data.insert(
        CJK.to_owned(),
        Arc::new(FontData::from_static(crate::assets::CJK_FONT)),
    );
    for family in [FontFamily::Proportional, FontFamily::Monospace] {
        fonts
            .families
            .entry(family)
            .or_default()
            .push(CJK.to_owned());
    }
    ctx.set_fonts(fonts);
}
