//! Prometheus metrics at `GET /metrics`: GraphQL requests and their latency per operation,
//! errors by code, and the database pool.

use std::{
    collections::HashSet,
    sync::{Arc, Mutex},
};

use prometheus_client::{
    encoding::{EncodeLabelSet, text::encode},
    metrics::{counter::Counter, family::Family, gauge::Gauge, histogram::Histogram},
    registry::Registry,
};
use sea_orm::DatabaseConnection;

/// Distinct operation names tracked before further names are counted as "other", so a client
/// cannot grow the metrics without bound.
const MAX_OPERATIONS: usize = 200;

/// Labels of a request metric.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RequestLabels {
    operation: String,
    status: u16,
}

/// Labels of a latency metric.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct OperationLabels {
    operation: String,
}

/// Labels of an error metric.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct ErrorLabels {
    code: String,
}

/// Labels of a pool gauge.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct PoolLabels {
    state: &'static str,
}

/// The server's metrics; cheap to clone.
#[derive(Clone)]
pub struct Metrics {
    registry: Arc<Registry>,
    requests: Family<RequestLabels, Counter>,
    latency: Family<OperationLabels, Histogram>,
    errors: Family<ErrorLabels, Counter>,
    pool: Family<PoolLabels, Gauge>,
    statements: Counter,
    operations: Arc<Mutex<HashSet<String>>>,
}

impl Default for Metrics {
    fn default() -> Self {
        let requests = Family::<RequestLabels, Counter>::default();
        let latency = Family::<OperationLabels, Histogram>::new_with_constructor(|| {
            Histogram::new([0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0])
        });
        let errors = Family::<ErrorLabels, Counter>::default();
        let pool = Family::<PoolLabels, Gauge>::default();
        let statements = Counter::default();
        let mut registry = Registry::with_prefix("lvzhi");
        registry.register("graphql_requests", "GraphQL requests by operation and HTTP status", requests.clone());
        registry.register("graphql_request_duration_seconds", "GraphQL request latency by operation", latency.clone());
        registry.register("graphql_errors", "GraphQL errors by extensions.code", errors.clone());
        registry.register("db_pool_connections", "Database pool connections by state", pool.clone());
        registry.register("db_statements", "SQL statements run", statements.clone());
        Self { registry: Arc::new(registry), requests, latency, errors, pool, statements, operations: Arc::default() }
    }
}

impl Metrics {
    /// The label for a client-given operation name: letters, digits and '_' only, at most 64
    /// characters, "anonymous" when absent, "other" past [`MAX_OPERATIONS`] distinct names.
    fn operation_label(&self, operation: &str) -> String {
        let clean: String = operation.chars().filter(|c| c.is_ascii_alphanumeric() || *c == '_').take(64).collect();
        if clean.is_empty() {
            return "anonymous".to_owned();
        }
        let mut known = self.operations.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if known.contains(&clean) || known.len() < MAX_OPERATIONS {
            known.insert(clean.clone());
            clean
        } else {
            "other".to_owned()
        }
    }

    /// Counts one finished GraphQL request.
    pub fn request(&self, operation: &str, status: u16, seconds: f64, error_codes: impl IntoIterator<Item = String>) {
        let operation = self.operation_label(operation);
        self.requests.get_or_create(&RequestLabels { operation: operation.clone(), status }).inc();
        self.latency.get_or_create(&OperationLabels { operation }).observe(seconds);
        for code in error_codes {
            self.errors.get_or_create(&ErrorLabels { code }).inc();
        }
    }

    /// Counts the SQL statements run through `db` (and its clones made afterwards).
    pub fn count_statements(&self, db: &mut DatabaseConnection) {
        let statements = self.statements.clone();
        db.set_metric_callback(move |_| {
            statements.inc();
        });
    }

    /// The metrics in Prometheus text format, with the pool read now.
    pub fn render(&self, db: &DatabaseConnection) -> String {
        let (size, idle) = pool_size(db);
        self.pool.get_or_create(&PoolLabels { state: "idle" }).set(idle);
        self.pool.get_or_create(&PoolLabels { state: "in_use" }).set(size - idle);
        let mut out = String::new();
        if encode(&mut out, &self.registry).is_err() {
            out.clear();
        }
        out
    }
}

fn pool_size(db: &DatabaseConnection) -> (i64, i64) {
    let count = |size: u32, idle: usize| (i64::from(size), i64::try_from(idle).unwrap_or(i64::MAX));
    match db.get_database_backend() {
        sea_orm::DatabaseBackend::Postgres => {
            let pool = db.get_postgres_connection_pool();
            count(pool.size(), pool.num_idle())
        }
        sea_orm::DatabaseBackend::Sqlite => {
            let pool = db.get_sqlite_connection_pool();
            count(pool.size(), pool.num_idle())
        }
        _ => (0, 0),
    }
}

#[cfg(test)]
mod tests {
    use sea_orm::{ConnectionTrait, Database, Statement};

    use super::*;

    #[tokio::test]
    async fn statements_run_through_the_pool_are_counted() {
        let metrics = Metrics::default();
        let mut db = Database::connect("sqlite::memory:").await.unwrap();
        metrics.count_statements(&mut db);
        let before = metrics.render(&db);
        assert!(before.contains("lvzhi_db_statements_total 0"), "{before}");
        let select = |n: i32| Statement::from_string(db.get_database_backend(), format!("SELECT {n}"));
        db.query_all_raw(select(1)).await.unwrap();
        let clone = db.clone();
        clone.query_all_raw(select(2)).await.unwrap();
        let after = metrics.render(&db);
        assert!(after.contains("lvzhi_db_statements_total 2"), "{after}");
    }
}
