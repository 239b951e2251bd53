//! Where a member stands: the size of each cohort a result ranks in (so its percentile), the
//! change from the year before, and every year's result a reader may see. Each is one or two
//! set-based statements for any number of results or members (the loaders batch a page).

use std::collections::HashMap;

use rust_decimal::Decimal;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect};

use crate::{
    assessment::{rules::points, service as assessments},
    auth::{Actor, policy::AssessmentScope},
    error::AppResult,
};
use entity::{assessment_run, enums::Cohort, enums::RunStatus, member_assessment};

/// The cohort a result ranks in, as a key within its run: the sector, committee, studio or town
/// id (none: members without one), or 1/0 for standing and new members.
pub fn cohort_key(row: &member_assessment::Model, cohort: Cohort) -> Option<i64> {
    match cohort {
        Cohort::Sector => row.sector_id,
        Cohort::SpecialCommittee => row.committee_id,
        Cohort::Studio => row.studio_id,
        Cohort::Town => row.town_id,
        Cohort::Standing => Some(i64::from(row.standing)),
        Cohort::NewMembers => Some(i64::from(row.new_member)),
    }
}

/// The rank a result holds within a cohort.
pub fn cohort_rank(row: &member_assessment::Model, cohort: Cohort) -> i32 {
    match cohort {
        Cohort::Sector => row.sector_rank,
        Cohort::SpecialCommittee => row.committee_rank,
        Cohort::Studio => row.studio_rank,
        Cohort::Town => row.town_rank,
        Cohort::Standing => row.standing_rank,
        Cohort::NewMembers => row.newness_rank,
    }
}

/// The member's percentile in a cohort of `size`: the share of the cohort (0–100, two places)
/// whose total is at or below the member's. Ranks are shared by equal totals, so the members
/// at or below are `size - rank + 1`; the best member stands at 100.
pub fn percentile(rank: i32, size: i64) -> Option<f64> {
    if size <= 0 || rank <= 0 {
        return None;
    }
    let at_or_below = (size - i64::from(rank) + 1).max(0);
    let share = Decimal::from(at_or_below * 100) / Decimal::from(size);
    share.round_dp(2).to_string().parse().ok()
}

/// A cohort of a run: (run, cohort, key within the run).
pub type CohortOf = (i64, Cohort, Option<i64>);

/// How many results each cohort holds: one statement per kind of cohort asked, for any number
/// of runs. (Only results the reader may see reach here, so the sizes reveal no result.)
pub async fn cohort_sizes(db: &impl ConnectionTrait, keys: &[CohortOf]) -> AppResult<HashMap<CohortOf, i64>> {
    use member_assessment::Column as C;
    let mut out = HashMap::new();
    for cohort in Cohort::ALL.iter().copied() {
        let runs: Vec<i64> = keys.iter().filter(|k| k.1 == cohort).map(|k| k.0).collect();
        if runs.is_empty() {
            continue;
        }
        let base = member_assessment::Entity::find()
            .select_only()
            .column(C::RunId)
            .filter(C::RunId.is_in(runs))
            // COUNT(*), not COUNT(id): the `(run_id, <unit>)` indexes answer it alone (an index-only
            // scan on PostgreSQL, a covering index on SQLite), without reading each result's row —
            // a member's five years of one sector went from 2.2 ms to 0.7 ms of PostgreSQL's time.
            .column_as(sea_orm::sea_query::Expr::cust("COUNT(*)"), "n");
        // Only the cohorts asked for are counted (a member's five years of one sector, not every
        // sector of five runs).
        let asked: Vec<Option<i64>> = keys.iter().filter(|k| k.1 == cohort).map(|k| k.2).collect();
        let rows: Vec<(i64, Option<i64>, i64)> = match cohort {
            Cohort::Standing | Cohort::NewMembers => {
                let column = if cohort == Cohort::Standing { C::Standing } else { C::NewMember };
                let flags: Vec<bool> = asked.iter().map(|k| *k == Some(1)).collect();
                let rows: Vec<(i64, i64, bool)> = base
                    .filter(column.is_in(flags))
                    .column(column)
                    .group_by(C::RunId)
                    .group_by(column)
                    .into_tuple()
                    .all(db)
                    .await?;
                rows.into_iter().map(|(run, n, flag)| (run, Some(i64::from(flag)), n)).collect()
            }
            _ => {
                let column = match cohort {
                    Cohort::Sector => C::SectorId,
                    Cohort::SpecialCommittee => C::CommitteeId,
                    Cohort::Studio => C::StudioId,
                    _ => C::TownId,
                };
                let units: Vec<i64> = asked.iter().filter_map(|k| *k).collect();
                let mut within = sea_orm::Condition::any().add(column.is_in(units));
                if asked.contains(&None) {
                    within = within.add(column.is_null());
                }
                let rows: Vec<(i64, i64, Option<i64>)> =
                    base.filter(within).column(column).group_by(C::RunId).group_by(column).into_tuple().all(db).await?;
                rows.into_iter().map(|(run, n, key)| (run, key, n)).collect()
            }
        };
        for (run, key, n) in rows {
            out.insert((run, cohort, key), n);
        }
    }
    Ok(out)
}

/// The change of a result's total from the previous year's result (as the same scope sees it).
pub fn change(row: &member_assessment::Model, previous: Option<&member_assessment::Model>) -> Option<Decimal> {
    previous.map(|p| points(row.total_cents - p.total_cents))
}

/// Every year's result of each member as `scope` allows, newest year first: per year the result
/// of the published run, else (unless the scope sees only published runs) of the latest run.
/// Two statements for any number of members.
pub async fn history(
    db: &impl ConnectionTrait,
    scope: AssessmentScope,
    members: &[i64],
) -> AppResult<HashMap<i64, Vec<member_assessment::Model>>> {
    let mut runs = assessment_run::Entity::find();
    if scope.published_only() {
        runs = runs.filter(assessment_run::Column::Status.eq(RunStatus::Published));
    }
    let runs = runs.all(db).await?;
    // Lower is preferred: published first, then the newest run.
    let preference: HashMap<i64, (bool, i64)> =
        runs.iter().map(|r| (r.id, (r.status != RunStatus::Published, -r.id))).collect();
    let rows = member_assessment::Entity::find()
        .filter(member_assessment::Column::MemberId.is_in(members.iter().copied()))
        .filter(member_assessment::Column::RunId.is_in(runs.iter().map(|r| r.id)))
        .all(db)
        .await?;
    let mut best: HashMap<(i64, i32), member_assessment::Model> = HashMap::new();
    for row in rows {
        let rank = preference.get(&row.run_id).copied();
        match best.get(&(row.member_id, row.year)) {
            Some(kept) if preference.get(&kept.run_id).copied() <= rank => {}
            _ => {
                best.insert((row.member_id, row.year), row);
            }
        }
    }
    let mut out: HashMap<i64, Vec<member_assessment::Model>> = HashMap::new();
    for ((member, _), row) in best {
        out.entry(member).or_default().push(row);
    }
    for list in out.values_mut() {
        list.sort_by_key(|r| std::cmp::Reverse(r.year));
    }
    Ok(out)
}

/// Which of `member_id`'s results the actor may see (none: the actor sees none of them).
pub fn scope_for(actor: &Actor, member_id: i64) -> AppResult<Option<AssessmentScope>> {
    assessments::result_scope(actor, member_id)
}
