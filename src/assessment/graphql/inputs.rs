//! The assessment's inputs, and their conversions into the service's types (each failure
//! names its field as the input calls it; resolvers place it under their argument).

use crate::number::DecimalInput;
use async_graphql::{Enum, ID, InputObject};

use crate::{
    assessment::{
        rules::{Category, Definition, GradeBand as Band, Minimum, Rule},
        service::{AssessmentFilter as Filter, AssessmentSort, NewRuleSet},
    },
    error::{AppError, Under},
    member::graphql::OrderDirection,
    relay::{Kind, decode_opt},
};
use entity::enums::{
    ActivityKind, ActivitySubkind, AdoptionLevel, AppliesTo, AssessmentScale, Attendance, ConsequenceFlag,
    DutyItemKind, Grade, InstructionLevel, OpinionMilestone, ParticipationRole, ProposalMilestone, RulePer, RuleSource,
    SignerRole, SplitMode, TrainingMeasure,
};

/// A category of a new rule set.
#[derive(InputObject)]
pub struct RuleCategoryInput {
    /// Code, unique within the rule set (letters, digits, '_', '-').
    pub code: String,
    /// Chinese label.
    pub label: String,
    /// The most positive points the category counts.
    pub cap: Option<DecimalInput>,
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
    pub points: DecimalInput,
    /// Per record (default) or once a year.
    pub per: Option<RulePer>,
    /// How joint work is split (default FULL).
    pub split: Option<SplitMode>,
    /// The most points (in absolute value) the rule counts in a year.
    pub cap: Option<DecimalInput>,
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
    pub min_points: DecimalInput,
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
    pub base_points: Option<DecimalInput>,
    /// The ceiling of the total (required for CAPPED).
    pub max_points: Option<DecimalInput>,
    /// BASE_PLUS_BONUS: the most bonus points that count.
    pub max_bonus: Option<DecimalInput>,
    /// The pass mark.
    pub pass_mark: Option<DecimalInput>,
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
    /// Absence limits: unexcused absences from chosen meetings, per year or per term, that
    /// raise a flag.
    #[graphql(default)]
    pub absence_limits: Vec<super::absence::AbsenceLimitInput>,
}

/// An optional number, or BAD_USER_INPUT on `field`.
fn read_opt(value: Option<DecimalInput>, field: &str) -> Result<Option<rust_decimal::Decimal>, AppError> {
    value.map(|v| v.read(field)).transpose()
}

impl TryFrom<RuleCategoryInput> for Category {
    type Error = AppError;

    /// Fails naming `cap` when it is no number.
    fn try_from(c: RuleCategoryInput) -> Result<Self, AppError> {
        Ok(Self { code: c.code, label: c.label, cap: read_opt(c.cap, "cap")?, floor_at_zero: c.floor_at_zero })
    }
}

impl TryFrom<ScoringRuleInput> for Rule {
    type Error = AppError;

    /// Fails naming `skipFirst` when it is negative.
    fn try_from(r: ScoringRuleInput) -> Result<Self, AppError> {
        let skip_first = u32::try_from(r.skip_first)
            .map_err(|_| AppError::bad_field("skipFirst", "skipFirst must not be negative"))?;
        Ok(Self {
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
            points: r.points.read("points")?,
            per: r.per.unwrap_or(RulePer::Record),
            split: r.split.unwrap_or(SplitMode::Full),
            cap: read_opt(r.cap, "cap")?,
            skip_first,
            applies_to: r.applies_to.unwrap_or(AppliesTo::All),
        })
    }
}

impl TryFrom<GradeBandInput> for Band {
    type Error = AppError;

    /// Fails naming `minPoints` when it is no number.
    fn try_from(g: GradeBandInput) -> Result<Self, AppError> {
        Ok(Self { grade: g.grade, min_points: g.min_points.read("minPoints")? })
    }
}

impl TryFrom<MinimumRequirementInput> for Minimum {
    type Error = AppError;

    /// Fails naming `count` when it is negative.
    fn try_from(m: MinimumRequirementInput) -> Result<Self, AppError> {
        let count = u32::try_from(m.count).map_err(|_| AppError::bad_field("count", "count must be positive"))?;
        Ok(Self { code: m.code, label: m.label, rules: m.rules, count, max_grade: m.max_grade })
    }
}

impl TryFrom<CreateRuleSetInput> for NewRuleSet {
    type Error = AppError;

    /// Fails naming the field at fault as the input calls it (`rules.2.skipFirst`, `termId`).
    fn try_from(input: CreateRuleSetInput) -> Result<Self, AppError> {
        let rules = (input.rules.into_iter().enumerate())
            .map(|(i, r)| Rule::try_from(r).under(&format!("rules.{i}")))
            .collect::<Result<Vec<_>, _>>()?;
        let categories = (input.categories.into_iter().enumerate())
            .map(|(i, c)| Category::try_from(c).under(&format!("categories.{i}")))
            .collect::<Result<Vec<_>, _>>()?;
        let grades = (input.grades.into_iter().enumerate())
            .map(|(i, g)| Band::try_from(g).under(&format!("grades.{i}")))
            .collect::<Result<Vec<_>, _>>()?;
        let minimums = (input.minimums.into_iter().enumerate())
            .map(|(i, m)| Minimum::try_from(m).under(&format!("minimums.{i}")))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Self {
            name: input.name,
            description: input.description,
            term_id: decode_opt(Kind::Term, input.term_id.as_ref(), "termId")?,
            year: input.year,
            definition: Definition {
                scale: input.scale,
                base_points: read_opt(input.base_points, "basePoints")?.unwrap_or_default(),
                max_points: read_opt(input.max_points, "maxPoints")?,
                max_bonus: read_opt(input.max_bonus, "maxBonus")?,
                pass_mark: read_opt(input.pass_mark, "passMark")?,
                floor_at_zero: input.floor_at_zero.unwrap_or(true),
                plenary_absence_limit: input.plenary_absence_limit,
                categories,
                rules,
                grades,
                minimums,
                absence_limits: input.absence_limits.into_iter().map(Into::into).collect(),
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
    pub points: DecimalInput,
    /// Why.
    pub reason: String,
}

/// `confirmAssessmentRun`: DRAFT → CONFIRMED.
#[derive(InputObject)]
pub struct ConfirmAssessmentRunInput {
    /// The run.
    pub id: ID,
}

/// `discardAssessmentRun`: a DRAFT run to remove with its results and adjustments.
#[derive(InputObject)]
pub struct DiscardAssessmentRunInput {
    /// The run.
    pub id: ID,
}

/// `deleteRuleSet`: a rule set no run uses.
#[derive(InputObject)]
pub struct DeleteRuleSetInput {
    /// The rule set.
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

impl TryFrom<AssessmentFilter> for Filter {
    type Error = AppError;

    /// Fails naming the id at fault as the filter calls it (`runId`, `sectorId`, …).
    fn try_from(filter: AssessmentFilter) -> Result<Self, AppError> {
        Ok(Self {
            run_id: decode_opt(Kind::AssessmentRun, filter.run_id.as_ref(), "runId")?,
            grade: filter.grade,
            sector_id: decode_opt(Kind::Sector, filter.sector_id.as_ref(), "sectorId")?,
            committee_id: decode_opt(
                Kind::SpecialCommittee,
                filter.special_committee_id.as_ref(),
                "specialCommitteeId",
            )?,
            studio_id: decode_opt(Kind::Studio, filter.studio_id.as_ref(), "studioId")?,
            town_id: decode_opt(Kind::Region, filter.town_id.as_ref(), "townId")?,
            standing: filter.standing,
            new_member: filter.new_member,
            flag: filter.flag,
        })
    }
}

impl From<&AssessmentOrder> for (AssessmentSort, bool) {
    /// The service's sort key and whether it descends.
    fn from(order: &AssessmentOrder) -> Self {
        let field = match order.field {
            AssessmentOrderField::Rank => AssessmentSort::Rank,
            AssessmentOrderField::Total => AssessmentSort::Total,
            AssessmentOrderField::Name => AssessmentSort::Name,
        };
        (field, order.direction == OrderDirection::Desc)
    }
}
