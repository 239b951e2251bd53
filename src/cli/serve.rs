//! `lvzhi serve` (the default command): serves the API, seeding the demo committee first into
//! an empty database when `--demo` asks for it.

use lvzhi::{config::ServerConfig, seed, server};
use sea_orm::DatabaseConnection;

/// Serves until the process is told to stop.
pub async fn run(config: &ServerConfig, db: DatabaseConnection) -> Result<(), String> {
    if config.demo {
        match seed::demo_if_empty(&db).await.map_err(|e| e.message())? {
            Some(summary) => super::seed::log_demo(&summary),
            None => tracing::info!("the database has data; the demo committee was not seeded"),
        }
    }
    server::run(config, db).await.map_err(|e| format!("server failed: {e}"))
}
