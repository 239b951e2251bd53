//! An annual plan (年度工作要点 / 协商计划): the committee's published list of what it will do in a
//! year, whose items show their goal, progress and result ("三亮").

use sea_orm::entity::prelude::*;

/// A row of `plan`; unique per (year, title).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "plan")]
pub struct Model {
    /// Primary key.
    #[sea_orm(primary_key)]
    pub id: i64,
    /// The year the plan covers.
    pub year: i32,
    /// The term the year belongs to.
    pub term_id: Option<i64>,
    /// Title, e.g. "2024年度协商工作计划".
    pub title: String,
    /// Notes on the plan (its preamble).
    pub description: Option<String>,
    /// When the record was created.
    pub created_at: DateTimeUtc,
    /// When the record last changed.
    pub updated_at: DateTimeUtc,
}

/// Relations of `plan`.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    /// The items of the plan.
    #[sea_orm(has_many = "super::plan_item::Entity")]
    PlanItem,
}

impl Related<super::plan_item::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::PlanItem.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
