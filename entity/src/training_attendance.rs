//! A member's attendance at a training session: hours earned and whether they completed it.

use sea_orm::entity::prelude::*;

/// A row of `training_attendance`; unique per (session, member).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "training_attendance")]
pub struct Model {
    /// Primary key.
    #[sea_orm(primary_key)]
    pub id: i64,
    /// The session.
    pub session_id: i64,
    /// The member.
    pub member_id: i64,
    /// Hours earned, in tenths of an hour (exact sums on every database).
    pub hours_tenths: i64,
    /// Completed (结业).
    pub completed: bool,
}

/// Relations of `training_attendance`.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    /// The session.
    #[sea_orm(
        belongs_to = "super::training_session::Entity",
        from = "Column::SessionId",
        to = "super::training_session::Column::Id"
    )]
    Session,
    /// The member.
    #[sea_orm(belongs_to = "super::member::Entity", from = "Column::MemberId", to = "super::member::Column::Id")]
    Member,
}

impl Related<super::training_session::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Session.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
