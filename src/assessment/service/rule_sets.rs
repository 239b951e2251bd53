//! Rule sets: the list, one by id, and a new one (or a new version of a name) after checking
//! every part of its definition; the shipped presets.

use chrono::{Datelike, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, TransactionTrait,
};

use super::account_of;
use crate::{
    assessment::rules::{self, Definition},
    audit::service as audit,
    auth::{Actor, policy},
    error::{AppError, AppResult},
    validate::{self, MAX_NAME_CHARS, MAX_TEXT_CHARS},
};
use entity::{rule_set, term};

/// A rule set to create.
#[derive(Clone, Debug)]
pub struct NewRuleSet {
    /// Name; a name already used gets the next version.
    pub name: String,
    /// Description.
    pub description: Option<String>,
    /// The term it applies to.
    pub term_id: Option<i64>,
    /// The one year it applies to.
    pub year: Option<i32>,
    /// The definition.
    pub definition: Definition,
}

/// Every rule set, by name and newest version first.
pub async fn rule_sets(db: &impl ConnectionTrait, actor: &Actor) -> AppResult<Vec<rule_set::Model>> {
    policy::read_rule_sets(actor)?;
    Ok(rule_set::Entity::find()
        .order_by_asc(rule_set::Column::Name)
        .order_by_desc(rule_set::Column::Version)
        .all(db)
        .await?)
}

/// One rule set.
pub async fn rule_set(db: &impl ConnectionTrait, actor: &Actor, id: i64) -> AppResult<rule_set::Model> {
    policy::read_rule_sets(actor)?;
    rule_set::Entity::find_by_id(id).one(db).await?.ok_or_else(|| AppError::not_found("rule set", id))
}

/// Validates and stores a rule set (as the next version of its name).
pub async fn create_rule_set(
    db: &impl TransactionTrait<Transaction = DatabaseTransaction>,
    actor: &Actor,
    new: NewRuleSet,
) -> AppResult<rule_set::Model> {
    policy::manage_assessments(actor)?;
    let name = validate::required("name", &new.name, MAX_NAME_CHARS)?;
    let description = validate::optional("description", new.description.as_deref(), MAX_TEXT_CHARS)?;
    if let Some(year) = new.year
        && !(2000..=2100).contains(&year)
    {
        return Err(AppError::bad_field("year", "year must be between 2000 and 2100"));
    }
    rules::validate(&new.definition)?;
    let definition = new.definition.to_json()?;
    crate::db::atomically(db, async |txn| {
        if let Some(term_id) = new.term_id {
            let term = term::Entity::find_by_id(term_id).one(txn).await?;
            let term = term.ok_or_else(|| AppError::bad_field("termId", format!("term {term_id} does not exist")))?;
            if let Some(year) = new.year
                && !(term.start_date.year() <= year && year <= term.end_date.year())
            {
                return Err(AppError::bad_field("year", format!("year {year} is outside {}", term.name)));
            }
        }
        let latest = rule_set::Entity::find()
            .filter(rule_set::Column::Name.eq(name.as_str()))
            .order_by_desc(rule_set::Column::Version)
            .one(txn)
            .await?;
        let row = rule_set::ActiveModel {
            name: Set(name.clone()),
            version: Set(latest.map_or(1, |r| r.version + 1)),
            description: Set(description.clone()),
            term_id: Set(new.term_id),
            year: Set(new.year),
            scale: Set(new.definition.scale),
            definition: Set(definition.clone()),
            created_by: Set(account_of(actor)),
            created_at: Set(Utc::now()),
            ..Default::default()
        }
        .insert(txn)
        .await?;
        audit::created(txn, actor, "createRuleSet", "rule_set", row.id, &row).await?;
        Ok(row)
    })
    .await
}

/// Deletes a rule set no run uses (CONFLICT naming the runs otherwise: discard a draft run
/// first; a confirmed or published one keeps its rule set for good). Returns it as it was.
pub async fn delete_rule_set(
    db: &impl TransactionTrait<Transaction = DatabaseTransaction>,
    actor: &Actor,
    id: i64,
) -> AppResult<rule_set::Model> {
    use entity::assessment_run;
    policy::manage_assessments(actor)?;
    crate::db::atomically(db, async |txn| {
        let set = rule_set::Entity::find_by_id(id)
            .lock_exclusive()
            .one(txn)
            .await?
            .ok_or_else(|| AppError::not_found("rule set", id))?;
        let runs: Vec<(i64, i32)> = assessment_run::Entity::find()
            .select_only()
            .column(assessment_run::Column::Id)
            .column(assessment_run::Column::Year)
            .filter(assessment_run::Column::RuleSetId.eq(id))
            .order_by_asc(assessment_run::Column::Id)
            .into_tuple()
            .all(txn)
            .await?;
        if !runs.is_empty() {
            let years: Vec<String> = runs.iter().map(|(_, y)| y.to_string()).collect();
            return Err(AppError::Conflict(format!(
                "rule set {id} is used by {} run(s) ({}); only a rule set no run uses can be deleted",
                runs.len(),
                years.join(", ")
            )));
        }
        rule_set::Entity::delete_by_id(id).exec(txn).await?;
        audit::removed(txn, actor, "deleteRuleSet", "rule_set", id, &set).await?;
        Ok(set)
    })
    .await
}

/// Stores the preset named `name` (see `rules/`), tied to a term or year when given.
pub async fn load_preset(
    db: &(impl TransactionTrait<Transaction = DatabaseTransaction> + ConnectionTrait),
    actor: &Actor,
    name: &str,
    term_id: Option<i64>,
    year: Option<i32>,
) -> AppResult<rule_set::Model> {
    let file = rules::preset(name)?;
    let new = NewRuleSet { name: file.name, description: file.description, term_id, year, definition: file.definition };
    create_rule_set(db, actor, new).await
}
