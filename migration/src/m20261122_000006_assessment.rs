//! The yearly assessment (履职考核): rule sets, runs, member results, score lines and manual
//! adjustments.
//!
//! Points are stored as integer hundredths (`*_cents`, BIGINT): SQLite has no exact decimal
//! type (sea-orm binds a `Decimal` there as text, which sorts and sums as text or float), so
//! hundredths keep totals, sums and ordering exact and identical on SQLite and PostgreSQL.
//! Rule points are limited to two decimal places; split shares are rounded to hundredths. The
//! services convert to `Decimal` at their edge. A rule set's definition is JSON text whose
//! points are decimal strings.

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

fn fk(from_table: &str, from_col: &str, to_table: &str) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .from(a(from_table), a(from_col))
        .to(a(to_table), a("id"))
        .on_delete(ForeignKeyAction::Restrict)
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
                    .table(a("rule_set"))
                    .col(big_pk_auto(a("id")))
                    .col(string(a("name")))
                    .col(integer(a("version")))
                    .col(text_null(a("description")))
                    .col(big_integer_null(a("term_id")))
                    .col(integer_null(a("year")))
                    .col(code("scale"))
                    .col(text(a("definition")))
                    .col(big_integer_null(a("created_by")))
                    .col(timestamp_with_time_zone(a("created_at")))
                    .foreign_key(&mut fk("rule_set", "term_id", "term"))
                    .foreign_key(&mut fk("rule_set", "created_by", "account"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(a("assessment_run"))
                    .col(big_pk_auto(a("id")))
                    .col(big_integer(a("rule_set_id")))
                    .col(integer(a("year")))
                    .col(code("status"))
                    .col(integer(a("member_count")))
                    .col(big_integer(a("line_count")))
                    .col(timestamp_with_time_zone(a("computed_at")))
                    .col(timestamp_with_time_zone_null(a("confirmed_at")))
                    .col(timestamp_with_time_zone_null(a("published_at")))
                    .col(big_integer_null(a("created_by")))
                    .col(timestamp_with_time_zone(a("created_at")))
                    .foreign_key(&mut fk("assessment_run", "rule_set_id", "rule_set"))
                    .foreign_key(&mut fk("assessment_run", "created_by", "account"))
                    .to_owned(),
            )
            .await?;
        let mut results = Table::create();
        results
            .table(a("member_assessment"))
            .col(big_pk_auto(a("id")))
            .col(big_integer(a("run_id")))
            .col(big_integer(a("member_id")))
            .col(integer(a("year")))
            .col(string(a("name_pinyin")))
            .col(big_integer(a("seat_id")))
            .col(big_integer_null(a("sector_id")))
            .col(big_integer_null(a("committee_id")))
            .col(big_integer_null(a("studio_id")))
            .col(big_integer_null(a("town_id")))
            .col(boolean(a("standing")))
            .col(boolean(a("new_member")))
            .col(big_integer(a("computed_cents")))
            .col(big_integer(a("adjustment_cents")))
            .col(big_integer(a("total_cents")))
            .col(text(a("subtotals")))
            .col(code("grade"))
            .col(string_len_null(a("grade_cap"), CODE))
            .col(text(a("unmet_minimums")))
            .col(boolean(a("passed")))
            .col(boolean(a("previous_failed")))
            .col(integer(a("plenary_absences")));
        for rank in
            ["rank", "sector_rank", "committee_rank", "studio_rank", "town_rank", "standing_rank", "newness_rank"]
        {
            results.col(integer(a(rank)).default(0));
        }
        for flag in ["flag_commend", "flag_reminder", "flag_resign", "flag_minimum"] {
            results.col(boolean(a(flag)).default(false));
        }
        results
            .foreign_key(&mut fk("member_assessment", "run_id", "assessment_run"))
            .foreign_key(&mut fk("member_assessment", "member_id", "member"))
            .foreign_key(&mut fk("member_assessment", "seat_id", "seat"));
        manager.create_table(results.to_owned()).await?;
        manager
            .create_table(
                Table::create()
                    .table(a("score_line"))
                    .col(big_pk_auto(a("id")))
                    .col(big_integer(a("run_id")))
                    .col(big_integer(a("assessment_id")))
                    .col(big_integer(a("member_id")))
                    .col(integer(a("seq")))
                    .col(string(a("rule_code")))
                    .col(string(a("rule_label")))
                    .col(string(a("category")))
                    .col(code("source"))
                    .col(big_integer(a("source_id")))
                    .col(date(a("date")))
                    .col(string(a("description")))
                    .col(big_integer(a("points_cents")))
                    .col(string_null(a("note")))
                    .foreign_key(&mut fk("score_line", "run_id", "assessment_run"))
                    .foreign_key(&mut fk("score_line", "assessment_id", "member_assessment"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(a("assessment_adjustment"))
                    .col(big_pk_auto(a("id")))
                    .col(big_integer(a("run_id")))
                    .col(big_integer(a("member_id")))
                    .col(big_integer(a("points_cents")))
                    .col(text(a("reason")))
                    .col(big_integer_null(a("account_id")))
                    .col(string(a("author")))
                    .col(timestamp_with_time_zone(a("created_at")))
                    .foreign_key(&mut fk("assessment_adjustment", "run_id", "assessment_run"))
                    .foreign_key(&mut fk("assessment_adjustment", "member_id", "member"))
                    .foreign_key(&mut fk("assessment_adjustment", "account_id", "account"))
                    .to_owned(),
            )
            .await?;
        for (table, cols, unique) in [
            ("rule_set", &["name", "version"][..], true),
            ("rule_set", &["term_id"][..], false),
            ("rule_set", &["created_by"][..], false),
            ("assessment_run", &["rule_set_id", "year"][..], true),
            ("assessment_run", &["year", "status"][..], false),
            ("assessment_run", &["created_by"][..], false),
            ("member_assessment", &["run_id", "member_id"][..], true),
            ("member_assessment", &["member_id", "year"][..], false),
            ("member_assessment", &["run_id", "total_cents"][..], false),
            ("member_assessment", &["run_id", "rank"][..], false),
            ("member_assessment", &["run_id", "name_pinyin"][..], false),
            ("member_assessment", &["run_id", "grade"][..], false),
            ("member_assessment", &["run_id", "sector_id"][..], false),
            ("member_assessment", &["run_id", "committee_id"][..], false),
            ("member_assessment", &["run_id", "studio_id"][..], false),
            ("member_assessment", &["seat_id"][..], false),
            ("score_line", &["assessment_id", "seq"][..], false),
            ("score_line", &["run_id"][..], false),
            ("assessment_adjustment", &["run_id", "member_id"][..], false),
            ("assessment_adjustment", &["member_id"][..], false),
            ("assessment_adjustment", &["account_id"][..], false),
        ] {
            manager.create_index(index(table, cols, unique)).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in ["assessment_adjustment", "score_line", "member_assessment", "assessment_run", "rule_set"] {
            manager.drop_table(Table::drop().table(a(table)).to_owned()).await?;
        }
        Ok(())
    }
}
