//! The demo committee's organisation: terms, sectors, special committees, towns and streets with
//! their villages and communities, a studio at each of them, groups and handling units. Laid out
//! from the tables in `names`, then written in a few bulk inserts.

use std::collections::HashMap;

use chrono::{Days, NaiveDate};
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect};

use super::{
    ids_by_name, insert_chunked,
    names::{
        COMMITTEES, COMMUNITY_STEMS, CONTACT_TITLES, CURRENT_TERM, GROUPS, HANDLING_UNITS, PREVIOUS_TERM, SECTORS,
        SURNAMES, TOWN_STUDIOS_OPENED, TOWNS, TermSpec, VILLAGE_STEMS, VILLAGE_STUDIOS_OPENED,
    },
};
use crate::error::{AppError, AppResult};
use entity::{
    enums::{RegionLevel, StudioKind},
    handling_unit, member_group, region, sector, special_committee, studio, term,
};

/// A village or community under a town or street.
pub(super) struct Place {
    /// Name, e.g. "东门社区".
    pub name: String,
    /// Village or community.
    pub level: RegionLevel,
}

/// A studio to open.
pub(super) struct StudioPlan {
    /// Name, e.g. "城关街道委员工作室" or "城关街道东门社区委员工作室" (studio names are unique
    /// across the district, village names only within their town).
    pub name: String,
    /// Town or village studio.
    pub kind: StudioKind,
    /// Index in [`TOWNS`] of the town or street it lies in.
    pub town: usize,
    /// Index in the town's places of the village or community it sits at; none for a town studio.
    pub place: Option<usize>,
    /// Where it is.
    pub address: String,
    /// The day it opened.
    pub opened: NaiveDate,
}

/// Every place and studio of the demo district.
pub(super) struct Layout {
    /// The villages and communities of each town in [`TOWNS`], communities first.
    pub places: Vec<Vec<Place>>,
    /// The town studios in [`TOWNS`] order, then the village studios town by town.
    pub studios: Vec<StudioPlan>,
}

impl Layout {
    /// The name of the town or street a studio lies in.
    pub fn town_of(&self, studio: usize) -> &'static str {
        TOWNS[self.studios[studio].town].name
    }
}

/// Lays out the district: the villages and communities get the stems of `names` in order.
pub(super) fn layout() -> Layout {
    let mut villages = VILLAGE_STEMS.iter();
    let mut communities = COMMUNITY_STEMS.iter();
    let places: Vec<Vec<Place>> = TOWNS
        .iter()
        .map(|town| {
            let communities = communities
                .by_ref()
                .take(town.communities)
                .map(|stem| Place { name: format!("{stem}社区"), level: RegionLevel::Community });
            let villages = villages
                .by_ref()
                .take(town.villages)
                .map(|stem| Place { name: format!("{stem}村"), level: RegionLevel::Village });
            communities.chain(villages).collect()
        })
        .collect();

    let mut studios: Vec<StudioPlan> = TOWNS
        .iter()
        .zip(0u64..)
        .enumerate()
        .map(|(t, (town, n))| StudioPlan {
            name: format!("{}委员工作室", town.name),
            kind: StudioKind::Town,
            town: t,
            place: None,
            address: format!("{}党群服务中心", town.name),
            opened: TOWN_STUDIOS_OPENED + Days::new(n),
        })
        .collect();
    for (t, town_places) in places.iter().enumerate() {
        for (p, place) in town_places.iter().enumerate() {
            let n = studios.len() as u64;
            let town = TOWNS[t].name;
            studios.push(StudioPlan {
                name: format!("{town}{}委员工作室", place.name),
                kind: StudioKind::Village,
                town: t,
                place: Some(p),
                address: format!("{town}{}党群服务中心", place.name),
                opened: VILLAGE_STUDIOS_OPENED + Days::new(n * 7 % 100),
            });
        }
    }
    Layout { places, studios }
}

/// The ids the organisation got, by index in the tables of `names` (studios: in the layout).
pub(super) struct Ids {
    /// 第九届.
    pub previous_term: i64,
    /// 第十届.
    pub current_term: i64,
    /// By index in [`SECTORS`].
    pub sectors: Vec<i64>,
    /// By index in [`COMMITTEES`].
    pub committees: Vec<i64>,
    /// By index in [`Layout::studios`].
    pub studios: Vec<i64>,
    /// By index in [`GROUPS`].
    pub groups: Vec<i64>,
    /// By index in [`HANDLING_UNITS`].
    pub handling_units: Vec<i64>,
}

fn term_row(spec: &TermSpec) -> term::ActiveModel {
    term::ActiveModel {
        number: Set(spec.number),
        name: Set(spec.name.to_owned()),
        start_date: Set(spec.start),
        end_date: Set(spec.end),
        ..Default::default()
    }
}

/// Writes the organisation and returns its ids.
pub(super) async fn insert(db: &impl ConnectionTrait, layout: &Layout) -> AppResult<Ids> {
    insert_chunked(db, vec![term_row(&PREVIOUS_TERM), term_row(&CURRENT_TERM)]).await?;
    let terms: Vec<(i64, i32)> = term::Entity::find()
        .select_only()
        .column(term::Column::Id)
        .column(term::Column::Number)
        .into_tuple()
        .all(db)
        .await?;
    let term_id = |spec: &TermSpec| {
        terms
            .iter()
            .find(|(_, number)| *number == spec.number)
            .map(|(id, _)| *id)
            .ok_or_else(|| AppError::Internal(format!("seeded term {} not found", spec.number)))
    };
    let (previous_term, current_term) = (term_id(&PREVIOUS_TERM)?, term_id(&CURRENT_TERM)?);

    let sectors = SECTORS.iter().zip(1..).map(|(s, order)| sector::ActiveModel {
        name: Set(s.name.to_owned()),
        sort_order: Set(order),
        ..Default::default()
    });
    insert_chunked(db, sectors.collect()).await?;
    let committees = COMMITTEES.iter().zip(1..).map(|((name, ..), order)| special_committee::ActiveModel {
        name: Set((*name).to_owned()),
        sort_order: Set(order),
        ..Default::default()
    });
    insert_chunked(db, committees.collect()).await?;

    let region_ids = insert_regions(db, layout).await?;
    let studios = layout.studios.iter().map(|s| studio::ActiveModel {
        name: Set(s.name.clone()),
        kind: Set(s.kind),
        region_id: Set(Some(match s.place {
            None => region_ids.towns[s.town],
            Some(p) => region_ids.places[s.town][p],
        })),
        sector_id: Set(None),
        address: Set(Some(s.address.clone())),
        established_on: Set(Some(s.opened)),
        ..Default::default()
    });
    insert_chunked(db, studios.collect()).await?;

    let sector_ids = ids_by_name::<sector::Entity>(
        db,
        sector::Column::Id,
        sector::Column::Name,
        SECTORS.iter().map(|s| s.name),
        "sector",
    )
    .await?;
    let committee_ids = ids_by_name::<special_committee::Entity>(
        db,
        special_committee::Column::Id,
        special_committee::Column::Name,
        COMMITTEES.iter().map(|c| c.0),
        "special committee",
    )
    .await?;

    let groups = GROUPS
        .iter()
        .map(|g| {
            let committee = match g.committee {
                Some(name) => {
                    let i = COMMITTEES.iter().position(|c| c.0 == name).ok_or_else(|| {
                        AppError::Internal(format!("group {} names an unknown committee {name}", g.name))
                    })?;
                    Some(committee_ids[i])
                }
                None => None,
            };
            Ok(member_group::ActiveModel {
                name: Set(g.name.to_owned()),
                kind: Set(g.kind),
                committee_id: Set(committee),
                ..Default::default()
            })
        })
        .collect::<AppResult<Vec<_>>>()?;
    insert_chunked(db, groups).await?;

    // Contacts are addressed by surname and title, e.g. "办公室 王科长".
    let units = HANDLING_UNITS.iter().enumerate().map(|(i, name)| handling_unit::ActiveModel {
        name: Set((*name).to_owned()),
        contact: Set(Some(format!(
            "办公室 {}{}",
            SURNAMES[i * 7 % SURNAMES.len()].0,
            CONTACT_TITLES[i % CONTACT_TITLES.len()]
        ))),
        ..Default::default()
    });
    insert_chunked(db, units.collect()).await?;

    Ok(Ids {
        previous_term,
        current_term,
        sectors: sector_ids,
        committees: committee_ids,
        studios: ids_by_name::<studio::Entity>(
            db,
            studio::Column::Id,
            studio::Column::Name,
            layout.studios.iter().map(|s| s.name.as_str()),
            "studio",
        )
        .await?,
        groups: ids_by_name::<member_group::Entity>(
            db,
            member_group::Column::Id,
            member_group::Column::Name,
            GROUPS.iter().map(|g| g.name),
            "group",
        )
        .await?,
        handling_units: ids_by_name::<handling_unit::Entity>(
            db,
            handling_unit::Column::Id,
            handling_unit::Column::Name,
            HANDLING_UNITS.iter().copied(),
            "handling unit",
        )
        .await?,
    })
}

/// The ids of the regions: towns by index in [`TOWNS`], places by town and index in the layout.
struct RegionIds {
    towns: Vec<i64>,
    places: Vec<Vec<i64>>,
}

/// Writes the towns and streets, then the villages and communities under them.
async fn insert_regions(db: &impl ConnectionTrait, layout: &Layout) -> AppResult<RegionIds> {
    let towns = TOWNS.iter().zip(1..).map(|(town, order)| region::ActiveModel {
        name: Set(town.name.to_owned()),
        level: Set(town.level),
        parent_id: Set(None),
        sort_order: Set(order),
        ..Default::default()
    });
    insert_chunked(db, towns.collect()).await?;
    let town_ids = ids_by_name::<region::Entity>(
        db,
        region::Column::Id,
        region::Column::Name,
        TOWNS.iter().map(|t| t.name),
        "region",
    )
    .await?;

    let places = layout.places.iter().zip(&town_ids).flat_map(|(places, &parent)| {
        places.iter().zip(1..).map(move |(place, order)| region::ActiveModel {
            name: Set(place.name.clone()),
            level: Set(place.level),
            parent_id: Set(Some(parent)),
            sort_order: Set(order),
            ..Default::default()
        })
    });
    insert_chunked(db, places.collect()).await?;
    // Names are unique only under their parent, so look the places up by both.
    let rows: Vec<(i64, Option<i64>, String)> = region::Entity::find()
        .filter(region::Column::ParentId.is_not_null())
        .select_only()
        .column(region::Column::Id)
        .column(region::Column::ParentId)
        .column(region::Column::Name)
        .into_tuple()
        .all(db)
        .await?;
    let by_parent_and_name: HashMap<(i64, &str), i64> =
        rows.iter().filter_map(|(id, parent, name)| parent.map(|p| ((p, name.as_str()), *id))).collect();
    let place_ids = layout
        .places
        .iter()
        .zip(&town_ids)
        .map(|(places, &parent)| {
            places
                .iter()
                .map(|place| {
                    by_parent_and_name
                        .get(&(parent, place.name.as_str()))
                        .copied()
                        .ok_or_else(|| AppError::Internal(format!("seeded region {} not found", place.name)))
                })
                .collect::<AppResult<Vec<_>>>()
        })
        .collect::<AppResult<Vec<_>>>()?;
    Ok(RegionIds { towns: town_ids, places: place_ids })
}
