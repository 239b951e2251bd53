//! lvzhi's storage model: one SeaORM entity per table, the enums stored in them, and their
//! Chinese labels. No business rules and no API types live here.

pub mod enums;

pub mod account;
pub mod committee_membership;
pub mod group_membership;
pub mod handling_unit;
pub mod member;
pub mod member_group;
pub mod region;
pub mod seat;
pub mod sector;
pub mod sector_convener;
pub mod session_token;
pub mod special_committee;
pub mod studio;
pub mod studio_assignment;
pub mod term;
