//! Issue 19, appraisal analytics: a run's groups (computed in SQL, the same to the cent on both
//! databases), where a member stands (cohort size, percentile, change, every year), who sees
//! which, statement counts fixed by shape, and the downloads over HTTP. On the demo committee.

use std::collections::HashMap;

use entity::{
    assessment_run,
    enums::{Grade, Role, RunStatus},
    member_assessment,
};
use lvzhi::{relay::Kind, seed};
use rust_decimal::{Decimal, RoundingStrategy};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use serde_json::{Value, json};

use crate::{
    fixtures::gid,
    helpers::{Scope, TestApp, error_code},
};

/// A fresh database with the demo committee: a published 2023 run, a draft 2024 run.
pub async fn demo_app() -> TestApp {
    let app = TestApp::new().await;
    seed::demo(&app.db).await.map_err(|e| e.message()).expect("seed the demo committee");
    app
}

/// The demo's run of `year`.
pub async fn run_of(app: &TestApp, year: i32) -> assessment_run::Model {
    assessment_run::Entity::find()
        .filter(assessment_run::Column::Year.eq(year))
        .one(&app.db)
        .await
        .unwrap()
        .expect("the demo has a run of the year")
}

async fn results(app: &TestApp, run: i64) -> Vec<member_assessment::Model> {
    member_assessment::Entity::find()
        .filter(member_assessment::Column::RunId.eq(run))
        .order_by_asc(member_assessment::Column::Id)
        .all(&app.db)
        .await
        .unwrap()
}

fn dec(value: &Value) -> Decimal {
    value.as_str().unwrap_or_else(|| panic!("a Decimal string, got {value}")).parse().unwrap()
}

fn cents(sum: i64, n: i64) -> Decimal {
    (Decimal::from(sum) / Decimal::from(n) / Decimal::ONE_HUNDRED)
        .round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero)
}

const GROUPS: &str = "query($id: ID!, $by: AssessmentGroupBy!) { assessmentRun(id: $id) { memberCount
    groups(by: $by) { key label memberCount mean median min max passRate
      gradeCounts { grade count } categoryMeans { category label mean } } } }";

#[actix_web::test]
async fn groups_by_sector_match_the_results_to_the_cent() {
    let app = demo_app().await;
    let run = run_of(&app, 2023).await;
    let rows = results(&app, run.id).await;

    let data = app.ok(GROUPS, json!({ "id": gid(Kind::AssessmentRun, run.id), "by": "SECTOR" })).await;

    let mut by_sector: HashMap<Option<i64>, Vec<&member_assessment::Model>> = HashMap::new();
    for row in &rows {
        by_sector.entry(row.sector_id).or_default().push(row);
    }
    let groups = data["assessmentRun"]["groups"].as_array().unwrap();
    assert_eq!(groups.len(), by_sector.len());
    for group in groups {
        let sector = match group["key"].as_str().unwrap() {
            "NONE" => None,
            key => Some(lvzhi::relay::decode_id(Kind::Sector, &key.into(), "key").unwrap()),
        };
        let members = &by_sector[&sector];
        let n = members.len() as i64;
        let mut totals: Vec<i64> = members.iter().map(|r| r.total_cents).collect();
        totals.sort_unstable();
        let middle = if n % 2 == 1 {
            cents(totals[(n / 2) as usize], 1)
        } else {
            cents(totals[(n / 2 - 1) as usize] + totals[(n / 2) as usize], 2)
        };
        assert_eq!(group["memberCount"], n, "{group:#}");
        assert_eq!(dec(&group["mean"]), cents(totals.iter().sum(), n), "{group:#}");
        assert_eq!(dec(&group["median"]), middle, "{group:#}");
        assert_eq!(dec(&group["min"]), cents(totals[0], 1), "{group:#}");
        assert_eq!(dec(&group["max"]), cents(*totals.last().unwrap(), 1), "{group:#}");
        let passes = members.iter().filter(|r| r.passed).count() as i64;
        assert_eq!(dec(&group["passRate"]), (Decimal::from(passes) / Decimal::from(n)).round_dp(4), "{group:#}");
        let excellent = members.iter().filter(|r| r.grade == Grade::Excellent).count() as i64;
        let counted = group["gradeCounts"].as_array().unwrap();
        assert_eq!(counted.len(), 5, "every grade is listed");
        assert_eq!(counted[0]["grade"], "EXCELLENT");
        assert_eq!(counted[0]["count"], excellent);
        assert!(group["label"].as_str().is_some_and(|l| !l.is_empty()));
        assert!(!group["categoryMeans"].as_array().unwrap().is_empty());
    }
}

#[actix_web::test]
async fn every_dimension_partitions_the_run_and_category_means_add_up() {
    let app = demo_app().await;
    let run = run_of(&app, 2023).await;
    let rows = results(&app, run.id).await;
    let total: i64 = rows.iter().map(|r| r.total_cents).sum();

    for by in ["SECTOR", "SPECIAL_COMMITTEE", "STUDIO", "TOWN", "PARTY", "STANDING", "NEW_MEMBER"] {
        let data = app.ok(GROUPS, json!({ "id": gid(Kind::AssessmentRun, run.id), "by": by })).await;
        let groups = data["assessmentRun"]["groups"].as_array().unwrap();
        let members: i64 = groups.iter().map(|g| g["memberCount"].as_i64().unwrap()).sum();
        assert_eq!(members, i64::from(run.member_count), "{by}");
        let graded: i64 = groups
            .iter()
            .flat_map(|g| g["gradeCounts"].as_array().unwrap())
            .map(|c| c["count"].as_i64().unwrap())
            .sum();
        assert_eq!(graded, i64::from(run.member_count), "{by}");
        // Σ mean × count is the run's total, within half a cent a group.
        let sum: Decimal =
            groups.iter().map(|g| dec(&g["mean"]) * Decimal::from(g["memberCount"].as_i64().unwrap())).sum();
        let slack = Decimal::new(groups.len() as i64 * run.member_count as i64, 2);
        assert!((sum - cents(total, 1)).abs() <= slack, "{by}: {sum} vs {}", cents(total, 1));
    }
    let data = app.ok(GROUPS, json!({ "id": gid(Kind::AssessmentRun, run.id), "by": "STANDING" })).await;
    let labels: Vec<&str> =
        data["assessmentRun"]["groups"].as_array().unwrap().iter().map(|g| g["label"].as_str().unwrap()).collect();
    assert_eq!(labels, ["常委", "非常委"]);
}

#[actix_web::test]
async fn a_viewer_sees_published_runs_groups_of_three_or_more_only() {
    let app = demo_app().await;
    let viewer = app.account("viewer1", Role::Viewer, Scope::None).await;
    let (published, draft) = (run_of(&app, 2023).await, run_of(&app, 2024).await);
    assert_eq!(published.status, RunStatus::Published);

    let as_viewer =
        app.post(Some(&viewer), GROUPS, json!({ "id": gid(Kind::AssessmentRun, published.id), "by": "STUDIO" })).await;
    let as_office = app.ok(GROUPS, json!({ "id": gid(Kind::AssessmentRun, published.id), "by": "STUDIO" })).await;
    let hidden_draft =
        app.post(Some(&viewer), GROUPS, json!({ "id": gid(Kind::AssessmentRun, draft.id), "by": "SECTOR" })).await;
    let runs = app.post(Some(&viewer), "{ assessmentRuns { year status } }", json!({})).await;

    assert!(as_viewer.get("errors").is_none(), "{as_viewer:#}");
    let seen = as_viewer["data"]["assessmentRun"]["groups"].as_array().unwrap();
    let all = as_office["assessmentRun"]["groups"].as_array().unwrap();
    assert!(all.iter().any(|g| g["memberCount"].as_i64().unwrap() < 3), "the demo has small studios");
    assert!(seen.iter().all(|g| g["memberCount"].as_i64().unwrap() >= 3), "{seen:#?}");
    assert_eq!(seen.len(), all.iter().filter(|g| g["memberCount"].as_i64().unwrap() >= 3).count());
    assert_eq!(hidden_draft["data"]["assessmentRun"], Value::Null, "{hidden_draft:#}");
    assert_eq!(runs["data"]["assessmentRuns"], json!([{ "year": 2023, "status": "PUBLISHED" }]));
}

#[actix_web::test]
async fn the_results_inside_a_run_stay_hidden_from_a_viewer_and_groups_from_other_roles() {
    let app = demo_app().await;
    let run = gid(Kind::AssessmentRun, run_of(&app, 2023).await.id);
    let viewer = app.account("viewer1", Role::Viewer, Scope::None).await;
    let member_id = results(&app, run_of(&app, 2023).await.id).await[0].member_id;
    let member = app.account("member1", Role::Member, Scope::Member(member_id)).await;

    let results = app
        .post(
            Some(&viewer),
            "query($id: ID!) { assessmentRun(id: $id) { assessments { totalCount } } }",
            json!({ "id": run }),
        )
        .await;
    let as_member = app.post(Some(&member), GROUPS, json!({ "id": run, "by": "SECTOR" })).await;

    assert_eq!(error_code(&results), "FORBIDDEN", "{results:#}");
    assert_eq!(error_code(&as_member), "FORBIDDEN", "{as_member:#}");
}

const STANDING: &str = "query($id: ID!) { member(id: $id) { assessment(year: 2024) { year }
    assessments { year total rank change cohortRank(cohort: SECTOR)
      cohortSize(cohort: SECTOR) percentile(cohort: SECTOR) standing: percentile(cohort: STANDING) run { status } } } }";

#[actix_web::test]
async fn a_members_assessments_run_newest_first_with_cohort_size_percentile_and_change() {
    let app = demo_app().await;
    let (published, draft) = (run_of(&app, 2023).await, run_of(&app, 2024).await);
    let old = results(&app, published.id).await;
    let new = results(&app, draft.id).await;
    let this = new.iter().find(|r| old.iter().any(|o| o.member_id == r.member_id)).unwrap();
    let before = old.iter().find(|o| o.member_id == this.member_id).unwrap();
    let sector_size = new.iter().filter(|r| r.sector_id == this.sector_id).count() as i64;

    let data = app.ok(STANDING, json!({ "id": gid(Kind::Member, this.member_id) })).await;

    let years = data["member"]["assessments"].as_array().unwrap();
    assert_eq!(years.iter().map(|y| y["year"].as_i64().unwrap()).collect::<Vec<_>>(), [2024, 2023]);
    let latest = &years[0];
    assert_eq!(latest["cohortSize"], sector_size);
    let rank = latest["cohortRank"].as_i64().unwrap();
    let expected = ((sector_size - rank + 1) as f64 * 100.0 / sector_size as f64 * 100.0).round() / 100.0;
    assert_eq!(latest["percentile"].as_f64().unwrap(), expected);
    assert_eq!(dec(&latest["change"]), cents(this.total_cents - before.total_cents, 1));
    assert_eq!(years[1]["change"], Value::Null, "no 2022 result");
    let best = years.iter().all(|y| (0.0..=100.0).contains(&y["standing"].as_f64().unwrap()));
    assert!(best, "{years:#?}");
}

#[actix_web::test]
async fn a_member_sees_only_their_own_published_years_and_nobody_elses() {
    let app = demo_app().await;
    let rows = results(&app, run_of(&app, 2023).await.id).await;
    let (own, other) = (rows[0].member_id, rows[1].member_id);
    let token = app.account("member1", Role::Member, Scope::Member(own)).await;

    let mine = app.post(Some(&token), STANDING, json!({ "id": gid(Kind::Member, own) })).await;
    let theirs = app
        .post(
            Some(&token),
            "query($id: ID!) { member(id: $id) { assessments { year } } }",
            json!({ "id": gid(Kind::Member, other) }),
        )
        .await;

    assert!(mine.get("errors").is_none(), "{mine:#}");
    let years = mine["data"]["member"]["assessments"].as_array().unwrap();
    assert_eq!(years.len(), 1, "only the published 2023 run: {years:#?}");
    assert_eq!(years[0]["run"]["status"], "PUBLISHED");
    assert_eq!(theirs["data"]["member"]["assessments"], json!([]), "{theirs:#}");
}

#[actix_web::test]
async fn statement_counts_of_groups_and_standing_depend_on_the_shape_only() {
    let app = demo_app().await;
    let (published, draft) = (run_of(&app, 2023).await, run_of(&app, 2024).await);
    // Each asked twice: the first read computes the figures and keeps them, the second reads
    // them kept. A dimension of units also reads the units' names; a party's labels are fixed.
    let mut counts = Vec::new();
    for (run, by) in [(published.id, "SECTOR"), (draft.id, "STUDIO"), (published.id, "TOWN"), (draft.id, "PARTY")] {
        let mut twice = Vec::new();
        for _ in 0..2 {
            let before = app.statements();
            app.ok(GROUPS, json!({ "id": gid(Kind::AssessmentRun, run), "by": by })).await;
            twice.push(app.statements() - before);
        }
        counts.push(twice);
    }
    let page = "query($n: Int!) { members(first: $n) { nodes { assessments { total change
        cohortSize(cohort: SECTOR) percentile(cohort: TOWN) } } } }";
    let mut pages = Vec::new();
    for n in [10, 100] {
        let before = app.statements();
        app.ok(page, json!({ "n": n })).await;
        pages.push(app.statements() - before);
    }

    assert!(counts[..3].iter().all(|c| *c == counts[0]), "groups by units: {counts:?}");
    assert_eq!(counts[0][0], counts[0][1] + 3, "computing takes two statements and keeping one: {counts:?}");
    assert_eq!(counts[3], vec![counts[0][0] - 1, counts[0][1] - 1], "parties need no names: {counts:?}");
    assert_eq!(pages[0], pages[1], "a page of members' histories: {pages:?}");
}

/// GETs `uri` with an optional token; returns status, content type and body.
async fn get(app: &TestApp, uri: &str, token: Option<&str>) -> (u16, String, String) {
    let mut req = actix_web::test::TestRequest::get().uri(uri);
    if let Some(token) = token {
        req = req.insert_header(("authorization", format!("Bearer {token}")));
    }
    app.raw(req).await
}

#[actix_web::test]
async fn the_appraisal_workbook_downloads_for_the_office_only() {
    let app = demo_app().await;
    let run = run_of(&app, 2023).await.id;
    let office = app.account("office1", Role::Office, Scope::None).await;
    let viewer = app.account("viewer1", Role::Viewer, Scope::None).await;
    let uri = format!("/exports/assessments.xlsx?run={}", gid(Kind::AssessmentRun, run));

    let (status, media, _) = get(&app, &uri, Some(&office)).await;
    let (by_number, _, _) = get(&app, &format!("/exports/assessments.xlsx?run={run}"), Some(&office)).await;
    let (refused, _, body) = get(&app, &uri, Some(&viewer)).await;
    let (anonymous, _, _) = get(&app, &uri, None).await;
    let (missing, _, _) = get(&app, "/exports/assessments.xlsx", Some(&office)).await;

    assert_eq!(status, 200);
    assert_eq!(media, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    assert_eq!(by_number, 200);
    assert_eq!(refused, 403, "{body}");
    assert_eq!(anonymous, 401);
    assert_eq!(missing, 400);
}

#[actix_web::test]
async fn a_members_duty_file_downloads_as_a_workbook_and_a_printable_page() {
    let app = demo_app().await;
    let rows = results(&app, run_of(&app, 2023).await.id).await;
    let (own, other) = (rows[0].member_id, rows[1].member_id);
    let member = app.account("member1", Role::Member, Scope::Member(own)).await;
    let page = |id: i64| format!("/exports/duty-file.html?member={}&year=2023", gid(Kind::Member, id));

    let (status, media, html) = get(&app, &page(own), Some(&member)).await;
    let (refused, _, _) = get(&app, &page(other), Some(&member)).await;
    let (book, book_media, _) =
        get(&app, &format!("/exports/duty-file.xlsx?member={other}&year=2023"), Some(&app.admin.clone())).await;
    let (anonymous, _, _) = get(&app, &page(own), None).await;

    assert_eq!(status, 200, "{html}");
    assert!(media.starts_with("text/html"), "{media}");
    assert!(html.contains("2023年度履职档案") && html.contains("@media print"), "{html}");
    assert!(html.contains("履职考核"), "the member sees their own published assessment: {html}");
    assert_eq!(refused, 403);
    assert_eq!(book, 200);
    assert!(book_media.contains("spreadsheetml"));
    assert_eq!(anonymous, 401);
}

#[actix_web::test]
async fn duty_records_by_month_add_up_to_the_year_in_review() {
    let app = demo_app().await;
    let viewer = app.account("viewer1", Role::Viewer, Scope::None).await;
    let query = "{ dutyRecordsByMonth(year: 2023) { month proposalsSubmitted proposalsAccepted reportsSubmitted
        reportsAdopted trainingHours activities { kind participations attended attendanceRate } }
      yearInReview(year: 2023) { proposals { submitted accepted } opinionReports readingParticipations
        activitiesByKind { kind participations } } }";

    let response = app.post(Some(&viewer), query, json!({})).await;

    assert!(response.get("errors").is_none(), "{response:#}");
    let months = response["data"]["dutyRecordsByMonth"].as_array().unwrap();
    let review = &response["data"]["yearInReview"];
    assert_eq!(months.len(), 12);
    let sum = |f: &dyn Fn(&Value) -> i64| months.iter().map(f).sum::<i64>();
    assert_eq!(sum(&|m| m["proposalsSubmitted"].as_i64().unwrap()), review["proposals"]["submitted"].as_i64().unwrap());
    assert_eq!(sum(&|m| m["proposalsAccepted"].as_i64().unwrap()), review["proposals"]["accepted"].as_i64().unwrap());
    assert_eq!(sum(&|m| m["reportsSubmitted"].as_i64().unwrap()), review["opinionReports"].as_i64().unwrap());
    let attended = |kind: &str| {
        sum(&|m| {
            m["activities"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|k| k["kind"] == kind)
                .map(|k| k["attended"].as_i64().unwrap())
                .sum()
        })
    };
    assert_eq!(attended("READING"), review["readingParticipations"].as_i64().unwrap());
    for kind in review["activitiesByKind"].as_array().unwrap() {
        assert_eq!(attended(kind["kind"].as_str().unwrap()), kind["participations"].as_i64().unwrap(), "{kind}");
    }
}

#[actix_web::test]
async fn a_members_activity_counts_are_their_participations_per_kind_in_a_fixed_number_of_statements() {
    let app = demo_app().await;
    let query =
        "query($n: Int!) { members(first: $n) { nodes { activityCounts(year: 2023) { kind participations attended }
        participations(year: 2023, first: 100) { totalCount } } } }";
    let mut counts = Vec::new();
    let mut data = Value::Null;
    for n in [10, 100] {
        let before = app.statements();
        data = app.ok(query, json!({ "n": n })).await;
        counts.push(app.statements() - before);
    }

    assert_eq!(counts[0], counts[1], "statements: {counts:?}");
    for node in data["members"]["nodes"].as_array().unwrap() {
        let per_kind: i64 =
            node["activityCounts"].as_array().unwrap().iter().map(|k| k["participations"].as_i64().unwrap()).sum();
        assert!(per_kind <= node["participations"]["totalCount"].as_i64().unwrap(), "{node:#}");
    }
}

#[actix_web::test]
async fn kept_group_figures_follow_an_adjustment_and_a_recomputation() {
    let app = demo_app().await;
    let draft = run_of(&app, 2024).await;
    let vars = json!({ "id": gid(Kind::AssessmentRun, draft.id), "by": "STANDING" });
    let mean_of = |data: &Value, standing: bool| -> Decimal {
        let groups = data["assessmentRun"]["groups"].as_array().unwrap();
        let key = if standing { "true" } else { "false" };
        dec(&groups.iter().find(|g| g["key"] == key).unwrap_or_else(|| panic!("no group {key}: {data:#}"))["mean"])
    };
    let expected = |rows: &[member_assessment::Model], standing: bool| -> Decimal {
        let totals: Vec<i64> = rows.iter().filter(|r| r.standing == standing).map(|r| r.total_cents).collect();
        cents(totals.iter().sum(), totals.len() as i64)
    };
    let first = app.ok(GROUPS, vars.clone()).await;
    let rows = results(&app, draft.id).await;
    assert_eq!(mean_of(&first, true), expected(&rows, true));
    // Kept now; an adjustment of a standing member's total must show in the next read.
    let standing = rows.iter().find(|r| r.standing).expect("the demo has standing members");
    app.ok(
        "mutation($input: AdjustAssessmentInput!) { adjustAssessment(input: $input) { memberAssessment { total } } }",
        json!({ "input": {
            "memberAssessmentId": gid(Kind::MemberAssessment, standing.id), "points": "10", "reason": "补录发言" } }),
    )
    .await;
    let adjusted = app.ok(GROUPS, vars.clone()).await;
    let rows = results(&app, draft.id).await;
    assert_ne!(mean_of(&adjusted, true), mean_of(&first, true), "the kept figures were read after the adjustment");
    assert_eq!(mean_of(&adjusted, true), expected(&rows, true));
    assert_eq!(mean_of(&adjusted, false), mean_of(&first, false));

    // A recomputation replaces the results (and drops the adjustment): the figures follow.
    let set = draft.rule_set_id;
    app.ok(
        "mutation($input: RunAssessmentInput!) { runAssessment(input: $input) { assessmentRun { id } } }",
        json!({ "input": { "ruleSetId": gid(Kind::RuleSet, set), "year": 2024 } }),
    )
    .await;
    let recomputed = app.ok(GROUPS, vars).await;
    let rows = results(&app, draft.id).await;
    assert_eq!(mean_of(&recomputed, true), expected(&rows, true));
}
