//! One entry of the append-only audit log: who changed what, when, with the values before and
//! after.

use sea_orm::entity::prelude::*;

/// A row of `audit_log`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "audit_log")]
pub struct Model {
    /// Primary key; also the order of events.
    #[sea_orm(primary_key)]
    pub id: i64,
    /// When the change was made.
    pub at: DateTimeUtc,
    /// The account that made it; none for the command line and the seeder.
    pub account_id: Option<i64>,
    /// The account's username at the time ("system" for the command line).
    pub actor: String,
    /// The operation, e.g. "updateMember".
    pub operation: String,
    /// The kind of record changed, e.g. "member".
    pub entity: String,
    /// The changed record's id.
    pub entity_id: Option<i64>,
    /// The record before the change (none for a creation).
    pub before: Option<Json>,
    /// The record after the change (none for a deletion).
    pub after: Option<Json>,
}

/// Relations of `audit_log`.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
