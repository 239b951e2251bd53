//! An index for scoring rules that select participations by role.
//!
//! A rule such as 桐城's 书面发言 (written speech, 5 points each) selects the few
//! participations with one role among every participation of the year; without an index on
//! the role the database reads them all (about a million at 10,000 members) to find them.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

const ROLE_INDEX: &str = "idx_participation_role_activity_date";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_index(
                Index::create()
                    .name(ROLE_INDEX)
                    .table(Alias::new("participation"))
                    .col(Alias::new("role"))
                    .col(Alias::new("activity_date"))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_index(Index::drop().name(ROLE_INDEX).table(Alias::new("participation")).to_owned()).await
    }
}
