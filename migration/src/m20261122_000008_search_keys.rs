//! Indexes for member search.
//!
//! The name search keys (`member.name_pinyin`, `member.name_initials`) compare in code-point
//! order on PostgreSQL too ("C" collation), as they do on SQLite (BINARY). A prefix search is
//! then a range (`key >= 'lxq' AND key < 'lxr'`) that the keys' plain b-tree indexes serve
//! whatever the database's locale, and sorting by the key gives the same order on both
//! databases (and as Rust sorts strings). Changing the collation rebuilds the indexes on the
//! columns; SQLite needs no change there.
//!
//! A search by member number looks across terms, which the (term, number) index cannot serve:
//! `seat.member_number` gets an index of its own.

use sea_orm_migration::{prelude::*, sea_orm::DbBackend};

#[derive(DeriveMigrationName)]
pub struct Migration;

const NUMBER_INDEX: &str = "idx_seat_member_number";

async fn collate(manager: &SchemaManager<'_>, collation: &str) -> Result<(), DbErr> {
    if manager.get_database_backend() != DbBackend::Postgres {
        return Ok(());
    }
    for column in ["name_pinyin", "name_initials"] {
        manager
            .get_connection()
            .execute_unprepared(&format!("ALTER TABLE member ALTER COLUMN {column} TYPE varchar COLLATE {collation}"))
            .await?;
    }
    Ok(())
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        collate(manager, "\"C\"").await?;
        manager
            .create_index(
                Index::create()
                    .name(NUMBER_INDEX)
                    .table(Alias::new("seat"))
                    .col(Alias::new("member_number"))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_index(Index::drop().name(NUMBER_INDEX).table(Alias::new("seat")).to_owned()).await?;
        collate(manager, "\"default\"").await
    }
}
