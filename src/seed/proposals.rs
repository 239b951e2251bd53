//! The demo committee's proposals and public-opinion reports.
//!
//! 2023 has 48 proposals, every one accepted, assigned, answered on time, met and closed with
//! its proposer satisfied, and 26 public-opinion reports, some adopted by the city and the
//! province, one with a city leader's instruction: the figures the 2023 year in review quotes.
//! 2024 has proposals in every state, overdue ones, a rejected one, a merged one and one
//! converted into a public-opinion report. Everything is drawn from a seeded generator and
//! written in a few bulk inserts; the action log of each proposal is written alongside.

use std::collections::HashMap;

use chrono::{Days, NaiveDate, NaiveDateTime, NaiveTime};
use fastrand::Rng;
use sea_orm::{
    ActiveValue::Set,
    ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
    sea_query::{Expr, ExprTrait, Func, Query, SubQueryStatement},
};

use super::insert_chunked;
use crate::error::{AppError, AppResult};
use entity::{
    account,
    enums::{
        AdoptionLevel, AssignmentStatus, FeedbackRating, HandlingRole, InstructionLevel, NotAcceptedReason,
        OpinionStatus, ProposalActionKind, ProposalKind, ProposalStatus, ProposerType, ResultClass, SeatStatus,
        SignerRole,
    },
    handling_unit, opinion_adoption, opinion_author, opinion_report, proposal, proposal_action, proposal_assignment,
    proposal_signer, seat, term,
};

/// What the demo seeds.
const PROPOSALS_2023: usize = 48;
const PROPOSALS_2024: usize = 36;
const REPORTS_2023: usize = 26;
const REPORTS_2024: usize = 20;

/// Subjects of proposals and reports, with their category.
const TOPICS: &[(&str, &str)] = &[
    ("教育", "义务教育阶段课后服务"),
    ("教育", "农村学校师资队伍建设"),
    ("医疗卫生", "基层医疗卫生服务能力"),
    ("医疗卫生", "居家养老医疗护理服务"),
    ("社会保障", "老旧小区适老化改造"),
    ("社会保障", "困难群众临时救助机制"),
    ("城乡建设", "背街小巷环境整治"),
    ("城乡建设", "城区停车难问题治理"),
    ("交通", "公交线网优化"),
    ("交通", "农村公路管护"),
    ("生态环境", "河道水环境综合治理"),
    ("生态环境", "垃圾分类长效管理"),
    ("经济发展", "民营企业融资服务"),
    ("经济发展", "营商环境持续优化"),
    ("乡村振兴", "特色农产品品牌建设"),
    ("乡村振兴", "农村集体经济发展"),
    ("文化", "公共文化服务设施利用"),
    ("文化", "历史文化街区保护"),
    ("社会治理", "网格化社会治理"),
    ("社会治理", "物业服务矛盾调处"),
    ("科技", "中小企业数字化转型"),
    ("就业", "高校毕业生就业服务"),
    ("安全", "电动自行车充电安全"),
    ("食品安全", "校园食品安全监管"),
];

/// How a title is phrased, so that titles are unique within a year.
const PHRASES: &[&str] = &["关于加强{}的建议", "关于进一步完善{}的建议", "关于推进{}的建议"];

fn topic_title(i: usize) -> (String, &'static str) {
    let (category, topic) = TOPICS[i % TOPICS.len()];
    let phrase = PHRASES[(i / TOPICS.len()) % PHRASES.len()];
    (phrase.replace("{}", topic), category)
}

fn day(y: i32, m: u32, d: u32) -> AppResult<NaiveDate> {
    NaiveDate::from_ymd_opt(y, m, d).ok_or_else(|| AppError::Internal(format!("invalid seed date {y}-{m}-{d}")))
}

fn plus(date: NaiveDate, days: u64) -> NaiveDate {
    date.checked_add_days(Days::new(days)).unwrap_or(date)
}

fn at(date: NaiveDate) -> chrono::DateTime<chrono::Utc> {
    NaiveDateTime::new(date, NaiveTime::from_hms_opt(9, 0, 0).unwrap_or(NaiveTime::MIN)).and_utc()
}

/// One step of a seeded proposal's history.
struct Step {
    kind: ProposalActionKind,
    from: Option<ProposalStatus>,
    to: ProposalStatus,
    on: NaiveDate,
    note: Option<String>,
}

/// A proposal's history as it is drawn: the steps so far and the state they lead to.
struct History {
    steps: Vec<Step>,
    status: ProposalStatus,
}

impl History {
    fn step(&mut self, kind: ProposalActionKind, to: ProposalStatus, on: NaiveDate, note: Option<String>) {
        self.steps.push(Step { kind, from: Some(self.status), to, on, note });
        self.status = to;
    }
}

/// One unit's part in a seeded proposal.
struct UnitPlan {
    unit: usize,
    role: HandlingRole,
    answered: Option<(NaiveDate, ResultClass, bool)>,
}

/// A seeded proposal, drawn before it is written.
struct Plan {
    row: proposal::ActiveModel,
    year: i32,
    title: String,
    signers: Vec<(usize, SignerRole)>,
    units: Vec<UnitPlan>,
    assigned_on: Option<NaiveDate>,
    steps: Vec<Step>,
    /// Index (within the year) of the proposal it merges into.
    merge_into: Option<usize>,
    converted: bool,
}

/// The state a 2024 proposal is seeded in, by its index.
fn state_2024(i: usize) -> ProposalStatus {
    match i {
        0..=2 => ProposalStatus::Submitted,
        3..=4 => ProposalStatus::Returned,
        5 => ProposalStatus::NotAccepted,
        6 => ProposalStatus::Merged,
        7 => ProposalStatus::Converted,
        8..=9 => ProposalStatus::Accepted,
        10..=15 => ProposalStatus::Assigned,
        16..=19 => ProposalStatus::Answered,
        20..=22 => ProposalStatus::Feedback,
        _ => ProposalStatus::Closed,
    }
}

fn rank(status: ProposalStatus) -> u8 {
    match status {
        ProposalStatus::Accepted => 1,
        ProposalStatus::Assigned => 2,
        ProposalStatus::Answered => 3,
        ProposalStatus::Feedback => 4,
        ProposalStatus::Closed => 5,
        _ => 0,
    }
}

/// Draws one proposal of `year` (index `i` in its year) that ends in `target`.
#[expect(clippy::too_many_lines, reason = "one proposal's whole history, step by step")]
fn plan(rng: &mut Rng, year: i32, i: usize, target: ProposalStatus, members: usize, units: usize) -> AppResult<Plan> {
    let plenary = i < if year == 2023 { 32 } else { 24 };
    let submitted_on =
        if plenary { day(year, 1, 8)? } else { plus(day(year, 3, 1)?, u64::try_from(i).unwrap_or(0) * 3) };
    let (title, category) = topic_title(i);
    // Who proposes: mostly individuals, every fifth jointly, every eleventh a collective.
    let (proposer_type, collective, signers) = if i % 11 == 10 {
        (ProposerType::Party, Some("民盟区委会".to_owned()), Vec::new())
    } else if i % 5 == 4 {
        let first = rng.usize(..members);
        let co1 = (first + 1 + rng.usize(..members - 1)) % members;
        let mut co2 = (co1 + 1) % members;
        if co2 == first {
            co2 = (co2 + 1) % members;
        }
        (ProposerType::Joint, None, vec![(first, SignerRole::First), (co1, SignerRole::Co), (co2, SignerRole::Co)])
    } else {
        // The demo member account (the first member) is the first proposer of a few.
        let first = if i.is_multiple_of(12) { 0 } else { rng.usize(..members) };
        (ProposerType::Individual, None, vec![(first, SignerRole::First)])
    };

    let mut h = History {
        steps: vec![Step {
            kind: ProposalActionKind::Submit,
            from: None,
            to: ProposalStatus::Submitted,
            on: submitted_on,
            note: None,
        }],
        status: ProposalStatus::Submitted,
    };
    let reviewed_on = plus(submitted_on, 10);
    let mut row = proposal::ActiveModel {
        year: Set(year),
        session: Set(plenary.then(|| if year == 2023 { "十届二次会议" } else { "十届三次会议" }.to_owned())),
        kind: Set(if plenary { ProposalKind::Plenary } else { ProposalKind::Regular }),
        proposer_type: Set(proposer_type),
        collective_name: Set(collective),
        title: Set(title.clone()),
        category: Set(Some(category.to_owned())),
        situation: Set(Some(format!("近年来，我区{category}领域工作取得一定成效，但群众反映仍有不少短板。"))),
        analysis: Set(Some("主要原因在于统筹协调不够、投入保障不足、长效机制尚不健全。".to_owned())),
        suggestions: Set("一是加强统筹协调，明确责任分工；二是加大投入保障力度；三是建立长效管理机制。".to_owned()),
        submitted_on: Set(submitted_on),
        status: Set(ProposalStatus::Submitted),
        serial_number: Set(None),
        accepted_on: Set(None),
        not_accepted_reason: Set(None),
        merged_into_id: Set(None),
        due_date: Set(None),
        answered_on: Set(None),
        result_class: Set(None),
        met_proposer: Set(None),
        feedback: Set(None),
        key_proposal: Set(false),
        supervising_leader: Set(None),
        excellent: Set(false),
        latest_action_id: Set(None),
        created_at: Set(at(submitted_on)),
        updated_at: Set(at(submitted_on)),
        ..Default::default()
    };
    let mut plan_units = Vec::new();
    let mut assigned_on = None;
    let mut merge_into = None;
    let mut converted = false;
    match target {
        ProposalStatus::Submitted => {}
        ProposalStatus::Returned => h.step(
            ProposalActionKind::Return,
            ProposalStatus::Returned,
            reviewed_on,
            Some("建议部分需进一步具体化".to_owned()),
        ),
        ProposalStatus::NotAccepted => {
            row.not_accepted_reason = Set(Some(NotAcceptedReason::OutOfScope));
            h.step(
                ProposalActionKind::Reject,
                ProposalStatus::NotAccepted,
                reviewed_on,
                Some("属于司法个案".to_owned()),
            );
        }
        ProposalStatus::Merged => {
            merge_into = Some(10);
            h.step(
                ProposalActionKind::Merge,
                ProposalStatus::Merged,
                reviewed_on,
                Some("与同类提案并案办理".to_owned()),
            );
        }
        ProposalStatus::Converted => {
            converted = true;
            h.step(
                ProposalActionKind::Convert,
                ProposalStatus::Converted,
                reviewed_on,
                Some("转为社情民意信息报送".to_owned()),
            );
        }
        _ => {}
    }
    if rank(target) >= 1 {
        row.accepted_on = Set(Some(reviewed_on));
        h.step(ProposalActionKind::Accept, ProposalStatus::Accepted, reviewed_on, None);
    }
    if rank(target) >= 2 {
        let on = plus(reviewed_on, 5);
        assigned_on = Some(on);
        let due = on.checked_add_months(chrono::Months::new(3)).unwrap_or(on);
        row.due_date = Set(Some(due));
        // Units: the same few for 2024 (the demo unit account answers for the first), spread
        // over all for 2023; every fourth proposal has a lead and a co-handling unit.
        let lead = if year == 2024 { i % 5 } else { rng.usize(..units) };
        if i % 4 == 3 {
            plan_units.push(UnitPlan { unit: lead, role: HandlingRole::Lead, answered: None });
            plan_units.push(UnitPlan { unit: (lead + 7) % units, role: HandlingRole::Co, answered: None });
        } else {
            plan_units.push(UnitPlan { unit: lead, role: HandlingRole::Sole, answered: None });
        }
        h.step(ProposalActionKind::Assign, ProposalStatus::Assigned, on, Some(format!("办理时限 {due}")));
        if rank(target) >= 3 {
            // 2023: every answer on time and met; 2024: one late and one not met.
            let late = year == 2024 && i == 16;
            let days = if late { 100 } else { 30 + rng.u64(..50) };
            let answered_on = plus(on, days);
            let class = if year == 2023 {
                [ResultClass::A, ResultClass::A, ResultClass::B, ResultClass::C][i % 4]
            } else {
                [ResultClass::A, ResultClass::B, ResultClass::C, ResultClass::D][i % 4]
            };
            let met = !(year == 2024 && i == 17);
            let count = plan_units.len();
            for (k, u) in plan_units.iter_mut().enumerate() {
                let answered_on = plus(answered_on, u64::try_from(k).unwrap_or(0));
                u.answered = Some((answered_on, class, met));
                let to = if k + 1 == count { ProposalStatus::Answered } else { ProposalStatus::Assigned };
                let note = format!("{}; {}", class.label(), if met { "已见面" } else { "未见面" });
                h.step(ProposalActionKind::Answer, to, answered_on, Some(note));
            }
            let last = plus(answered_on, u64::try_from(count - 1).unwrap_or(0));
            row.answered_on = Set(Some(last));
            row.result_class = Set(Some(class));
            row.met_proposer = Set(Some(met));
            if rank(target) >= 4 {
                let rating = match (year, i) {
                    (2024, 20) => FeedbackRating::Dissatisfied,
                    (2024, n) if n % 3 == 0 => FeedbackRating::BasicallySatisfied,
                    _ => FeedbackRating::Satisfied,
                };
                row.feedback = Set(Some(rating));
                h.step(
                    ProposalActionKind::Feedback,
                    ProposalStatus::Feedback,
                    plus(last, 10),
                    Some(rating.label().to_owned()),
                );
            }
            if rank(target) >= 5 {
                h.step(ProposalActionKind::Close, ProposalStatus::Closed, plus(last, 15), None);
            }
        }
    }
    // Flags: a few key proposals with a supervising leader, a few excellent ones.
    if rank(target) >= 1 && i % 9 == 1 {
        row.key_proposal = Set(true);
        row.supervising_leader = Set(Some("区政协副主席".to_owned()));
        let to = h.status;
        h.step(ProposalActionKind::Flag, to, plus(reviewed_on, 1), Some("重点提案".to_owned()));
    }
    if rank(target) >= 5 && i % 10 == 3 {
        row.excellent = Set(true);
        let to = h.status;
        h.step(ProposalActionKind::Flag, to, day(year, 12, 20)?, Some("优秀提案".to_owned()));
    }
    row.status = Set(h.status);
    if let Some(last) = h.steps.last() {
        row.updated_at = Set(at(last.on));
    }
    Ok(Plan { row, year, title, signers, units: plan_units, assigned_on, steps: h.steps, merge_into, converted })
}

/// A seeded public-opinion report.
struct ReportPlan {
    year: i32,
    submitted_on: NaiveDate,
    title: String,
    authors: Vec<(usize, SignerRole)>,
    status: OpinionStatus,
    adoptions: Vec<(AdoptionLevel, NaiveDate, Option<InstructionLevel>)>,
}

fn report_plan(rng: &mut Rng, year: i32, i: usize, members: usize) -> AppResult<ReportPlan> {
    let submitted_on = plus(day(year, 2, 1)?, u64::try_from(i).unwrap_or(0) * 11);
    let (topic_category, topic) = TOPICS[(i * 5 + 3) % TOPICS.len()];
    let title = format!("{topic}亟待加强（{topic_category}·第{}期）", i + 1);
    let first = if i.is_multiple_of(10) { 0 } else { rng.usize(..members) };
    let mut authors = vec![(first, SignerRole::First)];
    if i % 4 == 1 {
        authors.push(((first + 1 + rng.usize(..members - 1)) % members, SignerRole::Co));
    }
    let adopted = plus(submitted_on, 20);
    let (status, adoptions) = match (year, i) {
        (2023, 0) => (
            OpinionStatus::Adopted,
            vec![
                (AdoptionLevel::Local, adopted, None),
                (AdoptionLevel::City, plus(adopted, 10), Some(InstructionLevel::City)),
            ],
        ),
        (2023, 1..=5) => (OpinionStatus::Adopted, vec![(AdoptionLevel::City, adopted, None)]),
        (2023, 6..=7) => (
            OpinionStatus::Adopted,
            vec![(AdoptionLevel::City, adopted, None), (AdoptionLevel::Province, plus(adopted, 30), None)],
        ),
        (2023, 8..=13) => (OpinionStatus::Adopted, vec![(AdoptionLevel::Local, adopted, None)]),
        (2023, _) => (OpinionStatus::NotAdopted, Vec::new()),
        (_, 0..=3) => (OpinionStatus::Adopted, vec![(AdoptionLevel::City, adopted, None)]),
        (_, 4..=7) => (OpinionStatus::Adopted, vec![(AdoptionLevel::Local, adopted, None)]),
        (_, 8..=13) => (OpinionStatus::NotAdopted, Vec::new()),
        _ => (OpinionStatus::Submitted, Vec::new()),
    };
    Ok(ReportPlan { year, submitted_on, title, authors, status, adoptions })
}

/// Seeds the proposals and public-opinion reports, after the members, handling units and
/// accounts. Returns (proposals, reports) written.
pub(super) async fn insert(db: &impl ConnectionTrait) -> AppResult<(usize, usize)> {
    let mut rng = Rng::with_seed(20_231_231);
    // The current term's serving members, by member number: the first is the demo member.
    let current = term::Entity::find()
        .order_by_desc(term::Column::Number)
        .one(db)
        .await?
        .ok_or_else(|| AppError::Internal("the demo has no term".to_owned()))?;
    let members: Vec<i64> = seat::Entity::find()
        .select_only()
        .column(seat::Column::MemberId)
        .filter(seat::Column::TermId.eq(current.id))
        .filter(seat::Column::Status.eq(SeatStatus::Serving))
        .order_by_asc(seat::Column::MemberNumber)
        .into_tuple()
        .all(db)
        .await?;
    let units: Vec<i64> = handling_unit::Entity::find()
        .select_only()
        .column(handling_unit::Column::Id)
        .order_by_asc(handling_unit::Column::Id)
        .into_tuple()
        .all(db)
        .await?;
    if members.len() < 3 || units.len() < 8 {
        return Err(AppError::Internal("the demo needs members and handling units before proposals".to_owned()));
    }
    let office: Option<i64> = account::Entity::find()
        .select_only()
        .column(account::Column::Id)
        .filter(account::Column::Username.eq("office"))
        .into_tuple()
        .one(db)
        .await?;

    let mut plans = Vec::new();
    for i in 0..PROPOSALS_2023 {
        plans.push(plan(&mut rng, 2023, i, ProposalStatus::Closed, members.len(), units.len())?);
    }
    for i in 0..PROPOSALS_2024 {
        plans.push(plan(&mut rng, 2024, i, state_2024(i), members.len(), units.len())?);
    }
    // Serial numbers in order of acceptance within each year.
    let mut serials: HashMap<i32, u32> = HashMap::new();
    for p in &mut plans {
        if matches!(p.row.accepted_on, Set(Some(_))) {
            let n = serials.entry(p.year).or_default();
            *n += 1;
            p.row.serial_number = Set(Some(format!("{}-{:03}", p.year, n)));
        }
    }
    insert_chunked(db, plans.iter().map(|p| p.row.clone()).collect()).await?;
    let rows: Vec<(i64, i32, String)> = proposal::Entity::find()
        .select_only()
        .column(proposal::Column::Id)
        .column(proposal::Column::Year)
        .column(proposal::Column::Title)
        .into_tuple()
        .all(db)
        .await?;
    let by_title: HashMap<(i32, &str), i64> = rows.iter().map(|(id, y, t)| ((*y, t.as_str()), *id)).collect();
    let ids: Vec<i64> = plans
        .iter()
        .map(|p| {
            by_title
                .get(&(p.year, p.title.as_str()))
                .copied()
                .ok_or_else(|| AppError::Internal(format!("seeded proposal {} not found", p.title)))
        })
        .collect::<AppResult<_>>()?;

    let mut signers = Vec::new();
    let mut assignments = Vec::new();
    let mut actions = Vec::new();
    for (p, &id) in plans.iter().zip(&ids) {
        signers.extend(p.signers.iter().map(|&(m, role)| proposal_signer::ActiveModel {
            proposal_id: Set(id),
            member_id: Set(members[m]),
            role: Set(role),
            ..Default::default()
        }));
        if let Some(on) = p.assigned_on {
            let due = on.checked_add_months(chrono::Months::new(3)).unwrap_or(on);
            assignments.extend(p.units.iter().map(|u| proposal_assignment::ActiveModel {
                proposal_id: Set(id),
                handling_unit_id: Set(units[u.unit]),
                role: Set(u.role),
                status: Set(if u.answered.is_some() { AssignmentStatus::Answered } else { AssignmentStatus::Pending }),
                assigned_on: Set(on),
                due_date: Set(due),
                refused_on: Set(None),
                refusal_reason: Set(None),
                answered_on: Set(u.answered.map(|a| a.0)),
                result_class: Set(u.answered.map(|a| a.1)),
                met_proposer: Set(u.answered.map(|a| a.2)),
                answer_summary: Set(u.answered.map(|_| "已研究落实，详见答复函。".to_owned())),
                ..Default::default()
            }));
        }
        actions.extend(p.steps.iter().map(|s| proposal_action::ActiveModel {
            proposal_id: Set(id),
            kind: Set(s.kind),
            from_status: Set(s.from),
            to_status: Set(s.to),
            account_id: Set(if s.kind == ProposalActionKind::Submit { None } else { office }),
            actor_name: Set(if s.kind == ProposalActionKind::Submit { "system" } else { "office" }.to_owned()),
            at: Set(at(s.on)),
            note: Set(s.note.clone()),
            ..Default::default()
        }));
    }
    insert_chunked(db, signers).await?;
    insert_chunked(db, assignments).await?;
    insert_chunked(db, actions).await?;
    // Each proposal points at its latest action; merged ones at the proposal they joined.
    let latest = Query::select()
        .expr(Func::max(Expr::col((proposal_action::Entity, proposal_action::Column::Id))))
        .from(proposal_action::Entity)
        .and_where(
            Expr::col((proposal_action::Entity, proposal_action::Column::ProposalId))
                .equals((proposal::Entity, proposal::Column::Id)),
        )
        .to_owned();
    proposal::Entity::update_many()
        .col_expr(
            proposal::Column::LatestActionId,
            Expr::SubQuery(None, Box::new(SubQueryStatement::SelectStatement(latest))),
        )
        .exec(db)
        .await?;
    let year_start = plans.iter().position(|p| p.year == 2024).unwrap_or(0);
    for (p, &id) in plans.iter().zip(&ids) {
        if let Some(into) = p.merge_into {
            proposal::Entity::update_many()
                .col_expr(proposal::Column::MergedIntoId, Expr::value(ids[year_start + into]))
                .filter(proposal::Column::Id.eq(id))
                .exec(db)
                .await?;
        }
    }

    // Public-opinion reports, and the one converted from a 2024 proposal.
    let mut reports = Vec::new();
    for i in 0..REPORTS_2023 {
        reports.push(report_plan(&mut rng, 2023, i, members.len())?);
    }
    for i in 0..REPORTS_2024 {
        reports.push(report_plan(&mut rng, 2024, i, members.len())?);
    }
    let mut report_rows: Vec<opinion_report::ActiveModel> = reports
        .iter()
        .map(|r| opinion_report::ActiveModel {
            year: Set(r.year),
            submitted_on: Set(r.submitted_on),
            title: Set(r.title.clone()),
            body: Set(format!("{}。建议有关部门高度重视，尽快研究解决。", r.title)),
            status: Set(r.status),
            source_proposal_id: Set(None),
            created_at: Set(at(r.submitted_on)),
            updated_at: Set(at(r.adoptions.last().map_or(r.submitted_on, |a| a.1))),
            ..Default::default()
        })
        .collect();
    for (p, &id) in plans.iter().zip(&ids) {
        if p.converted {
            let submitted = match &p.row.submitted_on {
                Set(d) => *d,
                _ => day(p.year, 3, 1)?,
            };
            report_rows.push(opinion_report::ActiveModel {
                year: Set(p.year),
                submitted_on: Set(submitted),
                title: Set(p.title.clone()),
                body: Set("转自提案：情况、分析与建议见原提案。".to_owned()),
                status: Set(OpinionStatus::Submitted),
                source_proposal_id: Set(Some(id)),
                created_at: Set(at(submitted)),
                updated_at: Set(at(submitted)),
                ..Default::default()
            });
            reports.push(ReportPlan {
                year: p.year,
                submitted_on: submitted,
                title: p.title.clone(),
                authors: p.signers.clone(),
                status: OpinionStatus::Submitted,
                adoptions: Vec::new(),
            });
        }
    }
    let report_count = report_rows.len();
    insert_chunked(db, report_rows).await?;
    let rows: Vec<(i64, i32, String)> = opinion_report::Entity::find()
        .select_only()
        .column(opinion_report::Column::Id)
        .column(opinion_report::Column::Year)
        .column(opinion_report::Column::Title)
        .into_tuple()
        .all(db)
        .await?;
    let by_title: HashMap<(i32, &str), i64> = rows.iter().map(|(id, y, t)| ((*y, t.as_str()), *id)).collect();
    let mut authors = Vec::new();
    let mut adoptions = Vec::new();
    for r in &reports {
        let id = by_title
            .get(&(r.year, r.title.as_str()))
            .copied()
            .ok_or_else(|| AppError::Internal(format!("seeded report {} not found", r.title)))?;
        authors.extend(r.authors.iter().map(|&(m, role)| opinion_author::ActiveModel {
            report_id: Set(id),
            member_id: Set(members[m]),
            role: Set(role),
            ..Default::default()
        }));
        adoptions.extend(r.adoptions.iter().map(|&(level, on, instruction)| opinion_adoption::ActiveModel {
            report_id: Set(id),
            level: Set(level),
            adopted_on: Set(on),
            channel: Set(Some(format!("《社情民意》{}年第{}期", on.format("%Y"), on.format("%m")))),
            instruction_level: Set(instruction),
            instruction_leader: Set(instruction.map(|_| "市委副书记".to_owned())),
            instruction_text: Set(instruction.map(|_| "请市有关部门研究落实。".to_owned())),
            ..Default::default()
        }));
    }
    insert_chunked(db, authors).await?;
    insert_chunked(db, adoptions).await?;
    Ok((plans.len(), report_count))
}
