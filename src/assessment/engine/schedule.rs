//! Read scheduling: a run's reads (the seated members and each rule's records) shared out
//! among the readers a database handle allows, the likely longest first, then scored.

use std::sync::atomic::{AtomicUsize, Ordering as AtomicOrdering};

use sea_orm::{ConnectionTrait, DatabaseTransaction, DbBackend, Iterable, TransactionTrait};

use super::{
    Fetch, POSTGRES_RUN_SETTINGS, fetch,
    score::{self, Outcome, Record, Seated},
};
use crate::{assessment::rules::Definition, db::Readers, error::AppResult};
use entity::enums::{ActivityKind, RuleSource};

/// [`compute`](super::compute), fetching records as `fetch` says.
///
/// The reads — the seated members and each rule's records, in the order of [`reads`] — are
/// shared out among [`Readers::readers`] transactions of `db`, each taking the next read as it
/// finishes one: on a pool, two connections read at once (faster still once the longest read
/// comes first; BENCHMARKS.md has the figures); in a transaction, one after the other. The outcomes do not depend
/// on who read what.
pub async fn compute_with<C>(db: &C, def: &Definition, year: i32, fetch: Fetch) -> AppResult<Vec<Outcome>>
where
    C: TransactionTrait<Transaction = DatabaseTransaction> + ConnectionTrait + Readers,
{
    let reads = reads(def);
    let next = AtomicUsize::new(0);
    let readers = (0..db.readers().min(reads.len())).map(|_| read(db, def, year, fetch, &reads, &next));
    let mut members = Vec::new();
    let mut by_rule: Vec<Vec<Record>> = vec![Vec::new(); def.rules.len()];
    for fetched in futures_util::future::join_all(readers).await {
        for read in fetched? {
            match read {
                Fetched::Seated(seated) => members = seated,
                Fetched::Rule(index, records) => by_rule[index] = records,
            }
        }
    }
    Ok(score::score_all(def, members, by_rule))
}

/// One read of [`compute_with`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Read {
    /// The members seated in the year.
    Seated,
    /// The records of the rule of this index.
    Rule(usize),
}

/// The reads of a run, the likely longest first, so that no reader is left with a long one
/// when the others are done: the ACTIVITY rules (participations are the largest table), those
/// that admit more kinds of activity first (the 桐城 rule counting ten kinds is by far the
/// longest read); then the seated members; then the rest. The
/// definition's order decides ties.
fn reads(def: &Definition) -> Vec<Read> {
    let all_kinds = ActivityKind::iter().count();
    // Higher goes first.
    let priority = |read: &Read| match *read {
        Read::Rule(i) if def.rules[i].source == RuleSource::Activity => {
            let kinds = &def.rules[i].activity_kinds;
            2 + if kinds.is_empty() { all_kinds } else { kinds.len() }
        }
        Read::Seated => 1,
        Read::Rule(_) => 0,
    };
    let mut reads: Vec<Read> = std::iter::once(Read::Seated).chain((0..def.rules.len()).map(Read::Rule)).collect();
    reads.sort_by_key(|read| std::cmp::Reverse(priority(read)));
    reads
}

/// What one read of [`compute_with`] brings back.
enum Fetched {
    /// The members seated in the year.
    Seated(Vec<Seated>),
    /// A rule's records, by the rule's index.
    Rule(usize, Vec<Record>),
}

/// One reader of [`compute_with`]: in a transaction of its own, takes the next of `reads`
/// until none is left. A failed read stops every reader at its next turn.
async fn read<C>(
    db: &C,
    def: &Definition,
    year: i32,
    fetch: Fetch,
    reads: &[Read],
    next: &AtomicUsize,
) -> AppResult<Vec<Fetched>>
where
    C: TransactionTrait<Transaction = DatabaseTransaction>,
{
    // A reading transaction of its own, begun plainly rather than through `db::atomically`,
    // whose transactions take SQLite's write lock at once (`BEGIN IMMEDIATE`): the readers of
    // a run must read side by side, and they write nothing.
    let txn = db.begin().await?;
    let outcome = async {
        if ConnectionTrait::get_database_backend(&txn) == DbBackend::Postgres {
            txn.execute_unprepared(POSTGRES_RUN_SETTINGS).await?;
        }
        let mut out = Vec::new();
        while let Some(&read) = reads.get(next.fetch_add(1, AtomicOrdering::Relaxed)) {
            let Read::Rule(index) = read else {
                out.push(Fetched::Seated(fetch::seated(&txn, year).await?));
                continue;
            };
            let rule = &def.rules[index];
            let limit = match fetch {
                Fetch::Every => None,
                _ => fetch::record_limit(def, rule).map(|l| l.max(fetch::minimum_need(def, rule))),
            };
            let started = std::time::Instant::now();
            let records = fetch::records(&txn, rule, year, limit, fetch).await?;
            tracing::debug!(rule = %rule.code, records = records.len(), ms = started.elapsed().as_millis(), "rule fetched");
            out.push(Fetched::Rule(index, records));
        }
        Ok(out)
    }
    .await;
    if outcome.is_err() {
        next.store(reads.len(), AtomicOrdering::Relaxed);
    }
    crate::db::finish(txn, outcome).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_read_comes_once_the_broadest_activity_rules_first() {
        for name in ["tongcheng", "jinan", "yanbian"] {
            let def = crate::assessment::rules::preset(name).map_err(|e| e.message()).unwrap().definition;
            let reads = reads(&def);
            let key = |r: &Read| match r {
                Read::Seated => 0,
                Read::Rule(i) => i + 1,
            };
            let mut sorted = reads.clone();
            sorted.sort_by_key(key);
            let every: Vec<Read> = std::iter::once(Read::Seated).chain((0..def.rules.len()).map(Read::Rule)).collect();
            assert_eq!(sorted, every, "{name}");
            // ACTIVITY rules, by kinds admitted (all when none is named), then the members.
            let all = ActivityKind::iter().count();
            let kinds = |r: &Read| match r {
                Read::Rule(i) if def.rules[*i].source == RuleSource::Activity => {
                    let kinds = &def.rules[*i].activity_kinds;
                    Some(if kinds.is_empty() { all } else { kinds.len() })
                }
                _ => None,
            };
            let seated = reads.iter().position(|r| *r == Read::Seated).unwrap();
            let activity: Vec<usize> = reads[..seated].iter().map(|r| kinds(r).unwrap()).collect();
            assert!(activity.windows(2).all(|w| w[0] >= w[1]), "{name}: {reads:?}");
            assert!(reads[seated..].iter().all(|r| kinds(r).is_none()), "{name}: {reads:?}");
        }
        // 桐城's rule counting ten kinds of activity (its longest read) is among the first two,
        // which two readers begin at once.
        let tongcheng = crate::assessment::rules::preset("tongcheng").map_err(|e| e.message()).unwrap().definition;
        let first_two = &reads(&tongcheng)[..2];
        assert!(first_two.iter().any(|r| matches!(r, Read::Rule(i) if tongcheng.rules[*i].code == "activity")));
    }
}
