//! One of the three stages of a plan item ("三亮"): the goal shown at the start of the year
//! (年初亮目标), the progress shown mid-year (年中亮进度) or the result shown at year end
//! (年底亮结果), with the day it was recorded and by whom.

use sea_orm::entity::prelude::*;

use crate::enums::PlanStage;

/// A row of `plan_stage`; unique per (plan item, stage): recording a stage again replaces it
/// (the audit log keeps the earlier text).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "plan_stage")]
pub struct Model {
    /// Primary key.
    #[sea_orm(primary_key)]
    pub id: i64,
    /// The plan item.
    pub plan_item_id: i64,
    /// Goal, progress or result.
    pub stage: PlanStage,
    /// What was said.
    pub text: String,
    /// The day it was recorded (the day it counts from).
    pub recorded_on: Date,
    /// The account that recorded it (none for the system).
    pub recorded_by_account_id: Option<i64>,
    /// The name of who recorded it.
    pub recorded_by: String,
    /// When the row was written.
    pub created_at: DateTimeUtc,
}

/// Relations of `plan_stage`.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    /// The plan item.
    #[sea_orm(
        belongs_to = "super::plan_item::Entity",
        from = "Column::PlanItemId",
        to = "super::plan_item::Column::Id"
    )]
    PlanItem,
}

impl Related<super::plan_item::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::PlanItem.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
