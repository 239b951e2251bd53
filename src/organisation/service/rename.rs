//! Renaming a unit of the organisation (a correction, issue 20): a term, sector, special
//! committee, region, studio, group or handling unit typed with a wrong name. Everything that
//! refers to the unit keeps referring to it; lists, labels and exports show the new name.

use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, DatabaseTransaction, EntityTrait, IntoActiveModel};
use sea_orm::{QueryFilter, TransactionTrait};

use crate::{
    audit::service as audit,
    auth::{Actor, policy},
    error::{AppError, AppResult},
    relay::Kind,
    validate::{self, MAX_NAME_CHARS},
};
use entity::{handling_unit, member_group, region, sector, special_committee, studio, term};

/// A unit of the organisation as stored after a correction (`renameUnit`, `updateUnit`).
pub enum Unit {
    /// A term.
    Term(term::Model),
    /// A sector.
    Sector(sector::Model),
    /// A special committee.
    SpecialCommittee(special_committee::Model),
    /// A region.
    Region(region::Model),
    /// A studio.
    Studio(studio::Model),
    /// A group.
    Group(member_group::Model),
    /// A handling unit.
    HandlingUnit(handling_unit::Model),
}

/// Renames one row of `E`: found or NOT_FOUND, a name no other row of the kind holds when
/// `unique` (CONFLICT), audited with the row before and after.
macro_rules! rename_row {
    ($txn:expr, $actor:expr, $module:ident, $table:literal, $noun:literal, $id:expr, $name:expr, $unique:expr) => {{
        let row = $module::Entity::find_by_id($id).one($txn).await?.ok_or_else(|| AppError::not_found($noun, $id))?;
        if $unique
            && $module::Entity::find()
                .filter($module::Column::Name.eq($name.as_str()))
                .filter($module::Column::Id.ne($id))
                .one($txn)
                .await?
                .is_some()
        {
            return Err(AppError::Conflict(format!("another {} is named {}", $noun, $name)));
        }
        let before = row.clone();
        let mut active = row.into_active_model();
        active.name = Set($name.clone());
        let after = active.update($txn).await?;
        audit::changed($txn, $actor, "renameUnit", $table, after.id, &before, &after).await?;
        after
    }};
}

/// Gives the unit `(kind, id)` the name `name`. Terms, sectors, special committees, studios,
/// groups and handling units keep their names unique; a region's name is unique among its
/// siblings (two villages of different towns may share one).
pub async fn rename_unit(
    db: &impl TransactionTrait<Transaction = DatabaseTransaction>,
    actor: &Actor,
    kind: Kind,
    id: i64,
    name: &str,
) -> AppResult<Unit> {
    policy::manage_organisation(actor)?;
    let name = validate::required("name", name, MAX_NAME_CHARS)?;
    crate::db::atomically(db, async |txn| {
        Ok(match kind {
            Kind::Term => Unit::Term(rename_row!(txn, actor, term, "term", "term", id, name, true)),
            Kind::Sector => Unit::Sector(rename_row!(txn, actor, sector, "sector", "sector", id, name, true)),
            Kind::SpecialCommittee => Unit::SpecialCommittee(rename_row!(
                txn,
                actor,
                special_committee,
                "special_committee",
                "special committee",
                id,
                name,
                true
            )),
            Kind::Region => {
                // Unique among the region's siblings (two villages of different towns may share one).
                if let Some(found) = region::Entity::find_by_id(id).one(txn).await? {
                    super::check_region_name_free(txn, &name, found.parent_id, Some(id)).await?;
                }
                Unit::Region(rename_row!(txn, actor, region, "region", "region", id, name, false))
            }
            Kind::Studio => Unit::Studio(rename_row!(txn, actor, studio, "studio", "studio", id, name, true)),
            Kind::Group => Unit::Group(rename_row!(txn, actor, member_group, "member_group", "group", id, name, true)),
            Kind::HandlingUnit => Unit::HandlingUnit(rename_row!(
                txn,
                actor,
                handling_unit,
                "handling_unit",
                "handling unit",
                id,
                name,
                true
            )),
            other => {
                return Err(AppError::bad_field(
                    "id",
                    format!("a {} is not a unit of the organisation; renameUnit takes a term, sector, special committee, region, studio, group or handling unit", other.noun()),
                ));
            }
        })
    })
    .await
}
