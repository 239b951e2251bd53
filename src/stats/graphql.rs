//! The year in review in the API.

use async_graphql::{Context, Object, Result, SimpleObject};
use rust_decimal::Decimal;

use super::service::{self, KindFigures, ProposalFigures, YearInReview as Figures};
use crate::context::ContextExt;
use entity::enums::ActivityKind;

fn int(n: u64) -> i32 {
    i32::try_from(n).unwrap_or(i32::MAX)
}

/// Activities of one kind in a year.
#[derive(SimpleObject)]
pub struct KindCount {
    /// The kind.
    pub kind: ActivityKind,
    /// Chinese label of the kind.
    pub label: &'static str,
    /// Activities held.
    pub count: i32,
    /// Attendances at them (present, late or leaving early).
    pub participations: i32,
}

impl From<KindFigures> for KindCount {
    fn from(k: KindFigures) -> Self {
        Self { kind: k.kind, label: k.kind.label(), count: int(k.count), participations: int(k.participations) }
    }
}

/// Proposal figures of a year.
#[derive(SimpleObject)]
pub struct ProposalStats {
    /// Proposals submitted.
    pub submitted: i32,
    /// Proposals accepted (立案).
    pub accepted: i32,
    /// Proposals answered (办复).
    pub answered: i32,
    /// 见面率: share of answered proposals whose proposer was met, 0..1.
    pub met_rate: Decimal,
    /// 满意率: share of feedback satisfied or basically satisfied, 0..1.
    pub satisfied_rate: Decimal,
}

impl From<ProposalFigures> for ProposalStats {
    fn from(p: ProposalFigures) -> Self {
        Self {
            submitted: int(p.submitted),
            accepted: int(p.accepted),
            answered: int(p.answered),
            met_rate: p.met_rate,
            satisfied_rate: p.satisfied_rate,
        }
    }
}

/// The office's figures of a year (年度工作综述), counted by the database. Only activities that
/// took place (DONE) count.
#[derive(SimpleObject)]
pub struct YearInReview {
    /// The year.
    pub year: i32,
    /// Members seated during the year.
    pub members: i32,
    /// Special committees.
    pub special_committees: i32,
    /// Towns and streets with studios.
    pub towns: i32,
    /// Member studios open by the end of the year.
    pub studios: i32,
    /// Activities per kind, every kind once.
    #[graphql(complexity = "crate::cost::list(crate::cost::ACTIVITY_KINDS, child_complexity)")]
    pub activities_by_kind: Vec<KindCount>,
    /// Committee-level consultations (协商 other than 民生议事堂).
    pub consultations: i32,
    /// Proposal figures.
    pub proposals: ProposalStats,
    /// Public-opinion reports (社情民意信息) submitted.
    pub opinion_reports: i32,
    /// Public-opinion reports adopted.
    pub opinion_reports_adopted: i32,
    /// Confirmed research reports (调研报告).
    pub research_reports: i32,
    /// Suggestions made in the confirmed research reports.
    pub suggestions: i32,
    /// Reading events (读书活动).
    pub reading_events: i32,
    /// Attendances at reading events.
    pub reading_participations: i32,
    /// 民生议事堂 consultations held by studios.
    pub studio_consultations: i32,
    /// Problems those consultations solved (解决问题数).
    pub problems_solved: i32,
    /// Volunteer-service activities.
    pub volunteer_activities: i32,
    /// People they served (惠及人次).
    pub people_served: i32,
    /// Member training classes (委员培训班).
    pub training_classes: i32,
}

impl From<Figures> for YearInReview {
    fn from(f: Figures) -> Self {
        Self {
            year: f.year,
            members: int(f.members),
            special_committees: int(f.special_committees),
            towns: int(f.towns),
            studios: int(f.studios),
            activities_by_kind: f.activities_by_kind.into_iter().map(KindCount::from).collect(),
            consultations: int(f.consultations),
            opinion_reports: int(f.proposals.opinion_reports),
            opinion_reports_adopted: int(f.proposals.opinion_reports_adopted),
            proposals: f.proposals.into(),
            research_reports: int(f.research_reports),
            suggestions: int(f.suggestions),
            reading_events: int(f.reading_events),
            reading_participations: int(f.reading_participations),
            studio_consultations: int(f.studio_consultations),
            problems_solved: int(f.problems_solved),
            volunteer_activities: int(f.volunteer_activities),
            people_served: int(f.people_served),
            training_classes: int(f.training_classes),
        }
    }
}

/// Queries of statistics.
#[derive(Default)]
pub struct StatsQuery;

#[Object]
impl StatsQuery {
    /// The figures of a year's work summary. Aggregates only: every signed-in role may read it.
    /// It scans a year of ten tables, so it costs ten scans in the complexity limit (a request
    /// holds three at most) and waits for the request's turn.
    #[graphql(complexity = "crate::cost::aggregate(crate::cost::YEAR_IN_REVIEW_SCANS, child_complexity)")]
    async fn year_in_review(&self, ctx: &Context<'_>, year: i32) -> Result<YearInReview> {
        let every_kind = ctx.look_ahead().field("activitiesByKind").field("participations").exists();
        let _turn = crate::share::turn(ctx).await;
        Ok(service::year_in_review(ctx.db()?, ctx.actor()?, year, every_kind).await?.into())
    }
}
