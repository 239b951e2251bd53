//! The yearly assessment: rule sets as data, runs with explained lines, grades, ranks, flags,
//! the run lifecycle and who sees what. Each preset is checked against a small committee whose
//! expected totals are worked out by hand in the comments.

use entity::enums::{
    ActivityKind, AdoptionLevel, Attendance, InstructionLevel, ProposalKind, ProposerType, Role, SignerRole,
};
use lvzhi::{
    assessment::service as assessments,
    auth::Actor,
    opinion::service::{self as opinions, NewAdoption, NewInstruction, NewOpinionReport},
    proposal::service::{self as proposals, Flags, NewProposal, NewSigner, Review},
    relay::Kind,
};
use serde_json::{Value, json};

use crate::{
    fixtures::{MemberSpec, Org, activity, date, gid, member, org},
    helpers::{Scope, TestApp, error_code, error_field},
};

const RUN: &str = "mutation($input: RunAssessmentInput!) { runAssessment(input: $input) { assessmentRun { id status memberCount } } }";

const RESULTS: &str = "query($year: Int!) { assessments(year: $year, orderBy: [{ field: NAME }]) { totalCount nodes {
    id member { name } total grade gradeLabel rank passed flags
    cohortRank(cohort: STANDING) subtotals { category points }
    lines { text ruleCode points note } adjustments { points reason author } } } }";

async fn preset(app: &TestApp, name: &str) -> i64 {
    assessments::load_preset(&app.db, &Actor::System, name, None, None).await.map_err(|e| e.message()).unwrap().id
}

async fn run(app: &TestApp, rule_set: i64, year: i32) -> String {
    let input = json!({ "ruleSetId": gid(Kind::RuleSet, rule_set), "year": year });
    let data = app.ok(RUN, json!({ "input": input })).await;
    data["runAssessment"]["assessmentRun"]["id"].as_str().unwrap().to_owned()
}

/// The results of `year` keyed by member name.
async fn results(app: &TestApp, year: i32) -> serde_json::Map<String, Value> {
    let data = app.ok(RESULTS, json!({ "year": year })).await;
    data["assessments"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| (n["member"]["name"].as_str().unwrap().to_owned(), n.clone()))
        .collect()
}

async fn proposal(app: &TestApp, signers: &[(i64, SignerRole)], title: &str, accept: bool) -> i64 {
    let new = NewProposal {
        year: 2024,
        session: None,
        kind: ProposalKind::Regular,
        proposer_type: if signers.len() > 1 { ProposerType::Joint } else { ProposerType::Individual },
        collective_name: None,
        signers: signers.iter().map(|&(member_id, role)| NewSigner { member_id, role }).collect(),
        title: title.to_owned(),
        category: Some("教育".into()),
        situation: Some("情况".into()),
        analysis: Some("分析".into()),
        suggestions: "建议".into(),
        submitted_on: Some(date(2024, 3, 1)),
    };
    let id = proposals::submit(&app.db, &Actor::System, new).await.map_err(|e| e.message()).unwrap().id;
    if accept {
        proposals::review(&app.db, &Actor::System, id, Review::Accept, None).await.map_err(|e| e.message()).unwrap();
    }
    id
}

async fn flag(app: &TestApp, id: i64, key: bool, excellent: bool) {
    let flags = Flags {
        key_proposal: key.then_some(true),
        supervising_leader: key.then(|| "王副区长".to_owned()),
        excellent: excellent.then_some(true),
    };
    proposals::flag(&app.db, &Actor::System, id, flags).await.map_err(|e| e.message()).unwrap();
}

async fn report(app: &TestApp, first: i64, title: &str, adoption: Option<(AdoptionLevel, Option<InstructionLevel>)>) {
    let new = NewOpinionReport {
        authors: vec![NewSigner { member_id: first, role: SignerRole::First }],
        title: title.to_owned(),
        body: "正文".into(),
        submitted_on: Some(date(2024, 4, 1)),
    };
    let id = opinions::submit(&app.db, &Actor::System, new).await.map_err(|e| e.message()).unwrap().report.id;
    if let Some((level, instruction)) = adoption {
        let adoption = NewAdoption {
            level,
            adopted_on: Some(date(2024, 5, 1)),
            channel: None,
            instruction: instruction.map(|level| NewInstruction { level, leader: None, text: None }),
        };
        opinions::record_adoption(&app.db, &Actor::System, id, adoption).await.map_err(|e| e.message()).unwrap();
    }
}

async fn person(app: &TestApp, org: &Org, name: &str, standing: bool) -> i64 {
    member(app, org, MemberSpec { standing, sector: Some(org.economy), ..MemberSpec::named(name) }).await
}

/// 桐城: four members, A and C standing. Hand-worked:
///
/// - 甲 (standing): plenary present 50; 常委会 excused −2 (present at the other) → 会议 48;
///   one research activity 2; first proposer of a joint proposal with 乙 and 丙 (three
///   signers), accepted: half of 10 + half of 15 = 12.5; a report adopted 10 + 5 = 15.
///   Total 77.5 → 称职 (60–89.99).
/// - 乙 (not standing): plenary excused 30; absent from a 常委会 but the rule is for standing
///   members only; co-signer: 10/4 + 15/4 = 6.25. Total 36.25 → 不称职, 提醒谈话.
/// - 丙 (standing): plenary absent 0; two 常委会 absences −5 −5, but the meetings category stops
///   at 0 → 0; co-signer 6.25. Total 6.25 → 不称职.
/// - 丁: plenary 50; six inspections 12 → category cap 10; two accepted proposals 50 → cap 25;
///   two reports, one adopted, 25 → cap 15. 100 → 优秀, 通报表彰.
///
/// Ranks: 丁 1, 甲 2, 乙 3, 丙 4.
#[actix_web::test]
async fn tongcheng_scores_a_small_committee_as_worked_by_hand() {
    let app = TestApp::new().await;
    let org = org(&app).await;
    let (a, b, c, d) = (
        person(&app, &org, "甲", true).await,
        person(&app, &org, "乙", false).await,
        person(&app, &org, "丙", true).await,
        person(&app, &org, "丁", false).await,
    );
    use Attendance::*;
    activity(
        &app,
        ActivityKind::PlenarySession,
        date(2024, 1, 10),
        true,
        &[(a, Present), (b, Excused), (c, Absent), (d, Present)],
    )
    .await;
    activity(
        &app,
        ActivityKind::StandingCommitteeMeeting,
        date(2024, 3, 15),
        true,
        &[(a, Excused), (b, Absent), (c, Absent)],
    )
    .await;
    activity(&app, ActivityKind::StandingCommitteeMeeting, date(2024, 6, 20), true, &[(a, Present), (c, Absent)]).await;
    activity(&app, ActivityKind::Research, date(2024, 4, 2), false, &[(a, Present)]).await;
    for month in 1..=6 {
        activity(&app, ActivityKind::Inspection, date(2024, month, 20), false, &[(d, Present)]).await;
    }
    proposal(
        &app,
        &[(a, SignerRole::First), (b, SignerRole::Co), (c, SignerRole::Co)],
        "关于老旧小区加装电梯的建议",
        true,
    )
    .await;
    proposal(&app, &[(d, SignerRole::First)], "关于学校课后服务的建议", true).await;
    proposal(&app, &[(d, SignerRole::First)], "关于社区养老的建议", true).await;
    report(&app, a, "群众反映停车难", Some((AdoptionLevel::Local, None))).await;
    report(&app, d, "农村饮水安全", Some((AdoptionLevel::City, None))).await;
    report(&app, d, "夜市噪声扰民", None).await;
    let rules = preset(&app, "tongcheng").await;

    run(&app, rules, 2024).await;
    let r = results(&app, 2024).await;

    let summary = |name: &str| (r[name]["total"].clone(), r[name]["grade"].clone(), r[name]["rank"].clone());
    assert_eq!(summary("甲"), (json!("77.5"), json!("COMPETENT"), json!(2)));
    assert_eq!(summary("乙"), (json!("36.25"), json!("INCOMPETENT"), json!(3)));
    assert_eq!(summary("丙"), (json!("6.25"), json!("INCOMPETENT"), json!(4)));
    assert_eq!(summary("丁"), (json!("100"), json!("EXCELLENT"), json!(1)));
    assert_eq!(r["丁"]["flags"], json!(["COMMEND"]));
    assert_eq!(r["乙"]["flags"], json!(["REMINDER_TALK"]));
    assert_eq!(r["甲"]["gradeLabel"], "称职");
    // Standing members rank among themselves: 甲 first, 丙 second.
    assert_eq!((r["甲"]["cohortRank"].clone(), r["丙"]["cohortRank"].clone()), (json!(1), json!(2)));
    let texts: Vec<&str> = r["甲"]["lines"].as_array().unwrap().iter().map(|l| l["text"].as_str().unwrap()).collect();
    assert!(texts.contains(&"2024-03-15 常委会议 请假 −2"), "{texts:?}");
    assert!(texts.contains(&"2024-01-10 全体会议 出席 +50"), "{texts:?}");
    let subtotals: Vec<(&str, &str)> = r["丙"]["subtotals"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| (s["category"].as_str().unwrap(), s["points"].as_str().unwrap()))
        .collect();
    assert_eq!(subtotals[0], ("MEETINGS", "0"));
    assert_eq!(subtotals[1], ("PROPOSALS", "6.25"));
    let inspections = r["丁"]["lines"].as_array().unwrap().iter().filter(|l| l["ruleCode"] == "activity").count();
    assert_eq!(inspections, 5, "the sixth inspection is past the cap of 10 and not counted");
}

/// 济南: base 70, bonus up to 50, "三个一". Hand-worked:
///
/// - 戊: plenary present; four accepted proposals as first proposer (the first scores nothing,
///   three more 3 × 5 = 15), two of them key (+10), the other two excellent (+20); an inspection;
///   six volunteer services 12 → cap 10. Bonus 55 → capped at 50. Total 120 → 优秀.
/// - 己: plenary unexcused −30; one accepted proposal (the first: 0); research. 40 → 不称职;
///   no plenary attended → 三个一 unmet.
/// - 庚: plenary excused −10 → 60 (称职 by points), an opinion report, but no inspection or
///   research → 三个一 unmet caps the grade at 不称职.
#[actix_web::test]
async fn jinan_applies_base_bonus_cap_deductions_and_the_three_minimums() {
    let app = TestApp::new().await;
    let org = org(&app).await;
    let (e, f, g) = (
        person(&app, &org, "戊", false).await,
        person(&app, &org, "己", false).await,
        person(&app, &org, "庚", false).await,
    );
    use Attendance::*;
    activity(&app, ActivityKind::PlenarySession, date(2024, 1, 10), true, &[(e, Present), (f, Absent), (g, Excused)])
        .await;
    activity(&app, ActivityKind::Inspection, date(2024, 5, 10), false, &[(e, Present)]).await;
    activity(&app, ActivityKind::Research, date(2024, 5, 11), false, &[(f, Present)]).await;
    for month in 2..=7 {
        activity(&app, ActivityKind::VolunteerService, date(2024, month, 8), false, &[(e, Present)]).await;
    }
    for (i, (key, excellent)) in [(true, false), (true, false), (false, true), (false, true)].into_iter().enumerate() {
        let id = proposal(&app, &[(e, SignerRole::First)], &format!("戊的提案{i}"), true).await;
        flag(&app, id, key, excellent).await;
    }
    proposal(&app, &[(f, SignerRole::First)], "己的提案", true).await;
    report(&app, g, "庚的社情民意", None).await;
    let rules = preset(&app, "jinan").await;

    run(&app, rules, 2024).await;
    let r = results(&app, 2024).await;

    assert_eq!((r["戊"]["total"].clone(), r["戊"]["grade"].clone()), (json!("120"), json!("EXCELLENT")));
    assert_eq!((r["己"]["total"].clone(), r["己"]["grade"].clone()), (json!("40"), json!("INCOMPETENT")));
    assert_eq!((r["庚"]["total"].clone(), r["庚"]["grade"].clone()), (json!("60"), json!("INCOMPETENT")));
    assert_eq!(r["庚"]["flags"], json!(["REMINDER_TALK", "MINIMUM_NOT_MET"]));
    assert_eq!(r["己"]["flags"], json!(["REMINDER_TALK", "MINIMUM_NOT_MET"]));
    let capped = r["戊"]["lines"]
        .as_array()
        .unwrap()
        .iter()
        .any(|l| l["note"].as_str().is_some_and(|n| n.contains("加分已达上限")));
    assert!(capped, "a line explains the bonus cap: {:#}", r["戊"]["lines"]);
}

/// 延边: additive from 0, only the first proposer or author scores. Hand-worked:
///
/// - 辛: two proposals as first proposer (any proposal +10), both accepted (+20), one key (+10);
///   the other is joint with 壬. Reports: one (any +5) adopted at provincial level with a city
///   leader's instruction: adopted +10, provincial +10, instruction +10; one more not adopted.
///   Total 75 → 优秀.
/// - 壬: co-signer only (0); one report of their own, not adopted: +5. Total 5 → 不称职 (below
///   the pass mark 10), 提醒谈话.
#[actix_web::test]
async fn yanbian_adds_points_from_zero_for_first_proposers_and_authors_only() {
    let app = TestApp::new().await;
    let org = org(&app).await;
    let (h, i) = (person(&app, &org, "辛", false).await, person(&app, &org, "壬", false).await);
    let key = proposal(&app, &[(h, SignerRole::First)], "辛的重点提案", true).await;
    flag(&app, key, true, false).await;
    proposal(&app, &[(h, SignerRole::First), (i, SignerRole::Co)], "辛与壬的联名提案", true).await;
    report(&app, h, "辛的社情民意", Some((AdoptionLevel::Province, Some(InstructionLevel::City)))).await;
    report(&app, h, "辛的另一篇", None).await;
    report(&app, i, "壬的社情民意", None).await;
    let rules = preset(&app, "yanbian").await;

    run(&app, rules, 2024).await;
    let r = results(&app, 2024).await;

    assert_eq!((r["辛"]["total"].clone(), r["辛"]["grade"].clone()), (json!("75"), json!("EXCELLENT")));
    assert_eq!(
        (r["壬"]["total"].clone(), r["壬"]["grade"].clone(), r["壬"]["passed"].clone()),
        (json!("5"), json!("INCOMPETENT"), json!(false))
    );
    assert_eq!(r["壬"]["flags"], json!(["REMINDER_TALK"]));
}

/// Two members of 桐城: 甲 plenary present (50), 乙 absent (0).
async fn small_tongcheng(app: &TestApp) -> (Org, i64, i64, i64) {
    let org = org(app).await;
    let a = person(app, &org, "甲", false).await;
    let b = person(app, &org, "乙", false).await;
    for year in [2023, 2024] {
        activity(
            app,
            ActivityKind::PlenarySession,
            date(year, 1, 10),
            true,
            &[(a, Attendance::Present), (b, Attendance::Absent)],
        )
        .await;
    }
    let rules = preset(app, "tongcheng").await;
    (org, a, b, rules)
}

#[actix_web::test]
async fn a_run_is_recomputed_while_draft_keeps_adjustments_and_locks_once_confirmed() {
    let app = TestApp::new().await;
    let (_, _, b, rules) = small_tongcheng(&app).await;
    let run_id = run(&app, rules, 2024).await;
    let id = results(&app, 2024).await["乙"]["id"].clone();
    let adjust = "mutation($input: AdjustAssessmentInput!) { adjustAssessment(input: $input) { memberAssessment { total grade adjustments { points reason author } } } }";

    let adjusted = app
        .ok(adjust, json!({ "input": { "memberAssessmentId": id, "points": "7.5", "reason": "补录调研报告" } }))
        .await;
    // A new plenary absence appears; the recomputation keeps the adjustment.
    activity(&app, ActivityKind::PlenarySession, date(2024, 9, 1), true, &[(b, Attendance::Absent)]).await;
    let again = run(&app, rules, 2024).await;
    let after = results(&app, 2024).await;
    let confirm = app
        .ok(
            "mutation($id: ID!) { confirmAssessmentRun(input: { id: $id }) { assessmentRun { status } } }",
            json!({ "id": run_id }),
        )
        .await;
    let rerun = app.admin(RUN, json!({ "input": { "ruleSetId": gid(Kind::RuleSet, rules), "year": 2024 } })).await;
    let late = app
        .admin(adjust, json!({ "input": { "memberAssessmentId": after["乙"]["id"], "points": "1", "reason": "迟到" } }))
        .await;
    let published = app
        .ok(
            "mutation($id: ID!) { publishAssessmentRun(input: { id: $id }) { assessmentRun { status } } }",
            json!({ "id": run_id }),
        )
        .await;
    let republish = app
        .admin(
            "mutation($id: ID!) { publishAssessmentRun(input: { id: $id }) { assessmentRun { status } } }",
            json!({ "id": run_id }),
        )
        .await;

    assert_eq!(adjusted["adjustAssessment"]["memberAssessment"]["total"], "7.5");
    assert_eq!(
        adjusted["adjustAssessment"]["memberAssessment"]["adjustments"],
        json!([{ "points": "7.5", "reason": "补录调研报告", "author": "admin" }])
    );
    assert_eq!(again, run_id, "a draft is recomputed in place");
    assert_eq!(after["乙"]["total"], "7.5");
    assert_eq!(after["乙"]["adjustments"][0]["reason"], "补录调研报告");
    assert_eq!(confirm["confirmAssessmentRun"]["assessmentRun"]["status"], "CONFIRMED");
    assert_eq!(error_code(&rerun), "CONFLICT");
    assert_eq!(error_code(&late), "CONFLICT");
    assert_eq!(published["publishAssessmentRun"]["assessmentRun"]["status"], "PUBLISHED");
    assert_eq!(error_code(&republish), "CONFLICT");
}

#[actix_web::test]
async fn the_same_rules_and_records_give_the_same_results() {
    let app = TestApp::new().await;
    let (_, a, b, rules) = small_tongcheng(&app).await;
    proposal(&app, &[(a, SignerRole::First), (b, SignerRole::Co)], "联名提案", true).await;
    report(&app, b, "社情民意", Some((AdoptionLevel::Local, None))).await;

    run(&app, rules, 2024).await;
    let first = app.ok(RESULTS, json!({ "year": 2024 })).await;
    run(&app, rules, 2024).await;
    let second = app.ok(RESULTS, json!({ "year": 2024 })).await;

    let strip = |mut v: Value| {
        for n in v["assessments"]["nodes"].as_array_mut().unwrap() {
            n.as_object_mut().unwrap().remove("id");
        }
        v
    };
    assert_eq!(strip(first), strip(second));
}

#[actix_web::test]
async fn two_failed_years_in_a_row_flag_persuade_resign() {
    let app = TestApp::new().await;
    let (_, a, _, rules) = small_tongcheng(&app).await;
    let r2023 = run(&app, rules, 2023).await;
    for op in ["confirmAssessmentRun", "publishAssessmentRun"] {
        app.ok(
            &format!("mutation($id: ID!) {{ {op}(input: {{ id: $id }}) {{ assessmentRun {{ status }} }} }}"),
            json!({ "id": r2023 }),
        )
        .await;
    }

    // 甲 also failed 2023 (50 < 60) but passes 2024 with five research activities (+10 → 60).
    for day in 1..=5 {
        activity(&app, ActivityKind::Research, date(2024, 4, day), false, &[(a, Attendance::Present)]).await;
    }
    run(&app, rules, 2024).await;
    let r = results(&app, 2024).await;

    // 乙 failed 2023 and 2024 (and has two unexcused plenary absences in the term): 劝辞.
    assert_eq!(r["乙"]["flags"], json!(["REMINDER_TALK", "PERSUADE_RESIGN"]));
    assert_eq!(r["甲"]["flags"], json!([]));
}

#[actix_web::test]
async fn create_rule_set_names_the_field_at_fault() {
    let app = TestApp::new().await;
    let create = "mutation($input: CreateRuleSetInput!) { createRuleSet(input: $input) { ruleSet { id name version rules { code points } } } }";
    let rule = |code: &str, category: &str, points: &str| json!({ "code": code, "label": "出席", "category": category, "source": "ACTIVITY", "activityKinds": ["PLENARY_SESSION"], "points": points });
    let input = |rules: Value| {
        json!({ "name": "合肥模板", "scale": "CAPPED", "maxPoints": "100", "categories": [{ "code": "M", "label": "会议" }],
                "rules": rules, "grades": [{ "grade": "COMPETENT", "minPoints": "60" }, { "grade": "INCOMPETENT", "minPoints": "0" }] })
    };

    let ok = app.ok(create, json!({ "input": input(json!([rule("a", "M", "7.5")])) })).await;
    let again = app.ok(create, json!({ "input": input(json!([rule("a", "M", "7.5")])) })).await;
    let points =
        app.admin(create, json!({ "input": input(json!([rule("a", "M", "1"), rule("b", "M", "7.125")])) })).await;
    let category = app.admin(create, json!({ "input": input(json!([rule("a", "X", "1")])) })).await;
    let mut wrong_filter = rule("a", "M", "1");
    wrong_filter["proposalMilestone"] = json!("ACCEPTED");
    let filter = app.admin(create, json!({ "input": input(json!([wrong_filter])) })).await;

    assert_eq!(ok["createRuleSet"]["ruleSet"]["rules"], json!([{ "code": "a", "points": "7.5" }]));
    assert_eq!(again["createRuleSet"]["ruleSet"]["version"], 2);
    assert_eq!((error_code(&points), error_field(&points)), ("BAD_USER_INPUT", "input.rules.1.points"));
    assert_eq!(error_field(&category), "input.rules.0.category");
    assert_eq!(error_field(&filter), "input.rules.0.proposalMilestone");
}

#[actix_web::test]
async fn members_see_only_their_own_published_assessment_and_viewers_none() {
    let app = TestApp::new().await;
    let (_, a, b, rules) = small_tongcheng(&app).await;
    let run_id = run(&app, rules, 2024).await;
    let own = app.account("jia", Role::Member, Scope::Member(a)).await;
    let viewer = app.account("viewer", Role::Viewer, Scope::None).await;
    let query = "query($id: ID!) { member(id: $id) { assessment(year: 2024) { total grade lines { text } } } }";
    let mine = json!({ "id": gid(Kind::Member, a) });

    let draft = app.post(Some(&own), query, mine.clone()).await;
    for op in ["confirmAssessmentRun", "publishAssessmentRun"] {
        app.ok(
            &format!("mutation($id: ID!) {{ {op}(input: {{ id: $id }}) {{ assessmentRun {{ status }} }} }}"),
            json!({ "id": run_id }),
        )
        .await;
    }
    let published = app.post(Some(&own), query, mine).await;
    let other = app.post(Some(&own), query, json!({ "id": gid(Kind::Member, b) })).await;
    let list = app.post(Some(&own), "{ assessments(year: 2024) { totalCount } }", json!({})).await;
    let viewer_list = app.post(Some(&viewer), "{ assessments(year: 2024) { totalCount } }", json!({})).await;
    let office = app.ok("{ assessments(year: 2024) { totalCount } }", json!({})).await;

    assert_eq!(draft["data"]["member"]["assessment"], Value::Null, "a draft is not shown to the member");
    assert_eq!(published["data"]["member"]["assessment"]["total"], "50");
    assert_eq!(published["data"]["member"]["assessment"]["lines"][0]["text"], "2024-01-10 全体会议 出席 +50");
    assert_eq!(other["data"]["member"]["assessment"], Value::Null);
    assert_eq!(error_code(&list), "FORBIDDEN");
    assert_eq!(error_code(&viewer_list), "FORBIDDEN");
    assert_eq!(office["assessments"]["totalCount"], 2);
}

#[actix_web::test]
async fn the_demo_committee_has_a_published_2023_run_and_a_draft_2024_run() {
    let app = TestApp::new().await;
    lvzhi::seed::demo(&app.db).await.map_err(|e| e.message()).unwrap();

    let data = app
        .ok(
            "{ a: assessmentRuns(year: 2023) { status memberCount } b: assessmentRuns(year: 2024) { status memberCount }
               assessments(year: 2023, first: 1) { nodes { rank lines { text } } } }",
            json!({}),
        )
        .await;

    assert_eq!(data["a"], json!([{ "status": "PUBLISHED", "memberCount": data["a"][0]["memberCount"] }]));
    assert_eq!(data["b"][0]["status"], "DRAFT");
    assert!(data["a"][0]["memberCount"].as_i64().unwrap() >= 209);
    assert_eq!(data["assessments"]["nodes"][0]["rank"], 1);
    assert!(!data["assessments"]["nodes"][0]["lines"].as_array().unwrap().is_empty());
}

/// The engine fetches only the records that can count under a cap (`record_limit`), either by
/// reading every matching row or by walking each member's participations; with every record
/// fetched instead, every preset must give exactly the same outcomes both ways — on the demo
/// committee and on a generated one with about 100 participations per member a year, where the
/// caps bind hard.
#[actix_web::test]
async fn fetching_only_the_records_that_can_count_changes_no_outcome() {
    use lvzhi::assessment::{
        engine::{self, Fetch},
        rules::Definition,
    };
    use lvzhi::db::Readers;
    use sea_orm::TransactionTrait;
    for generated in [false, true] {
        let app = TestApp::new().await;
        if generated {
            lvzhi::seed::scale::generate(&app.db, 120, &()).await.map_err(|e| e.message()).unwrap();
        } else {
            lvzhi::seed::demo(&app.db).await.map_err(|e| e.message()).unwrap();
        }
        for preset in ["tongcheng", "jinan", "yanbian"] {
            let set = lvzhi::assessment::service::load_preset(&app.db, &Actor::System, preset, None, None)
                .await
                .map_err(|e| e.message())
                .unwrap();
            let def = Definition::from_json(&set.definition).map_err(|e| e.message()).unwrap();
            for year in [2023, 2024] {
                let all =
                    engine::compute_with(&app.db, &def, year, Fetch::Every).await.map_err(|e| e.message()).unwrap();
                assert!(!all.is_empty());
                assert!(all.iter().any(|o| !o.lines.is_empty()));
                for fetch in [Fetch::Cut, Fetch::Walk, Fetch::Read] {
                    let cut = engine::compute_with(&app.db, &def, year, fetch).await.map_err(|e| e.message()).unwrap();
                    assert_eq!(cut, all, "{preset} {year} {fetch:?} (generated: {generated})");
                }
                // In a transaction the reads take turns on its one connection.
                let txn = app.db.begin().await.unwrap();
                let alone = engine::compute_with(&txn, &def, year, Fetch::Cut).await.map_err(|e| e.message()).unwrap();
                txn.rollback().await.unwrap();
                assert_eq!(alone, all, "{preset} {year} in one transaction (generated: {generated})");
            }
        }
        // So the pool's reads above went two at a time on PostgreSQL (a pool of five); SQLite's
        // in-memory database is one connection.
        let postgres = app.db.get_database_backend() == sea_orm::DbBackend::Postgres;
        assert_eq!(app.db.readers(), if postgres { 2 } else { 1 });
    }
}

/// The stored lines of every run (newest run first), by result; each run's lines add up to its
/// `lineCount`.
async fn lines_by_run(
    app: &TestApp,
) -> Vec<(i64, std::collections::HashMap<i64, Vec<entity::assessment_lines::ScoreLine>>)> {
    let runs = assessments::runs(&app.db, &Actor::System, None).await.map_err(|e| e.message()).unwrap();
    let mut out = Vec::new();
    for run in runs {
        let lines = assessments::lines_of_run(&app.db, run.id).await.map_err(|e| e.message()).unwrap();
        assert_eq!(
            lines.values().map(Vec::len).sum::<usize>(),
            usize::try_from(run.line_count).unwrap(),
            "run {}",
            run.id
        );
        out.push((run.id, lines));
    }
    out
}

/// A result's lines are its own: the database refuses lines for a result that does not exist,
/// and a result's lines go with it.
#[actix_web::test]
async fn a_results_lines_belong_to_it_and_go_with_it() {
    use entity::{assessment_lines, member_assessment};
    use sea_orm::{ActiveModelTrait, EntityTrait, ModelTrait, Set};

    let app = TestApp::new().await;
    lvzhi::seed::demo(&app.db).await.map_err(|e| e.message()).unwrap();
    let runs = lines_by_run(&app).await;
    let (&assessment_id, lines) = runs[0].1.iter().next().expect("the draft run has lines");
    assert!(!lines.is_empty());

    let stray = assessment_lines::ActiveModel { assessment_id: Set(i64::from(i32::MAX)), lines: Set("[]".to_owned()) };
    assert!(stray.insert(&app.db).await.is_err(), "lines of a result that does not exist");

    let result = member_assessment::Entity::find_by_id(assessment_id).one(&app.db).await.unwrap().unwrap();
    result.delete(&app.db).await.unwrap();
    assert!(assessment_lines::Entity::find_by_id(assessment_id).one(&app.db).await.unwrap().is_none());
}

/// The migrations of the appraisal indexes and of the score lines (a key of their own in 12,
/// a document per result in 13, compressed with LZ4 on PostgreSQL in 14) roll back and forward
/// over a database with runs in it, keeping every line as it was, in order.
#[actix_web::test]
async fn the_score_line_migrations_roll_back_and_forward_keeping_the_lines() {
    use migration::{Migrator, MigratorTrait};
    use sea_orm::{ConnectionTrait, Statement};

    let app = TestApp::new().await;
    lvzhi::seed::demo(&app.db).await.map_err(|e| e.message()).unwrap();
    let before = lines_by_run(&app).await;
    let total: usize = before.iter().flat_map(|(_, lines)| lines.values().map(Vec::len)).sum();
    assert!(total > 0);
    assert!(
        before.iter().flat_map(|(_, lines)| lines.values().flatten()).any(|line| line.note.is_some()),
        "some lines carry a note"
    );

    // Migration 14: LZ4 on PostgreSQL (this one is built with it), the server's default once
    // rolled back; nothing to check on SQLite.
    let postgres = app.db.get_database_backend() == sea_orm::DbBackend::Postgres;
    assert_eq!(lines_compression(&app).await, postgres.then(|| "l".to_owned()));
    // The invitations' migration (issue 18) came after 14: rolled back with it.
    Migrator::down(&app.db, Some(2)).await.unwrap();
    assert_eq!(lines_compression(&app).await, postgres.then(String::new));
    Migrator::down(&app.db, Some(3)).await.unwrap();
    let count = Statement::from_string(app.db.get_database_backend(), "SELECT COUNT(*) AS n FROM score_line");
    let rows = app.db.query_one_raw(count).await.unwrap().unwrap().try_get::<i64>("", "n").unwrap();
    assert_eq!(usize::try_from(rows).unwrap(), total, "a row per line after rolling back");
    Migrator::up(&app.db, None).await.unwrap();

    assert_eq!(lines_by_run(&app).await, before);
    assert_eq!(lines_compression(&app).await, postgres.then(|| "l".to_owned()));
    assert!(Migrator::get_pending_migrations(&app.db).await.unwrap().is_empty());
}

/// How PostgreSQL compresses `assessment_lines.lines` (`pg_attribute.attcompression`: `l` for
/// LZ4, empty for the server's default); `None` on SQLite, which has no such setting.
async fn lines_compression(app: &TestApp) -> Option<String> {
    use sea_orm::{ConnectionTrait, DbBackend, Statement};
    if app.db.get_database_backend() != DbBackend::Postgres {
        return None;
    }
    let sql = "SELECT attcompression::text AS c FROM pg_attribute \
               WHERE attrelid = 'assessment_lines'::regclass AND attname = 'lines'";
    let row = app.db.query_one_raw(Statement::from_string(DbBackend::Postgres, sql)).await.unwrap().unwrap();
    Some(row.try_get::<String>("", "c").unwrap())
}
