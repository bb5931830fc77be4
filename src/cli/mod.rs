//! The headless command line: the organiser's operations for automation and tests.
//!
//! The command line acts with the organiser's rights on a file the user can already open;
//! PINs guard the shared laptops' GUI, not this. Errors go to stderr with a non-zero exit.

pub mod arg_error;
mod check_out;
mod export;
mod listing;
mod results_out;
mod station;

use std::io::Write;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::commands::{self, CommandError as OpError, Outcome, Session};
use crate::store::{Access, Store};

/// ScoreDesk — 教师教学技能大赛评分系统 (offline scoring for teachers' teaching-skills competitions).
#[derive(Debug, Parser)]
#[command(name = "scoredesk", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    /// The language of messages and explanations: zh (default) or en — one at a time.
    #[arg(long, global = true, value_enum, default_value_t = LangArg::Zh)]
    pub lang: LangArg,
}

impl LangArg {
    pub fn lang(self) -> crate::i18n::Lang {
        match self {
            LangArg::Zh => crate::i18n::Lang::Zh,
            LangArg::En => crate::i18n::Lang::En,
        }
    }
}

/// Writes what the commands print in one language: each complete line written "中文
/// (English)" is reduced to the chosen language ([`crate::i18n::one_language`]).
pub struct OneLanguage<W: Write> {
    inner: W,
    lang: crate::i18n::Lang,
    pending: Vec<u8>,
}

impl<W: Write> OneLanguage<W> {
    pub fn new(inner: W, lang: crate::i18n::Lang) -> Self {
        OneLanguage {
            inner,
            lang,
            pending: Vec::new(),
        }
    }

    fn emit(&mut self, line: &[u8]) -> std::io::Result<()> {
        let text = String::from_utf8_lossy(line);
        self.inner
            .write_all(crate::i18n::one_language_line(&text, self.lang).as_bytes())
    }
}

impl<W: Write> Write for OneLanguage<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.pending.extend_from_slice(buf);
        while let Some(at) = self.pending.iter().position(|&b| b == b'\n') {
            let line: Vec<u8> = self.pending.drain(..=at).collect();
            self.emit(&line[..line.len() - 1])?;
            self.inner.write_all(b"\n")?;
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        if !self.pending.is_empty() {
            let rest = std::mem::take(&mut self.pending);
            self.emit(&rest)?;
        }
        self.inner.flush()
    }
}

/// Output formats for listings.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Table,
    Json,
    Csv,
}

/// Output language for explanations.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum LangArg {
    Zh,
    En,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create a new competition file from a template (second | first | PATH.toml).
    New {
        file: PathBuf,
        #[arg(long, default_value = "second")]
        template: String,
        #[arg(long)]
        title: Option<String>,
        /// The organiser's PIN for the GUI (at least 6 digits); generated and printed if omitted.
        #[arg(long)]
        organiser_pin: Option<String>,
    },
    /// New PINs for judges (all judges, or those named), printed once as slips.
    Pins {
        file: PathBuf,
        #[arg(long = "judge")]
        judges: Vec<String>,
        /// Also write the slips as a PDF to print and cut.
        #[arg(long)]
        slips: Option<PathBuf>,
    },
    /// Import contestants, judges or scores from CSV (UTF-8/GBK) or XLSX; all or nothing.
    Import {
        #[command(subcommand)]
        what: ImportWhat,
    },
    /// List the events and their rubrics.
    Events {
        file: PathBuf,
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
    /// List the contestants.
    Contestants {
        file: PathBuf,
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
    /// List the judges and their panels.
    Judges {
        file: PathBuf,
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
    /// Build the demo competition (second-edition template, scores filled in) in a new file.
    Demo {
        file: PathBuf,
        #[arg(long, default_value_t = 300)]
        contestants: usize,
        #[arg(long, default_value_t = 2025)]
        seed: u64,
    },
    /// Draw (抽签) the order and anonymous codes of one event or all events.
    Draw {
        file: PathBuf,
        #[arg(long, conflicts_with = "all", required_unless_present = "all")]
        event: Option<String>,
        #[arg(long)]
        all: bool,
        #[arg(long)]
        seed: Option<u64>,
        /// Draw again an event that already has score sheets (every code changes).
        #[arg(long, requires = "reason")]
        redraw: bool,
        /// Why it is re-drawn (recorded in the audit log).
        #[arg(long)]
        reason: Option<String>,
    },
    /// Results of one event or the overall (综合) table.
    Results(ResultsArgs),
    /// Explain a contestant's score and rank in plain words.
    Explain {
        file: PathBuf,
        #[arg(long)]
        contestant: String,
        #[arg(long)]
        event: Option<String>,
    },
    /// Check the file: SQLite integrity, foreign keys, the schema, the audit chain, and the
    /// tables against the changes the audit log recorded (names what differs). `--pin`: the
    /// organiser's PIN, to check the seals too. `--against HEAD`: has the file changed since a
    /// page with this head was printed?
    Check {
        file: PathBuf,
        #[arg(long)]
        pin: Option<String>,
        #[arg(long)]
        against: Option<String>,
    },
    /// 纸质文件设置: the names in the sign-off block under result sheets (记分员 裁判长 监督员),
    /// the public notice (公示期起 公示期止 联系人及电话 监督电话 落款单位 落款日期) and the order
    /// of groups (roster: as in the roster; customary: 学段, then 语文 数学 英语 …). With no
    /// option: prints the settings. An empty value clears a field (a blank line is printed).
    Papers {
        file: PathBuf,
        /// 字段=值, e.g. --set 裁判长=张伟 (repeatable).
        #[arg(long = "set", value_name = "字段=值")]
        set: Vec<String>,
        #[arg(long, value_name = "roster|customary")]
        group_order: Option<String>,
    },
    /// Seal the audit chain's newest entry with the organiser's PIN (封记): a chain recomputed
    /// later by someone without the PIN no longer matches.
    Seal {
        file: PathBuf,
        #[arg(long)]
        pin: String,
    },
    /// Show the audit log. `--changes`: under each entry, the rows it changed with their old
    /// and new values.
    Audit {
        file: PathBuf,
        #[arg(long)]
        changes: bool,
    },
    /// Copy the file to a backup (safe while it is open elsewhere).
    Backup { file: PathBuf, dest: PathBuf },
    /// 扣分: deduct points from a contestant's result in an event (head judge's decision).
    Penalty {
        file: PathBuf,
        #[arg(long)]
        event: String,
        #[arg(long)]
        contestant: String,
        /// Points to deduct (positive), e.g. 2.
        #[arg(long)]
        points: String,
        #[arg(long)]
        reason: String,
        /// Record it even if the same penalty is already recorded.
        #[arg(long)]
        again: bool,
    },
    /// Record a judge absent for an event (or one contestant): their sheet is no longer awaited.
    Absent {
        file: PathBuf,
        #[arg(long)]
        event: String,
        #[arg(long)]
        judge: String,
        #[arg(long)]
        contestant: Option<String>,
        #[arg(long)]
        reason: String,
        /// Record it even if the same absence is already recorded.
        #[arg(long)]
        again: bool,
    },
    /// 人工决定等次: decide one entry's award (e.g. a tie across an award boundary).
    /// `--event 综合` for the overall table; `--tier 无` for no award; `--withdraw` undoes it.
    Award {
        file: PathBuf,
        #[arg(long)]
        event: String,
        #[arg(long)]
        contestant: String,
        #[arg(long, required_unless_present = "withdraw")]
        tier: Option<String>,
        #[arg(long, required_unless_present = "withdraw")]
        reason: Option<String>,
        #[arg(long)]
        withdraw: bool,
    },
    /// List recorded penalties and absences with their numbers (for removing one).
    Decisions { file: PathBuf },
    /// 撤销扣分: remove a recorded penalty by its number (see `decisions`), with a reason.
    RemovePenalty {
        file: PathBuf,
        id: i64,
        #[arg(long)]
        reason: String,
    },
    /// 撤销缺席: remove a recorded absence by its number (see `decisions`), with a reason.
    RemoveAbsence {
        file: PathBuf,
        id: i64,
        #[arg(long)]
        reason: String,
    },
    /// 导出评分包: a judge kit per judge (`--judge`) or for every judge of a panel (`--event`).
    Kit {
        file: PathBuf,
        #[arg(long, conflicts_with = "event", required_unless_present = "event")]
        judge: Option<String>,
        #[arg(long)]
        event: Option<String>,
        /// The folder the kit files go to (e.g. a USB stick).
        #[arg(long)]
        out: PathBuf,
        /// Replace the judge's packet key (packets of older kits are then refused).
        #[arg(long)]
        revoke: bool,
        /// The master's address on the venue network, for stations that send packets.
        #[arg(long)]
        master: Option<String>,
    },
    /// As the judge at a station: submit score rows (the columns of `import scores`) into a kit.
    Submit {
        kit: PathBuf,
        #[arg(long)]
        pin: String,
        scores: PathBuf,
    },
    /// As the station: write the judge's current packet (成绩包) into a folder.
    Packet {
        kit: PathBuf,
        #[arg(long)]
        out: PathBuf,
    },
    /// 导入成绩包: verify and merge packet files (or folders of them) into the master.
    Merge {
        file: PathBuf,
        #[arg(required = true)]
        paths: Vec<PathBuf>,
    },
    /// List merge conflicts (open ones first), or resolve one.
    Conflicts {
        file: PathBuf,
        /// Resolve this conflict …
        #[arg(long, requires = "reason")]
        resolve: Option<i64>,
        /// … by taking the packet's value (otherwise the master's value is kept).
        #[arg(long)]
        take: bool,
        #[arg(long)]
        reason: Option<String>,
    },
    /// Per judge: the packets merged (time, sequence, sheets).
    Packets { file: PathBuf },
    /// 开启现场网络: serve the master on the venue network (stations post packets to
    /// /packets). Runs until stopped (Ctrl+C), or for `--for` seconds.
    Serve {
        file: PathBuf,
        #[arg(long, default_value_t = 8808)]
        port: u16,
        /// The address to listen on (0.0.0.0: every network of this computer).
        #[arg(long, default_value = "0.0.0.0")]
        bind: String,
        /// Stop after this many seconds.
        #[arg(long = "for")]
        seconds: Option<u64>,
    },
    /// As the station on the venue network: send the judge's newest packet to the master and
    /// wait for its receipt (retrying while the master cannot be reached).
    Send {
        kit: PathBuf,
        /// The master's address (default: the one in the kit).
        #[arg(long)]
        master: Option<String>,
        /// How many times to try before giving up.
        #[arg(long, default_value_t = 20)]
        tries: u32,
    },
    /// Join links for judges on phones (扫码打分): a secret token per judge (kept unless
    /// `--revoke`), printed as the URL the QR code holds.
    Tokens {
        file: PathBuf,
        #[arg(long = "judge")]
        judges: Vec<String>,
        #[arg(long)]
        revoke: bool,
        /// The master's address on the venue network, e.g. http://192.168.1.10:8808
        #[arg(long, default_value = "http://127.0.0.1:8808")]
        master: String,
        /// Also write the join cards (QR codes) as a PDF to print and cut.
        #[arg(long)]
        cards: Option<PathBuf>,
    },
    /// Add a recorder (记分员) for paper sheets of these events; prints the recorder's PIN once.
    Recorder {
        file: PathBuf,
        #[arg(long)]
        id: String,
        #[arg(long)]
        name: String,
        #[arg(long = "event", required = true)]
        events: Vec<String>,
    },
    /// Double entry of paper sheets: as a recorder, enter rows (the columns of `import
    /// scores`); with neither, list the disagreements; `--resolve ENTRY --reason` decides one.
    Paper {
        file: PathBuf,
        #[arg(long, requires = "pin")]
        recorder: Option<String>,
        #[arg(long)]
        pin: Option<String>,
        scores: Option<PathBuf>,
        #[arg(long, requires = "reason")]
        resolve: Option<i64>,
        #[arg(long)]
        reason: Option<String>,
    },
    /// Restore the file from a backup (the current state is kept as a backup first; prints
    /// what is lost). Refused while the file is open elsewhere.
    Restore {
        file: PathBuf,
        #[arg(long)]
        from: PathBuf,
    },
    /// Open the window (the start screen, or FILE directly).
    Gui { file: Option<PathBuf> },
    /// Print and export: certificates, result sheets, award lists, judge sheets (PDF); XLSX/CSV.
    Export {
        #[command(subcommand)]
        what: export::ExportWhat,
    },
}

#[derive(Debug, Subcommand)]
pub enum ImportWhat {
    /// 选手名单: 编号, 姓名, 性别, 学段, 学科, 工作单位, 县（市、区）, 联系电话
    Contestants { file: PathBuf, path: PathBuf },
    /// 评委名单: 评委编号, 姓名, 工作单位, 县（市、区）, 评审项目
    Judges { file: PathBuf, path: PathBuf },
    /// 成绩: 项目, 选手编号, 评委编号, 分数 (or one column per criterion)
    Scores { file: PathBuf, path: PathBuf },
}

#[derive(Debug, Args)]
pub struct ResultsArgs {
    pub file: PathBuf,
    #[arg(long, conflicts_with = "overall", required_unless_present = "overall")]
    pub event: Option<String>,
    #[arg(long)]
    pub overall: bool,
    #[arg(long)]
    pub group: Option<String>,
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

/// Runs one command, writing to `out`. Returns the user-facing error, if any.
fn check_against(store: &Store, printed: &str, out: &mut dyn Write) -> Result<(), OpError> {
    use crate::store::check::Against;
    let io = |e: std::io::Error| OpError::Usage(e.to_string());
    match store.against(printed)? {
        Against::Current { seq } => {
            if let Some(why) = store.fast_digest_check()? {
                return Err(OpError::Usage(format!(
                    "打印时的审计链头是第 {seq} 条（最新），但表中的成绩与审计日志记录的不一致（{why}），请运行 scoredesk check"
                )));
            }
            writeln!(out, "未改动：打印的审计链头是第 {seq} 条，即文件最新的记录").map_err(io)?;
            Ok(())
        }
        Against::Since { seq, later } => {
            writeln!(
                out,
                "已改动：打印的是第 {seq} 条，之后又有 {} 条记录：",
                later.len()
            )
            .map_err(io)?;
            for (s, action, detail) in later.iter().take(50) {
                writeln!(out, "{s:>6}  {action:<18}  {detail}").map_err(io)?;
            }
            if later.len() > 50 {
                writeln!(
                    out,
                    "……（共 {} 条，完整列表见 scoredesk audit）",
                    later.len()
                )
                .map_err(io)?;
            }
            Err(OpError::Usage(format!(
                "文件自打印以来有 {} 条改动",
                later.len()
            )))
        }
        Against::Unknown => Err(OpError::Usage(
            "本文件的审计日志中没有这个链头：页面来自另一个文件，或日志被改写过".into(),
        )),
    }
}

pub fn run(command: Command, out: &mut dyn Write) -> Result<(), OpError> {
    run_in(command, LangArg::Zh, out)
}

/// [`run`] with the language of explanations (`--lang`).
pub fn run_in(command: Command, lang: LangArg, out: &mut dyn Write) -> Result<(), OpError> {
    let io = OpError::output;
    match command {
        Command::New {
            file,
            template,
            title,
            organiser_pin,
        } => {
            let generated = organiser_pin.is_none();
            let pin = organiser_pin.unwrap_or_else(crate::pin::generate);
            let store = commands::new_competition(&file, &template, title.as_deref(), &pin)?;
            if generated {
                writeln!(
                    out,
                    "管理员 PIN (organiser PIN): {pin}  —— 请妥善保存 (keep it safe)"
                )
                .map_err(io)?;
            }
            let setup = store.setup()?;
            writeln!(
                out,
                "已创建 {}：{}，{} 个项目 (created)",
                file.display(),
                setup.competition.title,
                setup.events.len()
            )
            .map_err(io)?;
        }
        Command::Import { what } => {
            let (file, path, kind) = match &what {
                ImportWhat::Contestants { file, path } => (file, path, "选手 contestants"),
                ImportWhat::Judges { file, path } => (file, path, "评委 judges"),
                ImportWhat::Scores { file, path } => (file, path, "评分表 score sheets"),
            };
            let mut store = Store::open(file)?;
            let who = Session::organiser();
            let (summary, pins) = match &what {
                ImportWhat::Contestants { .. } => (
                    imported(commands::execute(
                        &mut store,
                        &who,
                        commands::Command::ImportContestants(path.clone()),
                    )?),
                    Vec::new(),
                ),
                ImportWhat::Judges { .. } => {
                    let (summary, pins) =
                        commands::roster::import_judges_with_pins(&mut store, &who, path)?;
                    ((summary.imported, summary.warnings), pins)
                }
                ImportWhat::Scores { .. } => (
                    imported(commands::execute(
                        &mut store,
                        &who,
                        commands::Command::ImportScores(path.clone()),
                    )?),
                    Vec::new(),
                ),
            };
            let summary = commands::ImportSummary {
                imported: summary.0,
                warnings: summary.1,
            };
            for w in &summary.warnings {
                writeln!(out, "{w}").map_err(io)?;
            }
            writeln!(out, "已导入 {} 条{kind} (imported)", summary.imported).map_err(io)?;
            if !pins.is_empty() {
                print_pins(&pins, out).map_err(io)?;
            }
        }
        Command::Pins {
            file,
            judges,
            slips,
        } => {
            // Check where the slips go before any PIN changes.
            if let Some(pdf) = &slips {
                crate::report::check_writable(pdf).map_err(|e| OpError::Usage(e.to_string()))?;
            }
            let mut store = Store::open(&file)?;
            let pins = commands::roster::reset_pins(&mut store, &Session::organiser(), &judges)?;
            print_pins(&pins, out).map_err(io)?;
            if let Some(pdf) = slips {
                let pages = commands::write_pin_slips(&store, &pins, &pdf)?;
                writeln!(
                    out,
                    "PIN 条已保存 {} ({pages} 页) (slips written)",
                    pdf.display()
                )
                .map_err(io)?;
            }
        }
        Command::Events { file, format } => {
            let store = Store::open_with(&file, Access::ReadOnly)?;
            listing::events(&store.events()?, format, out).map_err(io)?;
        }
        Command::Contestants { file, format } => {
            let store = Store::open_with(&file, Access::ReadOnly)?;
            listing::contestants(&store.contestants()?, format, out).map_err(io)?;
        }
        Command::Judges { file, format } => {
            let store = Store::open_with(&file, Access::ReadOnly)?;
            listing::judges(&store.judges()?, format, out).map_err(io)?;
        }
        Command::Demo {
            file,
            contestants,
            seed,
        } => {
            let store = commands::build_demo(&file, contestants, seed)?;
            let counts = store.sheet_counts()?;
            let sheets: usize = counts.values().sum();
            writeln!(
                out,
                "已创建演示比赛 {}：{} 名选手，{} 名评委，{} 张评分表 (demo created)",
                file.display(),
                store.contestants()?.len(),
                store.judges()?.len(),
                sheets
            )
            .map_err(io)?;
        }
        Command::Draw {
            file,
            event,
            all,
            seed,
            redraw,
            reason,
        } => {
            let target = if all { None } else { event };
            let mut store = Store::open(&file)?;
            let outcome = commands::execute(
                &mut store,
                &Session::organiser(),
                commands::Command::Draw {
                    event: target,
                    seed,
                    redraw: if redraw { reason } else { None },
                },
            )
            .map_err(|e| match e {
                OpError::NeedsConfirmation(c) => OpError::Usage(format!(
                    "{c}\n如确需重新抽签，请加 --redraw --reason 原因 (add --redraw --reason TEXT)"
                )),
                other => other,
            })?;
            if let Outcome::Drawn(drawn) = outcome {
                for (code, seed, places) in drawn {
                    writeln!(out, "{code}: seed {seed}, {} 人 (drawn)", places.len())
                        .map_err(io)?;
                }
            }
        }
        Command::Results(args) => {
            let store = Store::open_with(&args.file, Access::ReadOnly)?;
            results_out::results(&store, &args, out)?;
        }
        Command::Explain {
            file,
            contestant,
            event,
        } => {
            let store = Store::open_with(&file, Access::ReadOnly)?;
            results_out::explain(&store, &contestant, event.as_deref(), lang, out)?;
        }
        Command::Check { file, pin, against } => {
            let store = Store::open_with(&file, Access::ReadOnly)?;
            if let Some(printed) = against {
                return check_against(&store, &printed, out);
            }
            let report = store.check(pin.as_deref())?;
            check_out::print(&report, out).map_err(io)?;
            if !report.ok() {
                return Err(OpError::Usage(check_out::summary(&report)));
            }
        }
        Command::Papers {
            file,
            set,
            group_order,
        } => {
            if set.is_empty() && group_order.is_none() {
                let store = Store::open_with(&file, Access::ReadOnly)?;
                let p = store.papers()?;
                for (label, value) in p.fields() {
                    writeln!(
                        out,
                        "{label}：{}",
                        if value.is_empty() { "（空）" } else { value }
                    )
                    .map_err(io)?;
                }
                writeln!(
                    out,
                    "组别顺序：{}",
                    match p.group_order {
                        crate::model::GroupOrder::Roster => "名单顺序 (roster)",
                        crate::model::GroupOrder::Customary => "学段学科 (customary)",
                    }
                )
                .map_err(io)?;
                return Ok(());
            }
            let mut store = Store::open(&file)?;
            let mut p = store.papers()?;
            for item in &set {
                let Some((label, value)) = item.split_once('=') else {
                    return Err(OpError::Usage(format!("请写成 字段=值：{item}")));
                };
                let Some(field) = p.field_mut(label.trim()) else {
                    return Err(OpError::Usage(format!(
                        "没有字段「{}」；可设：记分员 裁判长 监督员 公示期起 公示期止 联系人及电话 监督电话 落款单位 落款日期",
                        label.trim()
                    )));
                };
                *field = value.trim().to_string();
            }
            if let Some(order) = group_order {
                p.group_order = crate::model::GroupOrder::parse(&order).ok_or_else(|| {
                    OpError::Usage(format!("组别顺序只能是 roster 或 customary：{order}"))
                })?;
            }
            crate::commands::execute(
                &mut store,
                &crate::commands::Session::organiser(),
                crate::commands::Command::SetPapers(p),
            )?;
            writeln!(out, "已保存纸质文件设置").map_err(io)?;
        }
        Command::Seal { file, pin } => {
            let mut store = Store::open(&file)?;
            let key = crate::commands::seal_key(&mut store, &pin)?;
            match crate::commands::seal(&mut store, &key)? {
                Some(seq) => writeln!(out, "已封记审计日志第 {seq} 条").map_err(io)?,
                None => writeln!(out, "审计日志为空，无需封记").map_err(io)?,
            }
        }
        Command::Audit { file, changes } => {
            let store = Store::open_with(&file, Access::ReadOnly)?;
            for e in store.audit_entries()? {
                writeln!(
                    out,
                    "{:>5}  {}  {:<10}  {:<18}  {}",
                    e.seq, e.at, e.actor, e.action, e.detail
                )
                .map_err(io)?;
                if changes {
                    for c in store.audit_changes(e.seq)? {
                        let show =
                            |v: &Option<String>| v.clone().unwrap_or_else(|| "（无）".into());
                        writeln!(
                            out,
                            "       {} {}: {} -> {}",
                            c.part,
                            c.key,
                            show(&c.old),
                            show(&c.new)
                        )
                        .map_err(io)?;
                    }
                }
            }
        }
        Command::Gui { .. } => {
            return Err(OpError::Usage(
                "`gui` is started by the scoredesk binary, not by cli::run".into(),
            ));
        }
        Command::Export { what } => export::run(what, out)?,
        Command::Penalty {
            file,
            event,
            contestant,
            points,
            reason,
            again,
        } => {
            let points =
                crate::model::Fixed::parse(&points).map_err(|e| OpError::Usage(e.to_string()))?;
            let penalty = crate::model::Penalty {
                event,
                contestant,
                points,
                reason,
            };
            if let Outcome::Penalty(p) =
                change(&file, commands::Command::AddPenalty { penalty, again })?
            {
                writeln!(
                    out,
                    "已扣分 {}/{}: -{} ({}) (penalty recorded)",
                    p.event, p.contestant, p.points, p.reason
                )
                .map_err(io)?;
            }
        }
        Command::Absent {
            file,
            event,
            judge,
            contestant,
            reason,
            again,
        } => {
            let absence = crate::model::Absence {
                event,
                judge,
                contestant,
                reason,
            };
            if let Outcome::Absence(a) =
                change(&file, commands::Command::RecordAbsence { absence, again })?
            {
                writeln!(out, "已记录缺席 {}/{} (absence recorded)", a.event, a.judge)
                    .map_err(io)?;
            }
        }
        Command::Award {
            file,
            event,
            contestant,
            tier,
            reason,
            withdraw,
        } => {
            let event = match event.trim() {
                "综合" | "overall" => crate::model::OVERALL.to_string(),
                e => e.to_string(),
            };
            if withdraw {
                change(
                    &file,
                    commands::Command::WithdrawAwardDecision {
                        event: event.clone(),
                        contestant: contestant.clone(),
                    },
                )?;
                writeln!(
                    out,
                    "已撤回人工决定 {event}/{contestant} (award decision withdrawn)"
                )
                .map_err(io)?;
            } else {
                let tier = tier
                    .map(|t| t.trim().to_string())
                    .filter(|t| !matches!(t.as_str(), "" | "无" | "none"));
                let decision = crate::model::AwardDecision {
                    event: event.clone(),
                    contestant: contestant.clone(),
                    tier: tier.clone(),
                    reason: reason.unwrap_or_default(),
                };
                change(&file, commands::Command::DecideAward(decision))?;
                writeln!(
                    out,
                    "已人工决定 {event}/{contestant}: {} (award decided)",
                    tier.as_deref().unwrap_or("无")
                )
                .map_err(io)?;
            }
        }
        Command::Decisions { file } => {
            let store = Store::open_with(&file, Access::ReadOnly)?;
            for (id, p) in store.penalties_with_ids()? {
                writeln!(
                    out,
                    "扣分 #{id}\t{}\t{}\t-{}\t{}",
                    p.event, p.contestant, p.points, p.reason
                )
                .map_err(io)?;
            }
            for (id, a) in store.absences_with_ids()? {
                writeln!(
                    out,
                    "缺席 #{id}\t{}\t{}\t{}\t{}",
                    a.event,
                    a.judge,
                    a.contestant.as_deref().unwrap_or("*"),
                    a.reason
                )
                .map_err(io)?;
            }
        }
        Command::RemovePenalty { file, id, reason } => {
            change(&file, commands::Command::RemovePenalty { id, reason })?;
            writeln!(out, "已撤销扣分 #{id} (penalty removed)").map_err(io)?;
        }
        Command::RemoveAbsence { file, id, reason } => {
            change(&file, commands::Command::RemoveAbsence { id, reason })?;
            writeln!(out, "已撤销缺席 #{id} (absence removed)").map_err(io)?;
        }
        Command::Kit {
            file,
            judge,
            event,
            out: dir,
            revoke,
            master,
        } => {
            let options = commands::kits::KitOptions {
                revoke,
                master_address: master,
            };
            let outcome = change(
                &file,
                commands::Command::ExportKits {
                    judge,
                    event,
                    dir,
                    options,
                },
            )?;
            let paths = match outcome {
                Outcome::Kits(paths) => paths,
                _ => Vec::new(),
            };
            for p in &paths {
                writeln!(out, "已导出评分包 {} (kit written)", p.display()).map_err(io)?;
            }
        }
        Command::Submit { kit, pin, scores } => {
            let n = station::submit(&kit, &pin, &scores)?;
            writeln!(out, "已提交 {n} 张评分表 (sheets submitted)").map_err(io)?;
        }
        Command::Packet { kit, out: dir } => {
            let mut store = Store::open(&kit)?;
            let (path, w) = commands::packets::write_packet(&mut store, &dir)?;
            writeln!(
                out,
                "已写出成绩包 {}：{} 张已提交，序号 {} (packet written)\nhash {}",
                path.display(),
                w.submitted,
                w.seq,
                w.hash
            )
            .map_err(io)?;
        }
        Command::Merge { file, paths } => station::merge(&file, &paths, out)?,
        Command::Conflicts {
            file,
            resolve,
            take,
            reason,
        } => {
            if let Some(id) = resolve {
                change(
                    &file,
                    commands::Command::ResolveConflict {
                        id,
                        take,
                        reason: reason.unwrap_or_default(),
                    },
                )?;
                writeln!(out, "已处理冲突 {id} (conflict resolved)").map_err(io)?;
            } else {
                let store = Store::open_with(&file, Access::ReadOnly)?;
                for c in store.conflicts(false)? {
                    writeln!(
                        out,
                        "{}\t{}\t{}/{}/{}\t成绩包 {}\t{}",
                        c.id, c.status, c.event, c.contestant, c.judge, c.total, c.reason
                    )
                    .map_err(io)?;
                }
            }
        }
        Command::Packets { file } => {
            let store = Store::open_with(&file, Access::ReadOnly)?;
            for p in store.packets()? {
                writeln!(
                    out,
                    "{}\t{}\tseq {}\t{}\t{} 张，新增 {}，确认 {}，冲突 {}",
                    p.judge,
                    p.device,
                    p.seq,
                    p.received_at,
                    p.sheets,
                    p.added,
                    p.confirmed,
                    p.conflicts
                )
                .map_err(io)?;
            }
        }
        Command::Serve {
            file,
            port,
            bind,
            seconds,
        } => {
            let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
            if let Some(secs) = seconds {
                let stop = stop.clone();
                std::thread::spawn(move || {
                    std::thread::sleep(std::time::Duration::from_secs(secs));
                    stop.store(true, std::sync::atomic::Ordering::Relaxed);
                });
            }
            crate::net::server::serve_until(&file, &bind, port, &stop, out)
                .map_err(OpError::Usage)?;
        }
        Command::Send { kit, master, tries } => station::send(&kit, master, tries, out)?,
        Command::Tokens {
            file,
            judges,
            revoke,
            master,
            cards,
        } => {
            if let Some(pdf) = &cards {
                crate::report::check_writable(pdf).map_err(|e| OpError::Usage(e.to_string()))?;
            }
            if let Outcome::Tokens(list) =
                change(&file, commands::Command::IssueTokens { judges, revoke })?
            {
                for (id, name, token) in &list {
                    writeln!(
                        out,
                        "{id}\t{name}\t{}",
                        commands::phone::join_url(&master, token)
                    )
                    .map_err(io)?;
                }
                if let Some(pdf) = cards {
                    let store = Store::open_with(&file, Access::ReadOnly)?;
                    let cards = commands::phone::join_cards(&store, &list, &master)?;
                    let pages = crate::report::join_cards::write_cards(
                        &store.setup()?.competition.title,
                        &store.audit_head()?,
                        &cards,
                        &pdf,
                    )
                    .map_err(|e| OpError::Usage(e.to_string()))?;
                    writeln!(
                        out,
                        "扫码打分卡已保存 {} ({pages} 页) (join cards written)",
                        pdf.display()
                    )
                    .map_err(io)?;
                }
            }
        }
        Command::Recorder {
            file,
            id,
            name,
            events,
        } => {
            let (slips, hashes) =
                commands::pins::make_pins(&[(id.clone(), name.clone())], &|_, _| {})?;
            let pin_hash = hashes.first().map(|h| h.1.clone()).unwrap_or_default();
            change(
                &file,
                commands::Command::AddRecorder {
                    recorder: crate::model::Recorder { id, name, events },
                    pin_hash,
                },
            )?;
            for (id, name, pin) in &slips {
                writeln!(out, "{id}\t{name}\tPIN {pin}").map_err(io)?;
            }
        }
        Command::Paper {
            file,
            recorder,
            pin,
            scores,
            resolve,
            reason,
        } => station::paper(&file, recorder, pin, scores, resolve, reason, out)?,
        Command::Restore { file, from } => {
            let plan = commands::restore::restore(&file, &from, commands::ORGANISER)?;
            writeln!(out, "已从 {} 恢复 (restored)", from.display()).map_err(io)?;
            writeln!(out, "{}", plan.summary()).map_err(io)?;
            for e in &plan.lost {
                writeln!(out, "  {:>5}  {}  {}  {}", e.seq, e.at, e.action, e.detail)
                    .map_err(io)?;
            }
        }
        Command::Backup { file, dest } => {
            let store = Store::open_with(&file, Access::ReadOnly)?;
            store.backup_to(&dest)?;
            writeln!(out, "已备份到 {} (backed up)", dest.display()).map_err(io)?;
        }
    }
    Ok(())
}

/// Opens `file` for writing and does `command` as the organiser (the command line acts with
/// the organiser's rights on a file the user can already open). A command that needs a
/// confirmation is refused with the question and the flag that answers it.
fn change(file: &std::path::Path, command: commands::Command) -> Result<Outcome, OpError> {
    let mut store = Store::open(file)?;
    commands::execute(&mut store, &Session::organiser(), command).map_err(|e| match e {
        OpError::NeedsConfirmation(c) => OpError::Usage(format!(
            "{c}\n如确需再次记录，请加 --again (add --again to record it again)"
        )),
        other => other,
    })
}

/// (count, warnings) of an import's outcome.
fn imported(outcome: Outcome) -> (usize, Vec<String>) {
    match outcome {
        Outcome::Imported { count, warnings } => (count, warnings),
        Outcome::JudgesImported {
            count, warnings, ..
        } => (count, warnings),
        _ => (0, Vec::new()),
    }
}

/// PIN slips: shown once, only hashes are stored.
fn print_pins(pins: &[(String, String, String)], out: &mut dyn Write) -> std::io::Result<()> {
    writeln!(
        out,
        "评委 PIN（只显示这一次，文件中只保存哈希）(judge PINs, shown once):"
    )?;
    for (id, name, pin) in pins {
        writeln!(out, "{id}\t{name}\tPIN {pin}")?;
    }
    Ok(())
}
