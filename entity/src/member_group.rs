//! A standing group of members: activity group, supervision group, service team, reading group.

use sea_orm::entity::prelude::*;

use crate::enums::GroupKind;

/// A row of `member_group`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "member_group")]
pub struct Model {
    /// Primary key.
    #[sea_orm(primary_key)]
    pub id: i64,
    /// The name, e.g. "法律服务队"; unique.
    #[sea_orm(unique)]
    pub name: String,
    /// What kind of group it is.
    pub kind: GroupKind,
    /// The special committee the group works under, if any.
    pub committee_id: Option<i64>,
}

/// Relations of `member_group`.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    /// The special committee.
    #[sea_orm(
        belongs_to = "super::special_committee::Entity",
        from = "Column::CommitteeId",
        to = "super::special_committee::Column::Id"
    )]
    SpecialCommittee,
}

impl ActiveModelBehavior for ActiveModel {}
