//! Rules and queries of annual plans and their items.
//!
//! Everyone signed in reads plans (`policy::read_plans`); the office writes them
//! (`policy::manage_plans`); committee staff record the stages of the items their committee
//! leads (`policy::record_plan_stage`). Every write runs in one transaction with its audit
//! entry. How far a plan has got on a day is counted by the database: one GROUP BY over the
//! items, with the state of each item decided by the conditions of [`state_condition`].

use std::collections::HashMap;

use chrono::{Datelike, NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait,
    ActiveValue::Set,
    ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, DatabaseTransaction, EntityTrait, FromQueryResult,
    IntoActiveModel, QueryFilter, QueryOrder, QuerySelect, TransactionTrait,
    sea_query::{Expr, ExprTrait, Query, SimpleExpr},
};

use super::Lead;
use crate::{
    audit::service as audit,
    auth::{Actor, policy},
    dates::{today, year_bounds},
    db::exists,
    error::{AppError, AppResult},
    pagination::{Counter, counter},
    pagination::{Ordering, Page, PageArgs, SortKey, paginate},
    proposal::service::count_if,
    validate::{self, MAX_NAME_CHARS, MAX_TEXT_CHARS},
};
use entity::{
    activity,
    enums::{PlanItemState, PlanItemStatus, PlanItemType, PlanStage},
    plan, plan_item, plan_item_activity, plan_stage, special_committee, term,
};

// ----- plans -----

/// A plan to create.
#[derive(Clone, Debug)]
pub struct NewPlan {
    /// The year it covers.
    pub year: i32,
    /// Title, unique within the year.
    pub title: String,
    /// Notes (the preamble).
    pub description: Option<String>,
    /// The term; by default the term in force at the end of the year.
    pub term_id: Option<i64>,
}

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

/// The term a year belongs to: the one in force on its last day, else the latest begun by then.
async fn term_of_year(db: &impl ConnectionTrait, year: i32) -> AppResult<Option<i64>> {
    let (first, last) = year_bounds(year)?;
    let row = term::Entity::find()
        .filter(term::Column::StartDate.lte(last))
        .filter(term::Column::EndDate.gte(first))
        .order_by_desc(term::Column::StartDate)
        .one(db)
        .await?;
    Ok(row.map(|t| t.id))
}

/// Creates a plan for a year.
pub async fn create_plan(
    db: &impl TransactionTrait<Transaction = DatabaseTransaction>,
    actor: &Actor,
    new: NewPlan,
) -> AppResult<plan::Model> {
    policy::manage_plans(actor)?;
    year_bounds(new.year).map_err(|_| AppError::bad_field("input.year", "input.year is out of range"))?;
    let title = validate::required("input.title", &new.title, MAX_NAME_CHARS)?;
    let description = validate::optional("input.description", new.description.as_deref(), MAX_TEXT_CHARS)?;
    crate::db::atomically(db, async |txn| {
        let term_id = match new.term_id {
            Some(id) => {
                exists::<term::Entity>(txn, id, "input.termId", "term").await?;
                Some(id)
            }
            None => term_of_year(txn, new.year).await?,
        };
        let taken = plan::Entity::find()
            .filter(plan::Column::Year.eq(new.year))
            .filter(plan::Column::Title.eq(&title))
            .one(txn)
            .await?;
        if taken.is_some() {
            return Err(AppError::Conflict(format!("the {} plan {title} already exists", new.year)));
        }
        let now = Utc::now();
        let row = plan::ActiveModel {
            year: Set(new.year),
            term_id: Set(term_id),
            title: Set(title),
            description: Set(description),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(txn)
        .await?;
        audit::created(txn, actor, "createPlan", "plan", row.id, &row).await?;
        Ok(row)
    })
    .await
}

// ----- items -----

/// An item to add to a plan.
#[derive(Clone, Debug)]
pub struct NewPlanItem {
    /// The plan.
    pub plan_id: i64,
    /// The type of work.
    pub item_type: PlanItemType,
    /// The area (方面).
    pub area: String,
    /// Title.
    pub title: String,
    /// Who leads it.
    pub lead: Lead,
    /// The day it is due; within the plan's year.
    pub target_date: NaiveDate,
    /// Where it stands (default NOT_STARTED).
    pub status: PlanItemStatus,
    /// The goal (年初亮目标), recorded with the item when given.
    pub goal: Option<String>,
}

/// Changes to a plan item; `None` leaves a field alone.
#[derive(Clone, Debug, Default)]
pub struct PlanItemChanges {
    /// New type.
    pub item_type: Option<PlanItemType>,
    /// New area.
    pub area: Option<String>,
    /// New title.
    pub title: Option<String>,
    /// New lead.
    pub lead: Option<Lead>,
    /// New target date.
    pub target_date: Option<NaiveDate>,
    /// New status.
    pub status: Option<PlanItemStatus>,
}

/// Fails with BAD_USER_INPUT on `field` unless the lead exists.
async fn check_lead(db: &impl ConnectionTrait, lead: Lead, field: &str) -> AppResult<()> {
    match lead {
        Lead::Office => Ok(()),
        Lead::Committee(id) => exists::<special_committee::Entity>(db, id, field, "special committee").await,
    }
}

fn check_target_date(plan: &plan::Model, date: NaiveDate) -> AppResult<()> {
    if date.year() == plan.year {
        Ok(())
    } else {
        Err(AppError::bad_field(
            "input.targetDate",
            format!("input.targetDate {date} is not in the plan's year {}", plan.year),
        ))
    }
}

/// Who is recording, as stored on a stage.
fn recorder(actor: &Actor) -> (Option<i64>, String) {
    match actor {
        Actor::Account(s) => (Some(s.account_id), s.username.clone()),
        Actor::System => (None, "system".to_owned()),
        Actor::Anonymous => (None, "anonymous".to_owned()),
    }
}

/// Writes (or replaces) one stage of an item, audited as `operation`.
async fn write_stage(
    txn: &impl ConnectionTrait,
    actor: &Actor,
    operation: &str,
    item_id: i64,
    stage: PlanStage,
    text: String,
    recorded_on: NaiveDate,
) -> AppResult<plan_stage::Model> {
    let (account, name) = recorder(actor);
    let existing = plan_stage::Entity::find()
        .filter(plan_stage::Column::PlanItemId.eq(item_id))
        .filter(plan_stage::Column::Stage.eq(stage))
        .one(txn)
        .await?;
    match existing {
        Some(before) => {
            let mut row = before.clone().into_active_model();
            row.text = Set(text);
            row.recorded_on = Set(recorded_on);
            row.recorded_by_account_id = Set(account);
            row.recorded_by = Set(name);
            row.created_at = Set(Utc::now());
            let after = row.update(txn).await?;
            audit::changed(txn, actor, operation, "plan_stage", after.id, &before, &after).await?;
            Ok(after)
        }
        None => {
            let row = plan_stage::ActiveModel {
                plan_item_id: Set(item_id),
                stage: Set(stage),
                text: Set(text),
                recorded_on: Set(recorded_on),
                recorded_by_account_id: Set(account),
                recorded_by: Set(name),
                created_at: Set(Utc::now()),
                ..Default::default()
            }
            .insert(txn)
            .await?;
            audit::created(txn, actor, operation, "plan_stage", row.id, &row).await?;
            Ok(row)
        }
    }
}

/// Adds an item at the end of a plan (numbered after the last), with its goal when given.
pub async fn add_item(
    db: &impl TransactionTrait<Transaction = DatabaseTransaction>,
    actor: &Actor,
    new: NewPlanItem,
) -> AppResult<plan_item::Model> {
    policy::manage_plans(actor)?;
    let area = validate::required("input.area", &new.area, MAX_NAME_CHARS)?;
    let title = validate::required("input.title", &new.title, MAX_NAME_CHARS * 2)?;
    let goal = validate::optional("input.goal", new.goal.as_deref(), MAX_TEXT_CHARS)?;
    crate::db::atomically(db, async |txn| {
        let plan = plan::Entity::find_by_id(new.plan_id)
            .lock_exclusive()
            .one(txn)
            .await?
            .ok_or_else(|| AppError::not_found("plan", new.plan_id))?;
        check_target_date(&plan, new.target_date)?;
        check_lead(txn, new.lead, "input.leadId").await?;
        let last: Option<Option<i32>> = plan_item::Entity::find()
            .select_only()
            .column_as(plan_item::Column::Number.max(), "n")
            .filter(plan_item::Column::PlanId.eq(plan.id))
            .into_tuple()
            .one(txn)
            .await?;
        let now = Utc::now();
        let row = plan_item::ActiveModel {
            plan_id: Set(plan.id),
            number: Set(last.flatten().unwrap_or(0) + 1),
            item_type: Set(new.item_type),
            area: Set(area),
            title: Set(title),
            lead_committee_id: Set(new.lead.column()),
            target_date: Set(new.target_date),
            status: Set(new.status),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(txn)
        .await?;
        audit::created(txn, actor, "addPlanItem", "plan_item", row.id, &row).await?;
        if let Some(goal) = goal {
            write_stage(txn, actor, "addPlanItem", row.id, PlanStage::Goal, goal, today()).await?;
        }
        Ok(row)
    })
    .await
}

/// Changes an item's details.
pub async fn update_item(
    db: &impl TransactionTrait<Transaction = DatabaseTransaction>,
    actor: &Actor,
    id: i64,
    changes: PlanItemChanges,
) -> AppResult<plan_item::Model> {
    policy::manage_plans(actor)?;
    let area = changes.area.as_deref().map(|a| validate::required("input.area", a, MAX_NAME_CHARS)).transpose()?;
    let title =
        changes.title.as_deref().map(|t| validate::required("input.title", t, MAX_NAME_CHARS * 2)).transpose()?;
    crate::db::atomically(db, async |txn| {
        let before = plan_item::Entity::find_by_id(id)
            .lock_exclusive()
            .one(txn)
            .await?
            .ok_or_else(|| AppError::not_found("plan item", id))?;
        if let Some(date) = changes.target_date {
            let plan = plan::Entity::find_by_id(before.plan_id)
                .one(txn)
                .await?
                .ok_or_else(|| AppError::not_found("plan", before.plan_id))?;
            check_target_date(&plan, date)?;
        }
        if let Some(lead) = changes.lead {
            check_lead(txn, lead, "input.leadId").await?;
        }
        let mut row = before.clone().into_active_model();
        if let Some(t) = changes.item_type {
            row.item_type = Set(t);
        }
        if let Some(area) = area {
            row.area = Set(area);
        }
        if let Some(title) = title {
            row.title = Set(title);
        }
        if let Some(lead) = changes.lead {
            row.lead_committee_id = Set(lead.column());
        }
        if let Some(date) = changes.target_date {
            row.target_date = Set(date);
        }
        if let Some(status) = changes.status {
            row.status = Set(status);
        }
        row.updated_at = Set(Utc::now());
        let after = row.update(txn).await?;
        audit::changed(txn, actor, "updatePlanItem", "plan_item", id, &before, &after).await?;
        Ok(after)
    })
    .await
}

/// Records (or replaces) the goal, progress or result of an item, as of `recorded_on`
/// (default today). Office staff for any item; committee staff for their committee's.
pub async fn record_stage(
    db: &impl TransactionTrait<Transaction = DatabaseTransaction>,
    actor: &Actor,
    item_id: i64,
    stage: PlanStage,
    text: &str,
    recorded_on: Option<NaiveDate>,
) -> AppResult<plan_item::Model> {
    policy::record_plan_stages(actor)?;
    let text = validate::required("input.text", text, MAX_TEXT_CHARS)?;
    let recorded_on = recorded_on.unwrap_or_else(today);
    year_bounds(recorded_on.year())
        .map_err(|_| AppError::bad_field("input.recordedOn", "input.recordedOn is out of range"))?;
    crate::db::atomically(db, async |txn| {
        let item = plan_item::Entity::find_by_id(item_id)
            .lock_exclusive()
            .one(txn)
            .await?
            .ok_or_else(|| AppError::not_found("plan item", item_id))?;
        policy::record_plan_stage(actor, item.lead_committee_id)?;
        write_stage(txn, actor, "recordPlanStage", item.id, stage, text, recorded_on).await?;
        let mut row = item.into_active_model();
        row.updated_at = Set(Utc::now());
        Ok(row.update(txn).await?)
    })
    .await
}

/// Links an activity that carried out an item. Linking twice is CONFLICT.
pub async fn link_activity(
    db: &impl TransactionTrait<Transaction = DatabaseTransaction>,
    actor: &Actor,
    item_id: i64,
    activity_id: i64,
) -> AppResult<plan_item::Model> {
    policy::manage_plans(actor)?;
    crate::db::atomically(db, async |txn| {
        let item = plan_item::Entity::find_by_id(item_id)
            .one(txn)
            .await?
            .ok_or_else(|| AppError::not_found("plan item", item_id))?;
        exists::<activity::Entity>(txn, activity_id, "input.activityId", "activity").await?;
        if link_of(txn, item_id, activity_id).await?.is_some() {
            return Err(AppError::Conflict(format!("activity {activity_id} is already linked to plan item {item_id}")));
        }
        let row = plan_item_activity::ActiveModel {
            plan_item_id: Set(item_id),
            activity_id: Set(activity_id),
            ..Default::default()
        }
        .insert(txn)
        .await?;
        audit::created(txn, actor, "linkPlanActivity", "plan_item_activity", row.id, &row).await?;
        Ok(item)
    })
    .await
}

async fn link_of(
    db: &impl ConnectionTrait,
    item_id: i64,
    activity_id: i64,
) -> AppResult<Option<plan_item_activity::Model>> {
    Ok(plan_item_activity::Entity::find()
        .filter(plan_item_activity::Column::PlanItemId.eq(item_id))
        .filter(plan_item_activity::Column::ActivityId.eq(activity_id))
        .one(db)
        .await?)
}

/// Removes the link between an item and an activity; BAD_USER_INPUT when there is none.
pub async fn unlink_activity(
    db: &impl TransactionTrait<Transaction = DatabaseTransaction>,
    actor: &Actor,
    item_id: i64,
    activity_id: i64,
) -> AppResult<plan_item::Model> {
    policy::manage_plans(actor)?;
    crate::db::atomically(db, async |txn| {
        let item = plan_item::Entity::find_by_id(item_id)
            .one(txn)
            .await?
            .ok_or_else(|| AppError::not_found("plan item", item_id))?;
        let link = link_of(txn, item_id, activity_id).await?.ok_or_else(|| {
            AppError::bad_field(
                "input.activityId",
                format!("activity {activity_id} is not linked to plan item {item_id}"),
            )
        })?;
        plan_item_activity::Entity::delete_by_id(link.id).exec(txn).await?;
        audit::changed(txn, actor, "unlinkPlanActivity", "plan_item_activity", link.id, &Some(&link), &None).await?;
        Ok(item)
    })
    .await
}

// ----- reading items and progress -----

/// Which items of a plan to list.
#[derive(Clone, Debug, Default)]
pub struct PlanItemFilter {
    /// Of this type.
    pub item_type: Option<PlanItemType>,
    /// Led by this lead.
    pub lead: Option<Lead>,
    /// With this status.
    pub status: Option<PlanItemStatus>,
    /// In this area.
    pub area: Option<String>,
    /// In this state as of `as_of`.
    pub state: Option<PlanItemState>,
    /// The day `state` is judged on (default today).
    pub as_of: Option<NaiveDate>,
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
