//! Accounts and their bearer tokens.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let fk = |col: Account, table: &str| {
            ForeignKey::create()
                .from(Account::Table, col)
                .to(Alias::new(table), Alias::new("id"))
                .on_delete(ForeignKeyAction::Restrict)
                .to_owned()
        };
        manager
            .create_table(
                Table::create()
                    .table(Account::Table)
                    .col(big_pk_auto(Account::Id))
                    .col(string_uniq(Account::Username))
                    .col(string(Account::PasswordHash))
                    .col(string_len(Account::Role, 32))
                    .col(big_integer_null(Account::MemberId))
                    .col(big_integer_null(Account::CommitteeId))
                    .col(big_integer_null(Account::StudioId))
                    .col(big_integer_null(Account::HandlingUnitId))
                    .col(boolean(Account::Disabled).default(false))
                    .col(timestamp_with_time_zone(Account::CreatedAt))
                    .foreign_key(&mut fk(Account::MemberId, "member"))
                    .foreign_key(&mut fk(Account::CommitteeId, "special_committee"))
                    .foreign_key(&mut fk(Account::StudioId, "studio"))
                    .foreign_key(&mut fk(Account::HandlingUnitId, "handling_unit"))
                    .to_owned(),
            )
            .await?;
        for col in ["member_id", "committee_id", "studio_id", "handling_unit_id", "role"] {
            manager
                .create_index(
                    Index::create()
                        .name(format!("idx_account_{col}"))
                        .table(Account::Table)
                        .col(Alias::new(col))
                        .to_owned(),
                )
                .await?;
        }
        manager
            .create_table(
                Table::create()
                    .table(SessionToken::Table)
                    .col(big_pk_auto(SessionToken::Id))
                    .col(big_integer(SessionToken::AccountId))
                    .col(string_uniq(SessionToken::TokenHash))
                    .col(timestamp_with_time_zone(SessionToken::CreatedAt))
                    .col(timestamp_with_time_zone(SessionToken::ExpiresAt))
                    .col(timestamp_with_time_zone_null(SessionToken::RevokedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(SessionToken::Table, SessionToken::AccountId)
                            .to(Account::Table, Account::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_session_token_account_id")
                    .table(SessionToken::Table)
                    .col(SessionToken::AccountId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(SessionToken::Table).to_owned()).await?;
        manager.drop_table(Table::drop().table(Account::Table).to_owned()).await
    }
}

#[derive(DeriveIden, Clone, Copy)]
enum Account {
    Table,
    Id,
    Username,
    PasswordHash,
    Role,
    MemberId,
    CommitteeId,
    StudioId,
    HandlingUnitId,
    Disabled,
    CreatedAt,
}

#[derive(DeriveIden)]
enum SessionToken {
    Table,
    Id,
    AccountId,
    TokenHash,
    CreatedAt,
    ExpiresAt,
    RevokedAt,
}
