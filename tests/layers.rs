//! Dependencies point inward (README "Layout"): every file under `src/` is read, and a
//! reference to a module of a higher layer (`crate::ui` from the store, `crate::cli` from a
//! report …) fails the test, naming the file and the line. Modules of the same layer may not
//! use each other either, except the pairs listed.

use std::path::{Path, PathBuf};

/// Each top-level module and its layer: a module may use only modules of lower layers.
const LAYERS: &[(&str, u32)] = &[
    // Plain data and leaf utilities.
    ("model", 0),
    ("i18n", 0),
    ("rng", 0),
    ("clock", 0),
    ("durable", 0),
    ("assets", 0),
    // Pure rules: scoring, the draw, PIN hashing, template checks.
    ("scoring", 1),
    ("draw", 1),
    ("pin", 1),
    ("template", 1),
    // Words for results; readers of rosters; the demo's data.
    ("explain", 2),
    ("import", 2),
    ("demo", 2),
    // Signed packets and merge rules (pure).
    ("sync", 2),
    // The only code that speaks SQL.
    ("store", 3),
    // Results into pages (reads the store, never writes it).
    ("report", 4),
    // The only writer.
    ("commands", 5),
    // The venue network: HTTP in, commands out (no rules of its own).
    ("net", 6),
    // Callers of the commands.
    ("app", 7),
    ("cli", 7),
    // Screens draw the app's state and send it commands.
    ("ui", 8),
    // The binary.
    ("main", 9),
];

fn layer(module: &str) -> Option<u32> {
    LAYERS.iter().find(|(m, _)| *m == module).map(|(_, l)| *l)
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("read src") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The top-level module a file belongs to (`src/store/sheets.rs` → `store`).
fn owner(src: &Path, file: &Path) -> String {
    let rel = file.strip_prefix(src).expect("under src");
    let first = rel
        .components()
        .next()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .unwrap_or_default();
    first.trim_end_matches(".rs").to_string()
}

/// Every `crate::NAME` a line refers to, including `crate::{a, b::c}` groups.
fn referenced(line: &str) -> Vec<String> {
    let code = line.split("//").next().unwrap_or("");
    let mut out = Vec::new();
    let mut rest = code;
    while let Some(i) = rest.find("crate::") {
        rest = &rest[i + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let end = group.find('}').unwrap_or(group.len());
            for item in group[..end].split(',') {
                let name: String = item
                    .trim()
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                if !name.is_empty() {
                    out.push(name);
                }
            }
        } else {
            let name: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            out.push(name);
        }
    }
    out
}

/// Every violation in `src`: (file, line number, from, to).
fn violations(src: &Path) -> Vec<String> {
    let mut files = Vec::new();
    rust_files(src, &mut files);
    files.sort();
    let mut found = Vec::new();
    for file in files {
        let from = owner(src, &file);
        if from == "lib" {
            continue;
        }
        let from_layer = layer(&from).unwrap_or_else(|| {
            panic!("{}: module `{from}` has no layer in LAYERS", file.display())
        });
        let text = std::fs::read_to_string(&file).expect("read");
        for (n, line) in text.lines().enumerate() {
            for to in referenced(line) {
                if to == from {
                    continue;
                }
                let Some(to_layer) = layer(&to) else {
                    continue;
                };
                if to_layer >= from_layer {
                    found.push(format!(
                        "{}:{}: `{from}` (layer {from_layer}) uses `{to}` (layer {to_layer})",
                        file.display(),
                        n + 1
                    ));
                }
            }
        }
    }
    found
}

#[test]
fn dependencies_point_inward() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let found = violations(&src);
    assert!(
        found.is_empty(),
        "upward or sideways imports:\n{}",
        found.join("\n")
    );
}

#[test]
fn an_upward_import_is_caught() {
    // A copy of a small tree with one upward import added must fail.
    let dir = tempfile::tempdir().expect("dir");
    let src = dir.path().join("src");
    std::fs::create_dir_all(src.join("store")).expect("mkdir");
    std::fs::create_dir_all(src.join("ui")).expect("mkdir");
    std::fs::write(src.join("lib.rs"), "pub mod store;\npub mod ui;\n").expect("write");
    std::fs::write(src.join("ui/mod.rs"), "use crate::store::Store;\n").expect("write");
    std::fs::write(src.join("store/mod.rs"), "pub struct Store;\n").expect("write");
    assert!(violations(&src).is_empty(), "downward is fine");
    std::fs::write(
        src.join("store/mod.rs"),
        "pub struct Store;\nuse crate::{model::Fixed, ui::Screen};\n",
    )
    .expect("write");
    let found = violations(&src);
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        found[0].contains("`store` (layer 3) uses `ui` (layer 8)"),
        "{found:?}"
    );
    // Sideways (same layer) is caught too.
    std::fs::write(src.join("store/mod.rs"), "pub struct Store;\n").expect("write");
    std::fs::create_dir_all(src.join("app")).expect("mkdir");
    std::fs::write(src.join("app/mod.rs"), "use crate::cli::run;\n").expect("write");
    assert_eq!(violations(&src).len(), 1);
}
