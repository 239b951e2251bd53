//! Members' personal yearly targets (个人履职目标) and their progress.
//!
//! The office sets a member's targets for a year (`setMemberTargets` replaces the whole set);
//! progress comes from the member's records, through the functions that already count them:
//! attendance and activities from `activity::service::attendance`, training hours from
//! `training::service::hours_tenths`; proposals and public-opinion reports are counted here per
//! member with one GROUP BY each. Every figure is computed for a whole list of members at once.

use std::collections::{HashMap, HashSet};

use chrono::Utc;
use rust_decimal::Decimal;
use sea_orm::{
    ActiveModelTrait,
    ActiveValue::Set,
    ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, IntoActiveModel, QueryFilter, QueryOrder,
    TransactionTrait,
    sea_query::{Alias, Expr, ExprTrait, Query},
};

use crate::{
    activity::service::{AttendanceSummary, attendance},
    audit::service as audit,
    auth::{
        Actor,
        policy::{self, DutyRecordsOf},
    },
    dates::year_bounds,
    db::atomically,
    error::{AppError, AppResult},
    training::service::hours_tenths,
};
use entity::{
    enums::{ProposalStatus, TargetKind},
    member, member_target, opinion_author, opinion_report, proposal, proposal_signer,
};

/// One target to set.
#[derive(Clone, Copy, Debug)]
pub struct NewTarget {
    /// What is counted.
    pub kind: TargetKind,
    /// The target: a whole count, a rate in 0..1 (two decimals at most) or hours (one decimal).
    pub value: Decimal,
}

/// A target with the member's progress towards it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TargetProgress {
    /// The stored target.
    pub target: member_target::Model,
    /// What the member has achieved in the year; none for an attendance rate when no
    /// compulsory activity was held.
    pub actual: Option<Decimal>,
}

impl TargetProgress {
    /// The target's value.
    pub fn value(&self) -> Decimal {
        Decimal::new(self.target.value_hundredths, 2).normalize()
    }

    /// Whether the target is met; none when there is nothing to judge by.
    pub fn met(&self) -> Option<bool> {
        self.actual.map(|actual| actual >= self.value())
    }
}

/// The largest value a personal target may have.
pub const MAX_TARGET: i64 = 10_000;

/// The stored hundredths of a target's value, after checking it suits the kind.
fn hundredths(field: &str, kind: TargetKind, value: Decimal) -> AppResult<i64> {
    let bad = |why: &str| Err(AppError::bad_field(field, format!("{field} {why}")));
    if value.is_sign_negative() {
        return bad("must not be negative");
    }
    if value > Decimal::from(MAX_TARGET) {
        return bad(&format!("must be at most {MAX_TARGET}"));
    }
    // Bounded above, so the product fits.
    let Some(scaled) = value.checked_mul(Decimal::ONE_HUNDRED) else { return bad("is too large") };
    match kind {
        TargetKind::Proposals | TargetKind::OpinionReports | TargetKind::Activities
            if value.fract() != Decimal::ZERO =>
        {
            return bad("must be a whole number");
        }
        TargetKind::AttendanceRate if value > Decimal::ONE || scaled.fract() != Decimal::ZERO => {
            return bad("must be a rate from 0 to 1 with at most 2 decimals");
        }
        TargetKind::TrainingHours if value.normalize().scale() > 1 => {
            return bad("must have at most 1 decimal");
        }
        _ => {}
    }
    i64::try_from(scaled).or_else(|_| bad("is too large"))
}

/// Sets a member's targets for a year: the list becomes the whole set (targets of kinds not
/// listed are removed). One transaction; each row change is audited. Returns the targets with
/// their progress.
pub async fn set_targets(
    db: &impl TransactionTrait<Transaction = DatabaseTransaction>,
    actor: &Actor,
    member_id: i64,
    year: i32,
    targets: Vec<NewTarget>,
) -> AppResult<Vec<TargetProgress>> {
    policy::set_member_targets(actor)?;
    year_bounds(year).map_err(|_| AppError::bad_field("year", "year is out of range"))?;
    let mut seen = HashSet::new();
    let mut wanted = Vec::with_capacity(targets.len());
    for (i, t) in targets.iter().enumerate() {
        if !seen.insert(t.kind) {
            return Err(AppError::bad_field(
                format!("targets.{i}.kind"),
                format!("{} is listed more than once", t.kind.label()),
            ));
        }
        wanted.push((t.kind, hundredths(&format!("targets.{i}.value"), t.kind, t.value)?));
    }
    atomically(db, async |txn| {
        member::Entity::find_by_id(member_id)
            .one(txn)
            .await?
            .ok_or_else(|| AppError::not_found("member", member_id))?;
        let existing: HashMap<TargetKind, member_target::Model> = member_target::Entity::find()
            .filter(member_target::Column::MemberId.eq(member_id))
            .filter(member_target::Column::Year.eq(year))
            .all(txn)
            .await?
            .into_iter()
            .map(|t| (t.kind, t))
            .collect();
        for (kind, before) in &existing {
            if !seen.contains(kind) {
                member_target::Entity::delete_by_id(before.id).exec(txn).await?;
                audit::changed(txn, actor, "setMemberTargets", "member_target", before.id, &Some(before), &None)
                    .await?;
            }
        }
        let now = Utc::now();
        for (kind, value) in wanted {
            match existing.get(&kind) {
                Some(before) if before.value_hundredths == value => {}
                Some(before) => {
                    let mut row = before.clone().into_active_model();
                    row.value_hundredths = Set(value);
                    row.updated_at = Set(now);
                    let after = row.update(txn).await?;
                    audit::changed(txn, actor, "setMemberTargets", "member_target", after.id, before, &after).await?;
                }
                None => {
                    let row = member_target::ActiveModel {
                        member_id: Set(member_id),
                        year: Set(year),
                        kind: Set(kind),
                        value_hundredths: Set(value),
                        created_at: Set(now),
                        updated_at: Set(now),
                        ..Default::default()
                    }
                    .insert(txn)
                    .await?;
                    audit::created(txn, actor, "setMemberTargets", "member_target", row.id, &row).await?;
                }
            }
        }
        Ok(progress(txn, &[member_id], year).await?.remove(&member_id).unwrap_or_default())
    })
    .await
}

/// The stored targets of `members` in `year`, in the order of [`TargetKind::ALL`].
async fn stored(
    db: &impl ConnectionTrait,
    members: &[i64],
    year: i32,
) -> AppResult<HashMap<i64, Vec<member_target::Model>>> {
    let rows = member_target::Entity::find()
        .filter(member_target::Column::MemberId.is_in(members.iter().copied()))
        .filter(member_target::Column::Year.eq(year))
        .order_by_asc(member_target::Column::Id)
        .all(db)
        .await?;
    let mut out: HashMap<i64, Vec<member_target::Model>> = HashMap::new();
    for row in rows {
        out.entry(row.member_id).or_default().push(row);
    }
    let rank = |k: TargetKind| TargetKind::ALL.iter().position(|&x| x == k);
    for list in out.values_mut() {
        list.sort_by_key(|t| rank(t.kind));
    }
    Ok(out)
}

/// How many proposals of `year` each of `members` signed (first proposer or co-signer), in any
/// state but CONVERTED (those count as public-opinion reports, as in `proposalStatistics`):
/// ONE GROUP BY query.
pub async fn proposal_counts(db: &impl ConnectionTrait, members: &[i64], year: i32) -> AppResult<HashMap<i64, u64>> {
    let stmt = Query::select()
        .column(proposal_signer::Column::MemberId)
        .expr_as(Expr::cust("COUNT(*)"), Alias::new("n"))
        .from(proposal_signer::Entity)
        .inner_join(
            proposal::Entity,
            Expr::col((proposal::Entity, proposal::Column::Id))
                .equals((proposal_signer::Entity, proposal_signer::Column::ProposalId)),
        )
        .and_where(proposal_signer::Column::MemberId.is_in(members.iter().copied()))
        .and_where(proposal::Column::Year.eq(year))
        .and_where(proposal::Column::Status.ne(ProposalStatus::Converted))
        .and_where(proposal::Column::VoidedAt.is_null())
        .group_by_col((proposal_signer::Entity, proposal_signer::Column::MemberId))
        .to_owned();
    count_rows(db, &stmt).await
}

/// How many public-opinion reports of `year` each of `members` wrote (first or co-author),
/// converted proposals included: ONE GROUP BY query.
pub async fn opinion_counts(db: &impl ConnectionTrait, members: &[i64], year: i32) -> AppResult<HashMap<i64, u64>> {
    let stmt = Query::select()
        .column(opinion_author::Column::MemberId)
        .expr_as(Expr::cust("COUNT(*)"), Alias::new("n"))
        .from(opinion_author::Entity)
        .inner_join(
            opinion_report::Entity,
            Expr::col((opinion_report::Entity, opinion_report::Column::Id))
                .equals((opinion_author::Entity, opinion_author::Column::ReportId)),
        )
        .and_where(opinion_author::Column::MemberId.is_in(members.iter().copied()))
        .and_where(opinion_report::Column::Year.eq(year))
        .and_where(opinion_report::Column::Status.ne(entity::enums::OpinionStatus::Withdrawn))
        .and_where(opinion_report::Column::VoidedAt.is_null())
        .group_by_col((opinion_author::Entity, opinion_author::Column::MemberId))
        .to_owned();
    count_rows(db, &stmt).await
}

async fn count_rows(
    db: &impl ConnectionTrait,
    stmt: &sea_orm::sea_query::SelectStatement,
) -> AppResult<HashMap<i64, u64>> {
    let mut out = HashMap::new();
    for row in db.query_all(stmt).await? {
        let member: i64 = row.try_get("", "member_id")?;
        let n: i64 = row.try_get("", "n")?;
        out.insert(member, u64::try_from(n).unwrap_or(0));
    }
    Ok(out)
}

/// The targets of `members` in `year` with their progress: one query for the targets and one
/// per kind of record they need, whatever the number of members. No access check: its callers
/// decided (the page-wide loader takes the policy's [`DutyRecordsOf`]; [`set_targets`] checks
/// its own rule).
pub async fn progress(
    db: &impl ConnectionTrait,
    members: &[i64],
    year: i32,
) -> AppResult<HashMap<i64, Vec<TargetProgress>>> {
    year_bounds(year)?;
    if members.is_empty() {
        return Ok(HashMap::new());
    }
    let targets = stored(db, members, year).await?;
    let needing = |kinds: &[TargetKind]| -> Vec<i64> {
        targets.iter().filter(|(_, list)| list.iter().any(|t| kinds.contains(&t.kind))).map(|(&m, _)| m).collect()
    };
    let attending = needing(&[TargetKind::AttendanceRate, TargetKind::Activities]);
    let training = needing(&[TargetKind::TrainingHours]);
    let proposing = needing(&[TargetKind::Proposals]);
    let reporting = needing(&[TargetKind::OpinionReports]);
    let summaries = if attending.is_empty() { HashMap::new() } else { attendance(db, &attending, year).await? };
    let hours = if training.is_empty() { HashMap::new() } else { hours_tenths(db, &training, year).await? };
    let proposals = if proposing.is_empty() { HashMap::new() } else { proposal_counts(db, &proposing, year).await? };
    let reports = if reporting.is_empty() { HashMap::new() } else { opinion_counts(db, &reporting, year).await? };
    let count = |map: &HashMap<i64, u64>, m: i64| Some(Decimal::from(map.get(&m).copied().unwrap_or(0)));
    let mut out = HashMap::new();
    for (member, list) in targets {
        let summary = summaries.get(&member).copied().unwrap_or_default();
        let with_progress = list
            .into_iter()
            .map(|target| {
                let actual = match target.kind {
                    TargetKind::Proposals => count(&proposals, member),
                    TargetKind::OpinionReports => count(&reports, member),
                    TargetKind::AttendanceRate => summary.rate(),
                    TargetKind::Activities => Some(Decimal::from(attended(&summary))),
                    TargetKind::TrainingHours => {
                        Some(crate::training::service::hours(hours.get(&member).copied().unwrap_or(0)))
                    }
                };
                TargetProgress { target, actual }
            })
            .collect();
        out.insert(member, with_progress);
    }
    Ok(out)
}

/// Activities the member attended (present, late or leaving early), cancelled ones excluded.
fn attended(s: &AttendanceSummary) -> u64 {
    s.present + s.late + s.left_early
}

/// Leave to read `member_id`'s targets of `year` through the page-wide loader: FORBIDDEN
/// unless the actor may read them, BAD_USER_INPUT on `year`.
pub fn targets_of(actor: &Actor, member_id: i64, year: i32) -> AppResult<DutyRecordsOf> {
    let of = policy::targets_of(actor, member_id)?;
    year_bounds(year)?;
    Ok(of)
}

/// One member's targets of a year with their progress.
pub async fn member_targets(
    db: &impl ConnectionTrait,
    actor: &Actor,
    member_id: i64,
    year: i32,
) -> AppResult<Vec<TargetProgress>> {
    policy::read_member_targets(actor, member_id)?;
    Ok(progress(db, &[member_id], year).await?.remove(&member_id).unwrap_or_default())
}
