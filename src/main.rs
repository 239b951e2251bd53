//! The `lvzhi` command: serve the API (the default), migrate, print the schema, seed demo data,
//! manage accounts, import and export.

use std::{
    io::{Read, Write},
    process::ExitCode,
};

use clap::{CommandFactory, FromArgMatches, Parser, Subcommand};
use lvzhi::{
    account::service as accounts,
    auth::{Actor, Role},
    config::{DatabaseConfig, ServerConfig},
    db, schema, seed, server,
};
use tracing_subscriber::EnvFilter;

/// lvzhi (履职): duty records and performance assessment for CPPCC committee members.
#[derive(Parser)]
#[command(version, about)]
struct Cli {
    #[command(flatten)]
    database: DatabaseConfig,
    #[command(flatten)]
    server: ServerConfig,
    /// Log format: `text` for people, `json` (one object per line) for log collectors.
    #[arg(long, env = "LVZHI_LOG_FORMAT", value_enum, default_value_t = LogFormat::Text, global = true)]
    log_format: LogFormat,
    #[command(subcommand)]
    command: Option<Command>,
}

/// How log lines are written.
#[derive(Clone, Copy, Debug, clap::ValueEnum)]
enum LogFormat {
    /// Human-readable lines.
    Text,
    /// One JSON object per line.
    Json,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the GraphQL API (the default).
    Serve,
    /// Apply pending database migrations and exit.
    Migrate,
    /// Print the GraphQL schema (SDL).
    Schema,
    /// Seed an empty database with data.
    #[command(group(clap::ArgGroup::new("what").required(true).args(["demo", "scale"])))]
    Seed {
        /// The demo committee: two terms, 209 current members, their committees, studios and
        /// groups, and one account per role.
        #[arg(long)]
        demo: bool,
        /// A generated committee of this many members with two years of records (about 100
        /// participations per member a year), for benchmarks; one account per role.
        #[arg(long, value_name = "MEMBERS")]
        scale: Option<u64>,
    },
    /// Manage accounts.
    #[command(subcommand)]
    Account(AccountCommand),
    /// Assessment rule sets (考核办法).
    #[command(subcommand)]
    Rules(RulesCommand),
    /// Assessment runs (履职考核).
    #[command(subcommand)]
    Assess(AssessCommand),
    /// Export data as Excel workbooks.
    #[command(subcommand)]
    Export(ExportCommand),
    /// Import data from Excel or CSV files.
    #[command(subcommand)]
    Import(ImportCommand),
}

#[derive(Subcommand)]
enum ImportCommand {
    /// Import a term's roster (委员名册) from an .xlsx or CSV file (UTF-8 or GBK), as the
    /// system; every bad row is listed, and nothing is written unless every row is good.
    Members {
        /// The file.
        file: std::path::PathBuf,
        /// The term's number (10 for 第十届).
        #[arg(long)]
        term: i32,
        /// Write the good rows even when some rows are bad.
        #[arg(long)]
        only_valid_rows: bool,
        /// Check and count, but write nothing.
        #[arg(long)]
        dry_run: bool,
    },
}

#[derive(Subcommand)]
enum RulesCommand {
    /// Store a shipped preset (tongcheng, jinan, yanbian) as a rule set; a name already stored
    /// gets the next version.
    Load {
        /// The preset: tongcheng, jinan or yanbian.
        name: String,
        /// Tie the rule set to this term (its row id).
        #[arg(long)]
        term_id: Option<i64>,
        /// Tie the rule set to this year only.
        #[arg(long)]
        year: Option<i32>,
    },
}

#[derive(Subcommand)]
enum AssessCommand {
    /// Score every member seated during the year under a rule set, as the system: a new DRAFT
    /// run, or the recomputation of the rule set's DRAFT run of that year (a confirmed or
    /// published run is refused). Prints the run, the members scored and the grade counts.
    Run {
        /// The rule set: its row id or its global ID.
        #[arg(long = "rule-set", value_name = "ID")]
        rule_set: String,
        /// The year assessed.
        #[arg(long)]
        year: i32,
    },
}

#[derive(Subcommand)]
enum ExportCommand {
    /// The roster of a term (the current one by default) as .xlsx, in the columns the roster
    /// import reads.
    Roster {
        /// The workbook to write.
        #[arg(long)]
        out: std::path::PathBuf,
        /// The term's number (10 for 第十届).
        #[arg(long)]
        term: Option<i32>,
    },
    /// The attendance table of a year as .xlsx: counts per status, compulsory expected and
    /// attended, rate.
    Attendance {
        /// The year.
        #[arg(long)]
        year: i32,
        /// The workbook to write.
        #[arg(long)]
        out: std::path::PathBuf,
    },
    /// A run's results (总表, one sheet per cohort view, every score line) as .xlsx.
    Assessments {
        /// The run: its row id or its global ID.
        #[arg(long)]
        run: String,
        /// The workbook to write.
        #[arg(long)]
        out: std::path::PathBuf,
    },
}

#[derive(Subcommand)]
enum AccountCommand {
    /// Create an account; the password is read from standard input.
    Create {
        /// Login name.
        #[arg(long)]
        username: String,
        /// Role: ADMIN, OFFICE, COMMITTEE_STAFF, STUDIO_LEAD, HANDLING_UNIT, MEMBER or VIEWER.
        #[arg(long, value_parser = parse_role)]
        role: Role,
    },
}

/// Progress on the terminal for long commands (nothing is drawn when standard error is not a
/// terminal, so logs and CI output stay clean).
mod progress {
    use std::time::Duration;

    use indicatif::{ProgressBar, ProgressStyle};

    /// A bar with stages, or a spinner for work that cannot count its steps.
    pub struct Bar(ProgressBar);

    impl Bar {
        /// A bar whose length each stage sets.
        pub fn new() -> Self {
            let bar = ProgressBar::new(0);
            let style = ProgressStyle::with_template("{msg:>24} [{bar:40}] {pos}/{len} {per_sec} eta {eta}")
                .unwrap_or_else(|_| ProgressStyle::default_bar())
                .progress_chars("=> ");
            bar.set_style(style);
            Self(bar)
        }

        /// A spinner with a message and the time elapsed.
        pub fn spinner(message: &str) -> Self {
            let bar = ProgressBar::new_spinner();
            let style = ProgressStyle::with_template("{spinner} {msg} {elapsed}")
                .unwrap_or_else(|_| ProgressStyle::default_spinner());
            bar.set_style(style);
            bar.set_message(message.to_owned());
            bar.enable_steady_tick(Duration::from_millis(120));
            Self(bar)
        }

        /// Removes the bar.
        pub fn finish(&self) {
            self.0.finish_and_clear();
        }
    }

    impl lvzhi::seed::scale::Progress for Bar {
        fn stage(&self, name: &str, steps: u64) {
            self.0.set_message(name.to_owned());
            self.0.set_length(steps);
            self.0.set_position(0);
        }

        fn advance(&self, steps: u64) {
            self.0.inc(steps);
        }
    }
}

/// Logs what the demo seed wrote.
fn log_demo(summary: &seed::DemoSummary) {
    tracing::info!(
        members = summary.members_current_term,
        members_all_terms = summary.members_all_terms,
        sectors = summary.sectors,
        committees = summary.committees,
        towns = summary.towns,
        villages = summary.villages,
        studios = summary.studios,
        groups = summary.groups,
        handling_units = summary.handling_units,
        accounts = summary.accounts,
        "demo committee seeded"
    );
}

fn parse_role(s: &str) -> Result<Role, String> {
    use async_graphql::EnumType;
    Role::items()
        .iter()
        .find(|item| item.name.eq_ignore_ascii_case(s))
        .map(|item| item.value)
        .ok_or_else(|| format!("unknown role {s}"))
}

/// A row id given on the command line as a number or as a global ID of `kind`.
fn row_id(given: &str, kind: lvzhi::relay::Kind, flag: &str) -> Result<i64, String> {
    match given.parse::<i64>() {
        Ok(id) => Ok(id),
        Err(_) => lvzhi::relay::decode_id(kind, &given.to_owned().into(), flag).map_err(|e| e.message()),
    }
}

/// Runs an assessment and prints its summary: the run, the members scored, the grade counts.
async fn assess(db: &sea_orm::DatabaseConnection, rule_set: &str, year: i32) -> Result<(), String> {
    use lvzhi::assessment::service as assessment;
    use sea_orm::ActiveEnum;
    let rule_set = row_id(rule_set, lvzhi::relay::Kind::RuleSet, "--rule-set")?;
    let spinner = progress::Bar::spinner(&format!("scoring {year} under rule set {rule_set}"));
    let run = assessment::run(db, &Actor::System, rule_set, year).await;
    spinner.finish();
    // The service names API fields; the command line has flags.
    let run =
        run.map_err(|e| format!("the assessment was not run: {}", e.message().replace("input.year", "--year")))?;
    let grades = assessment::grade_counts(db, run.id).await.map_err(|e| e.message())?;
    let mut text = format!(
        "run {} of rule set {rule_set} for {year}: {} ({})\n{} members scored, {} score lines\n",
        run.id,
        run.status.to_value(),
        run.status.label(),
        run.member_count,
        run.line_count
    );
    if !grades.is_empty() {
        let counts: Vec<String> = grades.iter().map(|(grade, n)| format!("{} {n}", grade.label())).collect();
        text.push_str(&counts.join(", "));
        text.push('\n');
    }
    std::io::stdout().lock().write_all(text.as_bytes()).map_err(|e| e.to_string())
}

/// Imports a roster file and prints the report: the counts, then one line per error.
async fn import_members(
    db: &sea_orm::DatabaseConnection,
    file: &std::path::Path,
    term: i32,
    only_valid_rows: bool,
    dry_run: bool,
) -> Result<(), String> {
    use lvzhi::import::service::{ImportOptions, TermRef, import_members};
    let bytes = std::fs::read(file).map_err(|e| format!("cannot read {}: {e}", file.display()))?;
    let options = ImportOptions { only_valid_rows, dry_run };
    let spinner = progress::Bar::spinner("checking and importing the roster");
    let report = import_members(db, &Actor::System, &bytes, TermRef::Number(term), options).await;
    spinner.finish();
    let report = report.map_err(|e| e.message())?;
    let mut out = std::io::stdout().lock();
    let mut text = format!(
        "{} created, {} updated, {} unchanged, {} rejected\n",
        report.created, report.updated, report.unchanged, report.rejected
    );
    for e in &report.errors {
        text.push_str(&format!("line {}, {}: {}\n", e.line, e.column, e.message));
    }
    text.push_str(match (report.applied, dry_run) {
        (true, _) => "written.\n",
        (false, true) => "dry run: nothing was written.\n",
        (false, false) => {
            "nothing was written: correct the rows above, or import the good ones with --only-valid-rows.\n"
        }
    });
    out.write_all(text.as_bytes()).map_err(|e| e.to_string())?;
    if report.rejected > 0 && !only_valid_rows {
        return Err(format!("rows rejected: {}; nothing was written", report.rejected));
    }
    Ok(())
}

#[tokio::main]
async fn main() -> ExitCode {
    let matches = Cli::command().get_matches();
    let explicit_database = matches.value_source("url") == Some(clap::parser::ValueSource::CommandLine)
        || matches.value_source("url") == Some(clap::parser::ValueSource::EnvVariable);
    let cli = match Cli::from_arg_matches(&matches) {
        Ok(cli) => cli,
        Err(err) => err.exit(),
    };
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,sea_orm=warn"));
    match cli.log_format {
        LogFormat::Text => tracing_subscriber::fmt().with_env_filter(filter).init(),
        LogFormat::Json => tracing_subscriber::fmt().json().with_current_span(true).with_env_filter(filter).init(),
    }
    if let Err(message) = cli.server.check(explicit_database) {
        tracing::error!("{message}");
        return ExitCode::FAILURE;
    }
    match run(cli).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            tracing::error!("{message}");
            ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> Result<(), String> {
    let command = cli.command.unwrap_or(Command::Serve);
    if let Command::Schema = command {
        let mut out = std::io::stdout().lock();
        return out.write_all(schema::sdl().as_bytes()).map_err(|e| e.to_string());
    }
    let db = db::connect(&cli.database).await.map_err(|e| format!("cannot open the database: {e}"))?;
    db::migrate(&db).await.map_err(|e| format!("migration failed: {e}"))?;
    match command {
        Command::Serve => {
            if cli.server.demo {
                match seed::demo_if_empty(&db).await.map_err(|e| e.message())? {
                    Some(summary) => log_demo(&summary),
                    None => tracing::info!("the database has data; the demo committee was not seeded"),
                }
            }
            server::run(&cli.server, db).await.map_err(|e| format!("server failed: {e}"))
        }
        Command::Migrate => {
            tracing::info!("database is up to date");
            Ok(())
        }
        Command::Schema => Ok(()),
        Command::Seed { scale: Some(members), .. } => {
            let bar = progress::Bar::new();
            let started = std::time::Instant::now();
            let summary = seed::scale::generate(&db, members, &bar).await.map_err(|e| e.message())?;
            bar.finish();
            tracing::info!(
                members = summary.members,
                studios = summary.studios,
                activities = summary.activities,
                participations = summary.participations,
                training_attendances = summary.training_attendances,
                proposals = summary.proposals,
                opinion_reports = summary.opinion_reports,
                duty_items = summary.duty_items,
                accounts = summary.accounts,
                seconds = started.elapsed().as_secs_f64(),
                "generated committee seeded"
            );
            Ok(())
        }
        Command::Seed { .. } => {
            let spinner = progress::Bar::spinner("seeding the demo committee");
            let summary = seed::demo(&db).await.map_err(|e| e.message());
            spinner.finish();
            log_demo(&summary?);
            Ok(())
        }
        Command::Account(AccountCommand::Create { username, role }) => {
            let mut password = String::new();
            std::io::stdin().read_to_string(&mut password).map_err(|e| e.to_string())?;
            let new = accounts::NewAccount {
                username,
                password: password.trim_end_matches(['\r', '\n']).to_owned(),
                role,
                member_id: None,
                committee_id: None,
                studio_id: None,
                handling_unit_id: None,
            };
            let account = accounts::create_account(&db, &Actor::System, new).await.map_err(|e| e.message())?;
            tracing::info!(username = %account.username, role = ?account.role, "account created");
            Ok(())
        }
        Command::Rules(RulesCommand::Load { name, term_id, year }) => {
            let set = lvzhi::assessment::service::load_preset(&db, &Actor::System, &name, term_id, year)
                .await
                .map_err(|e| e.message())?;
            tracing::info!(id = set.id, name = %set.name, version = set.version, "rule set stored");
            Ok(())
        }
        Command::Assess(AssessCommand::Run { rule_set, year }) => assess(&db, &rule_set, year).await,
        Command::Export(ExportCommand::Roster { out, term }) => {
            let spinner = progress::Bar::spinner("exporting the roster");
            let export = lvzhi::export::service::roster(&db, &Actor::System, term).await;
            spinner.finish();
            let export = export.map_err(|e| e.message())?;
            std::fs::write(&out, &export.bytes).map_err(|e| format!("cannot write {}: {e}", out.display()))?;
            tracing::info!(members = export.rows, file = %out.display(), "roster exported");
            Ok(())
        }
        Command::Export(ExportCommand::Attendance { year, out }) => {
            let spinner = progress::Bar::spinner("exporting the attendance table");
            let export = lvzhi::export::service::attendance(&db, &Actor::System, year).await;
            spinner.finish();
            let export = export.map_err(|e| e.message())?;
            std::fs::write(&out, &export.bytes).map_err(|e| format!("cannot write {}: {e}", out.display()))?;
            tracing::info!(members = export.rows, file = %out.display(), "attendance exported");
            Ok(())
        }
        Command::Import(ImportCommand::Members { file, term, only_valid_rows, dry_run }) => {
            import_members(&db, &file, term, only_valid_rows, dry_run).await
        }
        Command::Export(ExportCommand::Assessments { run, out }) => {
            let id = row_id(&run, lvzhi::relay::Kind::AssessmentRun, "--run")?;
            let spinner = progress::Bar::spinner("exporting the appraisal table");
            let members = lvzhi::assessment::export::assessments(&db, &Actor::System, id, &out).await;
            spinner.finish();
            let members = members.map_err(|e| e.message())?;
            tracing::info!(members, file = %out.display(), "assessments exported");
            Ok(())
        }
    }
}
