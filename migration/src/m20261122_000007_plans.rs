//! Annual plans ("三亮"): plans, their items with the three stages (goal, progress, result),
//! the activities that carried items out, and members' personal yearly targets.
//!
//! Target values are stored as integer hundredths (`value_hundredths`, BIGINT) so they compare
//! exactly on SQLite and PostgreSQL alike.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// Width of the short upper-case codes that store enums.
const CODE: u32 = 32;

fn a(name: &str) -> Alias {
    Alias::new(name)
}

fn code(col: &str) -> ColumnDef {
    string_len(a(col), CODE)
}

fn fk(from_table: &str, from_col: &str, to_table: &str, cascade: bool) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .from(a(from_table), a(from_col))
        .to(a(to_table), a("id"))
        .on_delete(if cascade { ForeignKeyAction::Cascade } else { ForeignKeyAction::Restrict })
        .on_update(ForeignKeyAction::Cascade)
        .to_owned()
}

fn index(table: &str, cols: &[&str], unique: bool) -> IndexCreateStatement {
    let mut stmt = Index::create();
    stmt.name(format!("idx_{table}_{}", cols.join("_"))).table(a(table));
    if unique {
        stmt.unique();
    }
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
                    .table(a("plan"))
                    .col(big_pk_auto(a("id")))
                    .col(integer(a("year")))
                    .col(big_integer_null(a("term_id")))
                    .col(string(a("title")))
                    .col(text_null(a("description")))
                    .col(timestamp_with_time_zone(a("created_at")))
                    .col(timestamp_with_time_zone(a("updated_at")))
                    .foreign_key(&mut fk("plan", "term_id", "term", false))
                    .to_owned(),
            )
            .await?;
        // `plans(year)`; one title per year.
        manager.create_index(index("plan", &["year", "title"], true)).await?;
        manager.create_index(index("plan", &["term_id"], false)).await?;

        manager
            .create_table(
                Table::create()
                    .table(a("plan_item"))
                    .col(big_pk_auto(a("id")))
                    .col(big_integer(a("plan_id")))
                    .col(integer(a("number")))
                    .col(code("item_type"))
                    .col(string(a("area")))
                    .col(string(a("title")))
                    .col(big_integer_null(a("lead_committee_id")))
                    .col(date(a("target_date")))
                    .col(code("status"))
                    .col(timestamp_with_time_zone(a("created_at")))
                    .col(timestamp_with_time_zone(a("updated_at")))
                    .foreign_key(&mut fk("plan_item", "plan_id", "plan", true))
                    .foreign_key(&mut fk("plan_item", "lead_committee_id", "special_committee", false))
                    .to_owned(),
            )
            .await?;
        // Items page by number within their plan; filters on type, lead, status, target date.
        for (cols, unique) in [
            (&["plan_id", "number"][..], true),
            (&["plan_id", "item_type"], false),
            (&["plan_id", "status"], false),
            (&["plan_id", "target_date"], false),
            (&["lead_committee_id"], false),
        ] {
            manager.create_index(index("plan_item", cols, unique)).await?;
        }

        manager
            .create_table(
                Table::create()
                    .table(a("plan_stage"))
                    .col(big_pk_auto(a("id")))
                    .col(big_integer(a("plan_item_id")))
                    .col(code("stage"))
                    .col(text(a("text")))
                    .col(date(a("recorded_on")))
                    .col(big_integer_null(a("recorded_by_account_id")))
                    .col(string(a("recorded_by")))
                    .col(timestamp_with_time_zone(a("created_at")))
                    .foreign_key(&mut fk("plan_stage", "plan_item_id", "plan_item", true))
                    .foreign_key(&mut fk("plan_stage", "recorded_by_account_id", "account", false))
                    .to_owned(),
            )
            .await?;
        // One row per (item, stage); the progress query looks stages up by item and stage.
        manager.create_index(index("plan_stage", &["plan_item_id", "stage"], true)).await?;
        manager.create_index(index("plan_stage", &["recorded_by_account_id"], false)).await?;

        manager
            .create_table(
                Table::create()
                    .table(a("plan_item_activity"))
                    .col(big_pk_auto(a("id")))
                    .col(big_integer(a("plan_item_id")))
                    .col(big_integer(a("activity_id")))
                    .foreign_key(&mut fk("plan_item_activity", "plan_item_id", "plan_item", true))
                    .foreign_key(&mut fk("plan_item_activity", "activity_id", "activity", true))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("plan_item_activity", &["plan_item_id", "activity_id"], true)).await?;
        manager.create_index(index("plan_item_activity", &["activity_id"], false)).await?;

        manager
            .create_table(
                Table::create()
                    .table(a("member_target"))
                    .col(big_pk_auto(a("id")))
                    .col(big_integer(a("member_id")))
                    .col(integer(a("year")))
                    .col(code("kind"))
                    .col(big_integer(a("value_hundredths")))
                    .col(timestamp_with_time_zone(a("created_at")))
                    .col(timestamp_with_time_zone(a("updated_at")))
                    .foreign_key(&mut fk("member_target", "member_id", "member", false))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("member_target", &["member_id", "year", "kind"], true)).await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in ["member_target", "plan_item_activity", "plan_stage", "plan_item", "plan"] {
            manager.drop_table(Table::drop().table(a(table)).to_owned()).await?;
        }
        Ok(())
    }
}
