//! Sending load and timing it: GraphQL over HTTP from client threads, and the floors' SQL
//! through sqlx (via SeaORM).

use std::{
    sync::Arc,
    time::{Duration, Instant},
};

use sea_orm::{DatabaseConnection, DbBackend, FromQueryResult, JsonValue, Statement, Value};
use serde_json::json;

pub type Res<T> = Result<T, String>;
/// One request of a load: given a client and the request's number.
pub type Request = Arc<dyn Fn(&ureq::Agent, usize) -> Res<()> + Send + Sync>;

/// One GraphQL request; fails on transport errors and on GraphQL errors. An empty `token`
/// sends no `Authorization` header (the peer has no accounts).
pub fn graphql(
    agent: &ureq::Agent,
    base: &str,
    token: &str,
    query: &str,
    variables: &serde_json::Value,
) -> Res<serde_json::Value> {
    let mut request = agent.post(format!("{base}/graphql"));
    if !token.is_empty() {
        request = request.header("Authorization", &format!("Bearer {token}"));
    }
    let mut response =
        request.send_json(json!({ "query": query, "variables": variables })).map_err(|e| e.to_string())?;
    let body: serde_json::Value = response.body_mut().read_json().map_err(|e| e.to_string())?;
    if let Some(errors) = body.get("errors") {
        return Err(format!("GraphQL errors: {errors}"));
    }
    Ok(body["data"].clone())
}

#[derive(Clone, Debug, Default)]
pub struct Stats {
    pub p50_ms: f64,
    pub p99_ms: f64,
    pub per_second: f64,
}

pub fn stats(mut latencies: Vec<Duration>, wall: Duration) -> Stats {
    latencies.sort();
    let at = |q: f64| {
        let i = ((latencies.len() as f64 - 1.0) * q).round() as usize;
        latencies.get(i).map_or(0.0, |d| d.as_secs_f64() * 1000.0)
    };
    Stats { p50_ms: at(0.50), p99_ms: at(0.99), per_second: latencies.len() as f64 / wall.as_secs_f64() }
}

/// The median of each figure over rounds (taken figure by figure).
pub fn median(rounds: &[Stats]) -> Stats {
    let of = |f: fn(&Stats) -> f64| {
        let mut v: Vec<f64> = rounds.iter().map(f).collect();
        v.sort_by(f64::total_cmp);
        match v.len() {
            0 => 0.0,
            n if n % 2 == 1 => v[n / 2],
            n => (v[n / 2 - 1] + v[n / 2]) / 2.0,
        }
    };
    Stats { p50_ms: of(|s| s.p50_ms), p99_ms: of(|s| s.p99_ms), per_second: of(|s| s.per_second) }
}

/// Runs `request(i)` `total` times from `concurrency` threads; latencies of each.
pub fn load(concurrency: usize, total: usize, request: Request) -> Res<Stats> {
    let next = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let started = Instant::now();
    let threads: Vec<_> = (0..concurrency)
        .map(|_| {
            let (next, request) = (next.clone(), request.clone());
            std::thread::spawn(move || -> Res<Vec<Duration>> {
                let agent: ureq::Agent = ureq::Agent::config_builder().build().into();
                let mut out = Vec::new();
                loop {
                    let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    if i >= total {
                        return Ok(out);
                    }
                    let t = Instant::now();
                    request(&agent, i)?;
                    out.push(t.elapsed());
                }
            })
        })
        .collect();
    let mut latencies = Vec::with_capacity(total);
    for t in threads {
        latencies.extend(t.join().map_err(|_| "a load thread panicked".to_owned())??);
    }
    Ok(stats(latencies, started.elapsed()))
}

/// The floor: `run` `total` times from `concurrency` tasks on one pool.
pub async fn floor_load(
    db: &DatabaseConnection,
    concurrency: usize,
    total: usize,
    run: impl Fn(DatabaseConnection) -> futures_util::future::BoxFuture<'static, Res<()>>,
) -> Res<Stats> {
    use futures_util::StreamExt;
    let started = Instant::now();
    let latencies: Vec<Res<Duration>> = futures_util::stream::iter(0..total)
        .map(|_| {
            let fut = run(db.clone());
            async move {
                let t = Instant::now();
                fut.await?;
                Ok(t.elapsed())
            }
        })
        .buffer_unordered(concurrency)
        .collect()
        .await;
    let latencies = latencies.into_iter().collect::<Res<Vec<_>>>()?;
    Ok(stats(latencies, started.elapsed()))
}

/// SQL written with `?` placeholders, numbered (`$1`, `$2` …) for PostgreSQL.
pub fn statement(backend: DbBackend, sql: &str, values: Vec<Value>) -> Statement {
    if backend != DbBackend::Postgres {
        return Statement::from_sql_and_values(backend, sql, values);
    }
    let mut out = String::with_capacity(sql.len() + 16);
    let mut n = 0;
    for ch in sql.chars() {
        if ch == '?' {
            n += 1;
            out.push('$');
            out.push_str(&n.to_string());
        } else {
            out.push(ch);
        }
    }
    Statement::from_sql_and_values(backend, out, values)
}

/// Hand-written SQL with `?` placeholders, decoded into JSON rows as the API would.
///
/// Every statement goes through sqlx's extended protocol as a named prepared statement, cached
/// per connection (SeaORM hands sqlx the values even when there are none): after a
/// connection's first run of a statement, each run is a Bind and an Execute, as with
/// `pgbench -M prepared`. [`prepared_on`] checks it.
pub async fn rows(db: &DatabaseConnection, sql: &str, values: Vec<Value>) -> Res<Vec<JsonValue>> {
    let stmt = statement(db.get_database_backend(), sql, values);
    JsonValue::find_by_statement(stmt).all(db).await.map_err(|e| e.to_string())
}

/// PostgreSQL: whether `sql` is among the prepared statements of the connections of `db`'s
/// pool (asked `tries` times: the pool hands its idle connections out in turn).
pub async fn prepared_on(db: &DatabaseConnection, sql: &str, tries: usize) -> Res<bool> {
    let text = statement(DbBackend::Postgres, sql, vec![]).sql;
    for _ in 0..tries.max(1) {
        let found =
            rows(db, "SELECT COUNT(*) AS n FROM pg_prepared_statements WHERE statement = ?", vec![text.clone().into()])
                .await?;
        if found.first().and_then(|r| r["n"].as_i64()).unwrap_or(0) > 0 {
            return Ok(true);
        }
    }
    Ok(false)
}
