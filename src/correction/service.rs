//! `voidRecord` and `restoreRecord`: one row of any voidable kind, looked up, checked, marked
//! and audited in one transaction. The statements are the same for every kind: the lookup, the
//! update and the audit entry.

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, QuerySelect, Set, TransactionTrait,
};
use serde::Serialize;

use crate::{
    audit::service as audit,
    auth::{Actor, policy},
    db,
    error::{AppError, AppResult},
    validate,
};
use entity::organiser::Organiser;

/// Most characters of a reason for voiding or restoring.
pub const MAX_REASON_CHARS: usize = 500;

/// What is written on the row: when, by whom and why it was voided (all none to restore).
struct Mark {
    at: Option<DateTime<Utc>>,
    by: Option<i64>,
    reason: Option<String>,
}

/// Declares the voidable kinds: the kind, the stored record, and the lookup and write of each.
macro_rules! voidable {
    ($($(#[$doc:meta])* $variant:ident => $module:ident, $noun:literal;)*) => {
        /// The kinds of record that can be voided.
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub enum RecordKind {
            $($(#[$doc])* $variant,)*
        }

        impl RecordKind {
            /// The record's name in messages ("activity 5 is already voided").
            pub fn noun(self) -> &'static str {
                match self {
                    $(Self::$variant => $noun,)*
                }
            }
        }

        /// A voidable record as stored.
        #[derive(Clone, Debug)]
        pub enum Record {
            $($(#[$doc])* $variant(entity::$module::Model),)*
        }

        impl Record {
            /// When it was voided; none while it counts.
            pub fn voided_at(&self) -> Option<DateTime<Utc>> {
                match self {
                    $(Self::$variant(m) => m.voided_at,)*
                }
            }
        }

        /// Row `id` of `kind`, voided or not.
        async fn find(db: &impl ConnectionTrait, kind: RecordKind, id: i64) -> AppResult<Option<Record>> {
            Ok(match kind {
                $(RecordKind::$variant => entity::$module::Entity::find_by_id(id).lock_exclusive().one(db).await?.map(Record::$variant),)*
            })
        }

        /// Writes `mark` on `record` and its audit entry (before and after, with `note` added
        /// to the after when given: a restore's reason).
        async fn write(
            txn: &impl ConnectionTrait,
            actor: &Actor,
            operation: &str,
            record: &Record,
            mark: Mark,
            note: Option<&str>,
        ) -> AppResult<Record> {
            match record {
                $(Record::$variant(before) => {
                    let mut row: entity::$module::ActiveModel = before.clone().into();
                    row.voided_at = Set(mark.at);
                    row.voided_by = Set(mark.by);
                    row.void_reason = Set(mark.reason);
                    let after = row.update(txn).await?;
                    entry(txn, actor, operation, stringify!($module), before.id, before, &after, note).await?;
                    Ok(Record::$variant(after))
                })*
            }
        }
    };
}

voidable! {
    /// An activity (履职活动).
    Activity => activity, "activity";
    /// A training session.
    TrainingSession => training_session, "training session";
    /// A proposal (提案).
    Proposal => proposal, "proposal";
    /// A public-opinion report (社情民意信息).
    OpinionReport => opinion_report, "public-opinion report";
    /// Another duty item.
    DutyItem => duty_item, "duty item";
    /// A special-committee membership.
    CommitteeMembership => committee_membership, "committee membership";
    /// A studio assignment.
    StudioAssignment => studio_assignment, "studio assignment";
    /// A group membership.
    GroupMembership => group_membership, "group membership";
}

impl Record {
    /// Who organised it, for an activity or a training session (voided as they are recorded).
    fn organiser(&self) -> Option<Organiser> {
        match self {
            Self::Activity(a) => {
                Some(Organiser::from_columns(a.organiser_kind, a.committee_id, a.sector_id, a.studio_id, a.group_id))
            }
            Self::TrainingSession(t) => {
                Some(Organiser::from_columns(t.organiser_kind, t.committee_id, t.sector_id, t.studio_id, t.group_id))
            }
            _ => None,
        }
    }
}

/// The audit entry of a void or restore: the row before and after, and the restore's reason.
#[expect(clippy::too_many_arguments, reason = "the audit entry's parts, each named")]
async fn entry<T: Serialize>(
    txn: &impl ConnectionTrait,
    actor: &Actor,
    operation: &str,
    table: &str,
    id: i64,
    before: &T,
    after: &T,
    note: Option<&str>,
) -> AppResult<()> {
    let json = |value: &T| serde_json::to_value(value).map_err(|e| AppError::Internal(e.to_string()));
    let (before, mut after) = (json(before)?, json(after)?);
    if let (Some(note), serde_json::Value::Object(fields)) = (note, &mut after) {
        fields.insert("restore_reason".to_owned(), serde_json::Value::String(note.to_owned()));
    }
    audit::changed(txn, actor, operation, table, id, &before, &after).await
}

/// Looks up row `id` of `kind` for a correction: NOT_FOUND naming `id` when it does not exist.
async fn existing(db: &impl ConnectionTrait, kind: RecordKind, id: i64) -> AppResult<Record> {
    find(db, kind, id).await?.ok_or_else(|| AppError::not_found(kind.noun(), id))
}

/// Voids record `id` of `kind` with `reason` (作废): it stays stored and in the audit log but
/// counts nowhere. The office voids any kind; an organiser the activities and training
/// sessions it organises. BAD_USER_INPUT on `reason` (blank, too long, control characters) and
/// on `id` when the record is already voided.
pub async fn void(
    db: &impl TransactionTrait<Transaction = DatabaseTransaction>,
    actor: &Actor,
    kind: RecordKind,
    id: i64,
    reason: &str,
) -> AppResult<Record> {
    policy::void_records(actor)?;
    let reason = validate::required("reason", reason, MAX_REASON_CHARS)?;
    db::atomically(db, async |txn| {
        let record = existing(txn, kind, id).await?;
        policy::void_record(actor, record.organiser())?;
        if record.voided_at().is_some() {
            return Err(AppError::bad_field("id", format!("{} {id} is already voided", kind.noun())));
        }
        let mark = Mark { at: Some(Utc::now()), by: actor.session().map(|s| s.account_id), reason: Some(reason) };
        write(txn, actor, "voidRecord", &record, mark, None).await
    })
    .await
}

/// Restores voided record `id` of `kind` (ADMIN only): it counts again. `reason`, when given,
/// goes into the audit entry. BAD_USER_INPUT on `id` when the record is not voided.
pub async fn restore(
    db: &impl TransactionTrait<Transaction = DatabaseTransaction>,
    actor: &Actor,
    kind: RecordKind,
    id: i64,
    reason: Option<&str>,
) -> AppResult<Record> {
    policy::restore_records(actor)?;
    let reason = validate::optional("reason", reason, MAX_REASON_CHARS)?;
    db::atomically(db, async |txn| {
        let record = existing(txn, kind, id).await?;
        if record.voided_at().is_none() {
            return Err(AppError::bad_field("id", format!("{} {id} is not voided", kind.noun())));
        }
        let mark = Mark { at: None, by: None, reason: None };
        write(txn, actor, "restoreRecord", &record, mark, reason.as_deref()).await
    })
    .await
}
