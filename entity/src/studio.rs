//! A member studio (委员工作室) at a town/street or village/community, or a sector studio.

use sea_orm::entity::prelude::*;

use crate::enums::StudioKind;

/// A row of `studio`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "studio")]
pub struct Model {
    /// Primary key.
    #[sea_orm(primary_key)]
    pub id: i64,
    /// The name, e.g. "城关街道委员工作室"; unique.
    #[sea_orm(unique)]
    pub name: String,
    /// Town/street, village/community or sector studio.
    pub kind: StudioKind,
    /// Where the studio sits (for town and village studios).
    pub region_id: Option<i64>,
    /// The sector a sector studio serves.
    pub sector_id: Option<i64>,
    /// Street address of the studio.
    pub address: Option<String>,
    /// The day the studio opened.
    pub established_on: Option<Date>,
}

/// Relations of `studio`.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    /// The region.
    #[sea_orm(belongs_to = "super::region::Entity", from = "Column::RegionId", to = "super::region::Column::Id")]
    Region,
    /// The sector of a sector studio.
    #[sea_orm(belongs_to = "super::sector::Entity", from = "Column::SectorId", to = "super::sector::Column::Id")]
    Sector,
}

impl Related<super::region::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Region.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
