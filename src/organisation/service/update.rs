//! Correcting a unit of the organisation besides its name (a correction, issue 20; the name is
//! [`super::rename`]'s): a sector's, special committee's or region's place in the published
//! lists, a region's level and town, a studio's kind, place, sector, address and opening day, a
//! group's kind and committee, a handling unit's contact, a term's number and dates. Everything
//! that refers to the unit keeps referring to it.
//!
//! What is not corrected here, and why: a region's tier (a town or street does not become a
//! village or community: its villages and studios hang on it, nor the other way round); a
//! town's parent (it has none). A term's dates only while every seat of the term, every
//! membership of its members begun within it, and the plans and rule sets tied to it stay
//! inside them; its number only while numbers follow first days (换届 numbers the next term
//! from the latest).

use chrono::{Datelike, NaiveDate};
use sea_orm::{
    ActiveModelBehavior, ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseTransaction,
    EntityTrait, IntoActiveModel, QueryFilter, QueryOrder, QuerySelect, QueryTrait, TransactionTrait,
};

use super::{Unit, check_region_name_free, check_region_parent, check_studio_place, check_term_number};
use crate::{
    audit::service as audit,
    auth::{Actor, policy},
    db::exists,
    error::{AppError, AppResult},
    relay::Kind,
    validate::{self, MAX_NAME_CHARS, MAX_TEXT_CHARS},
};
use entity::{
    committee_membership,
    enums::{GroupKind, RegionLevel, StudioKind},
    group_membership, handling_unit, member_group, plan, region, rule_set, seat, sector, sector_convener,
    special_committee, studio, studio_assignment, term,
};

/// What to correct in a unit: each field given replaces the stored one (`Some(None)` clears
/// it). Each belongs to some kinds of unit only ([`fields_of`]).
#[derive(Clone, Debug, Default)]
pub struct UnitChanges {
    /// Sectors, special committees, regions: position in the published list.
    pub sort_order: Option<i32>,
    /// Terms: the ordinal.
    pub number: Option<i32>,
    /// Terms: first day.
    pub start_date: Option<NaiveDate>,
    /// Terms: last day.
    pub end_date: Option<NaiveDate>,
    /// Regions: the level, within its tier.
    pub level: Option<RegionLevel>,
    /// Regions (villages and communities): their town or street.
    pub parent_id: Option<i64>,
    /// Studios: kind.
    pub studio_kind: Option<StudioKind>,
    /// Studios: where it sits.
    pub region_id: Option<Option<i64>>,
    /// Studios: the sector it serves.
    pub sector_id: Option<Option<i64>>,
    /// Studios: street address.
    pub address: Option<Option<String>>,
    /// Studios: opening day.
    pub established_on: Option<Option<NaiveDate>>,
    /// Groups: kind.
    pub group_kind: Option<GroupKind>,
    /// Groups: the special committee it works under.
    pub committee_id: Option<Option<i64>>,
    /// Handling units: contact person.
    pub contact: Option<Option<String>>,
}

impl UnitChanges {
    /// The fields given, by their input names.
    fn given(&self) -> Vec<&'static str> {
        [
            ("sortOrder", self.sort_order.is_some()),
            ("number", self.number.is_some()),
            ("startDate", self.start_date.is_some()),
            ("endDate", self.end_date.is_some()),
            ("level", self.level.is_some()),
            ("parentId", self.parent_id.is_some()),
            ("studioKind", self.studio_kind.is_some()),
            ("regionId", self.region_id.is_some()),
            ("sectorId", self.sector_id.is_some()),
            ("address", self.address.is_some()),
            ("establishedOn", self.established_on.is_some()),
            ("groupKind", self.group_kind.is_some()),
            ("specialCommitteeId", self.committee_id.is_some()),
            ("contact", self.contact.is_some()),
        ]
        .into_iter()
        .filter_map(|(field, given)| given.then_some(field))
        .collect()
    }
}

/// The fields a kind of unit takes; none for a kind that is no unit of the organisation.
pub fn fields_of(kind: Kind) -> Option<&'static [&'static str]> {
    match kind {
        Kind::Term => Some(&["number", "startDate", "endDate"]),
        Kind::Sector | Kind::SpecialCommittee => Some(&["sortOrder"]),
        Kind::Region => Some(&["sortOrder", "level", "parentId"]),
        Kind::Studio => Some(&["studioKind", "regionId", "sectorId", "address", "establishedOn"]),
        Kind::Group => Some(&["groupKind", "specialCommitteeId"]),
        Kind::HandlingUnit => Some(&["contact"]),
        _ => None,
    }
}

/// Corrects the unit `(kind, id)`: ADMIN and OFFICE, in one transaction, audited as
/// `updateUnit` with the row before and after. A field of another kind of unit is
/// BAD_USER_INPUT on that field; a region, sector or committee named must exist.
pub async fn update_unit(
    db: &impl TransactionTrait<Transaction = DatabaseTransaction>,
    actor: &Actor,
    kind: Kind,
    id: i64,
    changes: UnitChanges,
) -> AppResult<Unit> {
    policy::manage_organisation(actor)?;
    let fields = fields_of(kind).ok_or_else(|| {
        AppError::bad_field(
            "id",
            format!(
                "a {} is not a unit of the organisation; updateUnit takes a term, sector, special committee, region, studio, group or handling unit",
                kind.noun()
            ),
        )
    })?;
    if let Some(field) = changes.given().into_iter().find(|f| !fields.contains(f)) {
        let noun = kind.noun();
        return Err(AppError::bad_field(
            field,
            format!("{field} is not a field of a {noun}; a {noun} takes {}", fields.join(", ")),
        ));
    }
    let mut c = changes;
    if let Some(address) = c.address.take() {
        c.address = Some(validate::optional("address", address.as_deref(), MAX_TEXT_CHARS)?);
    }
    if let Some(contact) = c.contact.take() {
        c.contact = Some(validate::optional("contact", contact.as_deref(), MAX_NAME_CHARS)?);
    }
    if let Some(number) = c.number {
        check_term_number(number)?;
    }
    crate::db::atomically(db, async |txn| {
        Ok(match kind {
            Kind::Term => Unit::Term(correct_term(txn, actor, id, &c).await?),
            Kind::Sector => {
                let before = locked::<sector::Entity>(txn, id, "sector").await?;
                let mut row = before.clone().into_active_model();
                if let Some(sort) = c.sort_order {
                    row.sort_order = Set(sort);
                }
                Unit::Sector(save(txn, actor, "sector", id, before, row).await?)
            }
            Kind::SpecialCommittee => {
                let before = locked::<special_committee::Entity>(txn, id, "special committee").await?;
                let mut row = before.clone().into_active_model();
                if let Some(sort) = c.sort_order {
                    row.sort_order = Set(sort);
                }
                Unit::SpecialCommittee(save(txn, actor, "special_committee", id, before, row).await?)
            }
            Kind::Region => Unit::Region(correct_region(txn, actor, id, &c).await?),
            Kind::Studio => Unit::Studio(correct_studio(txn, actor, id, &c).await?),
            Kind::Group => {
                let before = locked::<member_group::Entity>(txn, id, "group").await?;
                let mut row = before.clone().into_active_model();
                if let Some(kind) = c.group_kind {
                    row.kind = Set(kind);
                }
                if let Some(committee) = c.committee_id {
                    if let Some(committee) = committee {
                        exists::<special_committee::Entity>(txn, committee, "specialCommitteeId", "special committee")
                            .await?;
                    }
                    row.committee_id = Set(committee);
                }
                Unit::Group(save(txn, actor, "member_group", id, before, row).await?)
            }
            Kind::HandlingUnit => {
                let before = locked::<handling_unit::Entity>(txn, id, "handling unit").await?;
                let mut row = before.clone().into_active_model();
                if let Some(contact) = c.contact.clone() {
                    row.contact = Set(contact);
                }
                Unit::HandlingUnit(save(txn, actor, "handling_unit", id, before, row).await?)
            }
            other => return Err(AppError::Internal(format!("no correction of a {}", other.noun()))),
        })
    })
    .await
}

/// Row `id` of `E`, locked for the correction, or NOT_FOUND naming it `noun`.
async fn locked<E>(txn: &impl ConnectionTrait, id: i64, noun: &'static str) -> AppResult<E::Model>
where
    E: EntityTrait,
    <E::PrimaryKey as sea_orm::PrimaryKeyTrait>::ValueType: From<i64>,
{
    E::find_by_id(id).lock_exclusive().one(txn).await?.ok_or_else(|| AppError::not_found(noun, id))
}

/// Writes the corrected row (nothing when no field changed) and its audit entry.
async fn save<A>(
    txn: &impl ConnectionTrait,
    actor: &Actor,
    table: &str,
    id: i64,
    before: <A::Entity as EntityTrait>::Model,
    row: A,
) -> AppResult<<A::Entity as EntityTrait>::Model>
where
    A: ActiveModelTrait + ActiveModelBehavior + Send,
    <A::Entity as EntityTrait>::Model: IntoActiveModel<A> + serde::Serialize + Clone,
{
    let after = if row.is_changed() { row.update(txn).await? } else { before.clone() };
    audit::changed(txn, actor, "updateUnit", table, id, &before, &after).await?;
    Ok(after)
}

/// A region's level within its tier, its town or street (a village's or community's) and its
/// place in lists.
async fn correct_region(
    txn: &impl ConnectionTrait,
    actor: &Actor,
    id: i64,
    c: &UnitChanges,
) -> AppResult<region::Model> {
    let before = locked::<region::Entity>(txn, id, "region").await?;
    let mut row = before.clone().into_active_model();
    if let Some(level) = c.level {
        if level.is_top() != before.level.is_top() {
            return Err(AppError::bad_field(
                "level",
                "a town or street stays a town or street, a village or community a village or community (what hangs on it would no longer fit)",
            ));
        }
        row.level = Set(level);
    }
    if let Some(parent) = c.parent_id {
        check_region_parent(txn, before.level, Some(parent)).await?;
        check_region_name_free(txn, &before.name, Some(parent), Some(id)).await?;
        row.parent_id = Set(Some(parent));
    }
    if let Some(sort) = c.sort_order {
        row.sort_order = Set(sort);
    }
    save(txn, actor, "region", id, before, row).await
}

/// A studio's kind, region and sector (checked together as when creating it), address and
/// opening day.
async fn correct_studio(
    txn: &impl ConnectionTrait,
    actor: &Actor,
    id: i64,
    c: &UnitChanges,
) -> AppResult<studio::Model> {
    let before = locked::<studio::Entity>(txn, id, "studio").await?;
    let kind = c.studio_kind.unwrap_or(before.kind);
    let region_id = c.region_id.unwrap_or(before.region_id);
    let sector_id = c.sector_id.unwrap_or(before.sector_id);
    if c.studio_kind.is_some() || c.region_id.is_some() || c.sector_id.is_some() {
        check_studio_place(txn, kind, region_id, sector_id).await?;
    }
    let mut row = before.clone().into_active_model();
    if c.studio_kind.is_some() {
        row.kind = Set(kind);
    }
    if c.region_id.is_some() {
        row.region_id = Set(region_id);
    }
    if c.sector_id.is_some() {
        row.sector_id = Set(sector_id);
    }
    if let Some(address) = c.address.clone() {
        row.address = Set(address);
    }
    if let Some(day) = c.established_on {
        row.established_on = Set(day);
    }
    save(txn, actor, "studio", id, before, row).await
}

/// A term's number and dates. The number stays unique (CONFLICT) and numbers follow first
/// days; new dates must hold what the term holds ([`check_term_holds`]).
async fn correct_term(txn: &impl ConnectionTrait, actor: &Actor, id: i64, c: &UnitChanges) -> AppResult<term::Model> {
    let before = locked::<term::Entity>(txn, id, "term").await?;
    let number = c.number.unwrap_or(before.number);
    let start = c.start_date.unwrap_or(before.start_date);
    let end = c.end_date.unwrap_or(before.end_date);
    validate::date_order("endDate", start, Some(end))?;
    if number != before.number && term::Entity::find().filter(term::Column::Number.eq(number)).one(txn).await?.is_some()
    {
        return Err(AppError::Conflict(format!("term number {number} already exists")));
    }
    if number != before.number || start != before.start_date {
        let others = term::Entity::find().filter(term::Column::Id.ne(id)).all(txn).await?;
        if let Some(t) = others.iter().find(|t| t.start_date == start || (t.number < number) != (t.start_date < start))
        {
            let field = if number == before.number { "startDate" } else { "number" };
            return Err(AppError::bad_field(
                field,
                format!(
                    "terms are numbered in the order they begin: {} (number {}) begins on {}",
                    t.name, t.number, t.start_date
                ),
            ));
        }
    }
    if start != before.start_date || end != before.end_date {
        check_term_holds(txn, &before, start, end).await?;
    }
    let mut row = before.clone().into_active_model();
    if c.number.is_some() {
        row.number = Set(number);
    }
    if c.start_date.is_some() {
        row.start_date = Set(start);
    }
    if c.end_date.is_some() {
        row.end_date = Set(end);
    }
    save(txn, actor, "term", id, before, row).await
}

/// BAD_USER_INPUT on `startDate` or `endDate` unless `start..=end` still holds what the term
/// holds: every seat of the term; every committee membership, studio assignment, group
/// membership and sector convenership of its members begun within its old dates (voided ones
/// aside); the years of the plans and rule sets tied to it.
async fn check_term_holds(
    txn: &impl ConnectionTrait,
    term: &term::Model,
    start: NaiveDate,
    end: NaiveDate,
) -> AppResult<()> {
    let name = &term.name;
    let seats = || seat::Entity::find().filter(seat::Column::TermId.eq(term.id));
    if let Some(s) =
        seats().filter(seat::Column::StartDate.lt(start)).order_by_asc(seat::Column::StartDate).one(txn).await?
    {
        return Err(AppError::bad_field("startDate", format!("a seat of {name} begins on {}", s.start_date)));
    }
    let late = sea_orm::Condition::any().add(seat::Column::StartDate.gt(end)).add(seat::Column::EndDate.gt(end));
    if seats().filter(late).one(txn).await?.is_some() {
        return Err(AppError::bad_field("endDate", format!("a seat of {name} runs past {end}")));
    }
    use committee_membership::Column as Cm;
    use group_membership::Column as Gm;
    use sector_convener::Column as Sc;
    use studio_assignment::Column as Sa;
    membership_within::<committee_membership::Entity>(
        txn,
        term,
        (start, end),
        [Cm::MemberId, Cm::StartDate, Cm::EndDate],
        Some(Cm::VoidedAt),
        "committee membership",
    )
    .await?;
    membership_within::<studio_assignment::Entity>(
        txn,
        term,
        (start, end),
        [Sa::MemberId, Sa::StartDate, Sa::EndDate],
        Some(Sa::VoidedAt),
        "studio assignment",
    )
    .await?;
    membership_within::<group_membership::Entity>(
        txn,
        term,
        (start, end),
        [Gm::MemberId, Gm::StartDate, Gm::EndDate],
        Some(Gm::VoidedAt),
        "group membership",
    )
    .await?;
    membership_within::<sector_convener::Entity>(
        txn,
        term,
        (start, end),
        [Sc::MemberId, Sc::StartDate, Sc::EndDate],
        None,
        "sector convenership",
    )
    .await?;
    let (first, last) = (start.year(), end.year());
    let plans: Vec<i32> = plan::Entity::find()
        .select_only()
        .column(plan::Column::Year)
        .filter(plan::Column::TermId.eq(term.id))
        .into_tuple()
        .all(txn)
        .await?;
    let sets: Vec<Option<i32>> = rule_set::Entity::find()
        .select_only()
        .column(rule_set::Column::Year)
        .filter(rule_set::Column::TermId.eq(term.id))
        .into_tuple()
        .all(txn)
        .await?;
    let years = plans.iter().map(|&y| ("a plan", y)).chain(sets.into_iter().flatten().map(|y| ("a rule set", y)));
    for (what, year) in years {
        if year < first {
            return Err(AppError::bad_field("startDate", format!("{what} of {name} is for {year}")));
        }
        if year > last {
            return Err(AppError::bad_field("endDate", format!("{what} of {name} is for {year}")));
        }
    }
    Ok(())
}

/// BAD_USER_INPUT when a row of `E` (`member`, `start`, `end` columns) of a member seated in
/// `term`, begun within its old dates and not voided, would fall outside `start..=end`.
async fn membership_within<E>(
    txn: &impl ConnectionTrait,
    term: &term::Model,
    (start, end): (NaiveDate, NaiveDate),
    [member, begins, ends]: [E::Column; 3],
    voided_at: Option<E::Column>,
    noun: &str,
) -> AppResult<()>
where
    E: EntityTrait,
{
    let seated = seat::Entity::find()
        .select_only()
        .column(seat::Column::MemberId)
        .filter(seat::Column::TermId.eq(term.id))
        .into_query();
    let mut within = E::find()
        .select_only()
        .column(begins)
        .filter(member.in_subquery(seated))
        .filter(begins.between(term.start_date, term.end_date));
    if let Some(voided_at) = voided_at {
        within = within.filter(voided_at.is_null());
    }
    let early: Option<NaiveDate> =
        within.clone().filter(begins.lt(start)).order_by_asc(begins).into_tuple().one(txn).await?;
    if let Some(day) = early {
        return Err(AppError::bad_field("startDate", format!("a {noun} in {} begins on {day}", term.name)));
    }
    let late = sea_orm::Condition::any().add(begins.gt(end)).add(ends.gt(end));
    let past: Option<NaiveDate> = within.filter(late).into_tuple().one(txn).await?;
    match past {
        Some(_) => Err(AppError::bad_field("endDate", format!("a {noun} in {} runs past {end}", term.name))),
        None => Ok(()),
    }
}
