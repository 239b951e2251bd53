//! Rules and queries of the people who sign a record: a proposal's signers (`proposal_signer`)
//! and a public-opinion report's authors (`opinion_author`). Both domains use this module and
//! neither uses the other's service for it.

use std::collections::{HashMap, HashSet};

use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, IdenStatic, JoinType, QueryFilter, QuerySelect, Select,
    sea_query::{Query, SimpleExpr},
};

use crate::{
    error::{AppError, AppResult},
    pagination::{self, Ordering, Page},
};
use entity::{enums::SignerRole, member, opinion_author, proposal_signer};

/// Most characters of a record's title (a proposal's 案由, a report's title).
pub const MAX_TITLE_CHARS: usize = 200;

/// A member signing a proposal (or writing a report), with their role.
#[derive(Clone, Copy, Debug)]
pub struct NewSigner {
    /// The member.
    pub member_id: i64,
    /// First proposer (author) or co-signer.
    pub role: SignerRole,
}

/// The member listed FIRST, if any.
pub fn first_of(people: &[NewSigner]) -> Option<i64> {
    people.iter().find(|p| p.role == SignerRole::First).map(|p| p.member_id)
}

/// Checks a list of signing members (or authors): no one twice, exactly one FIRST when there
/// is anyone, every member existing. `field` is the list as the caller's input names it
/// (`signers`, `authors`); an entry at fault is `field.i.memberId`.
pub async fn check(db: &impl ConnectionTrait, field: &str, people: &[NewSigner]) -> AppResult<()> {
    if people.is_empty() {
        return Ok(());
    }
    let firsts = people.iter().filter(|p| p.role == SignerRole::First).count();
    if firsts != 1 {
        return Err(AppError::bad_field(field, format!("{field} must have exactly one FIRST, has {firsts}")));
    }
    let mut seen = HashSet::new();
    for (i, p) in people.iter().enumerate() {
        if !seen.insert(p.member_id) {
            return Err(AppError::bad_field(format!("{field}.{i}.memberId"), "a member is listed twice"));
        }
    }
    let found: HashSet<i64> = member::Entity::find()
        .select_only()
        .column(member::Column::Id)
        .filter(member::Column::Id.is_in(people.iter().map(|p| p.member_id)))
        .into_tuple::<i64>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    if let Some((i, p)) = people.iter().enumerate().find(|(_, p)| !found.contains(&p.member_id)) {
        return Err(AppError::bad_field(
            format!("{field}.{i}.memberId"),
            format!("member {} does not exist", p.member_id),
        ));
    }
    Ok(())
}

/// The table that lists the people of one kind of signed record.
pub trait People: EntityTrait {
    /// The column naming the record.
    const RECORD: Self::Column;
    /// The column naming the member.
    const MEMBER: Self::Column;
}

impl People for proposal_signer::Entity {
    const RECORD: Self::Column = proposal_signer::Column::ProposalId;
    const MEMBER: Self::Column = proposal_signer::Column::MemberId;
}

impl People for opinion_author::Entity {
    const RECORD: Self::Column = opinion_author::Column::ReportId;
    const MEMBER: Self::Column = opinion_author::Column::MemberId;
}

/// `record_id IN (SELECT record FROM people WHERE member = member_id)`: the records that
/// `member_id` signed (or wrote).
pub fn signed_by<P: People>(record_id: impl ColumnTrait, member_id: i64) -> SimpleExpr {
    record_id
        .in_subquery(Query::select().column(P::RECORD).from(P::default()).and_where(P::MEMBER.eq(member_id)).to_owned())
}

/// The first `limit` records of `select` (already scoped and filtered) that each of `members`
/// signed, in `ordering`, with each member's total: ONE windowed query for all of them.
pub async fn first_pages_by_member<E, P>(
    db: &impl ConnectionTrait,
    select: Select<E>,
    record_id: E::Column,
    members: &[i64],
    ordering: &Ordering<E>,
    limit: u64,
) -> AppResult<HashMap<i64, (Page<E::Model>, u64)>>
where
    E: EntityTrait,
    E::Model: Send + Sync,
    P: People,
{
    let people = P::belongs_to(E::default()).from(P::RECORD).to(record_id).into();
    let select = select.join(JoinType::InnerJoin, sea_orm::RelationDef::rev(people));
    let parent = (P::default().table_name(), P::MEMBER.as_str());
    pagination::first_pages(db, select, parent, members, ordering, limit).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_signer_is_the_one_listed_first_by_role_not_by_place() {
        let people =
            [NewSigner { member_id: 4, role: SignerRole::Co }, NewSigner { member_id: 9, role: SignerRole::First }];
        assert_eq!(first_of(&people), Some(9));
        assert_eq!(first_of(&people[..1]), None);
    }
}
