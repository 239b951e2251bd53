//! Who organised an activity or a training session: whether the organiser exists, the organiser
//! of a stored activity, and the SQL condition of an organiser on a table's organiser columns.

use sea_orm::{ColumnTrait, Condition, ConnectionTrait};

use crate::{db::exists, error::AppResult};
use entity::organiser::Organiser;
use entity::{activity, member_group, sector, special_committee, studio};

/// Fails with BAD_USER_INPUT naming `field` unless the organiser exists.
pub async fn check_organiser(db: &impl ConnectionTrait, organiser: Organiser, field: &str) -> AppResult<()> {
    match organiser {
        Organiser::Office => Ok(()),
        Organiser::Committee(id) => exists::<special_committee::Entity>(db, id, field, "special committee").await,
        Organiser::Sector(id) => exists::<sector::Entity>(db, id, field, "sector").await,
        Organiser::Studio(id) => exists::<studio::Entity>(db, id, field, "studio").await,
        Organiser::Group(id) => exists::<member_group::Entity>(db, id, field, "group").await,
    }
}

/// The organiser of a stored activity.
pub fn organiser_of(a: &activity::Model) -> Organiser {
    Organiser::from_columns(a.organiser_kind, a.committee_id, a.sector_id, a.studio_id, a.group_id)
}

/// The condition of an organiser on a table's organiser columns.
pub fn organiser_condition<C: ColumnTrait>(organiser: Organiser, kind: C, ids: [C; 4]) -> Condition {
    let [committee, sector, studio, group] = ids;
    match organiser {
        Organiser::Office => Condition::all().add(kind.eq(entity::enums::OrganiserKind::Office)),
        Organiser::Committee(id) => Condition::all().add(committee.eq(id)),
        Organiser::Sector(id) => Condition::all().add(sector.eq(id)),
        Organiser::Studio(id) => Condition::all().add(studio.eq(id)),
        Organiser::Group(id) => Condition::all().add(group.eq(id)),
    }
}
