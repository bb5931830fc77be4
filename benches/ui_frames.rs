//! Frame cost of the heaviest screens with 2,000 contestants, rendered headlessly
//! (`egui::Context::run_ui`, tessellation included, no GPU). Run: `cargo bench --bench ui_frames`.
//!
//! Target (issue 4): < 8 ms CPU per frame for the results and contestants screens.

use std::time::Instant;

use scoredesk::app::{Action, App};
use scoredesk::i18n::Lang;
use scoredesk::ui::{ScoreDeskUi, Screen};

fn frame(ctx: &egui::Context, ui_state: &mut ScoreDeskUi, t: f64) {
    let input = egui::RawInput {
        screen_rect: Some(egui::Rect::from_min_size(
            egui::Pos2::ZERO,
            egui::vec2(1440.0, 900.0),
        )),
        time: Some(t),
        ..Default::default()
    };
    let mut out = ctx.run_ui(input, |ui| ui_state.show(ui));
    // No GPU here: the font-atlas updates have nowhere to go.
    out.textures_delta.clear();
    let _ = ctx.tessellate(out.shapes, out.pixels_per_point);
}

fn main() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("bench.sqlite");
    let t0 = Instant::now();
    drop(scoredesk::commands::build_demo(&path, 2000, 1).expect("demo"));
    println!(
        "demo with 2,000 contestants built in {:.1} s",
        t0.elapsed().as_secs_f64()
    );

    let start = Instant::now();
    let mut app = App::new(Lang::Zh);
    app.apply(Action::Open(path.clone())).expect("open");
    let mut ui_state = ScoreDeskUi::new(app);
    let ctx = egui::Context::default();
    scoredesk::ui::fonts::install(&ctx);
    frame(&ctx, &mut ui_state, 0.0);
    println!(
        "open + first frame (login screen): {:.0} ms",
        start.elapsed().as_secs_f64() * 1e3
    );

    ui_state
        .send(Action::LoginOrganiser {
            pin: scoredesk::commands::DEMO_ORGANISER_PIN.into(),
        })
        .expect("login");
    let mut t = 0.0;
    for (name, screen, event) in [
        ("contestants", Screen::Contestants, None),
        ("results (E05 per group)", Screen::Results, Some("E05")),
        ("results (overall)", Screen::Results, None),
    ] {
        ui_state.screen = screen;
        ui_state.results.event = event.map(str::to_string);
        ui_state.results.chosen_once = true;
        // Warm-up: first frames compute results, lay out glyphs, build caches.
        let warm = Instant::now();
        for _ in 0..3 {
            t += 1.0 / 60.0;
            frame(&ctx, &mut ui_state, t);
        }
        let warm_ms = warm.elapsed().as_secs_f64() * 1e3;
        let n = 100;
        let start = Instant::now();
        for _ in 0..n {
            t += 1.0 / 60.0;
            frame(&ctx, &mut ui_state, t);
        }
        let per = start.elapsed().as_secs_f64() * 1e3 / f64::from(n);
        println!("{name:<26} {per:>6.2} ms/frame (first 3 frames: {warm_ms:.0} ms)");
    }
}
