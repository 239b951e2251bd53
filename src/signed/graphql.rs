//! The signing members of a record in the API: the input both `submitProposal` (`signers`)
//! and `submitOpinionReport` (`authors`) take.

use async_graphql::{ID, InputObject};

use super::service::NewSigner;
use crate::{
    error::AppResult,
    relay::{Kind, decode_id},
};
use entity::enums::SignerRole;

/// A signing member.
#[derive(InputObject)]
pub struct SignerInput {
    /// The member.
    pub member_id: ID,
    /// FIRST (exactly one) or CO.
    pub role: SignerRole,
}

/// Decodes the list an input names `field` (`signers`, `authors`); an entry at fault is
/// `field.i.memberId`.
pub fn decode(input: Vec<SignerInput>, field: &str) -> AppResult<Vec<NewSigner>> {
    input
        .into_iter()
        .enumerate()
        .map(|(i, s)| {
            let member_id = decode_id(Kind::Member, &s.member_id, &format!("{field}.{i}.memberId"))?;
            Ok(NewSigner { member_id, role: s.role })
        })
        .collect()
}
