//! The organisation: terms, members and seats, sectors, special committees, regions, studios,
//! groups, handling units, and the time-bounded memberships between them.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// Width of the short upper-case codes that store enums.
const CODE: u32 = 32;

fn code(col: impl IntoIden) -> ColumnDef {
    string_len(col, CODE)
}

fn code_null(col: impl IntoIden) -> ColumnDef {
    string_len_null(col, CODE)
}

fn fk(from_table: impl IntoIden, from_col: impl IntoIden, to_table: impl IntoIden) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .from(from_table, from_col)
        .to(to_table, Alias::new("id"))
        .on_delete(ForeignKeyAction::Restrict)
        .on_update(ForeignKeyAction::Cascade)
        .to_owned()
}

fn index(table: &str, cols: &[&str]) -> IndexCreateStatement {
    let mut stmt = Index::create();
    stmt.name(format!("idx_{table}_{}", cols.join("_"))).table(Alias::new(table));
    for col in cols {
        stmt.col(Alias::new(*col));
    }
    stmt.to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Term::Table)
                    .col(big_pk_auto(Term::Id))
                    .col(integer_uniq(Term::Number))
                    .col(string(Term::Name))
                    .col(date(Term::StartDate))
                    .col(date(Term::EndDate))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Member::Table)
                    .col(big_pk_auto(Member::Id))
                    .col(string(Member::Name))
                    .col(string(Member::NamePinyin))
                    .col(string(Member::NameInitials))
                    .col(code_null(Member::Gender))
                    .col(string_null(Member::Ethnicity))
                    .col(date_null(Member::BirthDate))
                    .col(string_null(Member::Phone))
                    .col(text_null(Member::Notes))
                    .col(timestamp_with_time_zone(Member::CreatedAt))
                    .col(timestamp_with_time_zone(Member::UpdatedAt))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Sector::Table)
                    .col(big_pk_auto(Sector::Id))
                    .col(string_uniq(Sector::Name))
                    .col(integer(Sector::SortOrder).default(0))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(SpecialCommittee::Table)
                    .col(big_pk_auto(SpecialCommittee::Id))
                    .col(string_uniq(SpecialCommittee::Name))
                    .col(integer(SpecialCommittee::SortOrder).default(0))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Seat::Table)
                    .col(big_pk_auto(Seat::Id))
                    .col(big_integer(Seat::MemberId))
                    .col(big_integer(Seat::TermId))
                    .col(string_null(Seat::MemberNumber))
                    .col(big_integer_null(Seat::SectorId))
                    .col(code(Seat::Party))
                    .col(boolean(Seat::StandingCommittee).default(false))
                    .col(code_null(Seat::LeadershipPost))
                    .col(string_null(Seat::Employer))
                    .col(code(Seat::Status))
                    .col(date(Seat::StartDate))
                    .col(date_null(Seat::EndDate))
                    .col(text_null(Seat::StatusReason))
                    .foreign_key(&mut fk(Seat::Table, Seat::MemberId, Member::Table))
                    .foreign_key(&mut fk(Seat::Table, Seat::TermId, Term::Table))
                    .foreign_key(&mut fk(Seat::Table, Seat::SectorId, Sector::Table))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Region::Table)
                    .col(big_pk_auto(Region::Id))
                    .col(string(Region::Name))
                    .col(code(Region::Level))
                    .col(big_integer_null(Region::ParentId))
                    .col(integer(Region::SortOrder).default(0))
                    .foreign_key(&mut fk(Region::Table, Region::ParentId, Region::Table))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Studio::Table)
                    .col(big_pk_auto(Studio::Id))
                    .col(string_uniq(Studio::Name))
                    .col(code(Studio::Kind))
                    .col(big_integer_null(Studio::RegionId))
                    .col(big_integer_null(Studio::SectorId))
                    .col(string_null(Studio::Address))
                    .col(date_null(Studio::EstablishedOn))
                    .foreign_key(&mut fk(Studio::Table, Studio::RegionId, Region::Table))
                    .foreign_key(&mut fk(Studio::Table, Studio::SectorId, Sector::Table))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(MemberGroup::Table)
                    .col(big_pk_auto(MemberGroup::Id))
                    .col(string_uniq(MemberGroup::Name))
                    .col(code(MemberGroup::Kind))
                    .col(big_integer_null(MemberGroup::CommitteeId))
                    .foreign_key(&mut fk(MemberGroup::Table, MemberGroup::CommitteeId, SpecialCommittee::Table))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(HandlingUnit::Table)
                    .col(big_pk_auto(HandlingUnit::Id))
                    .col(string_uniq(HandlingUnit::Name))
                    .col(string_null(HandlingUnit::Contact))
                    .to_owned(),
            )
            .await?;

        // The four time-bounded memberships share one shape: member × target, role, dates.
        for (table, target_col, target_table, has_role) in [
            ("committee_membership", "committee_id", "special_committee", true),
            ("studio_assignment", "studio_id", "studio", true),
            ("group_membership", "group_id", "member_group", true),
            ("sector_convener", "sector_id", "sector", false),
        ] {
            let mut create = Table::create();
            create
                .table(Alias::new(table))
                .col(big_pk_auto(Alias::new("id")))
                .col(big_integer(Alias::new("member_id")))
                .col(big_integer(Alias::new(target_col)));
            if has_role {
                create.col(code(Alias::new("role")));
            }
            create
                .col(date(Alias::new("start_date")))
                .col(date_null(Alias::new("end_date")))
                .foreign_key(&mut fk(Alias::new(table), Alias::new("member_id"), Member::Table))
                .foreign_key(&mut fk(Alias::new(table), Alias::new(target_col), Alias::new(target_table)));
            manager.create_table(create.to_owned()).await?;
            manager.create_index(index(table, &["member_id"])).await?;
            manager.create_index(index(table, &[target_col])).await?;
            // One open row per member and target: moving a member closes a row, never overwrites.
            manager
                .get_connection()
                .execute_unprepared(&format!(
                    "CREATE UNIQUE INDEX uq_{table}_open ON {table} (member_id, {target_col}) WHERE end_date IS NULL"
                ))
                .await?;
        }

        // A member sits once per term; a member number is given once per term.
        manager
            .create_index(index("seat", &["member_id", "term_id"]).unique().name("uq_seat_member_term").to_owned())
            .await?;
        manager
            .create_index(index("seat", &["term_id", "member_number"]).unique().name("uq_seat_term_number").to_owned())
            .await?;
        for cols in [&["term_id"][..], &["sector_id"], &["party"], &["status"], &["standing_committee"]] {
            manager.create_index(index("seat", cols)).await?;
        }
        manager.create_index(index("member", &["name_pinyin", "id"])).await?;
        manager.create_index(index("member", &["name_initials"])).await?;
        manager.create_index(index("member", &["name"])).await?;
        manager.create_index(index("region", &["parent_id"])).await?;
        manager.create_index(index("region", &["level"])).await?;
        manager
            .get_connection()
            .execute_unprepared("CREATE UNIQUE INDEX uq_region_parent_name ON region (COALESCE(parent_id, 0), name)")
            .await?;
        manager.create_index(index("studio", &["region_id"])).await?;
        manager.create_index(index("studio", &["sector_id"])).await?;
        manager.create_index(index("studio", &["kind"])).await?;
        manager.create_index(index("member_group", &["committee_id"])).await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            "sector_convener",
            "group_membership",
            "studio_assignment",
            "committee_membership",
            "handling_unit",
            "member_group",
            "studio",
            "region",
            "seat",
            "special_committee",
            "sector",
            "member",
            "term",
        ] {
            manager.drop_table(Table::drop().table(Alias::new(table)).to_owned()).await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum Term {
    Table,
    Id,
    Number,
    Name,
    StartDate,
    EndDate,
}

#[derive(DeriveIden)]
enum Member {
    Table,
    Id,
    Name,
    NamePinyin,
    NameInitials,
    Gender,
    Ethnicity,
    BirthDate,
    Phone,
    Notes,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Sector {
    Table,
    Id,
    Name,
    SortOrder,
}

#[derive(DeriveIden)]
enum SpecialCommittee {
    Table,
    Id,
    Name,
    SortOrder,
}

#[derive(DeriveIden)]
enum Seat {
    Table,
    Id,
    MemberId,
    TermId,
    MemberNumber,
    SectorId,
    Party,
    StandingCommittee,
    LeadershipPost,
    Employer,
    Status,
    StartDate,
    EndDate,
    StatusReason,
}

#[derive(DeriveIden)]
enum Region {
    Table,
    Id,
    Name,
    Level,
    ParentId,
    SortOrder,
}

#[derive(DeriveIden)]
enum Studio {
    Table,
    Id,
    Name,
    Kind,
    RegionId,
    SectorId,
    Address,
    EstablishedOn,
}

#[derive(DeriveIden)]
enum MemberGroup {
    Table,
    Id,
    Name,
    Kind,
    CommitteeId,
}

#[derive(DeriveIden)]
enum HandlingUnit {
    Table,
    Id,
    Name,
    Contact,
}
