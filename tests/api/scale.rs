//! Issue 8: the generated committee behind the benchmarks (`lvzhi seed --scale N`), and
//! concurrent writers on a SQLite file (what the benchmark's write load found).

use chrono::NaiveDate;
use entity::enums::{ActivityKind, ActivityStatus, Attendance, ParticipationRole};
use entity::organiser::Organiser;
use lvzhi::{
    activity::service::{self as activities, NewActivity, NewParticipant},
    auth::Actor,
    config::DatabaseConfig,
    db,
    events::Broker,
    seed::scale::{self, ScaleSummary},
};
use serde_json::json;

use crate::helpers::TestApp;

#[actix_web::test]
async fn a_generated_committee_has_the_promised_shape_and_takes_new_records() {
    let app = TestApp::new().await;
    // Small statements (about 20 rows each), so every table is written in several and a child
    // row written before its parent would fail.
    let summary = scale::generate_in_chunks(&app.db, 60, 250, &()).await.map_err(|e| e.message()).unwrap();

    // A year: the plenary session (60), 6 standing-committee meetings of the 6 standing members
    // (36), 4 committees × 20 activities with all their members (20 × 60), 20 sectors × 19
    // (19 × 60), 2 studios × 60 (60 × 60): 6,036 participations, about 100 per member.
    assert_eq!(
        summary,
        ScaleSummary {
            members: 60,
            studios: 2,
            activities: 2 * (1 + 6 + 4 * 20 + 20 * 19 + 2 * 60),
            participations: 2 * 6_036,
            // 4 classes a year; a tenth of the draws stay away.
            training_attendances: summary.training_attendances,
            proposals: 2 * 30,
            opinion_reports: 2 * 30,
            duty_items: 2 * 60,
            // The test's own admin account already holds the name "admin"; the scaled committee
            // has no groups, so no group lead.
            accounts: 7,
        }
    );
    assert!((400..=480).contains(&summary.training_attendances), "{}", summary.training_attendances);

    let data = app
        .ok(
            "{ members(first: 1) { totalCount } activities(first: 1) { totalCount }
               yearInReview(year: 2024) { members studios } }",
            json!({}),
        )
        .await;
    assert_eq!(data["members"]["totalCount"], 60);
    assert_eq!(data["activities"]["totalCount"], summary.activities);
    assert_eq!(data["yearInReview"]["members"], 60);
    assert_eq!(data["yearInReview"]["studios"], 2);

    // New rows get fresh ids after the generated ones (PostgreSQL sequences were moved on).
    let recorded = app
        .ok(
            "mutation($m: ID!) { recordActivity(input: { title: \"新活动\", kind: CONSULTATION,
               startDate: \"2024-12-01\", participants: [{ memberId: $m }] }) { activity { title participants { totalCount } } } }",
            json!({ "m": crate::fixtures::gid(lvzhi::relay::Kind::Member, 7) }),
        )
        .await;
    assert_eq!(recorded["recordActivity"]["activity"]["participants"]["totalCount"], 1);

    // Only into an empty database.
    let again = scale::generate(&app.db, 60, &()).await.map_err(|e| e.code()).unwrap_err();
    assert_eq!(again, "CONFLICT");
}

#[actix_web::test]
async fn concurrent_writers_on_a_sqlite_file_wait_for_each_other_instead_of_failing() {
    if std::env::var("LVZHI_TEST_DB").as_deref() == Ok("postgres") {
        return; // A SQLite-only property; PostgreSQL has row locks.
    }
    let path = std::env::temp_dir().join(format!("lvzhi-writers-{}.db", std::process::id()));
    let url = format!("sqlite://{}?mode=rwc", path.display());
    let config = DatabaseConfig { url, max_connections: 4, ..DatabaseConfig::default() };
    let conn = db::connect(&config).await.unwrap();
    db::migrate(&conn).await.unwrap();
    scale::generate(&conn, 20, &()).await.map_err(|e| e.message()).unwrap();

    let broker = Broker::new();
    let writes = (0..16i64).map(|i| {
        let (conn, broker) = (conn.clone(), broker.clone());
        async move {
            let new = NewActivity {
                title: format!("并发活动{i}"),
                kind: ActivityKind::Consultation,
                subkind: None,
                organiser: Organiser::Office,
                start_date: NaiveDate::from_ymd_opt(2024, 12, 1).unwrap(),
                end_date: None,
                location: None,
                status: ActivityStatus::Done,
                compulsory: false,
                issues_solved: None,
                people_served: None,
                donations: None,
                description: None,
                participants: (1..=5)
                    .map(|k| NewParticipant {
                        member_id: (i + k) % 20 + 1,
                        attendance: Attendance::Present,
                        role: ParticipationRole::Participant,
                        note: None,
                        invited: None,
                    })
                    .collect(),
            };
            activities::record(&conn, &Actor::System, &broker, new).await.map_err(|e| e.message())
        }
    });
    let results = futures_util::future::join_all(writes).await;
    let failed: Vec<_> = results.iter().filter_map(|r| r.as_ref().err()).collect();
    conn.close().await.unwrap();
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
    assert!(failed.is_empty(), "{failed:?}");
    assert_eq!(results.len(), 16);
}
