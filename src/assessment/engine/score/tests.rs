//! Scoring against hand-worked cases: each expected figure is worked out in a comment.

use super::*;

/// A definition written as a preset file writes it.
fn definition(json: serde_json::Value) -> Definition {
    serde_json::from_value(json).unwrap_or_else(|e| panic!("test definition: {e}"))
}

fn day(text: &str) -> NaiveDate {
    text.parse().unwrap_or_else(|e| panic!("{text}: {e}"))
}

fn seated(member_id: i64) -> Seated {
    Seated {
        member_id,
        name_pinyin: format!("member{member_id}"),
        seat_id: member_id,
        term_id: 1,
        term_start: day("2022-01-01"),
        sector_id: None,
        standing: false,
        new_member: false,
        committee_id: None,
        studio_id: None,
        town_id: None,
    }
}

fn record(member_id: i64, source_id: i64, date: &str) -> Record {
    Record::new(member_id, source_id, day(date), format!("record {source_id}"))
}

/// A signature of joint work: the member's role and how many signed.
fn signature(member_id: i64, source_id: i64, date: &str, role: SignerRole, signers: i64) -> Record {
    Record { signer: Some((role, signers)), ..record(member_id, source_id, date) }
}

/// (date, points in hundredths, note) of each line.
fn lines(outcome: &Outcome) -> Vec<(String, i64, Option<&str>)> {
    outcome.lines.iter().map(|l| (l.date.to_string(), l.cents, l.note.as_deref())).collect()
}

fn subtotals(outcome: &Outcome) -> Vec<(&str, i64, i64)> {
    outcome.subtotals.iter().map(|s| (s.category.as_str(), s.cents, s.records)).collect()
}

#[test]
fn shares_round_half_away_from_zero() {
    assert_eq!(share(1000, 1, 2), 500);
    assert_eq!(share(500, 1, 3), 167);
    assert_eq!(share(-500, 1, 3), -167);
    assert_eq!(share(1, 1, 2), 1);
    assert_eq!(share(-1, 1, 2), -1);
}

/// 桐城-style: a hundred-point scale, the plenary once a year, activities worth 3 each up to
/// 8 for the rule, and the activities category capped at 10 with written speeches in it.
fn tongcheng_style() -> Definition {
    definition(serde_json::json!({
        "scale": "CAPPED", "maxPoints": "100", "passMark": "60", "plenaryAbsenceLimit": 2,
        "categories": [
            { "code": "MEETINGS", "label": "会议出席", "floorAtZero": true },
            { "code": "ACTIVITIES", "label": "履职活动", "cap": "10" }
        ],
        "rules": [
            { "code": "plenary", "label": "全体会议出席", "category": "MEETINGS", "source": "ACTIVITY",
              "points": "50", "per": "YEAR" },
            { "code": "activity", "label": "参加履职活动", "category": "ACTIVITIES", "source": "ACTIVITY",
              "points": "3", "cap": "8" },
            { "code": "speech", "label": "书面发言", "category": "ACTIVITIES", "source": "ACTIVITY",
              "points": "5" }
        ],
        "grades": [
            { "grade": "EXCELLENT", "minPoints": "90" },
            { "grade": "COMPETENT", "minPoints": "60" },
            { "grade": "INCOMPETENT", "minPoints": "0" }
        ]
    }))
}

#[test]
fn a_capped_activity_rule_and_a_capped_category_count_in_date_order() {
    let def = tongcheng_style();
    let by_rule = vec![
        vec![record(1, 1, "2024-03-01"), record(1, 2, "2024-09-01")],
        vec![
            record(1, 10, "2024-04-01"),
            record(1, 11, "2024-04-02"),
            record(1, 12, "2024-04-03"),
            record(1, 13, "2024-04-04"),
        ],
        vec![record(1, 20, "2024-04-02")],
    ];
    let outcome = score_all(&def, vec![seated(1)], by_rule).remove(0);
    // Plenary: two sessions, once a year: 50 on the first.
    // Activity rule, 3 each up to 8: 3 + 3 + 2 (capped), the fourth dropped.
    // Category 履职活动 up to 10, by date then rule: 04-01 activity 3 (3), 04-02 activity 3
    // (6), 04-02 speech 5 → 4 (10), 04-03 activity 2 → nothing left, dropped.
    // Total: 50 + 3 + 3 + 4 = 60.
    assert_eq!(
        lines(&outcome),
        vec![
            ("2024-03-01".to_owned(), 5000, Some("每年计一次")),
            ("2024-04-01".to_owned(), 300, None),
            ("2024-04-02".to_owned(), 300, None),
            ("2024-04-02".to_owned(), 400, Some("履职活动类已达上限")),
        ]
    );
    assert_eq!(subtotals(&outcome), vec![("MEETINGS", 5000, 1), ("ACTIVITIES", 1000, 3)]);
    assert_eq!(outcome.computed_cents, 6000);
    // 60 reaches the pass mark and the COMPETENT band (60 up to 90).
    let f = finish(&def, outcome.computed_cents, 0, outcome.grade_cap, false, 0);
    let expected = Finish {
        total_cents: 6000,
        grade: Grade::Competent,
        passed: true,
        commend: false,
        reminder: false,
        resign: false,
    };
    assert_eq!(f, expected);
}

#[test]
fn failing_twice_or_missing_plenaries_flags_resignation_and_the_ceiling_holds() {
    let def = tongcheng_style();
    // 50 is below the pass mark 60: the lowest band, a reminder talk; failed the year
    // before too, so 劝辞.
    let failed = finish(&def, 5000, 0, None, true, 0);
    let expected = Finish {
        total_cents: 5000,
        grade: Grade::Incompetent,
        passed: false,
        commend: false,
        reminder: true,
        resign: true,
    };
    assert_eq!(failed, expected);
    // 95 + 10 adjusted = 105, held at the ceiling of 100: EXCELLENT, commended; two
    // unexcused plenary absences reach the limit of 2, so 劝辞 even so.
    let absent = finish(&def, 9500, 1000, None, false, 2);
    let expected = Finish {
        total_cents: 10_000,
        grade: Grade::Excellent,
        passed: true,
        commend: true,
        reminder: false,
        resign: true,
    };
    assert_eq!(absent, expected);
}

#[test]
fn a_joint_proposal_gives_half_to_the_first_proposer_and_shares_the_rest() {
    let def = definition(serde_json::json!({
        "scale": "ADDITIVE",
        "categories": [{ "code": "PROPOSALS", "label": "提案" }],
        "rules": [
            { "code": "proposal", "label": "提交提案", "category": "PROPOSALS", "source": "PROPOSAL",
              "proposalMilestone": "SUBMITTED", "points": "10", "split": "HALF_TO_FIRST_REST_SHARED" }
        ],
        "grades": [{ "grade": "COMPETENT", "minPoints": "0" }]
    }));
    let by_rule = vec![vec![
        // Proposal 100, four signers: member 1 first, members 2–4 co-signers.
        signature(1, 100, "2024-02-01", SignerRole::First, 4),
        signature(2, 100, "2024-02-01", SignerRole::Co, 4),
        signature(3, 100, "2024-02-01", SignerRole::Co, 4),
        signature(4, 100, "2024-02-01", SignerRole::Co, 4),
        // Proposal 101, member 1 alone.
        signature(1, 101, "2024-05-01", SignerRole::First, 1),
    ]];
    let members = (1..=4).map(seated).collect();
    let outcomes = score_all(&def, members, by_rule);
    // Member 1: half of 10 for proposal 100, all 10 for proposal 101: 5 + 10 = 15.
    assert_eq!(
        lines(&outcomes[0]),
        vec![("2024-02-01".to_owned(), 500, Some("联名4人，第一提案人得一半")), ("2024-05-01".to_owned(), 1000, None),]
    );
    assert_eq!(outcomes[0].computed_cents, 1500);
    // Members 2–4: the other half shared by three, 5 ÷ 3 = 1.666…, rounded to 1.67 each.
    for co in &outcomes[1..] {
        assert_eq!(lines(co), vec![("2024-02-01".to_owned(), 167, Some("联名4人，其余3人平分一半"))]);
        assert_eq!(co.computed_cents, 167);
    }
}

#[test]
fn deductions_stop_at_their_cap_and_at_the_categorys_floor() {
    let def = definition(serde_json::json!({
        "scale": "ADDITIVE",
        "categories": [
            { "code": "MEETINGS", "label": "会议", "floorAtZero": true },
            { "code": "DISCIPLINE", "label": "纪律" }
        ],
        "rules": [
            { "code": "present", "label": "出席", "category": "MEETINGS", "source": "ACTIVITY", "points": "3" },
            { "code": "absent", "label": "缺席", "category": "MEETINGS", "source": "ACTIVITY",
              "points": "-5", "cap": "8" },
            { "code": "late", "label": "迟到", "category": "DISCIPLINE", "source": "ACTIVITY", "points": "-2" }
        ],
        "grades": [{ "grade": "COMPETENT", "minPoints": "0" }]
    }));
    let by_rule = vec![
        vec![record(1, 1, "2024-01-10")],
        vec![record(1, 2, "2024-02-01"), record(1, 3, "2024-03-01"), record(1, 4, "2024-04-01")],
        vec![record(1, 5, "2024-05-01")],
    ];
    let outcome = score_all(&def, vec![seated(1)], by_rule).remove(0);
    // Absences, −5 each, take away at most 8: −5, then −3, the third dropped.
    // 会议 (floored at 0): +3 − 5 − 3 = −5; the latest deductions give way first: −3 → 0
    // (−2 left), then −5 → −3: +3 − 3 + 0 = 0.
    // 纪律 (no floor): −2. Total: 0 + 0 − 2 = −2.
    assert_eq!(
        lines(&outcome),
        vec![
            ("2024-01-10".to_owned(), 300, None),
            ("2024-02-01".to_owned(), -300, Some("扣分以本类0分为限")),
            ("2024-03-01".to_owned(), 0, Some("本项扣分已达上限；扣分以本类0分为限")),
            ("2024-05-01".to_owned(), -200, None),
        ]
    );
    assert_eq!(subtotals(&outcome), vec![("MEETINGS", 0, 3), ("DISCIPLINE", -200, 1)]);
    assert_eq!(outcome.computed_cents, -200);
    // The total stops at 0 (floorAtZero defaults to true).
    assert_eq!(finish(&def, outcome.computed_cents, 0, None, false, 0).total_cents, 0);
}

#[test]
fn an_unmet_minimum_caps_the_grade_its_band_would_give() {
    let def = definition(serde_json::json!({
        "scale": "BASE_PLUS_BONUS", "basePoints": "70", "maxBonus": "20",
        "categories": [{ "code": "DUTIES", "label": "履职" }],
        "rules": [
            { "code": "plenary", "label": "全体会议出席", "category": "DUTIES", "source": "ACTIVITY",
              "points": "0" },
            { "code": "speech", "label": "书面发言", "category": "DUTIES", "source": "ACTIVITY", "points": "5" }
        ],
        "grades": [
            { "grade": "EXCELLENT", "minPoints": "90" },
            { "grade": "GOOD", "minPoints": "80" },
            { "grade": "COMPETENT", "minPoints": "60" },
            { "grade": "INCOMPETENT", "minPoints": "0" }
        ],
        "minimums": [
            { "code": "plenary", "label": "至少出席1次全体会议", "rules": ["plenary"], "maxGrade": "COMPETENT" }
        ]
    }));
    let speeches = |member: i64| -> Vec<Record> {
        (1..=5).map(|i| record(member, 10 * member + i, &format!("2024-0{i}-15"))).collect()
    };
    let by_rule = vec![vec![record(2, 1, "2024-03-01")], [speeches(1), speeches(2)].concat()];
    let outcomes = score_all(&def, vec![seated(1), seated(2)], by_rule);
    // Both: five speeches of 5 under a bonus cap of 20: 5 + 5 + 5 + 5, the fifth dropped;
    // 70 + 20 = 90, the EXCELLENT band.
    // Member 1 attended no plenary: the minimum is unmet and caps the grade at COMPETENT.
    let missed = &outcomes[0];
    assert_eq!(missed.computed_cents, 9000);
    assert_eq!(missed.lines.len(), 4);
    assert_eq!(
        (missed.grade_cap, missed.unmet_minimums.clone()),
        (Some(Grade::Competent), vec!["至少出席1次全体会议".to_owned()])
    );
    let f = finish(&def, missed.computed_cents, 0, missed.grade_cap, false, 0);
    assert_eq!((f.total_cents, f.grade, f.passed, f.commend), (9000, Grade::Competent, true, false));
    // Member 2 attended one (worth 0, on 03-01, before the bonus cap is reached): 90,
    // EXCELLENT, commended.
    let met = &outcomes[1];
    assert_eq!((met.computed_cents, met.grade_cap, met.lines.len()), (9000, None, 5));
    let f = finish(&def, met.computed_cents, 0, met.grade_cap, false, 0);
    assert_eq!((f.total_cents, f.grade, f.passed, f.commend), (9000, Grade::Excellent, true, true));
    // An adjustment of −15 brings member 2 to 75: below GOOD's 80, COMPETENT.
    assert_eq!(finish(&def, met.computed_cents, -1500, None, false, 0).grade, Grade::Competent);
}
