//! Small organisations built through the services (not the API), so tests arrange quickly and
//! spend their requests on the behaviour under test.

use chrono::NaiveDate;
use entity::enums::{CommitteeRole, Party, RegionLevel, StudioKind, StudioRole};
use entity::organiser::Organiser;
use lvzhi::{
    auth::Actor,
    member::service::{self as members, NewMember, NewSeat},
    organisation::service::{self as org, NewRegion, NewStudio, NewTerm, Placement},
    relay::{Kind, encode_id},
};

use crate::helpers::TestApp;

/// A date from `y-m-d`.
pub fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("a valid date")
}

/// The global ID of a row, as a JSON-ready string.
pub fn gid(kind: Kind, id: i64) -> String {
    encode_id(kind, id).0
}

/// A committee with two terms, two sectors, two special committees, a town with a village,
/// and a studio at each.
pub struct Org {
    pub current_term: i64,
    pub previous_term: i64,
    pub economy: i64,
    pub education: i64,
    pub proposals_committee: i64,
    pub culture_committee: i64,
    pub town: i64,
    pub village: i64,
    pub town_studio: i64,
    pub village_studio: i64,
}

/// Builds [`Org`]. The current term runs from 2021-12-20 to 2026-12-31.
pub async fn org(app: &TestApp) -> Org {
    let db = &app.db;
    let sys = &Actor::System;
    let term =
        |number, name: &str, start, end| NewTerm { number, name: name.to_owned(), start_date: start, end_date: end };
    let previous = org::create_term(db, sys, term(9, "第九届", date(2016, 12, 20), date(2021, 12, 19))).await.unwrap();
    let current = org::create_term(db, sys, term(10, "第十届", date(2021, 12, 20), date(2026, 12, 31))).await.unwrap();
    let economy = org::create_sector(db, sys, "经济界", 1).await.unwrap();
    let education = org::create_sector(db, sys, "教育界", 2).await.unwrap();
    let proposals = org::create_committee(db, sys, "提案委员会", 1).await.unwrap();
    let culture = org::create_committee(db, sys, "文化文史和学习委员会", 2).await.unwrap();
    let town = org::create_region(
        db,
        sys,
        NewRegion { name: "城关街道".into(), level: RegionLevel::Street, parent_id: None, sort_order: 1 },
    )
    .await
    .unwrap();
    let village = org::create_region(
        db,
        sys,
        NewRegion {
            name: "北关社区".into(), level: RegionLevel::Community, parent_id: Some(town.id), sort_order: 1
        },
    )
    .await
    .unwrap();
    let studio = |name: &str, kind, region| NewStudio {
        name: name.to_owned(),
        kind,
        region_id: Some(region),
        sector_id: None,
        address: None,
        established_on: None,
    };
    let town_studio =
        org::create_studio(db, sys, studio("城关街道委员工作室", StudioKind::Town, town.id)).await.unwrap();
    let village_studio =
        org::create_studio(db, sys, studio("北关社区委员工作室", StudioKind::Village, village.id)).await.unwrap();
    Org {
        current_term: current.id,
        previous_term: previous.id,
        economy: economy.id,
        education: education.id,
        proposals_committee: proposals.id,
        culture_committee: culture.id,
        town: town.id,
        village: village.id,
        town_studio: town_studio.id,
        village_studio: village_studio.id,
    }
}

/// What a test member looks like; `Default` is a plain economy-sector member of 中共.
#[derive(Clone)]
pub struct MemberSpec {
    pub name: String,
    pub number: Option<String>,
    pub sector: Option<i64>,
    pub party: Party,
    pub standing: bool,
    pub employer: Option<String>,
    pub phone: Option<String>,
    pub committee: Option<i64>,
    pub studio: Option<i64>,
}

impl MemberSpec {
    pub fn named(name: &str) -> Self {
        Self {
            name: name.to_owned(),
            number: None,
            sector: None,
            party: Party::Cpc,
            standing: false,
            employer: None,
            phone: None,
            committee: None,
            studio: None,
        }
    }
}

/// Creates a member seated in the current term, placed as `spec` says; returns the row id.
pub async fn member(app: &TestApp, org: &Org, spec: MemberSpec) -> i64 {
    let sys = &Actor::System;
    let new = NewMember {
        name: spec.name,
        gender: None,
        ethnicity: Some("汉族".into()),
        birth_date: Some(date(1975, 5, 1)),
        phone: spec.phone,
        notes: None,
        seat: NewSeat {
            term_id: org.current_term,
            member_number: spec.number,
            sector_id: spec.sector,
            party: spec.party,
            standing_committee: spec.standing,
            leadership_post: None,
            employer: spec.employer,
            start_date: None,
        },
    };
    let id = members::create(&app.db, sys, new).await.unwrap().id;
    if let Some(committee) = spec.committee {
        let p = Placement {
            member_id: id,
            target_id: committee,
            role: CommitteeRole::Member,
            start_date: date(2022, 1, 5),
        };
        org::assign_committee(&app.db, sys, p).await.unwrap();
    }
    if let Some(studio) = spec.studio {
        let p = Placement { member_id: id, target_id: studio, role: StudioRole::Member, start_date: date(2022, 1, 5) };
        org::assign_studio(&app.db, sys, p).await.unwrap();
    }
    id
}

/// Creates `n` members named 委员001 … with numbers, alternating sectors, committees and
/// studios, all seated in the current term; returns their ids in creation order.
pub async fn members(app: &TestApp, org: &Org, n: usize) -> Vec<i64> {
    let mut ids = Vec::with_capacity(n);
    for i in 0..n {
        let even = i % 2 == 0;
        let spec = MemberSpec {
            number: Some(format!("10{i:03}")),
            sector: Some(if even { org.economy } else { org.education }),
            committee: Some(if even { org.proposals_committee } else { org.culture_committee }),
            studio: Some(if even { org.town_studio } else { org.village_studio }),
            ..MemberSpec::named(&format!("委员{i:03}"))
        };
        ids.push(member(app, org, spec).await);
    }
    ids
}

/// Creates a handling unit (承办单位); returns its id.
pub async fn handling_unit(app: &TestApp, name: &str) -> i64 {
    org::create_handling_unit(&app.db, &Actor::System, name, None).await.unwrap().id
}

/// Submits an individual 2024 proposal by `first` through the service; returns its id.
pub async fn proposal(app: &TestApp, first: i64, title: &str) -> i64 {
    use entity::enums::{ProposalKind, ProposerType, SignerRole};
    use lvzhi::proposal::service::{self as proposals, NewProposal, NewSigner};
    let new = NewProposal {
        year: 2024,
        session: None,
        kind: ProposalKind::Regular,
        proposer_type: ProposerType::Individual,
        collective_name: None,
        signers: vec![NewSigner { member_id: first, role: SignerRole::First }],
        title: title.to_owned(),
        category: Some("教育".into()),
        situation: Some("情况".into()),
        analysis: Some("分析".into()),
        suggestions: "建议".into(),
        submitted_on: Some(date(2024, 3, 1)),
    };
    proposals::submit(&app.db, &Actor::System, new).await.map_err(|e| e.message()).unwrap().id
}

// ----- duty records -----

/// Records a DONE activity of `kind` on `day`, organised by the office, with `participants`
/// (member id, attendance) through the service; returns its id.
pub async fn activity(
    app: &TestApp,
    kind: entity::enums::ActivityKind,
    day: NaiveDate,
    compulsory: bool,
    participants: &[(i64, entity::enums::Attendance)],
) -> i64 {
    use lvzhi::activity::service::{self as activities, NewActivity, NewParticipant};
    let new = NewActivity {
        title: format!("{}（{day}）", kind.label()),
        kind,
        subkind: None,
        organiser: Organiser::Office,
        start_date: day,
        end_date: None,
        location: None,
        status: entity::enums::ActivityStatus::Done,
        compulsory,
        issues_solved: None,
        people_served: None,
        donations: None,
        description: None,
        participants: participants
            .iter()
            .map(|&(member_id, attendance)| NewParticipant {
                member_id,
                attendance,
                role: entity::enums::ParticipationRole::Participant,
                note: None,
                invited: None,
            })
            .collect(),
    };
    let events = lvzhi::events::Broker::new();
    activities::record(&app.db, &Actor::System, &events, new).await.map_err(|e| e.message()).unwrap().id
}

// ----- annual plans -----

/// Creates the annual plan of `year` through the service; returns its id.
pub async fn plan(app: &TestApp, year: i32) -> i64 {
    use lvzhi::plan::service::{self as plans, NewPlan};
    let new = NewPlan { year, title: format!("{year}年度协商工作计划"), description: None, term_id: None };
    plans::create_plan(&app.db, &Actor::System, new).await.map_err(|e| e.message()).unwrap().id
}

/// Adds an item of `item_type` to a plan through the service, led by the special committee
/// `lead` (the office when none) and due on `target`; returns its id.
pub async fn plan_item(
    app: &TestApp,
    plan_id: i64,
    item_type: entity::enums::PlanItemType,
    lead: Option<i64>,
    target: NaiveDate,
) -> i64 {
    use lvzhi::plan::{
        Lead,
        service::{self as plans, NewPlanItem},
    };
    let new = NewPlanItem {
        plan_id,
        item_type,
        area: "经济建设".into(),
        title: format!("{}（{target}）", item_type.label()),
        lead: lead.map_or(Lead::Office, Lead::Committee),
        target_date: target,
        status: entity::enums::PlanItemStatus::NotStarted,
        goal: Some("年内完成并报送成果".into()),
    };
    plans::add_item(&app.db, &Actor::System, new).await.map_err(|e| e.message()).unwrap().id
}

/// Records a stage of a plan item on `on` through the service.
pub async fn plan_stage(app: &TestApp, item: i64, stage: entity::enums::PlanStage, on: NaiveDate) {
    lvzhi::plan::service::record_stage(&app.db, &Actor::System, item, stage, "已记录", Some(on))
        .await
        .map_err(|e| e.message())
        .unwrap();
}
