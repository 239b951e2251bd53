//! The year in review: every figure is a COUNT or SUM in the database, a handful of queries
//! whatever the size of the committee.
//!
//! What counts (only activities that took place, status DONE, starting in the year):
//! - `consultations`: CONSULTATION activities other than 民生议事堂 (committee-level
//!   consultations: 专题、双月、界别、提案办理协商); the 民生议事堂 held by studios are counted
//!   apart in `studio_consultations`, and `problems_solved` sums their 解决问题数.
//! - `participations` of a kind: participation rows that attended (present, late or leaving
//!   early), so `reading_participations` is the number of attendances at READING events.
//! - `volunteer_activities` / `people_served`: VOLUNTEER_SERVICE activities and their 惠及人次.
//! - `research_reports` / `suggestions`: CONFIRMED duty items of type RESEARCH_REPORT dated in
//!   the year, and the suggestions they made.
//! - `training_classes`: training sessions of kind CLASS starting in the year.
//! - `members`: people with a seat in force during the year.

use std::collections::HashMap;

use rust_decimal::Decimal;
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QuerySelect,
    sea_query::{Alias, Expr, ExprTrait, Query},
};

use crate::{
    auth::{Actor, policy},
    dates::year_bounds,
    error::AppResult,
};
use entity::{
    activity, duty_item,
    enums::{ActivityKind, ActivityStatus, ActivitySubkind, Attendance, DutyItemKind, DutyItemStatus, TrainingKind},
    participation, region, seat, special_committee, studio, term, training_session,
};

/// Activities of one kind in a year.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct KindFigures {
    /// The kind.
    pub kind: ActivityKind,
    /// Activities held.
    pub count: u64,
    /// Attendances at them.
    pub participations: u64,
}

/// Proposal and public-opinion figures of a year.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ProposalFigures {
    /// Proposals submitted.
    pub submitted: u64,
    /// Proposals accepted (立案).
    pub accepted: u64,
    /// Proposals answered (办复).
    pub answered: u64,
    /// Share of answered proposals whose proposer was met (见面率), 0..1.
    pub met_rate: Decimal,
    /// Share of feedback that was satisfied or basically satisfied (满意率), 0..1.
    pub satisfied_rate: Decimal,
    /// Public-opinion reports submitted.
    pub opinion_reports: u64,
    /// Public-opinion reports adopted.
    pub opinion_reports_adopted: u64,
}

/// The year's figures (see the module documentation for what each counts).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct YearInReview {
    /// The year.
    pub year: i32,
    /// People with a seat in force during the year.
    pub members: u64,
    /// Special committees.
    pub special_committees: u64,
    /// Towns and streets with a studio in them or in their villages and communities.
    pub towns: u64,
    /// Studios open by the end of the year.
    pub studios: u64,
    /// Activities per kind, every kind in declaration order.
    pub activities_by_kind: Vec<KindFigures>,
    /// Committee-level consultations.
    pub consultations: u64,
    /// Proposal and opinion figures.
    pub proposals: ProposalFigures,
    /// Confirmed research reports.
    pub research_reports: u64,
    /// Suggestions of the confirmed research reports.
    pub suggestions: u64,
    /// Reading events.
    pub reading_events: u64,
    /// Attendances at reading events.
    pub reading_participations: u64,
    /// 民生议事堂 consultations.
    pub studio_consultations: u64,
    /// Problems the 民生议事堂 solved.
    pub problems_solved: u64,
    /// Volunteer-service activities.
    pub volunteer_activities: u64,
    /// People they served.
    pub people_served: u64,
    /// Member training classes.
    pub training_classes: u64,
}

/// One GROUP BY row of activities: kind, subkind, count, issues solved, people served.
type KindRow = (ActivityKind, Option<ActivitySubkind>, i64, Option<i64>, Option<i64>);

fn count(n: i64) -> u64 {
    u64::try_from(n).unwrap_or(0)
}

/// `SUM(col)` as a BIGINT on both databases (PostgreSQL widens the sum of a BIGINT to NUMERIC).
fn sum(col: impl sea_orm::sea_query::IntoColumnRef) -> Expr {
    Expr::col(col).sum().cast_as(Alias::new("BIGINT"))
}

/// The proposal and public-opinion figures of `year`, from the proposals and opinion-report
/// domains (a proposal converted to a report counts once, as a report).
pub async fn proposal_figures(db: &impl ConnectionTrait, year: i32) -> AppResult<ProposalFigures> {
    let proposals = crate::proposal::service::year_figures(db, year).await?;
    let (opinion_reports, opinion_reports_adopted) = crate::opinion::service::year_counts(db, year).await?;
    Ok(ProposalFigures {
        submitted: proposals.submitted,
        accepted: proposals.accepted,
        answered: proposals.answered,
        met_rate: proposals.met_rate,
        satisfied_rate: proposals.satisfied_rate,
        opinion_reports,
        opinion_reports_adopted,
    })
}

/// The year in review. Every signed-in role may read it: it holds aggregates only.
pub async fn year_in_review(
    db: &impl ConnectionTrait,
    actor: &Actor,
    year: i32,
    participations_of_every_kind: bool,
) -> AppResult<YearInReview> {
    policy::read_statistics(actor)?;
    let (first, last) = year_bounds(year)?;

    let members: i64 = seat::Entity::find()
        .select_only()
        .column_as(Expr::cust("COUNT(DISTINCT seat.member_id)"), "n")
        .inner_join(term::Entity)
        .filter(term::Column::StartDate.lte(last))
        .filter(term::Column::EndDate.gte(first))
        .filter(seat::Column::StartDate.lte(last))
        .filter(Condition::any().add(seat::Column::EndDate.is_null()).add(seat::Column::EndDate.gte(first)))
        .into_tuple()
        .one(db)
        .await?
        .unwrap_or(0);
    let special_committees = special_committee::Entity::find().count(db).await?;
    let studios_open =
        Condition::any().add(studio::Column::EstablishedOn.is_null()).add(studio::Column::EstablishedOn.lte(last));
    let studios = studio::Entity::find().filter(studios_open.clone()).count(db).await?;
    let studio_regions = Query::select()
        .column(studio::Column::RegionId)
        .from(studio::Entity)
        .and_where(studio::Column::RegionId.is_not_null())
        .cond_where(studios_open)
        .to_owned();
    let parents_of_studio_regions = Query::select()
        .column(region::Column::ParentId)
        .from(region::Entity)
        .and_where(region::Column::Id.in_subquery(studio_regions.clone()))
        .and_where(region::Column::ParentId.is_not_null())
        .to_owned();
    let towns = region::Entity::find()
        .filter(region::Column::ParentId.is_null())
        .filter(
            Condition::any()
                .add(region::Column::Id.in_subquery(studio_regions))
                .add(region::Column::Id.in_subquery(parents_of_studio_regions)),
        )
        .count(db)
        .await?;

    // Activities held in the year, by kind and subkind, with their outcome figures.
    let held = Condition::all()
        .add(activity::Column::Status.eq(ActivityStatus::Done))
        .add(activity::Column::StartDate.between(first, last));
    let held = held.add(activity::Column::VoidedAt.is_null());
    let by_kind: Vec<KindRow> = activity::Entity::find()
        .select_only()
        .column(activity::Column::Kind)
        .column(activity::Column::Subkind)
        .column_as(activity::Column::Id.count(), "n")
        .column_as(sum(activity::Column::IssuesSolved), "issues")
        .column_as(sum(activity::Column::PeopleServed), "served")
        .filter(held.clone())
        .group_by(activity::Column::Kind)
        .group_by(activity::Column::Subkind)
        .into_tuple()
        .all(db)
        .await?;
    let attended = [Attendance::Present, Attendance::Late, Attendance::LeftEarly];
    // Counting the participations of every kind joins every attendance of the year, the
    // slowest part of the year in review: only when asked; the reading figure needs READING
    // alone.
    let kinds = if participations_of_every_kind { ActivityKind::ALL.to_vec() } else { vec![ActivityKind::Reading] };
    let participations: Vec<(ActivityKind, i64)> = participation::Entity::find()
        .select_only()
        .column(activity::Column::Kind)
        .column_as(participation::Column::Id.count(), "n")
        .inner_join(activity::Entity)
        .filter(held)
        .filter(activity::Column::Kind.is_in(kinds))
        .filter(participation::Column::Attendance.is_in(attended))
        // 列席 is recorded and never counted.
        .filter(participation::Column::Invited.eq(true))
        .group_by(activity::Column::Kind)
        .into_tuple()
        .all(db)
        .await?;
    let participations: HashMap<ActivityKind, u64> = participations.into_iter().map(|(k, n)| (k, count(n))).collect();

    let mut per_kind: HashMap<ActivityKind, u64> = HashMap::new();
    let (mut consultations, mut studio_consultations, mut problems_solved) = (0, 0, 0);
    let mut people_served = 0;
    for &(kind, subkind, n, issues, served) in &by_kind {
        *per_kind.entry(kind).or_default() += count(n);
        if kind == ActivityKind::Consultation {
            if subkind == Some(ActivitySubkind::PeoplesLivelihoodHall) {
                studio_consultations += count(n);
                problems_solved += count(issues.unwrap_or(0));
            } else {
                consultations += count(n);
            }
        }
        if kind == ActivityKind::VolunteerService {
            people_served += count(served.unwrap_or(0));
        }
    }
    let activities_by_kind: Vec<KindFigures> = ActivityKind::ALL
        .iter()
        .map(|&kind| KindFigures {
            kind,
            count: per_kind.get(&kind).copied().unwrap_or(0),
            participations: participations.get(&kind).copied().unwrap_or(0),
        })
        .collect();
    let of = |kind: ActivityKind| activities_by_kind.iter().find(|k| k.kind == kind).copied();

    let reports: Option<(i64, Option<i64>)> = duty_item::Entity::find()
        .select_only()
        .column_as(duty_item::Column::Id.count(), "n")
        .column_as(sum(duty_item::Column::Suggestions), "suggestions")
        .filter(duty_item::Column::Kind.eq(DutyItemKind::ResearchReport))
        .filter(duty_item::Column::Status.eq(DutyItemStatus::Confirmed))
        .filter(duty_item::Column::Date.between(first, last))
        .filter(duty_item::Column::VoidedAt.is_null())
        .into_tuple()
        .one(db)
        .await?;
    let (research_reports, suggestions) = reports.map_or((0, 0), |(n, s)| (count(n), count(s.unwrap_or(0))));
    let training_classes = training_session::Entity::find()
        .filter(training_session::Column::Kind.eq(TrainingKind::Class))
        .filter(training_session::Column::StartDate.between(first, last))
        .filter(training_session::Column::VoidedAt.is_null())
        .count(db)
        .await?;

    Ok(YearInReview {
        year,
        members: count(members),
        special_committees,
        towns,
        studios,
        consultations,
        proposals: proposal_figures(db, year).await?,
        research_reports,
        suggestions,
        reading_events: of(ActivityKind::Reading).map_or(0, |k| k.count),
        reading_participations: of(ActivityKind::Reading).map_or(0, |k| k.participations),
        studio_consultations,
        problems_solved,
        volunteer_activities: of(ActivityKind::VolunteerService).map_or(0, |k| k.count),
        people_served,
        training_classes,
        activities_by_kind,
    })
}
