//! A term (届次): five years to which seats, plans and assessments belong.

use sea_orm::entity::prelude::*;

/// A row of `term`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "term")]
pub struct Model {
    /// Primary key.
    #[sea_orm(primary_key)]
    pub id: i64,
    /// The ordinal, e.g. 10 for 第十届; unique.
    #[sea_orm(unique)]
    pub number: i32,
    /// The display name, e.g. "第十届".
    pub name: String,
    /// First day of the term.
    pub start_date: Date,
    /// Last day of the term.
    pub end_date: Date,
}

/// Relations of `term`.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    /// Seats held in this term.
    #[sea_orm(has_many = "super::seat::Entity")]
    Seat,
}

impl Related<super::seat::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Seat.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
