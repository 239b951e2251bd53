//! `lvzhi seed --demo | --scale N`: fills an empty database with the demo committee, or with a
//! generated committee of N members for benchmarks.

use lvzhi::seed;
use sea_orm::DatabaseConnection;

use super::progress::Bar;

/// Seeds a generated committee of `scale` members, or the demo committee when `scale` is none.
pub async fn run(db: &DatabaseConnection, scale: Option<u64>) -> Result<(), String> {
    match scale {
        Some(members) => generated(db, members).await,
        None => {
            let spinner = Bar::spinner("seeding the demo committee");
            let summary = seed::demo(db).await.map_err(|e| e.message());
            spinner.finish();
            log_demo(&summary?);
            Ok(())
        }
    }
}

async fn generated(db: &DatabaseConnection, members: u64) -> Result<(), String> {
    let bar = Bar::new();
    let started = std::time::Instant::now();
    let summary = seed::scale::generate(db, members, &bar).await.map_err(|e| e.message())?;
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

/// Logs what the demo seed wrote.
pub fn log_demo(summary: &seed::DemoSummary) {
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
