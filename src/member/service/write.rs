//! Creating and changing members and their seats, each in one transaction with its audit
//! entries. Fields at fault are named as the input calls them (`name`, `seat.sectorId`).

use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    TryIntoModel,
};

use super::{MemberChanges, NewMember, SeatChanges};
use crate::{
    audit::service as audit,
    auth::{Actor, policy},
    db::{atomically, exists},
    error::{AppError, AppResult},
    member::names,
    validate::{self, MAX_NAME_CHARS, MAX_TEXT_CHARS},
};
use entity::{enums::SeatStatus, member, seat, sector, term};

async fn check_seat_refs(
    db: &impl ConnectionTrait,
    term_id: i64,
    sector_id: Option<i64>,
    member_number: Option<&str>,
    except_seat: Option<i64>,
) -> AppResult<term::Model> {
    let term = term::Entity::find_by_id(term_id)
        .one(db)
        .await?
        .ok_or_else(|| AppError::bad_field("seat.termId", format!("term {term_id} does not exist")))?;
    if let Some(sector) = sector_id {
        exists::<sector::Entity>(db, sector, "seat.sectorId", "sector").await?;
    }
    if let Some(number) = member_number {
        let mut q =
            seat::Entity::find().filter(seat::Column::TermId.eq(term_id)).filter(seat::Column::MemberNumber.eq(number));
        if let Some(own) = except_seat {
            q = q.filter(seat::Column::Id.ne(own));
        }
        if q.one(db).await?.is_some() {
            return Err(AppError::Conflict(format!("member number {number} is already given in {}", term.name)));
        }
    }
    Ok(term)
}

/// Creates a member with the seat for a term, in one transaction.
pub async fn create(db: &DatabaseConnection, actor: &Actor, new: NewMember) -> AppResult<member::Model> {
    policy::manage_members(actor)?;
    atomically(db, async |txn| insert_member(txn, actor, new).await).await
}

async fn insert_member(txn: &impl ConnectionTrait, actor: &Actor, new: NewMember) -> AppResult<member::Model> {
    let name = validate::required("name", &new.name, MAX_NAME_CHARS)?;
    let ethnicity = validate::optional("ethnicity", new.ethnicity.as_deref(), MAX_NAME_CHARS)?;
    let phone = validate::optional("phone", new.phone.as_deref(), 32)?;
    let birth_date = validate::birth_date("birthDate", new.birth_date, crate::dates::today())?;
    let notes = validate::optional("notes", new.notes.as_deref(), MAX_TEXT_CHARS)?;
    let number = validate::optional("seat.memberNumber", new.seat.member_number.as_deref(), 32)?;
    let employer = validate::optional("seat.employer", new.seat.employer.as_deref(), MAX_TEXT_CHARS)?;
    let term = check_seat_refs(txn, new.seat.term_id, new.seat.sector_id, number.as_deref(), None).await?;
    let now = Utc::now();
    let member = member::ActiveModel {
        name_pinyin: Set(names::pinyin_key(&name)),
        name_initials: Set(names::initials_key(&name)),
        name_folded: Set(Some(names::fold(&name))),
        name: Set(name),
        gender: Set(new.gender),
        ethnicity: Set(ethnicity),
        birth_date: Set(birth_date),
        phone: Set(phone),
        notes: Set(notes),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(txn)
    .await?;
    audit::created(txn, actor, "createMember", "member", member.id, &member).await?;
    let seat = seat::ActiveModel {
        member_id: Set(member.id),
        term_id: Set(term.id),
        member_number: Set(number),
        sector_id: Set(new.seat.sector_id),
        party: Set(new.seat.party),
        standing_committee: Set(new.seat.standing_committee),
        leadership_post: Set(new.seat.leadership_post),
        employer: Set(employer),
        status: Set(SeatStatus::Serving),
        start_date: Set(new.seat.start_date.unwrap_or(term.start_date)),
        end_date: Set(None),
        status_reason: Set(None),
        ..Default::default()
    }
    .insert(txn)
    .await?;
    audit::created(txn, actor, "createMember", "seat", seat.id, &seat).await?;
    Ok(member)
}

/// Changes a member and, optionally, their seat in one term (creating it for a returning
/// member), in one transaction.
pub async fn update(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i64,
    changes: MemberChanges,
) -> AppResult<member::Model> {
    policy::manage_members(actor)?;
    atomically(db, async |txn| apply_changes(txn, actor, id, changes).await).await
}

async fn apply_changes(
    txn: &impl ConnectionTrait,
    actor: &Actor,
    id: i64,
    changes: MemberChanges,
) -> AppResult<member::Model> {
    let current = member::Entity::find_by_id(id).one(txn).await?.ok_or_else(|| AppError::not_found("member", id))?;
    let before = current.clone();
    let mut row: member::ActiveModel = current.into();
    if let Some(name) = &changes.name {
        let name = validate::required("name", name, MAX_NAME_CHARS)?;
        row.name_pinyin = Set(names::pinyin_key(&name));
        row.name_initials = Set(names::initials_key(&name));
        row.name_folded = Set(Some(names::fold(&name)));
        row.name = Set(name);
    }
    if let Some(gender) = changes.gender {
        row.gender = Set(gender);
    }
    if let Some(ethnicity) = &changes.ethnicity {
        row.ethnicity = Set(validate::optional("ethnicity", ethnicity.as_deref(), MAX_NAME_CHARS)?);
    }
    if let Some(birth_date) = changes.birth_date {
        row.birth_date = Set(validate::birth_date("birthDate", birth_date, crate::dates::today())?);
    }
    if let Some(phone) = &changes.phone {
        row.phone = Set(validate::optional("phone", phone.as_deref(), 32)?);
    }
    if let Some(notes) = &changes.notes {
        row.notes = Set(validate::optional("notes", notes.as_deref(), MAX_TEXT_CHARS)?);
    }
    row.updated_at = Set(Utc::now());
    let member = row.update(txn).await?;
    audit::changed(txn, actor, "updateMember", "member", id, &before, &member).await?;
    if let Some(seat) = changes.seat {
        upsert_seat(txn, actor, id, seat).await?;
    }
    Ok(member)
}

async fn upsert_seat(
    db: &impl ConnectionTrait,
    actor: &Actor,
    member_id: i64,
    c: SeatChanges,
) -> AppResult<seat::Model> {
    let number = match &c.member_number {
        Some(n) => Some(validate::optional("seat.memberNumber", n.as_deref(), 32)?),
        None => None,
    };
    let employer = match &c.employer {
        Some(e) => Some(validate::optional("seat.employer", e.as_deref(), MAX_TEXT_CHARS)?),
        None => None,
    };
    let reason = match &c.status_reason {
        Some(r) => Some(validate::optional("seat.statusReason", r.as_deref(), MAX_TEXT_CHARS)?),
        None => None,
    };
    let existing = seat::Entity::find()
        .filter(seat::Column::MemberId.eq(member_id))
        .filter(seat::Column::TermId.eq(c.term_id))
        .one(db)
        .await?;
    let term = check_seat_refs(
        db,
        c.term_id,
        c.sector_id.flatten(),
        number.as_ref().and_then(|n| n.as_deref()),
        existing.as_ref().map(|s| s.id),
    )
    .await?;
    let before = existing.clone();
    let mut row: seat::ActiveModel = match existing {
        Some(seat) => seat.into(),
        None => {
            let party =
                c.party.ok_or_else(|| AppError::bad_field("seat.party", "a new seat needs the member's party"))?;
            seat::ActiveModel {
                member_id: Set(member_id),
                term_id: Set(term.id),
                member_number: Set(None),
                sector_id: Set(None),
                party: Set(party),
                standing_committee: Set(false),
                leadership_post: Set(None),
                employer: Set(None),
                status: Set(SeatStatus::Serving),
                start_date: Set(term.start_date),
                end_date: Set(None),
                status_reason: Set(None),
                ..Default::default()
            }
        }
    };
    if let Some(n) = number {
        row.member_number = Set(n);
    }
    if let Some(s) = c.sector_id {
        row.sector_id = Set(s);
    }
    if let Some(p) = c.party {
        row.party = Set(p);
    }
    if let Some(s) = c.standing_committee {
        row.standing_committee = Set(s);
    }
    if let Some(p) = c.leadership_post {
        row.leadership_post = Set(p);
    }
    if let Some(e) = employer {
        row.employer = Set(e);
    }
    if let Some(s) = c.status {
        row.status = Set(s);
    }
    if let Some(r) = reason {
        row.status_reason = Set(r);
    }
    if let Some(d) = c.start_date {
        row.start_date = Set(d);
    }
    if let Some(d) = c.end_date {
        row.end_date = Set(d);
    }
    let start = match &row.start_date {
        sea_orm::ActiveValue::Set(d) | sea_orm::ActiveValue::Unchanged(d) => *d,
        sea_orm::ActiveValue::NotSet => term.start_date,
    };
    let end = match &row.end_date {
        sea_orm::ActiveValue::Set(d) | sea_orm::ActiveValue::Unchanged(d) => *d,
        sea_orm::ActiveValue::NotSet => None,
    };
    validate::date_order("seat.endDate", start, end)?;
    let seat = row.save(db).await?.try_into_model()?;
    match before {
        Some(before) => audit::changed(db, actor, "updateMember", "seat", seat.id, &before, &seat).await?,
        None => audit::created(db, actor, "updateMember", "seat", seat.id, &seat).await?,
    }
    Ok(seat)
}

/// Fills the script-folded name (and, from it, the pinyin keys) of every member written before
/// `member.name_folded` existed; returns how many rows it filled. Run at start-up after the
/// migrations; once every row has its key it costs one scan of the member table (one row per
/// person).
pub async fn fill_folded_names(db: &DatabaseConnection) -> AppResult<u64> {
    let unfilled = member::Entity::find().filter(member::Column::NameFolded.is_null()).all(db).await?;
    if unfilled.is_empty() {
        return Ok(0);
    }
    let count = unfilled.len() as u64;
    atomically(db, async |txn| {
        for current in unfilled {
            let name = current.name.clone();
            let mut row: member::ActiveModel = current.into();
            row.name_pinyin = Set(names::pinyin_key(&name));
            row.name_initials = Set(names::initials_key(&name));
            row.name_folded = Set(Some(names::fold(&name)));
            row.update(txn).await?;
        }
        Ok(())
    })
    .await?;
    Ok(count)
}
