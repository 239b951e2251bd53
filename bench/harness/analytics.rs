//! The appraisal view's analytics (issue 19): a run's groups by each dimension, and one
//! member's five years of results with where they stand. lvzhi only: no floor, no peer.

use serde_json::{Value as Json, json};

use super::{Ctx, ReadOp, gid};
use crate::{HISTORY_YEARS, client::Res};

const GROUPS: &str = "query Groups($run: ID!, $by: AssessmentGroupBy!) { assessmentRun(id: $run) {
  groups(by: $by) { key label memberCount mean median min max passRate
    gradeCounts { grade count } categoryMeans { category mean } } } }";

const HISTORY: &str = "query History($id: ID!) { member(id: $id) { assessments { year total grade rank
  cohortSize(cohort: SECTOR) percentile(cohort: SECTOR) change } } }";

/// A run's groups must cover the run: some group, and members in them.
fn some_groups(data: &Json) -> Res<Json> {
    let groups = data["assessmentRun"]["groups"].as_array().ok_or("no groups")?;
    let members: u64 = groups.iter().filter_map(|g| g["memberCount"].as_u64()).sum();
    if groups.is_empty() || members == 0 {
        return Err(format!("no members in the groups: {data}"));
    }
    Ok(Json::Null)
}

/// The history must hold the term's five years, newest first.
fn five_years(data: &Json) -> Res<Json> {
    let years: Vec<i64> = data["member"]["assessments"]
        .as_array()
        .ok_or("no assessments")?
        .iter()
        .filter_map(|a| a["year"].as_i64())
        .collect();
    let expected: Vec<i64> = HISTORY_YEARS.iter().rev().map(|y| i64::from(*y)).collect();
    if years != expected {
        return Err(format!("the member's history holds {years:?}, not {expected:?}"));
    }
    Ok(Json::Null)
}

fn groups(key: &'static str, name: &'static str, variables: fn(i64, &Ctx) -> Json) -> ReadOp {
    ReadOp { key, name, query: GROUPS, variables, paged: false, floor: vec![], check: Some(some_groups), peer: None }
}

fn run(c: &Ctx) -> String {
    gid("AssessmentRun", c.run)
}

pub fn reads() -> Vec<ReadOp> {
    vec![
        groups("groups", "run's groups by sector", |_, c| json!({ "run": run(c), "by": "SECTOR" })),
        groups(
            "groups",
            "run's groups by special committee",
            |_, c| json!({ "run": run(c), "by": "SPECIAL_COMMITTEE" }),
        ),
        groups("groups", "run's groups by studio", |_, c| json!({ "run": run(c), "by": "STUDIO" })),
        groups("groups", "run's groups by town", |_, c| json!({ "run": run(c), "by": "TOWN" })),
        groups("groups", "run's groups by party", |_, c| json!({ "run": run(c), "by": "PARTY" })),
        groups("groups", "run's groups by standing", |_, c| json!({ "run": run(c), "by": "STANDING" })),
        groups("groups", "run's groups by new member", |_, c| json!({ "run": run(c), "by": "NEW_MEMBER" })),
        ReadOp {
            key: "history",
            name: "member's five-year history",
            query: HISTORY,
            variables: |_, c| json!({ "id": gid("Member", c.member) }),
            paged: false,
            floor: vec![],
            check: Some(five_years),
            peer: None,
        },
    ]
}
