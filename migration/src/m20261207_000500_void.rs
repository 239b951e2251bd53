//! Corrections: a record voided with a reason (issue 20, point 1).
//!
//! Each voidable table gets `voided_at` (null while the record counts), `voided_by` (the account
//! that voided it) and `void_reason`. A voided row stays in place, so the audit log and a restore
//! find it; every read that counts records filters on `voided_at IS NULL`. Members are withdrawn
//! by their seat's status, and assessment runs and rule sets are discarded, not voided: they get
//! no columns here. The one-open-row-per-member-and-target indexes of the memberships now skip
//! voided rows, so a member wrongly assigned can be assigned again.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The membership tables, with their target column: one open row per member and target, now
/// counting only rows not voided (a voided assignment never held the member).
const MEMBERSHIPS: [(&str, &str); 3] =
    [("committee_membership", "committee_id"), ("studio_assignment", "studio_id"), ("group_membership", "group_id")];

/// The tables whose rows can be voided.
const TABLES: [&str; 8] = [
    "activity",
    "training_session",
    "proposal",
    "opinion_report",
    "duty_item",
    "committee_membership",
    "studio_assignment",
    "group_membership",
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in TABLES {
            // One column per statement: SQLite adds one at a time.
            manager
                .alter_table(
                    Table::alter()
                        .table(Alias::new(table))
                        .add_column(ColumnDef::new(Alias::new("voided_at")).timestamp_with_time_zone().null())
                        .to_owned(),
                )
                .await?;
            // The reference is written inline, which both SQLite and PostgreSQL accept in ADD COLUMN.
            manager
                .alter_table(
                    Table::alter()
                        .table(Alias::new(table))
                        .add_column(
                            ColumnDef::new(Alias::new("voided_by"))
                                .big_integer()
                                .null()
                                .extra("REFERENCES account (id) ON DELETE RESTRICT"),
                        )
                        .to_owned(),
                )
                .await?;
            manager
                .alter_table(
                    Table::alter()
                        .table(Alias::new(table))
                        .add_column(ColumnDef::new(Alias::new("void_reason")).text().null())
                        .to_owned(),
                )
                .await?;
            // Every foreign key has an index. `voided_at` gets none: reads keep the rows where it
            // is null, nearly all of them, which no index narrows.
            manager
                .create_index(
                    Index::create()
                        .name(format!("idx_{table}_voided_by"))
                        .table(Alias::new(table))
                        .col(Alias::new("voided_by"))
                        .to_owned(),
                )
                .await?;
        }
        // The new index gets a name of its own and is made before the old one goes: a pooled
        // SQLite connection may not yet see a drop made on another, so re-using the name fails.
        let db = manager.get_connection();
        for (table, target) in MEMBERSHIPS {
            db.execute_unprepared(&format!(
                "CREATE UNIQUE INDEX uq_{table}_open_live ON {table} (member_id, {target}) \
                 WHERE end_date IS NULL AND voided_at IS NULL"
            ))
            .await?;
            db.execute_unprepared(&format!("DROP INDEX uq_{table}_open")).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        for (table, target) in MEMBERSHIPS {
            db.execute_unprepared(&format!(
                "CREATE UNIQUE INDEX uq_{table}_open ON {table} (member_id, {target}) WHERE end_date IS NULL"
            ))
            .await?;
            db.execute_unprepared(&format!("DROP INDEX uq_{table}_open_live")).await?;
        }
        for table in TABLES {
            manager
                .drop_index(Index::drop().name(format!("idx_{table}_voided_by")).table(Alias::new(table)).to_owned())
                .await?;
            for column in ["void_reason", "voided_by", "voided_at"] {
                manager
                    .alter_table(Table::alter().table(Alias::new(table)).drop_column(Alias::new(column)).to_owned())
                    .await?;
            }
        }
        Ok(())
    }
}
