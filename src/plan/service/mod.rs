//! Rules and queries of annual plans and their items.
//!
//! Everyone signed in reads plans (`policy::read_plans`); the office writes them
//! (`policy::manage_plans`); committee staff record the stages of the items their committee
//! leads (`policy::record_plan_stage`). Every write runs in one transaction with its audit
//! entry ([`write`]). How far a plan has got on a day is counted by the database: one GROUP BY
//! over the items, with the state of each item decided by the conditions of
//! [`state_condition`] ([`query`]).

mod query;
mod write;

use chrono::NaiveDate;

use super::Lead;
use entity::enums::{PlanItemState, PlanItemStatus, PlanItemType};

pub use query::{
    Progress, area_progress, find_item, find_plan, items, linked_activities_visible, plans, progress, progress_key,
    state_condition, state_of,
};
pub use write::{add_item, create_plan, link_activity, record_stage, unlink_activity, update_item};

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
