//! The inputs of plans' queries and mutations, and their conversions into the service's
//! types. Conversion errors name fields relative to the input (`leadId`); the resolver places
//! them under its argument.

use crate::number::DecimalInput;
use async_graphql::{ID, InputObject, MaybeUndefined};
use chrono::NaiveDate;

use crate::{
    error::AppError,
    plan::{
        Lead,
        service::{NewPlan, NewPlanItem, PlanItemChanges, PlanItemFilter},
        targets::NewTarget,
    },
    relay::{Kind, decode_id, decode_opt},
};
use entity::enums::{PlanItemState, PlanItemStatus, PlanItemType, PlanStage, TargetKind};

/// Which items of a plan to list.
#[derive(InputObject, Default)]
pub struct PlanItemFilterInput {
    /// Of this type.
    #[graphql(name = "type")]
    pub item_type: Option<PlanItemType>,
    /// Led by this special committee.
    pub lead_id: Option<ID>,
    /// Led by the office itself.
    #[graphql(default)]
    pub lead_by_office: bool,
    /// With this status.
    pub status: Option<PlanItemStatus>,
    /// In this area (方面).
    pub area: Option<String>,
    /// In this state on `asOf`.
    pub state: Option<PlanItemState>,
    /// The day `state` is judged on (default today).
    pub as_of: Option<NaiveDate>,
}

/// A plan to create.
#[derive(InputObject)]
pub struct CreatePlanInput {
    /// The year it covers.
    pub year: i32,
    /// Title, unique within the year, e.g. "2024年度协商工作计划".
    pub title: String,
    /// Notes (the preamble).
    pub description: Option<String>,
    /// The term (default: the term in force at the end of the year).
    pub term_id: Option<ID>,
}

/// An item to add at the end of a plan.
#[derive(InputObject)]
pub struct AddPlanItemInput {
    /// The plan.
    pub plan_id: ID,
    /// The type of work.
    #[graphql(name = "type")]
    pub item_type: PlanItemType,
    /// The area (方面), e.g. "经济建设".
    pub area: String,
    /// Title.
    pub title: String,
    /// The leading special committee; absent for the office.
    pub lead_id: Option<ID>,
    /// The day it is due, within the plan's year.
    pub target_date: NaiveDate,
    /// Where it stands (default NOT_STARTED).
    #[graphql(default_with = "PlanItemStatus::NotStarted")]
    pub status: PlanItemStatus,
    /// 年初亮目标: the goal, recorded today with the item.
    pub goal: Option<String>,
}

/// Changes to a plan item. Absent fields stay as they are.
#[derive(InputObject)]
pub struct UpdatePlanItemInput {
    /// The item.
    pub id: ID,
    /// The type of work.
    #[graphql(name = "type")]
    pub item_type: Option<PlanItemType>,
    /// The area.
    pub area: Option<String>,
    /// Title.
    pub title: Option<String>,
    /// The leading special committee; null hands the item to the office.
    #[graphql(default)]
    pub lead_id: MaybeUndefined<ID>,
    /// The day it is due, within the plan's year.
    pub target_date: Option<NaiveDate>,
    /// Where it stands.
    pub status: Option<PlanItemStatus>,
}

/// A stage of a plan item to record ("三亮"); recording a stage again replaces it.
#[derive(InputObject)]
pub struct RecordPlanStageInput {
    /// The item.
    pub plan_item_id: ID,
    /// GOAL (年初亮目标), PROGRESS (年中亮进度) or RESULT (年底亮结果).
    pub stage: PlanStage,
    /// What to say.
    pub text: String,
    /// The day it is recorded for (default today).
    pub recorded_on: Option<NaiveDate>,
}

/// A plan item and an activity to link or unlink.
#[derive(InputObject)]
pub struct PlanActivityInput {
    /// The item.
    pub plan_item_id: ID,
    /// The activity that carried it out.
    pub activity_id: ID,
}

/// One personal target.
#[derive(InputObject)]
pub struct MemberTargetInput {
    /// What is counted.
    pub kind: TargetKind,
    /// The target: a whole count, a rate in 0..1 with two decimals at most (ATTENDANCE_RATE),
    /// or hours with one decimal at most (TRAINING_HOURS).
    pub value: DecimalInput,
}

/// A member's targets of a year; the list replaces the targets set before.
#[derive(InputObject)]
pub struct SetMemberTargetsInput {
    /// The member.
    pub member_id: ID,
    /// The year.
    pub year: i32,
    /// The targets, one per kind.
    pub targets: Vec<MemberTargetInput>,
}

fn lead_of(id: Option<&ID>, field: &str) -> Result<Lead, AppError> {
    Ok(decode_opt(Kind::SpecialCommittee, id, field)?.map_or(Lead::Office, Lead::Committee))
}

impl TryFrom<PlanItemFilterInput> for PlanItemFilter {
    type Error = AppError;

    fn try_from(f: PlanItemFilterInput) -> Result<Self, AppError> {
        let lead = match (decode_opt(Kind::SpecialCommittee, f.lead_id.as_ref(), "leadId")?, f.lead_by_office) {
            (Some(id), _) => Some(Lead::Committee(id)),
            (None, true) => Some(Lead::Office),
            (None, false) => None,
        };
        Ok(Self { item_type: f.item_type, lead, status: f.status, area: f.area, state: f.state, as_of: f.as_of })
    }
}

impl TryFrom<CreatePlanInput> for NewPlan {
    type Error = AppError;

    fn try_from(input: CreatePlanInput) -> Result<Self, AppError> {
        Ok(Self {
            year: input.year,
            title: input.title,
            description: input.description,
            term_id: decode_opt(Kind::Term, input.term_id.as_ref(), "termId")?,
        })
    }
}

impl TryFrom<AddPlanItemInput> for NewPlanItem {
    type Error = AppError;

    fn try_from(input: AddPlanItemInput) -> Result<Self, AppError> {
        Ok(Self {
            plan_id: decode_id(Kind::Plan, &input.plan_id, "planId")?,
            item_type: input.item_type,
            area: input.area,
            title: input.title,
            lead: lead_of(input.lead_id.as_ref(), "leadId")?,
            target_date: input.target_date,
            status: input.status,
            goal: input.goal,
        })
    }
}

impl TryFrom<UpdatePlanItemInput> for (i64, PlanItemChanges) {
    type Error = AppError;

    fn try_from(input: UpdatePlanItemInput) -> Result<Self, AppError> {
        let id = decode_id(Kind::PlanItem, &input.id, "id")?;
        let lead = match input.lead_id {
            MaybeUndefined::Undefined => None,
            MaybeUndefined::Null => Some(Lead::Office),
            MaybeUndefined::Value(id) => Some(lead_of(Some(&id), "leadId")?),
        };
        let changes = PlanItemChanges {
            item_type: input.item_type,
            area: input.area,
            title: input.title,
            lead,
            target_date: input.target_date,
            status: input.status,
        };
        Ok((id, changes))
    }
}

impl TryFrom<&PlanActivityInput> for (i64, i64) {
    type Error = AppError;

    fn try_from(input: &PlanActivityInput) -> Result<Self, AppError> {
        Ok((
            decode_id(Kind::PlanItem, &input.plan_item_id, "planItemId")?,
            decode_id(Kind::Activity, &input.activity_id, "activityId")?,
        ))
    }
}

impl NewTarget {
    /// The target of input `t`, the `i`th of the list; BAD_USER_INPUT on `targets.{i}.value`
    /// when its value is no number.
    pub fn read(i: usize, t: &MemberTargetInput) -> Result<Self, AppError> {
        Ok(Self { kind: t.kind, value: t.value.clone().read(&format!("targets.{i}.value"))? })
    }
}
