//! Connecting to the database (SQLite or PostgreSQL) and bringing its schema up to date.

use migration::{Migrator, MigratorTrait};
use sea_orm::{ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DbErr, EntityTrait};

use crate::{
    config::DatabaseConfig,
    error::{AppError, AppResult},
};

/// Opens a pool on the configured database. An SQLite file is created if missing; on
/// PostgreSQL the configured schema is created if missing and used for every connection.
pub async fn connect(config: &DatabaseConfig) -> Result<DatabaseConnection, DbErr> {
    let mut options = ConnectOptions::new(config.url.clone());
    if let Some(schema) = &config.schema {
        let valid = schema.chars().next().is_some_and(|c| c.is_ascii_lowercase() || c == '_')
            && schema.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
        if !valid || !config.url.starts_with("postgres") {
            return Err(DbErr::Custom(format!(
                "schema {schema:?}: a schema is a PostgreSQL name of lower-case letters, digits and '_'"
            )));
        }
        let admin = Database::connect(config.url.as_str()).await?;
        admin.execute_unprepared(&format!("CREATE SCHEMA IF NOT EXISTS {schema}")).await?;
        admin.close().await?;
        options.set_schema_search_path(schema.clone());
    }
    options.max_connections(config.max_connections).sqlx_logging(false);
    if config.url.starts_with("postgres") && config.statement_timeout > 0 {
        let timeout = format!("{}s", config.statement_timeout);
        options.map_sqlx_postgres_opts(move |opts| opts.options([("statement_timeout", timeout.as_str())]));
    }
    if config.url.starts_with("sqlite:") {
        if config.url.contains(":memory:") {
            // Every connection to an in-memory SQLite database is a database of its own.
            options.max_connections(1).min_connections(1);
        }
        // Readers must not wait for writers, and a writer waits briefly for another.
        options.map_sqlx_sqlite_opts(|opts| {
            opts.foreign_keys(true)
                .journal_mode(sea_orm::sqlx::sqlite::SqliteJournalMode::Wal)
                .busy_timeout(std::time::Duration::from_secs(10))
        });
    }
    Database::connect(options).await
}

/// How many connections one piece of work may read on at once through a database handle.
pub trait Readers {
    /// At least one.
    fn readers(&self) -> usize;
}

/// Work that reads in parallel takes at most this many of a pool's connections, leaving the
/// rest to other requests.
pub const MAX_READERS: usize = 2;

impl Readers for DatabaseConnection {
    /// Up to [`MAX_READERS`] of the pool's connections (one when the pool has one).
    fn readers(&self) -> usize {
        pool_size(self).clamp(1, MAX_READERS)
    }
}

/// The most connections `db`'s pool opens (one for anything but a pool).
pub fn pool_size(db: &DatabaseConnection) -> usize {
    use sea_orm::DatabaseConnectionType as Pool;
    let size = match &db.inner {
        Pool::SqlxPostgresPoolConnection(_) => db.get_postgres_connection_pool().options().get_max_connections(),
        Pool::SqlxSqlitePoolConnection(_) => db.get_sqlite_connection_pool().options().get_max_connections(),
        _ => 1,
    };
    usize::try_from(size).unwrap_or(1)
}

impl Readers for sea_orm::DatabaseTransaction {
    /// One: a transaction is one connection.
    fn readers(&self) -> usize {
        1
    }
}

/// Applies every pending migration.
pub async fn migrate(db: &DatabaseConnection) -> Result<(), DbErr> {
    Migrator::up(db, None).await
}

/// Ends a transaction by the outcome of the work done in it: commits on success, rolls back
/// on failure. (Dropping a transaction unfinished would leave its connection idle in the
/// transaction, holding locks, until the pool reuses it.)
pub async fn finish<T>(
    txn: sea_orm::DatabaseTransaction,
    outcome: crate::error::AppResult<T>,
) -> crate::error::AppResult<T> {
    match outcome {
        Ok(value) => {
            txn.commit().await?;
            Ok(value)
        }
        Err(err) => {
            txn.rollback().await?;
            Err(err)
        }
    }
}

/// Begins a transaction that will write. On SQLite it takes the write lock at once
/// (`BEGIN IMMEDIATE`), so concurrent writers wait for each other (up to the busy timeout)
/// instead of failing with "database is locked" when a read-first transaction tries to
/// upgrade; PostgreSQL begins as usual.
pub async fn begin<C>(db: &C) -> Result<sea_orm::DatabaseTransaction, DbErr>
where
    C: sea_orm::TransactionTrait<Transaction = sea_orm::DatabaseTransaction>,
{
    db.begin_with_options(sea_orm::TransactionOptions {
        isolation_level: None,
        access_mode: None,
        sqlite_transaction_mode: Some(sea_orm::SqliteTransactionMode::Immediate),
    })
    .await
}

/// Runs `work` in a transaction that commits when it succeeds and rolls back when it fails.
pub async fn atomically<C, T>(
    db: &C,
    work: impl AsyncFnOnce(&sea_orm::DatabaseTransaction) -> crate::error::AppResult<T>,
) -> crate::error::AppResult<T>
where
    C: sea_orm::TransactionTrait<Transaction = sea_orm::DatabaseTransaction>,
{
    let txn = begin(db).await?;
    let outcome = work(&txn).await;
    finish(txn, outcome).await
}

/// Fails with BAD_USER_INPUT naming `field` unless row `id` of `E` exists.
pub async fn exists<E>(db: &impl ConnectionTrait, id: i64, field: &str, noun: &str) -> AppResult<()>
where
    E: EntityTrait,
    <E::PrimaryKey as sea_orm::PrimaryKeyTrait>::ValueType: From<i64>,
{
    match E::find_by_id(id).one(db).await? {
        Some(_) => Ok(()),
        None => Err(AppError::bad_field(field, format!("{noun} {id} does not exist"))),
    }
}
