//! The GUI, driven headlessly with egui_kittest through one shared harness builder on a
//! temporary competition file. Assertions check the app state and the database.

mod common;

use std::path::{Path, PathBuf};

use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
use scoredesk::app::{Action, App, AppError, Command, Role};
use scoredesk::commands::CommandError;
use scoredesk::i18n::Lang;
use scoredesk::model::{Fixed, SheetStatus};
use scoredesk::store::{Access, Store, StoreError};
use scoredesk::ui::ScoreDeskUi;
use scoredesk::{commands, demo, pin, template};

const JUDGE_PIN: &str = "1234";
const ORGANISER_PIN: &str = "888888";

/// A competition with 12 contestants, panels, PINs and a draw — but no sheets yet.
/// The second contestant works at the same school as the first E05 judge (recusal).
struct Fixture {
    _dir: tempfile::TempDir,
    path: PathBuf,
    /// A judge on E05 (not head judge).
    judge: String,
    /// The E05 judge who must recuse from `recused`.
    recused: String,
}

fn fixture() -> Fixture {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("比赛.sqlite");
    let mut store = commands::new_competition(&path, "second", None, "888888").expect("new");
    let setup = template::load("second").expect("template");
    let mut data = demo::generate(&setup, 12, 9);
    let e05: Vec<usize> = data
        .judges
        .iter()
        .enumerate()
        .filter(|(_, j)| j.events.iter().any(|e| e == "E05"))
        .map(|(i, _)| i)
        .collect();
    // Make sure only contestant 1 is recused for the first E05 judge.
    let first = e05[0];
    data.judges[first].school = "测试回避学校".into();
    data.contestants[1].school = "测试回避学校".into();
    for &i in &e05[1..] {
        data.judges[i].school = format!("评委单位{i}");
    }
    store
        .add_contestants(&data.contestants, "organiser")
        .expect("contestants");
    store
        .add_judges(&data.judges, &[], "organiser")
        .expect("judges");
    let hash = pin::hash(JUDGE_PIN).expect("hash");
    let hashes: Vec<(String, String)> = data
        .judges
        .iter()
        .map(|j| (j.id.clone(), hash.clone()))
        .collect();
    store.set_pin_hashes(&hashes, "organiser").expect("pins");
    commands::execute(
        &mut store,
        &commands::Session::organiser(),
        commands::Command::Draw {
            event: None,
            seed: Some(7),
            redraw: None,
        },
    )
    .expect("draw");
    let judge = data.judges[e05[1]].id.clone();
    let recused = data.judges[first].id.clone();
    Fixture {
        _dir: dir,
        path,
        judge,
        recused,
    }
}

/// The one harness builder every UI test uses: real app, CJK font installed, opened file.
fn harness(path: &Path) -> Harness<'static, ScoreDeskUi> {
    let mut app = App::new(Lang::Zh);
    app.apply(Action::Open(path.to_path_buf())).expect("opens");
    Harness::builder()
        .with_size([1280.0, 860.0])
        .with_context_setup(scoredesk::ui::fonts::install)
        .build_ui_state(
            |ui, state: &mut ScoreDeskUi| state.show(ui),
            ScoreDeskUi::new(app),
        )
}

fn login_judge(h: &mut Harness<'static, ScoreDeskUi>, judge: &str) {
    h.get_by_label("评委 / 裁判长").click();
    h.run();
    h.get_by_label("评委编号").click();
    h.get_by_label("评委编号").type_text(judge);
    h.get_by_label("PIN").click();
    h.get_by_label("PIN").type_text(JUDGE_PIN);
    h.get_by_label("登录").click();
    h.run();
    let session = h
        .state()
        .app
        .workspace
        .as_ref()
        .and_then(|w| w.session.clone());
    assert_eq!(
        session.and_then(|s| s.judge),
        Some(judge.to_string()),
        "logged in as {judge}"
    );
}

fn login_organiser(h: &mut Harness<'static, ScoreDeskUi>) {
    h.get_by_label("管理员").click();
    h.run();
    h.get_by_label("PIN").click();
    h.get_by_label("PIN").type_text(ORGANISER_PIN);
    h.get_by_label("登录").click();
    h.run();
    let role = h
        .state()
        .app
        .workspace
        .as_ref()
        .and_then(|w| w.session.as_ref())
        .map(|s| s.role);
    assert_eq!(role, Some(Role::Organiser));
}

fn read_store(path: &Path) -> Store {
    Store::open_with(path, Access::ReadOnly).expect("read-only open")
}

fn current(h: &Harness<'static, ScoreDeskUi>) -> (String, String, String) {
    let v = &h.state().scoring;
    let item = v
        .queue()
        .iter()
        .find(|q| Some(&q.contestant) == v.contestant.as_ref())
        .expect("a current contestant");
    (
        item.contestant.clone(),
        item.code.clone(),
        item.name.clone(),
    )
}

/// Steps the window until the background export has finished (at most about 12 s).
fn wait_for_export(h: &mut Harness<'static, ScoreDeskUi>) {
    for _ in 0..600 {
        h.step();
        if !h.state().printing.exporting() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}

fn field(h: &Harness<'static, ScoreDeskUi>, name: &str) -> String {
    h.get_by_label(name).value().unwrap_or_default()
}

#[test]
fn a_judge_enters_a_full_sheet_by_keyboard() {
    let f = fixture();
    let mut h = harness(&f.path);
    login_judge(&mut h, &f.judge);
    let (contestant, code, name) = current(&h);
    // The first field has the focus: type, Enter, type … (E05: 10, 15, 25, 30, 20).
    for (i, v) in ["8.5", "13", "22.5", "27", "18"].iter().enumerate() {
        h.run();
        let labels = ["教学目标", "教学内容", "教学过程", "方法与策略", "教师素养"];
        assert!(
            h.get_by_label(labels[i]).is_focused(),
            "{} has the focus",
            labels[i]
        );
        h.get_by_label(labels[i]).type_text(v);
        h.key_press(egui::Key::Enter);
    }
    h.run();
    assert!(h.query_by_label("89").is_some(), "the live total shows 89");
    // A draft is already saved while typing.
    let draft = read_store(&f.path)
        .sheet("E05", &contestant, &f.judge)
        .expect("read")
        .expect("draft");
    assert_eq!(draft.status, SheetStatus::Draft);
    // Ctrl+Enter asks for confirmation showing code and name.
    h.key_press_modifiers(egui::Modifiers::CTRL, egui::Key::Enter);
    h.run();
    assert!(h.state().scoring.confirming, "confirmation open");
    assert!(h.query_by_label("确认提交以下选手的评分？").is_some());
    let who = format!("{code}  {name}");
    assert!(
        h.get_all_by_label(&who).count() >= 2,
        "the dialog shows code and name: {who}"
    );
    // Keys typed while the dialog is open change nothing behind it.
    h.event(egui::Event::Text("5".into()));
    h.run();
    assert_eq!(
        field(&h, "教师素养"),
        "18",
        "the fields take no keys under the dialog"
    );
    // Esc closes it and the focus returns to the field the judge was in.
    h.key_press(egui::Key::Escape);
    h.run();
    h.run();
    assert!(!h.state().scoring.confirming);
    assert!(
        h.get_by_label("教师素养").is_focused(),
        "focus back in the field"
    );
    // Asked again: Enter confirms.
    h.key_press_modifiers(egui::Modifiers::CTRL, egui::Key::Enter);
    h.run();
    assert!(h.state().scoring.confirming);
    h.key_press(egui::Key::Enter);
    h.run();
    let sheet = read_store(&f.path)
        .sheet("E05", &contestant, &f.judge)
        .expect("read")
        .expect("sheet");
    assert_eq!(sheet.status, SheetStatus::Submitted);
    assert_eq!(sheet.total, Fixed::from_int(89));
    assert_eq!(
        sheet.criteria[0],
        Some(Fixed::parse("8.5").expect("decimal"))
    );
    assert_ne!(current(&h).0, contestant, "moved on to the next contestant");
}

#[test]
fn invalid_input_is_shown_at_the_field_and_blocks_submit() {
    let f = fixture();
    let mut h = harness(&f.path);
    login_judge(&mut h, &f.judge);
    let (contestant, ..) = current(&h);
    for (label, v) in [
        ("教学目标", "11"),
        ("教学内容", "abc"),
        ("教学过程", "20.35"),
        ("方法与策略", "25"),
    ] {
        h.get_by_label(label).click();
        h.get_by_label(label).type_text(v);
        h.run();
    }
    assert!(
        h.query_by_label_contains("over the maximum").is_some()
            || h.query_by_label_contains("超过").is_some(),
        "over max shown"
    );
    assert!(h.query_by_label("不是数字").is_some(), "not a number shown");
    assert!(h.query_by_label_contains("0.1").is_some(), "off step shown");
    // Blank 教师素养 and invalid fields: submit is disabled; Ctrl+Enter does nothing.
    h.get_by_label("提交").click();
    h.key_press_modifiers(egui::Modifiers::CTRL, egui::Key::Enter);
    h.run();
    assert!(!h.state().scoring.confirming);
    let sheet = read_store(&f.path)
        .sheet("E05", &contestant, &f.judge)
        .expect("read");
    assert!(
        sheet
            .as_ref()
            .is_none_or(|s| s.status == SheetStatus::Draft),
        "nothing submitted"
    );
    // The draft keeps the valid value typed (方法与策略 25) although the other fields are
    // invalid (11 over the maximum, abc, 20.35 off the step); those are saved blank and still
    // shown, marked.
    let draft = sheet.expect("a draft was saved");
    assert_eq!(draft.criteria[0], None);
    assert_eq!(draft.criteria[1], None);
    assert_eq!(draft.criteria[2], None);
    assert_eq!(draft.criteria[3], Some(Fixed::from_int(25)));
    assert_eq!(
        field(&h, "教学内容"),
        "abc",
        "what was typed stays on screen"
    );
    // Even a direct command cannot submit a blank field.
    let r = h.state_mut().app.apply(Command::SaveSheet {
        event: "E05".into(),
        contestant,
        judge: f.judge.clone(),
        criteria: vec![Some(Fixed::from_int(8)), None, None, None, None],
        submit: true,
    });
    assert!(
        matches!(r, Err(AppError::Command(CommandError::Invalid(_)))),
        "blank is not zero: {r:?}"
    );
}

fn submit_directly(h: &mut Harness<'static, ScoreDeskUi>, judge: &str, contestant: &str) {
    h.state_mut()
        .app
        .apply(Command::SaveSheet {
            event: "E05".into(),
            contestant: contestant.into(),
            judge: judge.into(),
            criteria: ["8", "12", "20", "25", "16"]
                .iter()
                .map(|v| Fixed::parse(v).ok())
                .collect(),
            submit: true,
        })
        .expect("submit");
    h.run();
}

#[test]
fn a_submitted_sheet_is_locked_for_the_judge() {
    let f = fixture();
    let mut h = harness(&f.path);
    login_judge(&mut h, &f.judge);
    let (contestant, ..) = current(&h);
    submit_directly(&mut h, &f.judge, &contestant);
    h.state_mut().scoring.contestant = Some(contestant.clone());
    h.run();
    assert!(h.query_by_label("已提交，评分表已锁定。").is_some());
    assert!(
        h.query_by_label("提交").is_none(),
        "no submit button on a locked sheet"
    );
    assert!(
        h.query_by_label("更正…").is_none(),
        "a judge cannot correct"
    );
    h.get_by_label("教学目标").click();
    h.get_by_label("教学目标").type_text("9");
    h.run();
    assert_eq!(field(&h, "教学目标"), "8", "the field is read-only");
    let r = h.state_mut().app.apply(Command::SaveSheet {
        event: "E05".into(),
        contestant: contestant.clone(),
        judge: f.judge.clone(),
        criteria: ["9", "12", "20", "25", "16"]
            .iter()
            .map(|v| Fixed::parse(v).ok())
            .collect(),
        submit: true,
    });
    assert!(
        matches!(&r, Err(AppError::Command(CommandError::Store(StoreError::Rule(m)))) if m.contains("锁定")),
        "{r:?}"
    );
    let r = h.state_mut().app.apply(Command::CorrectSheet {
        event: "E05".into(),
        contestant: contestant.clone(),
        judge: f.judge.clone(),
        criteria: ["9", "12", "20", "25", "16"]
            .iter()
            .map(|v| Fixed::parse(v).ok())
            .collect(),
        reason: "我想改".into(),
    });
    assert!(
        matches!(r, Err(AppError::Command(CommandError::Forbidden(_)))),
        "a judge cannot correct either: {r:?}"
    );
    let sheet = read_store(&f.path)
        .sheet("E05", &contestant, &f.judge)
        .expect("read")
        .expect("sheet");
    assert_eq!(sheet.total, Fixed::from_int(81));
}

#[test]
fn a_correction_needs_a_reason_and_lands_in_the_audit_log() {
    let f = fixture();
    let mut h = harness(&f.path);
    login_organiser(&mut h);
    h.get_by_label("评分").click();
    h.run();
    // The organiser picks the judge whose paper sheet is corrected.
    h.state_mut().scoring.event = Some("E05".into());
    h.state_mut().scoring.judge = Some(f.judge.clone());
    h.run();
    let (contestant, ..) = current(&h);
    submit_directly(&mut h, &f.judge, &contestant);
    h.state_mut().scoring.contestant = Some(contestant.clone());
    h.run();
    h.get_by_label("更正…").click();
    h.run();
    let field_node = h.get_by_label("教学目标");
    field_node.click();
    h.key_press(egui::Key::Backspace);
    h.get_by_label("教学目标").type_text("9");
    h.run();
    // No reason yet: saving is disabled.
    h.get_by_label("保存更正").click();
    h.run();
    let audit = read_store(&f.path).audit_entries().expect("audit");
    assert!(!audit.iter().any(|e| e.action == "correct-sheet"));
    h.get_by_label("更正原因").click();
    h.get_by_label("更正原因").type_text("评委誊写错误");
    h.run();
    h.get_by_label("保存更正").click();
    h.run();
    let store = read_store(&f.path);
    let sheet = store
        .sheet("E05", &contestant, &f.judge)
        .expect("read")
        .expect("sheet");
    assert_eq!(sheet.criteria[0], Some(Fixed::from_int(9)));
    assert_eq!(sheet.total, Fixed::from_int(82));
    let entry = store
        .audit_entries()
        .expect("audit")
        .into_iter()
        .find(|e| e.action == "correct-sheet")
        .expect("correction audited");
    assert!(
        entry.detail.contains("81") && entry.detail.contains("82"),
        "old and new: {}",
        entry.detail
    );
    assert!(entry.detail.contains("评委誊写错误"));
}

#[test]
fn a_judge_sees_and_writes_only_their_own_panel() {
    let f = fixture();
    let mut h = harness(&f.path);
    login_judge(&mut h, &f.judge);
    let ws = h.state().app.workspace.as_ref().expect("open");
    let session = ws.session.clone().expect("session");
    assert_eq!(session.events, vec!["E05".to_string()]);
    assert!(!session.sees_event("E06"));
    assert!(
        h.query_by_label_contains("E06").is_none(),
        "no other event is shown"
    );
    let other_judge = ws
        .judges
        .iter()
        .find(|j| j.events.iter().any(|e| e == "E06"))
        .expect("E06 judge")
        .id
        .clone();
    let contestant = ws.contestants[0].id.clone();
    let six: Vec<Option<Fixed>> = ["10", "20", "30", "15"]
        .iter()
        .map(|v| Fixed::parse(v).ok())
        .collect();
    // Another panel's sheet, as that panel's judge: refused.
    let r = h.state_mut().app.apply(Command::SaveSheet {
        event: "E06".into(),
        contestant: contestant.clone(),
        judge: other_judge,
        criteria: six.clone(),
        submit: true,
    });
    assert!(
        matches!(&r, Err(AppError::Command(CommandError::Forbidden(m))) if m.contains("own sheets")),
        "{r:?}"
    );
    // Another panel's sheet in one's own name: refused (not on that panel).
    let r = h.state_mut().app.apply(Command::SaveSheet {
        event: "E06".into(),
        contestant,
        judge: f.judge.clone(),
        criteria: six,
        submit: true,
    });
    assert!(
        matches!(&r, Err(AppError::Command(CommandError::Forbidden(m))) if m.contains("not on the panel")),
        "{r:?}"
    );
    assert_eq!(read_store(&f.path).sheets(false).expect("sheets").len(), 0);
    // Organiser-only operations are refused too.
    let r = h.state_mut().app.apply(Command::Draw {
        event: None,
        seed: Some(1),
        redraw: None,
    });
    assert!(
        matches!(r, Err(AppError::Command(CommandError::Forbidden(_)))),
        "{r:?}"
    );
}

#[test]
fn recusal_blocks_scoring() {
    let f = fixture();
    let mut h = harness(&f.path);
    login_judge(&mut h, &f.recused);
    let recused: Vec<String> = h
        .state()
        .scoring
        .queue()
        .iter()
        .filter(|q| q.recused)
        .map(|q| q.contestant.clone())
        .collect();
    assert_eq!(
        recused.len(),
        1,
        "exactly one contestant shares the judge's school"
    );
    h.state_mut().scoring.contestant = Some(recused[0].clone());
    h.run();
    assert!(
        h.get_all_by_label_contains("回避").count() >= 1,
        "the reason is shown"
    );
    assert!(h.query_by_label("教学目标").is_none(), "no fields to fill");
    // The disabled 提交 says why: 回避, not "fill in every field".
    assert!(h.query_by_label_contains("请填写所有评分项").is_none());
    let r = h.state_mut().app.apply(Command::SaveSheet {
        event: "E05".into(),
        contestant: recused[0].clone(),
        judge: f.recused.clone(),
        criteria: ["8", "12", "20", "25", "16"]
            .iter()
            .map(|v| Fixed::parse(v).ok())
            .collect(),
        submit: true,
    });
    assert!(
        matches!(&r, Err(AppError::Command(CommandError::Forbidden(m))) if m.contains("回避")),
        "{r:?}"
    );
}

#[test]
fn the_language_switches_at_run_time() {
    let f = fixture();
    let mut h = harness(&f.path);
    assert!(h.query_by_label("登录").is_some());
    h.get_by_label("English").click();
    h.run();
    assert_eq!(h.state().app.lang, Lang::En);
    assert!(h.query_by_label("Log in").is_some());
    assert!(h.query_by_label("登录").is_none());
    h.get_by_label("中文").click();
    h.run();
    assert!(h.query_by_label("登录").is_some());
}

#[test]
fn importing_a_faulty_roster_shows_every_bad_row() {
    // A competition with no contestants yet (the fixture's ids would clash with the roster's).
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("empty.sqlite");
    let store = commands::new_competition(&path, "second", None, "888888").expect("new");
    drop(store);
    let f = Fixture {
        _dir: dir,
        path,
        judge: String::new(),
        recused: String::new(),
    };
    let mut h = harness(&f.path);
    login_organiser(&mut h);
    h.get_by_label("选手").click();
    h.run();
    let before = read_store(&f.path)
        .contestants()
        .expect("contestants")
        .len();
    let bad = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/samples/roster.bad.csv");
    assert!(bad.exists(), "sample missing: {}", bad.display());
    h.get_by_label("导入选手名单").click();
    h.get_by_label("导入选手名单")
        .type_text(bad.to_str().expect("utf-8"));
    h.get_by_label("导入").click();
    h.run();
    // In the window's language (Chinese), one language per line.
    for line in [
        "第 3 行：编号重复：JS20250001",
        "第 4 行：姓名为空",
        "第 5 行：未知的学段：大学",
        "第 6 行：缺少必需的列",
        "第 8 行：未知的性别：未知",
    ] {
        assert!(
            h.query_by_label(line).is_some(),
            "{line} shown in the window"
        );
    }
    assert!(h.query_by_label_contains("第 7 行").is_none());
    assert!(
        h.query_by_label_contains("row ").is_none(),
        "no English rows"
    );
    assert_eq!(
        read_store(&f.path)
            .contestants()
            .expect("contestants")
            .len(),
        before,
        "nothing imported"
    );
}

#[test]
fn printing_previews_and_exports_in_the_background() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("demo.sqlite");
    drop(commands::build_demo(&path, 24, 3).expect("demo"));
    let mut h = harness(&path);
    login_organiser(&mut h);
    h.get_by_label("打印与导出").click();
    // The preview is laid out in the background (a spinner keeps repainting): step, not run.
    h.run_steps(3);
    h.get_by_label("成绩表（单项、综合）").click();
    h.run_steps(3);
    let out = dir.path().join("成绩表.pdf");
    h.get_by_label("保存到").click();
    h.get_by_label("保存到")
        .type_text(out.to_str().expect("utf-8"));
    h.run_steps(3);
    h.get_by_label("导出").click();
    wait_for_export(&mut h);
    assert!(!h.state().printing.exporting(), "the export finished");
    let bytes = std::fs::read(&out).expect("the PDF was written");
    assert!(bytes.starts_with(b"%PDF"));
    let info = h
        .state()
        .app
        .messages
        .iter()
        .map(|m| m.text.clone())
        .collect::<Vec<_>>()
        .join("\n");
    assert!(info.contains("已导出"), "{info}");
    // The preview of the first page arrived too.
    for _ in 0..300 {
        h.step();
        if h.state().printing.previewed() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    assert!(
        h.state().printing.previewed(),
        "a first-page preview is shown"
    );
}

#[test]
fn an_export_never_lands_in_another_exports_file_and_overwriting_asks() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("demo.sqlite");
    drop(commands::build_demo(&path, 24, 3).expect("demo"));
    let mut h = harness(&path);
    login_organiser(&mut h);
    h.get_by_label("打印与导出").click();
    h.run_steps(3);
    // Certificates were exported to certs.pdf …
    let certs = dir.path().join("certs.pdf");
    std::fs::write(&certs, b"%PDF certificates").expect("write");
    h.get_by_label("保存到").click();
    h.get_by_label("保存到")
        .type_text(certs.to_str().expect("utf-8"));
    h.run_steps(3);
    // … then 成绩表 is chosen: the proposed name follows.
    h.get_by_label("成绩表（单项、综合）").click();
    h.run_steps(3);
    assert_eq!(
        std::path::PathBuf::from(&h.state().printing.out_path),
        dir.path().join("成绩表.pdf")
    );
    // Excel: the name and extension follow.
    h.get_by_label("Excel 工作簿").click();
    h.run_steps(3);
    assert_eq!(
        std::path::PathBuf::from(&h.state().printing.out_path),
        dir.path().join("成绩.xlsx")
    );
    // Typed back to certs.pdf with Excel chosen: the workbook goes to certs.xlsx, never into
    // the PDF.
    h.state_mut().printing.out_path = certs.display().to_string();
    h.run_steps(2);
    h.get_by_label("导出").click();
    wait_for_export(&mut h);
    assert_eq!(std::fs::read(&certs).expect("read"), b"%PDF certificates");
    let xlsx = std::fs::read(dir.path().join("certs.xlsx")).expect("the workbook was written");
    assert!(xlsx.starts_with(b"PK"), "an xlsx (zip) file");
    // Exporting certificates onto the existing certs.pdf asks first; cancel keeps it.
    h.get_by_label("荣誉证书").click();
    h.run_steps(2);
    h.state_mut().printing.out_path = certs.display().to_string();
    h.run_steps(2);
    h.get_by_label("导出").click();
    h.run_steps(2);
    assert_eq!(
        h.state().printing.confirm_overwrite.as_deref(),
        Some(certs.as_path())
    );
    assert!(
        !h.state().printing.exporting(),
        "nothing is written before the answer"
    );
    h.get_by_label("取消").click();
    h.run_steps(2);
    assert!(h.state().printing.confirm_overwrite.is_none());
    assert_eq!(std::fs::read(&certs).expect("read"), b"%PDF certificates");
    // Asked again and confirmed: overwritten with the certificates.
    h.get_by_label("导出").click();
    h.run_steps(2);
    h.get_by_label("覆盖").click();
    wait_for_export(&mut h);
    let bytes = std::fs::read(&certs).expect("read");
    assert!(
        bytes.starts_with(b"%PDF-"),
        "the certificates replaced the file"
    );
}

#[test]
fn the_organiser_decides_an_award_on_the_results_screen() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("demo.sqlite");
    drop(commands::build_demo(&path, 24, 3).expect("demo"));
    let results = scoredesk::scoring::compute(&read_store(&path).scoring_input().expect("input"));
    let first = results.events[0].groups[0]
        .entries
        .iter()
        .find(|e| e.rank == Some(1))
        .expect("a first place")
        .clone();
    let event = results.events[0].code.clone();
    let group = results.events[0].groups[0].group.clone();
    let mut h = harness(&path);
    login_organiser(&mut h);
    h.get_by_label("成绩").click();
    h.run();
    h.state_mut().results.event = Some(event.clone());
    h.state_mut().results.group = Some(group);
    h.state_mut().results.selected = Some(first.contestant.clone());
    h.run();
    assert_eq!(
        h.state().results.decide_tier,
        first.award,
        "the choice starts from the entry's current award"
    );
    // No reason yet: 决定 does nothing.
    h.get_by_label("决定").click();
    h.run();
    assert!(
        read_store(&path)
            .award_decisions()
            .expect("read")
            .is_empty()
    );
    h.state_mut().results.decide_tier = Some("三等奖".into());
    h.get_all_by_label("原因").last().expect("reason").click();
    h.get_all_by_label("原因")
        .last()
        .expect("reason")
        .type_text("组委会决定");
    h.run();
    h.get_by_label("决定").click();
    h.run();
    let decisions = read_store(&path).award_decisions().expect("read");
    assert_eq!(decisions.len(), 1);
    assert_eq!(decisions[0].event, event);
    assert_eq!(decisions[0].contestant, first.contestant);
    assert_eq!(decisions[0].tier.as_deref(), Some("三等奖"));
    let after = h
        .state_mut()
        .app
        .workspace
        .as_mut()
        .expect("open")
        .results()
        .expect("results")
        .events[0]
        .groups[0]
        .entries
        .iter()
        .find(|e| e.contestant == first.contestant)
        .expect("entry")
        .clone();
    assert_eq!(
        after.award.as_deref(),
        Some("三等奖"),
        "the screen's results follow"
    );
    // Withdrawn from the same place.
    h.run();
    h.get_by_label("撤回决定").click();
    h.run();
    assert!(
        read_store(&path)
            .award_decisions()
            .expect("read")
            .is_empty()
    );
}

/// An in-memory stand-in for eframe's storage (the window's is a file in the user's folder).
#[derive(Default)]
struct MemoryStorage(std::collections::HashMap<String, String>);

impl eframe::Storage for MemoryStorage {
    fn get_string(&self, key: &str) -> Option<String> {
        self.0.get(key).cloned()
    }
    fn set_string(&mut self, key: &str, value: String) {
        self.0.insert(key.to_string(), value);
    }
    fn remove_string(&mut self, key: &str) {
        self.0.remove(key);
    }
    fn flush(&mut self) {}
}

#[test]
fn recent_files_are_kept_with_their_titles_and_enter_opens_a_typed_path() {
    let dir = tempfile::tempdir().expect("dir");
    let a = dir.path().join("a.sqlite");
    let b = dir.path().join("b.sqlite");
    drop(commands::new_competition(&a, "first", Some("第一届技能大赛"), ORGANISER_PIN).expect("A"));
    drop(commands::new_competition(&b, "first", Some("第二届技能大赛"), ORGANISER_PIN).expect("B"));
    // First run: A is opened, the window closes (eframe saves).
    let mut storage = MemoryStorage::default();
    {
        let mut app = App::new(Lang::Zh);
        app.apply(Action::Open(a.clone())).expect("opens");
        let mut ui = ScoreDeskUi::new(app);
        eframe::App::save(&mut ui, &mut storage);
    }
    // Second run: the start screen lists A by its title; B is typed and opened with Enter.
    let kept: Vec<scoredesk::app::RecentFile> =
        eframe::get_value(&storage, scoredesk::ui::RECENT_KEY).expect("kept");
    let mut app = App::new(Lang::Zh);
    app.restore_recent(kept);
    let mut h = Harness::builder()
        .with_size([1280.0, 860.0])
        .with_context_setup(scoredesk::ui::fonts::install)
        .build_ui_state(
            |ui, state: &mut ScoreDeskUi| state.show(ui),
            ScoreDeskUi::new(app),
        );
    h.run();
    h.get_by_label("第一届技能大赛");
    h.get_by_label("文件路径：").click();
    h.get_by_label("文件路径：")
        .type_text(b.to_str().expect("utf-8"));
    h.run();
    h.key_press(egui::Key::Enter);
    h.run();
    let open = h
        .state()
        .app
        .workspace
        .as_ref()
        .map(|w| w.store.path().to_path_buf());
    assert_eq!(
        open.as_deref(),
        Some(b.as_path()),
        "Enter opened the typed path"
    );
    let titles: Vec<&str> = h
        .state()
        .app
        .recent
        .iter()
        .map(|r| r.title.as_str())
        .collect();
    assert_eq!(titles, ["第二届技能大赛", "第一届技能大赛"]);
}

/// A 1×1 PNG.
const TINY_PNG: &[u8] = &[
    137, 80, 78, 71, 13, 10, 26, 10, 0, 0, 0, 13, 73, 72, 68, 82, 0, 0, 0, 1, 0, 0, 0, 1, 8, 6, 0,
    0, 0, 31, 21, 196, 137, 0, 0, 0, 13, 73, 68, 65, 84, 120, 218, 99, 100, 96, 248, 95, 15, 0, 2,
    135, 1, 128, 235, 71, 186, 146, 0, 0, 0, 0, 73, 69, 78, 68, 174, 66, 96, 130,
];

#[test]
fn pin_slips_and_certificate_images_work_with_typed_paths() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("demo.sqlite");
    drop(commands::build_demo(&path, 24, 3).expect("demo"));
    let mut h = harness(&path);
    login_organiser(&mut h);
    // PIN slips: the path is typed (no native dialog here), then saved.
    h.get_by_label("评委与评审组").click();
    h.run();
    h.state_mut().judges.pins = vec![("PW001".into(), "张三".into(), "123456".into())];
    h.run();
    let slips = dir.path().join("slips.pdf");
    h.state_mut().judges.slips_path = slips.display().to_string();
    h.run();
    h.get_by_label("保存为可打印的 PIN 条（PDF）…").click();
    h.run();
    let bytes = std::fs::read(&slips).expect("the slips were written to the typed path");
    assert!(bytes.starts_with(b"%PDF"));
    h.state_mut().judges.pins.clear();
    h.run();

    // Certificate background and seal from a typed path.
    let png = dir.path().join("印章.png");
    std::fs::write(&png, TINY_PNG).expect("png");
    h.get_by_label("打印与导出").click();
    h.run_steps(3);
    h.state_mut().printing.editing_template = true;
    h.run_steps(3);
    // A path that does not exist is an error, not a silent change.
    h.state_mut().printing.image_path = dir.path().join("nope.png").display().to_string();
    h.run_steps(2);
    h.get_by_label("设为印章").click();
    h.run_steps(2);
    assert!(
        h.state()
            .app
            .messages
            .iter()
            .any(|m| m.error && m.text.contains("nope.png"))
    );
    h.state_mut().printing.image_path = png.display().to_string();
    h.run_steps(2);
    h.get_by_label("设为印章").click();
    h.run_steps(2);
    let template = h
        .state()
        .printing
        .template
        .clone()
        .expect("template loaded");
    assert!(template.contains("印章.png"), "{template}");
}

#[test]
fn resetting_a_pin_asks_first() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("demo.sqlite");
    drop(commands::build_demo(&path, 24, 3).expect("demo"));
    let first = read_store(&path).judges().expect("judges")[0].id.clone();
    let before = read_store(&path).judge_pin_hash(&first).expect("hash");
    let mut h = harness(&path);
    login_organiser(&mut h);
    h.get_by_label("评委与评审组").click();
    h.run();
    h.get_all_by_label("重置 PIN")
        .next()
        .expect("a reset button")
        .click();
    h.run();
    assert_eq!(
        h.state().judges.confirm_reset.as_deref(),
        Some(first.as_str())
    );
    h.get_by_label("取消").click();
    h.run();
    assert!(h.state().judges.confirm_reset.is_none());
    assert_eq!(
        read_store(&path).judge_pin_hash(&first).expect("hash"),
        before
    );
    // Asked again and confirmed: a new PIN, shown once.
    h.get_all_by_label("重置 PIN")
        .next()
        .expect("a reset button")
        .click();
    h.run();
    h.get_all_by_label("重置 PIN")
        .last()
        .expect("the dialog's button")
        .click();
    for _ in 0..300 {
        h.step();
        if !h.state().judges.pins.is_empty() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    assert_eq!(h.state().judges.pins.len(), 1);
    assert_ne!(
        read_store(&path).judge_pin_hash(&first).expect("hash"),
        before
    );
    h.state_mut().judges.pins.clear();
    h.run();
}

#[test]
fn an_overfilled_panel_is_warned_about_not_refused() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("demo.sqlite");
    drop(commands::build_demo(&path, 24, 3).expect("demo"));
    let mut h = harness(&path);
    login_organiser(&mut h);
    h.get_by_label("评委与评审组").click();
    h.state_mut().judges.event = Some("E05".into());
    h.run();
    assert!(h.query_by_label_contains("评审组人数多于").is_none());
    let (seats, mut panel, spare) = {
        let ws = h.state().app.workspace.as_ref().expect("open");
        let seats = ws.event("E05").expect("E05").judges as usize;
        let panel: Vec<String> = ws
            .judges
            .iter()
            .filter(|j| j.events.iter().any(|e| e == "E05"))
            .map(|j| j.id.clone())
            .collect();
        let spare = ws
            .judges
            .iter()
            .find(|j| !j.events.iter().any(|e| e == "E05"))
            .expect("a judge off the panel")
            .id
            .clone();
        (seats, panel, spare)
    };
    assert_eq!(panel.len(), seats);
    panel.push(spare);
    h.state_mut()
        .app
        .apply(Command::SetPanel {
            event: "E05".into(),
            judges: panel,
        })
        .expect("one judge more than the seats is allowed");
    h.run();
    assert!(
        h.query_by_label_contains("评审组人数多于").is_some(),
        "the over-filled panel is pointed out"
    );
}

#[test]
fn the_contestant_count_says_what_a_search_shows() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("demo.sqlite");
    drop(commands::build_demo(&path, 24, 3).expect("demo"));
    let mut h = harness(&path);
    login_organiser(&mut h);
    h.get_by_label("选手").click();
    h.run();
    let (total, first) = {
        let ws = h.state().app.workspace.as_ref().expect("open");
        (ws.contestants.len(), ws.contestants[0].id.clone())
    };
    assert!(h.query_by_label(&format!("{total} 人")).is_some());
    h.get_by_label("搜索").click();
    h.get_by_label("搜索").type_text(&first);
    h.run();
    assert!(
        h.query_by_label(&format!("1 / {total} 人")).is_some(),
        "a search shows how many of how many"
    );
}

#[test]
fn the_certificate_template_is_checked_and_only_the_organiser_may_change_it() {
    let f = fixture();
    let mut h = harness(&f.path);
    login_judge(&mut h, &f.judge);
    let valid = scoredesk::report::certificate_template(&read_store(&f.path)).expect("template");
    let r = h
        .state_mut()
        .app
        .apply(Command::SetCertificateTemplate(valid.clone()));
    assert!(
        matches!(r, Err(AppError::Command(CommandError::Forbidden(_)))),
        "a judge may not change the template: {r:?}"
    );
    h.state_mut().app.apply(Action::Logout).expect("logout");
    h.run();
    login_organiser(&mut h);
    let r = h
        .state_mut()
        .app
        .apply(Command::SetCertificateTemplate("orientation = 7".into()));
    assert!(
        matches!(r, Err(AppError::Command(CommandError::Invalid(_)))),
        "an invalid template is refused: {r:?}"
    );
    let changed = valid.replace("荣誉证书", "获奖证书");
    h.state_mut()
        .app
        .apply(Command::SetCertificateTemplate(changed))
        .expect("stored");
    let stored = scoredesk::report::certificate_template(&read_store(&f.path)).expect("template");
    assert!(stored.contains("获奖证书"));
}

#[test]
fn importing_judges_makes_pins_in_the_background() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("judges.sqlite");
    let store = commands::new_competition(&path, "second", None, "888888").expect("new");
    drop(store);
    let mut h = harness(&path);
    login_organiser(&mut h);
    h.get_by_label("评委与评审组").click();
    h.run();
    let csv = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/samples/judges.csv");
    h.get_by_label("导入评委名单").click();
    h.get_by_label("导入评委名单")
        .type_text(csv.to_str().expect("utf-8"));
    h.get_by_label("导入").click();
    h.run_steps(2);
    assert!(
        h.state().judges.making_pins(),
        "PINs are made off the UI thread"
    );
    for _ in 0..1500 {
        h.step();
        if !h.state().judges.making_pins() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    assert!(!h.state().judges.making_pins());
    h.run_steps(2);
    assert!(
        h.query_by_label("评委 PIN 条").is_some(),
        "the slips window is shown"
    );
    let store = read_store(&path);
    let slips = &h.state().judges.pins;
    assert_eq!(slips.len(), 91);
    let (id, _, pin) = &slips[0];
    let hash = store
        .judge_pin_hash(id)
        .expect("read")
        .expect("hash stored");
    assert!(scoredesk::pin::verify(pin, &hash), "the shown PIN logs in");
}

#[test]
fn a_head_judge_records_a_penalty_and_an_absence() {
    let f = fixture();
    {
        let mut store = Store::open(&f.path).expect("open");
        store
            .set_head_judge(&f.judge, true, "organiser")
            .expect("head judge");
    }
    let mut h = harness(&f.path);
    login_judge(&mut h, &f.judge);
    assert_eq!(
        h.state()
            .app
            .workspace
            .as_ref()
            .and_then(|w| w.session.as_ref())
            .map(|s| s.role),
        Some(Role::HeadJudge)
    );
    let (contestant, ..) = current(&h);
    // E05's template penalty (超时, 2 points) is offered; record it.
    assert_eq!(field(&h, "扣分"), "2");
    h.get_by_label("记录扣分").click();
    h.run();
    let store = read_store(&f.path);
    let penalties = store.penalties().expect("penalties");
    assert_eq!(penalties.len(), 1);
    assert_eq!(penalties[0].contestant, contestant);
    assert_eq!(penalties[0].points, Fixed::from_int(2));
    assert_eq!(penalties[0].reason, "超时");
    drop(store);
    // Record the shown judge (the head judge's own seat here) absent, with a reason.
    h.get_all_by_label("原因")
        .last()
        .expect("absence reason")
        .click();
    h.get_all_by_label("原因")
        .last()
        .expect("absence reason")
        .type_text("临时离场");
    h.run();
    h.get_by_label(&format!("记录缺席： {}", f.judge)).click();
    h.run();
    let absences = read_store(&f.path).absences().expect("absences");
    assert_eq!(absences.len(), 1);
    assert_eq!(absences[0].reason, "临时离场");
    // Both are listed with a remove button, which needs a reason first.
    assert_eq!(h.get_all_by_label("撤销").count(), 2);
    h.get_all_by_label("撤销").next().expect("remove").click();
    h.run();
    assert_eq!(read_store(&f.path).penalties().expect("read").len(), 1);
    h.get_by_label("撤销原因").click();
    h.get_by_label("撤销原因").type_text("录错了");
    h.run();
    h.get_all_by_label("撤销").next().expect("remove").click();
    h.run();
    assert!(read_store(&f.path).penalties().expect("read").is_empty());
    assert_eq!(read_store(&f.path).absences().expect("read").len(), 1);
    assert_eq!(
        h.get_all_by_label("撤销").count(),
        1,
        "only the absence is left"
    );
}

#[test]
fn progress_shows_missing_sheets_and_flags_outliers() {
    let f = fixture();
    let mut h = harness(&f.path);
    login_organiser(&mut h);
    let (contestant, group, judges) = {
        let ws = h.state().app.workspace.as_ref().expect("open");
        let c = ws.contestants[0].clone();
        let judges: Vec<String> = ws
            .judges
            .iter()
            .filter(|j| j.events.iter().any(|e| e == "E05") && !j.must_recuse(&c))
            .map(|j| j.id.clone())
            .collect();
        (c.id.clone(), c.group(), judges)
    };
    // Four judges agree, one is far off (40 points below the others).
    for (i, judge) in judges.iter().take(5).enumerate() {
        let criteria = if i == 4 {
            ["2", "3", "10", "15", "10"]
        } else {
            ["8", "12", "20", "25", "16"]
        };
        h.state_mut()
            .app
            .apply(Command::SaveSheet {
                event: "E05".into(),
                contestant: contestant.clone(),
                judge: judge.clone(),
                criteria: criteria.iter().map(|v| Fixed::parse(v).ok()).collect(),
                submit: true,
            })
            .expect("submit");
    }
    h.get_by_label("评分进度").click();
    h.run();
    h.state_mut().progress.event = Some("E05".into());
    h.state_mut().progress.group = Some(group);
    h.run();
    let m = h.state().progress.matrix();
    let row = m.rows.iter().find(|r| {
        h.state()
            .app
            .workspace
            .as_ref()
            .is_some_and(|w| w.contestants[0].name == r.name)
    });
    let cells = &row.expect("the contestant's row").cells;
    use scoredesk::ui::progress::Cell;
    let submitted: Vec<&Cell> = cells
        .iter()
        .filter(|c| matches!(c, Cell::Submitted { .. }))
        .collect();
    assert_eq!(submitted.len(), 5);
    let outliers = cells
        .iter()
        .filter(|c| matches!(c, Cell::Submitted { outlier: true, .. }))
        .count();
    assert_eq!(outliers, 1, "the far-off score is flagged");
    assert!(
        cells.iter().any(|c| matches!(c, Cell::Missing)),
        "the remaining judges are missing"
    );
    assert!(m.submitted == 5 && m.expected > 5);
}

#[test]
fn the_same_penalty_twice_asks_first() {
    let f = fixture();
    {
        let mut store = Store::open(&f.path).expect("open");
        store
            .set_head_judge(&f.judge, true, "organiser")
            .expect("head judge");
    }
    let mut h = harness(&f.path);
    login_judge(&mut h, &f.judge);
    h.get_by_label("记录扣分").click();
    h.run();
    // A double click: the second time the command layer asks, and nothing is recorded yet.
    h.get_by_label("记录扣分").click();
    h.run();
    assert_eq!(read_store(&f.path).penalties().expect("read").len(), 1);
    assert!(
        h.state().scoring.again.is_some(),
        "the window asks before recording the same penalty again"
    );
    h.get_by_label("取消").click();
    h.run();
    assert!(h.state().scoring.again.is_none());
    assert_eq!(read_store(&f.path).penalties().expect("read").len(), 1);
    // Asked again and confirmed: recorded twice, on purpose.
    h.get_by_label("记录扣分").click();
    h.run();
    h.get_by_label("确认再记录一次").click();
    h.run();
    assert_eq!(read_store(&f.path).penalties().expect("read").len(), 2);
    // The question is not an error in the status line.
    assert!(
        h.state().app.messages.iter().all(|m| !m.error),
        "{:?}",
        h.state().app.messages
    );
}

#[test]
fn a_rubric_edited_while_a_sheet_is_open_does_not_break_scoring() {
    let f = fixture();
    let mut h = harness(&f.path);
    login_organiser(&mut h);
    h.get_by_label("评分").click();
    h.run();
    h.state_mut().scoring.event = Some("E05".into());
    h.state_mut().scoring.judge = Some(f.judge.clone());
    h.run();
    h.run();
    let before = h.state().scoring.fields.len();
    assert_eq!(before, 5, "E05 has five criteria");
    // The organiser adds a criterion to E05 (no sheets yet, so no confirmation needed).
    let mut event = h
        .state()
        .app
        .workspace
        .as_ref()
        .and_then(|w| w.event("E05").cloned())
        .expect("E05");
    event.criteria.push(scoredesk::model::Criterion {
        name: "现场答问".into(),
        max: Fixed::from_int(10),
    });
    h.state_mut()
        .app
        .apply(Command::UpdateEvent {
            event,
            force: false,
        })
        .expect("rubric updated");
    h.run();
    h.run();
    assert_eq!(
        h.state().scoring.fields.len(),
        6,
        "fields follow the new rubric"
    );
    assert!(h.query_by_label("现场答问").is_some());
}

#[test]
fn a_judge_station_scores_in_a_kit_and_writes_the_packet() {
    let f = fixture();
    // The organiser exports the judge's kit from the master (the fixture's judges have PINs).
    let kits = f._dir.path().join("U盘");
    std::fs::create_dir_all(&kits).expect("mkdir");
    let kit = {
        let mut store = Store::open(&f.path).expect("master");
        let outcome = commands::execute(
            &mut store,
            &commands::Session::organiser(),
            Command::ExportKits {
                judge: Some(f.judge.clone()),
                event: None,
                dir: kits.clone(),
                options: Default::default(),
            },
        )
        .expect("kit exported");
        match outcome {
            commands::Outcome::Kits(paths) => paths[0].clone(),
            other => panic!("{other:?}"),
        }
    };
    // Opening the kit starts station mode: the PIN alone logs that judge in.
    let mut h = harness(&kit);
    assert!(
        h.state()
            .app
            .workspace
            .as_ref()
            .is_some_and(|w| w.station.is_some())
    );
    assert!(
        h.query_by_label("管理员").is_none(),
        "no organiser login on a station"
    );
    h.get_by_label("PIN").click();
    h.get_by_label("PIN").type_text(JUDGE_PIN);
    h.get_by_label("登录").click();
    h.run();
    let session = h
        .state()
        .app
        .workspace
        .as_ref()
        .and_then(|w| w.session.clone());
    assert_eq!(session.and_then(|s| s.judge), Some(f.judge.clone()));
    // Only the scoring screen.
    assert!(h.query_by_label("评分进度").is_none() && h.query_by_label("比赛设置").is_none());
    h.run();
    let (contestant, ..) = current(&h);
    for (i, v) in ["8.5", "13", "22.5", "27", "18"].iter().enumerate() {
        h.run();
        let labels = ["教学目标", "教学内容", "教学过程", "方法与策略", "教师素养"];
        h.get_by_label(labels[i]).type_text(v);
        h.key_press(egui::Key::Enter);
    }
    h.run();
    h.key_press_modifiers(egui::Modifiers::CTRL, egui::Key::Enter);
    h.run();
    h.get_by_label("确认提交").click();
    h.run();
    // The submit is in the kit file itself, and the packet is beside the kit.
    let sheet = read_store(&kit)
        .sheet("E05", &contestant, &f.judge)
        .expect("read")
        .expect("sheet in the kit");
    assert_eq!(sheet.status, SheetStatus::Submitted);
    let packets: Vec<_> = std::fs::read_dir(&kits)
        .expect("list")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "sdpkt"))
        .collect();
    assert_eq!(packets.len(), 1, "one packet after one submit: {packets:?}");
    let bytes = std::fs::read(&packets[0]).expect("read");
    let parsed = scoredesk::sync::packet::parse(&bytes).expect("a valid packet");
    assert_eq!(parsed.body.judge, f.judge);
    assert_eq!(parsed.body.sheets.len(), 1);

    // On the master, the organiser imports the folder: the sheet arrives.
    drop(h);
    let mut m = harness(&f.path);
    login_organiser(&mut m);
    m.get_by_label("评分进度").click();
    m.run();
    m.state_mut().packets.path = kits.display().to_string();
    m.get_all_by_label("导入成绩包")
        .last()
        .expect("button")
        .click();
    m.run();
    let report = m.state().packets.report.clone();
    assert!(report.iter().all(|(ok, _)| *ok), "{report:?}");
    let merged = read_store(&f.path)
        .sheet("E05", &contestant, &f.judge)
        .expect("read")
        .expect("merged into the master");
    assert_eq!(merged.total, Fixed::from_int(89));
}

#[test]
fn the_projector_shows_scores_only_when_the_panel_is_complete() {
    let f = fixture();
    let mut h = harness(&f.path);
    login_organiser(&mut h);
    let (contestant, judges) = {
        let ws = h.state().app.workspace.as_ref().expect("open");
        let c = ws.contestants[0].clone();
        let judges: Vec<String> = ws
            .judges
            .iter()
            .filter(|j| j.events.iter().any(|e| e == "E05") && !j.must_recuse(&c))
            .map(|j| j.id.clone())
            .collect();
        (c.id.clone(), judges)
    };
    let submit = |h: &mut Harness<'static, ScoreDeskUi>, judge: &str, first: &str| {
        h.state_mut()
            .app
            .apply(Command::SaveSheet {
                event: "E05".into(),
                contestant: contestant.clone(),
                judge: judge.to_string(),
                criteria: [first, "12", "20", "25", "16"]
                    .iter()
                    .map(|v| Fixed::parse(v).ok())
                    .collect(),
                submit: true,
            })
            .expect("submit");
    };
    for (i, j) in judges.iter().take(3).enumerate() {
        submit(&mut h, j, ["7", "8", "9"][i]);
    }
    h.get_by_label("现场亮分").click();
    h.run();
    h.state_mut().projector.event = Some("E05".into());
    h.run();
    let expected = judges.len();
    let label = format!("已收到 3/{expected}");
    assert!(
        h.query_by_label(&label).is_some(),
        "the count while the panel scores"
    );
    assert!(h.query_by_label("最后得分").is_none());
    match &h.state().projector.view().current {
        Some(scoredesk::scoring::projector::Current::Scoring { received, .. }) => {
            assert_eq!(*received, 3)
        }
        other => panic!("{other:?}"),
    }
    assert!(
        h.query_by_label("7").is_none(),
        "no individual score before the panel completes"
    );
    for j in judges.iter().skip(3) {
        submit(&mut h, j, "8");
    }
    h.run();
    h.run();
    match &h.state().projector.view().current {
        Some(scoredesk::scoring::projector::Current::Final {
            scores,
            final_score,
            ..
        }) => {
            assert_eq!(scores.len(), expected);
            assert_eq!(
                scores.iter().filter(|s| s.2).count(),
                2,
                "highest and lowest dropped"
            );
            assert!(final_score.is_some());
        }
        other => panic!("{other:?}"),
    }
    let shown = h
        .state()
        .projector
        .view()
        .latest
        .first()
        .map(|l| l.final_score.format(2))
        .expect("in the latest list");
    assert!(
        h.query_by_label(&format!("最后得分 {shown}")).is_some(),
        "the final score in large type"
    );
}

#[test]
fn a_recorder_enters_a_paper_sheet_blind_and_it_waits_for_the_second() {
    let f = fixture();
    let pin = "246810";
    {
        let mut store = Store::open(&f.path).expect("open");
        let hash = scoredesk::pin::hash(pin).expect("hash");
        commands::execute(
            &mut store,
            &commands::Session::organiser(),
            Command::AddRecorder {
                recorder: scoredesk::model::Recorder {
                    id: "JL01".into(),
                    name: "张记".into(),
                    events: vec!["E05".into()],
                },
                pin_hash: hash,
            },
        )
        .expect("recorder");
    }
    let mut h = harness(&f.path);
    h.get_by_label("记分员").click();
    h.run();
    h.get_by_label("记分员编号").click();
    h.get_by_label("记分员编号").type_text("JL01");
    h.get_by_label("PIN").click();
    h.get_by_label("PIN").type_text(pin);
    h.get_by_label("登录").click();
    h.run();
    let role = h
        .state()
        .app
        .workspace
        .as_ref()
        .and_then(|w| w.session.as_ref())
        .map(|s| s.role);
    assert_eq!(role, Some(Role::Recorder));
    h.run();
    let (contestant, ..) = current(&h);
    let judge = h.state().scoring.judge.clone().expect("a judge chosen");
    for (i, v) in ["8.5", "13", "22.5", "27", "18"].iter().enumerate() {
        h.run();
        let labels = ["教学目标", "教学内容", "教学过程", "方法与策略", "教师素养"];
        h.get_by_label(labels[i]).type_text(v);
        h.key_press(egui::Key::Enter);
    }
    h.run();
    // No draft while a recorder types.
    assert!(
        read_store(&f.path)
            .sheet("E05", &contestant, &judge)
            .expect("read")
            .is_none()
    );
    h.key_press_modifiers(egui::Modifiers::CTRL, egui::Key::Enter);
    h.run();
    h.get_by_label("确认提交").click();
    h.run();
    let store = read_store(&f.path);
    let entries = store.paper_entries(None).expect("entries");
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0].recorder, "JL01");
    assert_eq!(entries[0].total, Fixed::from_int(89));
    assert!(
        store
            .sheet("E05", &contestant, &judge)
            .expect("read")
            .is_none(),
        "one entry does not count"
    );
}

#[test]
fn wrong_pins_in_the_window_are_slowed_down() {
    let f = fixture();
    let mut app = App::new(Lang::Zh);
    app.apply(Action::Open(f.path.clone())).expect("opens");
    for _ in 0..3 {
        let r = app.apply(Action::LoginOrganiser {
            pin: "000000".into(),
        });
        assert!(matches!(r, Err(AppError::WrongPin)), "{r:?}");
    }
    // Even the right PIN waits now.
    let r = app.apply(Action::LoginOrganiser {
        pin: ORGANISER_PIN.into(),
    });
    assert!(
        matches!(&r, Err(AppError::Invalid(m)) if m.contains("秒后再试")),
        "{r:?}"
    );
}

#[test]
fn a_whole_sheet_typed_in_one_frame_lands_in_the_right_fields() {
    let f = fixture();
    let mut h = harness(&f.path);
    login_judge(&mut h, &f.judge);
    h.run();
    let (contestant, ..) = current(&h);
    assert!(h.get_by_label("教学目标").is_focused());
    // A practised judge: every key of the sheet arrives before the next frame.
    for (i, v) in ["19", "13", "22.5", "27", "18"].iter().enumerate() {
        let v = if i == 0 { "9.5" } else { *v };
        h.event(egui::Event::Text(v.to_string()));
        h.key_press(if i % 2 == 0 {
            egui::Key::Enter
        } else {
            egui::Key::Tab
        });
    }
    h.step();
    h.run();
    assert_eq!(field(&h, "教学目标"), "9.5");
    assert_eq!(field(&h, "教学内容"), "13");
    assert_eq!(field(&h, "教学过程"), "22.5");
    assert_eq!(field(&h, "方法与策略"), "27");
    assert_eq!(field(&h, "教师素养"), "18");
    let draft = read_store(&f.path)
        .sheet("E05", &contestant, &f.judge)
        .expect("read")
        .expect("the draft is saved");
    let values: Vec<String> = draft
        .criteria
        .iter()
        .map(|v| v.map(|x| x.to_string()).unwrap_or_default())
        .collect();
    assert_eq!(values, ["9.5", "13", "22.5", "27", "18"]);
}

#[test]
fn switching_files_leaves_nothing_of_the_last_one_on_screen() {
    let a = fixture();
    let mut h = harness(&a.path);
    login_organiser(&mut h);
    // File A: a submitted sheet and the progress matrix showing it.
    let ws = h.state().app.workspace.as_ref().expect("open");
    let c = ws.contestants[0].clone();
    let judge = ws
        .judges
        .iter()
        .find(|j| j.events.iter().any(|e| e == "E05") && !j.must_recuse(&c))
        .expect("a judge")
        .id
        .clone();
    h.state_mut()
        .app
        .apply(Command::SaveSheet {
            event: "E05".into(),
            contestant: c.id.clone(),
            judge,
            criteria: ["8", "12", "20", "25", "16"]
                .iter()
                .map(|v| Fixed::parse(v).ok())
                .collect(),
            submit: true,
        })
        .expect("submit");
    h.get_by_label("评分进度").click();
    h.run();
    h.state_mut().progress.event = Some("E05".into());
    h.state_mut().progress.group = Some(c.group());
    h.run();
    assert!(h.state().progress.matrix().submitted > 0);
    h.state_mut().results.selected = Some(c.id.clone());

    // Close A (log out first, as the window asks), open B: an empty competition.
    h.state_mut().send(Action::Logout).expect("logout");
    h.state_mut().send(Action::Close).expect("close");
    let dir = tempfile::tempdir().expect("dir");
    let b = dir.path().join("b.sqlite");
    drop(commands::new_competition(&b, "second", None, ORGANISER_PIN).expect("B"));
    h.state_mut().send(Action::Open(b.clone())).expect("open B");
    h.run();
    login_organiser(&mut h);
    assert!(h.state().progress.matrix().rows.is_empty(), "no rows of A");
    assert_eq!(h.state().progress.matrix().submitted, 0);
    assert!(h.state().results.selected.is_none(), "no selection of A");
    h.get_by_label("评分进度").click();
    h.run();
    assert!(h.query_by_label(&c.name).is_none(), "A's names are gone");
}

#[test]
fn re_drawing_after_scoring_asks_for_a_typed_confirmation_and_a_reason() {
    let f = fixture();
    let mut h = harness(&f.path);
    login_organiser(&mut h);
    let ws = h.state().app.workspace.as_ref().expect("open");
    let c = ws.contestants[0].clone();
    let judge = ws
        .judges
        .iter()
        .find(|j| j.events.iter().any(|e| e == "E05") && !j.must_recuse(&c))
        .expect("judge")
        .id
        .clone();
    h.state_mut()
        .app
        .apply(Command::SaveSheet {
            event: "E05".into(),
            contestant: c.id.clone(),
            judge,
            criteria: ["8", "12", "20", "25", "16"]
                .iter()
                .map(|v| Fixed::parse(v).ok())
                .collect(),
            submit: true,
        })
        .expect("submit");
    let seed = || read_store(&f.path).draw_seed("E05").expect("read");
    let before = seed();
    h.get_by_label("抽签").click();
    h.run();
    h.state_mut().draw.event = Some("E05".into());
    h.run();
    h.get_by_label("本项目抽签").click();
    h.run();
    assert!(h.state().draw.redraw.is_some(), "it asks first");
    assert_eq!(seed(), before, "nothing re-drawn yet");
    h.get_by_label("请输入“重新抽签”以确认").click();
    h.get_by_label("请输入“重新抽签”以确认")
        .type_text("重新抽签");
    h.get_all_by_label("原因").last().expect("reason").click();
    h.get_all_by_label("原因")
        .last()
        .expect("reason")
        .type_text("现场重抽");
    h.run();
    h.get_all_by_label("重新抽签")
        .last()
        .expect("button")
        .click();
    h.run();
    h.run();
    let audit = read_store(&f.path).audit_entries().expect("audit");
    assert!(
        audit
            .iter()
            .any(|e| e.action == "redraw" && e.detail.contains("现场重抽")),
        "audited with the reason"
    );
}

#[test]
fn on_the_login_screen_tab_and_enter_never_close_the_file() {
    let f = fixture();
    let mut h = harness(&f.path);
    h.run();
    // The organiser's PIN field has the focus on arrival: type, Enter logs in.
    assert!(h.get_by_label("PIN").is_focused(), "focus on arrival");
    h.key_press(egui::Key::Tab);
    h.run();
    h.key_press(egui::Key::Enter);
    h.run();
    assert!(
        h.state().app.workspace.is_some(),
        "Tab, Enter did not close the file"
    );
    h.get_by_label("PIN").click();
    h.get_by_label("PIN").type_text(ORGANISER_PIN);
    h.key_press(egui::Key::Enter);
    h.run();
    h.run();
    let role = h
        .state()
        .app
        .workspace
        .as_ref()
        .and_then(|w| w.session.as_ref())
        .map(|s| s.role);
    assert_eq!(role, Some(Role::Organiser), "Enter logs in");
    // 关闭文件 asks first.
    h.get_by_label("退出登录").click();
    h.run();
    h.get_by_label("关闭文件").click();
    h.run();
    assert!(
        h.state().app.workspace.is_some(),
        "not closed without asking"
    );
    assert!(h.state().confirm_close);
}

#[test]
fn a_file_changed_behind_the_apps_back_is_warned_about_and_the_organiser_seals() {
    let f = fixture();
    // Logging in as organiser seals the chain's newest entry; logging out seals again.
    let mut h = harness(&f.path);
    assert!(!h.state().app.workspace.as_ref().expect("open").tampered);
    assert!(
        h.query_by_label_contains("警告：文件中的成绩数据")
            .is_none()
    );
    login_organiser(&mut h);
    h.get_by_label("退出登录").click();
    h.run();
    drop(h);
    let report = read_store(&f.path)
        .check(Some(ORGANISER_PIN))
        .expect("check");
    assert!(report.ok(), "{report:?}");
    assert_eq!(
        report.seals.count, 1,
        "one seal: nothing changed between login and logout"
    );
    assert_eq!(report.seals.unsealed_after, 0);

    // A contestant's school changed with plain SQLite: the window says so at the top.
    rusqlite::Connection::open(&f.path)
        .expect("sqlite")
        .execute_batch("UPDATE contestant SET school = 'X' WHERE position = 1")
        .expect("edit");
    let mut h = harness(&f.path);
    // The check runs on another thread: the window shows its answer when it arrives.
    for _ in 0..300 {
        h.step();
        if h.state().app.workspace.as_ref().expect("open").tampered {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    h.run();
    assert!(h.state().app.workspace.as_ref().expect("open").tampered);
    h.get_by_label_contains("警告：文件中的成绩数据");
}

#[test]
fn the_organiser_sets_the_papers_sign_off_names_and_group_order() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("demo.sqlite");
    drop(commands::build_demo(&path, 24, 3).expect("demo"));
    let mut h = harness(&path);
    login_organiser(&mut h);
    h.get_by_label("打印与导出").click();
    h.run_steps(3);
    h.get_by_label("成绩表（单项、综合）").click();
    h.run_steps(3);
    h.get_by_label("纸质文件设置（签字栏、公示）").click();
    h.run_steps(3);
    h.get_by_label("裁判长").click();
    h.get_by_label("裁判长").type_text("张伟");
    h.get_by_label("监督电话").click();
    h.get_by_label("监督电话").type_text("0358-8220000");
    h.get_by_label("按学段学科").click();
    h.run_steps(2);
    h.get_by_label("保存设置").click();
    h.run_steps(3);
    let papers = read_store(&path).papers().expect("papers");
    assert_eq!(papers.head_judge, "张伟");
    assert_eq!(papers.supervision_phone, "0358-8220000");
    assert_eq!(papers.group_order, scoredesk::model::GroupOrder::Customary);
    // Audited like every change.
    let audit = read_store(&path).audit_entries().expect("audit");
    assert!(
        audit
            .iter()
            .any(|e| e.action == "set-meta" && e.detail == "papers")
    );
}

#[test]
fn exporting_the_notice_with_pending_results_asks_first() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("demo.sqlite");
    drop(commands::build_demo(&path, 24, 3).expect("demo"));
    // A judge who has not scored joins E05: its results are pending.
    common::add_late_judge(&path);
    let mut h = harness(&path);
    login_organiser(&mut h);
    h.get_by_label("打印与导出").click();
    h.run_steps(3);
    h.get_by_label("获奖公示名单").click();
    h.run_steps(3);
    let out = dir.path().join("公示.pdf");
    h.get_by_label("保存到").click();
    h.get_by_label("保存到")
        .type_text(out.to_str().expect("utf-8"));
    h.run_steps(2);
    h.get_by_label("导出").click();
    h.run_steps(3);
    // Asked, nothing written yet.
    h.get_by_label_contains("成绩待定");
    assert!(!out.exists());
    h.get_by_label("仍然导出").click();
    h.run_steps(2);
    wait_for_export(&mut h);
    assert!(out.exists(), "exported after the answer");
}

/// The text field (not the column header button) labelled `label`.
fn text_field<'a>(h: &'a Harness<'static, ScoreDeskUi>, label: &'a str) -> egui_kittest::Node<'a> {
    h.get_all_by_label(label)
        .find(|n| n.accesskit_node().role() == egui::accesskit::Role::TextInput)
        .unwrap_or_else(|| panic!("a text field {label}"))
}

#[test]
fn the_organiser_adds_a_contestant_chooses_events_and_deletes_one_with_a_reason() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("demo.sqlite");
    drop(commands::build_demo(&path, 12, 3).expect("demo"));
    let mut h = harness(&path);
    login_organiser(&mut h);
    h.get_by_label("选手").click();
    h.run();
    h.get_by_label("添加选手").click();
    h.run();
    for (label, text) in [
        ("编号", "ＪＳ20259999"),
        ("姓名", "欧阳𬭎"),
        ("学科", "语文"),
        ("工作单位", "吕梁市第一中学"),
    ] {
        text_field(&h, label).click();
        h.run();
        text_field(&h, label).type_text(text);
        h.run();
    }
    // Enters only two events: untick all but E01 and E05.
    let codes: Vec<String> = read_store(&path)
        .setup()
        .expect("setup")
        .events
        .iter()
        .map(|e| e.code.clone())
        .collect();
    let names = read_store(&path).setup().expect("setup").events;
    for e in &names {
        if e.code != "E01" && e.code != "E05" {
            h.get_by_label(&format!("{} {}", e.code, e.name)).click();
            h.run();
        }
    }
    h.get_by_label("保存").click();
    h.run();
    let store = read_store(&path);
    let added = store
        .contestants()
        .expect("contestants")
        .into_iter()
        .find(|c| c.id == "JS20259999")
        .expect("added, the full-width id folded to ASCII");
    assert_eq!(added.name, "欧阳𬭎");
    let mut entered: Vec<String> = store
        .entries()
        .expect("entries")
        .into_iter()
        .filter(|e| e.contestant == "JS20259999")
        .map(|e| e.event)
        .collect();
    entered.sort();
    assert_eq!(
        entered,
        vec!["E01".to_string(), "E05".to_string()],
        "{codes:?}"
    );

    // Delete them again: asked, with a reason, audited.
    h.get_by_label("搜索").click();
    h.get_by_label("搜索").type_text("JS20259999");
    h.run();
    h.get_by_label("欧阳𬭎").click();
    h.run();
    h.get_by_label("删除选手").click();
    h.run();
    text_field(&h, "删除原因").click();
    text_field(&h, "删除原因").type_text("重复报名");
    h.run();
    h.get_by_label("确认删除").click();
    h.run();
    let store = read_store(&path);
    assert!(
        store
            .contestants()
            .expect("c")
            .iter()
            .all(|c| c.id != "JS20259999")
    );
    let audit = store.audit_entries().expect("audit");
    assert!(
        audit
            .iter()
            .any(|e| e.action == "delete-contestant" && e.detail.contains("重复报名"))
    );
    // A contestant with scores cannot be deleted.
    let scored = store.contestants().expect("c")[0].id.clone();
    drop(h);
    let mut store = Store::open(&path).expect("open");
    let err = commands::execute(
        &mut store,
        &commands::Session::organiser(),
        Command::DeleteContestant {
            id: scored,
            reason: "测试".into(),
        },
    )
    .expect_err("refused");
    assert!(err.to_string().contains("不能删除"), "{err}");
}

#[test]
fn the_organiser_edits_competition_details_time_limits_and_penalty_items() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("demo.sqlite");
    drop(commands::build_demo(&path, 12, 3).expect("demo"));
    let mut h = harness(&path);
    login_organiser(&mut h);
    h.get_by_label("比赛设置").click();
    h.run();
    h.get_by_label("比赛信息").click();
    h.run();
    for (label, text) in [("主办单位", "吕梁市教育局"), ("比赛地点", "吕梁学院")]
    {
        let field = text_field(&h, label);
        field.click();
        h.run();
        text_field(&h, label).type_text(text);
        h.run();
    }
    h.get_by_label("添加一条规则").click();
    h.run();
    h.get_by_label("保存").click();
    h.run();
    let setup = read_store(&path).setup().expect("setup");
    assert!(setup.competition.organiser.ends_with("吕梁市教育局"));
    assert!(setup.competition.venue.ends_with("吕梁学院"));
    assert_eq!(setup.ranking.tiebreak.len(), 2, "{:?}", setup.ranking);

    // An event's time limit and penalty items.
    let e05 = setup
        .events
        .iter()
        .find(|e| e.code == "E05")
        .expect("E05")
        .clone();
    h.get_by_label(&format!("E05 {}", e05.name)).click();
    h.run();
    let minutes = text_field(&h, "时间限制（分钟）");
    minutes.click();
    h.run();
    text_field(&h, "时间限制（分钟）").type_text("9");
    h.get_by_label("添加扣分项目").click();
    h.run();
    h.get_by_label("保存").click();
    h.run();
    // E05 has sheets: changing its rules asks first.
    h.get_by_label("仍然保存").click();
    h.run();
    let e05_after = read_store(&path)
        .setup()
        .expect("setup")
        .events
        .into_iter()
        .find(|e| e.code == "E05")
        .expect("E05");
    assert!(
        e05_after
            .minutes
            .is_some_and(|m| m.to_string().ends_with('9')),
        "{:?}",
        e05_after.minutes
    );
}

#[test]
fn an_invalid_award_ratio_or_minimum_is_told_and_nothing_is_saved() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("demo.sqlite");
    drop(commands::build_demo(&path, 12, 3).expect("demo"));
    let before = read_store(&path).setup().expect("setup").awards;
    let mut h = harness(&path);
    login_organiser(&mut h);
    h.get_by_label("比赛设置").click();
    h.run();
    // The award tiers are the setup screen's first page.
    // A minimum of "x60" is not "no minimum".
    let min = text_field(&h, "最低获奖分数");
    min.click();
    h.run();
    text_field(&h, "最低获奖分数").type_text("x60");
    h.run();
    h.get_by_label("保存").click();
    // Several frames later the error is still there, and nothing was saved.
    for _ in 0..5 {
        h.run();
    }
    h.get_by_label_contains("x60");
    assert_eq!(read_store(&path).setup().expect("setup").awards, before);
    let said_saved = h
        .state()
        .app
        .messages
        .iter()
        .any(|m| m.text.contains("已保存"));
    assert!(!said_saved, "the status said 已保存");
}

#[test]
fn the_audit_log_shows_beijing_time_and_chinese_action_names() {
    let f = fixture();
    let mut h = harness(&f.path);
    login_organiser(&mut h);
    h.get_by_label("审计日志").click();
    h.run();
    // The navigation's 抽签 and at least one log entry's.
    assert!(h.get_all_by_label("抽签").count() >= 2);
    assert!(h.query_by_label("draw").is_none(), "an English action name");
    // No "2026-12-02T15:00:00Z": the times are shown as 北京时间 "2026-12-02 23:00".
    let year = scoredesk::clock::now_rfc3339()[..4].to_string();
    assert!(
        h.get_all_by_label_contains(&year).all(|n| !n
            .accesskit_node()
            .label()
            .unwrap_or_default()
            .ends_with('Z')),
        "a UTC time is shown"
    );
    h.get_by_label_contains("时间（北京时间）");
}

#[test]
fn the_certificate_template_is_edited_as_a_form_with_field_buttons() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("demo.sqlite");
    drop(commands::build_demo(&path, 12, 3).expect("demo"));
    let mut h = harness(&path);
    login_organiser(&mut h);
    h.get_by_label("打印与导出").click();
    h.run_steps(3);
    h.get_by_label("编辑证书模板").click();
    h.run_steps(3);
    // The first block (the title): open it, add a field with its button.
    h.get_by_label_contains("文字块 1").click();
    h.run_steps(3);
    h.get_all_by_label("{届次}")
        .next()
        .expect("a field button")
        .click();
    h.run_steps(3);
    // The title is set in 宋体; choose 楷体 for it.
    h.get_by_label("楷体").click();
    h.run_steps(3);
    // The TOML under 高级 follows the form, and the preview lays out the draft.
    let draft = h.state().printing.template.clone().expect("draft");
    assert!(draft.contains("荣誉证书{届次}"), "{draft}");
    let form = scoredesk::report::Template::parse(&draft).expect("a valid draft");
    assert_eq!(
        form.landscape.blocks[0].family(),
        scoredesk::report::Family::Kai,
        "{draft}"
    );
    h.get_by_label("保存模板").click();
    h.run_steps(3);
    let stored = read_store(&path)
        .meta(scoredesk::report::TEMPLATE_META_KEY)
        .expect("meta")
        .expect("a template");
    assert!(stored.contains("荣誉证书{届次}"), "{stored}");
}

#[test]
fn with_large_text_at_1280_by_720_submit_and_the_arrows_are_whole() {
    let f = fixture();
    let mut app = App::new(Lang::Zh);
    app.apply(Action::Open(f.path.clone())).expect("opens");
    let mut ui_state = ScoreDeskUi::new(app);
    ui_state.large_text = true;
    let mut h = Harness::builder()
        .with_size([1280.0, 720.0])
        .with_context_setup(scoredesk::ui::fonts::install)
        .build_ui_state(|ui, state: &mut ScoreDeskUi| state.show(ui), ui_state);
    h.run();
    login_judge(&mut h, &f.judge);
    h.run();
    for label in ["提交", "◀ 上一位", "下一位 ▶"] {
        let rect = h
            .get_all_by_label_contains(label.trim_start_matches("◀ ").trim_end_matches(" ▶"))
            .map(|n| n.rect())
            .next()
            .unwrap_or_else(|| panic!("{label} shown"));
        assert!(
            rect.right() <= 1280.0 && rect.left() >= 0.0,
            "{label} cut: {rect:?}"
        );
        assert!(rect.bottom() <= 720.0, "{label} below the window: {rect:?}");
        assert!(rect.width() >= 40.0, "{label} squeezed: {rect:?}");
    }
}

#[test]
fn progress_offers_only_groups_in_the_event_and_an_all_groups_overview() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("demo.sqlite");
    drop(commands::build_demo(&path, 24, 3).expect("demo"));
    // A contestant of a group of their own, entered in E01 only.
    {
        let mut store = Store::open(&path).expect("open");
        commands::execute(
            &mut store,
            &commands::Session::organiser(),
            Command::AddContestant {
                contestant: scoredesk::model::Contestant {
                    id: "JS20259001".into(),
                    name: "化学老师".into(),
                    gender: scoredesk::model::Gender::Female,
                    stage: scoredesk::model::Stage::Senior,
                    subject: "化学".into(),
                    school: "吕梁市高级中学".into(),
                    county: String::new(),
                    phone: String::new(),
                },
                events: vec!["E01".into()],
            },
        )
        .expect("added");
    }
    let mut h = harness(&path);
    login_organiser(&mut h);
    h.get_by_label("评分进度").click();
    h.run();
    // E01 (the first event) offers 高中化学; E02 does not.
    h.get_by_label("组别").click();
    h.run();
    assert!(h.query_by_label("高中化学").is_some(), "E01 has 高中化学");
    h.key_press(egui::Key::Escape);
    h.run();
    h.state_mut().progress.event = Some("E02".into());
    h.run();
    h.get_by_label("组别").click();
    h.run();
    assert!(
        h.query_by_label("高中化学").is_none(),
        "E02 has no 高中化学 entrant"
    );
    // The overview: every event with what is missing.
    h.get_by_label("全部组别（按项目概览）").click();
    h.step();
    assert!(h.state().progress.overview);
    // Read in the background: the window keeps drawing meanwhile.
    for _ in 0..500 {
        h.step();
        if !h.state().progress.overview_pending() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    h.run();
    h.get_by_label("应交");
    h.get_by_label_contains("E13");
}

#[test]
fn the_judges_table_header_stays_while_the_judges_scroll() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("demo.sqlite");
    drop(commands::build_demo(&path, 24, 3).expect("demo"));
    let mut h = harness(&path);
    login_organiser(&mut h);
    h.get_by_label("评委与评审组").click();
    h.run();
    let header = |h: &Harness<'static, ScoreDeskUi>| {
        h.get_all_by_label("评委编号")
            .map(|n| n.rect())
            .next()
            .expect("the header")
    };
    let before = header(&h);
    assert!(h.query_by_label("PW001").is_some());
    // Scroll far down over the table.
    let at = h.get_by_label("PW002").rect().center();
    h.event(egui::Event::PointerMoved(at));
    for _ in 0..20 {
        h.event(egui::Event::MouseWheel {
            unit: egui::MouseWheelUnit::Line,
            delta: egui::vec2(0.0, -10.0),
            phase: egui::TouchPhase::Move,
            source: egui::MouseWheelSource::Wheel,
            modifiers: egui::Modifiers::NONE,
        });
        h.run();
    }
    assert!(h.query_by_label("PW001").is_none(), "the list scrolled");
    assert_eq!(header(&h), before, "the header stayed where it was");
}
