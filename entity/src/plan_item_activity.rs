//! A link between a plan item and an activity that carried it out (many to many).

use sea_orm::entity::prelude::*;

/// A row of `plan_item_activity`; unique per (plan item, activity).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "plan_item_activity")]
pub struct Model {
    /// Primary key.
    #[sea_orm(primary_key)]
    pub id: i64,
    /// The plan item.
    pub plan_item_id: i64,
    /// The activity.
    pub activity_id: i64,
}

/// Relations of `plan_item_activity`.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    /// The plan item.
    #[sea_orm(
        belongs_to = "super::plan_item::Entity",
        from = "Column::PlanItemId",
        to = "super::plan_item::Column::Id"
    )]
    PlanItem,
    /// The activity.
    #[sea_orm(belongs_to = "super::activity::Entity", from = "Column::ActivityId", to = "super::activity::Column::Id")]
    Activity,
}

impl Related<super::activity::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Activity.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
