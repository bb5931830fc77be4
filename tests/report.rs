//! Printing and export: PDF text, page sizes, certificates, XLSX/CSV read back.

mod common;

#[test]
fn smoke() {
    let out = common::scoredesk(&["--help"]);
    assert!(out.status.success());
}
