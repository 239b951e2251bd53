//! The queries over results: a page of a year's results, one result, the results of many
//! members at once (for the loaders), their subtotals, lines and adjustments, and the grade
//! counts of a run.

use std::collections::HashMap;

use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect, QueryTrait,
    sea_query::{Query, SimpleExpr},
};

use super::runs::official_runs;
use crate::{
    assessment::engine::Subtotal,
    auth::{
        Actor,
        policy::{self, AssessmentScope},
    },
    error::{AppError, AppResult},
    pagination::{Ordering, Page, PageArgs, SortKey, paginate, paginate_joined},
};
use entity::{
    assessment_adjustment,
    assessment_lines::{self, ScoreLine},
    assessment_run,
    enums::{ConsequenceFlag, Grade, RunStatus},
    member, member_assessment,
};

/// Which results to list.
#[derive(Clone, Debug, Default)]
pub struct AssessmentFilter {
    /// Results of this run (default: the run that speaks for the year).
    pub run_id: Option<i64>,
    /// With this grade.
    pub grade: Option<Grade>,
    /// In this sector.
    pub sector_id: Option<i64>,
    /// In this special committee.
    pub committee_id: Option<i64>,
    /// In this studio.
    pub studio_id: Option<i64>,
    /// In this town or street.
    pub town_id: Option<i64>,
    /// Standing members (true) or the others (false).
    pub standing: Option<bool>,
    /// New members (true) or returning ones (false).
    pub new_member: Option<bool>,
    /// Carrying this flag.
    pub flag: Option<ConsequenceFlag>,
}

/// How results are sorted.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum AssessmentSort {
    /// By rank (then name).
    #[default]
    Rank,
    /// By total (then name).
    Total,
    /// By name (pinyin).
    Name,
}

/// The function that counts a list on demand.
pub type Counter = crate::pagination::Counter;

/// A page of the results of a year (the run that speaks for it, or `filter.run_id`'s); with
/// `with_members`, the page's members too, fetched in the page's statement.
pub async fn list(
    db: &DatabaseConnection,
    actor: &Actor,
    year: i32,
    filter: AssessmentFilter,
    sort: (AssessmentSort, bool),
    args: &PageArgs,
    with_members: bool,
) -> AppResult<(Page<member_assessment::Model>, Counter, Vec<member::Model>)> {
    policy::read_assessments(actor)?;
    use member_assessment::Column as C;
    // The year's official run as a scalar subquery of the page's statement (no statement of
    // its own). `=`, not `IN`: PostgreSQL then knows the one run before it reads, and walks the
    // run's order index (7 ms) instead of joining every result of the year (89 ms).
    let run = match filter.run_id {
        Some(id) => C::RunId.eq(id),
        None => {
            let official = official_runs(year).select_only().column(assessment_run::Column::Id).limit(1);
            let official = SimpleExpr::SubQuery(None, Box::new(official.into_query().into()));
            sea_orm::sea_query::ExprTrait::eq(
                sea_orm::sea_query::Expr::col((member_assessment::Entity, C::RunId)),
                official,
            )
        }
    };
    let mut cond = Condition::all().add(C::Year.eq(year)).add(run);
    if let Some(g) = filter.grade {
        cond = cond.add(C::Grade.eq(g));
    }
    for (column, value) in [
        (C::SectorId, filter.sector_id),
        (C::CommitteeId, filter.committee_id),
        (C::StudioId, filter.studio_id),
        (C::TownId, filter.town_id),
    ] {
        if let Some(v) = value {
            cond = cond.add(column.eq(v));
        }
    }
    if let Some(v) = filter.standing {
        cond = cond.add(C::Standing.eq(v));
    }
    if let Some(v) = filter.new_member {
        cond = cond.add(C::NewMember.eq(v));
    }
    if let Some(flag) = filter.flag {
        let column = match flag {
            ConsequenceFlag::Commend => C::FlagCommend,
            ConsequenceFlag::ReminderTalk => C::FlagReminder,
            ConsequenceFlag::PersuadeResign => C::FlagResign,
            ConsequenceFlag::MinimumNotMet => C::FlagMinimum,
        };
        cond = cond.add(column.eq(true));
    }
    let base = member_assessment::Entity::find().filter(cond);
    let (sort, descending) = sort;
    let key = |column, descending| SortKey { column, descending };
    let ordering = match sort {
        AssessmentSort::Rank => Ordering::new(
            if descending { "rank-desc" } else { "rank" },
            vec![key(C::Rank, descending), key(C::NamePinyin, false), key(C::Id, false)],
        ),
        AssessmentSort::Total => Ordering::new(
            if descending { "total-desc" } else { "total" },
            vec![key(C::TotalCents, descending), key(C::NamePinyin, false), key(C::Id, false)],
        ),
        AssessmentSort::Name => Ordering::new(
            if descending { "name-desc" } else { "name" },
            vec![key(C::NamePinyin, descending), key(C::Id, descending)],
        ),
    };
    let (page, members) = if with_members {
        paginate_joined::<_, member::Entity, _>(db, base.clone(), &ordering, args, C::MemberId).await?
    } else {
        (paginate(db, base.clone(), &ordering, args).await?, Vec::new())
    };
    Ok((page, crate::pagination::counter(db, base), members))
}

/// One member's result by id, as the actor may see it.
pub async fn find(db: &impl ConnectionTrait, actor: &Actor, id: i64) -> AppResult<member_assessment::Model> {
    let row = member_assessment::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| AppError::not_found("member assessment", id))?;
    if !policy::member_assessment_scope(actor, row.member_id)?.published_only() {
        return Ok(row);
    }
    let run = assessment_run::Entity::find_by_id(row.run_id).one(db).await?;
    if run.is_some_and(|r| r.status == RunStatus::Published) {
        Ok(row)
    } else {
        Err(AppError::not_found("member assessment", id))
    }
}

/// Which of `member_id`'s results the actor may see; none (rather than FORBIDDEN) when the
/// actor may see none of them, as `Member.assessment` answers null.
pub fn result_scope(actor: &Actor, member_id: i64) -> AppResult<Option<AssessmentScope>> {
    match policy::member_assessment_scope(actor, member_id) {
        Ok(scope) => Ok(Some(scope)),
        Err(AppError::Forbidden(_)) => Ok(None),
        Err(e) => Err(e),
    }
}

/// The result of each `(member, year)` that speaks for it, as `scope` allows: from the year's
/// published run, else (unless the scope sees only published runs) from its latest run. Two
/// queries for any number of keys.
pub async fn for_members(
    db: &impl ConnectionTrait,
    scope: AssessmentScope,
    keys: &[(i64, i32)],
) -> AppResult<HashMap<(i64, i32), member_assessment::Model>> {
    let years: Vec<i32> = {
        let mut y: Vec<i32> = keys.iter().map(|k| k.1).collect();
        y.sort_unstable();
        y.dedup();
        y
    };
    let mut select = assessment_run::Entity::find().filter(assessment_run::Column::Year.is_in(years));
    if scope.published_only() {
        select = select.filter(assessment_run::Column::Status.eq(RunStatus::Published));
    }
    let runs = select.all(db).await?;
    // Per year, runs in preference order: published first, then the newest.
    let preference = |r: &assessment_run::Model| (r.status != RunStatus::Published, -r.id);
    let mut best: HashMap<i32, Vec<&assessment_run::Model>> = HashMap::new();
    for run in &runs {
        best.entry(run.year).or_default().push(run);
    }
    for list in best.values_mut() {
        list.sort_by_key(|r| preference(r));
    }
    let members: Vec<i64> = keys.iter().map(|k| k.0).collect();
    let rows = member_assessment::Entity::find()
        .filter(member_assessment::Column::RunId.is_in(runs.iter().map(|r| r.id)))
        .filter(member_assessment::Column::MemberId.is_in(members))
        .all(db)
        .await?;
    let mut by_run: HashMap<(i64, i64), member_assessment::Model> = HashMap::new();
    for row in rows {
        by_run.insert((row.run_id, row.member_id), row);
    }
    let mut out = HashMap::new();
    for &(member, year) in keys {
        let found = best.get(&year).and_then(|list| list.iter().find_map(|r| by_run.get(&(r.id, member))));
        if let Some(row) = found {
            out.insert((member, year), row.clone());
        }
    }
    Ok(out)
}

/// The subtotals stored with a result.
pub fn subtotals(row: &member_assessment::Model) -> AppResult<Vec<Subtotal>> {
    serde_json::from_str(&row.subtotals).map_err(|e| AppError::Internal(format!("stored subtotals: {e}")))
}

/// The unmet minimum requirements stored with a result.
pub fn unmet_minimums(row: &member_assessment::Model) -> Vec<String> {
    serde_json::from_str(&row.unmet_minimums).unwrap_or_default()
}

/// How many members of a run got each grade.
pub async fn grade_counts(db: &impl ConnectionTrait, run_id: i64) -> AppResult<Vec<(Grade, i64)>> {
    let rows: Vec<(Grade, i64)> = member_assessment::Entity::find()
        .select_only()
        .column(member_assessment::Column::Grade)
        .column_as(member_assessment::Column::Id.count(), "n")
        .filter(member_assessment::Column::RunId.eq(run_id))
        .group_by(member_assessment::Column::Grade)
        .into_tuple()
        .all(db)
        .await?;
    let mut rows = rows;
    rows.sort_by_key(|(g, _)| g.order());
    Ok(rows)
}

/// The score lines of many results, in line order.
pub async fn lines_of(db: &impl ConnectionTrait, assessment_ids: &[i64]) -> AppResult<HashMap<i64, Vec<ScoreLine>>> {
    lines_where(db, assessment_lines::Column::AssessmentId.is_in(assessment_ids.iter().copied())).await
}

/// The score lines of every result of run `run_id`, by result.
pub async fn lines_of_run(db: &impl ConnectionTrait, run_id: i64) -> AppResult<HashMap<i64, Vec<ScoreLine>>> {
    let results = Query::select()
        .column(member_assessment::Column::Id)
        .from(member_assessment::Entity)
        .and_where(member_assessment::Column::RunId.eq(run_id))
        .to_owned();
    lines_where(db, assessment_lines::Column::AssessmentId.in_subquery(results)).await
}

async fn lines_where(db: &impl ConnectionTrait, which: SimpleExpr) -> AppResult<HashMap<i64, Vec<ScoreLine>>> {
    let rows = assessment_lines::Entity::find().filter(which).all(db).await?;
    rows.into_iter().map(|row| Ok((row.assessment_id, parse_lines(&row.lines)?))).collect()
}

/// A result's stored lines (see [`assessment_lines`]).
fn parse_lines(document: &str) -> AppResult<Vec<ScoreLine>> {
    serde_json::from_str(document).map_err(|e| AppError::Internal(format!("stored score lines do not parse: {e}")))
}

/// The adjustments of many (run, member) pairs, oldest first.
pub async fn adjustments_for(
    db: &impl ConnectionTrait,
    keys: &[(i64, i64)],
) -> AppResult<HashMap<(i64, i64), Vec<assessment_adjustment::Model>>> {
    let runs: Vec<i64> = keys.iter().map(|k| k.0).collect();
    let members: Vec<i64> = keys.iter().map(|k| k.1).collect();
    let rows = assessment_adjustment::Entity::find()
        .filter(assessment_adjustment::Column::RunId.is_in(runs))
        .filter(assessment_adjustment::Column::MemberId.is_in(members))
        .order_by_asc(assessment_adjustment::Column::Id)
        .all(db)
        .await?;
    let mut out: HashMap<(i64, i64), Vec<assessment_adjustment::Model>> = HashMap::new();
    for row in rows {
        out.entry((row.run_id, row.member_id)).or_default().push(row);
    }
    Ok(out)
}

/// How many results a run has (for checks and the CLI).
pub async fn count(db: &impl ConnectionTrait, run_id: i64) -> AppResult<u64> {
    Ok(member_assessment::Entity::find().filter(member_assessment::Column::RunId.eq(run_id)).count(db).await?)
}
