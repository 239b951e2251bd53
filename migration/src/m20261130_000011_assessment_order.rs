//! Indexes in the appraisal table's orders.
//!
//! A run's results are listed by rank, by total (best first) or by name, each with
//! `name_pinyin, id` breaking ties (the keyset of the page cursor). The first indexes stopped at
//! `(run_id, rank)`, `(run_id, total_cents)` and `(run_id, name_pinyin)`; without statistics
//! SQLite took any `run_id` index, read the run's 10,000 results and sorted them for every page
//! (3.5–4 ms). Indexes in the whole order let it walk the run in order and stop at the page's
//! end (0.3–0.8 ms).

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

const TABLE: &str = "member_assessment";

/// An index's columns after `run_id`, each with its direction.
type Columns = &'static [(&'static str, IndexOrder)];

/// (index replaced, its replacement, the replacement's columns after `run_id`).
const ORDERS: [(&str, &str, Columns); 3] = [
    (
        "idx_member_assessment_run_id_rank",
        "idx_member_assessment_run_rank_order",
        &[("rank", IndexOrder::Asc), ("name_pinyin", IndexOrder::Asc), ("id", IndexOrder::Asc)],
    ),
    (
        "idx_member_assessment_run_id_total_cents",
        "idx_member_assessment_run_total_order",
        &[("total_cents", IndexOrder::Desc), ("name_pinyin", IndexOrder::Asc), ("id", IndexOrder::Asc)],
    ),
    (
        "idx_member_assessment_run_id_name_pinyin",
        "idx_member_assessment_run_name_order",
        &[("name_pinyin", IndexOrder::Asc), ("id", IndexOrder::Asc)],
    ),
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for (old, new, columns) in ORDERS {
            manager.drop_index(Index::drop().name(old).table(Alias::new(TABLE)).to_owned()).await?;
            let mut index = Index::create();
            index.name(new).table(Alias::new(TABLE)).col(Alias::new("run_id"));
            for (column, order) in columns {
                index.col((Alias::new(*column), order.clone()));
            }
            manager.create_index(index.to_owned()).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for (old, new, columns) in ORDERS {
            manager.drop_index(Index::drop().name(new).table(Alias::new(TABLE)).to_owned()).await?;
            manager
                .create_index(
                    Index::create()
                        .name(old)
                        .table(Alias::new(TABLE))
                        .col(Alias::new("run_id"))
                        .col(Alias::new(columns[0].0))
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}
