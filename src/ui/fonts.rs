//! Installs the bundled fonts into egui: the CJK sans font after egui's Latin font (so digits
//! and Latin text keep their shapes) in both standard families, and the two certificate faces
//! (楷体, 宋体) as named families for the certificate preview. eframe's system-font fallback
//! covers anything they all lack.

use std::sync::Arc;

use egui::{FontData, FontDefinitions, FontFamily};

use crate::report::font::Family;

/// Name of the bundled font inside egui.
pub const CJK: &str = "ScoreDesk Sans SC";
const KAI: &str = "ScoreDesk Kai SC";
const SERIF: &str = "ScoreDesk Serif SC";

/// The egui family a printed text's [`Family`] is previewed in.
pub fn family(f: Family) -> FontFamily {
    match f {
        Family::Sans => FontFamily::Proportional,
        Family::Kai => FontFamily::Name(KAI.into()),
        Family::Serif => FontFamily::Name(SERIF.into()),
    }
}

/// Adds the bundled fonts to `ctx`.
pub fn install(ctx: &egui::Context) {
    let mut fonts = FontDefinitions::default();
    for (name, bytes) in [
        (CJK, crate::assets::CJK_FONT),
        (KAI, crate::assets::KAI_FONT),
        (SERIF, crate::assets::SERIF_FONT),
    ] {
        fonts
            .font_data
            .insert(name.to_owned(), Arc::new(FontData::from_static(bytes)));
    }
    for family in [FontFamily::Proportional, FontFamily::Monospace] {
        fonts
            .families
            .entry(family)
            .or_default()
            .push(CJK.to_owned());
    }
    // A certificate face first, then the sans font for anything it lacks (as in the PDF).
    let fallback = fonts
        .families
        .get(&FontFamily::Proportional)
        .cloned()
        .unwrap_or_default();
    for name in [KAI, SERIF] {
        let mut chain = vec![name.to_owned()];
        chain.extend(fallback.iter().cloned());
        fonts.families.insert(FontFamily::Name(name.into()), chain);
    }
    ctx.set_fonts(fonts);
}
