//! The analytics in the API: `AssessmentRun.groups(by:)`, a result's `cohortSize`,
//! `percentile` and `change`, and `Member.assessments`. The fields live on the assessment's and
//! the member's types, whose resolvers hand over to the functions here.

use std::collections::HashMap;

use async_graphql::{Context, Object, Result, SimpleObject, Value, parser::types::Field};
use rust_decimal::Decimal;

use super::{
    duty::{self, KindFigures, MonthFigures},
    duty_groups::{self, GroupFigures},
    groups::{self, Group, GroupKey},
    loader::AnalyticsLoaders,
    standing,
};
use crate::{
    assessment::graphql::{GradeCount, MemberAssessment},
    auth::policy::AssessmentScope,
    context::ContextExt,
    error::AppError,
    loader,
    plain::{self, Plain},
    relay::{Kind, encode_id},
};
use entity::{
    assessment_run,
    enums::{ActivityKind, AssessmentGroupBy, Cohort},
    member_assessment,
};

/// One category's mean subtotal within a group.
#[derive(SimpleObject)]
pub struct CategoryMean {
    /// Category code.
    pub category: String,
    /// Chinese label.
    pub label: String,
    /// The mean subtotal over the group's members (a member without lines in it counts 0).
    pub mean: Decimal,
}

/// The figures of one group of a run's results (a sector, committee, studio, town, party,
/// standing or not, new or returning), all computed by the database.
#[derive(SimpleObject)]
pub struct AssessmentGroup {
    /// What the group is: the global ID of its sector, special committee, studio or town
    /// (`NONE` for members without one), a `Party` value, or `true`/`false` for STANDING and
    /// NEW_MEMBER.
    pub key: String,
    /// Chinese label: the unit's name, the party, 常委/非常委, 新任/连任, or 未入专委会 and the like.
    pub label: String,
    /// How many members.
    pub member_count: i64,
    /// The mean total, to the cent.
    pub mean: Decimal,
    /// The median total, to the cent (the mean of the two middle totals when the count is even).
    pub median: Decimal,
    /// The lowest total.
    pub min: Decimal,
    /// The highest total.
    pub max: Decimal,
    /// The share of members who reached the pass mark, 0..1.
    pub pass_rate: Decimal,
    /// How many members got each grade, best first, every grade listed.
    #[graphql(complexity = "crate::cost::list(crate::cost::GRADES, child_complexity)")]
    pub grade_counts: Vec<GradeCount>,
    /// Each category's mean subtotal, in the rule set's order.
    #[graphql(complexity = "crate::cost::list(crate::cost::CATEGORIES, child_complexity)")]
    pub category_means: Vec<CategoryMean>,
}

impl Plain for CategoryMean {
    fn plain(&self, field: &Field) -> Option<Value> {
        match field.name.node.as_str() {
            "category" => plain::text(&self.category),
            "label" => plain::text(&self.label),
            "mean" => plain::scalar(&self.mean),
            _ => None,
        }
    }
}

impl Plain for AssessmentGroup {
    fn plain(&self, field: &Field) -> Option<Value> {
        match field.name.node.as_str() {
            "key" => plain::text(&self.key),
            "label" => plain::text(&self.label),
            "memberCount" => plain::scalar(&self.member_count),
            "mean" => plain::scalar(&self.mean),
            "median" => plain::scalar(&self.median),
            "min" => plain::scalar(&self.min),
            "max" => plain::scalar(&self.max),
            "passRate" => plain::scalar(&self.pass_rate),
            "gradeCounts" => plain::list(&self.grade_counts, field),
            "categoryMeans" => plain::list(&self.category_means, field),
            _ => None,
        }
    }
}

fn key_text(by: AssessmentGroupBy, key: &GroupKey) -> String {
    match key {
        GroupKey::Unit(None) => "NONE".to_owned(),
        GroupKey::Unit(Some(id)) => {
            let kind = match by {
                AssessmentGroupBy::Sector => Kind::Sector,
                AssessmentGroupBy::SpecialCommittee => Kind::SpecialCommittee,
                AssessmentGroupBy::Studio => Kind::Studio,
                _ => Kind::Region,
            };
            encode_id(kind, *id).0
        }
        GroupKey::Party(party) => sea_orm::ActiveEnum::to_value(party),
        GroupKey::Flag(yes) => yes.to_string(),
    }
}

fn group(by: AssessmentGroupBy, g: Group) -> AssessmentGroup {
    AssessmentGroup {
        key: key_text(by, &g.key),
        label: g.label,
        member_count: g.member_count,
        mean: g.mean,
        median: g.median,
        min: g.min,
        max: g.max,
        pass_rate: g.pass_rate,
        grade_counts: g
            .grade_counts
            .into_iter()
            .map(|(grade, count)| GradeCount { grade, label: grade.label(), count })
            .collect(),
        category_means: g
            .category_means
            .into_iter()
            .map(|c| CategoryMean { category: c.category, label: c.label, mean: c.mean })
            .collect(),
    }
}

/// `AssessmentRun.groups(by:)`.
pub async fn run_groups(
    ctx: &Context<'_>,
    run: &assessment_run::Model,
    by: AssessmentGroupBy,
) -> Result<Vec<AssessmentGroup>> {
    let found = groups::groups(ctx.db()?, ctx.actor()?, run, by).await?;
    Ok(found.into_iter().map(|g| group(by, g)).collect())
}

/// `MemberAssessment.cohortSize(cohort:)`.
pub async fn cohort_size(ctx: &Context<'_>, row: &member_assessment::Model, cohort: Cohort) -> Result<i32> {
    let loaders = ctx.loaders()?.get::<AnalyticsLoaders>();
    let key = (row.run_id, cohort, standing::cohort_key(row, cohort));
    let size = loader::one(&loaders.cohort_size, key).await?.unwrap_or(0);
    Ok(i32::try_from(size).unwrap_or(i32::MAX))
}

/// `MemberAssessment.percentile(cohort:)`.
pub async fn percentile(ctx: &Context<'_>, row: &member_assessment::Model, cohort: Cohort) -> Result<Option<f64>> {
    let size = cohort_size(ctx, row, cohort).await?;
    Ok(standing::percentile(standing::cohort_rank(row, cohort), i64::from(size)))
}

/// `MemberAssessment.change`: from the previous year's result the reader may see.
pub async fn change(ctx: &Context<'_>, row: &member_assessment::Model) -> Result<Option<Decimal>> {
    let Some(scope) = standing::scope_for(ctx.actor()?, row.member_id)? else { return Ok(None) };
    let loaders = ctx.loaders()?.get::<AnalyticsLoaders>();
    let previous = loader::one(&loaders.result, (row.member_id, row.year - 1, scope)).await?.flatten();
    Ok(standing::change(row, previous.as_ref()))
}

/// `Member.assessments`: every year's result the reader may see, newest first (empty for a
/// reader who may see none of the member's results).
pub async fn member_assessments(ctx: &Context<'_>, member_id: i64) -> Result<Vec<MemberAssessment>> {
    let Some(scope) = standing::scope_for(ctx.actor()?, member_id)? else { return Ok(Vec::new()) };
    let loaders = ctx.loaders()?.get::<AnalyticsLoaders>();
    let rows = loader::one(&loaders.history, (member_id, scope)).await?.unwrap_or_default();
    feed_previous_years(&loaders, member_id, scope, &rows).await;
    Ok(rows.into_iter().map(MemberAssessment).collect())
}

/// Tells `change`'s loader what a member's history already holds: the result of each year in
/// it and, for every other year from the one before the oldest to the newest, that there is
/// none (the history is every result the scope allows, chosen as `change`'s loader chooses), so
/// that `change` on a history asks the database nothing more.
async fn feed_previous_years(
    loaders: &AnalyticsLoaders,
    member_id: i64,
    scope: AssessmentScope,
    rows: &[member_assessment::Model],
) {
    let (Some(oldest), Some(newest)) = (rows.iter().map(|r| r.year).min(), rows.iter().map(|r| r.year).max()) else {
        return;
    };
    let known: HashMap<i32, &member_assessment::Model> = rows.iter().map(|r| (r.year, r)).collect();
    let years = (oldest - 1)..=newest;
    loaders
        .result
        .feed_many(years.map(|year| ((member_id, year, scope), known.get(&year).map(|r| (*r).clone()))))
        .await;
}

/// The cohorts named by the `cohort` arguments of every selection of a field.
fn cohorts_of(look: &async_graphql::Lookahead<'_>) -> Vec<Cohort> {
    look.selection_fields()
        .into_iter()
        .filter_map(|field| field.arguments().ok())
        .filter_map(|args| {
            args.iter().find(|(n, _)| n.as_str() == "cohort").and_then(|(_, v)| match v {
                async_graphql::Value::Enum(name) => {
                    Cohort::ALL.iter().copied().find(|c| sea_orm::ActiveEnum::to_value(c) == name.as_str())
                }
                _ => None,
            })
        })
        .collect()
}

/// Loads, for a page of members, what their `assessments` select: every year's results, the
/// results of the years before (for `change`) and the sizes of the cohorts asked for — a fixed
/// number of statements for the whole page, so the nodes' own loads find everything cached.
pub async fn prefetch_members(ctx: &Context<'_>, ids: &[i64]) -> Result<(), AppError> {
    let look = ctx.look_ahead();
    let fields = [look.field("nodes").field("assessments"), look.field("edges").field("node").field("assessments")];
    if !fields.iter().any(async_graphql::Lookahead::exists) {
        return Ok(());
    }
    let actor = ctx.actor()?;
    let l = ctx.loaders()?;
    let keys: Vec<_> =
        ids.iter().filter_map(|&m| standing::scope_for(actor, m).ok().flatten().map(|scope| (m, scope))).collect();
    let histories = loader::many(&l.get::<AnalyticsLoaders>().history, keys.iter().copied()).await?;
    let scopes: std::collections::HashMap<i64, _> = keys.into_iter().collect();
    let rows: Vec<&member_assessment::Model> = histories.iter().flatten().collect();
    if fields.iter().any(|f| f.field("change").exists()) {
        let previous: Vec<_> = rows
            .iter()
            .filter_map(|r| scopes.get(&r.member_id).map(|&scope| (r.member_id, r.year - 1, scope)))
            .collect();
        loader::many(&l.get::<AnalyticsLoaders>().result, previous).await?;
    }
    let mut cohorts: Vec<Cohort> = Vec::new();
    for field in &fields {
        cohorts.extend(cohorts_of(&field.field("cohortSize")));
        cohorts.extend(cohorts_of(&field.field("percentile")));
    }
    cohorts.sort_by_key(sea_orm::ActiveEnum::to_value);
    cohorts.dedup();
    let mut sizes = Vec::with_capacity(rows.len() * cohorts.len());
    for row in &rows {
        for &cohort in &cohorts {
            sizes.push((row.run_id, cohort, standing::cohort_key(row, cohort)));
        }
    }
    loader::many(&l.get::<AnalyticsLoaders>().cohort_size, sizes).await?;
    Ok(())
}

/// Participations in activities of one kind, and how many were attended.
#[derive(SimpleObject)]
pub struct KindParticipation {
    /// The activity kind.
    pub kind: ActivityKind,
    /// Its Chinese label.
    pub label: &'static str,
    /// Recorded participations (of activities that took place).
    pub participations: i64,
    /// Of which attended: present, late or leaving early.
    pub attended: i64,
    /// attended / participations, 0..1; null without participations.
    pub attendance_rate: Option<Decimal>,
}

impl From<KindFigures> for KindParticipation {
    fn from(k: KindFigures) -> Self {
        Self {
            kind: k.kind,
            label: k.kind.label(),
            participations: k.participations,
            attended: k.attended,
            attendance_rate: k.rate(),
        }
    }
}

/// A month's duty records across the committee.
#[derive(SimpleObject)]
pub struct DutyMonth {
    /// 1–12.
    pub month: u32,
    /// Participations and attendance per activity kind (kinds with any).
    #[graphql(complexity = "crate::cost::list(crate::cost::ACTIVITY_KINDS, child_complexity)")]
    pub activities: Vec<KindParticipation>,
    /// Proposals submitted in the month.
    pub proposals_submitted: i64,
    /// Of which accepted (立案).
    pub proposals_accepted: i64,
    /// Public-opinion reports submitted in the month.
    pub reports_submitted: i64,
    /// Of which adopted.
    pub reports_adopted: i64,
    /// Training hours earned in sessions that began in the month.
    pub training_hours: Decimal,
}

impl From<MonthFigures> for DutyMonth {
    fn from(m: MonthFigures) -> Self {
        Self {
            month: m.month,
            activities: m.activities.into_iter().map(Into::into).collect(),
            proposals_submitted: m.proposals_submitted,
            proposals_accepted: m.proposals_accepted,
            reports_submitted: m.reports_submitted,
            reports_adopted: m.reports_adopted,
            training_hours: m.training_hours,
        }
    }
}

/// A year's duty records of one group of members (a sector, committee, studio, town, party,
/// standing or not, new or returning), all computed by the database.
#[derive(SimpleObject)]
pub struct DutyGroup {
    /// What the group is, as `AssessmentGroup.key`: the global ID of its sector, special
    /// committee, studio or town (`NONE` for members without one), a `Party` value, or
    /// `true`/`false` for STANDING and NEW_MEMBER.
    pub key: String,
    /// Chinese label: the unit's name, the party, 常委/非常委, 新任/连任, or 未入专委会 and the like.
    pub label: String,
    /// Members seated in the year placed in the group (as an assessment run places them).
    pub member_count: i64,
    /// Participations and attendance per activity kind (kinds with any), counted from
    /// invitations: invited and marked rows of activities held in the year (pending ones are
    /// not absences, 列席 never counts).
    #[graphql(complexity = "crate::cost::list(crate::cost::ACTIVITY_KINDS, child_complexity)")]
    pub activities: Vec<KindParticipation>,
    /// Proposals of the year signed (first or co-signer) by a member of the group, each counted
    /// once per group; converted proposals left out.
    pub proposals_submitted: i64,
    /// Of which accepted (立案).
    pub proposals_accepted: i64,
    /// Public-opinion reports of the year written (first or co-author) by a member of the group.
    pub reports_submitted: i64,
    /// Of which adopted.
    pub reports_adopted: i64,
    /// Training hours the group's members earned in sessions that began in the year.
    pub training_hours: Decimal,
}

fn duty_group(by: AssessmentGroupBy, g: GroupFigures) -> DutyGroup {
    DutyGroup {
        key: key_text(by, &g.key),
        label: g.label,
        member_count: g.member_count,
        activities: g.activities.into_iter().map(Into::into).collect(),
        proposals_submitted: g.proposals_submitted,
        proposals_accepted: g.proposals_accepted,
        reports_submitted: g.reports_submitted,
        reports_adopted: g.reports_adopted,
        training_hours: g.training_hours,
    }
}

/// Queries of the analytics.
#[derive(Default)]
pub struct AnalyticsQuery;

#[Object]
impl AnalyticsQuery {
    /// The committee's duty records of a year per month (every month, zeros included):
    /// participations and attendance per activity kind, proposals submitted and accepted,
    /// public-opinion reports submitted and adopted, training hours. Every signed-in role.
    #[graphql(complexity = "crate::cost::aggregate_list(4, crate::cost::MONTHS, child_complexity)")]
    async fn duty_records_by_month(&self, ctx: &Context<'_>, year: i32) -> Result<Vec<DutyMonth>> {
        Ok(duty::by_month(ctx.db()?, ctx.actor()?, year).await?.into_iter().map(Into::into).collect())
    }

    /// The committee's duty records of a year per group of members — by sector, special
    /// committee, studio, town, party, standing or newness, the dimensions of
    /// `AssessmentRun.groups` —: per group the members, participations and attendance per
    /// activity kind, proposals submitted and accepted, public-opinion reports submitted and
    /// adopted, training hours. A member is placed as an assessment run places them (the seat of
    /// the year; the committee and studio held at the end of it) and all their records of the
    /// year count there. Office, committee and studio staff, sector conveners and group leads
    /// see every group; a VIEWER only groups of at least 3 members (smaller ones are omitted).
    /// Priced as three scans plus the dimension's cap of groups.
    #[graphql(complexity = "crate::cost::aggregate_list(3, crate::cost::groups(by), child_complexity)")]
    async fn duty_records_by_group(
        &self,
        ctx: &Context<'_>,
        year: i32,
        by: AssessmentGroupBy,
    ) -> Result<Vec<DutyGroup>> {
        let _turn = crate::share::turn(ctx).await;
        let found = duty_groups::by_group(ctx.db()?, ctx.actor()?, year, by).await?;
        Ok(crate::cost::capped(found, crate::cost::groups(by)).into_iter().map(|g| duty_group(by, g)).collect())
    }
}

/// `Member.activityCounts(year:)`.
pub async fn member_activity_counts(ctx: &Context<'_>, member_id: i64, year: i32) -> Result<Vec<KindParticipation>> {
    let of = crate::activity::service::records_of(ctx.actor()?, member_id, Some(year))?;
    let loaders = ctx.loaders()?.get::<AnalyticsLoaders>();
    let counts = loader::one(&loaders.activity_counts, (of, year)).await?.unwrap_or_default();
    Ok(counts.into_iter().map(Into::into).collect())
}
