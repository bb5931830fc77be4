//! Printing and export, checked the way a user would: text extracted from the PDFs with
//! `pdftotext` (names with rare characters, scores, order), `qpdf --check`, page sizes and
//! counts with `pdfinfo`, workbooks read back with calamine, and failures that leave no file.
//!
//! Needs poppler-utils and qpdf (`scripts/install-deps.sh`).

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::{s, scoredesk, stderr, stdout};
use scoredesk::model::Contestant;
use scoredesk::report::certificate::{self, Template};
use scoredesk::report::layout::{
    Align, Cell, Column, Furniture, Orientation, ReportBuilder, Section, Table,
};
use scoredesk::report::{
    self, CertificateOptions, ExportJob, ExportKind, FontSearch, Fonts, ReportData, ReportError,
};
use scoredesk::store::{Access, Store};

/// A small demo competition (30 contestants: the special names are the first six).
fn demo(dir: &Path, n: usize) -> PathBuf {
    let path = dir.join("demo.sqlite");
    let store = scoredesk::commands::build_demo(&path, n, 2025).expect("demo");
    drop(store);
    path
}

fn tool(name: &str, args: &[&str]) -> String {
    let out = Command::new(name)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{name} is needed (scripts/install-deps.sh): {e}"));
    assert!(
        out.status.success(),
        "{name} {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn pdftotext(pdf: &Path) -> String {
    tool("pdftotext", &["-layout", s(pdf), "-"])
}

fn pages_text(pdf: &Path) -> Vec<String> {
    pdftotext(pdf)
        .split('\u{c}')
        .map(str::to_string)
        .filter(|p| !p.trim().is_empty())
        .collect()
}

fn page_count(pdf: &Path) -> usize {
    let info = tool("pdfinfo", &[s(pdf)]);
    info.lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())
        .expect("Pages: line")
}

/// Every page's size in points (pdfinfo -l).
fn page_sizes(pdf: &Path) -> Vec<(f64, f64)> {
    let n = page_count(pdf).to_string();
    let info = tool("pdfinfo", &["-f", "1", "-l", &n, s(pdf)]);
    info.lines()
        .filter(|l| l.starts_with("Page") && l.contains("size:"))
        .map(|l| {
            let rest = l.split("size:").nth(1).expect("size");
            let nums: Vec<f64> = rest
                .split_whitespace()
                .filter_map(|w| w.parse().ok())
                .collect();
            (nums[0], nums[1])
        })
        .collect()
}

fn assert_a4(size: (f64, f64), landscape: bool) {
    let (w, h) = if landscape {
        (841.89, 595.276)
    } else {
        (595.276, 841.89)
    };
    assert!(
        (size.0 - w).abs() < 0.01 && (size.1 - h).abs() < 0.01,
        "not A4 {}: {size:?}",
        if landscape { "landscape" } else { "portrait" }
    );
}

fn qpdf_check(pdf: &Path) {
    let out = Command::new("qpdf")
        .args(["--check", s(pdf)])
        .output()
        .expect("qpdf is needed (scripts/install-deps.sh)");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success() && text.contains("No syntax or stream encoding errors"),
        "qpdf --check failed for {}: {text}{}",
        pdf.display(),
        String::from_utf8_lossy(&out.stderr)
    );
}

fn run_ok(args: &[&str]) -> String {
    let out = scoredesk(args);
    assert!(out.status.success(), "{args:?}: {}", stderr(&out));
    stdout(&out)
}

fn load(path: &Path) -> ReportData {
    let store = Store::open_with(path, Access::ReadOnly).expect("open");
    ReportData::load(&store, false).expect("load")
}

/// Strips the spaces `pdftotext -layout` puts between columns and inside spaced titles.
fn squeeze(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

#[test]
fn result_sheets_have_exact_names_scores_order_and_page_furniture() {
    let dir = tempfile::tempdir().expect("dir");
    let file = demo(dir.path(), 30);
    let pdf = dir.path().join("e05.pdf");
    run_ok(&[
        "export",
        "sheets",
        s(&file),
        "--out",
        s(&pdf),
        "--event",
        "E05",
    ]);
    qpdf_check(&pdf);

    let data = load(&file);
    let er = data.event_results("E05").expect("E05");
    // One page per group (each group is small).
    assert_eq!(page_count(&pdf), er.groups.len());
    for size in page_sizes(&pdf) {
        assert_a4(size, true);
    }

    let pages = pages_text(&pdf);
    let all = pages.join("\n");
    for name in ["金𬭎", "王䶮", "阿依古丽·买买提", "欧阳晓堃"] {
        assert!(all.contains(name), "{name} missing from the result sheets");
    }
    let head = Store::open_with(&file, Access::ReadOnly)
        .expect("open")
        .audit_head()
        .expect("head");
    let n = pages.len();
    for (i, page) in pages.iter().enumerate() {
        assert!(
            page.contains("吕梁市第二届中小学教师教学技能大赛"),
            "title on page {i}"
        );
        assert!(
            squeeze(page).contains(&format!("第{}页/共{n}页", i + 1)),
            "page x / y on page {i}"
        );
        assert!(
            page.contains(&format!("审计链 {}", &head[..16])),
            "audit head on page {i}"
        );
        assert!(page.contains("生成时间"), "time on page {i}");
    }

    // Each group's page lists its contestants in rank order with their exact final scores and
    // every judge's score, dropped ones in brackets.
    for (g, page) in er.groups.iter().zip(&pages) {
        assert!(
            page.contains(&format!("成绩表 — {}", g.group)),
            "{}",
            g.group
        );
        let mut last = 0;
        for e in &g.entries {
            let line = page
                .lines()
                .find(|l| l.contains(&e.contestant))
                .unwrap_or_else(|| panic!("{} missing", e.contestant));
            let at = page.find(&e.contestant).expect("row");
            assert!(at > last, "rows out of rank order in {}", g.group);
            last = at;
            assert!(line.contains(&e.name), "{line}");
            let fin = e.final_score.expect("scored").format(2);
            assert!(line.contains(&fin), "final {fin} missing: {line}");
            for sc in &e.scores {
                let shown = if sc.dropped {
                    format!("({})", sc.score.format(2))
                } else {
                    sc.score.format(2)
                };
                assert!(line.contains(&shown), "{shown} missing: {line}");
            }
            if let Some(a) = &e.award {
                assert!(line.contains(a.as_str()), "{a}: {line}");
            }
        }
    }
    assert!(all.contains("去掉最高") && all.contains("括号内为去掉的最高分"));
}

#[test]
fn overall_table_and_award_list() {
    let dir = tempfile::tempdir().expect("dir");
    let file = demo(dir.path(), 30);
    let data = load(&file);

    let pdf = dir.path().join("overall.pdf");
    run_ok(&[
        "export",
        "sheets",
        s(&file),
        "--out",
        s(&pdf),
        "--event",
        "ZH",
    ]);
    qpdf_check(&pdf);
    let text = pdftotext(&pdf);
    assert!(text.contains("综合成绩表"));
    assert_eq!(page_count(&pdf), data.results.overall.groups.len());
    for g in &data.results.overall.groups {
        for e in &g.entries {
            let total = e.total.expect("total").format(2);
            let line = text
                .lines()
                .find(|l| l.contains(&e.contestant))
                .expect("row");
            assert!(line.contains(&total), "{total}: {line}");
        }
    }

    let pdf = dir.path().join("awards.pdf");
    run_ok(&["export", "awards", s(&file), "--out", s(&pdf)]);
    qpdf_check(&pdf);
    for size in page_sizes(&pdf) {
        assert_a4(size, false);
    }
    let text = pdftotext(&pdf);
    for h in ["序号", "组别", "等次", "姓名", "性别", "单位", "公示"] {
        assert!(text.contains(h), "{h}");
    }
    let (awards, _) = certificate::awards(&data, 2025);
    for a in &awards {
        assert!(
            text.lines().any(|l| l.contains(&a.contestant.name)
                && l.contains(&a.award)
                && l.contains(&a.group)),
            "{} {} missing",
            a.contestant.name,
            a.award
        );
    }
}

#[test]
fn certificates_one_a4_page_per_award_with_stable_serials() {
    let dir = tempfile::tempdir().expect("dir");
    let file = demo(dir.path(), 30);
    let data = load(&file);
    let (awards, _) = certificate::awards(&data, 2025);
    let e05: Vec<_> = awards
        .iter()
        .filter(|a| a.event_code.as_deref() == Some("E05"))
        .collect();
    assert!(!e05.is_empty());

    let pdf = event_certificates(dir.path(), &file, "E05", &[]);
    assert_eq!(page_count(&pdf), e05.len());
    for size in page_sizes(&pdf) {
        assert_a4(size, true);
    }
    let pages = pages_text(&pdf);
    for (a, page) in e05.iter().zip(&pages) {
        let p = squeeze(page);
        assert!(p.contains("荣誉证书"), "{page}");
        assert!(
            p.contains(&a.contestant.name),
            "{} on {page}",
            a.contestant.name
        );
        assert!(p.contains(&a.contestant.school));
        assert!(
            p.contains(&format!("{}组课堂教学{}", a.group, a.award)),
            "{page}"
        );
        assert!(p.contains(&a.serial), "{} on {page}", a.serial);
        assert!(a.serial.starts_with("2025-E05-"), "{}", a.serial);
    }

    // Serials: unique, numbered from 0001 per event, and the same on a second run.
    let mut serials: Vec<&str> = awards.iter().map(|a| a.serial.as_str()).collect();
    assert!(serials.contains(&"2025-E05-0001") && serials.contains(&"2025-ZH-0001"));
    serials.sort_unstable();
    serials.dedup();
    assert_eq!(serials.len(), awards.len(), "serial numbers are unique");
    let again = certificate::awards(&load(&file), 2025).0;
    assert_eq!(again, awards, "the same data gives the same numbers");

    // All certificates, portrait, batched by school: the rare names are printed exactly.
    let pdf = dir.path().join("all.pdf");
    run_ok(&[
        "export",
        "certificates",
        s(&file),
        "--out",
        s(&pdf),
        "--portrait",
        "--by",
        "school",
    ]);
    qpdf_check(&pdf);
    assert_eq!(page_count(&pdf), awards.len());
    for size in page_sizes(&pdf) {
        assert_a4(size, false);
    }
    let text = squeeze(&pdftotext(&pdf));
    for name in ["金𬭎", "王䶮", "阿依古丽·买买提"] {
        assert!(
            awards.iter().all(|a| a.contestant.name != name) || text.contains(name),
            "{name}"
        );
    }
    // --by school: the pages' schools come in sorted runs.
    let schools: Vec<String> = pages_text(&pdf)
        .iter()
        .map(|p| {
            awards
                .iter()
                .map(|a| a.contestant.school.clone())
                .find(|sch| squeeze(p).contains(sch.as_str()))
                .expect("school on page")
        })
        .collect();
    let mut sorted = schools.clone();
    sorted.sort();
    assert_eq!(schools, sorted);

    // Pre-printed stock: only the fields, no wording or title.
    let pdf = dir.path().join("stock.pdf");
    run_ok(&[
        "export",
        "certificates",
        s(&file),
        "--out",
        s(&pdf),
        "--stock",
        "--event",
        "E05",
        "--offset-x",
        "5",
        "--offset-y",
        "-3",
    ]);
    qpdf_check(&pdf);
    let text = squeeze(&pdftotext(&pdf));
    assert!(!text.contains("荣誉证书") && !text.contains("特发此证"));
    assert!(text.contains(&e05[0].contestant.name) && text.contains(&e05[0].serial));

    // The calibration page.
    let pdf = dir.path().join("cal.pdf");
    run_ok(&["export", "calibration", s(&file), "--out", s(&pdf)]);
    qpdf_check(&pdf);
    assert_eq!(page_count(&pdf), 1);
    assert_a4(page_sizes(&pdf)[0], true);
    let text = pdftotext(&pdf);
    assert!(text.contains("校准") && text.contains("offset_x"));
}

/// Takes the file's certificate template out, changes it with `edit`, loads it back.
fn edit_template(dir: &Path, file: &Path, edit: impl Fn(&str) -> String) {
    let toml = dir.join("t.toml");
    run_ok(&["export", "template", s(file), "--out", s(&toml)]);
    let text = std::fs::read_to_string(&toml).expect("template");
    let edited = edit(&text);
    assert_ne!(edited, text, "the edit changed the template");
    std::fs::write(&toml, &edited).expect("write");
    run_ok(&["export", "template", s(file), "--load", s(&toml)]);
}

/// The certificates of one event of `file` (with `extra` options), checked by qpdf.
fn event_certificates(dir: &Path, file: &Path, event: &str, extra: &[&str]) -> PathBuf {
    let pdf = dir.join("cert.pdf");
    let mut args = vec![
        "export",
        "certificates",
        s(file),
        "--out",
        s(&pdf),
        "--event",
        event,
    ];
    args.extend_from_slice(extra);
    run_ok(&args);
    qpdf_check(&pdf);
    pdf
}

/// A minimal PNG encoder (stored deflate blocks), so the tests need no image files.
fn png(w: u32, h: u32, px: impl Fn(u32, u32) -> [u8; 4]) -> Vec<u8> {
    fn crc(data: &[u8]) -> u32 {
        let mut c = 0xffff_ffffu32;
        for &b in data {
            c ^= u32::from(b);
            for _ in 0..8 {
                c = if c & 1 == 1 {
                    0xedb8_8320 ^ (c >> 1)
                } else {
                    c >> 1
                };
            }
        }
        !c
    }
    fn chunk(out: &mut Vec<u8>, kind: &[u8], data: &[u8]) {
        out.extend((data.len() as u32).to_be_bytes());
        let mut body = kind.to_vec();
        body.extend_from_slice(data);
        out.extend_from_slice(&body);
        out.extend(crc(&body).to_be_bytes());
    }
    let mut raw = Vec::new();
    for y in 0..h {
        raw.push(0);
        for x in 0..w {
            raw.extend(px(x, y));
        }
    }
    let mut z = vec![0x78, 0x01];
    let blocks: Vec<&[u8]> = raw.chunks(65_535).collect();
    for (i, b) in blocks.iter().enumerate() {
        z.push(u8::from(i + 1 == blocks.len()));
        z.extend((b.len() as u16).to_le_bytes());
        z.extend((!(b.len() as u16)).to_le_bytes());
        z.extend_from_slice(b);
    }
    let (mut a, mut b) = (1u32, 0u32);
    for &x in &raw {
        a = (a + u32::from(x)) % 65_521;
        b = (b + a) % 65_521;
    }
    z.extend(((b << 16) | a).to_be_bytes());
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut ihdr = Vec::new();
    ihdr.extend(w.to_be_bytes());
    ihdr.extend(h.to_be_bytes());
    ihdr.extend([8, 6, 0, 0, 0]);
    chunk(&mut out, b"IHDR", &ihdr);
    chunk(&mut out, b"IDAT", &z);
    chunk(&mut out, b"IEND", &[]);
    out
}

#[test]
fn certificate_background_and_seal_and_template_in_the_file() {
    let dir = tempfile::tempdir().expect("dir");
    let file = demo(dir.path(), 30);
    // A cream background with a frame, and a red ring seal with transparency.
    std::fs::write(
        dir.path().join("bg.png"),
        png(297, 210, |x, y| {
            let edge = x < 8 || y < 8 || x > 288 || y > 201;
            if edge {
                [184, 134, 11, 255]
            } else {
                [253, 248, 233, 255]
            }
        }),
    )
    .expect("bg");
    std::fs::write(
        dir.path().join("seal.png"),
        png(120, 120, |x, y| {
            let d = ((x as f32 - 60.0).powi(2) + (y as f32 - 60.0).powi(2)).sqrt();
            if (50.0..58.0).contains(&d) {
                [200, 20, 20, 230]
            } else {
                [0, 0, 0, 0]
            }
        }),
    )
    .expect("seal");

    // Take the template out, edit it, load it back into the file.
    edit_template(dir.path(), &file, |text| {
        text.replacen("background = \"\"", "background = \"bg.png\"", 1)
            .replacen(
                "# seal = { path = \"seal.png\", x = 194",
                "seal = { path = \"seal.png\", x = 194",
                1,
            )
            .replacen("text = \"荣誉证书\"", "text = \"获奖证书\"", 1)
    });
    let pdf = event_certificates(dir.path(), &file, "E01", &[]);
    let text = squeeze(&pdftotext(&pdf));
    assert!(text.contains("获奖证书") && !text.contains("荣誉证书"));
    // Both images are embedded once for all pages.
    let list = tool("pdfimages", &["-list", s(&pdf)]);
    let objects: std::collections::BTreeSet<&str> = list
        .lines()
        .skip(2)
        .filter_map(|l| l.split_whitespace().nth(10))
        .collect();
    assert!(
        list.lines().count() > 2 + 2,
        "images drawn on the pages: {list}"
    );
    assert!(
        objects.len() <= 4,
        "images embedded once (image + soft mask): {list}"
    );
    // The seal keeps its transparency (a soft mask), so the 落款 under it shows through.
    assert!(
        list.lines()
            .any(|l| l.split_whitespace().nth(2) == Some("smask")),
        "the seal lost its transparency: {list}"
    );
    let size = std::fs::metadata(&pdf).expect("meta").len();
    assert!(size < 2_000_000, "{size} bytes");

    // A missing image: a clear message and no file.
    std::fs::remove_file(dir.path().join("seal.png")).expect("rm");
    let pdf2 = dir.path().join("cert2.pdf");
    let out = scoredesk(&["export", "certificates", s(&file), "--out", s(&pdf2)]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("找不到图片"), "{}", stderr(&out));
    assert!(stderr(&out).contains("seal.png"), "{}", stderr(&out));
    assert!(!pdf2.exists());

    // A template with an unknown field is refused with the field named.
    let toml = dir.path().join("t.toml");
    let text = std::fs::read_to_string(&toml).expect("the edited template");
    std::fs::write(&toml, text.replace("{等次}", "{奖项}")).expect("write");
    let out = scoredesk(&["export", "template", s(&file), "--load", s(&toml)]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("{奖项}"), "{}", stderr(&out));
}

#[test]
fn a_long_name_grows_its_box_and_the_text_after_it_moves() {
    let fonts = Fonts::bundled().expect("font");
    let template = Template::builtin();
    let design = &template.landscape;
    let block = certificate::name_block(design).expect("name block");
    let page_for = |name: &str| {
        let mut fields = std::collections::BTreeMap::new();
        fields.insert("姓名", name.to_string());
        fields.insert("单位", "吕梁市第一中学".to_string());
        let (page, _) = certificate::certificate_page(
            &fonts,
            design,
            certificate::DesignImages::default(),
            Orientation::Landscape,
            &fields,
        );
        let name_text = page
            .texts()
            .find(|t| t.text == name)
            .cloned()
            .expect("name on the page");
        let teacher = page
            .texts()
            .find(|t| t.text == "老师：")
            .cloned()
            .expect("老师： on the page");
        (name_text, teacher)
    };
    let (short, short_teacher) = page_for("王䶮");
    assert_eq!(
        short.size, block.size,
        "a short name keeps the template size"
    );
    let long_name = "阿依古丽·买买提江艾力木";
    assert_eq!(long_name.chars().count(), 12);
    let (long, teacher) = page_for(long_name);
    // The name keeps the size of the text beside it (it used to drop to 12 pt beside 20 pt).
    assert_eq!(long.size, block.size, "the long name was shrunk");
    assert!(long.width > block.width, "{} ≤ {}", long.width, block.width);
    // 老师： moved right by as much as the name grew, and does not overlap it.
    assert!(teacher.x > short_teacher.x + 1.0);
    assert!(
        teacher.x >= long.x + long.width - 0.01,
        "{} < {}",
        teacher.x,
        long.x + long.width
    );
    assert_eq!(teacher.size, short_teacher.size);
    // And stays on the page, inside the border.
    assert!(teacher.x + teacher.width <= 297.0 - 14.9);
    // Measured with the font's advances: 11 ideographs + a middle dot, all one em wide.
    let em_mm = long.size * 25.4 / 72.0;
    assert!(
        (long.width - 12.0 * em_mm).abs() < 0.05,
        "{} vs {}",
        long.width,
        12.0 * em_mm
    );
}

#[test]
fn a_character_no_font_has_stops_certificates_unless_a_box_is_allowed() {
    let dir = tempfile::tempdir().expect("dir");
    let file = demo(dir.path(), 30);
    // Rename an award winner to contain a private-use character.
    let (winner, _) = rename_first_winner(&file, "张\u{E000}明");
    let pdf = dir.path().join("cert.pdf");
    let mut job = ExportJob {
        kind: ExportKind::Certificates(CertificateOptions::default()),
        font_search: FontSearch::None,
        ..ExportJob::default()
    };
    // A wrong name on a 荣誉证书 is the worst outcome: nothing is written, the contestant and
    // the character are named.
    match report::export(&job, &file, &pdf, &|_, _| {}) {
        Err(report::ReportError::MissingGlyphs(list)) => {
            assert!(
                list.iter()
                    .any(|w| w.contains("U+E000") && w.contains(&winner.id)),
                "{list:?}"
            );
        }
        other => panic!(
            "expected MissingGlyphs, got {:?}",
            other.map(|s| s.warnings)
        ),
    }
    assert!(!pdf.exists(), "no certificate file was written");

    // Allowed: a visible box where the character goes, to write in by hand.
    job.allow_missing_glyphs = true;
    let summary = report::export(&job, &file, &pdf, &|_, _| {}).expect("export");
    let hit: Vec<&String> = summary
        .warnings
        .iter()
        .filter(|w| w.contains("U+E000"))
        .collect();
    assert!(!hit.is_empty(), "no warning: {:?}", summary.warnings);
    assert!(hit.iter().all(|w| w.contains(&winner.id)), "{hit:?}");
    qpdf_check(&pdf);
    let text = pdftotext(&pdf);
    assert!(
        text.contains("张☐明") || text.contains("张□明"),
        "a box where the character goes"
    );
    assert!(!text.contains('\u{E000}') && !text.contains('\u{FFFD}'));

    // The command line: refused with a non-zero exit naming the contestant …
    let cert = dir.path().join("cli-cert.pdf");
    let out = scoredesk(&[
        "export",
        "certificates",
        s(&file),
        "--out",
        s(&cert),
        "--no-system-fonts",
    ]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("U+E000") && stderr(&out).contains(&winner.id));
    assert!(!cert.exists());
    // … and done with --allow-missing-glyphs.
    let out = scoredesk(&[
        "export",
        "certificates",
        s(&file),
        "--out",
        s(&cert),
        "--no-system-fonts",
        "--allow-missing-glyphs",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(cert.exists());

    // Result sheets are not certificates: printed, with the warning on stderr.
    let pdf = dir.path().join("sheets.pdf");
    let out = scoredesk(&[
        "export",
        "sheets",
        s(&file),
        "--out",
        s(&pdf),
        "--no-system-fonts",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stderr(&out).contains("U+E000") && stderr(&out).contains(&winner.id));
}

#[test]
fn a_character_the_bundled_font_lacks_comes_from_a_system_font() {
    // ǚ (pinyin, U+01DA) is not in the bundled font; DejaVu or Noto on the system has it.
    // scripts/install-deps.sh installs fonts-dejavu-core, which has it.
    let fonts = Fonts::for_texts(["ǚ"], &FontSearch::System).expect("fonts");
    assert!(
        fonts.covers('ǚ'),
        "no system font has U+01DA: install fonts-dejavu-core (scripts/install-deps.sh)"
    );
    assert!(!Fonts::bundled().expect("font").covers('ǚ'));
    let dir = tempfile::tempdir().expect("dir");
    let file = demo(dir.path(), 30);
    let (_, awards) = rename_first_winner(&file, "Lǚ 王䶮");
    let pdf = dir.path().join("cert.pdf");
    let job = ExportJob {
        kind: ExportKind::Certificates(CertificateOptions::default()),
        event: awards[0].event_code.clone(),
        ..ExportJob::default()
    };
    let summary = report::export(&job, &file, &pdf, &|_, _| {}).expect("export");
    assert!(
        summary.warnings.iter().all(|w| !w.contains("U+01DA")),
        "{:?}",
        summary.warnings
    );
    qpdf_check(&pdf);
    assert!(pdftotext(&pdf).contains("Lǚ 王䶮"));
}

#[test]
fn judge_sheets_blank_sheets_and_draw_lists() {
    let dir = tempfile::tempdir().expect("dir");
    let file = demo(dir.path(), 30);
    let data = load(&file);

    let pdf = dir.path().join("judges.pdf");
    run_ok(&[
        "export",
        "judge-sheets",
        s(&file),
        "--out",
        s(&pdf),
        "--event",
        "E05",
    ]);
    qpdf_check(&pdf);
    let panel = data.panel("E05");
    assert_eq!(
        page_count(&pdf),
        panel.len(),
        "one page per judge of the panel"
    );
    let pages = pages_text(&pdf);
    for (j, page) in panel.iter().zip(&pages) {
        assert!(page.contains(&j.name) && page.contains(&j.id), "{}", j.id);
        assert!(page.contains("评委签名") && page.contains("日期"));
        // Criterion headers carry their maximum (the header may wrap).
        assert!(page.contains("教学目标") && page.contains("(10)"));
    }
    // A submitted sheet's total appears on its judge's page, in draw order.
    let store = Store::open_with(&file, Access::ReadOnly).expect("open");
    let sheets = store.sheets(true).expect("sheets");
    let j = panel[0];
    let page = &pages[0];
    for sh in sheets
        .iter()
        .filter(|x| x.event == "E05" && x.judge == j.id)
    {
        let line = page
            .lines()
            .find(|l| l.contains(&sh.contestant))
            .expect("row");
        assert!(line.contains(&sh.total.format(1)), "{line}");
    }

    let pdf = dir.path().join("blank.pdf");
    run_ok(&[
        "export",
        "judge-sheets",
        s(&file),
        "--out",
        s(&pdf),
        "--blank",
        "--event",
        "E05",
    ]);
    qpdf_check(&pdf);
    let text = pdftotext(&pdf);
    assert!(text.contains("抽签顺序表") && text.contains("抽签种子"));
    assert!(text.contains("空白评分表"));
    let seed = store.draw_seed("E05").expect("seed").expect("drawn");
    assert!(text.contains(&seed.to_string()));
    // The blank sheets carry no scores.
    let first = sheets.iter().find(|x| x.event == "E05").expect("a sheet");
    let blank_pages: Vec<String> = pages_text(&pdf)
        .into_iter()
        .filter(|p| p.contains("空白评分表"))
        .collect();
    let firsts = blank_pages.iter().filter(|p| !p.contains("（续）")).count();
    assert_eq!(
        firsts,
        panel.len(),
        "one blank sheet per judge of the panel"
    );
    assert!(
        blank_pages
            .iter()
            .all(|p| !p.contains(&format!(" {} ", first.total.format(1))))
    );
    // Draw order: the list follows the recorded order.
    let order: Vec<String> = store
        .entries()
        .expect("entries")
        .into_iter()
        .filter(|e| e.event == "E05")
        .map(|e| e.contestant)
        .collect();
    // The draw list comes per group; within each group's list, the recorded order.
    let list: String = pages_text(&pdf)
        .into_iter()
        .filter(|p| p.contains("抽签顺序表"))
        .collect();
    let contestants = store.contestants().expect("contestants");
    let group_of = |id: &str| {
        contestants
            .iter()
            .find(|c| c.id == id)
            .map(|c| c.group())
            .unwrap_or_default()
    };
    let mut groups: Vec<String> = order.iter().map(|id| group_of(id)).collect();
    groups.dedup();
    for g in groups {
        let positions: Vec<usize> = order
            .iter()
            .filter(|id| group_of(id) == g)
            .map(|id| list.find(id.as_str()).expect("in the list"))
            .collect();
        assert!(
            positions.windows(2).all(|w| w[0] < w[1]),
            "draw order in {g}"
        );
    }
}

#[test]
fn tables_break_across_pages_with_the_header_repeated() {
    let fonts = Fonts::bundled().expect("font");
    let furniture = Furniture {
        title: "测试比赛".into(),
        generated: "2026-01-01 08:00".into(),
        audit_head: "0123456789abcdef0123".into(),
    };
    let mut b = ReportBuilder::new(&fonts, furniture, Orientation::Landscape);
    let rows: Vec<Vec<Cell>> = (1..=60)
        .map(|i| vec![i.to_string().into(), format!("选手{i}").into()])
        .collect();
    b.section(&Section {
        title: "长表".into(),
        info: vec!["说明".into()],
        table: Table {
            columns: vec![
                Column::new("序号", Align::Right),
                Column::new("姓名", Align::Left).flex(),
            ],
            rows,
            size: 9.0,
            row_height: 6.6,
        },
        after: vec!["评委签名：______".into()],
        bookmark: None,
    });
    let (pages, _) = b.finish();
    assert!(pages.len() >= 3, "{} pages", pages.len());
    let mut seen = 0;
    for (i, p) in pages.iter().enumerate() {
        let texts: Vec<&str> = p.texts().map(|t| t.text.as_str()).collect();
        assert!(
            texts.contains(&"序号") && texts.contains(&"姓名"),
            "header on page {i}"
        );
        assert!(texts.contains(&"测试比赛"));
        assert!(texts.contains(&format!("第 {} 页 / 共 {} 页", i + 1, pages.len()).as_str()));
        assert!(texts.contains(&"审计链 0123456789abcdef"));
        if i > 0 {
            assert!(texts.contains(&"长表（续）"));
        }
        // Nothing is drawn below the footer line or off the page.
        for t in p.texts() {
            assert!(t.baseline < p.height - 5.0 && t.x >= 0.0 && t.x + t.width <= p.width);
        }
        seen += texts.iter().filter(|t| t.starts_with("选手")).count();
    }
    assert_eq!(seen, 60, "every row once");
    let last: Vec<&str> = pages[pages.len() - 1]
        .texts()
        .map(|t| t.text.as_str())
        .collect();
    assert!(last.contains(&"评委签名：______"));
}

#[test]
fn xlsx_and_csv_keep_numbers_and_chinese() {
    use calamine::{Data, Reader, Xlsx, open_workbook};
    let dir = tempfile::tempdir().expect("dir");
    let file = demo(dir.path(), 30);
    let data = load(&file);
    let xlsx = dir.path().join("results.xlsx");
    run_ok(&["export", "xlsx", s(&file), "--out", s(&xlsx)]);
    let mut wb: Xlsx<_> = open_workbook(&xlsx).expect("open xlsx");
    let names = wb.sheet_names();
    for n in ["E05 课堂教学", "综合成绩", "公示名单"] {
        assert!(names.iter().any(|x| x == n), "{n} in {names:?}");
    }
    assert_eq!(names.len(), data.setup.events.len() + 2);

    let range = wb.worksheet_range("E05 课堂教学").expect("sheet");
    let rows: Vec<&[Data]> = range.rows().collect();
    let header: Vec<String> = rows[0].iter().map(|c| c.to_string()).collect();
    assert_eq!(&header[..5], ["组别", "名次", "编号", "姓名", "单位"]);
    let final_col = header
        .iter()
        .position(|h| h == "最后得分")
        .expect("最后得分");
    let er = data.event_results("E05").expect("E05");
    let entry = &er.groups[0].entries[0];
    let row = rows
        .iter()
        .find(|r| r[2].to_string() == entry.contestant)
        .expect("row");
    assert_eq!(row[3].to_string(), entry.name);
    match &row[final_col] {
        Data::Float(f) => {
            assert!((f - entry.final_score.expect("score").to_f64()).abs() < 1e-9)
        }
        other => panic!("final score is not a number: {other:?}"),
    }
    // Judges' scores are numbers too (dropped ones are struck through, still numbers).
    assert!(matches!(row[5], Data::Float(_)), "{:?}", row[5]);
    let all_names: Vec<String> = wb
        .worksheet_range("综合成绩")
        .expect("overall")
        .rows()
        .map(|r| r[3].to_string())
        .collect();
    for name in ["金𬭎", "王䶮", "阿依古丽·买买提"] {
        assert!(all_names.iter().any(|n| n == name), "{name}");
    }
    let awards = wb.worksheet_range("公示名单").expect("awards");
    assert_eq!(
        awards.rows().count() - 1,
        certificate::awards(&data, 2025).0.len()
    );

    // CSV: the same tables, one file each, UTF-8 with BOM.
    let folder = dir.path().join("csv");
    run_ok(&[
        "export",
        "xlsx",
        s(&file),
        "--out",
        s(&folder),
        "--format",
        "csv",
    ]);
    let csv = std::fs::read(folder.join("E05 课堂教学.csv")).expect("csv");
    assert!(csv.starts_with("\u{feff}".as_bytes()));
    let text = String::from_utf8(csv).expect("utf-8");
    assert!(text.contains(&entry.name));
    assert!(text.contains(&entry.final_score.expect("score").format(2)));
    assert!(folder.join("综合成绩.csv").exists() && folder.join("公示名单.csv").exists());
}

#[test]
fn an_unwritable_target_gives_a_clear_message_and_no_file() {
    let dir = tempfile::tempdir().expect("dir");
    let file = demo(dir.path(), 20);

    // A folder that does not exist.
    let target = dir.path().join("missing").join("out.pdf");
    let out = scoredesk(&["export", "sheets", s(&file), "--out", s(&target)]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("文件夹不存在"), "{}", stderr(&out));
    assert!(!target.exists());

    // A folder given instead of a file name.
    let out = scoredesk(&["export", "awards", s(&file), "--out", s(dir.path())]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("文件夹"), "{}", stderr(&out));

    // A read-only folder: permissions for a normal user; for root (who writes anyway, and is
    // how CI runs) a read-only tmpfs mounted there.
    let ro = dir.path().join("ro");
    std::fs::create_dir(&ro).expect("mkdir");
    #[cfg(unix)]
    {
        let guard = ReadOnlyFolder::new(&ro);
        for kind in [ExportKind::Sheets, ExportKind::Xlsx] {
            let target = ro.join("out.file");
            let e = report::export(&ExportJob::new(kind), &file, &target, &|_, _| {})
                .expect_err("read-only");
            assert!(matches!(e, ReportError::ReadOnly { .. }), "{e}");
            assert!(e.to_string().contains("只读"), "{e}");
            assert!(!target.exists());
            assert_eq!(
                std::fs::read_dir(&ro).expect("list").count(),
                0,
                "no temp file"
            );
        }
        drop(guard);
    }

    // Nothing of the failed exports is left beside the competition file.
    let stray: Vec<_> = std::fs::read_dir(dir.path())
        .expect("list")
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().contains("partial"))
        .collect();
    assert!(stray.is_empty(), "{stray:?}");
}

#[test]
fn the_gui_api_reports_progress_and_previews_the_first_page() {
    let dir = tempfile::tempdir().expect("dir");
    let file = demo(dir.path(), 20);
    let pdf = dir.path().join("cert.pdf");
    let calls = std::cell::RefCell::new(Vec::new());
    let job = ExportJob::new(ExportKind::Certificates(CertificateOptions::default()));
    let summary =
        report::export(&job, &file, &pdf, &|d, t| calls.borrow_mut().push((d, t))).expect("export");
    let calls = calls.into_inner();
    assert!(calls.len() >= 2);
    assert!(calls.iter().all(|(d, t)| d <= t));
    assert_eq!(calls.last().map(|(d, t)| d == t), Some(true));
    assert_eq!(summary.pages, summary.certificates);
    assert_eq!(summary.files, vec![pdf.clone()]);
    assert_eq!(summary.bytes, std::fs::metadata(&pdf).expect("meta").len());

    let preview = report::preview_first_page(&job, &file)
        .expect("preview")
        .expect("a page");
    assert_eq!(preview.pages.len(), 1);
    let page = &preview.pages[0];
    assert_eq!((page.width, page.height), (297.0, 210.0));
    let texts: Vec<&str> = page.texts().map(|t| t.text.as_str()).collect();
    assert!(texts.contains(&"荣誉证书"), "{texts:?}");
    let first = pages_text(&pdf)[0].clone();
    for t in &texts {
        assert!(squeeze(&first).contains(&squeeze(t)), "{t} not on page 1");
    }
    // Nothing to print is an error, not an empty file.
    let job = ExportJob {
        kind: ExportKind::Sheets,
        group: Some("没有这个组".into()),
        ..ExportJob::default()
    };
    let e = report::preview_first_page(&job, &file).expect_err("no such group");
    assert!(e.to_string().contains("没有组别"), "{e}");
}

#[test]
fn provisional_results_are_marked_and_get_no_certificate() {
    let dir = tempfile::tempdir().expect("dir");
    let file = demo(dir.path(), 20);
    // A new judge joins the E05 panel and has not scored: every E05 result is provisional.
    common::add_late_judge(&file);
    let data = load(&file);
    let er = data.event_results("E05").expect("E05");
    assert!(
        er.groups
            .iter()
            .flat_map(|g| &g.entries)
            .all(|e| e.provisional)
    );

    let pdf = dir.path().join("e05.pdf");
    run_ok(&[
        "export",
        "sheets",
        s(&file),
        "--out",
        s(&pdf),
        "--event",
        "E05",
    ]);
    let text = pdftotext(&pdf);
    let rows: Vec<&str> = text.lines().filter(|l| l.contains("JS2025")).collect();
    assert!(!rows.is_empty());
    for r in &rows {
        assert!(r.contains("未交"), "{r}");
    }
    // Every row's note says 待定 (a long note may wrap onto a second line).
    assert!(text.matches("待定：").count() >= rows.len());
    assert!(text.contains("迟到评委"));

    let pdf = dir.path().join("cert.pdf");
    let out = scoredesk(&[
        "export",
        "certificates",
        s(&file),
        "--out",
        s(&pdf),
        "--event",
        "E05",
    ]);
    assert!(!out.status.success(), "no final E05 awards to print");
    assert!(stderr(&out).contains("没有可打印"), "{}", stderr(&out));
    assert!(!pdf.exists());
    let out = scoredesk(&["export", "certificates", s(&file), "--out", s(&pdf)]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stderr(&out).contains("待定"), "{}", stderr(&out));
    assert!(!squeeze(&pdftotext(&pdf)).contains("课堂教学一等奖"));
}

/// Renames the first award winner of `file`; returns them (as before) and the awards.
fn rename_first_winner(file: &Path, name: &str) -> (Contestant, Vec<certificate::Award>) {
    let data = load(file);
    let (awards, _) = certificate::awards(&data, 2025);
    let winner = awards[0].contestant.clone();
    let mut store = Store::open(file).expect("open");
    store
        .update_contestant(
            &Contestant {
                name: name.into(),
                ..winner.clone()
            },
            "organiser",
        )
        .expect("rename");
    (winner, awards)
}

/// Makes a folder read-only for whoever runs the tests: `chmod 555` for a normal user; as root
/// (whom permissions do not stop) a read-only tmpfs mounted on it. Undone on drop.
#[cfg(unix)]
struct ReadOnlyFolder {
    path: std::path::PathBuf,
    mounted: bool,
}

#[cfg(unix)]
impl ReadOnlyFolder {
    fn new(path: &std::path::Path) -> Self {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o555)).expect("chmod");
        let probe = path.join("probe");
        if std::fs::write(&probe, b"x").is_err() {
            return ReadOnlyFolder {
                path: path.to_path_buf(),
                mounted: false,
            };
        }
        let _ = std::fs::remove_file(&probe);
        let status = std::process::Command::new("mount")
            .args(["-t", "tmpfs", "-o", "ro,size=64k", "tmpfs"])
            .arg(path)
            .status()
            .expect("run mount");
        assert!(
            status.success(),
            "running as root: a read-only tmpfs is needed for this test and mount failed"
        );
        assert!(
            std::fs::write(&probe, b"x").is_err(),
            "the mount is read-only"
        );
        ReadOnlyFolder {
            path: path.to_path_buf(),
            mounted: true,
        }
    }
}

#[cfg(unix)]
impl Drop for ReadOnlyFolder {
    fn drop(&mut self) {
        use std::os::unix::fs::PermissionsExt;
        if self.mounted {
            let _ = std::process::Command::new("umount")
                .arg(&self.path)
                .status();
        }
        let _ = std::fs::set_permissions(&self.path, std::fs::Permissions::from_mode(0o755));
    }
}

#[test]
fn printed_join_cards_scan_back_to_each_judges_link() {
    let dir = tempfile::tempdir().expect("dir");
    let cards: Vec<scoredesk::report::join_cards::JoinCard> = ["PW001", "PW002", "PW003"]
        .iter()
        .enumerate()
        .map(|(i, id)| scoredesk::report::join_cards::JoinCard {
            judge: id.to_string(),
            name: "欧阳𬭎".into(),
            panels: "课堂教学、说课".into(),
            url: format!("http://192.168.1.10:8808/?t={i:032x}"),
        })
        .collect();
    let pdf = dir.path().join("cards.pdf");
    let pages =
        scoredesk::report::join_cards::write_cards("吕梁市第二届", "0123abcd", &cards, &pdf)
            .expect("cards");
    assert_eq!(pages, 1);
    qpdf_check(&pdf);
    assert!(pdftotext(&pdf).contains("欧阳𬭎"));
    let png = dir.path().join("page");
    let ok = std::process::Command::new("pdftoppm")
        .args(["-r", "200", "-png", "-f", "1", "-l", "1"])
        .arg(&pdf)
        .arg(&png)
        .status()
        .expect("pdftoppm")
        .success();
    assert!(ok);
    let out = std::process::Command::new("zbarimg")
        .args(["-q", "--raw"])
        .arg(dir.path().join("page-1.png"))
        .output()
        .expect("zbarimg (zbar-tools) is installed by scripts/install-deps.sh");
    let text = String::from_utf8_lossy(&out.stdout);
    let mut read: Vec<&str> = text.lines().collect();
    read.sort_unstable();
    let mut want: Vec<&str> = cards.iter().map(|c| c.url.as_str()).collect();
    want.sort_unstable();
    assert_eq!(
        read, want,
        "every card's QR code reads back as its join link"
    );
}

/// Issue 14.5: the certificate date and the serial year come from the competition's dates; with
/// none set, from the day the last score was submitted (a reprint prints the same), with a
/// warning.
#[test]
fn certificate_date_and_serial_year_agree() {
    let dir = tempfile::tempdir().expect("dir");
    let file = demo(dir.path(), 30);
    let export = |name: &str| {
        let pdf = dir.path().join(name);
        let job = ExportJob {
            kind: ExportKind::Certificates(CertificateOptions::default()),
            font_search: FontSearch::None,
            event: Some("ZH".into()),
            // Years after the competition: "now" must not leak onto the certificate.
            now_unix: Some(1_900_000_000),
            ..ExportJob::default()
        };
        let summary = report::export(&job, &file, &pdf, &|_, _| {}).expect("export");
        (pdftotext(&pdf), summary.warnings)
    };
    // The demo's dates: 2025年11月15日—16日 → the last day.
    let (text, warnings) = export("a.pdf");
    assert!(text.contains("2025年11月16日"), "{text}");
    assert!(text.contains("2025-ZH-0001"), "the serial year matches");
    assert!(
        !warnings.iter().any(|w| w.contains("比赛日期")),
        "{warnings:?}"
    );

    // No dates: the day the last score was submitted, the same on a reprint, with a warning.
    rusqlite::Connection::open(&file)
        .expect("open")
        .execute("UPDATE competition SET dates = ''", [])
        .expect("clear dates");
    let last = Store::open_with(&file, Access::ReadOnly)
        .expect("open")
        .last_submitted_at()
        .expect("read")
        .expect("scores were submitted");
    let unix = scoredesk::clock::parse_rfc3339(&last).expect("time");
    let day = scoredesk::clock::beijing_date_chinese(unix);
    let (text, warnings) = export("b.pdf");
    assert!(text.contains(&day), "{day} not in {text}");
    assert!(text.contains(&format!("{}-ZH-0001", &day[..4])));
    assert!(
        warnings.iter().any(|w| w.contains("比赛日期")),
        "{warnings:?}"
    );
    let (again, _) = export("c.pdf");
    assert!(again.contains(&day), "a reprint prints the same date");
}

/// Every font size set in a PDF's content streams (`… Tf`), read from qpdf's uncompressed form.
fn font_sizes(pdf: &Path, dir: &Path) -> Vec<f64> {
    let qdf = dir.join(format!(
        "{}.qdf.pdf",
        pdf.file_stem().and_then(|s| s.to_str()).unwrap_or("x")
    ));
    tool(
        "qpdf",
        &["--qdf", "--object-streams=disable", s(pdf), s(&qdf)],
    );
    let bytes = std::fs::read(&qdf).expect("qdf");
    let text = String::from_utf8_lossy(&bytes);
    let mut sizes = Vec::new();
    for line in text.lines() {
        let line = line.trim_end();
        if let Some(size) = line
            .strip_suffix(" Tf")
            .and_then(|before| before.split_whitespace().last())
            .and_then(|v| v.parse().ok())
        {
            sizes.push(size);
        }
    }
    sizes
}

#[test]
fn long_units_and_names_wrap_and_no_text_is_below_seven_points() {
    let dir = tempfile::tempdir().expect("dir");
    let file = demo(dir.path(), 30);
    let unit = "吕梁市离石区教育科技局直属第一实验小学附属幼儿园分园";
    assert_eq!(unit.chars().count(), 26);
    let name = "阿依古丽·买买提·艾力";
    let data = load(&file);
    let (awards, _) = certificate::awards(&data, 2025);
    let winner = awards[0].contestant.clone();
    Store::open(&file)
        .expect("open")
        .update_contestant(
            &Contestant {
                name: name.into(),
                school: unit.into(),
                ..winner.clone()
            },
            "organiser",
        )
        .expect("rename");
    let exports: &[(&str, &[&str])] = &[
        ("sheets", &["export", "sheets"]),
        ("overall", &["export", "sheets", "--event", "综合"]),
        ("awards", &["export", "awards"]),
        ("judges", &["export", "judge-sheets"]),
        ("certs", &["export", "certificates"]),
    ];
    for (name_of, args) in exports {
        let pdf = dir.path().join(format!("{name_of}.pdf"));
        let mut all: Vec<&str> = args.to_vec();
        all.push(s(&file));
        all.push("--out");
        all.push(s(&pdf));
        run_ok(&all);
        let sizes = font_sizes(&pdf, dir.path());
        assert!(!sizes.is_empty(), "{name_of}: no text found");
        let smallest = sizes.iter().copied().fold(f64::MAX, f64::min);
        assert!(smallest >= 7.0 - 1e-6, "{name_of}: text at {smallest} pt");
        // Chinese sheets carry no English fragments (ids, the audit head and numbers aside).
        if *name_of != "certs" {
            for line in pdftotext(&pdf).lines().filter(|l| !l.contains("审计链")) {
                let mut run = 0;
                for c in line.chars() {
                    run = if c.is_ascii_alphabetic() { run + 1 } else { 0 };
                    assert!(run < 3, "{name_of}: English in {line:?}");
                }
            }
        }
        // The unit is printed whole (perhaps over two lines), never cut.
        if *name_of != "judges" {
            // In content order a wrapped cell's lines follow each other.
            let text = squeeze(&tool("pdftotext", &["-raw", s(&pdf), "-"]));
            assert!(
                text.contains(&squeeze(unit)),
                "{name_of}: the unit is missing"
            );
        }
    }
}

#[test]
fn the_public_notice_and_sign_off_blocks_are_the_forms_people_expect() {
    let dir = tempfile::tempdir().expect("dir");
    let file = demo(dir.path(), 30);
    // Nothing set: blank lines to fill in by hand.
    let notice = dir.path().join("notice.pdf");
    run_ok(&["export", "awards", s(&file), "--out", s(&notice)]);
    let text = pdftotext(&notice);
    assert!(text.contains("获奖名单公示"), "{text}");
    assert!(text.contains("公示期：______年____月____日 至 ______年____月____日"));
    assert!(text.contains("监督电话：__"));
    // The lists run on: fewer pages than lists (13 events and the overall).
    let lists = text.matches("单项奖").count();
    assert!(page_count(&notice) < 14, "{} pages", page_count(&notice));
    assert!(lists >= 13);
    // The 落款: the organiser and a blank date, after the last list.
    let last = pages_text(&notice).pop().expect("a page");
    assert!(last.contains("______年____月____日"), "{last}");

    // Set in setup (`scoredesk papers`): printed instead of the blanks.
    run_ok(&[
        "papers",
        s(&file),
        "--set",
        "公示期起=2025年11月17日",
        "--set",
        "公示期止=2025年11月21日",
        "--set",
        "监督电话=0358-8220000",
        "--set",
        "落款单位=吕梁市教育局办公室",
        "--set",
        "落款日期=2025年11月17日",
        "--set",
        "裁判长=张伟",
    ]);
    run_ok(&["export", "awards", s(&file), "--out", s(&notice)]);
    let text = squeeze(&pdftotext(&notice));
    assert!(
        text.contains("公示期：2025年11月17日至2025年11月21日"),
        "{text}"
    );
    assert!(text.contains("监督电话：0358-8220000"));
    assert!(text.contains("吕梁市教育局办公室"));
    // Within each list: by group, then tier (一等奖 before 二等奖 within a group).
    let raw = tool("pdftotext", &["-raw", s(&notice), "-"]);
    let mut last_group = String::new();
    let mut last_tier = 0;
    for line in raw.lines() {
        let cols: Vec<&str> = line.split_whitespace().collect();
        if cols.len() >= 3 && cols[0].parse::<u32>().is_ok() && cols[2].ends_with("等奖") {
            let tier = ["一等奖", "二等奖", "三等奖"]
                .iter()
                .position(|t| *t == cols[2])
                .unwrap_or(9);
            if cols[1] == last_group {
                assert!(tier >= last_tier, "{line}");
            }
            last_group = cols[1].to_string();
            last_tier = tier;
        }
    }

    // Result sheets end each event and group with the sign-off block.
    let sheets = dir.path().join("sheets.pdf");
    run_ok(&[
        "export",
        "sheets",
        s(&file),
        "--event",
        "E01",
        "--out",
        s(&sheets),
    ]);
    let text = squeeze(&pdftotext(&sheets));
    assert!(
        text.contains("记分员：____________裁判长：张伟监督员：____________日期："),
        "{text}"
    );
}

#[test]
fn groups_follow_the_roster_or_the_customary_order() {
    let dir = tempfile::tempdir().expect("dir");
    let file = demo(dir.path(), 60);
    let groups_of = |file: &Path| -> Vec<String> {
        let out = run_ok(&["results", s(file), "--overall", "--format", "json"]);
        let v: serde_json::Value = serde_json::from_str(&out).expect("json");
        v["groups"]
            .as_array()
            .expect("groups")
            .iter()
            .map(|g| g["group"].as_str().unwrap_or_default().to_string())
            .collect()
    };
    run_ok(&["papers", s(&file), "--group-order", "customary"]);
    let customary = groups_of(&file);
    let pos = |g: &str| customary.iter().position(|x| x == g);
    if let (Some(a), Some(b)) = (pos("小学语文"), pos("小学数学")) {
        assert!(a < b, "{customary:?}");
    }
    if let (Some(a), Some(b)) = (pos("小学英语"), pos("初中语文")) {
        assert!(a < b, "{customary:?}");
    }
    run_ok(&["papers", s(&file), "--group-order", "roster"]);
    let roster = groups_of(&file);
    // Roster order: the group of the first contestant comes first.
    let first = load(&file).contestants[0].group();
    assert_eq!(roster[0], first, "{roster:?}");
}

#[test]
fn an_objective_event_is_one_score_not_seven_empty_judge_columns() {
    let dir = tempfile::tempdir().expect("dir");
    let file = demo(dir.path(), 30);
    let pdf = dir.path().join("e08.pdf");
    run_ok(&[
        "export",
        "sheets",
        s(&file),
        "--event",
        "E08",
        "--out",
        s(&pdf),
    ]);
    let text = pdftotext(&pdf);
    assert!(text.contains("业务能力测试"));
    assert!(text.contains("成绩"));
    assert!(!text.contains("评委1"), "{text}");
    assert!(!text.contains("评委 7 人"), "{text}");
    assert!(!text.contains("不去分"), "{text}");
}

#[test]
fn judge_sheets_sign_every_page_number_within_the_set_and_filter_by_group() {
    let dir = tempfile::tempdir().expect("dir");
    let file = demo(dir.path(), 120);
    let pdf = dir.path().join("judges.pdf");
    run_ok(&["export", "judge-sheets", s(&file), "--out", s(&pdf)]);
    let pages = pages_text(&pdf);
    let set: Vec<&String> = pages.iter().filter(|p| p.contains("PW029 第 ")).collect();
    assert!(set.len() >= 2, "PW029's set has several pages");
    let n = set.len();
    for (i, p) in set.iter().enumerate() {
        assert!(p.contains(&format!("PW029 第 {}/{n} 页", i + 1)), "{p}");
        assert!(
            p.contains("评委签名"),
            "page {} of the set is unsigned",
            i + 1
        );
    }
    // Every page of every judge's set is signed.
    assert!(pages.iter().all(|p| p.contains("评委签名")));

    // One room's sheets: only that group's contestants, with a 组别 column.
    let room = dir.path().join("room.pdf");
    run_ok(&[
        "export",
        "judge-sheets",
        s(&file),
        "--out",
        s(&room),
        "--event",
        "E05",
        "--group",
        "小学语文",
    ]);
    let data = load(&file);
    let text = pdftotext(&room);
    assert!(text.contains("组别"));
    for c in &data.contestants {
        if text.contains(&c.id) {
            assert_eq!(c.group(), "小学语文", "{} of {} printed", c.id, c.group());
        }
    }
    assert!(
        data.contestants
            .iter()
            .any(|c| c.group() == "小学语文" && text.contains(&c.id))
    );
    // The blank sheets' draw lists are per group.
    let blank = dir.path().join("blank.pdf");
    run_ok(&[
        "export",
        "judge-sheets",
        s(&file),
        "--out",
        s(&blank),
        "--blank",
        "--event",
        "E05",
    ]);
    let text = pdftotext(&blank);
    assert!(text.contains("抽签顺序表 — 小学语文"), "{}", &text[..400]);
}

#[test]
fn the_workbook_prints_and_filters_and_shows_whole_chinese_units() {
    use std::io::Read;
    let dir = tempfile::tempdir().expect("dir");
    let file = demo(dir.path(), 30);
    let xlsx = dir.path().join("t.xlsx");
    run_ok(&["export", "xlsx", s(&file), "--out", s(&xlsx)]);
    let mut zip = zip::ZipArchive::new(std::fs::File::open(&xlsx).expect("open")).expect("zip");
    let mut workbook = String::new();
    zip.by_name("xl/workbook.xml")
        .expect("workbook")
        .read_to_string(&mut workbook)
        .expect("read");
    let sheets = zip
        .file_names()
        .filter(|n| n.starts_with("xl/worksheets/sheet"))
        .map(str::to_string)
        .collect::<Vec<_>>();
    assert!(sheets.len() >= 14);
    for name in &sheets {
        let mut xml = String::new();
        zip.by_name(name)
            .expect("sheet")
            .read_to_string(&mut xml)
            .expect("read");
        assert!(xml.contains("<autoFilter"), "{name}: no autofilter");
        assert!(
            xml.contains("orientation=\"landscape\""),
            "{name}: not landscape"
        );
        // Fit to one page wide (fitToWidth defaults to 1), any number of pages tall.
        assert!(
            xml.contains("fitToPage=\"1\"") && xml.contains("fitToHeight=\"0\""),
            "{name}: not fit to width"
        );
        assert!(xml.contains("<cols>"), "{name}: no column widths");
    }
    // The header row repeats on every printed page.
    assert!(workbook.contains("_xlnm.Print_Titles"), "{workbook}");
    // A Chinese unit's column is about twice its character count wide.
    let data = load(&file);
    let longest = data
        .contestants
        .iter()
        .map(|c| c.school.chars().count())
        .max()
        .unwrap_or(0);
    let mut xml = String::new();
    zip.by_name(&sheets[0])
        .expect("sheet")
        .read_to_string(&mut xml)
        .expect("read");
    let widths: Vec<f64> = xml
        .split("width=\"")
        .skip(1)
        .filter_map(|w| w.split('"').next()?.parse().ok())
        .collect();
    let widest = widths.iter().copied().fold(0.0, f64::max);
    assert!(widest >= (2 * longest) as f64, "{widest} < 2 × {longest}");
}

#[test]
fn pages_holding_provisional_results_are_marked_and_the_notice_warns() {
    let dir = tempfile::tempdir().expect("dir");
    let file = demo(dir.path(), 20);
    // Nothing pending yet: no mark anywhere.
    let pdf = dir.path().join("all.pdf");
    run_ok(&[
        "export",
        "sheets",
        s(&file),
        "--out",
        s(&pdf),
        "--event",
        "E01",
    ]);
    assert!(!pdftotext(&pdf).contains("未定稿"));
    // A new judge joins the E05 panel and has not scored: every E05 result is provisional.
    common::add_late_judge(&file);
    let pdf = dir.path().join("e05.pdf");
    run_ok(&[
        "export",
        "sheets",
        s(&file),
        "--out",
        s(&pdf),
        "--event",
        "E05",
    ]);
    for p in pages_text(&pdf) {
        assert!(p.contains("未定稿"), "{p}");
    }
    let pdf = dir.path().join("e01.pdf");
    run_ok(&[
        "export",
        "sheets",
        s(&file),
        "--out",
        s(&pdf),
        "--event",
        "E01",
    ]);
    assert!(!pdftotext(&pdf).contains("未定稿"), "E01 is final");
    // The notice: a warning on the command line and the mark on every page.
    let notice = dir.path().join("notice.pdf");
    let out = scoredesk(&["export", "awards", s(&file), "--out", s(&notice)]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stderr(&out).contains("未定稿"), "{}", stderr(&out));
    for p in pages_text(&notice) {
        assert!(p.contains("未定稿"), "{p}");
    }
}

#[test]
fn a_penalty_reason_is_printed_beside_the_deduction() {
    let dir = tempfile::tempdir().expect("dir");
    let file = demo(dir.path(), 20);
    let who = load(&file).contestants[0].id.clone();
    run_ok(&[
        "penalty",
        s(&file),
        "--event",
        "E01",
        "--contestant",
        &who,
        "--points",
        "1.5",
        "--reason",
        "超时（超过 1 分钟）",
    ]);
    let pdf = dir.path().join("e01.pdf");
    run_ok(&[
        "export",
        "sheets",
        s(&file),
        "--event",
        "E01",
        "--out",
        s(&pdf),
    ]);
    let text = squeeze(&tool("pdftotext", &["-raw", s(&pdf), "-"]));
    assert!(text.contains("扣分：超时（超过1分钟）"), "{text}");
    // The PDF's metadata dates are the real time, not 1970.
    let info = tool("pdfinfo", &[s(&pdf)]);
    let created = info
        .lines()
        .find(|l| l.starts_with("CreationDate:"))
        .expect("a creation date");
    assert!(!created.contains("1970"), "{created}");
}

#[test]
fn portrait_stock_has_its_own_layout_and_text_off_the_page_stops_the_export() {
    let dir = tempfile::tempdir().expect("dir");
    let file = demo(dir.path(), 20);
    let pdf = dir.path().join("stock-portrait.pdf");
    run_ok(&[
        "export",
        "certificates",
        s(&file),
        "--stock",
        "--portrait",
        "--out",
        s(&pdf),
    ]);
    for size in page_sizes(&pdf).into_iter().take(3) {
        assert_a4(size, false);
    }
    // Every text inside the portrait page (laid out, not the landscape layout rotated).
    let data = load(&file);
    let (awards, _) = certificate::awards(&data, 2025);
    let template = Template::builtin();
    let fonts = Fonts::bundled().expect("font");
    let f = certificate::fields(&data, &awards[0], "2025年11月16日");
    let (page, _) = certificate::stock_page(
        &fonts,
        template.stock_for(Orientation::Portrait),
        Orientation::Portrait,
        (0.0, 0.0),
        &f,
    );
    assert_eq!(certificate::off_page(&page), None);
    assert!(page.texts().all(|t| t.x + t.width <= 210.0));

    // Pushed off the paper: the export stops, naming the field and the offset; no file.
    let out_pdf = dir.path().join("off.pdf");
    let out = scoredesk(&[
        "export",
        "certificates",
        s(&file),
        "--stock",
        "--offset-x",
        "100",
        "--out",
        s(&out_pdf),
    ]);
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(err.contains("纸张外") && err.contains("x 100 mm"), "{err}");
    assert!(err.contains('{'), "the template field is named: {err}");
    assert!(!out_pdf.exists());

    // The calibration page in portrait shows the portrait stock boxes, and its footer leaves
    // the crosshairs clear.
    let cal = dir.path().join("cal.pdf");
    run_ok(&[
        "export",
        "calibration",
        s(&file),
        "--portrait",
        "--out",
        s(&cal),
    ]);
    let text = pdftotext(&cal);
    assert!(text.contains("{组别}{项目}"), "{text}");
    assert!(text.contains("(20, 267)"), "{text}");
}

fn pdffonts(pdf: &Path) -> String {
    tool("pdffonts", &[s(pdf)])
}

#[test]
fn certificates_are_set_in_kai_with_a_serif_title_and_no_character_is_lost() {
    use scoredesk::report::Family;
    let dir = tempfile::tempdir().expect("dir");
    let file = demo(dir.path(), 30);
    let fonts = Fonts::bundled()
        .expect("font")
        .with_certificate_faces()
        .expect("certificate faces");
    // 㐆 (Ext-A): the sans font has it, the 楷体 face does not — it must still be printed.
    let rare = '㐆';
    assert!(fonts.covers(rare) && !fonts.drawn_in_family(Family::Kai, rare));
    assert!(
        fonts.drawn_in_family(Family::Kai, '䶮'),
        "the 楷体 face has 䶮"
    );
    assert!(fonts.drawn_in_family(Family::Serif, '誉'));
    let name = format!("王{rare}䶮");
    let data = load(&file);
    let (awards, _) = certificate::awards(&data, 2025);
    let winner = awards
        .iter()
        .find(|a| a.event_code.as_deref() == Some("E05"))
        .expect("an E05 award")
        .contestant
        .clone();
    Store::open(&file)
        .expect("open")
        .update_contestant(
            &Contestant {
                name: name.clone(),
                ..winner
            },
            "organiser",
        )
        .expect("rename");

    let pdf = event_certificates(dir.path(), &file, "E05", &["--no-system-fonts"]);
    let used = pdffonts(&pdf);
    for face in [
        "ScoreDeskKaiSC-Regular",
        "ScoreDeskSerifSC-Bold",
        "ScoreDeskSansSC-Regular",
    ] {
        assert!(used.contains(face), "{face} not embedded:\n{used}");
    }
    // Every face is an embedded subset.
    for line in used.lines().filter(|l| l.contains("ScoreDesk")) {
        assert!(line.contains('+'), "not a subset: {line}");
        assert!(line.contains(" yes yes yes "), "not embedded: {line}");
    }
    assert!(
        squeeze(&pdftotext(&pdf)).contains(&name),
        "{name} printed whole"
    );

    // Result sheets stay in the sans font alone.
    let sheets = dir.path().join("sheets.pdf");
    run_ok(&["export", "sheets", s(&file), "--out", s(&sheets)]);
    let used = pdffonts(&sheets);
    assert!(
        used.contains("ScoreDeskSansSC") && !used.contains("Kai") && !used.contains("Serif"),
        "{used}"
    );

    // A template naming an unknown face is refused, naming the block.
    let bad = certificate::DEFAULT_TEMPLATE.replacen("font = \"kai\"", "font = \"hei\"", 1);
    let e = Template::parse(&bad).expect_err("unknown face");
    assert!(
        e.to_string().contains("hei") && e.to_string().contains("block"),
        "{e}"
    );
}

#[test]
fn a_jpeg_background_is_embedded_as_it_is() {
    let dir = tempfile::tempdir().expect("dir");
    let file = demo(dir.path(), 20);
    let jpeg = std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/certificate-background.jpg"),
    )
    .expect("fixture");
    std::fs::write(dir.path().join("bg.jpg"), &jpeg).expect("copy");
    edit_template(dir.path(), &file, |text| {
        text.replacen("background = \"\"", "background = \"bg.jpg\"", 1)
    });
    let pdf = event_certificates(dir.path(), &file, "E01", &[]);
    let list = tool("pdfimages", &["-list", s(&pdf)]);
    assert!(
        list.lines()
            .skip(2)
            .all(|l| l.split_whitespace().nth(8) == Some("jpeg")),
        "{list}"
    );
    // The embedded stream is the file itself: no second lossy pass.
    let prefix = dir.path().join("img");
    tool(
        "pdfimages",
        &["-j", "-f", "1", "-l", "1", s(&pdf), s(&prefix)],
    );
    let out = std::fs::read(dir.path().join("img-000.jpg")).expect("extracted");
    assert_eq!(out, jpeg);
}
