//! An item of an annual plan: a thematic meeting, consultation, supervision, inspection or
//! research of one area (方面), led by a special committee or the office, due by a date.

use sea_orm::entity::prelude::*;

use crate::enums::{PlanItemStatus, PlanItemType};

/// A row of `plan_item`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "plan_item")]
pub struct Model {
    /// Primary key.
    #[sea_orm(primary_key)]
    pub id: i64,
    /// The plan.
    pub plan_id: i64,
    /// The item's number within the plan (序号), from 1.
    pub number: i32,
    /// What kind of work the item is.
    pub item_type: PlanItemType,
    /// The area (方面) of the plan it belongs to, e.g. "经济建设".
    pub area: String,
    /// Title, e.g. "围绕数字经济发展开展专题协商".
    pub title: String,
    /// The leading special committee; none when the office leads (牵头单位).
    pub lead_committee_id: Option<i64>,
    /// The day by which the item should be carried out.
    pub target_date: Date,
    /// The office's record of where the item stands.
    pub status: PlanItemStatus,
    /// When the record was created.
    pub created_at: DateTimeUtc,
    /// When the record last changed.
    pub updated_at: DateTimeUtc,
}

/// Relations of `plan_item`.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    /// The plan.
    #[sea_orm(belongs_to = "super::plan::Entity", from = "Column::PlanId", to = "super::plan::Column::Id")]
    Plan,
}

impl Related<super::plan::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Plan.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
