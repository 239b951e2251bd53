//! A member's personal target for a year (个人履职目标), e.g. at least one proposal. The value is
//! stored in hundredths (`value_hundredths`), exact on every database.

use sea_orm::entity::prelude::*;

use crate::enums::TargetKind;

/// A row of `member_target`; unique per (member, year, kind).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "member_target")]
pub struct Model {
    /// Primary key.
    #[sea_orm(primary_key)]
    pub id: i64,
    /// The member.
    pub member_id: i64,
    /// The year.
    pub year: i32,
    /// What is counted.
    pub kind: TargetKind,
    /// The target in hundredths: 100 for one proposal, 80 for an attendance rate of 0.8,
    /// 1250 for 12.5 training hours.
    pub value_hundredths: i64,
    /// When the target was set.
    pub created_at: DateTimeUtc,
    /// When the target last changed.
    pub updated_at: DateTimeUtc,
}

/// Relations of `member_target`.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    /// The member.
    #[sea_orm(belongs_to = "super::member::Entity", from = "Column::MemberId", to = "super::member::Column::Id")]
    Member,
}

impl Related<super::member::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Member.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
