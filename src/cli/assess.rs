//! `lvzhi assess run`: scores every member seated during a year under a rule set (履职考核).

use clap::Subcommand;
use lvzhi::auth::Actor;
use sea_orm::DatabaseConnection;

use super::progress::Bar;

/// What to do with assessment runs.
#[derive(Subcommand)]
pub enum AssessCommand {
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

/// Runs an assessment command as the system.
pub async fn run(db: &DatabaseConnection, command: AssessCommand) -> Result<(), String> {
    match command {
        AssessCommand::Run { rule_set, year } => assess(db, &rule_set, year).await,
    }
}

/// Runs an assessment and prints its summary: the run, the members scored, the grade counts.
async fn assess(db: &DatabaseConnection, rule_set: &str, year: i32) -> Result<(), String> {
    use lvzhi::assessment::service as assessment;
    use sea_orm::ActiveEnum;
    let rule_set = super::row_id(rule_set, lvzhi::relay::Kind::RuleSet, "--rule-set")?;
    let spinner = Bar::spinner(&format!("scoring {year} under rule set {rule_set}"));
    let run = assessment::run(db, &Actor::System, rule_set, year).await;
    spinner.finish();
    // The service names its own fields; the command line has flags.
    let run = run.map_err(|e| match &e {
        lvzhi::error::AppError::BadInput { field: Some(field), message } if field == "year" => {
            format!("the assessment was not run: --year: {message}")
        }
        _ => format!("the assessment was not run: {}", e.message()),
    })?;
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
    super::print(&text)
}
