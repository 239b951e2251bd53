//! A run's group figures, kept (issue 19).
//!
//! - `assessment_run.revision`: counts the writes that change a run's results (a
//!   recomputation, an adjustment); figures computed for one revision are never read for
//!   another.
//! - `assessment_group_figures`: what the database computed for a run's groups by one dimension
//!   (counts, sums, the middle rows, grade counts, category sums — a JSON document, labels
//!   left out so that a renamed sector shows its new name), at one revision of the run. Computing
//!   them scans every result of the run and every category subtotal in it; an appraisal view
//!   reads them on every visit.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Alias::new("assessment_run"))
                    .add_column(ColumnDef::new(Alias::new("revision")).big_integer().not_null().default(0))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Alias::new("assessment_group_figures"))
                    .col(ColumnDef::new(Alias::new("run_id")).big_integer().not_null())
                    .col(ColumnDef::new(Alias::new("dimension")).string().not_null())
                    .col(ColumnDef::new(Alias::new("revision")).big_integer().not_null())
                    .col(ColumnDef::new(Alias::new("figures")).text().not_null())
                    .primary_key(
                        Index::create()
                            .col(Alias::new("run_id"))
                            .col(Alias::new("dimension"))
                            .col(Alias::new("revision")),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Alias::new("assessment_group_figures"), Alias::new("run_id"))
                            .to(Alias::new("assessment_run"), Alias::new("id"))
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(Alias::new("assessment_group_figures")).to_owned()).await?;
        manager
            .alter_table(
                Table::alter().table(Alias::new("assessment_run")).drop_column(Alias::new("revision")).to_owned(),
            )
            .await
    }
}
