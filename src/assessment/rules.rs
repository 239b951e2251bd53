//! The rule model of the assessment: a rule set's definition as data (scale, base, caps,
//! categories, scoring rules, grade bands, minimum requirements), how it is stored (JSON text
//! whose enums are their upper-case codes and whose points are decimal strings) and how it is
//! checked before it is stored.

use rust_decimal::Decimal;
use sea_orm::ActiveEnum;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::error::{AppError, AppResult};
use entity::enums::{
    ActivityKind, ActivitySubkind, AdoptionLevel, AppliesTo, AssessmentScale, Attendance, DutyItemKind, Grade,
    InstructionLevel, OpinionMilestone, ParticipationRole, ProposalMilestone, RulePer, RuleSource, SignerRole,
    SplitMode, TrainingMeasure,
};

/// The largest number of points a rule, cap or band may name.
pub const MAX_POINTS: i64 = 10_000;
/// Most rules (and most bands) a rule set may hold.
pub const MAX_RULES: usize = 200;
/// Most categories a rule set may hold: a member's result lists a subtotal for each, and a page
/// of results is priced by them (`cost::CATEGORIES`).
pub const MAX_CATEGORIES: usize = 20;
/// Most minimum requirements a rule set may hold (`cost::MINIMUMS`).
pub const MAX_MINIMUMS: usize = 20;

/// (De)serialises a stored enum as its upper-case code.
mod code {
    use super::*;

    pub fn serialize<T: ActiveEnum<Value = String>, S: Serializer>(value: &T, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&value.to_value())
    }

    pub fn deserialize<'de, T: ActiveEnum<Value = String>, D: Deserializer<'de>>(d: D) -> Result<T, D::Error> {
        let raw = String::deserialize(d)?;
        T::try_from_value(&raw).map_err(|_| serde::de::Error::custom(format!("unknown code {raw:?}")))
    }
}

/// (De)serialises a list of stored enums as their codes.
mod codes {
    use super::*;

    pub fn serialize<T: ActiveEnum<Value = String>, S: Serializer>(values: &[T], s: S) -> Result<S::Ok, S::Error> {
        let raw: Vec<String> = values.iter().map(ActiveEnum::to_value).collect();
        raw.serialize(s)
    }

    pub fn deserialize<'de, T: ActiveEnum<Value = String>, D: Deserializer<'de>>(d: D) -> Result<Vec<T>, D::Error> {
        let raw = Vec::<String>::deserialize(d)?;
        raw.iter()
            .map(|r| T::try_from_value(r).map_err(|_| serde::de::Error::custom(format!("unknown code {r:?}"))))
            .collect()
    }
}

/// (De)serialises an optional stored enum as its code.
mod opt_code {
    use super::*;

    pub fn serialize<T: ActiveEnum<Value = String>, S: Serializer>(value: &Option<T>, s: S) -> Result<S::Ok, S::Error> {
        value.as_ref().map(ActiveEnum::to_value).serialize(s)
    }

    pub fn deserialize<'de, T: ActiveEnum<Value = String>, D: Deserializer<'de>>(d: D) -> Result<Option<T>, D::Error> {
        let raw = Option::<String>::deserialize(d)?;
        raw.map(|r| T::try_from_value(&r).map_err(|_| serde::de::Error::custom(format!("unknown code {r:?}"))))
            .transpose()
    }
}

fn per_record() -> RulePer {
    RulePer::Record
}
fn split_full() -> SplitMode {
    SplitMode::Full
}
fn applies_all() -> AppliesTo {
    AppliesTo::All
}
fn yes() -> bool {
    true
}
fn one() -> u32 {
    1
}

/// A rule set's definition: everything but its name, version and scope.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Definition {
    /// How points become a total.
    #[serde(with = "code")]
    pub scale: AssessmentScale,
    /// Points every member starts from (0 for additive sets, e.g. 70 for 济南).
    #[serde(default)]
    pub base_points: Decimal,
    /// The ceiling of the total (100 for a capped set); none for no ceiling.
    #[serde(default)]
    pub max_points: Option<Decimal>,
    /// BASE_PLUS_BONUS: the most bonus (positive) points that count, e.g. 50.
    #[serde(default)]
    pub max_bonus: Option<Decimal>,
    /// The pass mark (及格线); none: passing means not in the lowest grade.
    #[serde(default)]
    pub pass_mark: Option<Decimal>,
    /// Whether the total stops at 0.
    #[serde(default = "yes")]
    pub floor_at_zero: bool,
    /// Unexcused plenary absences in a term that flag 劝辞; none for no such rule.
    #[serde(default)]
    pub plenary_absence_limit: Option<i32>,
    /// The categories points are subtotalled in.
    pub categories: Vec<Category>,
    /// The scoring rules, applied in order.
    pub rules: Vec<Rule>,
    /// The grade bands, best first.
    pub grades: Vec<GradeBand>,
    /// Minimum requirements that cap the grade when unmet.
    #[serde(default)]
    pub minimums: Vec<Minimum>,
    /// Absence limits that raise a flag (see `assessment::absence`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub absence_limits: Vec<super::absence::AbsenceLimit>,
}

/// A category of points (e.g. 会议, 提案, 社情民意) with an optional cap.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Category {
    /// Code, unique within the rule set.
    pub code: String,
    /// Chinese label.
    pub label: String,
    /// The most positive points the category counts.
    #[serde(default)]
    pub cap: Option<Decimal>,
    /// Whether deductions stop at a subtotal of 0.
    #[serde(default)]
    pub floor_at_zero: bool,
}

/// A scoring rule: which records it counts and what each is worth.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Rule {
    /// Code, unique within the rule set.
    pub code: String,
    /// Chinese label, e.g. "常委会议缺席".
    pub label: String,
    /// The category code it counts in.
    pub category: String,
    /// The kind of record.
    #[serde(with = "code")]
    pub source: RuleSource,
    /// ACTIVITY: the activity kinds counted (empty: any).
    #[serde(default, with = "codes", skip_serializing_if = "Vec::is_empty")]
    pub activity_kinds: Vec<ActivityKind>,
    /// ACTIVITY: the subkinds counted (empty: any).
    #[serde(default, with = "codes", skip_serializing_if = "Vec::is_empty")]
    pub activity_subkinds: Vec<ActivitySubkind>,
    /// ACTIVITY: the attendance counted (empty: present, late or leaving early).
    #[serde(default, with = "codes", skip_serializing_if = "Vec::is_empty")]
    pub attendance: Vec<Attendance>,
    /// ACTIVITY: the roles counted (empty: any).
    #[serde(default, with = "codes", skip_serializing_if = "Vec::is_empty")]
    pub roles: Vec<ParticipationRole>,
    /// ACTIVITY: only activities whose attendance is compulsory.
    #[serde(default)]
    pub compulsory_only: bool,
    /// TRAINING: what is counted.
    #[serde(default, with = "opt_code", skip_serializing_if = "Option::is_none")]
    pub training: Option<TrainingMeasure>,
    /// PROPOSAL: the milestone counted.
    #[serde(default, with = "opt_code", skip_serializing_if = "Option::is_none")]
    pub proposal_milestone: Option<ProposalMilestone>,
    /// OPINION_REPORT: the milestone counted.
    #[serde(default, with = "opt_code", skip_serializing_if = "Option::is_none")]
    pub opinion_milestone: Option<OpinionMilestone>,
    /// OPINION_REPORT ADOPTED: the adoption levels counted (empty: any).
    #[serde(default, with = "codes", skip_serializing_if = "Vec::is_empty")]
    pub adoption_levels: Vec<AdoptionLevel>,
    /// OPINION_REPORT INSTRUCTED: the instruction levels counted (empty: any).
    #[serde(default, with = "codes", skip_serializing_if = "Vec::is_empty")]
    pub instruction_levels: Vec<InstructionLevel>,
    /// PROPOSAL / OPINION_REPORT: the signer roles that score (empty: any).
    #[serde(default, with = "codes", skip_serializing_if = "Vec::is_empty")]
    pub signer_roles: Vec<SignerRole>,
    /// DUTY_ITEM: the item types counted (empty: any).
    #[serde(default, with = "codes", skip_serializing_if = "Vec::is_empty")]
    pub duty_item_kinds: Vec<DutyItemKind>,
    /// DUTY_ITEM: count only confirmed items (otherwise submitted ones too, never rejected).
    #[serde(default = "yes")]
    pub confirmed_only: bool,
    /// Points per record (per hour for TRAINING HOURS); negative for deductions.
    pub points: Decimal,
    /// Per record, or once a year.
    #[serde(default = "per_record", with = "code")]
    pub per: RulePer,
    /// How joint work is split.
    #[serde(default = "split_full", with = "code")]
    pub split: SplitMode,
    /// The most points (in absolute value) the rule counts in a year.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cap: Option<Decimal>,
    /// The first this many records of a member in the year score nothing (济南: 立案 after the
    /// first).
    #[serde(default)]
    pub skip_first: u32,
    /// Whom the rule applies to.
    #[serde(default = "applies_all", with = "code")]
    pub applies_to: AppliesTo,
}

/// A grade band: the grade given from a minimum total.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct GradeBand {
    /// The grade.
    #[serde(with = "code")]
    pub grade: Grade,
    /// The lowest total of the band (ignored for the last band, which takes everything below).
    pub min_points: Decimal,
}

/// A minimum requirement (e.g. 济南 "三个一"): records matched by some rules, at least `count`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Minimum {
    /// Code, unique within the rule set.
    pub code: String,
    /// Chinese label, e.g. "至少出席1次全体会议".
    pub label: String,
    /// The rules whose matched records count towards it.
    pub rules: Vec<String>,
    /// How many records are required.
    #[serde(default = "one")]
    pub count: u32,
    /// The best grade a member who misses it may get.
    #[serde(with = "code")]
    pub max_grade: Grade,
}

/// A rule set file (the presets under `rules/`): a name, a description and a definition.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RuleSetFile {
    /// The rule set's name.
    pub name: String,
    /// What it is and where it comes from.
    #[serde(default)]
    pub description: Option<String>,
    /// The definition.
    pub definition: Definition,
}

/// The shipped presets: (name on the command line, JSON text).
pub const PRESETS: &[(&str, &str)] = &[
    ("tongcheng", include_str!("../../rules/tongcheng.json")),
    ("jinan", include_str!("../../rules/jinan.json")),
    ("yanbian", include_str!("../../rules/yanbian.json")),
];

/// The preset named `name`, parsed.
pub fn preset(name: &str) -> AppResult<RuleSetFile> {
    let (_, text) = PRESETS.iter().find(|(n, _)| *n == name).ok_or_else(|| {
        let known: Vec<&str> = PRESETS.iter().map(|(n, _)| *n).collect();
        AppError::bad_field("name", format!("no preset named {name:?}; the presets are {}", known.join(", ")))
    })?;
    serde_json::from_str(text).map_err(|e| AppError::Internal(format!("preset {name} does not parse: {e}")))
}

impl Definition {
    /// Parses a stored definition.
    pub fn from_json(text: &str) -> AppResult<Self> {
        serde_json::from_str(text).map_err(|e| AppError::Internal(format!("stored rule set does not parse: {e}")))
    }

    /// The stored form.
    pub fn to_json(&self) -> AppResult<String> {
        serde_json::to_string(self).map_err(|e| AppError::Internal(format!("rule set does not serialise: {e}")))
    }

    /// The grade bands sorted best first.
    pub fn lowest_grade(&self) -> Option<Grade> {
        self.grades.last().map(|b| b.grade)
    }
}

/// Points as integer hundredths. Callers validate first: at most two decimal places.
pub fn cents(points: Decimal) -> i64 {
    let saturated = if points.is_sign_negative() { i64::MIN } else { i64::MAX };
    // Checked: an unvalidated value saturates instead of overflowing `Decimal`.
    points
        .checked_mul(Decimal::ONE_HUNDRED)
        .map_or(saturated, |scaled| i64::try_from(scaled.round()).unwrap_or(saturated))
}

/// Integer hundredths as points.
pub fn points(cents: i64) -> Decimal {
    Decimal::new(cents, 2).normalize()
}

/// Checks a number of points: at most two decimal places and within ±[`MAX_POINTS`];
/// `positive` also requires it to be above 0, `non_negative` at least 0.
fn check_points(field: &str, value: Decimal, positive: bool, non_negative: bool) -> AppResult<()> {
    if value.normalize().scale() > 2 {
        return Err(AppError::bad_field(field, format!("{field} may have at most two decimal places")));
    }
    if value.abs() > Decimal::from(MAX_POINTS) {
        return Err(AppError::bad_field(field, format!("{field} must be between -{MAX_POINTS} and {MAX_POINTS}")));
    }
    if positive && value <= Decimal::ZERO {
        return Err(AppError::bad_field(field, format!("{field} must be greater than 0")));
    }
    if non_negative && value < Decimal::ZERO {
        return Err(AppError::bad_field(field, format!("{field} must not be negative")));
    }
    Ok(())
}

fn check_code(field: &str, code: &str) -> AppResult<()> {
    let ok =
        !code.is_empty() && code.len() <= 64 && code.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    if ok {
        Ok(())
    } else {
        Err(AppError::bad_field(field, format!("{field} must be 1–64 letters, digits, '_' or '-'")))
    }
}

fn check_label(field: &str, label: &str) -> AppResult<()> {
    crate::validate::required(field, label, crate::validate::MAX_NAME_CHARS).map(|_| ())
}

fn only_for(field: &str, present: bool, source: RuleSource, wanted: RuleSource) -> AppResult<()> {
    if present && source != wanted {
        return Err(AppError::bad_field(
            field,
            format!("{field} applies only to {} rules, not to {} rules", wanted.to_value(), source.to_value()),
        ));
    }
    Ok(())
}

/// Checks a definition; every error names the field at fault as the definition calls it (e.g.
/// `rules.3.points`) and says what is wrong.
pub fn validate(def: &Definition) -> AppResult<()> {
    let f = |name: &str| name.to_owned();
    check_points(&f("basePoints"), def.base_points, false, true)?;
    match (def.scale, def.max_points) {
        (AssessmentScale::Capped, None) => {
            return Err(AppError::bad_field(
                f("maxPoints"),
                format!("{} is required for a CAPPED scale", f("maxPoints")),
            ));
        }
        (_, Some(max)) => {
            check_points(&f("maxPoints"), max, true, true)?;
            if max <= def.base_points {
                return Err(AppError::bad_field(
                    f("maxPoints"),
                    format!("{} must be above the base points {}", f("maxPoints"), def.base_points),
                ));
            }
        }
        _ => {}
    }
    match (def.scale, def.max_bonus) {
        (AssessmentScale::BasePlusBonus, Some(bonus)) => check_points(&f("maxBonus"), bonus, true, true)?,
        (AssessmentScale::BasePlusBonus, None) => {}
        (_, Some(_)) => {
            return Err(AppError::bad_field(
                f("maxBonus"),
                format!("{} applies only to a BASE_PLUS_BONUS scale", f("maxBonus")),
            ));
        }
        (_, None) => {}
    }
    if def.scale == AssessmentScale::BasePlusBonus && def.base_points <= Decimal::ZERO {
        return Err(AppError::bad_field(
            f("basePoints"),
            format!("{} must be above 0 for a BASE_PLUS_BONUS scale", f("basePoints")),
        ));
    }
    if let Some(pass) = def.pass_mark {
        check_points(&f("passMark"), pass, false, true)?;
        if def.max_points.is_some_and(|max| pass > max) {
            return Err(AppError::bad_field(f("passMark"), format!("{} must not exceed maxPoints", f("passMark"))));
        }
    }
    if let Some(limit) = def.plenary_absence_limit
        && !(1..=100).contains(&limit)
    {
        return Err(AppError::bad_field(
            f("plenaryAbsenceLimit"),
            format!("{} must be between 1 and 100", f("plenaryAbsenceLimit")),
        ));
    }
    for (name, len, max) in [
        ("categories", def.categories.len(), MAX_CATEGORIES),
        ("rules", def.rules.len(), MAX_RULES),
        ("grades", def.grades.len(), MAX_RULES),
        ("minimums", def.minimums.len(), MAX_MINIMUMS),
    ] {
        if len > max {
            return Err(AppError::bad_field(f(name), format!("{} may hold at most {max} entries", f(name))));
        }
        if len == 0 && name != "minimums" {
            return Err(AppError::bad_field(f(name), format!("{} must not be empty", f(name))));
        }
    }

    let mut category_codes = Vec::new();
    for (i, c) in def.categories.iter().enumerate() {
        let cf = |name: &str| format!("categories.{i}.{name}");
        check_code(&cf("code"), &c.code)?;
        if category_codes.contains(&c.code.as_str()) {
            return Err(AppError::bad_field(cf("code"), format!("{} {:?} is used twice", cf("code"), c.code)));
        }
        category_codes.push(c.code.as_str());
        check_label(&cf("label"), &c.label)?;
        if let Some(cap) = c.cap {
            check_points(&cf("cap"), cap, true, true)?;
        }
    }

    let mut rule_codes = Vec::new();
    for (i, r) in def.rules.iter().enumerate() {
        let rf = |name: &str| format!("rules.{i}.{name}");
        check_code(&rf("code"), &r.code)?;
        if rule_codes.contains(&r.code.as_str()) {
            return Err(AppError::bad_field(rf("code"), format!("{} {:?} is used twice", rf("code"), r.code)));
        }
        rule_codes.push(r.code.as_str());
        check_label(&rf("label"), &r.label)?;
        if !category_codes.contains(&r.category.as_str()) {
            return Err(AppError::bad_field(
                rf("category"),
                format!("{} {:?} is not one of the rule set's categories", rf("category"), r.category),
            ));
        }
        check_points(&rf("points"), r.points, false, false)?;
        if let Some(cap) = r.cap {
            check_points(&rf("cap"), cap, true, true)?;
        }
        if r.skip_first > 1000 {
            return Err(AppError::bad_field(rf("skipFirst"), format!("{} must be at most 1000", rf("skipFirst"))));
        }
        use RuleSource as S;
        only_for(&rf("activityKinds"), !r.activity_kinds.is_empty(), r.source, S::Activity)?;
        only_for(&rf("activitySubkinds"), !r.activity_subkinds.is_empty(), r.source, S::Activity)?;
        only_for(&rf("attendance"), !r.attendance.is_empty(), r.source, S::Activity)?;
        only_for(&rf("roles"), !r.roles.is_empty(), r.source, S::Activity)?;
        only_for(&rf("compulsoryOnly"), r.compulsory_only, r.source, S::Activity)?;
        only_for(&rf("training"), r.training.is_some(), r.source, S::Training)?;
        only_for(&rf("proposalMilestone"), r.proposal_milestone.is_some(), r.source, S::Proposal)?;
        only_for(&rf("opinionMilestone"), r.opinion_milestone.is_some(), r.source, S::OpinionReport)?;
        only_for(&rf("dutyItemKinds"), !r.duty_item_kinds.is_empty(), r.source, S::DutyItem)?;
        let joint = matches!(r.source, S::Proposal | S::OpinionReport);
        if !joint && !r.signer_roles.is_empty() {
            return Err(AppError::bad_field(
                rf("signerRoles"),
                format!("{} applies only to PROPOSAL and OPINION_REPORT rules", rf("signerRoles")),
            ));
        }
        if !joint && r.split != SplitMode::Full {
            return Err(AppError::bad_field(
                rf("split"),
                format!("{} applies only to joint work (PROPOSAL and OPINION_REPORT rules); use FULL", rf("split")),
            ));
        }
        if let Some(bad) =
            r.activity_subkinds.iter().find(|s| !r.activity_kinds.is_empty() && !r.activity_kinds.contains(&s.kind()))
        {
            return Err(AppError::bad_field(
                rf("activitySubkinds"),
                format!(
                    "{} {} belongs to {}, which activityKinds does not list",
                    rf("activitySubkinds"),
                    bad.to_value(),
                    bad.kind().to_value()
                ),
            ));
        }
        match r.source {
            S::Training if r.training.is_none() => {
                return Err(AppError::bad_field(
                    rf("training"),
                    format!("{} is required for TRAINING rules", rf("training")),
                ));
            }
            S::Proposal if r.proposal_milestone.is_none() => {
                return Err(AppError::bad_field(
                    rf("proposalMilestone"),
                    format!("{} is required for PROPOSAL rules", rf("proposalMilestone")),
                ));
            }
            S::OpinionReport if r.opinion_milestone.is_none() => {
                return Err(AppError::bad_field(
                    rf("opinionMilestone"),
                    format!("{} is required for OPINION_REPORT rules", rf("opinionMilestone")),
                ));
            }
            _ => {}
        }
        if !r.adoption_levels.is_empty() && r.opinion_milestone != Some(OpinionMilestone::Adopted) {
            return Err(AppError::bad_field(
                rf("adoptionLevels"),
                format!("{} applies only to OPINION_REPORT rules counting ADOPTED", rf("adoptionLevels")),
            ));
        }
        if !r.instruction_levels.is_empty() && r.opinion_milestone != Some(OpinionMilestone::Instructed) {
            return Err(AppError::bad_field(
                rf("instructionLevels"),
                format!("{} applies only to OPINION_REPORT rules counting INSTRUCTED", rf("instructionLevels")),
            ));
        }
    }

    let mut grades: Vec<Grade> = Vec::new();
    for (i, band) in def.grades.iter().enumerate() {
        let bf = |name: &str| format!("grades.{i}.{name}");
        if grades.contains(&band.grade) {
            return Err(AppError::bad_field(
                bf("grade"),
                format!("{} {} is used twice", bf("grade"), band.grade.to_value()),
            ));
        }
        if let Some(prev) = def.grades.get(i.wrapping_sub(1)).filter(|_| i > 0) {
            if band.grade.order() <= prev.grade.order() {
                return Err(AppError::bad_field(
                    bf("grade"),
                    format!("{} must be worse than the band before it (list bands best first)", bf("grade")),
                ));
            }
            if band.min_points >= prev.min_points {
                return Err(AppError::bad_field(
                    bf("minPoints"),
                    format!("{} must be below the band before it ({})", bf("minPoints"), prev.min_points),
                ));
            }
        }
        check_points(&bf("minPoints"), band.min_points, false, false)?;
        grades.push(band.grade);
    }

    super::absence::validate(&def.absence_limits)?;

    let mut minimum_codes = Vec::new();
    for (i, m) in def.minimums.iter().enumerate() {
        let mf = |name: &str| format!("minimums.{i}.{name}");
        check_code(&mf("code"), &m.code)?;
        if minimum_codes.contains(&m.code.as_str()) {
            return Err(AppError::bad_field(mf("code"), format!("{} {:?} is used twice", mf("code"), m.code)));
        }
        minimum_codes.push(m.code.as_str());
        check_label(&mf("label"), &m.label)?;
        if m.rules.is_empty() {
            return Err(AppError::bad_field(mf("rules"), format!("{} must name at least one rule", mf("rules"))));
        }
        for (j, code) in m.rules.iter().enumerate() {
            if !rule_codes.contains(&code.as_str()) {
                return Err(AppError::bad_field(
                    format!("minimums.{i}.rules.{j}"),
                    format!("minimums.{i}.rules.{j} {code:?} is not one of the rule set's rules"),
                ));
            }
        }
        if !(1..=1000).contains(&m.count) {
            return Err(AppError::bad_field(mf("count"), format!("{} must be between 1 and 1000", mf("count"))));
        }
        if !grades.contains(&m.max_grade) {
            return Err(AppError::bad_field(
                mf("maxGrade"),
                format!("{} {} is not one of the rule set's grades", mf("maxGrade"), m.max_grade.to_value()),
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_preset_parses_and_is_valid() {
        for (name, _) in PRESETS {
            let file = preset(name).map_err(|e| e.message()).unwrap();
            validate(&file.definition).map_err(|e| e.message()).unwrap();
        }
    }

    #[test]
    fn cents_and_points_round_trip_exactly() {
        assert_eq!(cents(Decimal::new(75, 1)), 750);
        assert_eq!(points(-250), Decimal::new(-25, 1));
        assert_eq!(points(750).to_string(), "7.5");
    }
}
