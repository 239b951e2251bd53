//! Attendance from a notice: invitations (应出席), leave requests (请假) and closing.
//!
//! - `participation.invited`: the member was expected (应出席); false is 列席 (attending without
//!   being expected), recorded and never counted. Every existing row becomes an invitation with
//!   its mark, so every figure counted before stays the same.
//! - `participation.attendance` may be NULL: an invitee not marked yet (pending until the
//!   activity closes). SQLite cannot drop a NOT NULL, so there the table is rebuilt with its
//!   rows, ids and indexes.
//! - `activity.closed_at` / `closed_by`: when (and by which account; none for the system) the
//!   activity was closed, its unmarked invitees turned ABSENT. Activities already held are
//!   closed as of their last change: their attendance is complete.
//! - `leave_request`: a member's request for leave from an activity, and its decision.

use sea_orm_migration::sea_orm::{ConnectionTrait, DbBackend};
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// Width of the short upper-case codes that store enums.
const CODE: u32 = 32;

#[derive(DeriveIden)]
enum Activity {
    Table,
    Id,
    ClosedAt,
    ClosedBy,
}

#[derive(DeriveIden)]
enum Participation {
    Table,
    Invited,
}

#[derive(DeriveIden)]
enum LeaveRequest {
    Table,
    Id,
    ActivityId,
    MemberId,
    Reason,
    RequestedAt,
    Late,
    Status,
    DecidedBy,
    DecidedAt,
    Note,
}

/// The participation table as SQLite rebuilds it: the old columns with the types sea-orm gave
/// them on SQLite, `attendance` nullable, and `invited`.
const SQLITE_PARTICIPATION: &str = "CREATE TABLE participation_v2 (
    id integer NOT NULL PRIMARY KEY AUTOINCREMENT,
    activity_id integer NOT NULL,
    member_id integer NOT NULL,
    activity_date date_text NOT NULL,
    attendance varchar(32) NULL,
    role varchar(32) NOT NULL,
    note text NULL,
    invited boolean NOT NULL DEFAULT TRUE,
    FOREIGN KEY (activity_id) REFERENCES activity (id) ON DELETE CASCADE ON UPDATE CASCADE,
    FOREIGN KEY (member_id) REFERENCES member (id) ON DELETE RESTRICT ON UPDATE CASCADE
)";

/// The indexes of `participation`, recreated after SQLite's rebuild.
const SQLITE_INDEXES: &[&str] = &[
    "CREATE UNIQUE INDEX idx_participation_activity_id_member_id ON participation (activity_id, member_id)",
    "CREATE INDEX idx_participation_member_id_activity_date_id ON participation (member_id, activity_date, id)",
    "CREATE INDEX idx_participation_role_activity_date ON participation (role, activity_date)",
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        if manager.get_database_backend() == DbBackend::Sqlite {
            // One batch, so every statement runs on the same connection: another connection of
            // the pool holding an older snapshot would still see the old table's indexes.
            let mut batch = vec![
                SQLITE_PARTICIPATION.to_owned(),
                "INSERT INTO participation_v2 (id, activity_id, member_id, activity_date, attendance, role, note, \
                 invited) SELECT id, activity_id, member_id, activity_date, attendance, role, note, TRUE \
                 FROM participation"
                    .to_owned(),
                "DROP TABLE participation".to_owned(),
                "ALTER TABLE participation_v2 RENAME TO participation".to_owned(),
            ];
            batch.extend(SQLITE_INDEXES.iter().map(|s| (*s).to_owned()));
            db.execute_unprepared(&batch.join(";\n")).await?;
        } else {
            db.execute_unprepared("ALTER TABLE participation ALTER COLUMN attendance DROP NOT NULL").await?;
            manager
                .alter_table(
                    Table::alter()
                        .table(Participation::Table)
                        .add_column(boolean(Participation::Invited).default(true))
                        .to_owned(),
                )
                .await?;
        }
        manager
            .alter_table(
                Table::alter()
                    .table(Activity::Table)
                    .add_column(timestamp_with_time_zone_null(Activity::ClosedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter().table(Activity::Table).add_column(big_integer_null(Activity::ClosedBy)).to_owned(),
            )
            .await?;
        db.execute_unprepared("UPDATE activity SET closed_at = updated_at WHERE status = 'DONE'").await?;
        // The auto-close task looks for open activities by their last day.
        manager
            .create_index(
                Index::create()
                    .name("idx_activity_closed_at_end_date")
                    .table(Activity::Table)
                    .col(Activity::ClosedAt)
                    .col(Alias::new("end_date"))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(LeaveRequest::Table)
                    .col(big_pk_auto(LeaveRequest::Id))
                    .col(big_integer(LeaveRequest::ActivityId))
                    .col(big_integer(LeaveRequest::MemberId))
                    .col(text(LeaveRequest::Reason))
                    .col(timestamp_with_time_zone(LeaveRequest::RequestedAt))
                    .col(boolean(LeaveRequest::Late).default(false))
                    .col(string_len(LeaveRequest::Status, CODE))
                    .col(big_integer_null(LeaveRequest::DecidedBy))
                    .col(timestamp_with_time_zone_null(LeaveRequest::DecidedAt))
                    .col(text_null(LeaveRequest::Note))
                    .foreign_key(
                        ForeignKey::create()
                            .from(LeaveRequest::Table, LeaveRequest::ActivityId)
                            .to(Activity::Table, Activity::Id)
                            .on_delete(ForeignKeyAction::Cascade)
                            .on_update(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(LeaveRequest::Table, LeaveRequest::MemberId)
                            .to(Alias::new("member"), Alias::new("id"))
                            .on_delete(ForeignKeyAction::Restrict)
                            .on_update(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        // One request per member and activity; a member's requests list by member.
        manager
            .create_index(
                Index::create()
                    .name("idx_leave_request_activity_id_member_id")
                    .table(LeaveRequest::Table)
                    .col(LeaveRequest::ActivityId)
                    .col(LeaveRequest::MemberId)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_leave_request_member_id_id")
                    .table(LeaveRequest::Table)
                    .col(LeaveRequest::MemberId)
                    .col(LeaveRequest::Id)
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(LeaveRequest::Table).to_owned()).await?;
        manager
            .drop_index(Index::drop().name("idx_activity_closed_at_end_date").table(Activity::Table).to_owned())
            .await?;
        for column in [Activity::ClosedAt, Activity::ClosedBy] {
            manager.alter_table(Table::alter().table(Activity::Table).drop_column(column).to_owned()).await?;
        }
        let db = manager.get_connection();
        // Pending invitations and 列席 rows have no place in the old table.
        db.execute_unprepared("DELETE FROM participation WHERE attendance IS NULL OR NOT invited").await?;
        manager
            .alter_table(Table::alter().table(Participation::Table).drop_column(Participation::Invited).to_owned())
            .await?;
        if manager.get_database_backend() != DbBackend::Sqlite {
            db.execute_unprepared("ALTER TABLE participation ALTER COLUMN attendance SET NOT NULL").await?;
        }
        Ok(())
    }
}
