//! The organisation's structure: terms, sectors, special committees, groups, handling units,
//! regions and studios. Reads need `policy::read_organisation`; changes need
//! `policy::manage_organisation`.

use chrono::NaiveDate;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, DatabaseTransaction,
    EntityTrait, QueryFilter, QueryOrder, TransactionTrait, sea_query::Query,
};

use crate::{
    audit::service as audit,
    auth::{Actor, policy},
    db::exists,
    error::{AppError, AppResult},
    pagination::{Counter, Ordering, Page, PageArgs, SortKey, counter, paginate},
    validate::{self, MAX_NAME_CHARS, MAX_TEXT_CHARS},
};
use entity::{
    enums::{GroupKind, RegionLevel, StudioKind},
    handling_unit, member_group, region, sector, special_committee, studio, term,
};

// ----- terms -----

/// A term to create.
#[derive(Clone, Debug)]
pub struct NewTerm {
    /// Ordinal (10 for 第十届).
    pub number: i32,
    /// Display name.
    pub name: String,
    /// First day.
    pub start_date: NaiveDate,
    /// Last day.
    pub end_date: NaiveDate,
}

/// Every term, newest first.
pub async fn terms(db: &impl ConnectionTrait, actor: &Actor) -> AppResult<Vec<term::Model>> {
    policy::read_organisation(actor)?;
    Ok(term::Entity::find().order_by_desc(term::Column::Number).all(db).await?)
}

/// The term in force on `today`; failing that the latest term begun by then; failing that the
/// earliest term.
pub async fn current_term(db: &impl ConnectionTrait, today: NaiveDate) -> AppResult<Option<term::Model>> {
    let begun = term::Entity::find()
        .filter(term::Column::StartDate.lte(today))
        .order_by_desc(term::Column::StartDate)
        .one(db)
        .await?;
    match begun {
        Some(t) => Ok(Some(t)),
        None => Ok(term::Entity::find().order_by_asc(term::Column::StartDate).one(db).await?),
    }
}

/// A term's number: positive (BAD_USER_INPUT on `number`).
pub fn check_term_number(number: i32) -> AppResult<()> {
    if number <= 0 {
        return Err(AppError::bad_field("number", "number must be positive"));
    }
    Ok(())
}

/// Creates a term. Its number must be new and its dates in order.
pub async fn create_term(
    db: &impl TransactionTrait<Transaction = DatabaseTransaction>,
    actor: &Actor,
    new: NewTerm,
) -> AppResult<term::Model> {
    policy::manage_organisation(actor)?;
    check_term_number(new.number)?;
    let name = validate::required("name", &new.name, MAX_NAME_CHARS)?;
    validate::date_order("endDate", new.start_date, Some(new.end_date))?;
    crate::db::atomically(db, async |txn| {
        if term::Entity::find().filter(term::Column::Number.eq(new.number)).one(txn).await?.is_some() {
            return Err(AppError::Conflict(format!("term number {} already exists", new.number)));
        }
        let row = term::ActiveModel {
            number: Set(new.number),
            name: Set(name),
            start_date: Set(new.start_date),
            end_date: Set(new.end_date),
            ..Default::default()
        }
        .insert(txn)
        .await?;
        audit::created(txn, actor, "createTerm", "term", row.id, &row).await?;
        Ok(row)
    })
    .await
}

// ----- sectors, committees, groups, handling units: named lists -----

/// Every sector in published order.
pub async fn sectors(db: &impl ConnectionTrait, actor: &Actor) -> AppResult<Vec<sector::Model>> {
    policy::read_organisation(actor)?;
    Ok(sector::Entity::find().order_by_asc(sector::Column::SortOrder).order_by_asc(sector::Column::Id).all(db).await?)
}

/// Creates a sector with a new name.
pub async fn create_sector(
    db: &impl TransactionTrait<Transaction = DatabaseTransaction>,
    actor: &Actor,
    name: &str,
    sort_order: i32,
) -> AppResult<sector::Model> {
    policy::manage_organisation(actor)?;
    let name = validate::required("name", name, MAX_NAME_CHARS)?;
    crate::db::atomically(db, async |txn| {
        if sector::Entity::find().filter(sector::Column::Name.eq(&name)).one(txn).await?.is_some() {
            return Err(AppError::Conflict(format!("sector {name} already exists")));
        }
        let row = sector::ActiveModel { name: Set(name), sort_order: Set(sort_order), ..Default::default() }
            .insert(txn)
            .await?;
        audit::created(txn, actor, "createSector", "sector", row.id, &row).await?;
        Ok(row)
    })
    .await
}

/// Every special committee in published order.
pub async fn committees(db: &impl ConnectionTrait, actor: &Actor) -> AppResult<Vec<special_committee::Model>> {
    policy::read_organisation(actor)?;
    Ok(special_committee::Entity::find()
        .order_by_asc(special_committee::Column::SortOrder)
        .order_by_asc(special_committee::Column::Id)
        .all(db)
        .await?)
}

/// Creates a special committee with a new name.
pub async fn create_committee(
    db: &impl TransactionTrait<Transaction = DatabaseTransaction>,
    actor: &Actor,
    name: &str,
    sort_order: i32,
) -> AppResult<special_committee::Model> {
    policy::manage_organisation(actor)?;
    let name = validate::required("name", name, MAX_NAME_CHARS)?;
    crate::db::atomically(db, async |txn| {
        let taken =
            special_committee::Entity::find().filter(special_committee::Column::Name.eq(&name)).one(txn).await?;
        if taken.is_some() {
            return Err(AppError::Conflict(format!("special committee {name} already exists")));
        }
        let row = special_committee::ActiveModel { name: Set(name), sort_order: Set(sort_order), ..Default::default() }
            .insert(txn)
            .await?;
        audit::created(txn, actor, "createSpecialCommittee", "special_committee", row.id, &row).await?;
        Ok(row)
    })
    .await
}

/// Every group by name.
pub async fn groups(db: &impl ConnectionTrait, actor: &Actor) -> AppResult<Vec<member_group::Model>> {
    policy::read_organisation(actor)?;
    Ok(member_group::Entity::find().order_by_asc(member_group::Column::Id).all(db).await?)
}

/// Creates a group, optionally under a special committee.
pub async fn create_group(
    db: &impl TransactionTrait<Transaction = DatabaseTransaction>,
    actor: &Actor,
    name: &str,
    kind: GroupKind,
    committee_id: Option<i64>,
) -> AppResult<member_group::Model> {
    policy::manage_organisation(actor)?;
    let name = validate::required("name", name, MAX_NAME_CHARS)?;
    crate::db::atomically(db, async |txn| {
        if let Some(id) = committee_id {
            exists::<special_committee::Entity>(txn, id, "specialCommitteeId", "special committee").await?;
        }
        if member_group::Entity::find().filter(member_group::Column::Name.eq(&name)).one(txn).await?.is_some() {
            return Err(AppError::Conflict(format!("group {name} already exists")));
        }
        let row = member_group::ActiveModel {
            name: Set(name),
            kind: Set(kind),
            committee_id: Set(committee_id),
            ..Default::default()
        }
        .insert(txn)
        .await?;
        audit::created(txn, actor, "createGroup", "member_group", row.id, &row).await?;
        Ok(row)
    })
    .await
}

/// Every handling unit by name.
pub async fn handling_units(db: &impl ConnectionTrait, actor: &Actor) -> AppResult<Vec<handling_unit::Model>> {
    policy::read_organisation(actor)?;
    Ok(handling_unit::Entity::find().order_by_asc(handling_unit::Column::Id).all(db).await?)
}

/// Creates a handling unit with a new name.
pub async fn create_handling_unit(
    db: &impl TransactionTrait<Transaction = DatabaseTransaction>,
    actor: &Actor,
    name: &str,
    contact: Option<&str>,
) -> AppResult<handling_unit::Model> {
    policy::manage_organisation(actor)?;
    let name = validate::required("name", name, MAX_NAME_CHARS)?;
    let contact = validate::optional("contact", contact, MAX_NAME_CHARS)?;
    crate::db::atomically(db, async |txn| {
        if handling_unit::Entity::find().filter(handling_unit::Column::Name.eq(&name)).one(txn).await?.is_some() {
            return Err(AppError::Conflict(format!("handling unit {name} already exists")));
        }
        let row = handling_unit::ActiveModel { name: Set(name), contact: Set(contact), ..Default::default() }
            .insert(txn)
            .await?;
        audit::created(txn, actor, "createHandlingUnit", "handling_unit", row.id, &row).await?;
        Ok(row)
    })
    .await
}

// ----- regions -----

/// A region to create.
#[derive(Clone, Debug)]
pub struct NewRegion {
    /// Name.
    pub name: String,
    /// Level.
    pub level: RegionLevel,
    /// The town or street above a village or community.
    pub parent_id: Option<i64>,
    /// Position in lists.
    pub sort_order: i32,
}

/// The towns and streets, in order (their villages and communities hang below them).
pub async fn regions(db: &impl ConnectionTrait, actor: &Actor) -> AppResult<Vec<region::Model>> {
    policy::read_organisation(actor)?;
    Ok(region::Entity::find()
        .filter(region::Column::ParentId.is_null())
        .order_by_asc(region::Column::SortOrder)
        .order_by_asc(region::Column::Id)
        .all(db)
        .await?)
}

/// Creates a region: a town or street at the top, a village or community under one.
pub async fn create_region(
    db: &impl TransactionTrait<Transaction = DatabaseTransaction>,
    actor: &Actor,
    new: NewRegion,
) -> AppResult<region::Model> {
    policy::manage_organisation(actor)?;
    let name = validate::required("name", &new.name, MAX_NAME_CHARS)?;
    crate::db::atomically(db, async |txn| {
        check_region_parent(txn, new.level, new.parent_id).await?;
        check_region_name_free(txn, &name, new.parent_id, None).await?;
        let row = region::ActiveModel {
            name: Set(name),
            level: Set(new.level),
            parent_id: Set(new.parent_id),
            sort_order: Set(new.sort_order),
            ..Default::default()
        }
        .insert(txn)
        .await?;
        audit::created(txn, actor, "createRegion", "region", row.id, &row).await?;
        Ok(row)
    })
    .await
}

/// Where a region of `level` may hang: a town or street at the top (no parent), a village or
/// community under an existing town or street (BAD_USER_INPUT on `parentId`).
pub async fn check_region_parent(
    txn: &impl ConnectionTrait,
    level: RegionLevel,
    parent_id: Option<i64>,
) -> AppResult<()> {
    match (level.is_top(), parent_id) {
        (true, Some(_)) => Err(AppError::bad_field("parentId", "a town or street has no parent region")),
        (false, None) => Err(AppError::bad_field("parentId", "a village or community needs its town or street")),
        (false, Some(parent)) => {
            let parent = region::Entity::find_by_id(parent)
                .one(txn)
                .await?
                .ok_or_else(|| AppError::bad_field("parentId", format!("region {parent} does not exist")))?;
            if parent.level.is_top() {
                Ok(())
            } else {
                Err(AppError::bad_field("parentId", "the parent must be a town or street"))
            }
        }
        (true, None) => Ok(()),
    }
}

/// CONFLICT when a region other than `except` under `parent_id` (at the top when none) is named
/// `name`: a region's name is unique under its parent.
pub async fn check_region_name_free(
    txn: &impl ConnectionTrait,
    name: &str,
    parent_id: Option<i64>,
    except: Option<i64>,
) -> AppResult<()> {
    let siblings = match parent_id {
        Some(p) => region::Column::ParentId.eq(p),
        None => region::Column::ParentId.is_null(),
    };
    let mut same = region::Entity::find().filter(siblings).filter(region::Column::Name.eq(name));
    if let Some(id) = except {
        same = same.filter(region::Column::Id.ne(id));
    }
    if same.one(txn).await?.is_some() {
        return Err(AppError::Conflict(format!("region {name} already exists there")));
    }
    Ok(())
}

// ----- studios -----

/// A studio to create.
#[derive(Clone, Debug)]
pub struct NewStudio {
    /// Name.
    pub name: String,
    /// Kind.
    pub kind: StudioKind,
    /// Where it sits (town and village studios).
    pub region_id: Option<i64>,
    /// The sector it serves (sector studios).
    pub sector_id: Option<i64>,
    /// Street address.
    pub address: Option<String>,
    /// Opening day.
    pub established_on: Option<NaiveDate>,
}

/// Which studios to list.
#[derive(Clone, Debug, Default)]
pub struct StudioFilter {
    /// Studios in this region, or in the villages and communities under it.
    pub region_id: Option<i64>,
    /// Studios of this kind.
    pub kind: Option<StudioKind>,
    /// Sector studios of this sector.
    pub sector_id: Option<i64>,
    /// Name contains this text.
    pub search: Option<String>,
}

/// A page of studios in creation order, and the counter of all that match.
pub async fn studios(
    db: &DatabaseConnection,
    actor: &Actor,
    filter: StudioFilter,
    page: &PageArgs,
) -> AppResult<(Page<studio::Model>, Counter)> {
    policy::read_organisation(actor)?;
    let mut select = studio::Entity::find();
    if let Some(region) = filter.region_id {
        let below = Query::select()
            .column(region::Column::Id)
            .from(region::Entity)
            .and_where(region::Column::ParentId.eq(region))
            .to_owned();
        select = select.filter(
            sea_orm::Condition::any()
                .add(studio::Column::RegionId.eq(region))
                .add(studio::Column::RegionId.in_subquery(below)),
        );
    }
    if let Some(kind) = filter.kind {
        select = select.filter(studio::Column::Kind.eq(kind));
    }
    if let Some(sector) = filter.sector_id {
        select = select.filter(studio::Column::SectorId.eq(sector));
    }
    if let Some(search) = filter.search.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        select = select.filter(studio::Column::Name.contains(search));
    }
    let ordering = Ordering::new("STUDIO:ID", vec![SortKey { column: studio::Column::Id, descending: false }]);
    let page = paginate(db, select.clone(), &ordering, page).await?;
    Ok((page, counter(db, select)))
}

/// Creates a studio: a town studio at a town or street, a village studio at a village or
/// community, a sector studio for a sector.
pub async fn create_studio(
    db: &impl TransactionTrait<Transaction = DatabaseTransaction>,
    actor: &Actor,
    new: NewStudio,
) -> AppResult<studio::Model> {
    policy::manage_organisation(actor)?;
    let name = validate::required("name", &new.name, MAX_NAME_CHARS)?;
    let address = validate::optional("address", new.address.as_deref(), MAX_TEXT_CHARS)?;
    crate::db::atomically(db, async |txn| {
        check_studio_place(txn, new.kind, new.region_id, new.sector_id).await?;
        if studio::Entity::find().filter(studio::Column::Name.eq(&name)).one(txn).await?.is_some() {
            return Err(AppError::Conflict(format!("studio {name} already exists")));
        }
        let row = studio::ActiveModel {
            name: Set(name),
            kind: Set(new.kind),
            region_id: Set(new.region_id),
            sector_id: Set(new.sector_id),
            address: Set(address),
            established_on: Set(new.established_on),
            ..Default::default()
        }
        .insert(txn)
        .await?;
        audit::created(txn, actor, "createStudio", "studio", row.id, &row).await?;
        Ok(row)
    })
    .await
}

/// Where a studio of `kind` may sit: a town studio at a town or street, a village studio at a
/// village or community (each needs its region), a sector studio for a sector; the region and
/// sector named must exist (BAD_USER_INPUT on `regionId`, `sectorId`).
pub async fn check_studio_place(
    txn: &impl ConnectionTrait,
    kind: StudioKind,
    region_id: Option<i64>,
    sector_id: Option<i64>,
) -> AppResult<()> {
    let region = match region_id {
        Some(id) => Some(
            region::Entity::find_by_id(id)
                .one(txn)
                .await?
                .ok_or_else(|| AppError::bad_field("regionId", format!("region {id} does not exist")))?,
        ),
        None => None,
    };
    if let Some(id) = sector_id {
        exists::<sector::Entity>(txn, id, "sectorId", "sector").await?;
    }
    match (kind, &region) {
        (StudioKind::Town, Some(r)) if !r.level.is_top() => {
            Err(AppError::bad_field("regionId", "a town studio sits at a town or street"))
        }
        (StudioKind::Village, Some(r)) if r.level.is_top() => {
            Err(AppError::bad_field("regionId", "a village studio sits at a village or community"))
        }
        (StudioKind::Town | StudioKind::Village, None) => {
            Err(AppError::bad_field("regionId", "a town or village studio needs its region"))
        }
        (StudioKind::Sector, _) if sector_id.is_none() => {
            Err(AppError::bad_field("sectorId", "a sector studio needs its sector"))
        }
        _ => Ok(()),
    }
}

// ----- one record by id (node lookups) -----

/// Row `id` of `E`, or NOT_FOUND naming it `noun`.
async fn by_id<E>(db: &impl ConnectionTrait, id: i64, noun: &'static str) -> AppResult<E::Model>
where
    E: EntityTrait,
    <E::PrimaryKey as sea_orm::PrimaryKeyTrait>::ValueType: From<i64>,
{
    E::find_by_id(id).one(db).await?.ok_or_else(|| AppError::not_found(noun, id))
}

/// Term `id`.
pub async fn find_term(db: &impl ConnectionTrait, actor: &Actor, id: i64) -> AppResult<term::Model> {
    policy::read_organisation(actor)?;
    by_id::<term::Entity>(db, id, "term").await
}

/// Sector `id`.
pub async fn find_sector(db: &impl ConnectionTrait, actor: &Actor, id: i64) -> AppResult<sector::Model> {
    policy::read_organisation(actor)?;
    by_id::<sector::Entity>(db, id, "sector").await
}

/// Special committee `id`.
pub async fn find_committee(db: &impl ConnectionTrait, actor: &Actor, id: i64) -> AppResult<special_committee::Model> {
    policy::read_organisation(actor)?;
    by_id::<special_committee::Entity>(db, id, "special committee").await
}

/// Region `id`.
pub async fn find_region(db: &impl ConnectionTrait, actor: &Actor, id: i64) -> AppResult<region::Model> {
    policy::read_organisation(actor)?;
    by_id::<region::Entity>(db, id, "region").await
}

/// Studio `id`.
pub async fn find_studio(db: &impl ConnectionTrait, actor: &Actor, id: i64) -> AppResult<studio::Model> {
    policy::read_organisation(actor)?;
    by_id::<studio::Entity>(db, id, "studio").await
}

/// Group `id`.
pub async fn find_group(db: &impl ConnectionTrait, actor: &Actor, id: i64) -> AppResult<member_group::Model> {
    policy::read_organisation(actor)?;
    by_id::<member_group::Entity>(db, id, "group").await
}

/// Handling unit `id`.
pub async fn find_handling_unit(db: &impl ConnectionTrait, actor: &Actor, id: i64) -> AppResult<handling_unit::Model> {
    policy::read_organisation(actor)?;
    by_id::<handling_unit::Entity>(db, id, "handling unit").await
}
