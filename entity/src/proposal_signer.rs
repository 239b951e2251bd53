//! A member who signs a proposal: the first proposer (第一提案人) or a co-signer.

use sea_orm::entity::prelude::*;

use crate::enums::SignerRole;

/// A row of `proposal_signer`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "proposal_signer")]
pub struct Model {
    /// Primary key.
    #[sea_orm(primary_key)]
    pub id: i64,
    /// The proposal.
    pub proposal_id: i64,
    /// The member.
    pub member_id: i64,
    /// First proposer or co-signer.
    pub role: SignerRole,
}

/// Relations of `proposal_signer`.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
