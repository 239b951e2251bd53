//! Issue 6: every role against every query, mutation and subscription of the schema, as one table.
//!
//! Each row is an operation with a valid request built on a small fixture (an organisation,
//! two members, a handling unit, proposals in the states their transitions start from, two
//! public-opinion reports, activities and duty items of a committee, a studio's activity,
//! assessment runs, and an annual plan with an item led by the committee, one led by the office
//! and an activity linked to it) and the roles that may do it, taken from docs/roles.md (and the
//! per-feature "who" tables) and `src/auth/policy/`. `importMembers` is sent as a multipart
//! upload of a one-row roster. Every role gets a test of its own on a fresh fixture:
//!
//! - allowed: the response has no error at all, and a mutation (`login` and `logout` included)
//!   writes to the audit log;
//! - denied: `extensions.code` is FORBIDDEN (UNAUTHENTICATED for anonymous requests), or
//!   NOT_FOUND where the row says the record is hidden from the role, and a mutation leaves the
//!   audit log (so the data) as it was.
//!
//! Subscriptions are started as the WebSocket route starts them, with the role's actor: allowed,
//! the subscription listens for events; denied, its first answer is the error.
//!
//! A last test fails when the schema has a query, mutation or subscription the table does not
//! list.

use entity::organiser::Organiser;
use std::time::Duration;

use entity::{
    enums::{FeedbackRating, HandlingRole, PlanItemType, ResultClass, Role},
    member_assessment,
};
use futures_util::StreamExt;
use lvzhi::{
    account::service as accounts,
    assessment::service as assessments,
    auth::Actor,
    config::ApiConfig,
    events::Broker,
    loader::Loaders,
    organisation::service::{self as organisation, Placement},
    proposal::service::{self as proposals, Answer, Review, UnitAssignment},
    relay::Kind,
    schema,
};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::{Value, json};

use crate::{
    fixtures::{self, MemberSpec, date, gid, handling_unit, member, org},
    helpers::{PASSWORD, Scope, TestApp, error_code},
};

/// The roles of the table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Who {
    Admin,
    Office,
    /// COMMITTEE_STAFF of the committee that organises the fixture's activities.
    Committee,
    /// STUDIO_LEAD of the studio that organises the fixture's studio activity.
    Studio,
    /// HANDLING_UNIT of the unit the fixture's proposals are assigned to.
    Unit,
    /// MEMBER linked to the member who signed the fixture's proposals and reports.
    Member,
    Viewer,
    Anonymous,
    /// SECTOR_CONVENER of the sector that organises the fixture's sector activity (issue 20).
    Convener,
    /// GROUP_LEAD of the group that organises the fixture's group activity (issue 20).
    GroupLead,
}

use Who::{Admin, Anonymous, Committee, Convener, GroupLead, Member, Office, Studio, Unit, Viewer};

const EVERYONE: &[Who] = &[Admin, Office, Committee, Studio, Unit, Member, Viewer, Anonymous, Convener, GroupLead];
const SIGNED_IN: &[Who] = &[Admin, Office, Committee, Studio, Unit, Member, Viewer, Convener, GroupLead];
/// `policy::read_members`, `read_activities`, `read_opinion_reports`, duty records.
const READERS: &[Who] = &[Admin, Office, Committee, Studio, Member, Convener, GroupLead];
/// `policy::read_proposals` (scoped for members and units).
const PROPOSAL_READERS: &[Who] = &[Admin, Office, Committee, Studio, Unit, Member, Convener, GroupLead];
const OFFICE: &[Who] = &[Admin, Office];
/// `policy::submit_*` with the linked member as first proposer / author / the member.
const OFFICE_AND_OWN_MEMBER: &[Who] = &[Admin, Office, Member];
/// `policy::answer_proposal` for the unit the proposal is assigned to.
const OFFICE_AND_OWN_UNIT: &[Who] = &[Admin, Office, Unit];
/// `policy::record_for` a committee's record, by that committee's staff.
const OFFICE_AND_OWN_COMMITTEE: &[Who] = &[Admin, Office, Committee];
/// `policy::record_for` a studio's record, by that studio's lead.
const OFFICE_AND_OWN_STUDIO: &[Who] = &[Admin, Office, Studio];
/// `policy::record_for` a sector's record, by that sector's convener.
const OFFICE_AND_OWN_SECTOR: &[Who] = &[Admin, Office, Convener];
/// `policy::record_for` a group's record, by that group's lead.
const OFFICE_AND_OWN_GROUP: &[Who] = &[Admin, Office, GroupLead];
/// `policy::read_assessment_runs`: office staff every run, a VIEWER the published ones.
const RUN_READERS: &[Who] = &[Admin, Office, Viewer];
const NOBODY: &[Who] = &[];
const UNIT_ONLY: &[Who] = &[Unit];

/// The ids a request may name, as global IDs.
struct Fixture {
    username: &'static str,
    /// A VIEWER account for ADMIN's account rows to disable, enable and reset.
    spare: String,
    term: String,
    economy: String,
    committee: String,
    town: String,
    village_studio: String,
    town_studio: String,
    group: String,
    unit: String,
    /// The linked member (MEMBER's own); first proposer and author of everything.
    own: String,
    /// Another member, placed in the culture committee.
    other: String,
    membership: String,
    proposal_submitted: String,
    proposal_returned: String,
    proposal_accepted: String,
    proposal_to_refuse: String,
    proposal_to_answer: String,
    proposal_answered: String,
    proposal_dissatisfied: String,
    proposal_to_close: String,
    proposal_to_flag: String,
    proposal_to_convert: String,
    report_to_adopt: String,
    report_to_decline: String,
    activity: String,
    activity_to_update: String,
    activity_to_cancel: String,
    duty_item_to_confirm: String,
    duty_item_to_reject: String,
    rule_set: String,
    draft_run: String,
    confirmed_run: String,
    assessment: String,
    plan: String,
    /// A plan item led by the committee (COMMITTEE_STAFF's own), linked to no activity.
    committee_item: String,
    /// A plan item led by the office, linked to `activity`.
    office_item: String,
    /// Issue 17: a proposal of the linked member assigned to the unit, which refused it.
    proposal_refused: String,
    /// An activity organised by the economy sector (SECTOR_CONVENER's own).
    sector_activity: String,
    /// An activity organised by the reading group (GROUP_LEAD's own).
    group_activity: String,
    /// An open exit case of the linked member (issue 20).
    exit_case: String,
    /// A planned activity of the committee to which the linked member is invited, unmarked.
    planned: String,
    /// A pending request for leave of the linked member from another planned activity.
    leave_to_decide: String,
    /// Issue 20, corrections: a training session of the committee, two submitted reports of the
    /// linked member, a confirmed duty item, a draft run nobody touches and an unused rule set.
    training_to_update: String,
    report_to_update: String,
    report_to_withdraw: String,
    duty_item_to_reopen: String,
    /// A submitted duty item of the linked member, to correct.
    duty_item_to_update: String,
    run_to_discard: String,
    rule_set_to_delete: String,
}

fn ok<T>(result: lvzhi::error::AppResult<T>) -> T {
    result.map_err(|e| e.message()).expect("arranging the fixture succeeds")
}

/// Builds the fixture and an account of `who` (none for anonymous); returns its token.
async fn fixture(app: &TestApp, who: Who) -> (Fixture, Option<String>) {
    let (db, sys) = (&app.db, &Actor::System);
    let o = org(app).await;
    let spec = |name: &str, phone: &str| MemberSpec {
        phone: Some(phone.to_owned()),
        sector: Some(o.economy),
        committee: Some(o.proposals_committee),
        studio: Some(o.town_studio),
        ..MemberSpec::named(name)
    };
    let own = member(app, &o, spec("王芳", "13900000001")).await;
    let other = member(app, &o, MemberSpec { committee: None, studio: None, ..spec("李强", "13900000002") }).await;
    let membership = ok(organisation::assign_committee(
        db,
        sys,
        Placement {
            member_id: other,
            target_id: o.culture_committee,
            role: entity::enums::CommitteeRole::Member,
            start_date: date(2022, 1, 5),
        },
    )
    .await);
    let group = ok(organisation::create_group(db, sys, "读书小组", entity::enums::GroupKind::ReadingGroup, None).await);
    let unit = handling_unit(app, "市教育局").await;

    // Proposals, each in the state its transition starts from.
    let sole = || vec![UnitAssignment { handling_unit_id: unit, role: HandlingRole::Sole }];
    let answer = || Answer {
        handling_unit_id: Some(unit),
        result_class: ResultClass::A,
        met_proposer: true,
        answered_on: None,
        summary: None,
    };
    let new = |title: &'static str| fixtures::proposal(app, own, title);
    let submitted = new("待审查").await;
    let returned = new("退回修改").await;
    ok(proposals::review(db, sys, returned, Review::Return, None).await);
    let mut accepted = Vec::new();
    for title in ["待交办", "待退回", "待答复", "已答复", "不满意", "待办结", "待标记"] {
        let id = new(title).await;
        ok(proposals::review(db, sys, id, Review::Accept, None).await);
        accepted.push(id);
    }
    for &id in &accepted[1..6] {
        ok(proposals::assign(db, sys, id, sole(), None, None).await);
    }
    for &id in &accepted[3..6] {
        ok(proposals::answer(db, sys, id, answer()).await);
    }
    ok(proposals::record_feedback(db, sys, accepted[4], FeedbackRating::Dissatisfied, None).await);
    let to_convert = new("待转社情民意").await;
    let refused = new("已申请调整").await;
    ok(proposals::review(db, sys, refused, Review::Accept, None).await);
    ok(proposals::assign(db, sys, refused, sole(), None, None).await);
    ok(proposals::refuse_assignment(db, sys, refused, Some(unit), "不属于本单位职责".into()).await);

    // Public-opinion reports.
    let report = |title: &str| lvzhi::opinion::service::NewOpinionReport {
        authors: vec![proposals::NewSigner { member_id: own, role: entity::enums::SignerRole::First }],
        title: title.to_owned(),
        body: "正文".to_owned(),
        submitted_on: Some(date(2024, 5, 6)),
    };
    let to_adopt = ok(lvzhi::opinion::service::submit(db, sys, report("待采用")).await).report.id;
    let to_decline = ok(lvzhi::opinion::service::submit(db, sys, report("不采用")).await).report.id;
    let to_update = ok(lvzhi::opinion::service::submit(db, sys, report("待修改")).await).report.id;
    let to_withdraw = ok(lvzhi::opinion::service::submit(db, sys, report("待撤回")).await).report.id;

    // Activities organised by the committee, and duty items of the linked member.
    let committee_activity = |title: &str| lvzhi::activity::service::NewActivity {
        title: title.to_owned(),
        kind: entity::enums::ActivityKind::Consultation,
        subkind: None,
        organiser: Organiser::Committee(o.proposals_committee),
        start_date: date(2024, 4, 1),
        end_date: None,
        location: None,
        status: entity::enums::ActivityStatus::Done,
        compulsory: false,
        issues_solved: None,
        people_served: None,
        donations: None,
        description: None,
        participants: vec![lvzhi::activity::service::NewParticipant {
            member_id: own,
            attendance: entity::enums::Attendance::Present,
            role: entity::enums::ParticipationRole::Participant,
            note: None,
            invited: None,
        }],
    };
    let events = lvzhi::events::Broker::new();
    let mut activities = Vec::new();
    for title in ["协商会", "待修改", "待取消"] {
        activities.push(ok(lvzhi::activity::service::record(db, sys, &events, committee_activity(title)).await).id);
    }
    let organised_by =
        |organiser, title: &str| lvzhi::activity::service::NewActivity { organiser, ..committee_activity(title) };
    let sector_activity =
        ok(lvzhi::activity::service::record(db, sys, &events, organised_by(Organiser::Sector(o.economy), "界别协商"))
            .await)
        .id;
    let group_activity =
        ok(lvzhi::activity::service::record(db, sys, &events, organised_by(Organiser::Group(group.id), "读书会"))
            .await)
        .id;
    // Planned activities of the committee (the linked member invited, unmarked) and a pending
    // request for leave from one of them.
    let planned = |title: &str| lvzhi::activity::service::NewActivity {
        start_date: date(2099, 5, 1),
        status: entity::enums::ActivityStatus::Planned,
        participants: Vec::new(),
        ..committee_activity(title)
    };
    let to_ask = ok(lvzhi::activity::service::record(db, sys, &events, planned("待请假")).await).id;
    let asked = ok(lvzhi::activity::service::record(db, sys, &events, planned("已请假")).await).id;
    let settings = lvzhi::config::AttendanceConfig::default();
    let leave_to_decide =
        ok(lvzhi::activity::service::leave::request(db, sys, &settings, asked, Some(own), "出差").await).id;
    let item = |title: &str| lvzhi::duty::service::NewDutyItem {
        member_id: Some(own),
        kind: entity::enums::DutyItemKind::Speech,
        title: title.to_owned(),
        date: date(2024, 3, 1),
        evidence: None,
        suggestions: 1,
    };
    let mut items = Vec::new();
    for title in ["待确认", "待退回", "待重审", "待修改"] {
        items.push(ok(lvzhi::duty::service::submit(db, sys, item(title)).await).id);
    }
    ok(lvzhi::duty::service::review(db, sys, items[2], true, None).await);
    let training = ok(lvzhi::training::service::record(
        db,
        sys,
        lvzhi::training::service::NewSession {
            title: "专委会学习".to_owned(),
            kind: entity::enums::TrainingKind::Forum,
            organiser: Organiser::Committee(o.proposals_committee),
            start_date: date(2024, 3, 1),
            end_date: None,
            location: None,
            credit_hours: 2.into(),
            attendees: vec![lvzhi::training::service::NewAttendee { member_id: own, hours: 2.into(), completed: true }],
        },
    )
    .await)
    .id;

    // Assessment: a draft run (adjusted, then confirmed) and a confirmed run (published).
    let rules = ok(assessments::load_preset(db, sys, "tongcheng", None, None).await).id;
    let other_rules = ok(assessments::load_preset(db, sys, "tongcheng", None, None).await).id;
    let draft = ok(assessments::run(db, sys, rules, 2024).await).id;
    let confirmed = ok(assessments::run(db, sys, other_rules, 2024).await).id;
    let discard_rules = ok(assessments::load_preset(db, sys, "tongcheng", None, None).await).id;
    let to_discard = ok(assessments::run(db, sys, discard_rules, 2024).await).id;
    let to_delete = ok(assessments::load_preset(db, sys, "jinan", None, None).await).id;
    ok(assessments::confirm(db, sys, confirmed).await);
    let result = member_assessment::Entity::find()
        .filter(member_assessment::Column::RunId.eq(draft))
        .one(db)
        .await
        .unwrap()
        .expect("the draft run scored a member");

    // The annual plan: an item the committee leads, and one the office leads with an activity.
    let plan = fixtures::plan(app, 2024).await;
    let committee_item =
        fixtures::plan_item(app, plan, PlanItemType::Research, Some(o.proposals_committee), date(2024, 9, 30)).await;
    let office_item = fixtures::plan_item(app, plan, PlanItemType::Inspection, None, date(2024, 4, 30)).await;
    ok(lvzhi::plan::service::link_activity(db, sys, office_item, activities[0]).await);

    // An exit case of the linked member, opened by hand.
    let exit_case = ok(lvzhi::exit::service::open(
        db,
        sys,
        lvzhi::exit::service::NewExitCase {
            origin: lvzhi::exit::service::Origin::Member(own),
            reason: Some("连续缺席常委会议".to_owned()),
            opened_on: Some(date(2024, 3, 1)),
        },
    )
    .await)
    .id;

    let (username, role, scope) = match who {
        // An admin of its own: its logout must not end the session `audit_count` uses.
        Admin => ("root", Some(Role::Admin), Scope::None),
        Office => ("office", Some(Role::Office), Scope::None),
        Committee => ("committee", Some(Role::CommitteeStaff), Scope::Committee(o.proposals_committee)),
        Studio => ("studio", Some(Role::StudioLead), Scope::Studio(o.town_studio)),
        Unit => ("unit", Some(Role::HandlingUnit), Scope::HandlingUnit(unit)),
        Member => ("member", Some(Role::Member), Scope::Member(own)),
        Viewer => ("viewer", Some(Role::Viewer), Scope::None),
        Anonymous => ("admin", None, Scope::None),
        Convener => ("convener", Some(Role::SectorConvener), Scope::Sector(o.economy)),
        GroupLead => ("grouplead", Some(Role::GroupLead), Scope::Group(group.id)),
    };
    let token = match role {
        Some(role) => Some(app.account(username, role, scope).await),
        None => None,
    };
    let spare = accounts::NewAccount {
        username: "spare".into(),
        password: PASSWORD.into(),
        role: Role::Viewer,
        member_id: None,
        committee_id: None,
        studio_id: None,
        handling_unit_id: None,
        sector_id: None,
        group_id: None,
    };
    let spare = ok(accounts::create_account(db, sys, spare).await).id;
    let fx = Fixture {
        username,
        spare: gid(Kind::Account, spare),
        term: gid(Kind::Term, o.current_term),
        economy: gid(Kind::Sector, o.economy),
        committee: gid(Kind::SpecialCommittee, o.proposals_committee),
        town: gid(Kind::Region, o.town),
        village_studio: gid(Kind::Studio, o.village_studio),
        town_studio: gid(Kind::Studio, o.town_studio),
        group: gid(Kind::Group, group.id),
        unit: gid(Kind::HandlingUnit, unit),
        own: gid(Kind::Member, own),
        other: gid(Kind::Member, other),
        membership: gid(Kind::CommitteeMembership, membership.id),
        proposal_submitted: gid(Kind::Proposal, submitted),
        proposal_returned: gid(Kind::Proposal, returned),
        proposal_accepted: gid(Kind::Proposal, accepted[0]),
        proposal_to_refuse: gid(Kind::Proposal, accepted[1]),
        proposal_to_answer: gid(Kind::Proposal, accepted[2]),
        proposal_answered: gid(Kind::Proposal, accepted[3]),
        proposal_dissatisfied: gid(Kind::Proposal, accepted[4]),
        proposal_to_close: gid(Kind::Proposal, accepted[5]),
        proposal_to_flag: gid(Kind::Proposal, accepted[6]),
        proposal_to_convert: gid(Kind::Proposal, to_convert),
        report_to_adopt: gid(Kind::OpinionReport, to_adopt),
        report_to_decline: gid(Kind::OpinionReport, to_decline),
        activity: gid(Kind::Activity, activities[0]),
        activity_to_update: gid(Kind::Activity, activities[1]),
        activity_to_cancel: gid(Kind::Activity, activities[2]),
        duty_item_to_confirm: gid(Kind::DutyItem, items[0]),
        duty_item_to_reject: gid(Kind::DutyItem, items[1]),
        rule_set: gid(Kind::RuleSet, rules),
        draft_run: gid(Kind::AssessmentRun, draft),
        confirmed_run: gid(Kind::AssessmentRun, confirmed),
        assessment: gid(Kind::MemberAssessment, result.id),
        plan: gid(Kind::Plan, plan),
        committee_item: gid(Kind::PlanItem, committee_item),
        office_item: gid(Kind::PlanItem, office_item),
        proposal_refused: gid(Kind::Proposal, refused),
        sector_activity: gid(Kind::Activity, sector_activity),
        group_activity: gid(Kind::Activity, group_activity),
        exit_case: gid(Kind::ExitCase, exit_case),
        planned: gid(Kind::Activity, to_ask),
        leave_to_decide: gid(Kind::LeaveRequest, leave_to_decide),
        training_to_update: gid(Kind::TrainingSession, training),
        report_to_update: gid(Kind::OpinionReport, to_update),
        report_to_withdraw: gid(Kind::OpinionReport, to_withdraw),
        duty_item_to_reopen: gid(Kind::DutyItem, items[2]),
        duty_item_to_update: gid(Kind::DutyItem, items[3]),
        run_to_discard: gid(Kind::AssessmentRun, to_discard),
        rule_set_to_delete: gid(Kind::RuleSet, to_delete),
    };
    (fx, token)
}

/// A file a request uploads (a GraphQL multipart request).
struct Upload {
    /// Where the file goes in the variables, e.g. `variables.input.file`.
    path: &'static str,
    file_name: &'static str,
    bytes: &'static [u8],
}

/// One row of the table: an operation (`name@variant` when a second request of it is listed),
/// its request (and the file it uploads, if any), the roles that may do it and the roles from
/// whom its record is hidden (NOT_FOUND rather than FORBIDDEN).
struct Case {
    op: &'static str,
    query: &'static str,
    variables: fn(&Fixture) -> Value,
    upload: Option<Upload>,
    allowed: &'static [Who],
    hidden: &'static [Who],
}

const fn case(
    op: &'static str,
    query: &'static str,
    variables: fn(&Fixture) -> Value,
    allowed: &'static [Who],
) -> Case {
    Case { op, query, variables, upload: None, allowed, hidden: NOBODY }
}

fn none(_: &Fixture) -> Value {
    json!({})
}

/// The table, in the order it is run (logout last: it ends the session).
const TABLE: &[Case] = &[
    // ----- queries -----
    case("viewer", "{ viewer { username } }", none, EVERYONE),
    case("node", "query($id: ID!) { node(id: $id) { id } }", |f| json!({ "id": f.other }), READERS),
    case("auditLog", "{ auditLog(first: 1) { totalCount } }", none, OFFICE),
    case("terms", "{ terms { name } }", none, SIGNED_IN),
    case("sectors", "{ sectors { name } }", none, SIGNED_IN),
    case("specialCommittees", "{ specialCommittees { name } }", none, SIGNED_IN),
    case("regions", "{ regions { name } }", none, SIGNED_IN),
    case("studios", "{ studios { totalCount } }", none, SIGNED_IN),
    case("groups", "{ groups { name } }", none, SIGNED_IN),
    case("handlingUnits", "{ handlingUnits { name } }", none, SIGNED_IN),
    case("members", "{ members { totalCount } }", none, READERS),
    case("member", "query($id: ID!) { member(id: $id) { name } }", |f| json!({ "id": f.other }), READERS),
    case("proposals", "{ proposals { totalCount } }", none, PROPOSAL_READERS),
    case(
        "proposal",
        "query($id: ID!) { proposal(id: $id) { title } }",
        |f| json!({ "id": f.proposal_answered }),
        PROPOSAL_READERS,
    ),
    case("proposalStatistics", "{ proposalStatistics(year: 2024) { submitted } }", none, SIGNED_IN),
    case("proposalResultClasses", "{ proposalResultClasses { label } }", none, SIGNED_IN),
    case("opinionReports", "{ opinionReports { totalCount } }", none, READERS),
    case(
        "opinionReport",
        "query($id: ID!) { opinionReport(id: $id) { title } }",
        |f| json!({ "id": f.report_to_adopt }),
        READERS,
    ),
    case("activities", "{ activities { totalCount } }", none, READERS),
    case("activity", "query($id: ID!) { activity(id: $id) { title } }", |f| json!({ "id": f.activity }), READERS),
    case("trainingSessions", "{ trainingSessions { totalCount } }", none, READERS),
    case("dutyItems", "{ dutyItems { totalCount } }", none, READERS),
    case("yearInReview", "{ yearInReview(year: 2024) { members } }", none, SIGNED_IN),
    case("ruleSets", "{ ruleSets { name } }", none, SIGNED_IN),
    // Issue 19: a VIEWER finds published runs (their aggregates); the draft reads as null.
    case(
        "assessmentRun",
        "query($id: ID!) { assessmentRun(id: $id) { year } }",
        |f| json!({ "id": f.draft_run }),
        RUN_READERS,
    ),
    case("assessmentRuns", "{ assessmentRuns { year } }", none, RUN_READERS),
    case("assessments", "{ assessments(year: 2024) { totalCount } }", none, OFFICE),
    case("plans", "{ plans(year: 2024) { title } }", none, SIGNED_IN),
    case("plan", "query($id: ID!) { plan(id: $id) { title } }", |f| json!({ "id": f.plan }), SIGNED_IN),
    case(
        "planItem",
        "query($id: ID!) { planItem(id: $id) { title } }",
        |f| json!({ "id": f.committee_item }),
        SIGNED_IN,
    ),
    // ----- subscriptions: the same right as the reads of the same data -----
    case("activityRecorded", "subscription { activityRecorded { title } }", none, READERS),
    case(
        "proposalChanged",
        "subscription($id: ID!) { proposalChanged(id: $id) { status } }",
        |f| json!({ "id": f.proposal_answered }),
        PROPOSAL_READERS,
    ),
    case(
        "assessmentRunChanged",
        "subscription($id: ID!) { assessmentRunChanged(runId: $id) { status } }",
        |f| json!({ "id": f.draft_run }),
        OFFICE,
    ),
    // ----- mutations: accounts and the organisation -----
    case(
        "login",
        "mutation($u: String!, $p: String!) { login(input: { username: $u, password: $p }) { token } }",
        |f| json!({ "u": f.username, "p": PASSWORD }),
        EVERYONE,
    ),
    case(
        "createAccount",
        "mutation($p: String!) { createAccount(input: { username: \"new-viewer\", password: $p, role: VIEWER }) { account { username } } }",
        |_| json!({ "p": PASSWORD }),
        &[Admin],
    ),
    case(
        "disableAccount",
        "mutation($id: ID!) { disableAccount(input: { id: $id }) { account { disabled } } }",
        |f| json!({ "id": f.spare }),
        &[Admin],
    ),
    case(
        "enableAccount",
        "mutation($id: ID!) { enableAccount(input: { id: $id }) { account { disabled } } }",
        |f| json!({ "id": f.spare }),
        &[Admin],
    ),
    case(
        "resetPassword",
        "mutation($id: ID!) { resetPassword(input: { id: $id, newPassword: \"another horse battery\" }) { account { username } } }",
        |f| json!({ "id": f.spare }),
        &[Admin],
    ),
    case(
        "createTerm",
        "mutation { createTerm(input: { number: 11, name: \"第十一届\", startDate: \"2027-01-01\", endDate: \"2031-12-31\" }) { term { name } } }",
        none,
        OFFICE,
    ),
    case("createSector", "mutation { createSector(input: { name: \"农业界\" }) { sector { name } } }", none, OFFICE),
    case(
        "createSpecialCommittee",
        "mutation { createSpecialCommittee(input: { name: \"经济委员会\" }) { specialCommittee { name } } }",
        none,
        OFFICE,
    ),
    case(
        "createRegion",
        "mutation { createRegion(input: { name: \"东城街道\", level: STREET }) { region { name } } }",
        none,
        OFFICE,
    ),
    case(
        "createStudio",
        "mutation($r: ID!) { createStudio(input: { name: \"城关二号工作室\", kind: TOWN, regionId: $r }) { studio { name } } }",
        |f| json!({ "r": f.town }),
        OFFICE,
    ),
    case(
        "createGroup",
        "mutation { createGroup(input: { name: \"志愿服务队\", kind: SERVICE_TEAM }) { group { name } } }",
        none,
        OFFICE,
    ),
    case(
        "createHandlingUnit",
        "mutation { createHandlingUnit(input: { name: \"市财政局\" }) { handlingUnit { name } } }",
        none,
        OFFICE,
    ),
    case(
        "assignCommittee",
        "mutation($m: ID!, $c: ID!) { assignCommittee(input: { memberId: $m, specialCommitteeId: $c, startDate: \"2023-01-01\" }) { committeeMembership { id } } }",
        |f| json!({ "m": f.other, "c": f.committee }),
        OFFICE,
    ),
    case(
        "assignStudio",
        "mutation($m: ID!, $s: ID!) { assignStudio(input: { memberId: $m, studioId: $s, startDate: \"2023-01-01\" }) { studioAssignment { id } } }",
        |f| json!({ "m": f.other, "s": f.village_studio }),
        OFFICE,
    ),
    case(
        "assignGroup",
        "mutation($m: ID!, $g: ID!) { assignGroup(input: { memberId: $m, groupId: $g, startDate: \"2023-01-01\" }) { groupMembership { id } } }",
        |f| json!({ "m": f.other, "g": f.group }),
        OFFICE,
    ),
    case(
        "appointConvener",
        "mutation($m: ID!, $s: ID!) { appointConvener(input: { memberId: $m, sectorId: $s, startDate: \"2023-01-01\" }) { sectorConvenership { id } } }",
        |f| json!({ "m": f.other, "s": f.economy }),
        OFFICE,
    ),
    case(
        "endAssignment",
        "mutation($id: ID!) { endAssignment(input: { id: $id, endDate: \"2024-06-30\" }) { assignment { __typename } } }",
        |f| json!({ "id": f.membership }),
        OFFICE,
    ),
    case(
        "createMember",
        "mutation($t: ID!) { createMember(input: { name: \"赵敏\", seat: { termId: $t, party: CPC } }) { member { name } } }",
        |f| json!({ "t": f.term }),
        OFFICE,
    ),
    case(
        "updateMember",
        "mutation($id: ID!) { updateMember(input: { id: $id, name: \"李强强\" }) { member { name } } }",
        |f| json!({ "id": f.other }),
        OFFICE,
    ),
    // ----- proposals -----
    case(
        "submitProposal",
        "mutation($m: ID!) { submitProposal(input: { year: 2024, kind: REGULAR, proposerType: INDIVIDUAL, signers: [{ memberId: $m, role: FIRST }], title: \"关于社区养老的建议\", suggestions: \"建议\" }) { proposal { id } } }",
        |f| json!({ "m": f.own }),
        OFFICE_AND_OWN_MEMBER,
    ),
    Case {
        op: "resubmitProposal",
        query: "mutation($id: ID!) { resubmitProposal(input: { id: $id, title: \"修改后的案由\" }) { proposal { status } } }",
        variables: |f| json!({ "id": f.proposal_returned }),
        upload: None,
        allowed: OFFICE_AND_OWN_MEMBER,
        // The proposal is not assigned to the unit, so the unit cannot see it.
        hidden: UNIT_ONLY,
    },
    case(
        "reviewProposal",
        "mutation($id: ID!) { reviewProposal(input: { id: $id, decision: ACCEPT }) { proposal { status } } }",
        |f| json!({ "id": f.proposal_submitted }),
        OFFICE,
    ),
    case(
        "assignProposal",
        "mutation($id: ID!, $u: ID!) { assignProposal(input: { id: $id, units: [{ handlingUnitId: $u, role: SOLE }] }) { proposal { status } } }",
        |f| json!({ "id": f.proposal_accepted, "u": f.unit }),
        OFFICE,
    ),
    case(
        "refuseProposalAssignment",
        "mutation($id: ID!, $u: ID!) { refuseProposalAssignment(input: { id: $id, handlingUnitId: $u, reason: \"不属于本单位职责\" }) { proposal { status } } }",
        |f| json!({ "id": f.proposal_to_refuse, "u": f.unit }),
        OFFICE_AND_OWN_UNIT,
    ),
    case(
        "answerProposal",
        "mutation($id: ID!, $u: ID!) { answerProposal(input: { id: $id, handlingUnitId: $u, resultClass: A, metProposer: true }) { proposal { status } } }",
        |f| json!({ "id": f.proposal_to_answer, "u": f.unit }),
        OFFICE_AND_OWN_UNIT,
    ),
    case(
        "recordProposalFeedback",
        "mutation($id: ID!) { recordProposalFeedback(input: { id: $id, rating: SATISFIED }) { proposal { status } } }",
        |f| json!({ "id": f.proposal_answered }),
        OFFICE_AND_OWN_MEMBER,
    ),
    case(
        "reopenProposal",
        "mutation($id: ID!) { reopenProposal(input: { id: $id }) { proposal { status } } }",
        |f| json!({ "id": f.proposal_dissatisfied }),
        OFFICE,
    ),
    case(
        "closeProposal",
        "mutation($id: ID!) { closeProposal(input: { id: $id }) { proposal { status } } }",
        |f| json!({ "id": f.proposal_to_close }),
        OFFICE,
    ),
    case(
        "flagProposal",
        "mutation($id: ID!) { flagProposal(input: { id: $id, keyProposal: true, supervisingLeader: \"张副主席\" }) { proposal { keyProposal } } }",
        |f| json!({ "id": f.proposal_to_flag }),
        OFFICE,
    ),
    case(
        "convertProposalToOpinionReport",
        "mutation($id: ID!) { convertProposalToOpinionReport(input: { id: $id }) { proposal { status } } }",
        |f| json!({ "id": f.proposal_to_convert }),
        OFFICE,
    ),
    case(
        "setProposalResultClassLabel",
        "mutation { setProposalResultClassLabel(input: { resultClass: A, label: \"已解决\" }) { resultClasses { label } } }",
        none,
        OFFICE,
    ),
    // ----- public-opinion reports -----
    case(
        "submitOpinionReport",
        "mutation($m: ID!) { submitOpinionReport(input: { authors: [{ memberId: $m, role: FIRST }], title: \"关于充电安全的建议\", body: \"正文\" }) { opinionReport { id } } }",
        |f| json!({ "m": f.own }),
        OFFICE_AND_OWN_MEMBER,
    ),
    case(
        "recordOpinionAdoption",
        "mutation($id: ID!) { recordOpinionAdoption(input: { id: $id, level: CITY }) { opinionReport { status } } }",
        |f| json!({ "id": f.report_to_adopt }),
        OFFICE,
    ),
    case(
        "markOpinionReportNotAdopted",
        "mutation($id: ID!) { markOpinionReportNotAdopted(input: { id: $id }) { opinionReport { status } } }",
        |f| json!({ "id": f.report_to_decline }),
        OFFICE,
    ),
    // ----- duty records -----
    case(
        "recordActivity@committee",
        "mutation($o: ID!, $m: ID!) { recordActivity(input: { title: \"专题协商会\", kind: CONSULTATION, organiserId: $o, startDate: \"2024-05-10\", participants: [{ memberId: $m }] }) { activity { id } } }",
        |f| json!({ "o": f.committee, "m": f.own }),
        OFFICE_AND_OWN_COMMITTEE,
    ),
    case(
        "recordActivity@studio",
        "mutation($o: ID!, $m: ID!) { recordActivity(input: { title: \"民生议事堂\", kind: CONSULTATION, organiserId: $o, startDate: \"2024-05-11\", participants: [{ memberId: $m }] }) { activity { id } } }",
        |f| json!({ "o": f.town_studio, "m": f.own }),
        OFFICE_AND_OWN_STUDIO,
    ),
    case(
        "setAttendance",
        "mutation($a: ID!, $m: ID!) { setAttendance(input: { activityId: $a, participants: [{ memberId: $m, attendance: EXCUSED }] }) { activity { id } } }",
        |f| json!({ "a": f.activity, "m": f.other }),
        OFFICE_AND_OWN_COMMITTEE,
    ),
    case(
        "updateActivity",
        "mutation($id: ID!) { updateActivity(input: { id: $id, title: \"修改后的标题\" }) { activity { title } } }",
        |f| json!({ "id": f.activity_to_update }),
        OFFICE_AND_OWN_COMMITTEE,
    ),
    case(
        "cancelActivity",
        "mutation($id: ID!) { cancelActivity(input: { id: $id, reason: \"天气原因\" }) { activity { status } } }",
        |f| json!({ "id": f.activity_to_cancel }),
        OFFICE_AND_OWN_COMMITTEE,
    ),
    case(
        "recordTrainingSession",
        "mutation($o: ID!, $m: ID!) { recordTrainingSession(input: { title: \"履职能力培训班\", kind: CLASS, organiserId: $o, startDate: \"2024-06-01\", creditHours: \"2\", attendees: [{ memberId: $m, hours: \"2\" }] }) { trainingSession { id } } }",
        |f| json!({ "o": f.committee, "m": f.own }),
        OFFICE_AND_OWN_COMMITTEE,
    ),
    case(
        "submitDutyItem",
        "mutation($m: ID!) { submitDutyItem(input: { memberId: $m, kind: ARTICLE, title: \"关于乡村振兴的文章\", date: \"2024-04-01\" }) { dutyItem { id } } }",
        |f| json!({ "m": f.own }),
        OFFICE_AND_OWN_MEMBER,
    ),
    case(
        "confirmDutyItem",
        "mutation($id: ID!) { confirmDutyItem(input: { id: $id }) { dutyItem { status } } }",
        |f| json!({ "id": f.duty_item_to_confirm }),
        OFFICE,
    ),
    case(
        "rejectDutyItem",
        "mutation($id: ID!) { rejectDutyItem(input: { id: $id, reason: \"材料不全\" }) { dutyItem { status } } }",
        |f| json!({ "id": f.duty_item_to_reject }),
        OFFICE,
    ),
    // ----- assessment -----
    case(
        "createRuleSet",
        "mutation { createRuleSet(input: { name: \"合肥模板\", scale: CAPPED, maxPoints: \"100\", categories: [{ code: \"M\", label: \"会议\" }], rules: [{ code: \"a\", label: \"出席\", category: \"M\", source: ACTIVITY, activityKinds: [PLENARY_SESSION], points: \"5\" }], grades: [{ grade: COMPETENT, minPoints: \"60\" }, { grade: INCOMPETENT, minPoints: \"0\" }] }) { ruleSet { id } } }",
        none,
        OFFICE,
    ),
    case(
        "adjustAssessment",
        "mutation($id: ID!) { adjustAssessment(input: { memberAssessmentId: $id, points: \"2\", reason: \"获市级表彰\" }) { memberAssessment { total } } }",
        |f| json!({ "id": f.assessment }),
        OFFICE,
    ),
    case(
        "runAssessment",
        "mutation($r: ID!) { runAssessment(input: { ruleSetId: $r, year: 2023 }) { assessmentRun { id } } }",
        |f| json!({ "r": f.rule_set }),
        OFFICE,
    ),
    case(
        "confirmAssessmentRun",
        "mutation($id: ID!) { confirmAssessmentRun(input: { id: $id }) { assessmentRun { status } } }",
        |f| json!({ "id": f.draft_run }),
        OFFICE,
    ),
    case(
        "publishAssessmentRun",
        "mutation($id: ID!) { publishAssessmentRun(input: { id: $id }) { assessmentRun { status } } }",
        |f| json!({ "id": f.confirmed_run }),
        OFFICE,
    ),
    // ----- annual plans, personal targets and the roster -----
    case(
        "createPlan",
        "mutation { createPlan(input: { year: 2025, title: \"2025年度协商工作计划\" }) { plan { id } } }",
        none,
        OFFICE,
    ),
    case(
        "addPlanItem",
        "mutation($p: ID!) { addPlanItem(input: { planId: $p, type: RESEARCH, area: \"社会建设\", title: \"社区养老服务调研\", targetDate: \"2024-10-31\" }) { planItem { id } } }",
        |f| json!({ "p": f.plan }),
        OFFICE,
    ),
    case(
        "updatePlanItem",
        "mutation($id: ID!) { updatePlanItem(input: { id: $id, status: IN_PROGRESS }) { planItem { status } } }",
        |f| json!({ "id": f.committee_item }),
        OFFICE,
    ),
    case(
        "recordPlanStage@committee",
        "mutation($id: ID!) { recordPlanStage(input: { planItemId: $id, stage: PROGRESS, text: \"已完成调研走访\", recordedOn: \"2024-06-01\" }) { planItem { id } } }",
        |f| json!({ "id": f.committee_item }),
        OFFICE_AND_OWN_COMMITTEE,
    ),
    case(
        "recordPlanStage@office",
        "mutation($id: ID!) { recordPlanStage(input: { planItemId: $id, stage: RESULT, text: \"形成视察报告\", recordedOn: \"2024-04-20\" }) { planItem { id } } }",
        |f| json!({ "id": f.office_item }),
        OFFICE,
    ),
    case(
        "linkPlanActivity",
        "mutation($i: ID!, $a: ID!) { linkPlanActivity(input: { planItemId: $i, activityId: $a }) { planItem { activityCount } } }",
        |f| json!({ "i": f.committee_item, "a": f.activity }),
        OFFICE,
    ),
    case(
        "unlinkPlanActivity",
        "mutation($i: ID!, $a: ID!) { unlinkPlanActivity(input: { planItemId: $i, activityId: $a }) { planItem { activityCount } } }",
        |f| json!({ "i": f.office_item, "a": f.activity }),
        OFFICE,
    ),
    case(
        "setMemberTargets",
        "mutation($m: ID!) { setMemberTargets(input: { memberId: $m, year: 2024, targets: [{ kind: PROPOSALS, value: \"2\" }] }) { targets { kind } } }",
        |f| json!({ "m": f.own }),
        OFFICE,
    ),
    Case {
        op: "importMembers",
        query: "mutation($input: ImportMembersInput!) { importMembers(input: $input) { created applied } }",
        variables: |f| json!({ "input": { "file": null, "termId": f.term } }),
        upload: Some(Upload {
            path: "variables.input.file",
            file_name: "名册.csv",
            bytes: "姓名,性别,党派\r\n孙丽,女,民进\r\n".as_bytes(),
        }),
        allowed: OFFICE,
        hidden: NOBODY,
    },
    // ----- issue 17: scope leaks -----
    // Filtering activities or training sessions by a member reads that member's duty record:
    // a member may name only themself.
    case(
        "activities@ownMember",
        "query($m: ID!) { activities(filter: { memberId: $m }) { totalCount } }",
        |f| json!({ "m": f.own }),
        READERS,
    ),
    case(
        "activities@otherMember",
        "query($m: ID!) { activities(filter: { memberId: $m }) { totalCount } }",
        |f| json!({ "m": f.other }),
        &[Admin, Office, Committee, Studio, Convener, GroupLead],
    ),
    case(
        "trainingSessions@ownMember",
        "query($m: ID!) { trainingSessions(filter: { memberId: $m }) { totalCount } }",
        |f| json!({ "m": f.own }),
        READERS,
    ),
    case(
        "trainingSessions@otherMember",
        "query($m: ID!) { trainingSessions(filter: { memberId: $m }) { totalCount } }",
        |f| json!({ "m": f.other }),
        &[Admin, Office, Committee, Studio, Convener, GroupLead],
    ),
    // A unit that refused its assignment no longer reads the proposal.
    Case {
        op: "proposalChanged@refusedByTheUnit",
        query: "subscription($id: ID!) { proposalChanged(id: $id) { status } }",
        variables: |f| json!({ "id": f.proposal_refused }),
        upload: None,
        allowed: &[Admin, Office, Committee, Studio, Member, Convener, GroupLead],
        hidden: UNIT_ONLY,
    },
    // ----- issue 20: accounts at scale; sector conveners and group leads record their own -----
    case("createMemberAccounts", "mutation { createMemberAccounts { created download { url } } }", none, &[Admin]),
    case(
        "recordActivity@sector",
        "mutation($o: ID!, $m: ID!) { recordActivity(input: { title: \"界别协商会\", kind: CONSULTATION, organiserId: $o, startDate: \"2024-05-12\", participants: [{ memberId: $m }] }) { activity { id } } }",
        |f| json!({ "o": f.economy, "m": f.own }),
        OFFICE_AND_OWN_SECTOR,
    ),
    case(
        "recordActivity@group",
        "mutation($o: ID!, $m: ID!) { recordActivity(input: { title: \"读书分享会\", kind: READING, organiserId: $o, startDate: \"2024-05-13\", participants: [{ memberId: $m }] }) { activity { id } } }",
        |f| json!({ "o": f.group, "m": f.own }),
        OFFICE_AND_OWN_GROUP,
    ),
    case(
        "setAttendance@sector",
        "mutation($a: ID!, $m: ID!) { setAttendance(input: { activityId: $a, participants: [{ memberId: $m, attendance: EXCUSED }] }) { activity { id } } }",
        |f| json!({ "a": f.sector_activity, "m": f.other }),
        OFFICE_AND_OWN_SECTOR,
    ),
    case(
        "setAttendance@group",
        "mutation($a: ID!, $m: ID!) { setAttendance(input: { activityId: $a, participants: [{ memberId: $m, attendance: LATE }] }) { activity { id } } }",
        |f| json!({ "a": f.group_activity, "m": f.other }),
        OFFICE_AND_OWN_GROUP,
    ),
    // ----- issue 20: exit cases (委员退出) and 换届 -----
    case("exitCases", "{ exitCases { totalCount nodes { reason steps { step } } } }", none, OFFICE_AND_OWN_MEMBER),
    case(
        "exitCase",
        "query($id: ID!) { exitCase(id: $id) { status nextSteps member { name } seat { status } } }",
        |f| json!({ "id": f.exit_case }),
        OFFICE_AND_OWN_MEMBER,
    ),
    case(
        "openExitCase",
        "mutation($m: ID!) { openExitCase(input: { memberId: $m, reason: \"多次无故缺席\" }) { exitCase { id } } }",
        |f| json!({ "m": f.other }),
        OFFICE,
    ),
    case(
        "advanceExitCase",
        "mutation($id: ID!) { advanceExitCase(input: { id: $id, step: REMINDER_TALK, takenOn: \"2024-03-10\", takenBy: \"张主席\" }) { exitCase { stage } } }",
        |f| json!({ "id": f.exit_case }),
        OFFICE,
    ),
    // ----- issue 19: appraisal analytics (before the session-ending rows) -----
    case("dutyRecordsByMonth", "{ dutyRecordsByMonth(year: 2024) { month } }", none, SIGNED_IN),
    // ----- issue 18: invitations, leave, sign-in and closing -----
    case("leaveRequests", "{ leaveRequests { totalCount nodes { status member { name } } } }", none, READERS),
    case("invitationReceived", "subscription { invitationReceived { title } }", none, READERS),
    case("leaveDecided", "subscription { leaveDecided { status } }", none, READERS),
    case(
        "requestLeave",
        "mutation($a: ID!, $m: ID!) { requestLeave(input: { activityId: $a, memberId: $m, reason: \"出差\" }) { leaveRequest { status } } }",
        |f| json!({ "a": f.planned, "m": f.own }),
        OFFICE_AND_OWN_MEMBER,
    ),
    case(
        "decideLeave",
        "mutation($id: ID!) { decideLeave(input: { id: $id, decision: APPROVE }) { leaveRequest { status } } }",
        |f| json!({ "id": f.leave_to_decide }),
        OFFICE_AND_OWN_COMMITTEE,
    ),
    case(
        "inviteMembers",
        "mutation($a: ID!, $m: ID!) { inviteMembers(input: { activityId: $a, memberIds: [$m] }) { activity { title } } }",
        |f| json!({ "a": f.activity, "m": f.other }),
        OFFICE_AND_OWN_COMMITTEE,
    ),
    case(
        "uninviteMembers",
        "mutation($a: ID!, $m: ID!) { uninviteMembers(input: { activityId: $a, memberIds: [$m] }) { activity { title } } }",
        |f| json!({ "a": f.activity, "m": f.other }),
        OFFICE_AND_OWN_COMMITTEE,
    ),
    case(
        "signIn",
        "mutation($a: ID!, $m: ID!) { signIn(input: { activityId: $a, marks: [{ memberId: $m, attendance: LATE }], othersPresent: true }) { activity { title } } }",
        |f| json!({ "a": f.activity, "m": f.own }),
        OFFICE_AND_OWN_COMMITTEE,
    ),
    Case {
        op: "importSignInSheet",
        query: "mutation($input: ImportSignInSheetInput!) { importSignInSheet(input: $input) { marked applied } }",
        variables: |f| json!({ "input": { "file": null, "activityId": f.activity } }),
        upload: Some(Upload {
            path: "variables.input.file",
            file_name: "签到表.csv",
            bytes: "姓名,签到\r\n王芳,迟到\r\n".as_bytes(),
        }),
        allowed: OFFICE_AND_OWN_COMMITTEE,
        hidden: NOBODY,
    },
    case(
        "closeActivity",
        "mutation($id: ID!) { closeActivity(input: { id: $id }) { activity { closed } } }",
        |f| json!({ "id": f.activity }),
        OFFICE,
    ),
    // ----- duty records by group (issue 19) and a member's invitations (issue 18) -----
    case(
        "dutyRecordsByGroup",
        "{ dutyRecordsByGroup(year: 2024, by: SECTOR) { label memberCount activities { kind attendanceRate } trainingHours } }",
        none,
        &[Admin, Office, Committee, Studio, Viewer, Convener, GroupLead],
    ),
    case(
        "member@invitations",
        "query($id: ID!) { member(id: $id) { invitations(year: 2024) { totalCount nodes { pending attendance activity { title } leaveRequest { status } } } } }",
        |f| json!({ "id": f.own }),
        READERS,
    ),
    // ----- issue 20, corrections: editing -----
    case(
        "updateTrainingSession",
        "mutation($id: ID!) { updateTrainingSession(input: { id: $id, title: \"专委会学习会\", creditHours: \"3\" }) { trainingSession { title } } }",
        |f| json!({ "id": f.training_to_update }),
        OFFICE_AND_OWN_COMMITTEE,
    ),
    // The committee's session moved to the economy sector: only a role that records for both.
    case(
        "updateTrainingSession@organiser",
        "mutation($id: ID!, $o: ID) { updateTrainingSession(input: { id: $id, organiserId: $o }) { trainingSession { organiser { kind } } } }",
        |f| json!({ "id": f.training_to_update, "o": f.economy }),
        OFFICE,
    ),
    case(
        "updateDutyItem",
        "mutation($id: ID!) { updateDutyItem(input: { id: $id, title: \"关于乡村振兴的发言\", evidence: null, suggestions: 2 }) { dutyItem { title } } }",
        |f| json!({ "id": f.duty_item_to_update }),
        OFFICE_AND_OWN_MEMBER,
    ),
    case(
        "updateOpinionReport",
        "mutation($id: ID!) { updateOpinionReport(input: { id: $id, title: \"修改后的标题\" }) { opinionReport { title } } }",
        |f| json!({ "id": f.report_to_update }),
        OFFICE_AND_OWN_MEMBER,
    ),
    case(
        "withdrawOpinionReport",
        "mutation($id: ID!) { withdrawOpinionReport(input: { id: $id }) { opinionReport { status } } }",
        |f| json!({ "id": f.report_to_withdraw }),
        OFFICE_AND_OWN_MEMBER,
    ),
    case(
        "reopenDutyItem",
        "mutation($id: ID!) { reopenDutyItem(input: { id: $id, reason: \"材料有误\" }) { dutyItem { status } } }",
        |f| json!({ "id": f.duty_item_to_reopen }),
        OFFICE,
    ),
    case(
        "correctAssignment",
        "mutation($id: ID!) { correctAssignment(input: { id: $id, startsOn: \"2022-02-01\", endsOn: \"2024-06-30\" }) { assignment { __typename } } }",
        |f| json!({ "id": f.membership }),
        OFFICE,
    ),
    case(
        "renameUnit",
        "mutation($id: ID!) { renameUnit(input: { id: $id, name: \"经济界别\" }) { unit { id } } }",
        |f| json!({ "id": f.economy }),
        OFFICE,
    ),
    case(
        "updateUnit",
        "mutation($id: ID!) { updateUnit(input: { id: $id, address: \"城关街道人民路1号\", establishedOn: \"2022-03-01\" }) { unit { id } } }",
        |f| json!({ "id": f.town_studio }),
        OFFICE,
    ),
    case(
        "discardAssessmentRun",
        "mutation($id: ID!) { discardAssessmentRun(input: { id: $id }) { discardedRunId } }",
        |f| json!({ "id": f.run_to_discard }),
        OFFICE,
    ),
    case(
        "deleteRuleSet",
        "mutation($id: ID!) { deleteRuleSet(input: { id: $id }) { deletedRuleSetId } }",
        |f| json!({ "id": f.rule_set_to_delete }),
        OFFICE,
    ),
    // 换届 ends the fixture's term: after every other row that needs its seats.
    case(
        "openNextTerm",
        "mutation { openNextTerm(input: { name: \"第十二届\", startDate: \"2032-01-01\", endDate: \"2036-12-31\", carry: { committees: true } }) { counts { kind count } } }",
        none,
        OFFICE,
    ),
    // ----- issue 20: corrections (void and restore) -----
    case(
        "voidRecord",
        "mutation($id: ID!) { voidRecord(input: { id: $id, reason: \"重复录入\" }) { record { __typename } } }",
        |f| json!({ "id": f.activity_to_cancel }),
        OFFICE_AND_OWN_COMMITTEE,
    ),
    // After `voidRecord`: ADMIN restores the activity it voided.
    case(
        "restoreRecord",
        "mutation($id: ID!) { restoreRecord(input: { id: $id, reason: \"录入无误\" }) { record { __typename } } }",
        |f| json!({ "id": f.activity_to_cancel }),
        &[Admin],
    ),
    // Near the end: they keep this session but end the role's others and change its password.
    case(
        "changePassword",
        "mutation($p: String!) { changePassword(input: { currentPassword: $p, newPassword: \"another horse battery\" }) { account { username } } }",
        |_| json!({ "p": PASSWORD }),
        SIGNED_IN,
    ),
    case("endAllSessions", "mutation { endAllSessions(input: { keepCurrent: true }) { ended } }", none, SIGNED_IN),
    // Last: it revokes the token the role's other rows use.
    case("logout", "mutation { logout { revoked } }", none, SIGNED_IN),
];

/// Starts a subscription as the holder of `token` (anonymous when `None`), as the WebSocket
/// route does once the connection is initialised. Answers the first response when the
/// subscription is refused, or an empty response once it listens for events.
async fn subscribe(app: &TestApp, token: Option<&str>, query: &str, variables: Value) -> Value {
    let actor = match token {
        Some(token) => Actor::Account(accounts::authenticate(&app.db, token).await.ok().flatten().unwrap()),
        None => Actor::Anonymous,
    };
    let events = Broker::new();
    let schema = schema::build_with_events(app.db.clone(), &ApiConfig::default(), events.clone());
    let request = async_graphql::Request::new(query)
        .variables(async_graphql::Variables::from_json(variables))
        .data(actor)
        .data(Loaders::new(&app.db));
    let mut stream = schema.execute_stream(request);
    // No sleeping: the broker counts its subscribers; the timeout only stops a hung test.
    let listening = async {
        while events.subscribers() == 0 {
            tokio::task::yield_now().await;
        }
    };
    let first = tokio::time::timeout(Duration::from_secs(10), async {
        tokio::select! {
            response = stream.next() => response.map(|r| serde_json::to_value(r).unwrap()),
            () = listening => Some(json!({})),
        }
    })
    .await
    .expect("a subscription either answers or listens");
    first.unwrap_or_else(|| json!({ "errors": [{ "message": "the subscription ended at once" }] }))
}

async fn audit_count(app: &TestApp) -> i64 {
    app.ok("{ auditLog { totalCount } }", json!({})).await["auditLog"]["totalCount"].as_i64().unwrap()
}

/// Runs the whole table as `who` and fails with every row that went otherwise.
async fn run_table(who: Who) {
    let app = TestApp::new().await;
    let (fx, token) = fixture(&app, who).await;
    let mut failures = Vec::new();
    for case in TABLE {
        let mutation = case.query.starts_with("mutation");
        let before = if mutation { audit_count(&app).await } else { 0 };
        let variables = (case.variables)(&fx);
        let response = match &case.upload {
            None if case.query.starts_with("subscription") => {
                subscribe(&app, token.as_deref(), case.query, variables).await
            }
            None => app.post(token.as_deref(), case.query, variables).await,
            Some(file) => {
                app.upload(token.as_deref(), case.query, variables, file.path, file.file_name, file.bytes).await
            }
        };
        let after = if mutation { audit_count(&app).await } else { 0 };
        let code = error_code(&response);
        let op = case.op;
        if case.allowed.contains(&who) {
            if response.get("errors").is_some() {
                failures.push(format!("{op}: allowed, but answered {response}"));
            } else if mutation && after <= before {
                failures.push(format!("{op}: allowed and done, but no audit entry was written"));
            }
        } else {
            let expected = match who {
                Anonymous => "UNAUTHENTICATED",
                _ if case.hidden.contains(&who) => "NOT_FOUND",
                _ => "FORBIDDEN",
            };
            if code != expected {
                failures.push(format!("{op}: expected {expected}, answered {response}"));
            }
            if after != before {
                failures.push(format!("{op}: denied, but the audit log grew from {before} to {after}"));
            }
        }
    }
    assert!(failures.is_empty(), "{who:?}:\n{}", failures.join("\n"));
}

/// Personal fields (phone, birth date) of the linked member and of another one, as `who`.
async fn personal_fields(who: Who) -> (Value, Value) {
    let app = TestApp::new().await;
    let (fx, token) = fixture(&app, who).await;
    let query =
        "query($a: ID!, $b: ID!) { own: member(id: $a) { phone birthDate } other: member(id: $b) { phone birthDate } }";
    let response = app.post(token.as_deref(), query, json!({ "a": fx.own, "b": fx.other })).await;
    assert!(response.get("errors").is_none(), "{who:?}: {response:#}");
    (response["data"]["own"].clone(), response["data"]["other"].clone())
}

fn hidden() -> Value {
    json!({ "phone": null, "birthDate": null })
}

#[actix_web::test]
async fn admin_may_do_everything() {
    run_table(Admin).await;
}

#[actix_web::test]
async fn office_may_do_everything_but_manage_accounts() {
    run_table(Office).await;
}

#[actix_web::test]
async fn committee_staff_read_and_record_only_their_committees_activities() {
    run_table(Committee).await;
}

#[actix_web::test]
async fn a_studio_lead_reads_and_records_only_their_studios_activities() {
    run_table(Studio).await;
}

#[actix_web::test]
async fn a_handling_unit_reads_the_organisation_and_handles_only_its_own_assignments() {
    run_table(Unit).await;
}

#[actix_web::test]
async fn a_member_reads_and_submits_only_as_themself() {
    run_table(Member).await;
}

#[actix_web::test]
async fn a_viewer_reads_the_organisation_and_aggregates_only() {
    run_table(Viewer).await;
}

#[actix_web::test]
async fn a_sector_convener_reads_as_committee_staff_and_records_only_their_sectors_activities() {
    run_table(Convener).await;
}

#[actix_web::test]
async fn a_group_lead_reads_as_committee_staff_and_records_only_their_groups_activities() {
    run_table(GroupLead).await;
}

#[actix_web::test]
async fn an_anonymous_request_may_only_sign_in() {
    run_table(Anonymous).await;
}

#[actix_web::test]
async fn an_anonymous_request_may_introspect_the_schema() {
    let app = TestApp::new().await;

    let response = app.post(None, "{ __schema { queryType { name } } }", json!({})).await;

    assert!(response.get("errors").is_none(), "{response:#}");
    assert_eq!(response["data"]["__schema"]["queryType"]["name"], "Query");
}

#[actix_web::test]
async fn personal_fields_are_for_the_office_and_the_member_themself() {
    let (own, other) = personal_fields(Office).await;
    assert_eq!((own["phone"].as_str(), other["birthDate"].as_str()), (Some("13900000001"), Some("1975-05-01")));
    let (own, other) = personal_fields(Member).await;
    assert_eq!(own["phone"], "13900000001");
    assert_eq!(other, hidden());
    for who in [Committee, Studio] {
        let (own, other) = personal_fields(who).await;
        assert_eq!((own, other), (hidden(), hidden()), "{who:?}");
    }
}

#[actix_web::test]
async fn the_table_lists_every_query_mutation_and_subscription_of_the_schema() {
    let app = TestApp::new().await;
    let schema = app
        .ok(
            "{ __schema { queryType { fields { name } } mutationType { fields { name } } subscriptionType { fields { name } } } }",
            json!({}),
        )
        .await;
    let mut fields: Vec<String> = ["queryType", "mutationType", "subscriptionType"]
        .iter()
        .flat_map(|t| schema["__schema"][t]["fields"].as_array().unwrap().clone())
        .map(|f| f["name"].as_str().unwrap().to_owned())
        .collect();
    fields.sort();
    let listed: Vec<&str> = TABLE.iter().map(|c| c.op.split('@').next().unwrap()).collect();

    let missing: Vec<&String> = fields.iter().filter(|f| !listed.contains(&f.as_str())).collect();
    let unknown: Vec<&&str> = listed.iter().filter(|op| !fields.contains(&(**op).to_owned())).collect();

    assert!(missing.is_empty(), "operations without a row in the role table: {missing:?}");
    assert!(unknown.is_empty(), "rows for operations the schema does not have: {unknown:?}");
}
