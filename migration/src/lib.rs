//! lvzhi's schema history. Each migration is self-contained (it does not read the entity crate),
//! so old migrations keep meaning what they meant when they ran. No data lives here.

pub use sea_orm_migration::prelude::*;

mod m20261122_000001_organisation;
mod m20261122_000002_accounts;
mod m20261122_000003_duty_records;
mod m20261122_000004_proposals;
mod m20261122_000005_audit_log;
mod m20261122_000006_assessment;
mod m20261122_000007_plans;
mod m20261122_000008_search_keys;
mod m20261130_000009_participation_role;
mod m20261130_000010_member_order;
mod m20261130_000011_assessment_order;
mod m20261130_000012_score_line_key;
mod m20261130_000013_assessment_lines;
mod m20261201_000014_lines_compression;
mod m20261207_000100_invitations;
mod m20261207_000300_accounts_at_scale;
mod m20261207_000400_exit_cases;
mod m20261207_000500_void;
mod m20261207_000800_group_figures;
mod m20261207_000900_voided_index;

/// Applies lvzhi's migrations in order.
pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261122_000001_organisation::Migration),
            Box::new(m20261122_000002_accounts::Migration),
            Box::new(m20261122_000003_duty_records::Migration),
            Box::new(m20261122_000004_proposals::Migration),
            Box::new(m20261122_000005_audit_log::Migration),
            Box::new(m20261122_000006_assessment::Migration),
            Box::new(m20261122_000007_plans::Migration),
            Box::new(m20261122_000008_search_keys::Migration),
            Box::new(m20261130_000009_participation_role::Migration),
            Box::new(m20261130_000010_member_order::Migration),
            Box::new(m20261130_000011_assessment_order::Migration),
            Box::new(m20261130_000012_score_line_key::Migration),
            Box::new(m20261130_000013_assessment_lines::Migration),
            Box::new(m20261201_000014_lines_compression::Migration),
            Box::new(m20261207_000100_invitations::Migration),
            Box::new(m20261207_000300_accounts_at_scale::Migration),
            Box::new(m20261207_000400_exit_cases::Migration),
            Box::new(m20261207_000500_void::Migration),
            Box::new(m20261207_000800_group_figures::Migration),
            Box::new(m20261207_000900_voided_index::Migration),
        ]
    }
}
