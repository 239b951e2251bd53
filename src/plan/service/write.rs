//! The writes of plans: creating a plan, adding and changing items, recording their stages
//! ("三亮"), linking and unlinking activities. Each runs in one transaction with its audit
//! entry; fields at fault are named as the input calls them (`targetDate`, `leadId`).

use chrono::{Datelike, NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait,
    IntoActiveModel, QueryFilter, QueryOrder, QuerySelect, TransactionTrait,
};

use super::{Lead, NewPlan, NewPlanItem, PlanItemChanges};
use crate::{
    audit::service as audit,
    auth::{Actor, policy},
    dates::{today, year_bounds},
    db::{atomically, exists},
    error::{AppError, AppResult},
    validate::{self, MAX_NAME_CHARS, MAX_TEXT_CHARS},
};
use entity::{activity, enums::PlanStage, plan, plan_item, plan_item_activity, plan_stage, special_committee, term};

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
    year_bounds(new.year).map_err(|_| AppError::bad_field("year", "year is out of range"))?;
    let title = validate::required("title", &new.title, MAX_NAME_CHARS)?;
    let description = validate::optional("description", new.description.as_deref(), MAX_TEXT_CHARS)?;
    atomically(db, async |txn| {
        let term_id = match new.term_id {
            Some(id) => {
                exists::<term::Entity>(txn, id, "termId", "term").await?;
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
        Err(AppError::bad_field("targetDate", format!("targetDate {date} is not in the plan's year {}", plan.year)))
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
    let area = validate::required("area", &new.area, MAX_NAME_CHARS)?;
    let title = validate::required("title", &new.title, MAX_NAME_CHARS * 2)?;
    let goal = validate::optional("goal", new.goal.as_deref(), MAX_TEXT_CHARS)?;
    atomically(db, async |txn| {
        let plan = plan::Entity::find_by_id(new.plan_id)
            .lock_exclusive()
            .one(txn)
            .await?
            .ok_or_else(|| AppError::not_found("plan", new.plan_id))?;
        check_target_date(&plan, new.target_date)?;
        check_lead(txn, new.lead, "leadId").await?;
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
    let area = changes.area.as_deref().map(|a| validate::required("area", a, MAX_NAME_CHARS)).transpose()?;
    let title = changes.title.as_deref().map(|t| validate::required("title", t, MAX_NAME_CHARS * 2)).transpose()?;
    atomically(db, async |txn| {
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
            check_lead(txn, lead, "leadId").await?;
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
    let text = validate::required("text", text, MAX_TEXT_CHARS)?;
    let recorded_on = recorded_on.unwrap_or_else(today);
    year_bounds(recorded_on.year()).map_err(|_| AppError::bad_field("recordedOn", "recordedOn is out of range"))?;
    atomically(db, async |txn| {
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
    atomically(db, async |txn| {
        let item = plan_item::Entity::find_by_id(item_id)
            .one(txn)
            .await?
            .ok_or_else(|| AppError::not_found("plan item", item_id))?;
        exists::<activity::Entity>(txn, activity_id, "activityId", "activity").await?;
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
    atomically(db, async |txn| {
        let item = plan_item::Entity::find_by_id(item_id)
            .one(txn)
            .await?
            .ok_or_else(|| AppError::not_found("plan item", item_id))?;
        let link = link_of(txn, item_id, activity_id).await?.ok_or_else(|| {
            AppError::bad_field("activityId", format!("activity {activity_id} is not linked to plan item {item_id}"))
        })?;
        plan_item_activity::Entity::delete_by_id(link.id).exec(txn).await?;
        audit::changed(txn, actor, "unlinkPlanActivity", "plan_item_activity", link.id, &Some(&link), &None).await?;
        Ok(item)
    })
    .await
}
