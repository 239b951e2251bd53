//! Benchmark of an assessment run: generates a committee of N members with their year's
//! participations, proposals and public-opinion reports into a fresh database, then times
//! `runAssessment` (the 桐城 preset) — the first computation and a recomputation.
//!
//! ```sh
//! cargo run --release --bin assessment-bench -- --database-url 'sqlite:///tmp/bench.db?mode=rwc' \
//!     --members 10000 --participations 1000000
//! cargo run --release --bin assessment-bench -- --database-url postgres://postgres@127.0.0.1:5432/bench
//! ```
//! The database must be empty (the benchmark creates its rows with fixed ids).
#![allow(clippy::print_stdout, reason = "a benchmark reports on standard output")]

use std::time::Instant;

use clap::Parser;
use lvzhi::{assessment::service, auth::Actor, config::DatabaseConfig, db};
use sea_orm::{ConnectionTrait, DatabaseConnection};

/// Generates a committee and times an assessment run over it.
#[derive(Parser)]
struct Args {
    /// The (empty) database to fill.
    #[arg(long, default_value = "sqlite:///tmp/lvzhi-bench.db?mode=rwc")]
    database_url: String,
    /// How many members.
    #[arg(long, default_value_t = 10_000)]
    members: i64,
    /// How many participations in the assessed year.
    #[arg(long, default_value_t = 1_000_000)]
    participations: i64,
    /// Proposals per member (each with up to two co-signers).
    #[arg(long, default_value_t = 2)]
    proposals_per_member: i64,
    /// Public-opinion reports per member.
    #[arg(long, default_value_t = 1)]
    reports_per_member: i64,
}

const YEAR: i32 = 2024;
const ROWS_PER_INSERT: usize = 1000;
const NOW: &str = "2024-12-31T00:00:00Z";

/// Inserts `rows` (SQL value tuples) into `table (columns)` in multi-row statements.
async fn insert(db: &DatabaseConnection, table: &str, columns: &str, rows: Vec<String>) -> Result<(), String> {
    for chunk in rows.chunks(ROWS_PER_INSERT) {
        let sql = format!("INSERT INTO {table} ({columns}) VALUES {}", chunk.join(","));
        db.execute_unprepared(&sql).await.map_err(|e| format!("{table}: {e}"))?;
    }
    Ok(())
}

fn day(n: i64) -> String {
    let date = chrono::NaiveDate::from_ymd_opt(YEAR, 1, 1).unwrap_or_default() + chrono::Days::new((n % 360) as u64);
    date.to_string()
}

async fn generate(db: &DatabaseConnection, args: &Args) -> Result<(), String> {
    let n = args.members;
    insert(
        db,
        "term",
        "id, number, name, start_date, end_date",
        vec!["(1, 10, '第十届', '2021-12-20', '2026-12-31')".into()],
    )
    .await?;
    let members = (1..=n).map(|i| format!("({i}, '委员{i}', 'weiyuan{i:05}', 'wy', '{NOW}', '{NOW}')")).collect();
    insert(db, "member", "id, name, name_pinyin, name_initials, created_at, updated_at", members).await?;
    let seats = (1..=n)
        .map(|i| {
            format!("({i}, {i}, 1, 'CPC', {}, 'SERVING', '2021-12-20')", if i % 10 == 0 { "TRUE" } else { "FALSE" })
        })
        .collect();
    insert(db, "seat", "id, member_id, term_id, party, standing_committee, status, start_date", seats).await?;
    // Activities: each has `per` participants; kinds cycle through the ones rules count.
    let per = 1000.min(n);
    let activities = (args.participations + per - 1) / per;
    let kinds = [
        "PLENARY_SESSION",
        "STANDING_COMMITTEE_MEETING",
        "INSPECTION",
        "RESEARCH",
        "CONSULTATION",
        "VOLUNTEER_SERVICE",
        "STUDY",
    ];
    let rows = (1..=activities)
        .map(|a| {
            let kind = kinds[(a as usize) % kinds.len()];
            format!("({a}, '活动{a}', '{kind}', 'OFFICE', '{d}', '{d}', 'DONE', TRUE, '{NOW}', '{NOW}')", d = day(a))
        })
        .collect();
    insert(
        db,
        "activity",
        "id, title, kind, organiser_kind, start_date, end_date, status, compulsory, created_at, updated_at",
        rows,
    )
    .await?;
    let attendance = ["PRESENT", "PRESENT", "PRESENT", "LATE", "EXCUSED", "ABSENT"];
    let mut rows = Vec::with_capacity(args.participations as usize);
    for p in 0..args.participations {
        let activity = p / per + 1;
        let member = (p % per + activity * 7) % n + 1;
        let role = if p % 97 == 0 { "WRITTEN_SPEECH" } else { "PARTICIPANT" };
        rows.push(format!(
            "({}, {activity}, {member}, '{}', '{}', '{role}')",
            p + 1,
            day(activity),
            attendance[(p as usize) % attendance.len()]
        ));
        if rows.len() == 100_000 {
            insert(
                db,
                "participation",
                "id, activity_id, member_id, activity_date, attendance, role",
                std::mem::take(&mut rows),
            )
            .await?;
        }
    }
    insert(db, "participation", "id, activity_id, member_id, activity_date, attendance, role", rows).await?;
    // Proposals: first proposer i, co-signers i+1 and i+2 on every third; two thirds accepted.
    let (mut proposals, mut signers) = (Vec::new(), Vec::new());
    let mut signer_id = 0;
    for p in 1..=n * args.proposals_per_member {
        let first = (p - 1) % n + 1;
        let accepted = p % 3 != 0;
        proposals.push(format!(
            "({p}, {YEAR}, 'REGULAR', 'INDIVIDUAL', '提案{p}', '建议', '{d}', '{status}', {acc}, {key}, FALSE, '{NOW}', '{NOW}')",
            d = day(p),
            status = if accepted { "ACCEPTED" } else { "SUBMITTED" },
            acc = if accepted { format!("'{}'", day(p + 30)) } else { "NULL".into() },
            key = if p % 50 == 0 { "TRUE" } else { "FALSE" },
        ));
        signer_id += 1;
        signers.push(format!("({signer_id}, {p}, {first}, 'FIRST')"));
        if p % 3 == 1 {
            for co in [first % n + 1, (first + 1) % n + 1] {
                signer_id += 1;
                signers.push(format!("({signer_id}, {p}, {co}, 'CO')"));
            }
        }
    }
    insert(
        db,
        "proposal",
        "id, year, kind, proposer_type, title, suggestions, submitted_on, status, accepted_on, key_proposal, excellent, created_at, updated_at",
        proposals,
    )
    .await?;
    insert(db, "proposal_signer", "id, proposal_id, member_id, role", signers).await?;
    let (mut reports, mut authors, mut adoptions) = (Vec::new(), Vec::new(), Vec::new());
    for r in 1..=n * args.reports_per_member {
        let adopted = r % 4 == 0;
        reports.push(format!(
            "({r}, {YEAR}, '{}', '社情民意{r}', '正文', '{}', '{NOW}', '{NOW}')",
            day(r),
            if adopted { "ADOPTED" } else { "SUBMITTED" }
        ));
        authors.push(format!("({r}, {r}, {}, 'FIRST')", (r - 1) % n + 1));
        if adopted {
            adoptions.push(format!("({r}, {r}, 'CITY', '{}')", day(r + 20)));
        }
    }
    insert(db, "opinion_report", "id, year, submitted_on, title, body, status, created_at, updated_at", reports)
        .await?;
    insert(db, "opinion_author", "id, report_id, member_id, role", authors).await?;
    insert(db, "opinion_adoption", "id, report_id, level, adopted_on", adoptions).await?;
    if db.get_database_backend() == sea_orm::DbBackend::Postgres {
        db.execute_unprepared("ANALYZE").await.map_err(|e| e.to_string())?;
    }
    Ok(())
}

#[tokio::main]
async fn main() -> Result<(), String> {
    let args = Args::parse();
    let config = DatabaseConfig { url: args.database_url.clone(), max_connections: 4, ..DatabaseConfig::default() };
    let db = db::connect(&config).await.map_err(|e| e.to_string())?;
    db::migrate(&db).await.map_err(|e| e.to_string())?;
    let started = Instant::now();
    generate(&db, &args).await?;
    println!(
        "generated {} members, {} participations, {} proposals, {} reports in {:.1} s",
        args.members,
        args.participations,
        args.members * args.proposals_per_member,
        args.members * args.reports_per_member,
        started.elapsed().as_secs_f64()
    );
    let rules = service::load_preset(&db, &Actor::System, "tongcheng", None, None).await.map_err(|e| e.message())?;
    for label in ["first run", "recomputation"] {
        let started = Instant::now();
        let run = service::run(&db, &Actor::System, rules.id, YEAR).await.map_err(|e| e.message())?;
        println!(
            "{label}: {} members, {} score lines in {:.2} s",
            run.member_count,
            run.line_count,
            started.elapsed().as_secs_f64()
        );
    }
    Ok(())
}
