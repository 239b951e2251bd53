//! A bearer token issued at sign-in. Only its SHA-256 hash is stored.

use sea_orm::entity::prelude::*;

/// A row of `session_token`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "session_token")]
pub struct Model {
    /// Primary key.
    #[sea_orm(primary_key)]
    pub id: i64,
    /// The account signed in.
    pub account_id: i64,
    /// Hex SHA-256 of the token; unique.
    #[sea_orm(unique)]
    pub token_hash: String,
    /// When it was issued.
    pub created_at: DateTimeUtc,
    /// When it stops working.
    pub expires_at: DateTimeUtc,
    /// When it was revoked by logout, if it was.
    pub revoked_at: Option<DateTimeUtc>,
}

/// Relations of `session_token`.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    /// The account signed in.
    #[sea_orm(belongs_to = "super::account::Entity", from = "Column::AccountId", to = "super::account::Column::Id")]
    Account,
}

impl Related<super::account::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Account.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
