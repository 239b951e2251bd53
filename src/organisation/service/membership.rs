//! Memberships: the time-bounded rows that place members in special committees, studios and
//! groups, and appoint sector conveners. Reading them needs `policy::read_members`; opening and
//! closing them needs `policy::manage_organisation`.

use chrono::NaiveDate;
use sea_orm::{
    ActiveModelBehavior, ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait,
    IntoActiveModel, QueryFilter, QuerySelect, TransactionTrait, Value,
};

use crate::{
    audit::service as audit,
    auth::{Actor, policy},
    db::exists,
    error::{AppError, AppResult},
    validate,
};
use entity::{
    committee_membership,
    enums::{CommitteeRole, GroupRole, StudioRole},
    group_membership, member, member_group, sector, sector_convener, special_committee, studio, studio_assignment,
};

/// A member placed somewhere from a day on.
#[derive(Clone, Copy, Debug)]
pub struct Placement<R> {
    /// The member.
    pub member_id: i64,
    /// The committee, studio, group or sector.
    pub target_id: i64,
    /// The role there.
    pub role: R,
    /// First day.
    pub start_date: NaiveDate,
}

/// One membership table: its columns, and what the audit log and errors call it.
struct Table<E: EntityTrait> {
    member: E::Column,
    target: E::Column,
    role: Option<E::Column>,
    start: E::Column,
    end: E::Column,
    /// `voided_at`, for the voidable memberships: a voided row holds no one open.
    voided_at: Option<E::Column>,
    target_field: &'static str,
    target_noun: &'static str,
    entity: &'static str,
    operation: &'static str,
}

/// Opens a membership row in `table` after checking the member and the target (`T`) exist and
/// no open row joins them already; audited, in one transaction.
async fn open_membership<E, A, T>(
    db: &impl TransactionTrait<Transaction = DatabaseTransaction>,
    actor: &Actor,
    table: Table<E>,
    member_id: i64,
    target_id: i64,
    role: Option<Value>,
    start: NaiveDate,
) -> AppResult<E::Model>
where
    E: EntityTrait<ActiveModel = A>,
    A: ActiveModelTrait<Entity = E> + ActiveModelBehavior + Send,
    E::Model: IntoActiveModel<A> + serde::Serialize + sea_orm::ModelTrait<Entity = E>,
    T: EntityTrait,
    <T::PrimaryKey as sea_orm::PrimaryKeyTrait>::ValueType: From<i64>,
{
    policy::manage_organisation(actor)?;
    crate::db::atomically(db, async |txn| {
        exists::<T>(txn, target_id, table.target_field, table.target_noun).await?;
        exists::<member::Entity>(txn, member_id, "memberId", "member").await?;
        let mut open =
            E::find().filter(table.member.eq(member_id)).filter(table.target.eq(target_id)).filter(table.end.is_null());
        if let Some(voided_at) = table.voided_at {
            open = open.filter(voided_at.is_null());
        }
        let open = open.select_only().column(table.member).into_tuple::<i64>().one(txn).await?;
        if open.is_some() {
            return Err(AppError::Conflict(format!(
                "member {member_id} already belongs to {} {target_id}; end that first",
                table.target_noun
            )));
        }
        let mut row = A::default();
        row.set(table.member, member_id.into());
        row.set(table.target, target_id.into());
        if let (Some(col), Some(role)) = (table.role, role) {
            row.set(col, role);
        }
        row.set(table.start, start.into());
        row.set(table.end, Value::ChronoDate(None));
        let row = row.insert(txn).await?;
        let id = row_id(&row);
        audit::created(txn, actor, table.operation, table.entity, id, &row).await?;
        Ok(row)
    })
    .await
}

fn row_id<M: sea_orm::ModelTrait>(row: &M) -> i64
where
    M::Entity: EntityTrait,
{
    use sea_orm::{Iterable, PrimaryKeyToColumn};
    <M::Entity as EntityTrait>::PrimaryKey::iter()
        .next()
        .and_then(|pk| match row.get(pk.into_column()) {
            Value::BigInt(Some(id)) => Some(id),
            _ => None,
        })
        .unwrap_or_default()
}

/// Places a member in a special committee from a day on.
pub async fn assign_committee(
    db: &impl TransactionTrait<Transaction = DatabaseTransaction>,
    actor: &Actor,
    p: Placement<CommitteeRole>,
) -> AppResult<committee_membership::Model> {
    use committee_membership::Column as C;
    let table = Table::<committee_membership::Entity> {
        member: C::MemberId,
        target: C::CommitteeId,
        role: Some(C::Role),
        start: C::StartDate,
        end: C::EndDate,
        voided_at: Some(C::VoidedAt),
        target_field: "specialCommitteeId",
        target_noun: "special committee",
        entity: "committee_membership",
        operation: "assignCommittee",
    };
    open_membership::<_, _, special_committee::Entity>(
        db,
        actor,
        table,
        p.member_id,
        p.target_id,
        Some(p.role.into()),
        p.start_date,
    )
    .await
}

/// Assigns a member to a studio from a day on.
pub async fn assign_studio(
    db: &impl TransactionTrait<Transaction = DatabaseTransaction>,
    actor: &Actor,
    p: Placement<StudioRole>,
) -> AppResult<studio_assignment::Model> {
    use studio_assignment::Column as C;
    let table = Table::<studio_assignment::Entity> {
        member: C::MemberId,
        target: C::StudioId,
        role: Some(C::Role),
        start: C::StartDate,
        end: C::EndDate,
        voided_at: Some(C::VoidedAt),
        target_field: "studioId",
        target_noun: "studio",
        entity: "studio_assignment",
        operation: "assignStudio",
    };
    open_membership::<_, _, studio::Entity>(
        db,
        actor,
        table,
        p.member_id,
        p.target_id,
        Some(p.role.into()),
        p.start_date,
    )
    .await
}

/// Places a member in a group from a day on.
pub async fn assign_group(
    db: &impl TransactionTrait<Transaction = DatabaseTransaction>,
    actor: &Actor,
    p: Placement<GroupRole>,
) -> AppResult<group_membership::Model> {
    use group_membership::Column as C;
    let table = Table::<group_membership::Entity> {
        member: C::MemberId,
        target: C::GroupId,
        role: Some(C::Role),
        start: C::StartDate,
        end: C::EndDate,
        voided_at: Some(C::VoidedAt),
        target_field: "groupId",
        target_noun: "group",
        entity: "group_membership",
        operation: "assignGroup",
    };
    open_membership::<_, _, member_group::Entity>(
        db,
        actor,
        table,
        p.member_id,
        p.target_id,
        Some(p.role.into()),
        p.start_date,
    )
    .await
}

/// Appoints a member as a convener of a sector from a day on.
pub async fn appoint_convener(
    db: &impl TransactionTrait<Transaction = DatabaseTransaction>,
    actor: &Actor,
    p: Placement<()>,
) -> AppResult<sector_convener::Model> {
    use sector_convener::Column as C;
    let table = Table::<sector_convener::Entity> {
        member: C::MemberId,
        target: C::SectorId,
        role: None,
        start: C::StartDate,
        end: C::EndDate,
        voided_at: None,
        target_field: "sectorId",
        target_noun: "sector",
        entity: "sector_convener",
        operation: "appointConvener",
    };
    open_membership::<_, _, sector::Entity>(db, actor, table, p.member_id, p.target_id, None, p.start_date).await
}

/// Which membership row to close.
#[derive(Clone, Copy, Debug)]
pub enum MembershipRef {
    /// A committee membership.
    Committee(i64),
    /// A studio assignment.
    Studio(i64),
    /// A group membership.
    Group(i64),
    /// A sector convenership.
    Convener(i64),
}

/// A membership row after it was closed or corrected.
#[derive(Clone, Debug)]
pub enum ClosedMembership {
    /// A committee membership.
    Committee(committee_membership::Model),
    /// A studio assignment.
    Studio(studio_assignment::Model),
    /// A group membership.
    Group(group_membership::Model),
    /// A sector convenership.
    Convener(sector_convener::Model),
}

/// Closes row `id` of `E` on `end_date`, audited as `entity`.
async fn close<E, A>(
    db: &impl ConnectionTrait,
    actor: &Actor,
    id: i64,
    (start, end): (E::Column, E::Column),
    end_date: NaiveDate,
    (noun, entity): (&'static str, &'static str),
) -> AppResult<E::Model>
where
    E: EntityTrait<ActiveModel = A>,
    A: ActiveModelTrait<Entity = E> + ActiveModelBehavior + Send,
    E::Model: IntoActiveModel<A> + sea_orm::ModelTrait<Entity = E> + serde::Serialize,
    <E::PrimaryKey as sea_orm::PrimaryKeyTrait>::ValueType: From<i64>,
{
    use sea_orm::ModelTrait;
    let row = E::find_by_id(id).one(db).await?.ok_or_else(|| AppError::not_found(noun, id))?;
    if !matches!(row.get(end), Value::ChronoDate(None)) {
        return Err(AppError::Conflict(format!("{noun} {id} has already ended")));
    }
    if let Value::ChronoDate(Some(started)) = row.get(start) {
        validate::date_order("endDate", started, Some(end_date))?;
    }
    let before = row.clone();
    let mut active = row.into_active_model();
    active.set(end, end_date.into());
    let after = active.update(db).await?;
    audit::changed(db, actor, "endAssignment", entity, id, &before, &after).await?;
    Ok(after)
}

/// Closes a membership on `end_date` (history is kept: the row stays, with its end).
pub async fn end_membership(
    db: &impl TransactionTrait<Transaction = DatabaseTransaction>,
    actor: &Actor,
    which: MembershipRef,
    end_date: NaiveDate,
) -> AppResult<ClosedMembership> {
    policy::manage_organisation(actor)?;
    crate::db::atomically(db, async |txn| {
        Ok(match which {
            MembershipRef::Committee(id) => {
                use committee_membership::Column as C;
                let names = ("committee membership", "committee_membership");
                ClosedMembership::Committee(
                    close::<committee_membership::Entity, _>(
                        txn,
                        actor,
                        id,
                        (C::StartDate, C::EndDate),
                        end_date,
                        names,
                    )
                    .await?,
                )
            }
            MembershipRef::Studio(id) => {
                use studio_assignment::Column as C;
                let names = ("studio assignment", "studio_assignment");
                ClosedMembership::Studio(
                    close::<studio_assignment::Entity, _>(txn, actor, id, (C::StartDate, C::EndDate), end_date, names)
                        .await?,
                )
            }
            MembershipRef::Group(id) => {
                use group_membership::Column as C;
                let names = ("group membership", "group_membership");
                ClosedMembership::Group(
                    close::<group_membership::Entity, _>(txn, actor, id, (C::StartDate, C::EndDate), end_date, names)
                        .await?,
                )
            }
            MembershipRef::Convener(id) => {
                use sector_convener::Column as C;
                let names = ("sector convenership", "sector_convener");
                ClosedMembership::Convener(
                    close::<sector_convener::Entity, _>(txn, actor, id, (C::StartDate, C::EndDate), end_date, names)
                        .await?,
                )
            }
        })
    })
    .await
}

/// The columns of a membership table that a correction reads and writes.
struct Dated<C> {
    id: C,
    member: C,
    target: C,
    start: C,
    end: C,
}

fn id_value(value: Value) -> i64 {
    match value {
        Value::BigInt(Some(v)) => v,
        _ => 0,
    }
}

/// Sets the dates of row `id` of `E` to `starts_on`..`ends_on` (open when none) as if they had
/// always been so: the start not after the end, both inside the term of a seat the member holds,
/// and no overlap with another row of the same member in the same body. Audited as
/// `correctAssignment` with the row before and after.
async fn correct<E, A>(
    db: &impl ConnectionTrait,
    actor: &Actor,
    id: i64,
    cols: Dated<E::Column>,
    (starts_on, ends_on): (NaiveDate, Option<NaiveDate>),
    (noun, entity): (&'static str, &'static str),
) -> AppResult<E::Model>
where
    E: EntityTrait<ActiveModel = A>,
    A: ActiveModelTrait<Entity = E> + ActiveModelBehavior + Send,
    E::Model: IntoActiveModel<A> + sea_orm::ModelTrait<Entity = E> + serde::Serialize + Sync,
    <E::PrimaryKey as sea_orm::PrimaryKeyTrait>::ValueType: From<i64>,
{
    use entity::{seat, term};
    use sea_orm::{Condition, ModelTrait, PaginatorTrait, QueryTrait};
    let row = E::find_by_id(id).lock_exclusive().one(db).await?.ok_or_else(|| AppError::not_found(noun, id))?;
    validate::date_order("endsOn", starts_on, ends_on)?;
    let member_id = id_value(row.get(cols.member));
    let target_id = id_value(row.get(cols.target));
    let seats = seat::Entity::find()
        .select_only()
        .column(seat::Column::TermId)
        .filter(seat::Column::MemberId.eq(member_id))
        .into_query();
    let term = term::Entity::find()
        .filter(term::Column::Id.in_subquery(seats))
        .filter(term::Column::StartDate.lte(starts_on))
        .filter(term::Column::EndDate.gte(starts_on))
        .one(db)
        .await?
        .ok_or_else(|| {
            AppError::bad_field(
                "startsOn",
                format!("startsOn is outside every term in which member {member_id} holds a seat"),
            )
        })?;
    if let Some(end) = ends_on
        && end > term.end_date
    {
        return Err(AppError::bad_field(
            "endsOn",
            format!("endsOn is after the end of {} ({})", term.name, term.end_date),
        ));
    }
    // Rows overlap when they share more than a boundary day: one may begin on the day another
    // ends, as when a member moves.
    let mut others = E::find()
        .filter(cols.member.eq(member_id))
        .filter(cols.target.eq(target_id))
        .filter(cols.id.ne(id))
        .filter(Condition::any().add(cols.end.is_null()).add(cols.end.gt(starts_on)));
    if let Some(end) = ends_on {
        others = others.filter(cols.start.lt(end));
    }
    if others.count(db).await? > 0 {
        return Err(AppError::bad_field(
            "startsOn",
            format!("these dates overlap another {noun} of member {member_id} in the same {}", noun_of_body(noun)),
        ));
    }
    let before = row.clone();
    let mut active = row.into_active_model();
    active.set(cols.start, starts_on.into());
    active.set(cols.end, Value::ChronoDate(ends_on));
    let after = active.update(db).await?;
    audit::changed(db, actor, "correctAssignment", entity, id, &before, &after).await?;
    Ok(after)
}

fn noun_of_body(noun: &str) -> &'static str {
    match noun {
        "committee membership" => "special committee",
        "studio assignment" => "studio",
        "group membership" => "group",
        _ => "sector",
    }
}

/// Corrects the dates of a membership (`endsOn` none: still current), as if they had always
/// been so; distinct from [`end_membership`], which records that it ended. See [`correct`].
pub async fn correct_membership(
    db: &impl TransactionTrait<Transaction = DatabaseTransaction>,
    actor: &Actor,
    which: MembershipRef,
    starts_on: NaiveDate,
    ends_on: Option<NaiveDate>,
) -> AppResult<ClosedMembership> {
    policy::manage_organisation(actor)?;
    let dates = (starts_on, ends_on);
    crate::db::atomically(db, async |txn| {
        Ok(match which {
            MembershipRef::Committee(id) => {
                use committee_membership::Column as C;
                let cols = Dated {
                    id: C::Id,
                    member: C::MemberId,
                    target: C::CommitteeId,
                    start: C::StartDate,
                    end: C::EndDate,
                };
                let names = ("committee membership", "committee_membership");
                ClosedMembership::Committee(
                    correct::<committee_membership::Entity, _>(txn, actor, id, cols, dates, names).await?,
                )
            }
            MembershipRef::Studio(id) => {
                use studio_assignment::Column as C;
                let cols =
                    Dated { id: C::Id, member: C::MemberId, target: C::StudioId, start: C::StartDate, end: C::EndDate };
                let names = ("studio assignment", "studio_assignment");
                ClosedMembership::Studio(
                    correct::<studio_assignment::Entity, _>(txn, actor, id, cols, dates, names).await?,
                )
            }
            MembershipRef::Group(id) => {
                use group_membership::Column as C;
                let cols =
                    Dated { id: C::Id, member: C::MemberId, target: C::GroupId, start: C::StartDate, end: C::EndDate };
                let names = ("group membership", "group_membership");
                ClosedMembership::Group(
                    correct::<group_membership::Entity, _>(txn, actor, id, cols, dates, names).await?,
                )
            }
            MembershipRef::Convener(id) => {
                use sector_convener::Column as C;
                let cols =
                    Dated { id: C::Id, member: C::MemberId, target: C::SectorId, start: C::StartDate, end: C::EndDate };
                let names = ("sector convenership", "sector_convener");
                ClosedMembership::Convener(
                    correct::<sector_convener::Entity, _>(txn, actor, id, cols, dates, names).await?,
                )
            }
        })
    })
    .await
}

/// Leave to read memberships (and the members in them) through the loaders, as
/// `policy::read_memberships` decides.
pub fn memberships_scope(actor: &Actor) -> AppResult<policy::MembershipScope> {
    policy::read_memberships(actor)
}

/// Row `id` of `E` as `actor` may read it (`policy::read_members`), or NOT_FOUND naming it `noun`.
async fn find<E>(db: &impl ConnectionTrait, actor: &Actor, id: i64, noun: &'static str) -> AppResult<E::Model>
where
    E: EntityTrait,
    <E::PrimaryKey as sea_orm::PrimaryKeyTrait>::ValueType: From<i64>,
{
    policy::read_members(actor)?;
    E::find_by_id(id).one(db).await?.ok_or_else(|| AppError::not_found(noun, id))
}

/// Committee membership `id`.
pub async fn find_committee_membership(
    db: &impl ConnectionTrait,
    actor: &Actor,
    id: i64,
) -> AppResult<committee_membership::Model> {
    let row = find::<committee_membership::Entity>(db, actor, id, "committee membership").await?;
    let voided_at = row.voided_at;
    crate::live::found(actor, row, voided_at, "committee membership", id)
}

/// Studio assignment `id`.
pub async fn find_studio_assignment(
    db: &impl ConnectionTrait,
    actor: &Actor,
    id: i64,
) -> AppResult<studio_assignment::Model> {
    let row = find::<studio_assignment::Entity>(db, actor, id, "studio assignment").await?;
    let voided_at = row.voided_at;
    crate::live::found(actor, row, voided_at, "studio assignment", id)
}

/// Group membership `id`.
pub async fn find_group_membership(
    db: &impl ConnectionTrait,
    actor: &Actor,
    id: i64,
) -> AppResult<group_membership::Model> {
    let row = find::<group_membership::Entity>(db, actor, id, "group membership").await?;
    let voided_at = row.voided_at;
    crate::live::found(actor, row, voided_at, "group membership", id)
}

/// Sector convenership `id`.
pub async fn find_convenership(db: &impl ConnectionTrait, actor: &Actor, id: i64) -> AppResult<sector_convener::Model> {
    find::<sector_convener::Entity>(db, actor, id, "sector convenership").await
}
