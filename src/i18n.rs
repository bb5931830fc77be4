//! Languages. Simplified Chinese is the default; English is switchable at run time.
//! The GUI's strings live in `ui/strings.rs`; explanations in `explain.rs` follow this choice.

/// A user-interface language.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize,
)]
pub enum Lang {
    /// 简体中文
    #[default]
    Zh,
    En,
}
