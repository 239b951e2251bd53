//! The exit mechanism (委员退出) and absence limits: exit cases with their steps, and on each
//! assessment result the absence limits it reached (the flags they raised, with counts).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// Width of the short upper-case codes that store enums.
const CODE: u32 = 32;

fn a(name: &str) -> Alias {
    Alias::new(name)
}

fn fk(from_table: &str, from_col: &str, to_table: &str, cascade: bool) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .from(a(from_table), a(from_col))
        .to(a(to_table), a("id"))
        .on_delete(if cascade { ForeignKeyAction::Cascade } else { ForeignKeyAction::Restrict })
        .on_update(ForeignKeyAction::Cascade)
        .to_owned()
}

fn index(table: &str, cols: &[&str]) -> IndexCreateStatement {
    let mut stmt = Index::create();
    stmt.name(format!("idx_{table}_{}", cols.join("_"))).table(a(table));
    for col in cols {
        stmt.col(a(col));
    }
    stmt.to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(a("exit_case"))
                    .col(big_pk_auto(a("id")))
                    .col(big_integer(a("member_id")))
                    .col(big_integer(a("seat_id")))
                    .col(string_len(a("source"), CODE))
                    .col(big_integer_null(a("member_assessment_id")))
                    .col(string_len_null(a("flag"), CODE))
                    .col(text(a("reason")))
                    .col(date(a("opened_on")))
                    .col(string_len(a("status"), CODE))
                    .col(string_len_null(a("stage"), CODE))
                    .col(string_len_null(a("outcome"), CODE))
                    .col(date_null(a("decided_on")))
                    .col(big_integer_null(a("opened_by_account_id")))
                    .col(string(a("opened_by")))
                    .col(timestamp_with_time_zone(a("created_at")))
                    .foreign_key(&mut fk("exit_case", "member_id", "member", false))
                    .foreign_key(&mut fk("exit_case", "seat_id", "seat", false))
                    .foreign_key(&mut fk("exit_case", "member_assessment_id", "member_assessment", false))
                    .foreign_key(&mut fk("exit_case", "opened_by_account_id", "account", false))
                    .to_owned(),
            )
            .await?;
        // A member's cases; the list filters by status and pages by (opened_on, id).
        for cols in [
            &["member_id", "status"][..],
            &["seat_id"],
            &["member_assessment_id"],
            &["opened_by_account_id"],
            &["status", "opened_on", "id"],
            &["opened_on", "id"],
        ] {
            manager.create_index(index("exit_case", cols)).await?;
        }

        manager
            .create_table(
                Table::create()
                    .table(a("exit_case_step"))
                    .col(big_pk_auto(a("id")))
                    .col(big_integer(a("case_id")))
                    .col(string_len(a("step"), CODE))
                    .col(date(a("taken_on")))
                    .col(string(a("taken_by")))
                    .col(text_null(a("note")))
                    .col(string_len_null(a("outcome"), CODE))
                    .col(big_integer_null(a("recorded_by_account_id")))
                    .col(string(a("recorded_by")))
                    .col(timestamp_with_time_zone(a("created_at")))
                    .foreign_key(&mut fk("exit_case_step", "case_id", "exit_case", true))
                    .foreign_key(&mut fk("exit_case_step", "recorded_by_account_id", "account", false))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("exit_case_step", &["case_id", "id"])).await?;
        manager.create_index(index("exit_case_step", &["recorded_by_account_id"])).await?;

        // The absence limits a result reached, as JSON text (`[{"code","label","flag","span",
        // "count","limit"}]`); results written before this migration reached none.
        manager
            .alter_table(
                Table::alter()
                    .table(a("member_assessment"))
                    .add_column(text(a("absence_flags")).default("[]"))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(Table::alter().table(a("member_assessment")).drop_column(a("absence_flags")).to_owned())
            .await?;
        manager.drop_table(Table::drop().table(a("exit_case_step")).to_owned()).await?;
        manager.drop_table(Table::drop().table(a("exit_case")).to_owned()).await
    }
}
