//! The assessment's output types of rule sets and runs.

use crate::organisation::loader::OrganisationLoaders;
use async_graphql::{ComplexObject, Context, ID, Object, Result, SimpleObject};
use chrono::{DateTime, Utc};
use rust_decimal::Decimal;

use super::{
    MemberAssessment,
    inputs::{AssessmentFilter, AssessmentOrder},
};
use crate::{
    assessment::{
        loader::AssessmentLoaders,
        rules::{Category, Definition, GradeBand as Band, Minimum, Rule},
        service,
    },
    context::ContextExt,
    cost::distinct,
    error::AppError,
    loader,
    organisation::graphql::Term,
    pagination::PageArgs,
    relay::{CountedConnection, Kind, encode_id},
};
use entity::{
    assessment_run,
    enums::{
        ActivityKind, ActivitySubkind, AdoptionLevel, AppliesTo, AssessmentScale, Attendance, DutyItemKind, Grade,
        InstructionLevel, OpinionMilestone, ParticipationRole, ProposalMilestone, RulePer, RuleSource, RunStatus,
        SignerRole, SplitMode, TrainingMeasure,
    },
    rule_set,
};

/// A category of points with its cap.
#[derive(SimpleObject, Clone)]
pub struct RuleCategory {
    /// Code, unique within the rule set.
    pub code: String,
    /// Chinese label.
    pub label: String,
    /// The most positive points the category counts; null for no cap.
    pub cap: Option<Decimal>,
    /// Whether deductions stop at a subtotal of 0.
    pub floor_at_zero: bool,
}

impl From<Category> for RuleCategory {
    fn from(c: Category) -> Self {
        Self { code: c.code, label: c.label, cap: c.cap, floor_at_zero: c.floor_at_zero }
    }
}

/// A scoring rule: which records it counts and what each is worth.
#[derive(SimpleObject, Clone)]
pub struct ScoringRule {
    /// Code, unique within the rule set.
    pub code: String,
    /// Chinese label.
    pub label: String,
    /// The category code it counts in.
    pub category: String,
    /// The kind of record it counts.
    pub source: RuleSource,
    /// ACTIVITY: kinds counted (empty: any).
    #[graphql(complexity = "crate::cost::list(ActivityKind::ALL.len(), child_complexity)")]
    pub activity_kinds: Vec<ActivityKind>,
    /// ACTIVITY: subkinds counted (empty: any).
    #[graphql(complexity = "crate::cost::list(ActivitySubkind::ALL.len(), child_complexity)")]
    pub activity_subkinds: Vec<ActivitySubkind>,
    /// ACTIVITY: attendance counted (empty: present, late or leaving early).
    #[graphql(complexity = "crate::cost::list(Attendance::ALL.len(), child_complexity)")]
    pub attendance: Vec<Attendance>,
    /// ACTIVITY: roles counted (empty: any).
    #[graphql(complexity = "crate::cost::list(ParticipationRole::ALL.len(), child_complexity)")]
    pub roles: Vec<ParticipationRole>,
    /// ACTIVITY: only compulsory activities.
    pub compulsory_only: bool,
    /// TRAINING: what is counted.
    pub training: Option<TrainingMeasure>,
    /// PROPOSAL: the milestone counted.
    pub proposal_milestone: Option<ProposalMilestone>,
    /// OPINION_REPORT: the milestone counted.
    pub opinion_milestone: Option<OpinionMilestone>,
    /// OPINION_REPORT ADOPTED: adoption levels counted (empty: any).
    #[graphql(complexity = "crate::cost::list(AdoptionLevel::ALL.len(), child_complexity)")]
    pub adoption_levels: Vec<AdoptionLevel>,
    /// OPINION_REPORT INSTRUCTED: instruction levels counted (empty: any).
    #[graphql(complexity = "crate::cost::list(InstructionLevel::ALL.len(), child_complexity)")]
    pub instruction_levels: Vec<InstructionLevel>,
    /// PROPOSAL / OPINION_REPORT: signer roles that score (empty: any).
    #[graphql(complexity = "crate::cost::list(SignerRole::ALL.len(), child_complexity)")]
    pub signer_roles: Vec<SignerRole>,
    /// DUTY_ITEM: item types counted (empty: any).
    #[graphql(complexity = "crate::cost::list(DutyItemKind::ALL.len(), child_complexity)")]
    pub duty_item_kinds: Vec<DutyItemKind>,
    /// DUTY_ITEM: only confirmed items.
    pub confirmed_only: bool,
    /// Points per record (per hour for TRAINING HOURS); negative for deductions.
    pub points: Decimal,
    /// Per record or once a year.
    pub per: RulePer,
    /// How joint work is split.
    pub split: SplitMode,
    /// The most points (in absolute value) the rule counts in a year.
    pub cap: Option<Decimal>,
    /// The first this many records of a member in the year score nothing.
    pub skip_first: i32,
    /// Whom the rule applies to.
    pub applies_to: AppliesTo,
}

impl From<Rule> for ScoringRule {
    fn from(r: Rule) -> Self {
        Self {
            code: r.code,
            label: r.label,
            category: r.category,
            source: r.source,
            activity_kinds: distinct(r.activity_kinds),
            activity_subkinds: distinct(r.activity_subkinds),
            attendance: distinct(r.attendance),
            roles: distinct(r.roles),
            compulsory_only: r.compulsory_only,
            training: r.training,
            proposal_milestone: r.proposal_milestone,
            opinion_milestone: r.opinion_milestone,
            adoption_levels: distinct(r.adoption_levels),
            instruction_levels: distinct(r.instruction_levels),
            signer_roles: distinct(r.signer_roles),
            duty_item_kinds: distinct(r.duty_item_kinds),
            confirmed_only: r.confirmed_only,
            points: r.points,
            per: r.per,
            split: r.split,
            cap: r.cap,
            skip_first: i32::try_from(r.skip_first).unwrap_or(i32::MAX),
            applies_to: r.applies_to,
        }
    }
}

/// A grade band: the grade given from a minimum total.
#[derive(SimpleObject, Clone)]
#[graphql(complex)]
pub struct GradeBand {
    /// The grade.
    pub grade: Grade,
    /// The lowest total of the band (the last band takes everything below).
    pub min_points: Decimal,
}

#[ComplexObject]
impl GradeBand {
    /// Chinese label of the grade.
    async fn grade_label(&self) -> &'static str {
        self.grade.label()
    }
}

impl From<Band> for GradeBand {
    fn from(b: Band) -> Self {
        Self { grade: b.grade, min_points: b.min_points }
    }
}

/// A minimum requirement that caps the grade when unmet (e.g. 济南 "三个一").
#[derive(SimpleObject, Clone)]
pub struct MinimumRequirement {
    /// Code.
    pub code: String,
    /// Chinese label.
    pub label: String,
    /// The rules whose matched records count towards it (at most 200).
    #[graphql(complexity = "crate::cost::list(crate::cost::RULES, child_complexity)")]
    pub rules: Vec<String>,
    /// How many records are required.
    pub count: i32,
    /// The best grade a member who misses it may get.
    pub max_grade: Grade,
}

impl From<Minimum> for MinimumRequirement {
    fn from(m: Minimum) -> Self {
        Self {
            code: m.code,
            label: m.label,
            rules: crate::cost::capped(m.rules, crate::cost::RULES),
            count: i32::try_from(m.count).unwrap_or(i32::MAX),
            max_grade: m.max_grade,
        }
    }
}

/// A rule set (考核办法): scoring rules, caps, grade bands and minimums, as data.
pub struct RuleSet(pub rule_set::Model);

impl RuleSet {
    /// The rule set `id` for `node(id:)`, with the access of `ruleSets`.
    pub async fn find(ctx: &Context<'_>, id: i64) -> Result<Self, AppError> {
        service::rule_set(ctx.db()?, ctx.actor()?, id).await.map(Self)
    }

    fn definition(&self) -> Result<Definition, AppError> {
        Definition::from_json(&self.0.definition)
    }
}

#[Object]
impl RuleSet {
    /// Global ID.
    pub async fn id(&self) -> ID {
        encode_id(Kind::RuleSet, self.0.id)
    }
    /// Name.
    async fn name(&self) -> &str {
        &self.0.name
    }
    /// Version within the name (1, 2, …).
    async fn version(&self) -> i32 {
        self.0.version
    }
    /// What the rule set is and where it comes from.
    async fn description(&self) -> Option<&str> {
        self.0.description.as_deref()
    }
    /// The term it applies to, if tied to one.
    async fn term(&self, ctx: &Context<'_>) -> Result<Option<Term>> {
        let Some(id) = self.0.term_id else { return Ok(None) };
        Ok(crate::loader::one(&ctx.loaders()?.get::<OrganisationLoaders>().term, id).await?.map(Term))
    }
    /// The one year it applies to, if tied to one.
    async fn year(&self) -> Option<i32> {
        self.0.year
    }
    /// How points become a total.
    async fn scale(&self) -> AssessmentScale {
        self.0.scale
    }
    /// Chinese label of the scale.
    async fn scale_label(&self) -> &'static str {
        self.0.scale.label()
    }
    /// Points every member starts from.
    async fn base_points(&self) -> Result<Decimal> {
        Ok(self.definition()?.base_points)
    }
    /// The ceiling of the total; null for none.
    async fn max_points(&self) -> Result<Option<Decimal>> {
        Ok(self.definition()?.max_points)
    }
    /// BASE_PLUS_BONUS: the most bonus points that count.
    async fn max_bonus(&self) -> Result<Option<Decimal>> {
        Ok(self.definition()?.max_bonus)
    }
    /// The pass mark; null: passing means not in the lowest grade.
    async fn pass_mark(&self) -> Result<Option<Decimal>> {
        Ok(self.definition()?.pass_mark)
    }
    /// Whether the total stops at 0.
    async fn floor_at_zero(&self) -> Result<bool> {
        Ok(self.definition()?.floor_at_zero)
    }
    /// Unexcused plenary absences in a term that flag PERSUADE_RESIGN.
    async fn plenary_absence_limit(&self) -> Result<Option<i32>> {
        Ok(self.definition()?.plenary_absence_limit)
    }
    /// Absence limits that raise a flag (at most 20).
    #[graphql(complexity = "crate::cost::list(crate::cost::MINIMUMS, child_complexity)")]
    async fn absence_limits(&self) -> Result<Vec<super::absence::AbsenceLimitRule>> {
        Ok(crate::cost::capped(self.definition()?.absence_limits, crate::cost::MINIMUMS)
            .into_iter()
            .map(super::absence::AbsenceLimitRule)
            .collect())
    }
    /// The categories points are subtotalled in (at most 20).
    #[graphql(complexity = "crate::cost::list(crate::cost::CATEGORIES, child_complexity)")]
    async fn categories(&self) -> Result<Vec<RuleCategory>> {
        Ok(crate::cost::capped(self.definition()?.categories, crate::cost::CATEGORIES)
            .into_iter()
            .map(Into::into)
            .collect())
    }
    /// The scoring rules, in order (at most 200).
    #[graphql(complexity = "crate::cost::list(crate::cost::RULES, child_complexity)")]
    async fn rules(&self) -> Result<Vec<ScoringRule>> {
        Ok(crate::cost::capped(self.definition()?.rules, crate::cost::RULES).into_iter().map(Into::into).collect())
    }
    /// The grade bands, best first (one a grade at most).
    #[graphql(complexity = "crate::cost::list(crate::cost::GRADES, child_complexity)")]
    async fn grades(&self) -> Result<Vec<GradeBand>> {
        Ok(crate::cost::capped(self.definition()?.grades, crate::cost::GRADES).into_iter().map(Into::into).collect())
    }
    /// The minimum requirements (at most 20).
    #[graphql(complexity = "crate::cost::list(crate::cost::MINIMUMS, child_complexity)")]
    async fn minimums(&self) -> Result<Vec<MinimumRequirement>> {
        Ok(crate::cost::capped(self.definition()?.minimums, crate::cost::MINIMUMS)
            .into_iter()
            .map(Into::into)
            .collect())
    }
    /// When it was created.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
}

/// How many members got a grade.
#[derive(SimpleObject)]
pub struct GradeCount {
    /// The grade.
    pub grade: Grade,
    /// Its Chinese label.
    pub label: &'static str,
    /// How many members.
    pub count: i64,
}

impl crate::plain::Plain for GradeCount {
    fn plain(&self, field: &async_graphql::parser::types::Field) -> Option<async_graphql::Value> {
        use crate::plain;
        match field.name.node.as_str() {
            "grade" => plain::enumerated(self.grade),
            "label" => plain::text(self.label),
            "count" => plain::scalar(&self.count),
            _ => None,
        }
    }
}

/// An assessment run: one rule set applied to one year's records of every seated member.
pub struct AssessmentRun(pub assessment_run::Model);

impl AssessmentRun {
    /// The run `id` for `node(id:)` and `assessmentRun(id:)`, with the access of
    /// `assessmentRuns`.
    pub async fn find(ctx: &Context<'_>, id: i64) -> Result<Self, AppError> {
        service::find_run(ctx.db()?, ctx.actor()?, id).await.map(Self)
    }
}

#[Object]
impl AssessmentRun {
    /// Global ID.
    pub async fn id(&self) -> ID {
        encode_id(Kind::AssessmentRun, self.0.id)
    }
    /// The rule set applied.
    async fn rule_set(&self, ctx: &Context<'_>) -> Result<Option<RuleSet>> {
        let loaders = ctx.loaders()?.get::<AssessmentLoaders>();
        Ok(loader::one(&loaders.rule_set, self.0.rule_set_id).await?.map(RuleSet))
    }
    /// The year assessed.
    async fn year(&self) -> i32 {
        self.0.year
    }
    /// DRAFT, CONFIRMED or PUBLISHED.
    async fn status(&self) -> RunStatus {
        self.0.status
    }
    /// Chinese label of the status.
    async fn status_label(&self) -> &'static str {
        self.0.status.label()
    }
    /// How many members were assessed.
    async fn member_count(&self) -> i32 {
        self.0.member_count
    }
    /// How many score lines the run holds.
    async fn line_count(&self) -> i64 {
        self.0.line_count
    }
    /// When the results were (last) computed.
    async fn computed_at(&self) -> DateTime<Utc> {
        self.0.computed_at
    }
    /// When it was confirmed.
    async fn confirmed_at(&self) -> Option<DateTime<Utc>> {
        self.0.confirmed_at
    }
    /// When it was published.
    async fn published_at(&self) -> Option<DateTime<Utc>> {
        self.0.published_at
    }
    /// How many members got each grade, best grade first. Counted over the run's results by
    /// the database: one scan in the complexity limit, and it waits for the request's turn.
    #[graphql(complexity = "crate::cost::aggregate_list(1, crate::cost::GRADES, child_complexity)")]
    async fn grade_counts(&self, ctx: &Context<'_>) -> Result<Vec<GradeCount>> {
        let _turn = crate::share::turn(ctx).await;
        let rows = service::grade_counts(ctx.db()?, self.0.id).await?;
        Ok(rows.into_iter().map(|(grade, count)| GradeCount { grade, label: grade.label(), count }).collect())
    }
    /// The results grouped by sector, special committee, studio, town, party, standing or
    /// newness: per group the member count, mean, median, lowest and highest total, pass rate,
    /// grade counts and each category's mean. Office staff see every group; a VIEWER sees a
    /// published run's groups of at least 3 members (smaller groups are omitted). Priced as one
    /// scan of the run plus its dimension's cap of groups.
    #[graphql(complexity = "crate::cost::aggregate_list(1, crate::cost::groups(by), child_complexity)")]
    async fn groups(
        &self,
        ctx: &Context<'_>,
        by: entity::enums::AssessmentGroupBy,
    ) -> Result<Vec<crate::plain::Fast<crate::analytics::graphql::AssessmentGroup>>> {
        let groups = crate::analytics::graphql::run_groups(ctx, &self.0, by).await?;
        Ok(crate::cost::capped(groups, crate::cost::groups(by)).into_iter().map(crate::plain::Fast).collect())
    }
    /// The run's results, paged (by rank unless ordered otherwise).
    #[graphql(complexity = "crate::relay::page_cost(first, last, child_complexity)")]
    #[expect(clippy::too_many_arguments, reason = "the Relay arguments of a connection field")]
    async fn assessments(
        &self,
        ctx: &Context<'_>,
        filter: Option<AssessmentFilter>,
        order_by: Option<Vec<AssessmentOrder>>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> Result<CountedConnection<crate::plain::Fast<MemberAssessment>>> {
        let mut filter = filter.unwrap_or_default();
        filter.run_id = Some(encode_id(Kind::AssessmentRun, self.0.id));
        super::query::results(ctx, self.0.year, filter, order_by, PageArgs { first, after, last, before }).await
    }
}
