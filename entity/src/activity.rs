//! An activity (履职活动): one event organised by the office, a special committee, a sector, a
//! studio or a group, with its outcome figures.

use sea_orm::entity::prelude::*;

use crate::enums::{ActivityKind, ActivityStatus, ActivitySubkind, OrganiserKind};

/// A row of `activity`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "activity")]
pub struct Model {
    /// Primary key.
    #[sea_orm(primary_key)]
    pub id: i64,
    /// Title, e.g. "关于老旧小区改造的专题协商会".
    pub title: String,
    /// Kind.
    pub kind: ActivityKind,
    /// Subkind (for consultations and study activities).
    pub subkind: Option<ActivitySubkind>,
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
    /// Last day (the first day when it lasted one day).
    pub end_date: Date,
    /// Where it took place.
    pub location: Option<String>,
    /// Planned, done or cancelled.
    pub status: ActivityStatus,
    /// Whether attendance is compulsory (absence counts against the member).
    pub compulsory: bool,
    /// 解决问题数.
    pub issues_solved: Option<i32>,
    /// 惠及人次.
    pub people_served: Option<i32>,
    /// 捐款捐物金额 in fen (hundredths of a yuan), exact on every database.
    pub donations_fen: Option<i64>,
    /// Notes on the activity.
    pub description: Option<String>,
    /// When the record was created.
    pub created_at: DateTimeUtc,
    /// When the record last changed.
    pub updated_at: DateTimeUtc,
    /// When the activity was closed (its unmarked invitees turned absent); none while open.
    pub closed_at: Option<DateTimeUtc>,
    /// The account that closed it; none when the system (or a migration) did.
    pub closed_by: Option<i64>,
    /// When the record was voided (作废); null while it counts.
    pub voided_at: Option<DateTimeUtc>,
    /// The account that voided it.
    pub voided_by: Option<i64>,
    /// Why it was voided.
    pub void_reason: Option<String>,
}

/// Relations of `activity`.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    /// The participations.
    #[sea_orm(has_many = "super::participation::Entity")]
    Participation,
}

impl Related<super::participation::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Participation.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
