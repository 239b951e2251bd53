//! A result's score lines kept as one JSON document beside it (`assessment_lines`) instead of a
//! row each (`score_line`).
//!
//! A run writes about ten lines per member (93,910 at 10,000 members) and reads them only as a
//! whole with their result. As rows, PostgreSQL checked a foreign key and wrote three index
//! entries for each: writing a run's lines took 1.4 s of a 2.6 s run. As one document per result
//! it writes 10,000 rows with one key check each. The lines cannot now be filed under another
//! run than their result's, and go when their result goes (`ON DELETE CASCADE`); the index that
//! only served the old lines' key goes too.
//!
//! `up` moves every line into its result's document in `seq` order; `down` unpacks them back
//! into `score_line` as migration 12 left it (the lines get new ids: nothing referred to them).

use sea_orm_migration::sea_orm::DbBackend;
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

fn a(name: &str) -> Alias {
    Alias::new(name)
}

/// The unique index `(id, run_id)` of `member_assessment` that migration 12 made for the lines'
/// composite key alone (each index costs every result written).
const RESULT_RUN_KEY: &str = "idx_member_assessment_id_run_id";

/// The fields of a stored line, each with the `score_line` column it came from (same names).
const FIELDS: [&str; 9] =
    ["date", "description", "rule_code", "rule_label", "category", "source", "source_id", "points_cents", "note"];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    /// One transaction on SQLite too: the lines move whole or not at all.
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(a("assessment_lines"))
                    .col(big_integer(a("assessment_id")).primary_key())
                    .col(text(a("lines")))
                    .foreign_key(
                        ForeignKey::create()
                            .from(a("assessment_lines"), a("assessment_id"))
                            .to(a("member_assessment"), a("id"))
                            .on_delete(ForeignKeyAction::Cascade)
                            .on_update(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        let pairs = FIELDS.map(|f| format!("'{f}', {f}")).join(", ");
        let documents = match manager.get_database_backend() {
            DbBackend::Postgres => format!("json_agg(json_build_object({pairs}) ORDER BY seq)::text"),
            _ => format!("json_group_array(json_object({pairs}) ORDER BY seq)"),
        };
        let db = manager.get_connection();
        db.execute_unprepared(&format!(
            "INSERT INTO assessment_lines (assessment_id, lines) SELECT assessment_id, {documents} \
             FROM score_line GROUP BY assessment_id"
        ))
        .await?;
        manager.drop_table(Table::drop().table(a("score_line")).to_owned()).await?;
        manager.drop_index(Index::drop().name(RESULT_RUN_KEY).table(a("member_assessment")).to_owned()).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_index(
                Index::create()
                    .name(RESULT_RUN_KEY)
                    .table(a("member_assessment"))
                    .col(a("id"))
                    .col(a("run_id"))
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(a("score_line"))
                    .col(big_pk_auto(a("id")))
                    .col(big_integer(a("run_id")))
                    .col(big_integer(a("assessment_id")))
                    .col(big_integer(a("member_id")))
                    .col(integer(a("seq")))
                    .col(string(a("rule_code")))
                    .col(string(a("rule_label")))
                    .col(string(a("category")))
                    .col(string_len(a("source"), 32))
                    .col(big_integer(a("source_id")))
                    .col(date(a("date")))
                    .col(string(a("description")))
                    .col(big_integer(a("points_cents")))
                    .col(string_null(a("note")))
                    .foreign_key(
                        ForeignKey::create()
                            .name("score_line_assessment_fkey")
                            .from_tbl(a("score_line"))
                            .from_col(a("assessment_id"))
                            .from_col(a("run_id"))
                            .to_tbl(a("member_assessment"))
                            .to_col(a("id"))
                            .to_col(a("run_id"))
                            .on_delete(ForeignKeyAction::Restrict)
                            .on_update(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        for (name, cols) in [
            ("idx_score_line_assessment_id_run_id_seq", &["assessment_id", "run_id", "seq"][..]),
            ("idx_score_line_run_id", &["run_id"][..]),
        ] {
            let mut index = Index::create();
            index.name(name).table(a("score_line"));
            for col in cols {
                index.col(a(col));
            }
            manager.create_index(index).await?;
        }
        // Each stored field back into its column (`->>` gives text, or NULL for a missing note).
        let (from, seq, field): (&str, &str, fn(&str) -> String) = match manager.get_database_backend() {
            DbBackend::Postgres => {
                ("CROSS JOIN LATERAL json_array_elements(l.lines::json) WITH ORDINALITY AS e(v, n)", "e.n - 1", |f| {
                    match f {
                        "date" => "(e.v->>'date')::date".to_owned(),
                        "source_id" | "points_cents" => format!("(e.v->>'{f}')::bigint"),
                        _ => format!("e.v->>'{f}'"),
                    }
                })
            }
            _ => ("CROSS JOIN json_each(l.lines) AS e", "e.key", |f| format!("e.value->>'{f}'")),
        };
        let values = FIELDS.map(field).join(", ");
        let db = manager.get_connection();
        db.execute_unprepared(&format!(
            "INSERT INTO score_line (run_id, assessment_id, member_id, seq, {columns}) \
             SELECT r.run_id, r.id, r.member_id, {seq}, {values} \
             FROM assessment_lines l JOIN member_assessment r ON r.id = l.assessment_id {from} \
             ORDER BY r.id, {seq}",
            columns = FIELDS.join(", "),
        ))
        .await?;
        manager.drop_table(Table::drop().table(a("assessment_lines")).to_owned()).await
    }
}
