//! The office's own labels of the answers' result classes (A–D), shown wherever a class is.

use sea_orm::{ActiveValue::Set, ConnectionTrait, DatabaseTransaction, EntityTrait, TransactionTrait};

use crate::{
    audit::service as audit,
    auth::{Actor, policy},
    error::AppResult,
    validate::{self, MAX_NAME_CHARS},
};
use entity::{enums::ResultClass, proposal_result_label};

/// The labels of the result classes: the office's own where set, the defaults otherwise. No
/// access check: every reader of a proposal sees its class's label.
pub async fn result_class_labels(db: &impl ConnectionTrait) -> AppResult<Vec<(ResultClass, String)>> {
    let custom = proposal_result_label::Entity::find().all(db).await?;
    Ok(ResultClass::ALL
        .iter()
        .map(|&class| {
            let label = custom.iter().find(|c| c.result_class == class).map(|c| c.label.clone());
            (class, label.unwrap_or_else(|| class.label().to_owned()))
        })
        .collect())
}

/// The result classes with their labels, as a list of their own (for anyone signed in).
pub async fn result_classes(db: &impl ConnectionTrait, actor: &Actor) -> AppResult<Vec<(ResultClass, String)>> {
    policy::read_statistics(actor)?;
    result_class_labels(db).await
}

/// Sets the office's label of a result class.
///
/// The audit log has no numeric key for a label row; its entries name the class by its
/// position in [`ResultClass::ALL`] (A = 1 … D = 4), and `before`/`after` hold the class itself.
pub async fn set_result_class_label(
    db: &impl TransactionTrait<Transaction = DatabaseTransaction>,
    actor: &Actor,
    class: ResultClass,
    label: &str,
) -> AppResult<Vec<(ResultClass, String)>> {
    policy::manage_proposals(actor)?;
    let label = validate::required("label", label, MAX_NAME_CHARS)?;
    let position = ResultClass::ALL.iter().position(|&c| c == class).map_or(0, |i| i + 1);
    let entity_id = i64::try_from(position).unwrap_or(0);
    crate::db::atomically(db, async |txn| {
        let before = proposal_result_label::Entity::find_by_id(class).one(txn).await?;
        let row = proposal_result_label::ActiveModel { result_class: Set(class), label: Set(label) };
        proposal_result_label::Entity::insert(row)
            .on_conflict(
                sea_orm::sea_query::OnConflict::column(proposal_result_label::Column::ResultClass)
                    .update_column(proposal_result_label::Column::Label)
                    .to_owned(),
            )
            .exec_without_returning(txn)
            .await?;
        let after = proposal_result_label::Entity::find_by_id(class).one(txn).await?;
        const OPERATION: &str = "setProposalResultClassLabel";
        match before {
            Some(before) => {
                audit::changed(txn, actor, OPERATION, "proposal_result_label", entity_id, &Some(before), &after).await?
            }
            None => audit::created(txn, actor, OPERATION, "proposal_result_label", entity_id, &after).await?,
        }
        result_class_labels(txn).await
    })
    .await
}
