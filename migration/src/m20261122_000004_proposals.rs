//! Proposals (提案) with their signers, assignments to handling units and logged actions;
//! public-opinion reports (社情民意) with their authors and adoptions.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// Width of the short upper-case codes that store enums.
const CODE: u32 = 32;

fn code(col: &str) -> ColumnDef {
    string_len(Alias::new(col), CODE)
}

fn code_null(col: &str) -> ColumnDef {
    string_len_null(Alias::new(col), CODE)
}

fn fk(from_table: &str, from_col: &str, to_table: &str) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .from(Alias::new(from_table), Alias::new(from_col))
        .to(Alias::new(to_table), Alias::new("id"))
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

fn a(name: &str) -> Alias {
    Alias::new(name)
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(a("proposal"))
                    .col(big_pk_auto(a("id")))
                    .col(integer(a("year")))
                    .col(string_null(a("session")))
                    .col(code("kind"))
                    .col(code("proposer_type"))
                    .col(string_null(a("collective_name")))
                    .col(string(a("title")))
                    .col(string_null(a("category")))
                    .col(text_null(a("situation")))
                    .col(text_null(a("analysis")))
                    .col(text(a("suggestions")))
                    .col(date(a("submitted_on")))
                    .col(code("status"))
                    .col(string_len_null(a("serial_number"), CODE))
                    .col(date_null(a("accepted_on")))
                    .col(code_null("not_accepted_reason"))
                    .col(big_integer_null(a("merged_into_id")))
                    .col(date_null(a("due_date")))
                    .col(date_null(a("answered_on")))
                    .col(code_null("result_class"))
                    .col(boolean_null(a("met_proposer")))
                    .col(code_null("feedback"))
                    .col(boolean(a("key_proposal")).default(false))
                    .col(string_null(a("supervising_leader")))
                    .col(boolean(a("excellent")).default(false))
                    .col(big_integer_null(a("latest_action_id")))
                    .col(timestamp_with_time_zone(a("created_at")))
                    .col(timestamp_with_time_zone(a("updated_at")))
                    .foreign_key(&mut fk("proposal", "merged_into_id", "proposal"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(a("proposal_signer"))
                    .col(big_pk_auto(a("id")))
                    .col(big_integer(a("proposal_id")))
                    .col(big_integer(a("member_id")))
                    .col(code("role"))
                    .foreign_key(&mut fk("proposal_signer", "proposal_id", "proposal"))
                    .foreign_key(&mut fk("proposal_signer", "member_id", "member"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(a("proposal_assignment"))
                    .col(big_pk_auto(a("id")))
                    .col(big_integer(a("proposal_id")))
                    .col(big_integer(a("handling_unit_id")))
                    .col(code("role"))
                    .col(code("status"))
                    .col(date(a("assigned_on")))
                    .col(date(a("due_date")))
                    .col(date_null(a("refused_on")))
                    .col(text_null(a("refusal_reason")))
                    .col(date_null(a("answered_on")))
                    .col(code_null("result_class"))
                    .col(boolean_null(a("met_proposer")))
                    .col(text_null(a("answer_summary")))
                    .foreign_key(&mut fk("proposal_assignment", "proposal_id", "proposal"))
                    .foreign_key(&mut fk("proposal_assignment", "handling_unit_id", "handling_unit"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(a("proposal_action"))
                    .col(big_pk_auto(a("id")))
                    .col(big_integer(a("proposal_id")))
                    .col(code("kind"))
                    .col(code_null("from_status"))
                    .col(code("to_status"))
                    .col(big_integer_null(a("account_id")))
                    .col(string(a("actor_name")))
                    .col(timestamp_with_time_zone(a("at")))
                    .col(text_null(a("note")))
                    .foreign_key(&mut fk("proposal_action", "proposal_id", "proposal"))
                    .foreign_key(&mut fk("proposal_action", "account_id", "account"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(a("proposal_result_label"))
                    .col(string_len(a("result_class"), CODE).primary_key())
                    .col(string(a("label")))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(a("opinion_report"))
                    .col(big_pk_auto(a("id")))
                    .col(integer(a("year")))
                    .col(date(a("submitted_on")))
                    .col(string(a("title")))
                    .col(text(a("body")))
                    .col(code("status"))
                    .col(big_integer_null(a("source_proposal_id")))
                    .col(timestamp_with_time_zone(a("created_at")))
                    .col(timestamp_with_time_zone(a("updated_at")))
                    .foreign_key(&mut fk("opinion_report", "source_proposal_id", "proposal"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(a("opinion_author"))
                    .col(big_pk_auto(a("id")))
                    .col(big_integer(a("report_id")))
                    .col(big_integer(a("member_id")))
                    .col(code("role"))
                    .foreign_key(&mut fk("opinion_author", "report_id", "opinion_report"))
                    .foreign_key(&mut fk("opinion_author", "member_id", "member"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(a("opinion_adoption"))
                    .col(big_pk_auto(a("id")))
                    .col(big_integer(a("report_id")))
                    .col(code("level"))
                    .col(date(a("adopted_on")))
                    .col(string_null(a("channel")))
                    .col(code_null("instruction_level"))
                    .col(string_null(a("instruction_leader")))
                    .col(text_null(a("instruction_text")))
                    .foreign_key(&mut fk("opinion_adoption", "report_id", "opinion_report"))
                    .to_owned(),
            )
            .await?;

        // Every foreign key and filter column has an index.
        for (table, cols) in [
            ("proposal", &["year", "status"][..]),
            ("proposal", &["status"]),
            ("proposal", &["merged_into_id"]),
            ("proposal", &["latest_action_id"]),
            ("proposal", &["key_proposal"]),
            ("proposal", &["excellent"]),
            ("proposal", &["due_date"]),
            ("proposal_signer", &["proposal_id"]),
            ("proposal_signer", &["member_id"]),
            ("proposal_assignment", &["proposal_id"]),
            ("proposal_assignment", &["handling_unit_id", "status"]),
            ("proposal_action", &["proposal_id"]),
            ("proposal_action", &["account_id"]),
            ("opinion_report", &["year", "status"]),
            ("opinion_author", &["report_id"]),
            ("opinion_author", &["member_id"]),
            ("opinion_adoption", &["report_id"]),
            ("opinion_adoption", &["level"]),
        ] {
            manager.create_index(index(table, cols)).await?;
        }
        // A serial number is given once a year; a member signs a proposal (or writes a report)
        // once; a proposal becomes at most one report.
        for (name, table, cols) in [
            ("uq_proposal_year_serial", "proposal", &["year", "serial_number"][..]),
            ("uq_proposal_signer_member", "proposal_signer", &["proposal_id", "member_id"]),
            ("uq_opinion_author_member", "opinion_author", &["report_id", "member_id"]),
            ("uq_opinion_report_source", "opinion_report", &["source_proposal_id"]),
        ] {
            manager.create_index(index(table, cols).unique().name(name).to_owned()).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            "opinion_adoption",
            "opinion_author",
            "opinion_report",
            "proposal_result_label",
            "proposal_action",
            "proposal_assignment",
            "proposal_signer",
            "proposal",
        ] {
            manager.drop_table(Table::drop().table(Alias::new(table)).to_owned()).await?;
        }
        Ok(())
    }
}
