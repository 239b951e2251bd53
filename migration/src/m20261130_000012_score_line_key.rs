//! A score line's run checked through its assessment: one foreign key instead of two.
//!
//! `score_line` referenced both `assessment_run (id)` and `member_assessment (id)`. A run writes
//! about ten lines per member (94,000 at 10,000 members), and PostgreSQL checks each foreign
//! key of each inserted row on its own: inserting a run's lines took 1.9–2.2 s with the two
//! keys, 1.4 s with one composite key and 0.7 s with none. The composite key
//! `(assessment_id, run_id) → member_assessment (id, run_id)` checks what both did and one
//! thing more: that a line's run is its assessment's run.
//!
//! The lines' index `(assessment_id, seq)` becomes `(assessment_id, run_id, seq)`, so that the
//! check PostgreSQL runs for each deleted result (`… WHERE assessment_id = $1 AND run_id = $2`)
//! finds its lines by both columns: with only the first index it may pick `(run_id)` instead,
//! which on a recomputed run walks every line of the run, dead ones too, once per result.
//!
//! PostgreSQL swaps the constraints in place; SQLite, which cannot alter a table's foreign
//! keys, gets the table rebuilt (rows, ids and indexes kept).

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DbBackend;

#[derive(DeriveMigrationName)]
pub struct Migration;

const PARENT_KEY: &str = "idx_member_assessment_id_run_id";
const LINES_BEFORE: &str =
    "CREATE INDEX \"idx_score_line_assessment_id_seq\" ON \"score_line\" (\"assessment_id\", \"seq\")";
const LINES_AFTER: &str = "CREATE INDEX \"idx_score_line_assessment_id_run_id_seq\" ON \"score_line\" \
                           (\"assessment_id\", \"run_id\", \"seq\")";

/// The columns of `score_line` after `id`, in table order.
const COLUMNS: &str = "\"run_id\", \"assessment_id\", \"member_id\", \"seq\", \"rule_code\", \"rule_label\", \
                       \"category\", \"source\", \"source_id\", \"date\", \"description\", \"points_cents\", \"note\"";

/// `score_line` for SQLite with the given foreign keys.
fn sqlite_table(name: &str, keys: &str) -> String {
    format!(
        "CREATE TABLE \"{name}\" ( \"id\" integer NOT NULL PRIMARY KEY AUTOINCREMENT, \"run_id\" integer NOT NULL, \
         \"assessment_id\" integer NOT NULL, \"member_id\" integer NOT NULL, \"seq\" integer NOT NULL, \
         \"rule_code\" varchar NOT NULL, \"rule_label\" varchar NOT NULL, \"category\" varchar NOT NULL, \
         \"source\" varchar(32) NOT NULL, \"source_id\" integer NOT NULL, \"date\" date_text NOT NULL, \
         \"description\" varchar NOT NULL, \"points_cents\" integer NOT NULL, \"note\" varchar NULL, {keys} )"
    )
}

/// The composite key (what `up` makes).
const ONE_KEY: &str = "FOREIGN KEY (\"assessment_id\", \"run_id\") REFERENCES \"member_assessment\" (\"id\", \"run_id\") \
                       ON DELETE RESTRICT ON UPDATE CASCADE";
/// A line's two keys before (what `down` restores).
const RUN_KEY: &str =
    "FOREIGN KEY (\"run_id\") REFERENCES \"assessment_run\" (\"id\") ON DELETE RESTRICT ON UPDATE CASCADE";
const ASSESSMENT_KEY: &str =
    "FOREIGN KEY (\"assessment_id\") REFERENCES \"member_assessment\" (\"id\") ON DELETE RESTRICT ON UPDATE CASCADE";

/// Rebuilds SQLite's `score_line` with `keys` and the lines' index `lines`, keeping its rows.
async fn rebuild_sqlite(manager: &SchemaManager<'_>, keys: &str, lines: &str) -> Result<(), DbErr> {
    let db = manager.get_connection();
    db.execute_unprepared(&sqlite_table("score_line_rebuilt", keys)).await?;
    db.execute_unprepared(&format!(
        "INSERT INTO \"score_line_rebuilt\" (\"id\", {COLUMNS}) SELECT \"id\", {COLUMNS} FROM \"score_line\""
    ))
    .await?;
    db.execute_unprepared("DROP TABLE \"score_line\"").await?;
    db.execute_unprepared("ALTER TABLE \"score_line_rebuilt\" RENAME TO \"score_line\"").await?;
    db.execute_unprepared(lines).await?;
    db.execute_unprepared("CREATE INDEX \"idx_score_line_run_id\" ON \"score_line\" (\"run_id\")").await?;
    Ok(())
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    /// In one transaction on SQLite too: the rebuild must happen whole or not at all, and on one
    /// connection (the pool's others would see the old table between the steps).
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_index(
                Index::create()
                    .name(PARENT_KEY)
                    .table(Alias::new("member_assessment"))
                    .col(Alias::new("id"))
                    .col(Alias::new("run_id"))
                    .unique()
                    .to_owned(),
            )
            .await?;
        match manager.get_database_backend() {
            DbBackend::Postgres => {
                manager
                    .get_connection()
                    .execute_unprepared(&format!(
                        "ALTER TABLE score_line DROP CONSTRAINT score_line_run_id_fkey, \
                         DROP CONSTRAINT score_line_assessment_id_fkey, ADD CONSTRAINT score_line_assessment_fkey \
                         {ONE_KEY}"
                    ))
                    .await?;
                let db = manager.get_connection();
                db.execute_unprepared("DROP INDEX idx_score_line_assessment_id_seq").await?;
                db.execute_unprepared(LINES_AFTER).await?;
                Ok(())
            }
            _ => rebuild_sqlite(manager, ONE_KEY, LINES_AFTER).await,
        }
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        match manager.get_database_backend() {
            DbBackend::Postgres => {
                manager
                    .get_connection()
                    .execute_unprepared(&format!(
                        "ALTER TABLE score_line DROP CONSTRAINT score_line_assessment_fkey, ADD {RUN_KEY}, \
                         ADD {ASSESSMENT_KEY}"
                    ))
                    .await?;
                let db = manager.get_connection();
                db.execute_unprepared("DROP INDEX idx_score_line_assessment_id_run_id_seq").await?;
                db.execute_unprepared(LINES_BEFORE).await?;
            }
            _ => rebuild_sqlite(manager, &format!("{RUN_KEY}, {ASSESSMENT_KEY}"), LINES_BEFORE).await?,
        }
        manager.drop_index(Index::drop().name(PARENT_KEY).table(Alias::new("member_assessment")).to_owned()).await
    }
}
