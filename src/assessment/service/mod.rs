//! Rule sets, assessment runs and their lifecycle (DRAFT → CONFIRMED → PUBLISHED), manual
//! adjustments, and the queries over results. Access: `policy::read_rule_sets`,
//! `policy::manage_assessments`, `policy::read_assessments`, `policy::member_assessment_scope`.
//! Bad fields are named as the functions' own inputs call them (`year`, `rules.3.points`).

mod results;
mod rule_sets;
mod runs;

pub use results::{
    AssessmentFilter, AssessmentSort, Counter, adjustments_for, count, find, for_members, grade_counts, lines_of,
    lines_of_run, list, result_scope, subtotals, unmet_minimums,
};
pub use rule_sets::{NewRuleSet, create_rule_set, delete_rule_set, load_preset, rule_set, rule_sets};
pub use runs::{ADJUSTMENTS_ENTITY, adjust, confirm, discard, find_run, official_run, publish, run, run_changes, runs};

use crate::auth::Actor;

/// The account behind an actor, for `created_by` columns.
fn account_of(actor: &Actor) -> Option<i64> {
    actor.session().map(|s| s.account_id)
}
