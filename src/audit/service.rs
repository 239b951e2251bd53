//! Writing and reading the audit log.

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
};
use serde::Serialize;

use crate::{
    auth::{Actor, policy},
    error::{AppError, AppResult},
    pagination::{Counter, counter},
    pagination::{Ordering, Page, PageArgs, SortKey, paginate},
};
use entity::audit_entry;

fn json<T: Serialize>(value: &T) -> AppResult<serde_json::Value> {
    serde_json::to_value(value).map_err(|e| AppError::Internal(format!("audit serialisation failed: {e}")))
}

async fn write(
    db: &impl ConnectionTrait,
    actor: &Actor,
    operation: &str,
    entity: &str,
    entity_id: Option<i64>,
    before: Option<serde_json::Value>,
    after: Option<serde_json::Value>,
) -> AppResult<()> {
    let (account_id, name) = match actor {
        Actor::Account(s) => (Some(s.account_id), s.username.clone()),
        Actor::System => (None, "system".to_owned()),
        Actor::Anonymous => (None, "anonymous".to_owned()),
    };
    audit_entry::ActiveModel {
        at: Set(Utc::now()),
        account_id: Set(account_id),
        actor: Set(name),
        operation: Set(operation.to_owned()),
        entity: Set(entity.to_owned()),
        entity_id: Set(entity_id),
        before: Set(before),
        after: Set(after),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(())
}

/// Records that `operation` created record `id` of `entity`, as `after`.
pub async fn created<T: Serialize>(
    db: &impl ConnectionTrait,
    actor: &Actor,
    operation: &str,
    entity: &str,
    id: i64,
    after: &T,
) -> AppResult<()> {
    write(db, actor, operation, entity, Some(id), None, Some(json(after)?)).await
}

/// Records that `operation` created each record `(id, after)` of `entity`, one entry each, in
/// as few statements as the rows allow (a batch such as `createMemberAccounts`).
pub async fn created_many<T: Serialize>(
    db: &impl ConnectionTrait,
    actor: &Actor,
    operation: &str,
    entity: &str,
    rows: &[(i64, T)],
) -> AppResult<()> {
    /// Entries per statement (8 columns each, well under both databases' limits).
    const CHUNK: usize = 500;
    let (account_id, name) = match actor {
        Actor::Account(s) => (Some(s.account_id), s.username.clone()),
        Actor::System => (None, "system".to_owned()),
        Actor::Anonymous => (None, "anonymous".to_owned()),
    };
    let at = Utc::now();
    for chunk in rows.chunks(CHUNK) {
        let mut entries = Vec::with_capacity(chunk.len());
        for (id, after) in chunk {
            entries.push(audit_entry::ActiveModel {
                at: Set(at),
                account_id: Set(account_id),
                actor: Set(name.clone()),
                operation: Set(operation.to_owned()),
                entity: Set(entity.to_owned()),
                entity_id: Set(Some(*id)),
                before: Set(None),
                after: Set(Some(json(after)?)),
                ..Default::default()
            });
        }
        audit_entry::Entity::insert_many(entries).exec_without_returning(db).await?;
    }
    Ok(())
}

/// Records that `operation` changed record `id` of `entity` from `before` to `after`.
pub async fn changed<T: Serialize>(
    db: &impl ConnectionTrait,
    actor: &Actor,
    operation: &str,
    entity: &str,
    id: i64,
    before: &T,
    after: &T,
) -> AppResult<()> {
    write(db, actor, operation, entity, Some(id), Some(json(before)?), Some(json(after)?)).await
}

/// Records that `operation` removed record `id` of `entity`, which was `before` (a discarded
/// draft run, a deleted rule set).
pub async fn removed<T: Serialize>(
    db: &impl ConnectionTrait,
    actor: &Actor,
    operation: &str,
    entity: &str,
    id: i64,
    before: &T,
) -> AppResult<()> {
    write(db, actor, operation, entity, Some(id), Some(json(before)?), None).await
}

/// Records an `operation` on `entity` that left no record to point at (a refused sign-in),
/// with what was attempted as `after`.
pub async fn attempted<T: Serialize>(
    db: &impl ConnectionTrait,
    actor: &Actor,
    operation: &str,
    entity: &str,
    after: &T,
) -> AppResult<()> {
    write(db, actor, operation, entity, None, None, Some(json(after)?)).await
}

/// Which entries to list.
#[derive(Clone, Debug, Default)]
pub struct AuditFilter {
    /// Made by this account.
    pub account_id: Option<i64>,
    /// On this kind of record.
    pub entity: Option<String>,
    /// On this record (with `entity`).
    pub entity_id: Option<i64>,
    /// By this operation.
    pub operation: Option<String>,
    /// At or after this instant.
    pub since: Option<DateTime<Utc>>,
    /// Before this instant.
    pub until: Option<DateTime<Utc>>,
}

/// A page of entries, newest first (ADMIN and OFFICE).
pub async fn list(
    db: &DatabaseConnection,
    actor: &Actor,
    filter: AuditFilter,
    page: &PageArgs,
) -> AppResult<(Page<audit_entry::Model>, Counter)> {
    policy::read_audit_log(actor)?;
    let mut select = audit_entry::Entity::find();
    if let Some(id) = filter.account_id {
        select = select.filter(audit_entry::Column::AccountId.eq(id));
    }
    if let Some(entity) = filter.entity {
        select = select.filter(audit_entry::Column::Entity.eq(entity));
    }
    if let Some(id) = filter.entity_id {
        select = select.filter(audit_entry::Column::EntityId.eq(id));
    }
    if let Some(op) = filter.operation {
        select = select.filter(audit_entry::Column::Operation.eq(op));
    }
    if let Some(since) = filter.since {
        select = select.filter(audit_entry::Column::At.gte(since));
    }
    if let Some(until) = filter.until {
        select = select.filter(audit_entry::Column::At.lt(until));
    }
    let ordering = Ordering::new("AUDIT:ID:DESC", vec![SortKey { column: audit_entry::Column::Id, descending: true }]);
    let page = paginate(db, select.clone(), &ordering, page).await?;
    Ok((page, counter(db, select)))
}
