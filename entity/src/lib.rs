//! lvzhi's storage model: one SeaORM entity per table, the enums stored in them, and their
//! Chinese labels. No business rules and no API types live here.

pub mod enums;
pub mod organiser;

pub mod account;
pub mod activity;
pub mod assessment_adjustment;
pub mod assessment_lines;
pub mod assessment_run;
pub mod audit_entry;
pub mod committee_membership;
pub mod duty_item;
pub mod exit_case;
pub mod exit_case_step;
pub mod group_membership;
pub mod handling_unit;
pub mod leave_request;
pub mod member;
pub mod member_assessment;
pub mod member_group;
pub mod member_target;
pub mod opinion_adoption;
pub mod opinion_author;
pub mod opinion_report;
pub mod participation;
pub mod plan;
pub mod plan_item;
pub mod plan_item_activity;
pub mod plan_stage;
pub mod proposal;
pub mod proposal_action;
pub mod proposal_assignment;
pub mod proposal_result_label;
pub mod proposal_signer;
pub mod region;
pub mod rule_set;
pub mod seat;
pub mod sector;
pub mod sector_convener;
pub mod session_token;
pub mod special_committee;
pub mod studio;
pub mod studio_assignment;
pub mod term;
pub mod training_attendance;
pub mod training_session;
