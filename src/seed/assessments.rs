//! The demo committee's assessments: the 桐城 rule set, a published 2023 run and a draft 2024
//! run, computed from the activities and proposals seeded before.

use sea_orm::DatabaseTransaction;

use crate::{assessment::service, auth::Actor, error::AppResult};

/// Loads the 桐城 preset and runs it over 2023 (confirmed and published) and 2024 (draft).
pub async fn insert(db: &DatabaseTransaction) -> AppResult<()> {
    let system = &Actor::System;
    let rules = service::load_preset(db, system, "tongcheng", None, None).await?;
    let published = service::run(db, system, rules.id, 2023).await?;
    service::confirm(db, system, published.id).await?;
    service::publish(db, system, published.id).await?;
    service::run(db, system, rules.id, 2024).await?;
    Ok(())
}
