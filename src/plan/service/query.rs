//! The reads of plans: the plans of a year, one plan or item, a plan's items (filtered by their
//! state on a day, decided in SQL), and the progress of plans and their areas, counted by the
//! database.

use std::collections::HashMap;

use chrono::NaiveDate;
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait, FromQueryResult, QueryFilter, QueryOrder,
    QuerySelect,
    sea_query::{Expr, ExprTrait, Query, SimpleExpr},
};

use super::{Lead, PlanItemFilter};
use crate::{
    auth::{Actor, policy},
    dates::{today, year_bounds},
    error::{AppError, AppResult},
    pagination::{Counter, Ordering, Page, PageArgs, SortKey, counter, paginate},
    proposal::service::count_if,
};
use entity::{
    enums::{PlanItemState, PlanItemStatus, PlanStage},
    plan, plan_item, plan_stage,
};

/// The plans of `year`, in creation order.
pub async fn plans(db: &impl ConnectionTrait, actor: &Actor, year: i32) -> AppResult<Vec<plan::Model>> {
    policy::read_plans(actor)?;
    year_bounds(year)?;
    Ok(plan::Entity::find().filter(plan::Column::Year.eq(year)).order_by_asc(plan::Column::Id).all(db).await?)
}

/// One plan, or NOT_FOUND.
pub async fn find_plan(db: &impl ConnectionTrait, actor: &Actor, id: i64) -> AppResult<plan::Model> {
    policy::read_plans(actor)?;
    plan::Entity::find_by_id(id).one(db).await?.ok_or_else(|| AppError::not_found("plan", id))
}

/// One plan item, or NOT_FOUND.
pub async fn find_item(db: &impl ConnectionTrait, actor: &Actor, id: i64) -> AppResult<plan_item::Model> {
    policy::read_plans(actor)?;
    plan_item::Entity::find_by_id(id).one(db).await?.ok_or_else(|| AppError::not_found("plan item", id))
}

/// The loader key of a plan's progress on `as_of`, for an actor who may read plans.
pub fn progress_key(actor: &Actor, plan_id: i64, as_of: NaiveDate) -> AppResult<(i64, NaiveDate)> {
    policy::read_plans(actor)?;
    Ok((plan_id, as_of))
}

/// Fails unless the actor may read the activities linked to plan items (`policy::read_activities`).
pub fn linked_activities_visible(actor: &Actor) -> AppResult<()> {
    policy::read_activities(actor)
}

/// `EXISTS` a stage of the outer `plan_item` row recorded on or before `as_of`.
fn stage_recorded(stage: PlanStage, as_of: NaiveDate) -> SimpleExpr {
    Expr::exists(
        Query::select()
            .expr(Expr::val(1))
            .from(plan_stage::Entity)
            .and_where(
                Expr::col((plan_stage::Entity, plan_stage::Column::PlanItemId))
                    .equals((plan_item::Entity, plan_item::Column::Id)),
            )
            .and_where(plan_stage::Column::Stage.eq(stage))
            .and_where(plan_stage::Column::RecordedOn.lte(as_of))
            .to_owned(),
    )
}

/// The SQL condition of an item being in `state` on `as_of`, over `plan_item` rows:
///
/// - DONE: a result recorded by then, or the office marked it DONE;
/// - LATE: not done, and the target date has passed;
/// - ON_TRACK: not done, the target date not passed, and IN_PROGRESS or progress recorded;
/// - NOT_STARTED: not done, the target date not passed, neither in progress nor progress recorded.
pub fn state_condition(state: PlanItemState, as_of: NaiveDate) -> Condition {
    let done = Condition::any()
        .add(plan_item::Column::Status.eq(PlanItemStatus::Done))
        .add(stage_recorded(PlanStage::Result, as_of));
    let started = Condition::any()
        .add(plan_item::Column::Status.eq(PlanItemStatus::InProgress))
        .add(stage_recorded(PlanStage::Progress, as_of));
    let open = Condition::all().add(done.clone().not()).add(plan_item::Column::TargetDate.gte(as_of));
    match state {
        PlanItemState::Done => done,
        PlanItemState::Late => Condition::all().add(done.not()).add(plan_item::Column::TargetDate.lt(as_of)),
        PlanItemState::OnTrack => open.add(started),
        PlanItemState::NotStarted => open.add(started.not()),
    }
}

fn item_ordering() -> Ordering<plan_item::Entity> {
    Ordering::new(
        "PLAN_ITEM:NUMBER",
        vec![
            SortKey { column: plan_item::Column::Number, descending: false },
            SortKey { column: plan_item::Column::Id, descending: false },
        ],
    )
}

/// A page of a plan's items in plan order, and the counter of all that match.
pub async fn items(
    db: &DatabaseConnection,
    actor: &Actor,
    plan_id: i64,
    filter: PlanItemFilter,
    page: &PageArgs,
) -> AppResult<(Page<plan_item::Model>, Counter)> {
    policy::read_plans(actor)?;
    let mut select = plan_item::Entity::find().filter(plan_item::Column::PlanId.eq(plan_id));
    if let Some(t) = filter.item_type {
        select = select.filter(plan_item::Column::ItemType.eq(t));
    }
    match filter.lead {
        Some(Lead::Office) => select = select.filter(plan_item::Column::LeadCommitteeId.is_null()),
        Some(Lead::Committee(id)) => select = select.filter(plan_item::Column::LeadCommitteeId.eq(id)),
        None => {}
    }
    if let Some(status) = filter.status {
        select = select.filter(plan_item::Column::Status.eq(status));
    }
    if let Some(area) = filter.area.as_deref().map(str::trim).filter(|a| !a.is_empty()) {
        select = select.filter(plan_item::Column::Area.eq(area));
    }
    if let Some(state) = filter.state {
        select = select.filter(state_condition(state, filter.as_of.unwrap_or_else(today)));
    }
    let page = paginate(db, select.clone(), &item_ordering(), page).await?;
    Ok((page, counter(db, select)))
}

/// How far a plan (or one area of it) has got on a day: items per state.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Progress {
    /// Every item.
    pub total: u64,
    /// Items done.
    pub done: u64,
    /// Items in progress before their target date.
    pub on_track: u64,
    /// Items past their target date without a result.
    pub late: u64,
    /// Items not started, their target date not passed.
    pub not_started: u64,
}

#[derive(Debug, FromQueryResult)]
struct ProgressRow {
    plan_id: i64,
    area: Option<String>,
    first_number: Option<i32>,
    total: i64,
    done: i64,
    on_track: i64,
    late: i64,
    not_started: i64,
}

impl From<&ProgressRow> for Progress {
    fn from(r: &ProgressRow) -> Self {
        let n = |v: i64| u64::try_from(v).unwrap_or(0);
        Self {
            total: n(r.total),
            done: n(r.done),
            on_track: n(r.on_track),
            late: n(r.late),
            not_started: n(r.not_started),
        }
    }
}

/// Counts the items of `plans` per state on `as_of` in ONE GROUP BY query, per plan or (with
/// `by_area`) per plan and area.
async fn progress_rows(
    db: &impl ConnectionTrait,
    plans: &[i64],
    as_of: NaiveDate,
    by_area: bool,
) -> AppResult<Vec<ProgressRow>> {
    if plans.is_empty() {
        return Ok(Vec::new());
    }
    let mut select = plan_item::Entity::find()
        .select_only()
        .column(plan_item::Column::PlanId)
        .column_as(plan_item::Column::Id.count(), "total")
        .column_as(count_if(state_condition(PlanItemState::Done, as_of)), "done")
        .column_as(count_if(state_condition(PlanItemState::OnTrack, as_of)), "on_track")
        .column_as(count_if(state_condition(PlanItemState::Late, as_of)), "late")
        .column_as(count_if(state_condition(PlanItemState::NotStarted, as_of)), "not_started")
        .filter(plan_item::Column::PlanId.is_in(plans.iter().copied()))
        .group_by(plan_item::Column::PlanId);
    if by_area {
        select = select
            .column(plan_item::Column::Area)
            .column_as(plan_item::Column::Number.min(), "first_number")
            .group_by(plan_item::Column::Area);
    } else {
        select = select
            .column_as(Expr::val(Option::<String>::None), "area")
            .column_as(Expr::val(Option::<i32>::None), "first_number");
    }
    Ok(select.into_model::<ProgressRow>().all(db).await?)
}

/// The progress of each of `plans` on `as_of` (plans without items have all zeros). No access
/// check: the caller has read the plans.
pub async fn progress(db: &impl ConnectionTrait, plans: &[i64], as_of: NaiveDate) -> AppResult<HashMap<i64, Progress>> {
    let mut out: HashMap<i64, Progress> = plans.iter().map(|&p| (p, Progress::default())).collect();
    for row in progress_rows(db, plans, as_of, false).await? {
        out.insert(row.plan_id, Progress::from(&row));
    }
    Ok(out)
}

/// The progress of each area (方面) of a plan on `as_of`, in plan order.
pub async fn area_progress(
    db: &impl ConnectionTrait,
    actor: &Actor,
    plan_id: i64,
    as_of: NaiveDate,
) -> AppResult<Vec<(String, Progress)>> {
    policy::read_plans(actor)?;
    let mut rows = progress_rows(db, &[plan_id], as_of, true).await?;
    rows.sort_by_key(|r| r.first_number);
    Ok(rows.iter().map(|r| (r.area.clone().unwrap_or_default(), Progress::from(r))).collect())
}

/// The state of one item on `as_of`, given its stages: the rule of [`state_condition`].
pub fn state_of(item: &plan_item::Model, stages: &[plan_stage::Model], as_of: NaiveDate) -> PlanItemState {
    let recorded = |stage: PlanStage| stages.iter().any(|s| s.stage == stage && s.recorded_on <= as_of);
    if item.status == PlanItemStatus::Done || recorded(PlanStage::Result) {
        PlanItemState::Done
    } else if item.target_date < as_of {
        PlanItemState::Late
    } else if item.status == PlanItemStatus::InProgress || recorded(PlanStage::Progress) {
        PlanItemState::OnTrack
    } else {
        PlanItemState::NotStarted
    }
}
