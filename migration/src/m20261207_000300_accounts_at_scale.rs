//! Accounts at scale and scripts in search (issue 20).
//!
//! - `account.must_change_password`: set for one-time passwords (`createMemberAccounts`,
//!   `resetPassword`); such an account may do nothing but change its password until it has.
//! - `account.sector_id` and `account.group_id`: the sector a SECTOR_CONVENER account
//!   convenes and the group a GROUP_LEAD account leads (roles are stored as text, so the two new
//!   roles need no change of the `role` column).
//! - `member.name_folded`: the name folded to simplified characters, the key a search in 汉字
//!   matches. It is filled by the server at start-up (`member::names::fill_folded`), not here:
//!   the folding belongs to the code that folds search terms, and this history holds no data.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The new foreign keys of `account`: column, table referred to.
const LINKS: [(&str, &str); 2] = [("sector_id", "sector"), ("group_id", "member_group")];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Alias::new("account"))
                    .add_column(ColumnDef::new(Alias::new("must_change_password")).boolean().not_null().default(false))
                    .to_owned(),
            )
            .await?;
        for (column, table) in LINKS {
            // One column per statement (SQLite adds one at a time); the reference is written
            // inline, which both SQLite and PostgreSQL accept in ADD COLUMN.
            manager
                .alter_table(
                    Table::alter()
                        .table(Alias::new("account"))
                        .add_column(
                            ColumnDef::new(Alias::new(column))
                                .big_integer()
                                .null()
                                .extra(format!("REFERENCES {table} (id) ON DELETE RESTRICT")),
                        )
                        .to_owned(),
                )
                .await?;
            manager
                .create_index(
                    Index::create()
                        .name(format!("idx_account_{column}"))
                        .table(Alias::new("account"))
                        .col(Alias::new(column))
                        .to_owned(),
                )
                .await?;
        }
        manager
            .alter_table(
                Table::alter()
                    .table(Alias::new("member"))
                    .add_column(ColumnDef::new(Alias::new("name_folded")).string().null())
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(Table::alter().table(Alias::new("member")).drop_column(Alias::new("name_folded")).to_owned())
            .await?;
        for (column, _) in LINKS {
            manager
                .drop_index(Index::drop().name(format!("idx_account_{column}")).table(Alias::new("account")).to_owned())
                .await?;
            manager
                .alter_table(Table::alter().table(Alias::new("account")).drop_column(Alias::new(column)).to_owned())
                .await?;
        }
        manager
            .alter_table(
                Table::alter().table(Alias::new("account")).drop_column(Alias::new("must_change_password")).to_owned(),
            )
            .await
    }
}
