//! Rules and queries of duty items: SUBMITTED → CONFIRMED | REJECTED, decided once by the office.

use chrono::{NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, DatabaseTransaction,
    EntityTrait, IntoActiveModel, QueryFilter, QuerySelect, TransactionTrait,
};

use crate::{
    audit::service as audit,
    auth::{
        Actor,
        policy::{self, DutyItemReach, DutyRecordsOf},
    },
    dates::year_bounds,
    db::{atomically, exists},
    error::{AppError, AppResult},
    pagination::{Counter, counter},
    pagination::{Ordering, Page, PageArgs, SortKey, paginate},
    validate::{self, MAX_NAME_CHARS, MAX_TEXT_CHARS},
};
use entity::{
    duty_item,
    enums::{DutyItemKind, DutyItemStatus},
    member,
};

/// A duty item to submit.
#[derive(Clone, Debug)]
pub struct NewDutyItem {
    /// The member; a member account's own member when absent.
    pub member_id: Option<i64>,
    /// Type.
    pub kind: DutyItemKind,
    /// Title.
    pub title: String,
    /// The day it happened or was published.
    pub date: NaiveDate,
    /// Evidence.
    pub evidence: Option<String>,
    /// Suggestions made.
    pub suggestions: i32,
}

/// Which duty items to list.
#[derive(Clone, Debug, Default)]
pub struct DutyItemFilter {
    /// Of this member.
    pub member_id: Option<i64>,
    /// Of this type.
    pub kind: Option<DutyItemKind>,
    /// In this state.
    pub status: Option<DutyItemStatus>,
    /// Dated in this year.
    pub year: Option<i32>,
    /// Voided items too (only for a role that sees them: `policy::sees_voided`).
    pub include_voided: Option<bool>,
}

/// Submits a duty item for confirmation.
pub async fn submit(
    db: &impl TransactionTrait<Transaction = DatabaseTransaction>,
    actor: &Actor,
    new: NewDutyItem,
) -> AppResult<duty_item::Model> {
    let own = actor.session().and_then(|s| s.member_id);
    let member_id = new
        .member_id
        .or(own)
        .ok_or_else(|| AppError::bad_field("memberId", "memberId is required for this account"))?;
    policy::submit_duty_item(actor, member_id)?;
    let title = checked_title(&new.title)?;
    let evidence = checked_evidence(new.evidence.as_deref())?;
    checked_suggestions(new.suggestions)?;
    atomically(db, async |txn| {
        exists::<member::Entity>(txn, member_id, "memberId", "member").await?;
        let row = duty_item::ActiveModel {
            member_id: Set(member_id),
            kind: Set(new.kind),
            title: Set(title),
            date: Set(new.date),
            evidence: Set(evidence),
            suggestions: Set(new.suggestions),
            status: Set(DutyItemStatus::Submitted),
            review_note: Set(None),
            reviewed_by: Set(None),
            reviewed_at: Set(None),
            created_at: Set(Utc::now()),
            ..Default::default()
        }
        .insert(txn)
        .await?;
        audit::created(txn, actor, "submitDutyItem", "duty_item", row.id, &row).await?;
        Ok(row)
    })
    .await
}

/// A duty item's title: required, one line, at most 200 characters.
fn checked_title(title: &str) -> AppResult<String> {
    validate::required("title", title, MAX_NAME_CHARS * 2)
}

/// A duty item's evidence: optional free text (blank is none).
fn checked_evidence(evidence: Option<&str>) -> AppResult<Option<String>> {
    validate::optional("evidence", evidence, MAX_TEXT_CHARS)
}

/// A duty item's number of suggestions: not negative.
fn checked_suggestions(suggestions: i32) -> AppResult<i32> {
    if suggestions < 0 {
        return Err(AppError::bad_field("suggestions", "suggestions must not be negative"));
    }
    Ok(suggestions)
}

/// What to correct in a duty item: each field given replaces the stored one, checked as when
/// submitting. Its member, status and review stay.
#[derive(Clone, Debug, Default)]
pub struct DutyItemChanges {
    /// Type.
    pub kind: Option<DutyItemKind>,
    /// Title.
    pub title: Option<String>,
    /// The day it happened or was published.
    pub date: Option<NaiveDate>,
    /// Evidence (`Some(None)` clears it).
    pub evidence: Option<Option<String>>,
    /// Suggestions made.
    pub suggestions: Option<i32>,
}

/// Corrects a duty item's own fields, in one transaction, audited with the item before and
/// after. The member who submitted it while it awaits review (a decided one is CONFLICT: the
/// office reopens it first); the office any item that is not voided, a confirmed one staying
/// confirmed (what it counts for follows the corrected fields).
pub async fn update(
    db: &impl TransactionTrait<Transaction = DatabaseTransaction>,
    actor: &Actor,
    id: i64,
    changes: DutyItemChanges,
) -> AppResult<duty_item::Model> {
    policy::amend_duty_items(actor)?;
    let title = changes.title.as_deref().map(checked_title).transpose()?;
    let evidence = changes.evidence.as_ref().map(|e| checked_evidence(e.as_deref())).transpose()?;
    let suggestions = changes.suggestions.map(checked_suggestions).transpose()?;
    atomically(db, async |txn| {
        let item = locked(txn, id).await?;
        let reach = policy::amend_duty_item(actor, item.member_id)?;
        let voided_at = item.voided_at;
        let item = crate::live::found(actor, item, voided_at, "duty item", id)?;
        if item.voided_at.is_some() {
            return Err(AppError::Conflict(format!("duty item {id} is voided; restore it before correcting it")));
        }
        if reach == DutyItemReach::WhileSubmitted && item.status != DutyItemStatus::Submitted {
            return Err(AppError::Conflict(format!(
                "duty item {id} is already {}; only the office corrects a decided item",
                item.status.label()
            )));
        }
        let mut row = item.clone().into_active_model();
        if let Some(kind) = changes.kind {
            row.kind = Set(kind);
        }
        if let Some(title) = title {
            row.title = Set(title);
        }
        if let Some(date) = changes.date {
            row.date = Set(date);
        }
        if let Some(evidence) = evidence {
            row.evidence = Set(evidence);
        }
        if let Some(suggestions) = suggestions {
            row.suggestions = Set(suggestions);
        }
        // An update that names no field writes nothing but its audit entry.
        let updated = if row.is_changed() { row.update(txn).await? } else { item.clone() };
        audit::changed(txn, actor, "updateDutyItem", "duty_item", id, &item, &updated).await?;
        Ok(updated)
    })
    .await
}

/// Confirms (`confirm = true`) or rejects a submitted item. A rejection needs a reason.
pub async fn review(
    db: &impl TransactionTrait<Transaction = DatabaseTransaction>,
    actor: &Actor,
    id: i64,
    confirm: bool,
    note: Option<String>,
) -> AppResult<duty_item::Model> {
    policy::review_duty_items(actor)?;
    let field = if confirm { "note" } else { "reason" };
    let note = validate::optional(field, note.as_deref(), MAX_TEXT_CHARS)?;
    if !confirm && note.is_none() {
        return Err(AppError::bad_field("reason", "reason must not be empty"));
    }
    atomically(db, async |txn| {
        let item = locked(txn, id).await?;
        if item.status != DutyItemStatus::Submitted {
            return Err(AppError::Conflict(format!("duty item {id} is already {}", item.status.label())));
        }
        let mut row = item.clone().into_active_model();
        row.status = Set(if confirm { DutyItemStatus::Confirmed } else { DutyItemStatus::Rejected });
        row.review_note = Set(note);
        row.reviewed_by = Set(actor.session().map(|s| s.account_id));
        row.reviewed_at = Set(Some(Utc::now()));
        let reviewed = row.update(txn).await?;
        let operation = if confirm { "confirmDutyItem" } else { "rejectDutyItem" };
        audit::changed(txn, actor, operation, "duty_item", id, &item, &reviewed).await?;
        Ok(reviewed)
    })
    .await
}

/// Reopens a decided item: CONFIRMED | REJECTED → SUBMITTED, with the reason (kept as its
/// review note until it is decided again), so the office can confirm or reject it anew. Until
/// then it counts as any submitted item (a confirmed one leaves the confirmed counts).
pub async fn reopen(
    db: &impl TransactionTrait<Transaction = DatabaseTransaction>,
    actor: &Actor,
    id: i64,
    reason: &str,
) -> AppResult<duty_item::Model> {
    policy::review_duty_items(actor)?;
    let reason = validate::required("reason", reason, MAX_TEXT_CHARS)?;
    atomically(db, async |txn| {
        let item = locked(txn, id).await?;
        if item.status == DutyItemStatus::Submitted {
            return Err(AppError::Conflict(format!(
                "duty item {id} is {}; there is no decision to reopen",
                item.status.label()
            )));
        }
        let mut row = item.clone().into_active_model();
        row.status = Set(DutyItemStatus::Submitted);
        row.review_note = Set(Some(reason));
        row.reviewed_by = Set(None);
        row.reviewed_at = Set(None);
        let reopened = row.update(txn).await?;
        audit::changed(txn, actor, "reopenDutyItem", "duty_item", id, &item, &reopened).await?;
        Ok(reopened)
    })
    .await
}

/// The duty item `id`, locked until the transaction ends; NOT_FOUND when there is none.
async fn locked(txn: &impl ConnectionTrait, id: i64) -> AppResult<duty_item::Model> {
    duty_item::Entity::find_by_id(id)
        .lock_exclusive()
        .one(txn)
        .await?
        .ok_or_else(|| AppError::not_found("duty item", id))
}

/// One duty item, or NOT_FOUND (also when the actor may not read its member's records).
pub async fn find(db: &impl ConnectionTrait, actor: &Actor, id: i64) -> AppResult<duty_item::Model> {
    let item = duty_item::Entity::find_by_id(id).one(db).await?.ok_or_else(|| AppError::not_found("duty item", id))?;
    policy::read_duty_records(actor, item.member_id)?;
    let voided_at = item.voided_at;
    crate::live::found(actor, item, voided_at, "duty item", id)
}

/// Leave to read `member_id`'s duty items through the page-wide loader: FORBIDDEN unless the
/// actor may read the member's duty records.
pub fn items_of(actor: &Actor, member_id: i64) -> AppResult<DutyRecordsOf> {
    policy::duty_records_of(actor, member_id)
}

/// A page of duty items, newest first. A member account lists only their own.
pub async fn list(
    db: &DatabaseConnection,
    actor: &Actor,
    filter: DutyItemFilter,
    page: &PageArgs,
) -> AppResult<(Page<duty_item::Model>, Counter)> {
    let member_id = if policy::sees_all_duty_records(actor) {
        filter.member_id
    } else {
        let own = actor.session().and_then(|s| s.member_id);
        let member = filter.member_id.or(own).unwrap_or(-1);
        policy::read_duty_records(actor, member)?;
        Some(member)
    };
    let mut select = duty_item::Entity::find();
    if !crate::live::include_voided(actor, filter.include_voided) {
        select = select.filter(duty_item::Column::VoidedAt.is_null());
    }
    if let Some(member) = member_id {
        select = select.filter(duty_item::Column::MemberId.eq(member));
    }
    if let Some(kind) = filter.kind {
        select = select.filter(duty_item::Column::Kind.eq(kind));
    }
    if let Some(status) = filter.status {
        select = select.filter(duty_item::Column::Status.eq(status));
    }
    if let Some(year) = filter.year {
        let (first, last) =
            year_bounds(year).map_err(|_| AppError::bad_field("filter.year", "filter.year is out of range"))?;
        select = select.filter(duty_item::Column::Date.between(first, last));
    }
    let ordering = Ordering::new(
        "DATE:DESC",
        vec![
            SortKey { column: duty_item::Column::Date, descending: true },
            SortKey { column: duty_item::Column::Id, descending: true },
        ],
    );
    let page = paginate(db, select.clone(), &ordering, page).await?;
    Ok((page, counter(db, select)))
}
