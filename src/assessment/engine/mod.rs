//! The assessment engine: applies a rule set to one year's records for every seated member.
//!
//! The work is set-based: one query finds the members seated in the year with their cohorts
//! (and a few more find committees, studios and earlier seats), then one query per scoring rule
//! selects the matching records of *all* members ([`fetch`], over the dialect shim and JSON
//! transport of [`sql`]); the reads are shared out among readers ([`schedule`]); points,
//! splits, caps, floors, grades and flags are worked out in memory in a fixed order (member,
//! date, record id), so the same rules and records always give the same result ([`score`],
//! pure). Results and score lines are inserted in bulk by `assessment::write`.

pub mod fetch;
pub mod schedule;
pub mod score;
pub mod sql;

use sea_orm::{ConnectionTrait, DatabaseTransaction, TransactionTrait};

pub use fetch::{plenary_absences, seated};
pub use schedule::compute_with;
pub use score::{Finish, Line, Outcome, Seated, Subtotal, finish};
pub use sql::{marks, statement};

use super::rules::Definition;
use crate::{db::Readers, error::AppResult};

/// PostgreSQL settings for a run's transactions only (`SET LOCAL`; measured in BENCHMARKS.md):
/// - no JIT: the walked activity rule's estimated cost is far above `jit_above_cost` while its
///   actual work is small, and compiling it took a large share of its time;
/// - room to sort in memory: the results' seven rank windows each sorted the run's rows on disk
///   under the default 4 MB `work_mem`.
pub const POSTGRES_RUN_SETTINGS: &str = "SET LOCAL jit = off; SET LOCAL work_mem = '64MB'";

/// Applies the definition to the matched records of every seated member.
pub async fn compute<C>(db: &C, def: &Definition, year: i32) -> AppResult<Vec<Outcome>>
where
    C: TransactionTrait<Transaction = DatabaseTransaction> + ConnectionTrait + Readers,
{
    compute_with(db, def, year, Fetch::Cut).await
}

/// How [`compute_with`] fetches each rule's records. Every way gives the same outcomes, and a
/// test holds them to it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fetch {
    /// Every matched record.
    Every,
    /// Only the records that can count (see `record_limit`), each ACTIVITY rule fetched the
    /// way `walk_pays` judges cheaper: what [`compute`] does.
    Cut,
    /// Only the records that can count, always by walking each member's participations.
    Walk,
    /// Only the records that can count, always by reading every matching row.
    Read,
}
