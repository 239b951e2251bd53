//! The assessment in the API: rule sets, runs, members' results with their lines.

use async_graphql::{ComplexObject, Context, Enum, ID, InputObject, Object, Result, SimpleObject};
use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;

use super::{
    engine::Subtotal,
    rules::{self, Category, Definition, GradeBand as Band, Minimum, Rule},
    service::{self, AssessmentFilter as Filter, AssessmentSort, NewRuleSet},
};
use crate::{
    auth::{Actor, policy},
    context::ContextExt,
    error::AppError,
    member::graphql::{Member, OrderDirection},
    organisation::graphql::Term,
    pagination::PageArgs,
    relay::{CountedConnection, Kind, TotalCount, connection, decode_id, decode_opt, encode_id},
};
use entity::{
    assessment_adjustment, assessment_lines, assessment_run,
    enums::{
        ActivityKind, ActivitySubkind, AdoptionLevel, AppliesTo, AssessmentScale, Attendance, Cohort, ConsequenceFlag,
        DutyItemKind, Grade, InstructionLevel, OpinionMilestone, ParticipationRole, ProposalMilestone, RulePer,
        RuleSource, RunStatus, SignerRole, SplitMode, TrainingMeasure,
    },
    member_assessment, rule_set,
};

fn loaded<T>(r: Result<Option<T>, std::sync::Arc<AppError>>) -> Result<Option<T>, AppError> {
    r.map_err(|e| (*e).clone())
}

// ----- rule sets -----

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
    pub activity_kinds: Vec<ActivityKind>,
    /// ACTIVITY: subkinds counted (empty: any).
    pub activity_subkinds: Vec<ActivitySubkind>,
    /// ACTIVITY: attendance counted (empty: present, late or leaving early).
    pub attendance: Vec<Attendance>,
    /// ACTIVITY: roles counted (empty: any).
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
    pub adoption_levels: Vec<AdoptionLevel>,
    /// OPINION_REPORT INSTRUCTED: instruction levels counted (empty: any).
    pub instruction_levels: Vec<InstructionLevel>,
    /// PROPOSAL / OPINION_REPORT: signer roles that score (empty: any).
    pub signer_roles: Vec<SignerRole>,
    /// DUTY_ITEM: item types counted (empty: any).
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
            activity_kinds: r.activity_kinds,
            activity_subkinds: r.activity_subkinds,
            attendance: r.attendance,
            roles: r.roles,
            compulsory_only: r.compulsory_only,
            training: r.training,
            proposal_milestone: r.proposal_milestone,
            opinion_milestone: r.opinion_milestone,
            adoption_levels: r.adoption_levels,
            instruction_levels: r.instruction_levels,
            signer_roles: r.signer_roles,
            duty_item_kinds: r.duty_item_kinds,
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
    /// The rules whose matched records count towards it.
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
            rules: m.rules,
            count: i32::try_from(m.count).unwrap_or(i32::MAX),
            max_grade: m.max_grade,
        }
    }
}

/// A rule set (考核办法): scoring rules, caps, grade bands and minimums, as data.
pub struct RuleSet(pub rule_set::Model);

impl RuleSet {
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
        Ok(crate::loader::one(&ctx.loaders()?.term, id).await?.map(Term))
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
    /// The categories points are subtotalled in.
    async fn categories(&self) -> Result<Vec<RuleCategory>> {
        Ok(self.definition()?.categories.into_iter().map(Into::into).collect())
    }
    /// The scoring rules, in order.
    async fn rules(&self) -> Result<Vec<ScoringRule>> {
        Ok(self.definition()?.rules.into_iter().map(Into::into).collect())
    }
    /// The grade bands, best first.
    async fn grades(&self) -> Result<Vec<GradeBand>> {
        Ok(self.definition()?.grades.into_iter().map(Into::into).collect())
    }
    /// The minimum requirements.
    async fn minimums(&self) -> Result<Vec<MinimumRequirement>> {
        Ok(self.definition()?.minimums.into_iter().map(Into::into).collect())
    }
    /// When it was created.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
}

// ----- runs and results -----

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

/// An assessment run: one rule set applied to one year's records of every seated member.
pub struct AssessmentRun(pub assessment_run::Model);

#[Object]
impl AssessmentRun {
    /// Global ID.
    pub async fn id(&self) -> ID {
        encode_id(Kind::AssessmentRun, self.0.id)
    }
    /// The rule set applied.
    async fn rule_set(&self, ctx: &Context<'_>) -> Result<Option<RuleSet>> {
        let l = &ctx.loaders()?.assessment;
        Ok(loaded(l.rule_set.load_one(self.0.rule_set_id).await)?.map(RuleSet))
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
    /// How many members got each grade, best grade first.
    async fn grade_counts(&self, ctx: &Context<'_>) -> Result<Vec<GradeCount>> {
        let rows = service::grade_counts(ctx.db()?, self.0.id).await?;
        Ok(rows.into_iter().map(|(grade, count)| GradeCount { grade, label: grade.label(), count }).collect())
    }
    /// The run's results, paged (by rank unless ordered otherwise).
    #[graphql(complexity = "crate::relay::page_cost(first, last, child_complexity)")]
    #[allow(clippy::too_many_arguments, reason = "the Relay arguments of a connection field")]
    async fn assessments(
        &self,
        ctx: &Context<'_>,
        filter: Option<AssessmentFilter>,
        order_by: Option<Vec<AssessmentOrder>>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> Result<CountedConnection<MemberAssessment>> {
        let mut filter = filter.unwrap_or_default();
        filter.run_id = Some(encode_id(Kind::AssessmentRun, self.0.id));
        results(ctx, self.0.year, filter, order_by, PageArgs { first, after, last, before }).await
    }
}

/// A category subtotal of a result.
#[derive(SimpleObject)]
pub struct CategorySubtotal {
    /// Category code.
    pub category: String,
    /// Chinese label.
    pub label: String,
    /// Points.
    pub points: Decimal,
    /// How many lines count in it.
    pub records: i64,
}

impl From<Subtotal> for CategorySubtotal {
    fn from(s: Subtotal) -> Self {
        Self { category: s.category, label: s.label, points: rules::points(s.cents), records: s.records }
    }
}

/// One counted record: date, description, rule and points.
pub struct ScoreLine(pub assessment_lines::ScoreLine);

#[Object]
impl ScoreLine {
    /// The record's date.
    async fn date(&self) -> NaiveDate {
        self.0.date
    }
    /// What was counted, e.g. "常委会议 缺席".
    async fn description(&self) -> &str {
        &self.0.description
    }
    /// The rule's code.
    async fn rule_code(&self) -> &str {
        &self.0.rule_code
    }
    /// The rule's label.
    async fn rule_label(&self) -> &str {
        &self.0.rule_label
    }
    /// The rule's category code.
    async fn category(&self) -> &str {
        &self.0.category
    }
    /// The kind of record counted.
    async fn source(&self) -> RuleSource {
        self.0.source
    }
    /// The record counted: a participation, training session, proposal, public-opinion report
    /// or duty item.
    async fn record_id(&self) -> ID {
        let kind = match self.0.source {
            RuleSource::Activity => Kind::Participation,
            RuleSource::Training => Kind::TrainingSession,
            RuleSource::Proposal => Kind::Proposal,
            RuleSource::OpinionReport => Kind::OpinionReport,
            RuleSource::DutyItem => Kind::DutyItem,
        };
        encode_id(kind, self.0.source_id)
    }
    /// Points, after splits and caps.
    async fn points(&self) -> Decimal {
        rules::points(self.0.points_cents)
    }
    /// Why the points differ from the rule's (a share of joint work, a cap reached).
    async fn note(&self) -> Option<&str> {
        self.0.note.as_deref()
    }
    /// The line as one text, e.g. "2024-03-15 常委会议 缺席 −5".
    async fn text(&self) -> String {
        line_text(&self.0)
    }
}

/// "2024-03-15 常委会议 缺席 −5": a line as one text (a true minus sign for deductions).
pub fn line_text(line: &assessment_lines::ScoreLine) -> String {
    let points = rules::points(line.points_cents);
    let shown = if points.is_sign_negative() && !points.is_zero() {
        format!("−{}", points.abs())
    } else if points.is_zero() {
        "0".to_owned()
    } else {
        format!("+{points}")
    };
    format!("{} {} {shown}", line.date, line.description)
}

/// A manual adjustment: signed points with a reason and author.
pub struct Adjustment(pub assessment_adjustment::Model);

#[Object]
impl Adjustment {
    /// Signed points.
    async fn points(&self) -> Decimal {
        rules::points(self.0.points_cents)
    }
    /// Why.
    async fn reason(&self) -> &str {
        &self.0.reason
    }
    /// Who made it.
    async fn author(&self) -> &str {
        &self.0.author
    }
    /// When.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
}

/// A consequence flag with its label and the reason it was raised.
#[derive(SimpleObject)]
pub struct FlagDetail {
    /// The flag.
    pub flag: ConsequenceFlag,
    /// Its Chinese label.
    pub label: &'static str,
    /// Why it was raised.
    pub reason: String,
}

/// One member's result in a run.
pub struct MemberAssessment(pub member_assessment::Model);

impl MemberAssessment {
    fn details(&self) -> Vec<FlagDetail> {
        let r = &self.0;
        let mut out = Vec::new();
        let mut push =
            |flag: ConsequenceFlag, reason: String| out.push(FlagDetail { flag, label: flag.label(), reason });
        if r.flag_commend {
            push(ConsequenceFlag::Commend, format!("考核等次为{}", r.grade.label()));
        }
        if r.flag_reminder {
            push(ConsequenceFlag::ReminderTalk, format!("考核等次为{}", r.grade.label()));
        }
        if r.flag_resign {
            let mut why = Vec::new();
            if !r.passed && r.previous_failed {
                why.push("连续两年考核未达合格线".to_owned());
            }
            if r.plenary_absences > 0 {
                why.push(format!("本届无故缺席全体会议{}次", r.plenary_absences));
            }
            push(ConsequenceFlag::PersuadeResign, why.join("；"));
        }
        if r.flag_minimum {
            push(ConsequenceFlag::MinimumNotMet, format!("未达到：{}", service::unmet_minimums(r).join("、")));
        }
        out
    }
}

#[Object]
impl MemberAssessment {
    /// Global ID.
    pub async fn id(&self) -> ID {
        encode_id(Kind::MemberAssessment, self.0.id)
    }
    /// The member.
    async fn member(&self, ctx: &Context<'_>) -> Result<Option<Member>> {
        Ok(crate::loader::one(&ctx.loaders()?.member, self.0.member_id).await?.map(Member))
    }
    /// The run.
    async fn run(&self, ctx: &Context<'_>) -> Result<Option<AssessmentRun>> {
        let l = &ctx.loaders()?.assessment;
        Ok(loaded(l.run.load_one(self.0.run_id).await)?.map(AssessmentRun))
    }
    /// The year assessed.
    async fn year(&self) -> i32 {
        self.0.year
    }
    /// The total.
    async fn total(&self) -> Decimal {
        rules::points(self.0.total_cents)
    }
    /// Base plus every line, before adjustments, floors and ceiling.
    async fn computed_total(&self) -> Decimal {
        rules::points(self.0.computed_cents)
    }
    /// The sum of manual adjustments.
    async fn adjustment_total(&self) -> Decimal {
        rules::points(self.0.adjustment_cents)
    }
    /// The grade.
    async fn grade(&self) -> Grade {
        self.0.grade
    }
    /// Chinese label of the grade.
    async fn grade_label(&self) -> &'static str {
        self.0.grade.label()
    }
    /// Whether the total reaches the pass mark.
    async fn passed(&self) -> bool {
        self.0.passed
    }
    /// Rank within the run (1 = best; equal totals share a rank).
    async fn rank(&self) -> i32 {
        self.0.rank
    }
    /// Rank within a cohort: the same sector, special committee, studio or town; standing
    /// members or the others; new members or returning ones. Members without a committee
    /// (studio, town, sector) rank among each other.
    async fn cohort_rank(&self, cohort: Cohort) -> i32 {
        match cohort {
            Cohort::Sector => self.0.sector_rank,
            Cohort::SpecialCommittee => self.0.committee_rank,
            Cohort::Studio => self.0.studio_rank,
            Cohort::Town => self.0.town_rank,
            Cohort::Standing => self.0.standing_rank,
            Cohort::NewMembers => self.0.newness_rank,
        }
    }
    /// Whether the member is in the standing committee (常委).
    async fn standing(&self) -> bool {
        self.0.standing
    }
    /// Whether the member is new in this term (新任) rather than returning (连任).
    async fn new_member(&self) -> bool {
        self.0.new_member
    }
    /// Subtotals per category, in the rule set's order.
    async fn subtotals(&self) -> Result<Vec<CategorySubtotal>> {
        Ok(service::subtotals(&self.0)?.into_iter().map(Into::into).collect())
    }
    /// One line per counted record, in date order.
    async fn lines(&self, ctx: &Context<'_>) -> Result<Vec<ScoreLine>> {
        let l = &ctx.loaders()?.assessment;
        Ok(loaded(l.lines.load_one(self.0.id).await)?.unwrap_or_default().into_iter().map(ScoreLine).collect())
    }
    /// Manual adjustments, oldest first.
    async fn adjustments(&self, ctx: &Context<'_>) -> Result<Vec<Adjustment>> {
        let l = &ctx.loaders()?.assessment;
        let rows = loaded(l.adjustments.load_one((self.0.run_id, self.0.member_id)).await)?.unwrap_or_default();
        Ok(rows.into_iter().map(Adjustment).collect())
    }
    /// The consequences the rules attach (the system flags, people decide).
    async fn flags(&self) -> Vec<ConsequenceFlag> {
        self.details().into_iter().map(|f| f.flag).collect()
    }
    /// The flags with labels and reasons.
    async fn flag_details(&self) -> Vec<FlagDetail> {
        self.details()
    }
    /// The minimum requirements not met.
    async fn unmet_minimums(&self) -> Vec<String> {
        service::unmet_minimums(&self.0)
    }
    /// Unexcused plenary absences in the term up to the end of the year.
    async fn unexcused_plenary_absences(&self) -> i32 {
        self.0.plenary_absences
    }
}

/// A member's result of `year` as the viewer may see it: office staff the published result or
/// else the latest run's, a member their own published result; null for anyone else.
pub async fn member_assessment(ctx: &Context<'_>, member_id: i64, year: i32) -> Result<Option<MemberAssessment>> {
    let published_only = match policy::member_assessment_scope(ctx.actor()?, member_id) {
        Ok(policy::AssessmentScope::All) => false,
        Ok(policy::AssessmentScope::Published) => true,
        Err(AppError::Forbidden(_)) => return Ok(None),
        Err(e) => return Err(e.into()),
    };
    let l = &ctx.loaders()?.assessment;
    Ok(loaded(l.result.load_one((member_id, year, published_only)).await)?.map(MemberAssessment))
}

// ----- inputs -----

/// A category of a new rule set.
#[derive(InputObject)]
pub struct RuleCategoryInput {
    /// Code, unique within the rule set (letters, digits, '_', '-').
    pub code: String,
    /// Chinese label.
    pub label: String,
    /// The most positive points the category counts.
    pub cap: Option<Decimal>,
    /// Whether deductions stop at a subtotal of 0.
    #[graphql(default)]
    pub floor_at_zero: bool,
}

/// A scoring rule of a new rule set. Filters that do not fit the rule's source are refused.
#[derive(InputObject)]
pub struct ScoringRuleInput {
    /// Code, unique within the rule set.
    pub code: String,
    /// Chinese label.
    pub label: String,
    /// The category code it counts in.
    pub category: String,
    /// The kind of record it counts.
    pub source: RuleSource,
    /// ACTIVITY: kinds counted (empty: any).
    #[graphql(default)]
    pub activity_kinds: Vec<ActivityKind>,
    /// ACTIVITY: subkinds counted (empty: any).
    #[graphql(default)]
    pub activity_subkinds: Vec<ActivitySubkind>,
    /// ACTIVITY: attendance counted (empty: present, late or leaving early).
    #[graphql(default)]
    pub attendance: Vec<Attendance>,
    /// ACTIVITY: roles counted (empty: any).
    #[graphql(default)]
    pub roles: Vec<ParticipationRole>,
    /// ACTIVITY: only compulsory activities.
    #[graphql(default)]
    pub compulsory_only: bool,
    /// TRAINING: what is counted (required for TRAINING rules).
    pub training: Option<TrainingMeasure>,
    /// PROPOSAL: the milestone counted (required for PROPOSAL rules).
    pub proposal_milestone: Option<ProposalMilestone>,
    /// OPINION_REPORT: the milestone counted (required for OPINION_REPORT rules).
    pub opinion_milestone: Option<OpinionMilestone>,
    /// OPINION_REPORT ADOPTED: adoption levels counted (empty: any).
    #[graphql(default)]
    pub adoption_levels: Vec<AdoptionLevel>,
    /// OPINION_REPORT INSTRUCTED: instruction levels counted (empty: any).
    #[graphql(default)]
    pub instruction_levels: Vec<InstructionLevel>,
    /// PROPOSAL / OPINION_REPORT: signer roles that score (empty: any).
    #[graphql(default)]
    pub signer_roles: Vec<SignerRole>,
    /// DUTY_ITEM: item types counted (empty: any).
    #[graphql(default)]
    pub duty_item_kinds: Vec<DutyItemKind>,
    /// DUTY_ITEM: only confirmed items (default true).
    pub confirmed_only: Option<bool>,
    /// Points per record (per hour for TRAINING HOURS); negative for deductions; at most two
    /// decimal places.
    pub points: Decimal,
    /// Per record (default) or once a year.
    pub per: Option<RulePer>,
    /// How joint work is split (default FULL).
    pub split: Option<SplitMode>,
    /// The most points (in absolute value) the rule counts in a year.
    pub cap: Option<Decimal>,
    /// The first this many records of a member in the year score nothing.
    #[graphql(default)]
    pub skip_first: i32,
    /// Whom the rule applies to (default ALL).
    pub applies_to: Option<AppliesTo>,
}

/// A grade band of a new rule set.
#[derive(InputObject)]
pub struct GradeBandInput {
    /// The grade.
    pub grade: Grade,
    /// The lowest total of the band.
    pub min_points: Decimal,
}

/// A minimum requirement of a new rule set.
#[derive(InputObject)]
pub struct MinimumRequirementInput {
    /// Code.
    pub code: String,
    /// Chinese label.
    pub label: String,
    /// The rules whose matched records count towards it.
    pub rules: Vec<String>,
    /// How many records are required.
    #[graphql(default = 1)]
    pub count: i32,
    /// The best grade a member who misses it may get.
    pub max_grade: Grade,
}

/// `createRuleSet`: a rule set as data. A name already used becomes its next version.
#[derive(InputObject)]
pub struct CreateRuleSetInput {
    /// Name, e.g. "桐城市政协委员履职考核办法".
    pub name: String,
    /// What it is and where it comes from.
    pub description: Option<String>,
    /// The term it applies to.
    pub term_id: Option<ID>,
    /// The one year it applies to.
    pub year: Option<i32>,
    /// How points become a total.
    pub scale: AssessmentScale,
    /// Points every member starts from (default 0).
    pub base_points: Option<Decimal>,
    /// The ceiling of the total (required for CAPPED).
    pub max_points: Option<Decimal>,
    /// BASE_PLUS_BONUS: the most bonus points that count.
    pub max_bonus: Option<Decimal>,
    /// The pass mark.
    pub pass_mark: Option<Decimal>,
    /// Whether the total stops at 0 (default true).
    pub floor_at_zero: Option<bool>,
    /// Unexcused plenary absences in a term that flag PERSUADE_RESIGN.
    pub plenary_absence_limit: Option<i32>,
    /// The categories.
    pub categories: Vec<RuleCategoryInput>,
    /// The scoring rules.
    pub rules: Vec<ScoringRuleInput>,
    /// The grade bands, best first.
    pub grades: Vec<GradeBandInput>,
    /// The minimum requirements.
    #[graphql(default)]
    pub minimums: Vec<MinimumRequirementInput>,
}

impl CreateRuleSetInput {
    fn into_new(self) -> Result<NewRuleSet, AppError> {
        let mut rules = Vec::with_capacity(self.rules.len());
        for (i, r) in self.rules.into_iter().enumerate() {
            let skip_first = u32::try_from(r.skip_first).map_err(|_| {
                AppError::bad_field(
                    format!("input.rules.{i}.skipFirst"),
                    format!("input.rules.{i}.skipFirst must not be negative"),
                )
            })?;
            rules.push(Rule {
                code: r.code,
                label: r.label,
                category: r.category,
                source: r.source,
                activity_kinds: r.activity_kinds,
                activity_subkinds: r.activity_subkinds,
                attendance: r.attendance,
                roles: r.roles,
                compulsory_only: r.compulsory_only,
                training: r.training,
                proposal_milestone: r.proposal_milestone,
                opinion_milestone: r.opinion_milestone,
                adoption_levels: r.adoption_levels,
                instruction_levels: r.instruction_levels,
                signer_roles: r.signer_roles,
                duty_item_kinds: r.duty_item_kinds,
                confirmed_only: r.confirmed_only.unwrap_or(true),
                points: r.points,
                per: r.per.unwrap_or(RulePer::Record),
                split: r.split.unwrap_or(SplitMode::Full),
                cap: r.cap,
                skip_first,
                applies_to: r.applies_to.unwrap_or(AppliesTo::All),
            });
        }
        let mut minimums = Vec::with_capacity(self.minimums.len());
        for (i, m) in self.minimums.into_iter().enumerate() {
            let count = u32::try_from(m.count).map_err(|_| {
                AppError::bad_field(
                    format!("input.minimums.{i}.count"),
                    format!("input.minimums.{i}.count must be positive"),
                )
            })?;
            minimums.push(Minimum { code: m.code, label: m.label, rules: m.rules, count, max_grade: m.max_grade });
        }
        Ok(NewRuleSet {
            name: self.name,
            description: self.description,
            term_id: decode_opt(Kind::Term, self.term_id.as_ref(), "input.termId")?,
            year: self.year,
            definition: Definition {
                scale: self.scale,
                base_points: self.base_points.unwrap_or_default(),
                max_points: self.max_points,
                max_bonus: self.max_bonus,
                pass_mark: self.pass_mark,
                floor_at_zero: self.floor_at_zero.unwrap_or(true),
                plenary_absence_limit: self.plenary_absence_limit,
                categories: self
                    .categories
                    .into_iter()
                    .map(|c| Category { code: c.code, label: c.label, cap: c.cap, floor_at_zero: c.floor_at_zero })
                    .collect(),
                rules,
                grades: self.grades.into_iter().map(|g| Band { grade: g.grade, min_points: g.min_points }).collect(),
                minimums,
            },
        })
    }
}

/// `runAssessment`: computes (or recomputes, while DRAFT) the run of a rule set for a year.
#[derive(InputObject)]
pub struct RunAssessmentInput {
    /// The rule set.
    pub rule_set_id: ID,
    /// The year.
    pub year: i32,
}

/// `adjustAssessment`: signed points with a reason on a member's result in a DRAFT run.
#[derive(InputObject)]
pub struct AdjustAssessmentInput {
    /// The member's result (a MemberAssessment id).
    pub member_assessment_id: ID,
    /// Signed points, at most two decimal places.
    pub points: Decimal,
    /// Why.
    pub reason: String,
}

/// `confirmAssessmentRun`: DRAFT → CONFIRMED.
#[derive(InputObject)]
pub struct ConfirmAssessmentRunInput {
    /// The run.
    pub id: ID,
}

/// `publishAssessmentRun`: CONFIRMED → PUBLISHED (locked).
#[derive(InputObject)]
pub struct PublishAssessmentRunInput {
    /// The run.
    pub id: ID,
}

/// Which results to list.
#[derive(InputObject, Default)]
pub struct AssessmentFilter {
    /// Results of this run (default: the year's published run, else its latest).
    pub run_id: Option<ID>,
    /// With this grade.
    pub grade: Option<Grade>,
    /// In this sector.
    pub sector_id: Option<ID>,
    /// In this special committee.
    pub special_committee_id: Option<ID>,
    /// In this studio.
    pub studio_id: Option<ID>,
    /// In this town or street (a Region id).
    pub town_id: Option<ID>,
    /// Standing members (true) or the others (false).
    pub standing: Option<bool>,
    /// New members (true) or returning ones (false).
    pub new_member: Option<bool>,
    /// Carrying this flag.
    pub flag: Option<ConsequenceFlag>,
}

/// What results can be sorted by.
#[derive(Enum, Clone, Copy, PartialEq, Eq)]
pub enum AssessmentOrderField {
    /// Rank (then name).
    Rank,
    /// Total (then name).
    Total,
    /// Name, by pinyin.
    Name,
}

/// A sort key of the results.
#[derive(InputObject)]
pub struct AssessmentOrder {
    /// The field.
    pub field: AssessmentOrderField,
    /// The direction.
    #[graphql(default)]
    pub direction: OrderDirection,
}

async fn results(
    ctx: &Context<'_>,
    year: i32,
    filter: AssessmentFilter,
    order_by: Option<Vec<AssessmentOrder>>,
    args: PageArgs,
) -> Result<CountedConnection<MemberAssessment>> {
    let order = order_by.unwrap_or_default();
    if order.len() > 1 {
        return Err(AppError::bad_field("orderBy", "orderBy takes one key").into());
    }
    let sort = order.first().map_or((AssessmentSort::Rank, false), |o| {
        let field = match o.field {
            AssessmentOrderField::Rank => AssessmentSort::Rank,
            AssessmentOrderField::Total => AssessmentSort::Total,
            AssessmentOrderField::Name => AssessmentSort::Name,
        };
        (field, o.direction == OrderDirection::Desc)
    });
    let filter = Filter {
        run_id: decode_opt(Kind::AssessmentRun, filter.run_id.as_ref(), "filter.runId")?,
        grade: filter.grade,
        sector_id: decode_opt(Kind::Sector, filter.sector_id.as_ref(), "filter.sectorId")?,
        committee_id: decode_opt(
            Kind::SpecialCommittee,
            filter.special_committee_id.as_ref(),
            "filter.specialCommitteeId",
        )?,
        studio_id: decode_opt(Kind::Studio, filter.studio_id.as_ref(), "filter.studioId")?,
        town_id: decode_opt(Kind::Region, filter.town_id.as_ref(), "filter.townId")?,
        standing: filter.standing,
        new_member: filter.new_member,
        flag: filter.flag,
    };
    let (page, count) = service::list(ctx.db()?, ctx.actor()?, year, filter, sort, &args).await?;
    Ok(connection(page, TotalCount::new(count), MemberAssessment))
}

/// Queries of the assessment.
#[derive(Default)]
pub struct AssessmentQuery;

#[Object]
impl AssessmentQuery {
    /// Every rule set, by name and newest version first.
    async fn rule_sets(&self, ctx: &Context<'_>) -> Result<Vec<RuleSet>> {
        Ok(service::rule_sets(ctx.db()?, ctx.actor()?).await?.into_iter().map(RuleSet).collect())
    }
    /// An assessment run by id; null when there is none.
    async fn assessment_run(&self, ctx: &Context<'_>, id: ID) -> Result<Option<AssessmentRun>> {
        let id = decode_id(Kind::AssessmentRun, &id, "id")?;
        match service::find_run(ctx.db()?, ctx.actor()?, id).await {
            Ok(run) => Ok(Some(AssessmentRun(run))),
            Err(AppError::NotFound { .. }) => Ok(None),
            Err(e) => Err(e.into()),
        }
    }
    /// The assessment runs of a year (of every year when none), newest first.
    async fn assessment_runs(&self, ctx: &Context<'_>, year: Option<i32>) -> Result<Vec<AssessmentRun>> {
        Ok(service::runs(ctx.db()?, ctx.actor()?, year).await?.into_iter().map(AssessmentRun).collect())
    }
    /// The results of a year: of the year's published run (else its latest), or of
    /// `filter.runId`; by rank unless ordered otherwise.
    #[graphql(complexity = "crate::relay::page_cost(first, last, child_complexity)")]
    #[allow(clippy::too_many_arguments, reason = "the Relay arguments of a connection field")]
    async fn assessments(
        &self,
        ctx: &Context<'_>,
        year: i32,
        filter: Option<AssessmentFilter>,
        order_by: Option<Vec<AssessmentOrder>>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> Result<CountedConnection<MemberAssessment>> {
        results(ctx, year, filter.unwrap_or_default(), order_by, PageArgs { first, after, last, before }).await
    }
}

/// The result of `createRuleSet`.
#[derive(SimpleObject)]
pub struct RuleSetPayload {
    /// The stored rule set.
    pub rule_set: RuleSet,
}

/// The result of the run mutations.
#[derive(SimpleObject)]
pub struct AssessmentRunPayload {
    /// The run.
    pub assessment_run: AssessmentRun,
}

/// The result of `adjustAssessment`.
#[derive(SimpleObject)]
pub struct MemberAssessmentPayload {
    /// The member's result after the adjustment.
    pub member_assessment: MemberAssessment,
}

fn publish_change(ctx: &Context<'_>, run: &assessment_run::Model) {
    if let Ok(events) = ctx.data::<crate::events::Broker>() {
        events.publish(crate::events::Event::AssessmentRunChanged(run.clone()));
    }
}

/// Mutations of the assessment.
#[derive(Default)]
pub struct AssessmentMutation;

#[Object]
impl AssessmentMutation {
    /// Stores a rule set after checking every part of it (BAD_USER_INPUT names the field, e.g.
    /// `input.rules.3.points`).
    async fn create_rule_set(&self, ctx: &Context<'_>, input: CreateRuleSetInput) -> Result<RuleSetPayload> {
        let actor = ctx.actor()?;
        policy::manage_assessments(actor)?;
        let row = service::create_rule_set(ctx.db()?, actor, input.into_new()?).await?;
        Ok(RuleSetPayload { rule_set: RuleSet(row) })
    }
    /// Computes every seated member's result of a year under a rule set: a new DRAFT run, or
    /// the DRAFT run recomputed (adjustments kept). CONFLICT once confirmed or published.
    async fn run_assessment(&self, ctx: &Context<'_>, input: RunAssessmentInput) -> Result<AssessmentRunPayload> {
        let rule_set_id = decode_id(Kind::RuleSet, &input.rule_set_id, "input.ruleSetId")?;
        let run = service::run(ctx.db()?, ctx.actor()?, rule_set_id, input.year).await?;
        publish_change(ctx, &run);
        Ok(AssessmentRunPayload { assessment_run: AssessmentRun(run) })
    }
    /// Adds signed points with a reason to a member's result in a DRAFT run.
    async fn adjust_assessment(
        &self,
        ctx: &Context<'_>,
        input: AdjustAssessmentInput,
    ) -> Result<MemberAssessmentPayload> {
        let id = decode_id(Kind::MemberAssessment, &input.member_assessment_id, "input.memberAssessmentId")?;
        let row = service::adjust(ctx.db()?, ctx.actor()?, id, input.points, &input.reason).await?;
        if let Ok(run) = service::find_run(ctx.db()?, ctx.actor()?, row.run_id).await {
            publish_change(ctx, &run);
        }
        Ok(MemberAssessmentPayload { member_assessment: MemberAssessment(row) })
    }
    /// DRAFT → CONFIRMED.
    async fn confirm_assessment_run(
        &self,
        ctx: &Context<'_>,
        input: ConfirmAssessmentRunInput,
    ) -> Result<AssessmentRunPayload> {
        let id = decode_id(Kind::AssessmentRun, &input.id, "input.id")?;
        let run = service::confirm(ctx.db()?, ctx.actor()?, id).await?;
        publish_change(ctx, &run);
        Ok(AssessmentRunPayload { assessment_run: AssessmentRun(run) })
    }
    /// CONFIRMED → PUBLISHED: locked from then on; members see their own results.
    async fn publish_assessment_run(
        &self,
        ctx: &Context<'_>,
        input: PublishAssessmentRunInput,
    ) -> Result<AssessmentRunPayload> {
        let id = decode_id(Kind::AssessmentRun, &input.id, "input.id")?;
        let run = service::publish(ctx.db()?, ctx.actor()?, id).await?;
        publish_change(ctx, &run);
        Ok(AssessmentRunPayload { assessment_run: AssessmentRun(run) })
    }
}

/// Subscriptions of the assessment.
#[derive(Default)]
pub struct AssessmentSubscription;

#[async_graphql::Subscription]
impl AssessmentSubscription {
    /// The run each time it is computed, confirmed or published from now on.
    async fn assessment_run_changed(
        &self,
        ctx: &Context<'_>,
        run_id: ID,
    ) -> Result<impl futures_util::Stream<Item = AssessmentRun> + use<>> {
        policy::read_assessments(ctx.actor()?)?;
        let wanted = decode_id(Kind::AssessmentRun, &run_id, "runId")?;
        let broker = ctx
            .data::<crate::events::Broker>()
            .map_err(|_| AppError::Internal("event broker missing from the GraphQL context".into()))?;
        let receiver = broker.subscribe();
        Ok(futures_util::stream::unfold(receiver, move |mut receiver| async move {
            use tokio::sync::broadcast::error::RecvError;
            loop {
                match receiver.recv().await {
                    Ok(crate::events::Event::AssessmentRunChanged(run)) if run.id == wanted => {
                        return Some((AssessmentRun(run), receiver));
                    }
                    Ok(_) | Err(RecvError::Lagged(_)) => {}
                    Err(RecvError::Closed) => return None,
                }
            }
        }))
    }
}

/// Fetches a rule set, run or result for `node(id:)`, with the same access rules as its list.
pub async fn node(ctx: &Context<'_>, kind: Kind, id: i64) -> Result<Option<crate::schema::Node>> {
    use crate::schema::Node;
    let db = ctx.db()?;
    let actor: &Actor = ctx.actor()?;
    let found = match kind {
        Kind::RuleSet => service::rule_set(db, actor, id).await.map(|r| Node::RuleSet(RuleSet(r))),
        Kind::AssessmentRun => service::find_run(db, actor, id).await.map(|r| Node::AssessmentRun(AssessmentRun(r))),
        Kind::MemberAssessment => {
            service::find(db, actor, id).await.map(|r| Node::MemberAssessment(MemberAssessment(r)))
        }
        _ => return Ok(None),
    };
    match found {
        Ok(node) => Ok(Some(node)),
        Err(AppError::NotFound { .. }) => Ok(None),
        Err(e) => Err(e.into()),
    }
}
