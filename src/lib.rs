//! ScoreDesk: offline scoring for teachers' teaching-skills competitions (教师教学技能大赛).
//!
//! Dependencies point inward: `ui → (app, cli) → net → commands → report → store → (import,
//! explain, sync, demo) → scoring → model` (README "Layout"; `tests/layers.rs` checks it).
//! Only `store` speaks SQL; only `commands` changes a competition file; only `ui` and `main`
//! know egui.

pub mod app;
pub mod assets;
pub mod cli;
pub mod clock;
pub mod commands;
pub mod demo;
pub mod draw;
pub mod durable;
pub mod explain;
pub mod i18n;
pub mod import;
pub mod model;
pub mod net;

pub mod pin;
pub mod report;
pub mod rng;
pub mod scoring;
pub mod store;
pub mod sync;
pub mod template;
pub mod ui;
