//! What a field costs in the complexity limit (`--max-complexity`). async-graphql charges a field
//! 1 plus its selection; that is right for a field that returns one value and wrong for a list,
//! which returns its selection many times over. So every list field in the schema says what it
//! can return (a test walks the schema and fails on a list that does not):
//!
//! - a connection costs its page size times its selection ([`crate::relay::page_cost`]);
//! - a plain list costs its cap times its selection ([`list`]). The cap is the real bound: the
//!   number of values of an enum, a limit the input already checks (a rule set's rules), or —
//!   for lists the office keeps small, such as a town's villages or a committee's members — a
//!   documented cap below, and the list is cut there ([`capped`]) should the data ever hold more;
//! - an aggregate costs the rows it scans ([`aggregate`]), counted in [`SCAN`]s: a year of one
//!   table, or one table whole.
//!
//! Nesting multiplies, so a cycle such as `regions { children { parent { children … } } }` costs
//! its caps' product and is refused, whatever the data. The caps are in docs/protection.md.

use entity::enums::{ActivityKind, AssessmentGroupBy, ConsequenceFlag, Grade, PlanStage, ResultClass};

/// The cost of one scan: an aggregate over a year of one table, or over a table whole (the
/// members' rows, a run's results). Priced as five full pages of rows.
pub const SCAN: usize = 500;

/// What `yearInReview` scans: a year of seats, activities, participations, proposals,
/// reports, duty items and training, and the committees, studios and regions whole.
pub const YEAR_IN_REVIEW_SCANS: usize = 40;

/// Towns and streets (`regions`).
pub const TOWNS: usize = 50;
/// Villages and communities under one town or street (`Region.children`).
pub const VILLAGES: usize = 80;
/// Studios sitting in one region (`Region.studios`).
pub const REGION_STUDIOS: usize = 10;
/// Terms (`terms`), newest first: two and a half centuries of five-year terms.
pub const TERMS: usize = 50;
/// Sectors (`sectors`); the national committee has 34.
pub const SECTORS: usize = 60;
/// Special committees (`specialCommittees`); the national committee has 10.
pub const SPECIAL_COMMITTEES: usize = 30;
/// Standing groups (`groups`).
pub const GROUPS: usize = 50;
/// Handling units (`handlingUnits`).
pub const HANDLING_UNITS: usize = 200;
/// Conveners of one sector, past ones included (`Sector.conveners`).
pub const SECTOR_CONVENERS: usize = 10;
/// Memberships of one special committee, past terms included (`SpecialCommittee.memberships`).
pub const COMMITTEE_MEMBERSHIPS: usize = 150;
/// Assignments to one studio, past ones included (`Studio.assignments`).
pub const STUDIO_ASSIGNMENTS: usize = 50;
/// Memberships of one group, past ones included (`Group.memberships`).
pub const GROUP_MEMBERSHIPS: usize = 60;
/// A member's seats, one a term (`Member.seats`).
pub const MEMBER_SEATS: usize = 20;
/// A member's committee memberships, studio assignments or group memberships, each
/// (`Member.committeeMemberships`, `studioAssignments`, `groupMemberships`).
pub const MEMBER_PLACES: usize = 20;
/// A member's duty items (`Member.dutyItems`), newest first.
pub const MEMBER_DUTY_ITEMS: usize = 100;
/// A member's targets of a year (`Member.targets`, `setMemberTargets`'s `targets`).
pub const MEMBER_TARGETS: usize = 20;
/// Signers of a proposal (`Proposal.signers`) or authors of a report (`OpinionReport.authors`).
pub const SIGNERS: usize = 30;
/// Handling units a proposal is assigned to (`Proposal.assignments`).
pub const ASSIGNMENTS: usize = 10;
/// A proposal's lifecycle actions (`Proposal.actions`), in order.
pub const ACTIONS: usize = 50;
/// Adoptions of a public-opinion report (`OpinionReport.adoptions`).
pub const ADOPTIONS: usize = 20;
/// Warnings on a submitted report (`OpinionReportPayload.warnings`).
pub const WARNINGS: usize = 10;
/// Attendees of a training session (`TrainingSession.attendees`).
pub const ATTENDEES: usize = 500;
/// Plans of a year (`plans`).
pub const PLANS: usize = 20;
/// Areas of a plan (`Plan.areas`).
pub const PLAN_AREAS: usize = 30;
/// Activities recorded against one plan item (`PlanItem.activities`).
pub const PLAN_ITEM_ACTIVITIES: usize = 50;
/// Rule sets (`ruleSets`), versions included.
pub const RULE_SETS: usize = 50;
/// Assessment runs (`assessmentRuns`), newest first.
pub const RUNS: usize = 50;
/// Assessment runs of one year (`assessmentRuns(year:)`), newest first: a year has its run and
/// the odd recomputation under another rule set.
pub const RUNS_OF_A_YEAR: usize = 5;
/// Groups of one dimension of a run (`AssessmentRun.groups(by:)`): the caps of the lists they
/// come from (a special committee, studio or town cap, a few parties, two halves for standing
/// and newness), plus one group for members outside any.
pub fn groups(by: AssessmentGroupBy) -> usize {
    1 + match by {
        AssessmentGroupBy::Sector => SECTORS,
        AssessmentGroupBy::SpecialCommittee => SPECIAL_COMMITTEES,
        AssessmentGroupBy::Studio => STUDIOS,
        AssessmentGroupBy::Town => TOWNS,
        AssessmentGroupBy::Party => PARTIES,
        AssessmentGroupBy::Standing | AssessmentGroupBy::NewMember => 2,
    }
}
/// Studios of the committee, town and village ones (`AssessmentRun.groups(by: STUDIO)`).
pub const STUDIOS: usize = 500;
/// Parties and the non-party group (`AssessmentRun.groups(by: PARTY)`): 中共, the eight
/// democratic parties, 无党派.
pub const PARTIES: usize = 12;
/// Changes a dry run of `openNextTerm` lists (`OpenNextTermPayload.changes`).
pub const TERM_CHANGES: usize = 10_000;
/// Kinds of change of `openNextTerm` (`OpenNextTermPayload.counts`).
pub const TERM_CHANGE_KINDS: usize = 20;
/// Years of a member's results (`Member.assessments`), newest first.
pub const MEMBER_YEARS: usize = 20;
/// Months of a year (`dutyRecordsByMonth`).
pub const MONTHS: usize = 12;
/// The complexity of `assessmentRuns(year:)`: a year's runs, or every run.
pub fn runs(year: Option<i32>, child_complexity: usize) -> usize {
    list(if year.is_some() { RUNS_OF_A_YEAR } else { RUNS }, child_complexity)
}
/// Categories of a rule set, checked when it is created (`RuleSet.categories`,
/// `MemberAssessment.subtotals`).
pub const CATEGORIES: usize = crate::assessment::rules::MAX_CATEGORIES;
/// Scoring rules of a rule set, checked when it is created (`RuleSet.rules`, a minimum's rules).
pub const RULES: usize = crate::assessment::rules::MAX_RULES;
/// Minimum requirements of a rule set, checked when it is created (`RuleSet.minimums`,
/// `MemberAssessment.unmetMinimums`).
pub const MINIMUMS: usize = crate::assessment::rules::MAX_MINIMUMS;
/// Score lines of one member's result (`MemberAssessment.lines`), in date order.
pub const SCORE_LINES: usize = 200;
/// Manual adjustments of one member's result (`MemberAssessment.adjustments`).
pub const ADJUSTMENTS: usize = 20;
/// Errors an import answers (`ImportMembersPayload.errors`); the rest are counted in the log.
pub const IMPORT_ERRORS: usize = 1_000;
/// Accounts `createMemberAccounts` answers (`CreateMemberAccountsPayload.accounts`); the
/// workbook holds every one.
pub const HANDED_OUT: usize = 1_000;

/// Every activity kind, once (`YearInReview.activitiesByKind`).
pub const ACTIVITY_KINDS: usize = ActivityKind::ALL.len();
/// Every grade, once (`AssessmentRun.gradeCounts`, `RuleSet.grades`).
pub const GRADES: usize = Grade::ALL.len();
/// Every result class, once (`proposalResultClasses`, `ProposalStatistics.resultClasses`).
pub const RESULT_CLASSES: usize = ResultClass::ALL.len();
/// Every consequence flag, once (`MemberAssessment.flags`, `flagDetails`).
pub const FLAGS: usize = ConsequenceFlag::ALL.len();
/// Every stage of a plan item, once (`PlanItem.stages`).
pub const PLAN_STAGES: usize = PlanStage::ALL.len();

/// The complexity of a plain list of at most `cap` items, each costing `child_complexity` (a
/// list of scalars or enum values costs 1 an item).
pub fn list(cap: usize, child_complexity: usize) -> usize {
    cap.saturating_mul(child_complexity.max(1))
}

/// The complexity of an aggregate that scans `scans` times a [`SCAN`], plus its selection.
pub fn aggregate(scans: usize, child_complexity: usize) -> usize {
    scans.saturating_mul(SCAN).saturating_add(child_complexity)
}

/// The complexity of a plain list of at most `cap` items that also scans `scans` times a
/// [`SCAN`] to compute them (`Plan.areas`).
pub fn aggregate_list(scans: usize, cap: usize, child_complexity: usize) -> usize {
    aggregate(scans, list(cap, child_complexity))
}

/// `rows` cut to `cap`, the bound its field is priced at.
pub fn capped<T>(mut rows: Vec<T>, cap: usize) -> Vec<T> {
    rows.truncate(cap);
    rows
}

/// `values` without repeats, first occurrences kept in order: a list of enum values then holds
/// each value at most once, so it is bounded by the enum.
pub fn distinct<T: PartialEq>(values: Vec<T>) -> Vec<T> {
    let mut out: Vec<T> = Vec::with_capacity(values.len());
    for value in values {
        if !out.contains(&value) {
            out.push(value);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_list_costs_its_cap_times_its_selection_and_at_least_its_cap() {
        assert_eq!(list(80, 3), 240);
        assert_eq!(list(80, 0), 80);
        assert_eq!(list(usize::MAX, 2), usize::MAX);
    }

    #[test]
    fn capped_cuts_and_distinct_keeps_first_occurrences() {
        assert_eq!(capped(vec![1, 2, 3], 2), vec![1, 2]);
        assert_eq!(distinct(vec![3, 1, 3, 2, 1]), vec![3, 1, 2]);
    }
}
