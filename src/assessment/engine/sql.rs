//! The engine's SQL plumbing: the dialect shim (one SQL text with `?` placeholders for both
//! databases) and the JSON transport that brings a rule's rows across as a few documents.

use chrono::NaiveDate;
use futures_util::TryStreamExt;
use sea_orm::{ActiveEnum, ConnectionTrait, DbBackend, QueryResult, Statement, StreamTrait, Value};

use crate::error::{AppError, AppResult};

/// Builds a statement from SQL written with `?` placeholders, numbering them for PostgreSQL.
pub fn statement(backend: DbBackend, sql: &str, values: Vec<Value>) -> Statement {
    let sql = if backend == DbBackend::Postgres {
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
        out
    } else {
        sql.to_owned()
    };
    Statement::from_sql_and_values(backend, sql, values)
}

/// `?, ?, ?` for `n` values.
pub fn marks(n: usize) -> String {
    vec!["?"; n].join(", ")
}

/// A column of a result row, its failure an [`AppError`].
pub(super) fn get<T: sea_orm::TryGetable>(row: &QueryResult, col: &str) -> AppResult<T> {
    row.try_get::<T>("", col).map_err(AppError::from)
}

/// The enum whose stored code `raw` is, if any.
pub(super) fn code_of<T: ActiveEnum<Value = String>>(raw: &str) -> Option<T> {
    T::try_from_value(&raw.to_owned()).ok()
}

/// A date as a statement value.
pub(super) fn date(d: NaiveDate) -> Value {
    Value::ChronoDate(Some(d))
}

/// Members per document that [`each_row`] has the database build.
const MEMBERS_PER_DOCUMENT: i64 = 256;

/// A record row as a JSON array, in its query's column order: id, member, date, then the rest.
pub(super) trait RecordRow: serde::de::DeserializeOwned {
    /// The order records are scored in: member, date, id.
    fn key(&self) -> (i64, NaiveDate, i64);
}

macro_rules! record_row {
    ($($(#[$doc:meta])* $name:ident($($rest:ty),*);)*) => {$(
        $(#[$doc])*
        #[derive(serde::Deserialize)]
        pub(super) struct $name(
            pub(super) i64,
            pub(super) i64,
            pub(super) NaiveDate,
            $(pub(super) $rest),*
        );

        impl RecordRow for $name {
            fn key(&self) -> (i64, NaiveDate, i64) {
                (self.1, self.2, self.0)
            }
        }
    )*};
}

record_row! {
    /// A participation: kind, subkind and attendance follow.
    ActivityRow(String, Option<String>, String);
    /// A training attendance: the session's title and the hours (tenths) follow.
    TrainingRow(String, i64);
    /// A proposal or opinion report signature: the signer's role, the title and the number of
    /// signers follow.
    SignedRow(String, String, i64);
    /// A duty item: kind and title follow.
    DutyRow(String, String);
}

/// Hands each row of `sql` (whose `columns` start with id, member and date) to `each`, in
/// (member, date, id) order.
///
/// The database packs the rows into JSON documents of [`MEMBERS_PER_DOCUMENT`] members each
/// (`json_group_array` on SQLite, `json_agg` on PostgreSQL), which are parsed and sorted here:
/// rows cross from the driver one at a time — through sqlx's SQLite worker, a plenary rule's
/// rows took several times as long as its SQL (BENCHMARKS.md) — while a document crosses as
/// one value. Documents rather than one for the whole rule keep memory bounded when
/// a rule reads every matching row of a large year.
pub(super) async fn each_row<T: RecordRow>(
    db: &(impl ConnectionTrait + StreamTrait),
    sql: &str,
    values: Vec<Value>,
    columns: &[&str],
    mut each: impl FnMut(T),
) -> AppResult<()> {
    let backend = ConnectionTrait::get_database_backend(db);
    let fields = columns.iter().map(|c| format!("x.{c}")).collect::<Vec<_>>().join(", ");
    let sql = if backend == DbBackend::Postgres {
        format!(
            "SELECT x.member_id / {MEMBERS_PER_DOCUMENT} AS part, json_agg(json_build_array({fields}))::text AS rows \
             FROM ({sql}) x GROUP BY 1 ORDER BY 1"
        )
    } else {
        format!(
            "SELECT x.member_id / {MEMBERS_PER_DOCUMENT} AS part, json_group_array(json_array({fields})) AS rows \
             FROM ({sql}) x GROUP BY 1 ORDER BY 1"
        )
    };
    let documents = db.stream_raw(statement(backend, &sql, values)).await?;
    let mut documents = std::pin::pin!(documents);
    while let Some(document) = documents.try_next().await? {
        let rows: String = get(&document, "rows")?;
        let mut rows: Vec<T> =
            serde_json::from_str(&rows).map_err(|e| AppError::Internal(format!("record rows do not parse: {e}")))?;
        rows.sort_unstable_by_key(RecordRow::key);
        rows.into_iter().for_each(&mut each);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_numbered_for_postgres() {
        let s = statement(DbBackend::Postgres, "a = ? AND b IN (?, ?)", vec![]);
        assert_eq!(s.sql, "a = $1 AND b IN ($2, $3)");
    }
}
