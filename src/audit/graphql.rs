//! The audit log in the API.

use async_graphql::{Context, ID, InputObject, Json, Object, Result};
use chrono::{DateTime, Utc};

use super::service::{self, AuditFilter};
use crate::{
    context::ContextExt,
    error::{AppError, AppResult, Under},
    pagination::PageArgs,
    relay::{CountedConnection, Kind, TotalCount, connection, decode_opt},
};
use entity::audit_entry;

/// One change: who, when, which operation and record, the values before and after.
pub struct AuditEntry(pub audit_entry::Model);

#[Object]
impl AuditEntry {
    /// When the change was made.
    async fn at(&self) -> DateTime<Utc> {
        self.0.at
    }
    /// The username of the account that made it ("system" for the command line).
    async fn actor(&self) -> &str {
        &self.0.actor
    }
    /// The operation, e.g. "updateMember".
    async fn operation(&self) -> &str {
        &self.0.operation
    }
    /// The kind of record, e.g. "member".
    async fn entity(&self) -> &str {
        &self.0.entity
    }
    /// The record's row number (its global ID is made from the entity and this number).
    async fn entity_id(&self) -> Option<i64> {
        self.0.entity_id
    }
    /// The record before the change; null for a creation.
    async fn before(&self) -> Option<Json<serde_json::Value>> {
        self.0.before.clone().map(Json)
    }
    /// The record after the change.
    async fn after(&self) -> Option<Json<serde_json::Value>> {
        self.0.after.clone().map(Json)
    }
}

/// Which audit entries to list.
#[derive(InputObject, Default)]
pub struct AuditFilterInput {
    /// Changes made by this account.
    pub account_id: Option<ID>,
    /// Changes to this kind of record, e.g. "member".
    pub entity: Option<String>,
    /// Changes to this record (a row number, with `entity`).
    pub entity_id: Option<i64>,
    /// Changes by this operation, e.g. "updateMember".
    pub operation: Option<String>,
    /// At or after this instant.
    pub since: Option<DateTime<Utc>>,
    /// Before this instant.
    pub until: Option<DateTime<Utc>>,
}

impl TryFrom<AuditFilterInput> for AuditFilter {
    type Error = AppError;
    fn try_from(f: AuditFilterInput) -> AppResult<Self> {
        Ok(Self {
            account_id: decode_opt(Kind::Account, f.account_id.as_ref(), "accountId")?,
            entity: f.entity,
            entity_id: f.entity_id,
            operation: f.operation,
            since: f.since,
            until: f.until,
        })
    }
}

/// The audit log query.
#[derive(Default)]
pub struct AuditQuery;

#[Object]
impl AuditQuery {
    /// Every change, newest first (ADMIN and OFFICE).
    #[graphql(complexity = "crate::relay::page_cost(first, last, child_complexity)")]
    async fn audit_log(
        &self,
        ctx: &Context<'_>,
        filter: Option<AuditFilterInput>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> Result<CountedConnection<AuditEntry>> {
        let filter = AuditFilter::try_from(filter.unwrap_or_default()).under("filter")?;
        let (page, count) =
            service::list(ctx.db()?, ctx.actor()?, filter, &PageArgs { first, after, last, before }).await?;
        Ok(connection(page, TotalCount::new(count), AuditEntry))
    }
}
