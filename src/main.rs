//! The `lvzhi` command: parses the command line, starts tracing and hands over to the
//! command's module in [`cli`]. Serving the API is the default.

// The release profile's inlining lays out the query root's resolver futures more deeply than
// the compiler's default limit (128) allows.
#![recursion_limit = "256"]

mod cli;

use std::process::ExitCode;

use clap::{CommandFactory, FromArgMatches, Parser, Subcommand};
use lvzhi::{
    config::{DatabaseConfig, ServerConfig},
    db,
};
use tracing_subscriber::EnvFilter;

/// mimalloc rather than the system's allocator: every resolved field allocates (its future, its
/// value, its place in the answer), and glibc's malloc and free were a fifth of the server's CPU
/// on a page of results (BENCHMARKS.md, issue 21).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use cli::{
    account::AccountCommand, activities::ActivitiesCommand, assess::AssessCommand, export::ExportCommand,
    import::ImportCommand, rules::RulesCommand,
};

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
    /// Activities: close those due (for cron).
    #[command(subcommand)]
    Activities(ActivitiesCommand),
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

/// Opens (and migrates) the database unless the command needs none, then runs the command.
async fn run(cli: Cli) -> Result<(), String> {
    let command = cli.command.unwrap_or(Command::Serve);
    if let Command::Schema = command {
        return cli::schema::run();
    }
    let db = db::connect(&cli.database).await.map_err(|e| format!("cannot open the database: {e}"))?;
    db::migrate(&db).await.map_err(|e| format!("migration failed: {e}"))?;
    let filled = lvzhi::member::service::fill_folded_names(&db)
        .await
        .map_err(|e| format!("filling the members' folded names failed: {}", e.message()))?;
    if filled > 0 {
        tracing::info!(filled, "folded the names of members written before script folding");
    }
    match command {
        Command::Serve => cli::serve::run(&cli.server, db).await,
        Command::Migrate => cli::migrate::run(),
        Command::Schema => Ok(()),
        Command::Seed { scale, .. } => cli::seed::run(&db, scale).await,
        Command::Account(command) => cli::account::run(&db, command).await,
        Command::Rules(command) => cli::rules::run(&db, command).await,
        Command::Assess(command) => cli::assess::run(&db, command).await,
        Command::Export(command) => cli::export::run(&db, command).await,
        Command::Import(command) => cli::import::run(&db, command).await,
        Command::Activities(command) => cli::activities::run(&db, &cli.server.api.attendance, command).await,
    }
}
