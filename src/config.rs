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
}

impl Default for DatabaseConfig {
    fn default() -> Self {
        Self { url: DEFAULT_DATABASE_URL.to_owned(), max_connections: DEFAULT_MAX_CONNECTIONS, schema: None }
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
}
