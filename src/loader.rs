//! Generic DataLoaders: rows by primary key and rows by a foreign key, one query per batch.
//! [`Loaders`] is a request's registry: each domain declares its own [`LoaderSet`] beside its
//! resolvers, and the registry makes it on first use, fresh for each request.

use std::{
    any::{Any, TypeId},
    collections::HashMap,
    hash::Hash,
    marker::PhantomData,
    sync::{Arc, Mutex},
};

use async_graphql::dataloader::{DataLoader, HashMapCache, Loader};
use sea_orm::{
    ColumnTrait, DatabaseConnection, EntityTrait, Iterable, JoinType, ModelTrait, PrimaryKeyToColumn, QueryFilter,
    QueryOrder, QuerySelect, Value,
};

use crate::error::AppError;

/// An integer key's value (a BIGINT or INTEGER column).
pub(crate) fn as_i64(value: Value) -> Option<i64> {
    match value {
        Value::BigInt(v) => v,
        Value::Int(v) => v.map(i64::from),
        _ => None,
    }
}

/// `E`'s primary-key column (the first, for a composite key).
pub(crate) fn primary_column<E: EntityTrait>() -> Result<E::Column, Arc<AppError>> {
    E::PrimaryKey::iter()
        .next()
        .map(|pk| pk.into_column())
        .ok_or_else(|| Arc::new(AppError::Internal("entity without a primary key".into())))
}

/// Adds every column of `R` to `stmt`'s selection as `prefix` + its name (enum columns cast
/// as sea-orm casts them), for `R::Model::from_query_result(row, prefix)`: a to-one relation
/// fetched in its parent's statement.
pub(crate) fn select_prefixed<R: EntityTrait>(stmt: &mut sea_orm::sea_query::SelectStatement, prefix: &str) {
    for column in R::Column::iter() {
        stmt.expr_as(
            column.select_as(sea_orm::sea_query::Expr::col((R::default(), column))),
            sea_orm::sea_query::Alias::new(format!("{prefix}{}", sea_orm::IdenStatic::as_str(&column))),
        );
    }
}

/// Loads rows of `E` by primary key.
pub struct ById<E> {
    db: DatabaseConnection,
    entity: PhantomData<E>,
}

impl<E> Loader<i64> for ById<E>
where
    E: EntityTrait,
    E::Model: Clone + Send + Sync + 'static,
{
    type Value = E::Model;
    type Error = Arc<AppError>;

    async fn load(&self, keys: &[i64]) -> Result<HashMap<i64, E::Model>, Self::Error> {
        let pk = primary_column::<E>()?;
        let rows =
            E::find().filter(pk.is_in(keys.iter().copied())).all(&self.db).await.map_err(|e| Arc::new(e.into()))?;
        Ok(rows.into_iter().filter_map(|m| as_i64(m.get(pk)).map(|id| (id, m))).collect())
    }
}

/// Loads the rows of `E` whose `column` equals each key, in primary-key order.
pub struct ByColumn<E: EntityTrait> {
    db: DatabaseConnection,
    column: E::Column,
    /// The `voided_at` column of a voidable table: its voided rows are left out.
    voided_at: Option<E::Column>,
}

impl<E: EntityTrait> ByColumn<E> {
    /// `E`'s rows whose column is one of `keys`, without the voided ones.
    fn select(&self, keys: &[i64]) -> sea_orm::Select<E> {
        let select = E::find().filter(self.column.is_in(keys.iter().copied()));
        match self.voided_at {
            Some(voided_at) => select.filter(voided_at.is_null()),
            None => select,
        }
    }
}

impl<E> Loader<i64> for ByColumn<E>
where
    E: EntityTrait,
    E::Model: Clone + Send + Sync + 'static,
    E::Column: Send + Sync,
{
    type Value = Vec<E::Model>;
    type Error = Arc<AppError>;

    async fn load(&self, keys: &[i64]) -> Result<HashMap<i64, Vec<E::Model>>, Self::Error> {
        let pk = primary_column::<E>()?;
        let rows = self.select(keys).order_by_asc(pk).all(&self.db).await.map_err(|e| Arc::new(e.into()))?;
        let mut map: HashMap<i64, Vec<E::Model>> = HashMap::new();
        for row in rows {
            if let Some(key) = as_i64(row.get(self.column)) {
                map.entry(key).or_default().push(row);
            }
        }
        Ok(map)
    }
}

/// Loads in one statement the rows of `E` whose column (the one `rows` loads by) is one of
/// `keys`, each with the row of `R` its `via` column refers to (a LEFT JOIN), and primes both
/// loaders: `rows` with each key's rows (none for a key without), `related` with the rows
/// found. A to-one relation thus costs no statement of its own. Returns the rows of `R`
/// found, each once, for the next level.
pub async fn prime_with_related<E, R>(
    rows: &Cached<ByColumn<E>>,
    related: &Cached<ById<R>>,
    via: E::Column,
    keys: &[i64],
) -> Result<Vec<R::Model>, AppError>
where
    E: EntityTrait,
    E::Model: Clone + Send + Sync + 'static,
    E::Column: Send + Sync,
    R: EntityTrait,
    R::Model: Clone + Send + Sync + 'static,
{
    let source = rows.loader();
    let (pk, related_pk) =
        (primary_column::<E>().map_err(|e| (*e).clone())?, primary_column::<R>().map_err(|e| (*e).clone())?);
    let join = E::belongs_to(R::default()).from(via).to(related_pk).into();
    let found = source
        .select(keys)
        .select_also(R::default())
        .join(JoinType::LeftJoin, join)
        .order_by_asc(pk)
        .all(&source.db)
        .await?;
    let mut by_key: HashMap<i64, Vec<E::Model>> = keys.iter().map(|&k| (k, Vec::new())).collect();
    let mut targets: HashMap<i64, R::Model> = HashMap::new();
    for (row, target) in found {
        if let Some(target) = target
            && let Some(id) = as_i64(target.get(related_pk))
        {
            targets.entry(id).or_insert(target);
        }
        if let Some(key) = as_i64(row.get(source.column)) {
            by_key.entry(key).or_default().push(row);
        }
    }
    rows.feed_many(by_key).await;
    related.feed_many(targets.iter().map(|(&id, model)| (id, model.clone()))).await;
    Ok(targets.into_values().collect())
}

/// A request-scoped DataLoader with its cache.
pub type Cached<L> = DataLoader<L, HashMapCache>;

/// Wraps a loader in a request-scoped DataLoader.
pub fn cached<L: Send + Sync + 'static>(loader: L) -> Cached<L> {
    DataLoader::with_cache(loader, tokio::spawn, HashMapCache::default())
}

/// A domain's DataLoaders for one request, made by the registry on first use.
pub trait LoaderSet: Send + Sync + 'static {
    /// Fresh loaders over `db`.
    fn new(db: &DatabaseConnection) -> Self;
}

/// Rows of `E` by primary key, as a request-scoped DataLoader.
pub fn by_id<E: EntityTrait>(db: &DatabaseConnection) -> DataLoader<ById<E>, HashMapCache>
where
    E::Model: Clone + Send + Sync + 'static,
{
    DataLoader::with_cache(ById { db: db.clone(), entity: PhantomData }, tokio::spawn, HashMapCache::default())
}

/// Rows of `E` by the foreign key `column`, as a request-scoped DataLoader.
pub fn by_column<E: EntityTrait>(db: &DatabaseConnection, column: E::Column) -> DataLoader<ByColumn<E>, HashMapCache>
where
    E::Model: Clone + Send + Sync + 'static,
    E::Column: Send + Sync,
{
    DataLoader::with_cache(ByColumn { db: db.clone(), column, voided_at: None }, tokio::spawn, HashMapCache::default())
}

/// Rows of a voidable table `E` by the foreign key `column`, its voided rows (`voided_at` set)
/// left out: a voided record counts nowhere.
pub fn live_by_column<E: EntityTrait>(
    db: &DatabaseConnection,
    column: E::Column,
    voided_at: E::Column,
) -> DataLoader<ByColumn<E>, HashMapCache>
where
    E::Model: Clone + Send + Sync + 'static,
    E::Column: Send + Sync,
{
    let loader = ByColumn { db: db.clone(), column, voided_at: Some(voided_at) };
    DataLoader::with_cache(loader, tokio::spawn, HashMapCache::default())
}

/// The loaders of one request: a registry of the domains' [`LoaderSet`]s, each made on first
/// use. Their caches live as long as the request.
pub struct Loaders {
    db: DatabaseConnection,
    sets: Mutex<HashMap<TypeId, Arc<dyn Any + Send + Sync>>>,
}

impl Loaders {
    /// The request's loader set `S`, made on first use; every resolver of the request shares
    /// it, so its loads batch together.
    pub fn get<S: LoaderSet>(&self) -> Arc<S> {
        let mut sets = self.sets.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let set =
            sets.entry(TypeId::of::<S>()).or_insert_with(|| Arc::new(S::new(&self.db)) as Arc<dyn Any + Send + Sync>);
        match Arc::clone(set).downcast::<S>() {
            Ok(set) => set,
            // The map is keyed by the set's own type, so the entry is always an `S`.
            Err(_) => Arc::new(S::new(&self.db)),
        }
    }

    /// An empty registry for one request over `db`.
    pub fn new(db: &DatabaseConnection) -> Self {
        Self { db: db.clone(), sets: Mutex::default() }
    }
}

/// Loads one value through `loader`, turning a shared batch error back into an [`AppError`].
pub async fn one<K, L>(loader: &Cached<L>, key: K) -> Result<Option<L::Value>, AppError>
where
    K: Send + Sync + Hash + Eq + Clone + 'static,
    L: Loader<K, Error = Arc<AppError>>,
{
    loader.load_one(key).await.map_err(|e| (*e).clone())
}

/// Loads the values of many keys through `loader` in one batch, in key order, skipping missing
/// ones.
pub async fn many<K, L>(loader: &Cached<L>, keys: impl IntoIterator<Item = K>) -> Result<Vec<L::Value>, AppError>
where
    K: Send + Sync + Hash + Eq + Clone + 'static,
    L: Loader<K, Error = Arc<AppError>>,
{
    let keys: Vec<K> = keys.into_iter().collect();
    let found = loader.load_many(keys.iter().cloned()).await.map_err(|e| (*e).clone())?;
    Ok(keys.iter().filter_map(|k| found.get(k).cloned()).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Counted(usize);

    static MADE: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

    impl LoaderSet for Counted {
        fn new(_: &DatabaseConnection) -> Self {
            Self(MADE.fetch_add(1, std::sync::atomic::Ordering::SeqCst))
        }
    }

    #[test]
    fn a_request_makes_each_loader_set_once_and_shares_it() {
        let loaders = Loaders::new(&DatabaseConnection::default());
        let (first, again) = (loaders.get::<Counted>(), loaders.get::<Counted>());
        assert!(Arc::ptr_eq(&first, &again));
        assert_eq!(first.0, again.0);
        let other_request = Loaders::new(&DatabaseConnection::default());
        assert_ne!(other_request.get::<Counted>().0, first.0);
    }
}
