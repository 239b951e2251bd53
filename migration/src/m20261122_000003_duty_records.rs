//! Duty records: activities and their participations, training sessions and attendance, and
//! other duty items.
//!
//! Quantities that are summed are stored as integers of a fixed fraction, so that sums are exact
//! on both databases (SQLite has no exact decimal type; sea-orm binds a `Decimal` there as text
//! and SQLite's SUM would turn it into a float): training hours in tenths of an hour
//! (`credit_tenths`, `hours_tenths`), donations in fen (`donations_fen`). The API converts them
//! to `Decimal` at its edge.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// Width of the short upper-case codes that store enums.
const CODE: u32 = 32;

fn fk(from_table: impl IntoIden, from_col: impl IntoIden, to_table: &str, cascade: bool) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .from(from_table, from_col)
        .to(Alias::new(to_table), Alias::new("id"))
        .on_delete(if cascade { ForeignKeyAction::Cascade } else { ForeignKeyAction::Restrict })
        .on_update(ForeignKeyAction::Cascade)
        .to_owned()
}

fn index(table: &str, cols: &[&str], unique: bool) -> IndexCreateStatement {
    let mut stmt = Index::create();
    stmt.name(format!("idx_{table}_{}", cols.join("_"))).table(Alias::new(table));
    for col in cols {
        stmt.col(Alias::new(*col));
    }
    if unique {
        stmt.unique();
    }
    stmt.to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Activity::Table)
                    .col(big_pk_auto(Activity::Id))
                    .col(string(Activity::Title))
                    .col(string_len(Activity::Kind, CODE))
                    .col(string_len_null(Activity::Subkind, CODE))
                    .col(string_len(Activity::OrganiserKind, CODE))
                    .col(big_integer_null(Activity::CommitteeId))
                    .col(big_integer_null(Activity::SectorId))
                    .col(big_integer_null(Activity::StudioId))
                    .col(big_integer_null(Activity::GroupId))
                    .col(date(Activity::StartDate))
                    .col(date(Activity::EndDate))
                    .col(string_null(Activity::Location))
                    .col(string_len(Activity::Status, CODE))
                    .col(boolean(Activity::Compulsory).default(false))
                    .col(integer_null(Activity::IssuesSolved))
                    .col(integer_null(Activity::PeopleServed))
                    .col(big_integer_null(Activity::DonationsFen))
                    .col(text_null(Activity::Description))
                    .col(timestamp_with_time_zone(Activity::CreatedAt))
                    .col(timestamp_with_time_zone(Activity::UpdatedAt))
                    .foreign_key(&mut fk(Activity::Table, Activity::CommitteeId, "special_committee", false))
                    .foreign_key(&mut fk(Activity::Table, Activity::SectorId, "sector", false))
                    .foreign_key(&mut fk(Activity::Table, Activity::StudioId, "studio", false))
                    .foreign_key(&mut fk(Activity::Table, Activity::GroupId, "member_group", false))
                    .to_owned(),
            )
            .await?;
        // Foreign keys and the filter columns of `activities` (kind, subkind, date, organiser).
        for cols in [
            &["start_date", "id"][..],
            &["kind", "start_date"],
            &["subkind"],
            &["committee_id"],
            &["sector_id"],
            &["studio_id"],
            &["group_id"],
        ] {
            manager.create_index(index("activity", cols, false)).await?;
        }

        manager
            .create_table(
                Table::create()
                    .table(Participation::Table)
                    .col(big_pk_auto(Participation::Id))
                    .col(big_integer(Participation::ActivityId))
                    .col(big_integer(Participation::MemberId))
                    .col(date(Participation::ActivityDate))
                    .col(string_len(Participation::Attendance, CODE))
                    .col(string_len(Participation::Role, CODE))
                    .col(text_null(Participation::Note))
                    .foreign_key(&mut fk(Participation::Table, Participation::ActivityId, "activity", true))
                    .foreign_key(&mut fk(Participation::Table, Participation::MemberId, "member", false))
                    .to_owned(),
            )
            .await?;
        // One row per (activity, member); a member's participations page by date.
        manager.create_index(index("participation", &["activity_id", "member_id"], true)).await?;
        manager.create_index(index("participation", &["member_id", "activity_date", "id"], false)).await?;

        manager
            .create_table(
                Table::create()
                    .table(TrainingSession::Table)
                    .col(big_pk_auto(TrainingSession::Id))
                    .col(string(TrainingSession::Title))
                    .col(string_len(TrainingSession::Kind, CODE))
                    .col(string_len(TrainingSession::OrganiserKind, CODE))
                    .col(big_integer_null(TrainingSession::CommitteeId))
                    .col(big_integer_null(TrainingSession::SectorId))
                    .col(big_integer_null(TrainingSession::StudioId))
                    .col(big_integer_null(TrainingSession::GroupId))
                    .col(date(TrainingSession::StartDate))
                    .col(date(TrainingSession::EndDate))
                    .col(string_null(TrainingSession::Location))
                    .col(big_integer(TrainingSession::CreditTenths))
                    .col(timestamp_with_time_zone(TrainingSession::CreatedAt))
                    .foreign_key(&mut fk(
                        TrainingSession::Table,
                        TrainingSession::CommitteeId,
                        "special_committee",
                        false,
                    ))
                    .foreign_key(&mut fk(TrainingSession::Table, TrainingSession::SectorId, "sector", false))
                    .foreign_key(&mut fk(TrainingSession::Table, TrainingSession::StudioId, "studio", false))
                    .foreign_key(&mut fk(TrainingSession::Table, TrainingSession::GroupId, "member_group", false))
                    .to_owned(),
            )
            .await?;
        for cols in
            [&["start_date", "id"][..], &["kind"], &["committee_id"], &["sector_id"], &["studio_id"], &["group_id"]]
        {
            manager.create_index(index("training_session", cols, false)).await?;
        }

        manager
            .create_table(
                Table::create()
                    .table(TrainingAttendance::Table)
                    .col(big_pk_auto(TrainingAttendance::Id))
                    .col(big_integer(TrainingAttendance::SessionId))
                    .col(big_integer(TrainingAttendance::MemberId))
                    .col(big_integer(TrainingAttendance::HoursTenths))
                    .col(boolean(TrainingAttendance::Completed).default(false))
                    .foreign_key(&mut fk(
                        TrainingAttendance::Table,
                        TrainingAttendance::SessionId,
                        "training_session",
                        true,
                    ))
                    .foreign_key(&mut fk(TrainingAttendance::Table, TrainingAttendance::MemberId, "member", false))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("training_attendance", &["session_id", "member_id"], true)).await?;
        manager.create_index(index("training_attendance", &["member_id"], false)).await?;

        manager
            .create_table(
                Table::create()
                    .table(DutyItem::Table)
                    .col(big_pk_auto(DutyItem::Id))
                    .col(big_integer(DutyItem::MemberId))
                    .col(string_len(DutyItem::Kind, CODE))
                    .col(string(DutyItem::Title))
                    .col(date(DutyItem::Date))
                    .col(text_null(DutyItem::Evidence))
                    .col(integer(DutyItem::Suggestions).default(0))
                    .col(string_len(DutyItem::Status, CODE))
                    .col(text_null(DutyItem::ReviewNote))
                    .col(big_integer_null(DutyItem::ReviewedBy))
                    .col(timestamp_with_time_zone_null(DutyItem::ReviewedAt))
                    .col(timestamp_with_time_zone(DutyItem::CreatedAt))
                    .foreign_key(&mut fk(DutyItem::Table, DutyItem::MemberId, "member", false))
                    .foreign_key(&mut fk(DutyItem::Table, DutyItem::ReviewedBy, "account", false))
                    .to_owned(),
            )
            .await?;
        for cols in
            [&["member_id", "date"][..], &["kind", "status", "date"], &["status", "date", "id"], &["reviewed_by"]]
        {
            manager.create_index(index("duty_item", cols, false)).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(DutyItem::Table).to_owned()).await?;
        manager.drop_table(Table::drop().table(TrainingAttendance::Table).to_owned()).await?;
        manager.drop_table(Table::drop().table(TrainingSession::Table).to_owned()).await?;
        manager.drop_table(Table::drop().table(Participation::Table).to_owned()).await?;
        manager.drop_table(Table::drop().table(Activity::Table).to_owned()).await
    }
}

#[derive(DeriveIden, Clone, Copy)]
enum Activity {
    Table,
    Id,
    Title,
    Kind,
    Subkind,
    OrganiserKind,
    CommitteeId,
    SectorId,
    StudioId,
    GroupId,
    StartDate,
    EndDate,
    Location,
    Status,
    Compulsory,
    IssuesSolved,
    PeopleServed,
    DonationsFen,
    Description,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum Participation {
    Table,
    Id,
    ActivityId,
    MemberId,
    ActivityDate,
    Attendance,
    Role,
    Note,
}

#[derive(DeriveIden, Clone, Copy)]
enum TrainingSession {
    Table,
    Id,
    Title,
    Kind,
    OrganiserKind,
    CommitteeId,
    SectorId,
    StudioId,
    GroupId,
    StartDate,
    EndDate,
    Location,
    CreditTenths,
    CreatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum TrainingAttendance {
    Table,
    Id,
    SessionId,
    MemberId,
    HoursTenths,
    Completed,
}

#[derive(DeriveIden, Clone, Copy)]
enum DutyItem {
    Table,
    Id,
    MemberId,
    Kind,
    Title,
    Date,
    Evidence,
    Suggestions,
    Status,
    ReviewNote,
    ReviewedBy,
    ReviewedAt,
    CreatedAt,
}
