//! `TestApp`: a fresh, migrated database per test (SQLite in memory by default, a new
//! PostgreSQL database with `LVZHI_TEST_DB=postgres`), the in-process server, an admin token,
//! and a counter of the SQL statements the server runs.

use std::sync::{
    Arc,
    atomic::{AtomicUsize, Ordering},
};

use actix_web::{App, test};
use lvzhi::{
    account::service as accounts,
    auth::{Actor, Role},
    config::DatabaseConfig,
    db,
    server::{AppState, routes},
};
use sea_orm::{ConnectionTrait, Database, DatabaseConnection};
use serde_json::{Value, json};

/// The PostgreSQL server tests create their databases on.
const DEFAULT_POSTGRES_URL: &str = "postgres://postgres@127.0.0.1:5432/test";
/// The password of every account the tests create.
pub const PASSWORD: &str = "correct horse battery";

/// Drops a test's PostgreSQL schema when the test ends, even when it fails.
struct PgSchema {
    url: String,
    name: String,
}

impl Drop for PgSchema {
    fn drop(&mut self) {
        let (url, name) = (self.url.clone(), self.name.clone());
        // Drop runs inside the test's runtime; do the async clean-up on a thread of its own.
        let _ = std::thread::spawn(move || {
            let Ok(rt) = tokio::runtime::Builder::new_current_thread().enable_all().build() else { return };
            rt.block_on(async {
                if let Ok(db) = Database::connect(&url).await {
                    let _ = db.execute_unprepared(&format!("DROP SCHEMA IF EXISTS {name} CASCADE")).await;
                    let _ = db.close().await;
                }
            });
        })
        .join();
    }
}

/// One test's server and database.
pub struct TestApp {
    /// The database, for arranging data directly through services.
    pub db: DatabaseConnection,
    /// A token of an ADMIN account.
    pub admin: String,
    /// The server's state, shared by every request of the test (as a running server's is).
    pub state: AppState,
    statements: Arc<AtomicUsize>,
    _pg: Option<PgSchema>,
}

/// The database of this test process: created fresh for the run; each test works in a schema
/// of its own inside it (a schema is made in a millisecond, a database in a third of a second).
static PG_RUN_DATABASE: tokio::sync::OnceCell<String> = tokio::sync::OnceCell::const_new();

fn with_database(url: &str, name: &str) -> String {
    let (base, _) = url.rsplit_once('/').expect("a database URL ends in /NAME");
    format!("{base}/{name}")
}

/// Creates this run's database, after dropping those left by test runs that have ended.
async fn pg_run_database(admin_url: &str) -> String {
    let admin = Database::connect(admin_url).await.expect("connect to the test PostgreSQL server");
    let leftovers = admin
        .query_all_raw(sea_orm::Statement::from_string(
            admin.get_database_backend(),
            "SELECT datname FROM pg_database WHERE datname LIKE 'lvzhi_test_%' OR datname LIKE 'lvzhi_template_%'",
        ))
        .await
        .expect("list leftover test databases");
    for row in leftovers {
        let old: String = row.try_get("", "datname").expect("a database name");
        let pid = old.rsplit('_').next().unwrap_or("");
        if !std::path::Path::new("/proc").join(pid).exists() {
            admin
                .execute_unprepared(&format!("DROP DATABASE IF EXISTS {old} WITH (FORCE)"))
                .await
                .expect("drop a leftover");
        }
    }
    let name = format!("lvzhi_test_{}", std::process::id());
    admin
        .execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        .await
        .expect("drop a stale run database");
    admin.execute_unprepared(&format!("CREATE DATABASE {name}")).await.expect("create the run's test database");
    // Test data need not survive a crash: commits need not wait for the disk.
    admin
        .execute_unprepared(&format!("ALTER DATABASE {name} SET synchronous_commit = off"))
        .await
        .expect("relax durability of the test database");
    admin.close().await.expect("close the admin connection");
    with_database(admin_url, &name)
}

/// A fresh database for one test: its configuration and, on PostgreSQL, the guard that drops
/// its schema.
async fn fresh_database() -> (DatabaseConfig, Option<PgSchema>) {
    match std::env::var("LVZHI_TEST_DB").as_deref() {
        Ok("postgres") => {
            let admin_url =
                std::env::var("LVZHI_TEST_POSTGRES_URL").unwrap_or_else(|_| DEFAULT_POSTGRES_URL.to_owned());
            let url = PG_RUN_DATABASE.get_or_init(|| pg_run_database(&admin_url)).await.clone();
            static SEQ: AtomicUsize = AtomicUsize::new(0);
            let name = format!("t{}", SEQ.fetch_add(1, Ordering::SeqCst));
            let config = DatabaseConfig {
                url: url.clone(),
                max_connections: 5,
                schema: Some(name.clone()),
                ..DatabaseConfig::default()
            };
            (config, Some(PgSchema { url, name }))
        }
        _ => (
            DatabaseConfig { url: "sqlite::memory:".to_owned(), max_connections: 1, ..DatabaseConfig::default() },
            None,
        ),
    }
}

impl TestApp {
    /// A fresh database, migrated, with an admin account.
    pub async fn new() -> Self {
        let (config, pg) = fresh_database().await;
        let mut db = db::connect(&config).await.expect("open the test database");
        db::migrate(&db).await.expect("migrate the test database");
        let statements = Arc::new(AtomicUsize::new(0));
        let counter = statements.clone();
        let trace = std::env::var_os("LVZHI_TEST_TRACE_SQL").is_some();
        db.set_metric_callback(move |info| {
            if trace {
                eprintln!("SQL {}", info.statement.sql);
            }
            counter.fetch_add(1, Ordering::SeqCst);
        });
        let state = AppState::new(db.clone());
        let mut app = Self { db, admin: String::new(), state, statements, _pg: pg };
        app.admin = app.account("admin", Role::Admin, Scope::None).await;
        app
    }

    /// Creates an account with `role` (and its scope) and returns a token for it.
    pub async fn account(&self, username: &str, role: Role, scope: Scope) -> String {
        let mut new = accounts::NewAccount {
            username: username.to_owned(),
            password: PASSWORD.to_owned(),
            role,
            member_id: None,
            committee_id: None,
            studio_id: None,
            handling_unit_id: None,
            sector_id: None,
            group_id: None,
        };
        match scope {
            Scope::None => {}
            Scope::Member(id) => new.member_id = Some(id),
            Scope::Committee(id) => new.committee_id = Some(id),
            Scope::Studio(id) => new.studio_id = Some(id),
            Scope::HandlingUnit(id) => new.handling_unit_id = Some(id),
            Scope::Sector(id) => new.sector_id = Some(id),
            Scope::Group(id) => new.group_id = Some(id),
        }
        accounts::create_account(&self.db, &Actor::System, new).await.expect("create a test account");
        accounts::login(&self.db, &Default::default(), username, PASSWORD, None)
            .await
            .expect("log the test account in")
            .token
    }

    /// Sends a GraphQL request as the holder of `token` (anonymous when `None`) and returns
    /// the whole JSON response.
    pub async fn post(&self, token: Option<&str>, query: &str, variables: Value) -> Value {
        let app = test::init_service(App::new().configure(routes(self.state.clone()))).await;
        let mut req =
            test::TestRequest::post().uri("/graphql").set_json(json!({ "query": query, "variables": variables }));
        if let Some(token) = token {
            req = req.insert_header(("Authorization", format!("Bearer {token}")));
        }
        test::call_and_read_body_json(&app, req.to_request()).await
    }

    /// Sends a GraphQL multipart request (operations, map, one file) as the holder of `token`:
    /// the file goes to `path` in the variables (e.g. `variables.input.file`, which
    /// `variables` should hold as null). Returns the whole JSON response.
    pub async fn upload(
        &self,
        token: Option<&str>,
        query: &str,
        variables: Value,
        path: &str,
        file_name: &str,
        bytes: &[u8],
    ) -> Value {
        let boundary = "lvzhi-test-7d1f0a";
        let operations = json!({ "query": query, "variables": variables });
        let map = json!({ "0": [path] });
        let mut body = Vec::new();
        let mut part = |headers: &str, content: &[u8]| {
            body.extend_from_slice(format!("--{boundary}\r\n{headers}\r\n\r\n").as_bytes());
            body.extend_from_slice(content);
            body.extend_from_slice(b"\r\n");
        };
        part("Content-Disposition: form-data; name=\"operations\"", operations.to_string().as_bytes());
        part("Content-Disposition: form-data; name=\"map\"", map.to_string().as_bytes());
        part(
            &format!(
                "Content-Disposition: form-data; name=\"0\"; filename=\"{file_name}\"\r\nContent-Type: application/octet-stream"
            ),
            bytes,
        );
        body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
        let mut req = test::TestRequest::post()
            .uri("/graphql")
            .insert_header(("content-type", format!("multipart/form-data; boundary={boundary}")))
            .set_payload(body);
        if let Some(token) = token {
            req = req.insert_header(("authorization", format!("Bearer {token}")));
        }
        let (status, _, text) = self.raw(req).await;
        assert_eq!(status, 200, "{text}");
        serde_json::from_str(&text).expect("a JSON response")
    }

    /// Sends any HTTP request to the server; returns status, content type and body text.
    pub async fn raw(&self, req: test::TestRequest) -> (u16, String, String) {
        let app = test::init_service(App::new().configure(routes(self.state.clone()))).await;
        let response = test::call_service(&app, req.to_request()).await;
        let status = response.status().as_u16();
        let media = response.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or("").to_owned();
        let body = test::read_body(response).await;
        (status, media, String::from_utf8_lossy(&body).into_owned())
    }

    /// Sends a GraphQL request as the admin.
    pub async fn admin(&self, query: &str, variables: Value) -> Value {
        self.post(Some(&self.admin.clone()), query, variables).await
    }

    /// Like [`TestApp::admin`], but fails the test when the response has errors, and returns
    /// `data`.
    pub async fn ok(&self, query: &str, variables: Value) -> Value {
        let response = self.admin(query, variables).await;
        assert!(response.get("errors").is_none(), "unexpected errors: {response:#}");
        response["data"].clone()
    }

    /// How many SQL statements the server has run so far.
    pub fn statements(&self) -> usize {
        self.statements.load(Ordering::SeqCst)
    }
}

/// The scope of a test account.
#[derive(Clone, Copy, Debug)]
pub enum Scope {
    /// No scope.
    None,
    /// A member's own account.
    Member(i64),
    /// A committee's staff.
    Committee(i64),
    /// A studio's lead.
    Studio(i64),
    /// A handling unit.
    HandlingUnit(i64),
    /// A sector's convener.
    Sector(i64),
    /// A group's lead.
    Group(i64),
}

/// The `extensions.code` of the first error of a response.
pub fn error_code(response: &Value) -> &str {
    response["errors"][0]["extensions"]["code"].as_str().unwrap_or("<no error>")
}

/// The `extensions.field` of the first error of a response.
pub fn error_field(response: &Value) -> &str {
    response["errors"][0]["extensions"]["field"].as_str().unwrap_or("<no field>")
}
