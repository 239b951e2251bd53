//! A seat (委员任职): a member in one term, with number, sector, party and status.

use sea_orm::entity::prelude::*;

use crate::enums::{LeadershipPost, Party, SeatStatus};

/// A row of `seat`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "seat")]
pub struct Model {
    /// Primary key.
    #[sea_orm(primary_key)]
    pub id: i64,
    /// The member; one seat per member and term.
    pub member_id: i64,
    /// The term.
    pub term_id: i64,
    /// 委员证号; unique within the term.
    pub member_number: Option<String>,
    /// The sector (界别) the member represents.
    pub sector_id: Option<i64>,
    /// Political affiliation.
    pub party: Party,
    /// Member of the standing committee (常委).
    pub standing_committee: bool,
    /// Leadership post, if any.
    pub leadership_post: Option<LeadershipPost>,
    /// Employer and position (工作单位及职务).
    pub employer: Option<String>,
    /// Status of the seat.
    pub status: SeatStatus,
    /// The day the seat (or its current status) began.
    pub start_date: Date,
    /// The day the seat ended; open while serving.
    pub end_date: Option<Date>,
    /// Why the status changed (resignation reason, decision number …).
    pub status_reason: Option<String>,
}

/// Relations of `seat`.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    /// The member.
    #[sea_orm(belongs_to = "super::member::Entity", from = "Column::MemberId", to = "super::member::Column::Id")]
    Member,
    /// The term.
    #[sea_orm(belongs_to = "super::term::Entity", from = "Column::TermId", to = "super::term::Column::Id")]
    Term,
    /// The sector.
    #[sea_orm(belongs_to = "super::sector::Entity", from = "Column::SectorId", to = "super::sector::Column::Id")]
    Sector,
}

impl Related<super::member::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Member.def()
    }
}

impl Related<super::term::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Term.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
