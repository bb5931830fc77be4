//! ScoreDesk: offline scoring for teachers' teaching-skills competitions (教师教学技能大赛).
//!
//! Dependencies point inward: `ui → app → (store, report, import, ops) → scoring → model`.
//! Only `store` speaks SQL; only `ui`/`app` and `main` know egui.

pub mod app;
pub mod assets;
pub mod cli;
pub mod clock;
pub mod demo;
pub mod draw;
pub mod durable;
pub mod explain;
pub mod i18n;
pub mod import;
pub mod model;
pub mod ops;
pub mod pin;
pub mod report;
pub mod rng;
pub mod scoring;
pub mod store;
pub mod template;
pub mod ui;
