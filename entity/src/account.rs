//! An account that can sign in: a role, and optionally the member, committee, studio, sector,
//! group or handling unit it acts for.

use sea_orm::entity::prelude::*;

use crate::enums::Role;

/// A row of `account`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "account")]
pub struct Model {
    /// Primary key.
    #[sea_orm(primary_key)]
    pub id: i64,
    /// Login name; unique.
    #[sea_orm(unique)]
    pub username: String,
    /// Argon2id hash of the password (PHC string). Never serialised (e.g. into the audit log).
    #[serde(skip)]
    pub password_hash: String,
    /// What the account may do.
    pub role: Role,
    /// The member a MEMBER account belongs to.
    pub member_id: Option<i64>,
    /// The committee a COMMITTEE_STAFF account works for.
    pub committee_id: Option<i64>,
    /// The studio a STUDIO_LEAD account leads.
    pub studio_id: Option<i64>,
    /// The handling unit a HANDLING_UNIT account answers for.
    pub handling_unit_id: Option<i64>,
    /// The sector a SECTOR_CONVENER account convenes.
    pub sector_id: Option<i64>,
    /// The group a GROUP_LEAD account leads.
    pub group_id: Option<i64>,
    /// Set for a one-time password (`createMemberAccounts`, `resetPassword`): the account must
    /// choose a new password before it may do anything else.
    pub must_change_password: bool,
    /// A disabled account cannot sign in.
    pub disabled: bool,
    /// When the account was created.
    pub created_at: DateTimeUtc,
}

/// Relations of `account`.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
