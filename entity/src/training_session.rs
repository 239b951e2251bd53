//! A training session (培训): a members' class, a forum lecture or online learning, with credit
//! hours.

use sea_orm::entity::prelude::*;

use crate::enums::{OrganiserKind, TrainingKind};

/// A row of `training_session`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "training_session")]
pub struct Model {
    /// Primary key.
    #[sea_orm(primary_key)]
    pub id: i64,
    /// Title, e.g. "2023年度委员履职能力提升培训班".
    pub title: String,
    /// Kind.
    pub kind: TrainingKind,
    /// Who organised it; the matching id column below is set (none for the office).
    pub organiser_kind: OrganiserKind,
    /// The organising special committee.
    pub committee_id: Option<i64>,
    /// The organising sector.
    pub sector_id: Option<i64>,
    /// The organising studio.
    pub studio_id: Option<i64>,
    /// The organising group.
    pub group_id: Option<i64>,
    /// First day.
    pub start_date: Date,
    /// Last day.
    pub end_date: Date,
    /// Where it took place.
    pub location: Option<String>,
    /// Credit hours (学时) of the whole session, in tenths of an hour.
    pub credit_tenths: i64,
    /// When the record was created.
    pub created_at: DateTimeUtc,
    /// When the record was voided (作废); null while it counts.
    pub voided_at: Option<DateTimeUtc>,
    /// The account that voided it.
    pub voided_by: Option<i64>,
    /// Why it was voided.
    pub void_reason: Option<String>,
}

/// Relations of `training_session`.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    /// The attendances.
    #[sea_orm(has_many = "super::training_attendance::Entity")]
    Attendance,
}

impl Related<super::training_attendance::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Attendance.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
