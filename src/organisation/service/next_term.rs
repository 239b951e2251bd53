//! 换届: opening the next term from the latest one. Returning members keep their member record
//! and get a seat in the new term; every serving seat of the old term ends (届满) and every
//! committee, studio, group and sector-convener row still open ends with the old term; the
//! returning members' rows of the kinds the office chooses open again in the new term. One
//! transaction, a fixed number of set-based statements whatever the roster's size, and one
//! audit entry; a dry run lists every change and writes nothing. Needs
//! `policy::open_next_term`.

use std::collections::{BTreeMap, HashSet};

use chrono::{Days, NaiveDate};
use sea_orm::{
    ActiveEnum, ActiveModelTrait,
    ActiveValue::Set,
    ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, QueryFilter, QueryOrder, QueryResult, QuerySelect,
    TransactionTrait, Value,
    sea_query::{Alias, Cond, Expr, ExprTrait, Query, SelectStatement, SimpleExpr},
};

use crate::{
    audit::service as audit,
    auth::{Actor, policy},
    error::{AppError, AppResult},
    validate::{self, MAX_NAME_CHARS},
};
use entity::{
    enums::{CommitteeRole, GroupRole, SeatStatus, StudioRole},
    seat, term,
};

/// The most returning members a request may list (both databases bind them as parameters).
pub const MAX_RETURNING: usize = 20_000;

/// Which kinds of membership open again in the new term for the returning members.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct Carry {
    /// Special-committee memberships.
    pub committees: bool,
    /// Studio assignments.
    pub studios: bool,
    /// Group memberships.
    pub groups: bool,
    /// Sector conveners.
    pub conveners: bool,
}

/// The next term to open.
#[derive(Clone, Debug)]
pub struct NextTerm {
    /// The term to open it from; none: the latest. It must be the latest.
    pub from_term_id: Option<i64>,
    /// Display name, e.g. "第十一届".
    pub name: String,
    /// First day; after the old term's first day.
    pub start_date: NaiveDate,
    /// Last day.
    pub end_date: NaiveDate,
    /// The returning members; none: every member serving in the old term.
    pub returning: Option<Vec<i64>>,
    /// Which memberships open again.
    pub carry: Carry,
    /// Whether standing-committee flags and leadership posts carry over (otherwise they are
    /// elected anew and entered on the new seats).
    pub keep_posts: bool,
    /// List the changes, write nothing.
    pub dry_run: bool,
}

/// What a change does.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ChangeKind {
    /// A seat of the old term ends (届满).
    SeatEnded,
    /// A returning member's seat in the new term.
    SeatOpened,
    /// A special-committee membership ends.
    CommitteeMembershipEnded,
    /// A special-committee membership opens in the new term.
    CommitteeMembershipOpened,
    /// A studio assignment ends.
    StudioAssignmentEnded,
    /// A studio assignment opens in the new term.
    StudioAssignmentOpened,
    /// A group membership ends.
    GroupMembershipEnded,
    /// A group membership opens in the new term.
    GroupMembershipOpened,
    /// A sector convenership ends.
    ConvenershipEnded,
    /// A sector convenership opens in the new term.
    ConvenershipOpened,
}

impl ChangeKind {
    /// Every kind, in the order changes are listed.
    pub const ALL: [Self; 10] = [
        Self::SeatEnded,
        Self::SeatOpened,
        Self::CommitteeMembershipEnded,
        Self::CommitteeMembershipOpened,
        Self::StudioAssignmentEnded,
        Self::StudioAssignmentOpened,
        Self::GroupMembershipEnded,
        Self::GroupMembershipOpened,
        Self::ConvenershipEnded,
        Self::ConvenershipOpened,
    ];

    fn code(self) -> &'static str {
        match self {
            Self::SeatEnded => "SEAT_ENDED",
            Self::SeatOpened => "SEAT_OPENED",
            Self::CommitteeMembershipEnded => "COMMITTEE_MEMBERSHIP_ENDED",
            Self::CommitteeMembershipOpened => "COMMITTEE_MEMBERSHIP_OPENED",
            Self::StudioAssignmentEnded => "STUDIO_ASSIGNMENT_ENDED",
            Self::StudioAssignmentOpened => "STUDIO_ASSIGNMENT_OPENED",
            Self::GroupMembershipEnded => "GROUP_MEMBERSHIP_ENDED",
            Self::GroupMembershipOpened => "GROUP_MEMBERSHIP_OPENED",
            Self::ConvenershipEnded => "CONVENERSHIP_ENDED",
            Self::ConvenershipOpened => "CONVENERSHIP_OPENED",
        }
    }
}

/// Where a membership places a member.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Place {
    /// A special committee.
    Committee,
    /// A studio.
    Studio,
    /// A group.
    Group,
    /// A sector (as its convener).
    Sector,
}

/// One change of a dry run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Change {
    /// What it does.
    pub kind: ChangeKind,
    /// The member.
    pub member_id: i64,
    /// The member's name.
    pub member_name: String,
    /// For a membership: where, its id and name.
    pub place: Option<(Place, i64, String)>,
    /// For a membership with a role: the role's Chinese label.
    pub role: Option<&'static str>,
}

/// The outcome of [`open_next_term`].
#[derive(Clone, Debug)]
pub struct Opened {
    /// The new term; none on a dry run.
    pub term: Option<term::Model>,
    /// How many rows each kind of change touches (or would), every kind listed.
    pub counts: Vec<(ChangeKind, u64)>,
    /// A dry run: every change; otherwise empty.
    pub changes: Vec<Change>,
}

/// One membership table.
struct Table {
    name: &'static str,
    target: &'static str,
    target_table: &'static str,
    role: bool,
    place: Place,
    ended: ChangeKind,
    opened: ChangeKind,
}

const TABLES: [Table; 4] = [
    Table {
        name: "committee_membership",
        target: "committee_id",
        target_table: "special_committee",
        role: true,
        place: Place::Committee,
        ended: ChangeKind::CommitteeMembershipEnded,
        opened: ChangeKind::CommitteeMembershipOpened,
    },
    Table {
        name: "studio_assignment",
        target: "studio_id",
        target_table: "studio",
        role: true,
        place: Place::Studio,
        ended: ChangeKind::StudioAssignmentEnded,
        opened: ChangeKind::StudioAssignmentOpened,
    },
    Table {
        name: "group_membership",
        target: "group_id",
        target_table: "member_group",
        role: true,
        place: Place::Group,
        ended: ChangeKind::GroupMembershipEnded,
        opened: ChangeKind::GroupMembershipOpened,
    },
    Table {
        name: "sector_convener",
        target: "sector_id",
        target_table: "sector",
        role: false,
        place: Place::Sector,
        ended: ChangeKind::ConvenershipEnded,
        opened: ChangeKind::ConvenershipOpened,
    },
];

impl Table {
    fn carried(&self, carry: Carry) -> bool {
        match self.place {
            Place::Committee => carry.committees,
            Place::Studio => carry.studios,
            Place::Group => carry.groups,
            Place::Sector => carry.conveners,
        }
    }

    fn role_label(&self, code: Option<String>) -> Option<&'static str> {
        let code = code?;
        match self.place {
            Place::Committee => CommitteeRole::try_from_value(&code).ok().map(CommitteeRole::label),
            Place::Studio => StudioRole::try_from_value(&code).ok().map(StudioRole::label),
            Place::Group => GroupRole::try_from_value(&code).ok().map(GroupRole::label),
            Place::Sector => None,
        }
    }
}

fn a(name: &str) -> Alias {
    Alias::new(name)
}

fn col(table: &str, column: &str) -> Expr {
    Expr::col((a(table), a(column)))
}

fn serving() -> Value {
    SeatStatus::Serving.to_value().into()
}

/// The old term's serving seats (of the listed members only, when listed).
fn serving_seats(old: i64, listed: Option<&[i64]>) -> Cond {
    let mut cond = Cond::all().add(col("seat", "term_id").eq(old)).add(col("seat", "status").eq(serving()));
    if let Some(ids) = listed {
        cond = cond.add(col("seat", "member_id").is_in(ids.iter().copied()));
    }
    cond
}

/// `column IN` the returning members: those serving in the old term (and listed, if listed).
fn returning(column: Expr, old: i64, listed: Option<&[i64]>) -> SimpleExpr {
    let mut members = Query::select();
    members.column((a("seat"), a("member_id"))).from(a("seat")).cond_where(serving_seats(old, listed));
    column.in_subquery(members)
}

/// The rows of `t` still open on `end_day` (begun by then, not ended before it; a voided
/// membership was never held, so it is neither ended nor carried).
fn live(t: &Table, end_day: NaiveDate) -> Cond {
    let cond = Cond::all()
        .add(Cond::any().add(col(t.name, "end_date").is_null()).add(col(t.name, "end_date").gt(end_day)))
        .add(col(t.name, "start_date").lte(end_day));
    if t.place == Place::Sector { cond } else { cond.add(col(t.name, "voided_at").is_null()) }
}

/// The day the old term's rows end: its last day, or the day before the new term if sooner.
fn end_day(old: &term::Model, start: NaiveDate) -> NaiveDate {
    start.checked_sub_days(Days::new(1)).map_or(old.end_date, |before| Ord::min(before, old.end_date))
}

fn get<T: sea_orm::TryGetable>(row: &QueryResult, column: &str) -> AppResult<T> {
    Ok(row.try_get::<T>("", column)?)
}

/// Checks the input against the old term; answers the old term and the listed members
/// without repeats.
async fn check(db: &impl ConnectionTrait, next: &NextTerm) -> AppResult<(term::Model, Option<Vec<i64>>)> {
    let latest = term::Entity::find().order_by_desc(term::Column::Number).one(db).await?;
    let old = match (next.from_term_id, latest) {
        (_, None) => return Err(AppError::Conflict("there is no term to open the next one from".to_owned())),
        (None, Some(latest)) => latest,
        (Some(id), Some(latest)) => {
            crate::db::exists::<term::Entity>(db, id, "fromTermId", "term").await?;
            if latest.id != id {
                return Err(AppError::Conflict(format!(
                    "term {id} is not the latest; {} follows it, open the next term from that",
                    latest.name
                )));
            }
            latest
        }
    };
    if next.start_date <= old.start_date {
        return Err(AppError::bad_field(
            "startDate",
            format!("startDate {} must be after the start of {} ({})", next.start_date, old.name, old.start_date),
        ));
    }
    validate::date_order("endDate", next.start_date, Some(next.end_date))?;
    let Some(listed) = &next.returning else { return Ok((old, None)) };
    if listed.len() > MAX_RETURNING {
        return Err(AppError::bad_field(
            "returningMemberIds",
            format!("returningMemberIds may list at most {MAX_RETURNING} members"),
        ));
    }
    let mut seen = HashSet::new();
    let unique: Vec<i64> = listed.iter().copied().filter(|id| seen.insert(*id)).collect();
    let serving: HashSet<i64> = seat::Entity::find()
        .select_only()
        .column(seat::Column::MemberId)
        .filter(seat::Column::TermId.eq(old.id))
        .filter(seat::Column::Status.eq(SeatStatus::Serving))
        .filter(seat::Column::MemberId.is_in(unique.iter().copied()))
        .into_tuple::<i64>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    if let Some((i, id)) = listed.iter().enumerate().find(|(_, id)| !serving.contains(id)) {
        return Err(AppError::bad_field(
            format!("returningMemberIds.{i}"),
            format!("member {id} holds no serving seat in {}", old.name),
        ));
    }
    Ok((old, Some(unique)))
}

/// Opens the next term (or, on a dry run, lists what opening it would change).
pub async fn open_next_term(
    db: &impl TransactionTrait<Transaction = DatabaseTransaction>,
    actor: &Actor,
    next: NextTerm,
) -> AppResult<Opened> {
    policy::open_next_term(actor)?;
    let name = validate::required("name", &next.name, MAX_NAME_CHARS)?;
    crate::db::atomically(db, async |txn| {
        let (old, listed) = check(txn, &next).await?;
        let end = end_day(&old, next.start_date);
        if next.dry_run {
            let changes = preview(txn, &old, end, listed.as_deref(), next.carry).await?;
            let mut counts: BTreeMap<ChangeKind, u64> = ChangeKind::ALL.iter().map(|k| (*k, 0)).collect();
            for change in &changes {
                *counts.entry(change.kind).or_default() += 1;
            }
            return Ok(Opened { term: None, counts: counts.into_iter().collect(), changes });
        }
        let term = term::ActiveModel {
            number: Set(old.number + 1),
            name: Set(name.clone()),
            start_date: Set(next.start_date),
            end_date: Set(next.end_date),
            ..Default::default()
        }
        .insert(txn)
        .await?;
        let counts = write(txn, &old, &term, end, listed.as_deref(), next.carry, next.keep_posts).await?;
        let summary = serde_json::json!({
            "term": &term,
            "fromTermId": old.id,
            "oldRowsEndOn": end,
            "returning": listed.as_ref().map_or_else(|| serde_json::json!("ALL_SERVING"), |l| serde_json::json!(l)),
            "carry": next.carry,
            "keepPosts": next.keep_posts,
            "counts": counts.iter().map(|(k, n)| (k.code(), *n)).collect::<BTreeMap<_, _>>(),
        });
        audit::created(txn, actor, "openNextTerm", "term", term.id, &summary).await?;
        Ok(Opened { term: Some(term), counts, changes: Vec::new() })
    })
    .await
}

/// The writes of a real run, in an order that keeps each statement's input intact: new seats
/// and carried memberships are copied from the old rows before those rows are ended.
async fn write(
    txn: &DatabaseTransaction,
    old: &term::Model,
    new: &term::Model,
    end: NaiveDate,
    listed: Option<&[i64]>,
    carry: Carry,
    keep_posts: bool,
) -> AppResult<Vec<(ChangeKind, u64)>> {
    let mut counts = Vec::with_capacity(ChangeKind::ALL.len());
    // New seats: the returning members' old seats, copied.
    let (standing, post) = if keep_posts {
        (col("seat", "standing_committee"), col("seat", "leadership_post"))
    } else {
        (Expr::val(false), Expr::val(Option::<String>::None))
    };
    let mut select = Query::select();
    select
        .expr(col("seat", "member_id"))
        .expr(Expr::val(new.id))
        .expr(col("seat", "member_number"))
        .expr(col("seat", "sector_id"))
        .expr(col("seat", "party"))
        .expr(standing)
        .expr(post)
        .expr(col("seat", "employer"))
        .expr(Expr::val(serving()))
        .expr(Expr::val(new.start_date))
        .expr(Expr::val(Option::<NaiveDate>::None))
        .expr(Expr::val(Option::<String>::None))
        .from(a("seat"))
        .cond_where(serving_seats(old.id, listed));
    let columns = [
        "member_id",
        "term_id",
        "member_number",
        "sector_id",
        "party",
        "standing_committee",
        "leadership_post",
        "employer",
        "status",
        "start_date",
        "end_date",
        "status_reason",
    ];
    let insert = Query::insert()
        .into_table(a("seat"))
        .columns(columns.map(a))
        .select_from(select)
        .map_err(|e| AppError::Internal(format!("building the new seats: {e}")))?
        .to_owned();
    let opened_seats = txn.execute(&insert).await?.rows_affected();

    // Carried rows cannot open beside the old open rows (one open row per member and place),
    // and once the old rows are ended they can no longer be told from rows that ended on the
    // same day. So they are inserted first marked ended on `end`, before their own start — a
    // row no write can make — then the old rows end, then the marked rows open.
    let mut memberships = Vec::new();
    for t in &TABLES {
        let carried = t.carried(carry);
        if carried {
            let mut select = Query::select();
            select.expr(col(t.name, "member_id")).expr(col(t.name, t.target));
            let mut columns = vec![a("member_id"), a(t.target)];
            if t.role {
                select.expr(col(t.name, "role"));
                columns.push(a("role"));
            }
            select
                .expr(Expr::val(new.start_date))
                .expr(Expr::val(end))
                .from(a(t.name))
                .cond_where(live(t, end).add(returning(col(t.name, "member_id"), old.id, listed)));
            columns.extend([a("start_date"), a("end_date")]);
            let insert = Query::insert()
                .into_table(a(t.name))
                .columns(columns)
                .select_from(select)
                .map_err(|e| AppError::Internal(format!("building the carried {}: {e}", t.name)))?
                .to_owned();
            txn.execute(&insert).await?;
        }
        let update = Query::update().table(a(t.name)).value(a("end_date"), end).cond_where(live(t, end)).to_owned();
        let ended = txn.execute(&update).await?.rows_affected();
        let mut opened = 0;
        if carried {
            let marked =
                Cond::all().add(col(t.name, "start_date").eq(new.start_date)).add(col(t.name, "end_date").eq(end));
            let reopen = Query::update()
                .table(a(t.name))
                .value(a("end_date"), Option::<NaiveDate>::None)
                .cond_where(marked)
                .to_owned();
            opened = txn.execute(&reopen).await?.rows_affected();
        }
        memberships.push((t.ended, ended));
        memberships.push((t.opened, opened));
    }

    let update = Query::update()
        .table(a("seat"))
        .value(a("status"), SeatStatus::TermEnded.to_value())
        .value(a("end_date"), end)
        .cond_where(serving_seats(old.id, None))
        .to_owned();
    let ended_seats = txn.execute(&update).await?.rows_affected();
    counts.push((ChangeKind::SeatEnded, ended_seats));
    counts.push((ChangeKind::SeatOpened, opened_seats));
    counts.extend(memberships);
    Ok(counts)
}

/// Every change a real run would make, by the same conditions, in list order (kind, member).
async fn preview(
    db: &impl ConnectionTrait,
    old: &term::Model,
    end: NaiveDate,
    listed: Option<&[i64]>,
    carry: Carry,
) -> AppResult<Vec<Change>> {
    let mut changes = Vec::new();
    let seats = |cond: Cond| -> SelectStatement {
        Query::select()
            .expr_as(col("seat", "member_id"), a("member_id"))
            .expr_as(col("member", "name"), a("member_name"))
            .from(a("seat"))
            .inner_join(a("member"), col("member", "id").equals((a("seat"), a("member_id"))))
            .cond_where(cond)
            .order_by((a("seat"), a("member_id")), sea_orm::Order::Asc)
            .to_owned()
    };
    for (kind, cond) in
        [(ChangeKind::SeatEnded, serving_seats(old.id, None)), (ChangeKind::SeatOpened, serving_seats(old.id, listed))]
    {
        for row in db.query_all(&seats(cond)).await? {
            changes.push(Change {
                kind,
                member_id: get(&row, "member_id")?,
                member_name: get(&row, "member_name")?,
                place: None,
                role: None,
            });
        }
    }
    for t in &TABLES {
        let mut select = Query::select();
        select
            .expr_as(col(t.name, "member_id"), a("member_id"))
            .expr_as(col("member", "name"), a("member_name"))
            .expr_as(col(t.name, t.target), a("place_id"))
            .expr_as(col(t.target_table, "name"), a("place_name"))
            .expr_as(if t.role { col(t.name, "role") } else { Expr::val(Option::<String>::None) }, a("role"))
            .from(a(t.name))
            .inner_join(a("member"), col("member", "id").equals((a(t.name), a("member_id"))))
            .inner_join(a(t.target_table), col(t.target_table, "id").equals((a(t.name), a(t.target))))
            .cond_where(live(t, end))
            .order_by((a(t.name), a("member_id")), sea_orm::Order::Asc)
            .order_by((a(t.name), a("id")), sea_orm::Order::Asc);
        let returning: Option<HashSet<i64>> = if t.carried(carry) {
            let mut members = Query::select();
            members.column((a("seat"), a("member_id"))).from(a("seat")).cond_where(serving_seats(old.id, listed));
            let rows = db.query_all(&members).await?;
            Some(rows.iter().map(|r| get::<i64>(r, "member_id")).collect::<AppResult<_>>()?)
        } else {
            None
        };
        let mut opened = Vec::new();
        for row in db.query_all(&select).await? {
            let change = Change {
                kind: t.ended,
                member_id: get(&row, "member_id")?,
                member_name: get(&row, "member_name")?,
                place: Some((t.place, get(&row, "place_id")?, get(&row, "place_name")?)),
                role: t.role_label(get(&row, "role")?),
            };
            if returning.as_ref().is_some_and(|r| r.contains(&change.member_id)) {
                opened.push(Change { kind: t.opened, ..change.clone() });
            }
            changes.push(change);
        }
        changes.extend(opened);
    }
    Ok(changes)
}
