//! The assessment's output types of results: a member's result with its subtotals, score
//! lines, adjustments and flags.

use crate::member::loader::MemberLoaders;
use async_graphql::{Context, ID, Object, Result, SimpleObject, Value, parser::types::Field};
use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;

use super::AssessmentRun;
use crate::{
    assessment::{engine::Subtotal, loader::AssessmentLoaders, rules, service},
    context::ContextExt,
    error::AppError,
    loader,
    member::graphql::Member,
    plain::{self, Fast, Plain},
    relay::{Kind, encode_id},
};
use entity::{
    assessment_adjustment, assessment_lines,
    enums::{Cohort, ConsequenceFlag, Grade, RuleSource},
    member_assessment,
};

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

impl Plain for CategorySubtotal {
    fn plain(&self, field: &Field) -> Option<Value> {
        match field.name.node.as_str() {
            "category" => plain::text(&self.category),
            "label" => plain::text(&self.label),
            "points" => plain::scalar(&self.points),
            "records" => plain::scalar(&self.records),
            _ => None,
        }
    }
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
    /// The result `id` for `node(id:)`, as the viewer may see it (see `Member.assessment`).
    pub async fn find(ctx: &Context<'_>, id: i64) -> Result<Self, AppError> {
        service::find(ctx.db()?, ctx.actor()?, id).await.map(Self)
    }

    /// The subtotals per category, in the rule set's order, cut at the list's cap.
    fn category_subtotals(&self) -> Result<Vec<CategorySubtotal>, AppError> {
        let subtotals = crate::cost::capped(service::subtotals(&self.0)?, crate::cost::CATEGORIES);
        Ok(subtotals.into_iter().map(Into::into).collect())
    }

    fn details(&self) -> Vec<FlagDetail> {
        let r = &self.0;
        let mut out = Vec::new();
        let mut push =
            |flag: ConsequenceFlag, reason: String| out.push(FlagDetail { flag, label: flag.label(), reason });
        if r.flag_commend {
            push(ConsequenceFlag::Commend, format!("考核等次为{}", r.grade.label()));
        }
        let reached = crate::assessment::absence::from_json(&r.absence_flags);
        let reasons = |flag: ConsequenceFlag| reached.iter().filter(move |l| l.flag == flag).map(|l| l.reason());
        if r.flag_reminder {
            let mut why: Vec<String> = reasons(ConsequenceFlag::ReminderTalk).collect();
            let lowest = reached.iter().all(|l| l.flag != ConsequenceFlag::ReminderTalk);
            if lowest {
                why.push(format!("考核等次为{}", r.grade.label()));
            }
            push(ConsequenceFlag::ReminderTalk, why.join("；"));
        }
        if r.flag_resign {
            let mut why: Vec<String> = reasons(ConsequenceFlag::PersuadeResign).collect();
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

/// What a result answers in one pass (`crate::plain`): its own figures, ranks, flags and
/// subtotals; the member, the run, lines, adjustments and the analytics are resolved as usual.
impl Plain for MemberAssessment {
    fn plain(&self, field: &Field) -> Option<Value> {
        let r = &self.0;
        match field.name.node.as_str() {
            "id" => plain::scalar(&encode_id(Kind::MemberAssessment, r.id)),
            "year" => plain::scalar(&r.year),
            "total" => plain::scalar(&rules::points(r.total_cents)),
            "computedTotal" => plain::scalar(&rules::points(r.computed_cents)),
            "adjustmentTotal" => plain::scalar(&rules::points(r.adjustment_cents)),
            "grade" => plain::enumerated(r.grade),
            "gradeLabel" => plain::text(r.grade.label()),
            "passed" => plain::scalar(&r.passed),
            "rank" => plain::scalar(&r.rank),
            "cohortRank" => {
                let cohort = plain::enum_argument::<Cohort>(field, "cohort")?;
                plain::scalar(&crate::analytics::standing::cohort_rank(r, cohort))
            }
            "standing" => plain::scalar(&r.standing),
            "newMember" => plain::scalar(&r.new_member),
            "flags" => {
                Some(Value::List(self.details().into_iter().filter_map(|f| plain::enumerated(f.flag)).collect()))
            }
            "subtotals" => plain::list(&self.category_subtotals().ok()?, field),
            _ => None,
        }
    }
}

#[Object]
impl MemberAssessment {
    /// Global ID.
    pub async fn id(&self) -> ID {
        encode_id(Kind::MemberAssessment, self.0.id)
    }
    /// The member.
    async fn member(&self, ctx: &Context<'_>) -> Result<Option<Fast<Member>>> {
        Ok(crate::loader::one(&ctx.loaders()?.get::<MemberLoaders>().member, self.0.member_id)
            .await?
            .map(|m| Fast(Member(m))))
    }
    /// The run.
    async fn run(&self, ctx: &Context<'_>) -> Result<Option<AssessmentRun>> {
        let loaders = ctx.loaders()?.get::<AssessmentLoaders>();
        Ok(loader::one(&loaders.run, self.0.run_id).await?.map(AssessmentRun))
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
        crate::analytics::standing::cohort_rank(&self.0, cohort)
    }
    /// How many results of the run share the member's cohort (the same sector, committee,
    /// studio or town; standing or not; new or returning).
    async fn cohort_size(&self, ctx: &Context<'_>, cohort: Cohort) -> Result<i32> {
        crate::analytics::graphql::cohort_size(ctx, &self.0, cohort).await
    }
    /// The member's percentile in the cohort: the share (0–100) of the cohort whose total is at
    /// or below the member's; the best stands at 100.
    async fn percentile(&self, ctx: &Context<'_>, cohort: Cohort) -> Result<Option<f64>> {
        crate::analytics::graphql::percentile(ctx, &self.0, cohort).await
    }
    /// The change of the total from the member's result of the year before (the one the reader
    /// may see); null when there is none.
    async fn change(&self, ctx: &Context<'_>) -> Result<Option<Decimal>> {
        crate::analytics::graphql::change(ctx, &self.0).await
    }
    /// Whether the member is in the standing committee (常委).
    async fn standing(&self) -> bool {
        self.0.standing
    }
    /// Whether the member is new in this term (新任) rather than returning (连任).
    async fn new_member(&self) -> bool {
        self.0.new_member
    }
    /// Subtotals per category, in the rule set's order (at most 20).
    #[graphql(complexity = "crate::cost::list(crate::cost::CATEGORIES, child_complexity)")]
    async fn subtotals(&self) -> Result<Vec<Fast<CategorySubtotal>>> {
        Ok(self.category_subtotals()?.into_iter().map(Fast).collect())
    }
    /// One line per counted record, in date order (the first 200).
    #[graphql(complexity = "crate::cost::list(crate::cost::SCORE_LINES, child_complexity)")]
    async fn lines(&self, ctx: &Context<'_>) -> Result<Vec<ScoreLine>> {
        let loaders = ctx.loaders()?.get::<AssessmentLoaders>();
        let lines = loader::one(&loaders.lines, self.0.id).await?.unwrap_or_default();
        Ok(crate::cost::capped(lines, crate::cost::SCORE_LINES).into_iter().map(ScoreLine).collect())
    }
    /// Manual adjustments, oldest first (at most 20).
    #[graphql(complexity = "crate::cost::list(crate::cost::ADJUSTMENTS, child_complexity)")]
    async fn adjustments(&self, ctx: &Context<'_>) -> Result<Vec<Adjustment>> {
        let loaders = ctx.loaders()?.get::<AssessmentLoaders>();
        let rows = loader::one(&loaders.adjustments, (self.0.run_id, self.0.member_id)).await?.unwrap_or_default();
        Ok(crate::cost::capped(rows, crate::cost::ADJUSTMENTS).into_iter().map(Adjustment).collect())
    }
    /// The consequences the rules attach (the system flags, people decide), each once.
    #[graphql(complexity = "crate::cost::list(crate::cost::FLAGS, child_complexity)")]
    async fn flags(&self) -> Vec<ConsequenceFlag> {
        self.details().into_iter().map(|f| f.flag).collect()
    }
    /// The flags with labels and reasons, each once.
    #[graphql(complexity = "crate::cost::list(crate::cost::FLAGS, child_complexity)")]
    async fn flag_details(&self) -> Vec<FlagDetail> {
        self.details()
    }
    /// The minimum requirements not met (at most 20).
    #[graphql(complexity = "crate::cost::list(crate::cost::MINIMUMS, child_complexity)")]
    async fn unmet_minimums(&self) -> Vec<String> {
        crate::cost::capped(service::unmet_minimums(&self.0), crate::cost::MINIMUMS)
    }
    /// Unexcused plenary absences in the term up to the end of the year.
    async fn unexcused_plenary_absences(&self) -> i32 {
        self.0.plenary_absences
    }
}

/// A member's result of `year` as the viewer may see it: office staff the published result or
/// else the latest run's, a member their own published result; null for anyone else.
pub async fn member_assessment(ctx: &Context<'_>, member_id: i64, year: i32) -> Result<Option<MemberAssessment>> {
    let Some(scope) = service::result_scope(ctx.actor()?, member_id)? else { return Ok(None) };
    let loaders = ctx.loaders()?.get::<AssessmentLoaders>();
    Ok(loader::one(&loaders.result, (member_id, year, scope)).await?.map(MemberAssessment))
}
