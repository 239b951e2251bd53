//! The demo committee: a realistic district CPPCC committee seeded into an empty database, the
//! same on every run, in one transaction.
//!
//! It holds two terms (第九届 and the current 第十届), 20 sectors, 4 special committees, 16 towns
//! and streets with 191 villages and communities under them, a studio at each of those
//! (16 + 191 = 207 studios, no sector studios), 209 current members each in exactly one special
//! committee and one studio, 120 of them returning from 第九届 and 60 more people who sat only
//! there (269 members in all), 6 standing groups, 25 handling units, and one demo account per
//! role with the password [`DEMO_PASSWORD`]. These are the figures the year in review quotes.

mod activities;
mod assessments;
mod names;
mod organisation;
mod plans;
mod proposals;
mod roster;
pub mod scale;

use std::collections::HashMap;

use chrono::{NaiveDateTime, NaiveTime};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QuerySelect,
};

use crate::{
    account::service as accounts,
    auth::{Actor, Role},
    error::{AppError, AppResult},
    member::names::{initials_key, pinyin_key},
};
use entity::{account, committee_membership, group_membership, member, seat, sector_convener, studio_assignment, term};
use names::{
    ACCOUNTS, COMMITTEES, CURRENT_TERM, GROUPS, HANDLING_UNITS, PREVIOUS_TERM, SECTORS, TOWN_COUNT, VILLAGE_COUNT,
};
use organisation::Ids;
use roster::{Placement, Roster, SeatPlan};

/// The password of every demo account. Demo data only: never use it in production.
pub const DEMO_PASSWORD: &str = "lvzhi-demo-2024";

/// Rows per INSERT statement: well below the bound-parameter limits of SQLite and PostgreSQL
/// for the widest table.
const CHUNK: usize = 500;

/// What the demo seed wrote.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DemoSummary {
    /// Members seated in the current term (第十届).
    pub members_current_term: usize,
    /// Members of all terms.
    pub members_all_terms: usize,
    /// Sectors (界别).
    pub sectors: usize,
    /// Special committees (专委会).
    pub committees: usize,
    /// Towns and streets.
    pub towns: usize,
    /// Villages and communities.
    pub villages: usize,
    /// Member studios.
    pub studios: usize,
    /// Standing groups.
    pub groups: usize,
    /// Handling units.
    pub handling_units: usize,
    /// Demo accounts created (those whose username was already taken are left alone).
    pub accounts: usize,
}

/// Seeds the demo committee into an empty database, all or nothing. Fails with CONFLICT when
/// the database already has a term or a member. Accounts may exist already: a demo account
/// whose username is taken is skipped.
pub async fn demo(db: &DatabaseConnection) -> AppResult<DemoSummary> {
    let txn = crate::db::begin(db).await?;
    let outcome = match is_empty(&txn).await {
        Ok(true) => seed(&txn).await,
        Ok(false) => Err(AppError::Conflict(
            "the database already has terms or members; the demo committee is only seeded into an empty one".to_owned(),
        )),
        Err(err) => Err(err),
    };
    crate::db::finish(txn, outcome).await
}

/// Seeds the demo committee when the database has no term and no member; otherwise does
/// nothing and returns none.
pub async fn demo_if_empty(db: &DatabaseConnection) -> AppResult<Option<DemoSummary>> {
    if !is_empty(db).await? {
        return Ok(None);
    }
    demo(db).await.map(Some)
}

/// Whether the database has neither terms nor members.
async fn is_empty(db: &impl ConnectionTrait) -> AppResult<bool> {
    Ok(term::Entity::find().one(db).await?.is_none() && member::Entity::find().one(db).await?.is_none())
}

/// Lays out and draws the demo committee, writes it and counts what was written.
async fn seed(db: &sea_orm::DatabaseTransaction) -> AppResult<DemoSummary> {
    let layout = organisation::layout();
    let roster = roster::draw(&layout);
    let ids = organisation::insert(db, &layout).await?;
    let members = insert_people(db, &roster, &ids).await?;
    insert_placements(db, &roster, &ids, &members).await?;
    activities::insert(db, &roster, &ids, &members).await?;
    // The member account belongs to the member numbered first in the current term.
    let first = roster
        .people
        .iter()
        .zip(&members)
        .filter_map(|(p, &id)| p.current.as_ref().map(|s| (s.number.clone(), p.name.clone(), id)))
        .min()
        .ok_or_else(|| AppError::Internal("the demo roster has no current member".to_owned()))?;
    let scopes = AccountScopes {
        committee_id: ids.committees.first().copied(),
        studio_id: ids.studios.first().copied(),
        handling_unit_id: ids.handling_units.first().copied(),
        sector_id: ids.sectors.first().copied(),
        group_id: ids.groups.first().copied(),
        member: first,
    };
    let accounts = create_accounts(db, &scopes).await?;
    proposals::insert(db).await?;
    plans::insert(db).await?;
    assessments::insert(db).await?;
    Ok(DemoSummary {
        members_current_term: roster.people.iter().filter(|p| p.current.is_some()).count(),
        members_all_terms: roster.people.len(),
        sectors: SECTORS.len(),
        committees: COMMITTEES.len(),
        towns: TOWN_COUNT,
        villages: VILLAGE_COUNT,
        studios: layout.studios.len(),
        groups: GROUPS.len(),
        handling_units: HANDLING_UNITS.len(),
        accounts,
    })
}

/// Inserts `rows` in chunks of [`CHUNK`].
async fn insert_chunked<A>(db: &impl ConnectionTrait, rows: Vec<A>) -> AppResult<()>
where
    A: ActiveModelTrait,
{
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        A::Entity::insert_many(rows.by_ref().take(CHUNK)).exec_without_returning(db).await?;
    }
    Ok(())
}

/// The ids of the rows of `E` named `names`, in that order (names are unique in `E`).
async fn ids_by_name<'a, E>(
    db: &impl ConnectionTrait,
    id: E::Column,
    name: E::Column,
    names: impl IntoIterator<Item = &'a str>,
    noun: &str,
) -> AppResult<Vec<i64>>
where
    E: EntityTrait,
{
    let rows: Vec<(i64, String)> = E::find().select_only().column(id).column(name).into_tuple().all(db).await?;
    let by_name: HashMap<&str, i64> = rows.iter().map(|(id, name)| (name.as_str(), *id)).collect();
    names
        .into_iter()
        .map(|n| by_name.get(n).copied().ok_or_else(|| AppError::Internal(format!("seeded {noun} {n} not found"))))
        .collect()
}

/// Writes the people and their seats; returns the member ids by roster index.
async fn insert_people(db: &impl ConnectionTrait, roster: &Roster, ids: &Ids) -> AppResult<Vec<i64>> {
    let rows = roster.people.iter().map(|p| {
        // Registered on the first day of their first term, so the data is the same on every run.
        let registered = NaiveDateTime::new(p.registered(), NaiveTime::MIN).and_utc();
        member::ActiveModel {
            name: Set(p.name.clone()),
            name_pinyin: Set(pinyin_key(&p.name)),
            name_initials: Set(initials_key(&p.name)),
            name_folded: Set(Some(crate::member::names::fold(&p.name))),
            gender: Set(Some(p.gender)),
            ethnicity: Set(Some(p.ethnicity.to_owned())),
            birth_date: Set(Some(p.birth_date)),
            phone: Set(Some(p.phone.clone())),
            notes: Set(None),
            created_at: Set(registered),
            updated_at: Set(registered),
            ..Default::default()
        }
    });
    insert_chunked(db, rows.collect()).await?;
    // Names are unique in the roster, and the database held no member before.
    let members = ids_by_name::<member::Entity>(
        db,
        member::Column::Id,
        member::Column::Name,
        roster.people.iter().map(|p| p.name.as_str()),
        "member",
    )
    .await?;

    let seat_row = |member_id: i64, term_id: i64, start, s: &SeatPlan| seat::ActiveModel {
        member_id: Set(member_id),
        term_id: Set(term_id),
        member_number: Set(Some(s.number.clone())),
        sector_id: Set(Some(ids.sectors[s.sector])),
        party: Set(s.party),
        standing_committee: Set(s.standing),
        leadership_post: Set(s.post),
        employer: Set(Some(s.employer.clone())),
        status: Set(s.status),
        start_date: Set(start),
        end_date: Set(s.end),
        status_reason: Set(s.reason.map(str::to_owned)),
        ..Default::default()
    };
    let seats = roster.people.iter().zip(&members).flat_map(|(p, &id)| {
        let previous = p.previous.as_ref().map(|s| seat_row(id, ids.previous_term, PREVIOUS_TERM.start, s));
        let current = p.current.as_ref().map(|s| seat_row(id, ids.current_term, CURRENT_TERM.start, s));
        previous.into_iter().chain(current)
    });
    insert_chunked(db, seats.collect()).await?;
    Ok(members)
}

/// Writes the committee memberships, studio assignments, group memberships and conveners.
async fn insert_placements(db: &impl ConnectionTrait, roster: &Roster, ids: &Ids, members: &[i64]) -> AppResult<()> {
    /// The ActiveModel of a placement, given the member id and the target id.
    fn rows<R: Copy, A>(
        placements: &[Placement<R>],
        members: &[i64],
        targets: &[i64],
        row: impl Fn(i64, i64, &Placement<R>) -> A,
    ) -> Vec<A> {
        placements.iter().map(|p| row(members[p.person], targets[p.target], p)).collect()
    }
    let committees = rows(&roster.committees, members, &ids.committees, |member_id, committee_id, p| {
        committee_membership::ActiveModel {
            member_id: Set(member_id),
            committee_id: Set(committee_id),
            role: Set(p.role),
            start_date: Set(p.start),
            end_date: Set(p.end),
            ..Default::default()
        }
    });
    insert_chunked(db, committees).await?;
    let studios =
        rows(&roster.studios, members, &ids.studios, |member_id, studio_id, p| studio_assignment::ActiveModel {
            member_id: Set(member_id),
            studio_id: Set(studio_id),
            role: Set(p.role),
            start_date: Set(p.start),
            end_date: Set(p.end),
            ..Default::default()
        });
    insert_chunked(db, studios).await?;
    let groups = rows(&roster.groups, members, &ids.groups, |member_id, group_id, p| group_membership::ActiveModel {
        member_id: Set(member_id),
        group_id: Set(group_id),
        role: Set(p.role),
        start_date: Set(p.start),
        end_date: Set(p.end),
        ..Default::default()
    });
    insert_chunked(db, groups).await?;
    let conveners =
        rows(&roster.conveners, members, &ids.sectors, |member_id, sector_id, p| sector_convener::ActiveModel {
            member_id: Set(member_id),
            sector_id: Set(sector_id),
            start_date: Set(p.start),
            end_date: Set(p.end),
            ..Default::default()
        });
    insert_chunked(db, conveners).await?;
    Ok(())
}

/// What the demo accounts are tied to: a committee, a studio, a handling unit, a sector, a
/// group, and the member (number, name, id) of the MEMBER account.
struct AccountScopes {
    committee_id: Option<i64>,
    studio_id: Option<i64>,
    handling_unit_id: Option<i64>,
    sector_id: Option<i64>,
    group_id: Option<i64>,
    member: (String, String, i64),
}

/// Creates the demo accounts that do not exist yet (through the account service, which hashes
/// the password) and logs them. Returns how many were created.
async fn create_accounts(db: &sea_orm::DatabaseTransaction, scopes: &AccountScopes) -> AppResult<usize> {
    let first = (scopes.member.0.as_str(), scopes.member.1.as_str(), scopes.member.2);
    let mut created = 0;
    for &(username, role) in ACCOUNTS {
        if role == Role::GroupLead && scopes.group_id.is_none() {
            continue;
        }
        if account::Entity::find().filter(account::Column::Username.eq(username)).one(db).await?.is_some() {
            tracing::info!(username, "demo account skipped: the username is taken");
            continue;
        }
        let mut new = accounts::NewAccount {
            username: username.to_owned(),
            password: DEMO_PASSWORD.to_owned(),
            role,
            member_id: None,
            committee_id: None,
            studio_id: None,
            handling_unit_id: None,
            sector_id: None,
            group_id: None,
        };
        match role {
            Role::CommitteeStaff => new.committee_id = scopes.committee_id,
            Role::StudioLead => new.studio_id = scopes.studio_id,
            Role::HandlingUnit => new.handling_unit_id = scopes.handling_unit_id,
            Role::Member => new.member_id = Some(first.2),
            Role::SectorConvener => new.sector_id = scopes.sector_id,
            Role::GroupLead => new.group_id = scopes.group_id,
            Role::Admin | Role::Office | Role::Viewer => {}
        }
        accounts::create_account(db, &Actor::System, new).await?;
        created += 1;
        if role == Role::Member {
            tracing::info!(username, password = DEMO_PASSWORD, member = first.1, number = first.0, "demo account");
        } else {
            tracing::info!(username, password = DEMO_PASSWORD, role = role.label_en(), "demo account");
        }
    }
    Ok(created)
}
