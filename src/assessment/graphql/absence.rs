//! A rule set's absence limits in the API: the input of `createRuleSet` and the output of
//! `RuleSet.absenceLimits`.

use async_graphql::{InputObject, Object};

use crate::assessment::absence::AbsenceLimit;
use entity::enums::{ActivityKind, ConsequenceFlag};

/// An absence limit: so many unexcused absences from the named meetings, in the assessed year
/// or in the term up to its end, raise a flag.
#[derive(InputObject)]
pub struct AbsenceLimitInput {
    /// Code, unique among the limits.
    pub code: String,
    /// Chinese label, e.g. "无故缺席常委会议".
    pub label: String,
    /// The kinds of meeting counted, e.g. [STANDING_COMMITTEE_MEETING].
    pub activity_kinds: Vec<ActivityKind>,
    /// Unexcused absences in the year that raise the flag (e.g. 3).
    pub per_year: Option<u32>,
    /// Unexcused absences in the term, up to the end of the year, that raise it (e.g. 7).
    pub per_term: Option<u32>,
    /// The flag raised: REMINDER_TALK or PERSUADE_RESIGN.
    pub flag: ConsequenceFlag,
}

impl From<AbsenceLimitInput> for AbsenceLimit {
    fn from(l: AbsenceLimitInput) -> Self {
        Self {
            code: l.code,
            label: l.label,
            activity_kinds: l.activity_kinds,
            per_year: l.per_year,
            per_term: l.per_term,
            flag: l.flag,
        }
    }
}

/// An absence limit of a rule set.
pub struct AbsenceLimitRule(pub AbsenceLimit);

#[Object]
impl AbsenceLimitRule {
    /// Code.
    async fn code(&self) -> &str {
        &self.0.code
    }
    /// Chinese label.
    async fn label(&self) -> &str {
        &self.0.label
    }
    /// The kinds of meeting counted (each once).
    #[graphql(complexity = "crate::cost::list(crate::cost::ACTIVITY_KINDS, child_complexity)")]
    async fn activity_kinds(&self) -> Vec<ActivityKind> {
        crate::cost::distinct(self.0.activity_kinds.clone())
    }
    /// Unexcused absences in the year that raise the flag.
    async fn per_year(&self) -> Option<u32> {
        self.0.per_year
    }
    /// Unexcused absences in the term, up to the end of the year, that raise it.
    async fn per_term(&self) -> Option<u32> {
        self.0.per_term
    }
    /// The flag raised.
    async fn flag(&self) -> ConsequenceFlag {
        self.0.flag
    }
}
