//! The first page of each member's signed records (proposals signed, reports written) for a
//! whole page of members, in one windowed query per argument set; and records reached through
//! another record, within the reader's scope.

use std::{collections::HashMap, sync::Arc};

use async_graphql::dataloader::Loader;
use futures_util::future::BoxFuture;
use sea_orm::DatabaseConnection;

use crate::{
    auth::policy::RecordScope,
    error::{AppError, AppResult},
    pagination::Page,
};

/// (member, year, page size, what the caller may read).
pub type RecordKey = (i64, Option<i32>, u64, RecordScope);

/// The first pages of many members' records, with each member's total.
pub type FirstPages<M> = HashMap<i64, (Page<M>, u64)>;

/// The query behind a [`MemberRecords`] loader.
pub type Fetch<M> = for<'a> fn(
    &'a DatabaseConnection,
    RecordScope,
    &'a [i64],
    Option<i32>,
    u64,
) -> BoxFuture<'a, AppResult<FirstPages<M>>>;

/// Loads the first page of one kind of record (`M`) of many members at once.
pub struct MemberRecords<M> {
    db: DatabaseConnection,
    fetch: Fetch<M>,
}

impl<M> MemberRecords<M> {
    /// A loader running `fetch` on `db`.
    pub fn new(db: DatabaseConnection, fetch: Fetch<M>) -> Self {
        Self { db, fetch }
    }
}

impl<M: Clone + Send + Sync + 'static> Loader<RecordKey> for MemberRecords<M> {
    type Value = (Page<M>, u64);
    type Error = Arc<AppError>;

    async fn load(&self, keys: &[RecordKey]) -> Result<HashMap<RecordKey, Self::Value>, Self::Error> {
        let mut groups: HashMap<(Option<i32>, u64, RecordScope), Vec<i64>> = HashMap::new();
        for &(member, year, limit, scope) in keys {
            groups.entry((year, limit, scope)).or_default().push(member);
        }
        let mut out = HashMap::new();
        for ((year, limit, scope), members) in groups {
            let mut found = (self.fetch)(&self.db, scope, &members, year, limit).await.map_err(Arc::new)?;
            for member in members {
                out.insert((member, year, limit, scope), found.remove(&member).unwrap_or_default());
            }
        }
        Ok(out)
    }
}

/// (record or key, what the caller may read).
pub type ScopedKey = (i64, RecordScope);

/// The query behind a [`ScopedRecords`] loader: the values of `keys` that the scope lets
/// through (a hidden one is absent).
pub type FetchScoped<V> =
    for<'a> fn(&'a DatabaseConnection, RecordScope, &'a [i64]) -> BoxFuture<'a, AppResult<HashMap<i64, V>>>;

/// Loads records reached through another record (a proposal's merged-into proposal, a report's
/// source proposal, a proposal's report) within what the reader may see: one query per scope
/// for the whole batch, and a record outside the scope reads as absent.
pub struct ScopedRecords<V> {
    db: DatabaseConnection,
    fetch: FetchScoped<V>,
}

impl<V> ScopedRecords<V> {
    /// A loader running `fetch` on `db`.
    pub fn new(db: DatabaseConnection, fetch: FetchScoped<V>) -> Self {
        Self { db, fetch }
    }
}

impl<V: Clone + Send + Sync + 'static> Loader<ScopedKey> for ScopedRecords<V> {
    type Value = V;
    type Error = Arc<AppError>;

    async fn load(&self, keys: &[ScopedKey]) -> Result<HashMap<ScopedKey, V>, Self::Error> {
        let mut groups: HashMap<RecordScope, Vec<i64>> = HashMap::new();
        for &(key, scope) in keys {
            groups.entry(scope).or_default().push(key);
        }
        let mut out = HashMap::new();
        for (scope, ids) in groups {
            let found = (self.fetch)(&self.db, scope, &ids).await.map_err(Arc::new)?;
            out.extend(found.into_iter().map(|(key, value)| ((key, scope), value)));
        }
        Ok(out)
    }
}
