//! Issue 20, point 5: 换届 (`openNextTerm`) — returning members get new seats, the old term's
//! seats and memberships end with it, the kinds the office chooses open again; a dry run lists
//! every change and writes nothing; one transaction, one audit entry, a fixed number of
//! statements whatever the roster's size.

use std::collections::BTreeMap;

use chrono::Utc;
use entity::{
    committee_membership,
    enums::{CommitteeRole, GroupKind, GroupRole, Party, SeatStatus, StudioRole},
    group_membership, member, seat, studio_assignment, term,
};
use lvzhi::{
    auth::Actor,
    organisation::service::{self as organisation, Placement},
    relay::Kind,
};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use serde_json::{Value, json};

use crate::{
    fixtures::{MemberSpec, Org, date, gid, member, members, org},
    helpers::{TestApp, error_code, error_field},
};

const OPEN: &str = "mutation($input: OpenNextTermInput!) { openNextTerm(input: $input) { dryRun term { number name startDate } counts { kind count } changes { kind memberId memberName placeId placeName roleLabel } } }";

/// Three serving members of the current term (each in a committee and a studio), one with a
/// group membership and a sector convenership, one standing-committee member, and one whose
/// seat has ended. Answers (the three, the standing member, the resigned member).
async fn roster(app: &TestApp, o: &Org) -> (Vec<i64>, i64, i64) {
    let (db, sys) = (&app.db, &Actor::System);
    let three = members(app, o, 3).await;
    let standing =
        member(app, o, MemberSpec { standing: true, party: Party::Cdl, ..MemberSpec::named("常委甲") }).await;
    let resigned = member(app, o, MemberSpec::named("已辞乙")).await;
    let update = "mutation($input: UpdateMemberInput!) { updateMember(input: $input) { member { id } } }";
    let seat = json!({ "termId": gid(Kind::Term, o.current_term), "status": "RESIGNED", "endDate": "2023-06-30" });
    app.ok(update, json!({ "input": { "id": gid(Kind::Member, resigned), "seat": seat } })).await;
    let group = organisation::create_group(db, sys, "读书小组", GroupKind::ReadingGroup, None).await.unwrap();
    let p =
        |member_id, target_id| Placement { member_id, target_id, role: GroupRole::Lead, start_date: date(2022, 3, 1) };
    organisation::assign_group(db, sys, p(three[0], group.id)).await.unwrap();
    let convener = Placement { member_id: three[0], target_id: o.economy, role: (), start_date: date(2022, 3, 1) };
    organisation::appoint_convener(db, sys, convener).await.unwrap();
    (three, standing, resigned)
}

fn input(o: &Org, returning: Option<Vec<i64>>, dry_run: bool) -> Value {
    let mut input = json!({
        "fromTermId": gid(Kind::Term, o.current_term),
        "name": "第十一届",
        "startDate": "2027-01-01",
        "endDate": "2031-12-31",
        "carry": { "committees": true, "groups": true },
        "dryRun": dry_run,
    });
    if let Some(ids) = returning {
        input["returningMemberIds"] = ids.into_iter().map(|id| gid(Kind::Member, id)).collect();
    }
    json!({ "input": input })
}

fn counts(payload: &Value) -> BTreeMap<String, i64> {
    payload["counts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c["kind"].as_str().unwrap().to_owned(), c["count"].as_i64().unwrap()))
        .collect()
}

fn expected(pairs: &[(&str, i64)]) -> BTreeMap<String, i64> {
    let mut all: BTreeMap<String, i64> = [
        "SEAT_ENDED",
        "SEAT_OPENED",
        "COMMITTEE_MEMBERSHIP_ENDED",
        "COMMITTEE_MEMBERSHIP_OPENED",
        "STUDIO_ASSIGNMENT_ENDED",
        "STUDIO_ASSIGNMENT_OPENED",
        "GROUP_MEMBERSHIP_ENDED",
        "GROUP_MEMBERSHIP_OPENED",
        "CONVENERSHIP_ENDED",
        "CONVENERSHIP_OPENED",
    ]
    .into_iter()
    .map(|k| (k.to_owned(), 0))
    .collect();
    for (k, n) in pairs {
        all.insert((*k).to_owned(), *n);
    }
    all
}

async fn audit_count(app: &TestApp) -> i64 {
    let query = "{ auditLog(filter: { operation: \"openNextTerm\" }) { totalCount } }";
    app.ok(query, json!({})).await["auditLog"]["totalCount"].as_i64().unwrap()
}

/// The returning members of the tests: two of the three, and the standing member.
fn chosen(three: &[i64], standing: i64) -> Vec<i64> {
    vec![three[0], three[1], standing]
}

#[actix_web::test]
async fn a_dry_run_lists_every_change_and_writes_nothing() {
    let app = TestApp::new().await;
    let o = org(&app).await;
    let (three, standing, _) = roster(&app, &o).await;
    let seats_before = seat::Entity::find().all(&app.db).await.unwrap();

    let data = app.ok(OPEN, input(&o, Some(chosen(&three, standing)), true)).await;
    let payload = &data["openNextTerm"];

    assert_eq!(payload["dryRun"], true);
    assert_eq!(payload["term"], Value::Null);
    assert_eq!(
        counts(payload),
        expected(&[
            ("SEAT_ENDED", 4),
            ("SEAT_OPENED", 3),
            ("COMMITTEE_MEMBERSHIP_ENDED", 3),
            ("COMMITTEE_MEMBERSHIP_OPENED", 2),
            ("STUDIO_ASSIGNMENT_ENDED", 3),
            ("GROUP_MEMBERSHIP_ENDED", 1),
            ("GROUP_MEMBERSHIP_OPENED", 1),
            ("CONVENERSHIP_ENDED", 1),
        ])
    );
    let changes = payload["changes"].as_array().unwrap();
    assert_eq!(changes.len(), 18);
    let opened = changes.iter().find(|c| c["kind"] == "COMMITTEE_MEMBERSHIP_OPENED").unwrap();
    assert_eq!(opened["memberId"], gid(Kind::Member, three[0]));
    assert_eq!(opened["memberName"], "委员000");
    assert_eq!(opened["placeId"], gid(Kind::SpecialCommittee, o.proposals_committee));
    assert_eq!(opened["placeName"], "提案委员会");
    assert_eq!(opened["roleLabel"], "委员");
    let group = changes.iter().find(|c| c["kind"] == "GROUP_MEMBERSHIP_OPENED").unwrap();
    assert_eq!((group["placeName"].as_str(), group["roleLabel"].as_str()), (Some("读书小组"), Some("组长")));
    // Nothing written.
    assert_eq!(term::Entity::find().all(&app.db).await.unwrap().len(), 2);
    assert_eq!(seat::Entity::find().all(&app.db).await.unwrap(), seats_before);
    assert_eq!(audit_count(&app).await, 0);
}

#[actix_web::test]
async fn open_next_term_makes_the_changes_its_dry_run_listed_in_one_audited_step() {
    let app = TestApp::new().await;
    let o = org(&app).await;
    let (three, standing, resigned) = roster(&app, &o).await;
    let dry = app.ok(OPEN, input(&o, Some(chosen(&three, standing)), true)).await;

    let data = app.ok(OPEN, input(&o, Some(chosen(&three, standing)), false)).await;
    let payload = &data["openNextTerm"];

    assert_eq!(payload["dryRun"], false);
    assert_eq!(payload["term"], json!({ "number": 11, "name": "第十一届", "startDate": "2027-01-01" }));
    assert_eq!(counts(payload), counts(&dry["openNextTerm"]));
    assert_eq!(payload["changes"], json!([]));
    assert_eq!(audit_count(&app).await, 1);

    let db = &app.db;
    let seats_of = async |id: i64| {
        seat::Entity::find().filter(seat::Column::MemberId.eq(id)).order_by_asc(seat::Column::Id).all(db).await.unwrap()
    };
    // A returning member: the old seat ends with the term, a new one copies it.
    let s = seats_of(three[0]).await;
    assert_eq!(s.len(), 2);
    assert_eq!((s[0].status, s[0].end_date), (SeatStatus::TermEnded, Some(date(2026, 12, 31))));
    assert_eq!((s[1].status, s[1].start_date, s[1].end_date), (SeatStatus::Serving, date(2027, 1, 1), None));
    assert_eq!((s[1].sector_id, s[1].member_number.as_deref()), (Some(o.economy), Some("10000")));
    // Posts are elected anew unless kept.
    let s = seats_of(standing).await;
    assert!(s[0].standing_committee && !s[1].standing_committee);
    assert_eq!(s[1].party, Party::Cdl);
    // Not returning: the seat ends, no new one; an ended seat stays as it was.
    let s = seats_of(three[2]).await;
    assert_eq!((s.len(), s[0].status), (1, SeatStatus::TermEnded));
    let s = seats_of(resigned).await;
    assert_eq!((s.len(), s[0].status, s[0].end_date), (1, SeatStatus::Resigned, Some(date(2023, 6, 30))));
    // Memberships: every old row ended; committees and groups reopened for the returning.
    let committees = committee_membership::Entity::find()
        .filter(committee_membership::Column::MemberId.eq(three[0]))
        .order_by_asc(committee_membership::Column::Id)
        .all(db)
        .await
        .unwrap();
    assert_eq!(committees.len(), 2);
    assert_eq!(committees[0].end_date, Some(date(2026, 12, 31)));
    assert_eq!((committees[1].start_date, committees[1].end_date), (date(2027, 1, 1), None));
    assert_eq!((committees[1].committee_id, committees[1].role), (o.proposals_committee, CommitteeRole::Member));
    let studios = studio_assignment::Entity::find().all(db).await.unwrap();
    assert!(studios.iter().all(|a| a.end_date == Some(date(2026, 12, 31)) && a.role == StudioRole::Member));
    let groups = group_membership::Entity::find().order_by_asc(group_membership::Column::Id).all(db).await.unwrap();
    assert_eq!(groups.iter().map(|g| g.end_date).collect::<Vec<_>>(), [Some(date(2026, 12, 31)), None]);
}

#[actix_web::test]
async fn every_serving_member_returns_when_none_are_listed_and_posts_may_be_kept() {
    let app = TestApp::new().await;
    let o = org(&app).await;
    let (_, standing, _) = roster(&app, &o).await;
    let mut request = input(&o, None, false);
    request["input"]["keepPosts"] = json!(true);
    request["input"]["startDate"] = json!("2026-11-01");

    let data = app.ok(OPEN, request).await;

    assert_eq!(counts(&data["openNextTerm"])["SEAT_OPENED"], 4);
    let s = seat::Entity::find().filter(seat::Column::MemberId.eq(standing)).all(&app.db).await.unwrap();
    assert!(s.iter().all(|s| s.standing_committee));
    // The new term began before the old one's last day: the old rows end the day before.
    assert_eq!(s[0].end_date, Some(date(2026, 10, 31)));
}

#[actix_web::test]
async fn open_next_term_names_the_field_at_fault_and_writes_nothing() {
    let app = TestApp::new().await;
    let o = org(&app).await;
    let (three, _, resigned) = roster(&app, &o).await;
    let with = |f: &dyn Fn(&mut Value)| {
        let mut request = input(&o, Some(three.clone()), false);
        f(&mut request["input"]);
        request
    };

    let blank = app.admin(OPEN, with(&|i| i["name"] = json!("  "))).await;
    let early = app.admin(OPEN, with(&|i| i["startDate"] = json!("2021-12-20"))).await;
    let reversed = app.admin(OPEN, with(&|i| i["endDate"] = json!("2026-12-31"))).await;
    let not_serving = app
        .admin(
            OPEN,
            with(&|i| i["returningMemberIds"] = json!([gid(Kind::Member, three[0]), gid(Kind::Member, resigned)])),
        )
        .await;
    let wrong_kind = app.admin(OPEN, with(&|i| i["returningMemberIds"] = json!([gid(Kind::Sector, o.economy)]))).await;
    let old_term = app.admin(OPEN, with(&|i| i["fromTermId"] = json!(gid(Kind::Term, o.previous_term)))).await;
    let no_term = app.admin(OPEN, with(&|i| i["fromTermId"] = json!(gid(Kind::Term, 999)))).await;

    for (response, field) in [
        (&blank, "input.name"),
        (&early, "input.startDate"),
        (&reversed, "input.endDate"),
        (&not_serving, "input.returningMemberIds.1"),
        (&wrong_kind, "input.returningMemberIds.0"),
        (&no_term, "input.fromTermId"),
    ] {
        assert_eq!(error_code(response), "BAD_USER_INPUT", "{response}");
        assert_eq!(error_field(response), field, "{response}");
    }
    assert_eq!(error_code(&old_term), "CONFLICT");
    assert_eq!(term::Entity::find().all(&app.db).await.unwrap().len(), 2);
    assert!(seat::Entity::find().all(&app.db).await.unwrap().iter().all(|s| s.term_id == o.current_term));
    assert_eq!(audit_count(&app).await, 0);
}

/// Opens the next term over a roster of `n` fixture members; answers the statements it took.
async fn statements_for(n: usize) -> usize {
    let app = TestApp::new().await;
    let o = org(&app).await;
    members(&app, &o, n).await;
    let before = app.statements();
    app.ok(OPEN, input(&o, None, false)).await;
    app.statements() - before
}

#[actix_web::test]
async fn statement_count_of_open_next_term_does_not_depend_on_the_roster() {
    let few = statements_for(3).await;
    let many = statements_for(40).await;

    assert_eq!(few, many, "statements for 3 members: {few}, for 40: {many}");
}

/// Inserts `n` members seated in the current term, each in a committee and a studio, in bulk.
async fn bulk_roster(app: &TestApp, o: &Org, n: usize) {
    use sea_orm::ActiveValue::{NotSet, Set};
    let db = &app.db;
    let now = Utc::now();
    for chunk in (0..n).collect::<Vec<_>>().chunks(500) {
        let rows = chunk.iter().map(|i| member::ActiveModel {
            id: NotSet,
            name: Set(format!("委员{i:05}")),
            name_folded: Set(Some(format!("委员{i:05}"))),
            name_pinyin: Set(format!("weiyuan{i:05}")),
            name_initials: Set("wy".into()),
            gender: Set(None),
            ethnicity: Set(None),
            birth_date: Set(None),
            phone: Set(None),
            notes: Set(None),
            created_at: Set(now),
            updated_at: Set(now),
        });
        member::Entity::insert_many(rows).exec_without_returning(db).await.unwrap();
    }
    let ids: Vec<i64> = member::Entity::find().all(db).await.unwrap().into_iter().map(|m| m.id).collect();
    for chunk in ids.chunks(500) {
        let seats = chunk.iter().map(|&id| seat::ActiveModel {
            id: NotSet,
            member_id: Set(id),
            term_id: Set(o.current_term),
            member_number: Set(Some(format!("N{id}"))),
            sector_id: Set(Some(o.economy)),
            party: Set(Party::Cpc),
            standing_committee: Set(false),
            leadership_post: Set(None),
            employer: Set(None),
            status: Set(SeatStatus::Serving),
            start_date: Set(date(2021, 12, 20)),
            end_date: Set(None),
            status_reason: Set(None),
        });
        seat::Entity::insert_many(seats).exec_without_returning(db).await.unwrap();
        let committees = chunk.iter().map(|&id| committee_membership::ActiveModel {
            id: NotSet,
            member_id: Set(id),
            committee_id: Set(o.proposals_committee),
            role: Set(CommitteeRole::Member),
            start_date: Set(date(2022, 1, 5)),
            end_date: Set(None),
            voided_at: Set(None),
            voided_by: Set(None),
            void_reason: Set(None),
        });
        committee_membership::Entity::insert_many(committees).exec_without_returning(db).await.unwrap();
        let studios = chunk.iter().map(|&id| studio_assignment::ActiveModel {
            id: NotSet,
            member_id: Set(id),
            studio_id: Set(o.town_studio),
            role: Set(StudioRole::Member),
            start_date: Set(date(2022, 1, 5)),
            end_date: Set(None),
            voided_at: Set(None),
            voided_by: Set(None),
            void_reason: Set(None),
        });
        studio_assignment::Entity::insert_many(studios).exec_without_returning(db).await.unwrap();
    }
}

#[actix_web::test]
async fn ten_thousand_members_open_the_next_term_in_a_fixed_handful_of_statements() {
    let app = TestApp::new().await;
    let o = org(&app).await;
    bulk_roster(&app, &o, 10_000).await;
    let mut request = input(&o, None, false);
    request["input"]["carry"] = json!({ "committees": true, "studios": true });

    let (before, started) = (app.statements(), std::time::Instant::now());
    let data = app.ok(OPEN, request).await;
    let (statements, took) = (app.statements() - before, started.elapsed());

    let c = counts(&data["openNextTerm"]);
    assert_eq!((c["SEAT_ENDED"], c["SEAT_OPENED"]), (10_000, 10_000));
    assert_eq!((c["COMMITTEE_MEMBERSHIP_OPENED"], c["STUDIO_ASSIGNMENT_ENDED"]), (10_000, 10_000));
    // A guard against per-row work (tens of thousands of statements would take minutes), loose
    // enough for an unoptimised build on a busy machine.
    assert!(took.as_secs_f64() < 15.0, "openNextTerm over 10,000 members took {took:?}");
    assert!(statements < 40, "openNextTerm took {statements} statements");
    eprintln!("openNextTerm over 10,000 members: {took:?}, {statements} statements");
}
