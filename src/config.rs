//! The one configuration, read once from flags and environment variables.

use std::net::SocketAddr;

use clap::Args;

/// The database used when none is given: an SQLite file in the working directory, created if
/// missing.
pub const DEFAULT_DATABASE_URL: &str = "sqlite://lvzhi.db?mode=rwc";
/// Where the server listens by default.
pub const DEFAULT_BIND: &str = "127.0.0.1:8000";
/// How many connections the pool keeps at most.
pub const DEFAULT_MAX_CONNECTIONS: u32 = 10;
/// Longest a single SQL statement may run on PostgreSQL, in seconds.
pub const DEFAULT_STATEMENT_TIMEOUT_SECS: u64 = 20;
/// Deepest selection nesting a query may have.
pub const DEFAULT_MAX_DEPTH: usize = 15;
/// Highest complexity a query may have; a list field costs its page size or cap times its
/// selection, an aggregate the rows it scans (see `cost`).
pub const DEFAULT_MAX_COMPLEXITY: usize = 100_000;
/// Most aliased fields in one document.
pub const DEFAULT_MAX_ALIASES: usize = 30;
/// Most root fields in one operation.
pub const DEFAULT_MAX_ROOT_FIELDS: usize = 20;
/// Largest request body, in bytes.
pub const DEFAULT_MAX_BODY_BYTES: usize = 1024 * 1024;
/// Longest a request may take, in seconds.
pub const DEFAULT_REQUEST_TIMEOUT_SECS: u64 = 30;
/// Most operations (subscriptions, queries, mutations) one WebSocket runs at once.
pub const DEFAULT_MAX_WS_OPERATIONS: usize = 16;

/// Days before an activity's first day by which leave must be asked (1: the day before).
pub const DEFAULT_LEAVE_DEADLINE_DAYS: u32 = 1;
/// Days after an activity's last day at which the server closes it (0: never by itself).
pub const DEFAULT_AUTO_CLOSE_DAYS: u32 = 7;

/// Settings of attendance from a notice: the leave deadline and closing.
#[derive(Args, Clone, Debug)]
pub struct AttendanceConfig {
    /// Leave must be asked at least this many days before an activity's first day (1: by the
    /// day before); a later request is kept and flagged late.
    #[arg(long, env = "LVZHI_LEAVE_DEADLINE_DAYS", default_value_t = DEFAULT_LEAVE_DEADLINE_DAYS, global = true)]
    pub leave_deadline_days: u32,
    /// The server closes an activity this many days after its last day, turning invitees
    /// without a mark absent (0: only when closed by hand or by `lvzhi activities close-due`).
    #[arg(long, env = "LVZHI_AUTO_CLOSE_DAYS", default_value_t = DEFAULT_AUTO_CLOSE_DAYS, global = true)]
    pub auto_close_days: u32,
}

impl Default for AttendanceConfig {
    fn default() -> Self {
        Self { leave_deadline_days: DEFAULT_LEAVE_DEADLINE_DAYS, auto_close_days: DEFAULT_AUTO_CLOSE_DAYS }
    }
}

/// Settings shared by every command that touches the database.
#[derive(Args, Clone, Debug)]
pub struct DatabaseConfig {
    /// Database URL: `sqlite://FILE?mode=rwc` (embedded) or `postgres://USER@HOST:PORT/DB`.
    #[arg(long = "database-url", env = "DATABASE_URL", default_value = DEFAULT_DATABASE_URL, global = true)]
    pub url: String,
    /// Most connections kept in the pool.
    #[arg(long, env = "LVZHI_MAX_CONNECTIONS", default_value_t = DEFAULT_MAX_CONNECTIONS, global = true)]
    pub max_connections: u32,
    /// PostgreSQL only: keep lvzhi's tables in this schema (created if missing) instead of
    /// `public`.
    #[arg(long = "database-schema", env = "LVZHI_DATABASE_SCHEMA", global = true)]
    pub schema: Option<String>,
    /// PostgreSQL only: longest a single SQL statement may run, in seconds (0: no limit).
    #[arg(long, env = "LVZHI_STATEMENT_TIMEOUT", default_value_t = DEFAULT_STATEMENT_TIMEOUT_SECS, global = true)]
    pub statement_timeout: u64,
}

impl Default for DatabaseConfig {
    fn default() -> Self {
        Self {
            url: DEFAULT_DATABASE_URL.to_owned(),
            max_connections: DEFAULT_MAX_CONNECTIONS,
            schema: None,
            statement_timeout: DEFAULT_STATEMENT_TIMEOUT_SECS,
        }
    }
}

/// Settings of the HTTP server.
#[derive(Args, Clone, Debug)]
pub struct ServerConfig {
    /// Address and port to listen on.
    #[arg(long, env = "LVZHI_BIND", default_value = DEFAULT_BIND, global = true)]
    pub bind: SocketAddr,
    /// Seed the demo committee when the database is empty.
    #[arg(long, global = true)]
    pub demo: bool,
    /// Production mode: no introspection, no field suggestions, and the database URL must be
    /// given explicitly.
    #[arg(long, env = "LVZHI_PRODUCTION", global = true)]
    pub production: bool,
    /// Limits on requests.
    #[command(flatten)]
    pub api: ApiConfig,
}

impl ServerConfig {
    /// Refuses settings that must not go together: production mode with the demo committee
    /// (its accounts have published passwords), or without an explicit database URL
    /// (`explicit_database`: given by flag or environment, not the default).
    pub fn check(&self, explicit_database: bool) -> Result<(), String> {
        if self.production && self.demo {
            return Err("--production refuses --demo: the demo accounts' passwords are public".to_owned());
        }
        if self.production && !explicit_database {
            return Err("--production needs an explicit --database-url (or DATABASE_URL)".to_owned());
        }
        Ok(())
    }
}

/// Limits that protect the server from expensive or malicious requests.
#[derive(Args, Clone, Debug)]
pub struct ApiConfig {
    /// Deepest selection nesting a query may have.
    #[arg(long, env = "LVZHI_MAX_DEPTH", default_value_t = DEFAULT_MAX_DEPTH, global = true)]
    pub max_depth: usize,
    /// Highest query complexity (a list field costs its page size or cap times its selection,
    /// an aggregate the rows it scans).
    #[arg(long, env = "LVZHI_MAX_COMPLEXITY", default_value_t = DEFAULT_MAX_COMPLEXITY, global = true)]
    pub max_complexity: usize,
    /// Most aliased fields in one document.
    #[arg(long, env = "LVZHI_MAX_ALIASES", default_value_t = DEFAULT_MAX_ALIASES, global = true)]
    pub max_aliases: usize,
    /// Most root fields in one operation.
    #[arg(long, env = "LVZHI_MAX_ROOT_FIELDS", default_value_t = DEFAULT_MAX_ROOT_FIELDS, global = true)]
    pub max_root_fields: usize,
    /// Largest request body, in bytes.
    #[arg(long, env = "LVZHI_MAX_BODY_BYTES", default_value_t = DEFAULT_MAX_BODY_BYTES, global = true)]
    pub max_body_bytes: usize,
    /// Longest a request may take, in seconds.
    #[arg(long, env = "LVZHI_REQUEST_TIMEOUT", default_value_t = DEFAULT_REQUEST_TIMEOUT_SECS, global = true)]
    pub request_timeout: u64,
    /// Most aggregates (`yearInReview`, `proposalStatistics`, …) one request runs at once, each
    /// on one pool connection; default a quarter of `--max-connections`, at least 1.
    #[arg(long, env = "LVZHI_MAX_REQUEST_CONNECTIONS", global = true)]
    pub max_request_connections: Option<usize>,
    /// Most operations one WebSocket connection runs at once (its subscriptions, and queries and
    /// mutations still running); a message on it is held to `--max-body-bytes`.
    #[arg(long, env = "LVZHI_MAX_WS_OPERATIONS", default_value_t = DEFAULT_MAX_WS_OPERATIONS, global = true)]
    pub max_ws_operations: usize,
    /// Answer introspection queries (off in production mode).
    #[arg(skip = true)]
    pub introspection: bool,
    /// Reverse proxies whose `X-Forwarded-For` names the client (repeat the flag, or list them
    /// comma-separated in the environment); any other peer's header is ignored.
    #[arg(long = "trusted-proxy", env = "LVZHI_TRUSTED_PROXIES", value_delimiter = ',', global = true)]
    pub trusted_proxies: Vec<std::net::IpAddr>,
    /// The leave deadline and closing.
    #[command(flatten)]
    pub attendance: AttendanceConfig,
}

impl Default for ApiConfig {
    fn default() -> Self {
        Self {
            max_depth: DEFAULT_MAX_DEPTH,
            max_complexity: DEFAULT_MAX_COMPLEXITY,
            max_aliases: DEFAULT_MAX_ALIASES,
            max_root_fields: DEFAULT_MAX_ROOT_FIELDS,
            max_body_bytes: DEFAULT_MAX_BODY_BYTES,
            request_timeout: DEFAULT_REQUEST_TIMEOUT_SECS,
            max_request_connections: None,
            max_ws_operations: DEFAULT_MAX_WS_OPERATIONS,
            introspection: true,
            trusted_proxies: Vec::new(),
            attendance: AttendanceConfig::default(),
        }
    }
}

#[cfg(test)]
mod tests {
    use clap::Parser;

    use super::*;

    #[derive(Parser)]
    struct Flags {
        #[command(flatten)]
        server: ServerConfig,
    }

    fn check(args: &[&str], explicit_database: bool) -> Result<(), String> {
        let flags =
            Flags::try_parse_from(std::iter::once("lvzhi").chain(args.iter().copied())).map_err(|e| e.to_string())?;
        flags.server.check(explicit_database)
    }

    #[test]
    fn production_refuses_the_demo_committee() {
        let refused = check(&["--production", "--demo"], true);
        assert!(refused.is_err_and(|message| message.contains("--production refuses --demo")));
        assert!(check(&["--demo"], false).is_ok());
        assert!(check(&["--production"], true).is_ok());
    }

    #[test]
    fn production_needs_an_explicit_database() {
        assert!(check(&["--production"], false).is_err());
    }
}
