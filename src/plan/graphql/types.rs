//! The output types of plans: `Plan` with its progress, `PlanItem` with its stages ("三亮")
//! and activities, and a member's targets (`MemberTarget`, the field `Member.targets`).

use crate::activity::loader::ActivityLoaders;
use crate::organisation::loader::OrganisationLoaders;
use crate::plan::loader::PlanLoaders;
use async_graphql::{Context, ID, Object, Result, SimpleObject};
use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;

use super::PlanItemFilterInput;
use crate::{
    activity::graphql::{Activity, OrganiserRef},
    context::ContextExt,
    dates::today,
    error::{AppError, Under},
    loader,
    organisation::graphql::Term,
    pagination::PageArgs,
    plan::{
        Lead,
        service::{self, PlanItemFilter, Progress},
        targets::{self, TargetProgress},
    },
    relay::{CountedConnection, Kind, TotalCount, connection, encode_id, nodes_select},
};
use entity::organiser::Organiser;
use entity::{
    enums::{PlanItemState, PlanItemStatus, PlanItemType, PlanStage, TargetKind},
    plan, plan_item, plan_stage,
};

fn int(n: u64) -> i32 {
    i32::try_from(n).unwrap_or(i32::MAX)
}

/// An annual plan (年度工作要点 / 协商计划) of the committee.
pub struct Plan(pub plan::Model);

impl Plan {
    /// The plan `id` for `node(id:)`: NOT_FOUND when there is none, FORBIDDEN when the actor
    /// may not read plans.
    pub async fn find(ctx: &Context<'_>, id: i64) -> Result<Self, AppError> {
        service::find_plan(ctx.db()?, ctx.actor()?, id).await.map(Self)
    }
}

#[Object]
impl Plan {
    /// Global ID.
    pub async fn id(&self) -> ID {
        encode_id(Kind::Plan, self.0.id)
    }
    /// The year the plan covers.
    async fn year(&self) -> i32 {
        self.0.year
    }
    /// Title, e.g. "2024年度协商工作计划".
    async fn title(&self) -> &str {
        &self.0.title
    }
    /// Notes (the preamble).
    async fn description(&self) -> Option<&str> {
        self.0.description.as_deref()
    }
    /// The term the plan belongs to.
    async fn term(&self, ctx: &Context<'_>) -> Result<Option<Term>> {
        let Some(id) = self.0.term_id else { return Ok(None) };
        Ok(loader::one(&ctx.loaders()?.get::<OrganisationLoaders>().term, id).await?.map(Term))
    }
    /// The plan's items in plan order, optionally of one type, lead, status, area or state.
    #[graphql(complexity = "crate::relay::page_cost(first, last, child_complexity)")]
    async fn items(
        &self,
        ctx: &Context<'_>,
        filter: Option<PlanItemFilterInput>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> Result<CountedConnection<PlanItem>> {
        let filter = PlanItemFilter::try_from(filter.unwrap_or_default()).under("filter")?;
        let args = PageArgs { first, after, last, before };
        let (page, count) = service::items(ctx.db()?, ctx.actor()?, self.0.id, filter, &args).await?;
        let rows: Vec<&plan_item::Model> = page.rows.iter().map(|(_, item)| item).collect();
        prefetch_items(ctx, &rows).await?;
        Ok(connection(page, TotalCount::new(count), PlanItem))
    }
    /// How far the plan has got on `asOf` (default today): items done, on track, late and not
    /// started, counted by the database.
    async fn progress(&self, ctx: &Context<'_>, as_of: Option<NaiveDate>) -> Result<PlanProgress> {
        let as_of = as_of.unwrap_or_else(today);
        let key = service::progress_key(ctx.actor()?, self.0.id, as_of)?;
        let progress =
            crate::loader::one(&ctx.loaders()?.get::<PlanLoaders>().progress, key).await?.unwrap_or_default();
        Ok(PlanProgress::new(as_of, progress))
    }
    /// The progress of each area (方面) of the plan on `asOf` (default today), in plan order (at
    /// most 30). Counted by the database for each plan: it waits for the request's turn.
    #[graphql(complexity = "crate::cost::list(crate::cost::PLAN_AREAS, child_complexity)")]
    async fn areas(&self, ctx: &Context<'_>, as_of: Option<NaiveDate>) -> Result<Vec<PlanAreaProgress>> {
        let as_of = as_of.unwrap_or_else(today);
        let _turn = crate::share::turn(ctx).await;
        let rows = service::area_progress(ctx.db()?, ctx.actor()?, self.0.id, as_of).await?;
        Ok(crate::cost::capped(rows, crate::cost::PLAN_AREAS)
            .into_iter()
            .map(|(area, progress)| PlanAreaProgress { area, progress: PlanProgress::new(as_of, progress) })
            .collect())
    }
    /// When the record was created.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    /// When the record last changed.
    async fn updated_at(&self) -> DateTime<Utc> {
        self.0.updated_at
    }
}

/// Loads, for a page of items, what its nodes select: their plan, leading committees, stages
/// and linked activities, one query per relation and level.
async fn prefetch_items(ctx: &Context<'_>, items: &[&plan_item::Model]) -> Result<(), AppError> {
    let l = ctx.loaders()?;
    let wants = |path: &[&str]| nodes_select(ctx, path);
    let plans = async {
        if wants(&["plan"]) {
            loader::many(&l.get::<PlanLoaders>().plan, items.iter().map(|i| i.plan_id)).await?;
        }
        Ok::<_, AppError>(())
    };
    let leads = async {
        if wants(&["lead", "name"]) {
            loader::many(&l.get::<OrganisationLoaders>().committee, items.iter().filter_map(|i| i.lead_committee_id))
                .await?;
        }
        Ok(())
    };
    let stages = async {
        if ["goal", "progress", "result", "stages", "state", "stateLabel"].iter().any(|f| wants(&[f])) {
            loader::many(&l.get::<PlanLoaders>().stages_by_item, items.iter().map(|i| i.id)).await?;
        }
        Ok(())
    };
    let activities = async {
        if wants(&["activities"]) || wants(&["activityCount"]) {
            let links = loader::many(&l.get::<PlanLoaders>().activities_by_item, items.iter().map(|i| i.id)).await?;
            if wants(&["activities"]) {
                loader::many(&l.get::<ActivityLoaders>().activity, links.into_iter().flatten()).await?;
            }
        }
        Ok(())
    };
    futures_util::try_join!(plans, leads, stages, activities)?;
    Ok(())
}

/// How far a plan (or an area of it) has got on a day.
#[derive(SimpleObject)]
pub struct PlanProgress {
    /// The day the items are judged on.
    pub as_of: NaiveDate,
    /// Every item.
    pub total: i32,
    /// 已完成: a result recorded by then, or marked DONE.
    pub done: i32,
    /// 按期推进: in progress (IN_PROGRESS or progress recorded), the target date not passed.
    pub on_track: i32,
    /// 已逾期: the target date passed without a result.
    pub late: i32,
    /// 未启动: not started, the target date not passed.
    pub not_started: i32,
}

impl PlanProgress {
    fn new(as_of: NaiveDate, p: Progress) -> Self {
        Self {
            as_of,
            total: int(p.total),
            done: int(p.done),
            on_track: int(p.on_track),
            late: int(p.late),
            not_started: int(p.not_started),
        }
    }
}

/// The progress of one area (方面) of a plan.
#[derive(SimpleObject)]
pub struct PlanAreaProgress {
    /// The area, e.g. "经济建设".
    pub area: String,
    /// Its items per state.
    pub progress: PlanProgress,
}

/// An item of an annual plan: a thematic meeting, consultation, supervision, inspection or
/// research, with its goal, progress and result ("三亮") and the activities that carried it out.
pub struct PlanItem(pub plan_item::Model);

impl PlanItem {
    /// The plan item `id` for `node(id:)`: NOT_FOUND when there is none, FORBIDDEN when the
    /// actor may not read plans.
    pub async fn find(ctx: &Context<'_>, id: i64) -> Result<Self, AppError> {
        service::find_item(ctx.db()?, ctx.actor()?, id).await.map(Self)
    }

    async fn stages_of(&self, ctx: &Context<'_>) -> Result<Vec<plan_stage::Model>, AppError> {
        Ok(loader::one(&ctx.loaders()?.get::<PlanLoaders>().stages_by_item, self.0.id).await?.unwrap_or_default())
    }

    async fn stage(&self, ctx: &Context<'_>, stage: PlanStage) -> Result<Option<PlanStageRecord>, AppError> {
        Ok(self.stages_of(ctx).await?.into_iter().find(|s| s.stage == stage).map(PlanStageRecord))
    }

    async fn state_on(&self, ctx: &Context<'_>, as_of: Option<NaiveDate>) -> Result<PlanItemState, AppError> {
        let stages = self.stages_of(ctx).await?;
        Ok(service::state_of(&self.0, &stages, as_of.unwrap_or_else(today)))
    }
}

#[Object]
impl PlanItem {
    /// Global ID.
    pub async fn id(&self) -> ID {
        encode_id(Kind::PlanItem, self.0.id)
    }
    /// The plan.
    async fn plan(&self, ctx: &Context<'_>) -> Result<Option<Plan>> {
        Ok(loader::one(&ctx.loaders()?.get::<PlanLoaders>().plan, self.0.plan_id).await?.map(Plan))
    }
    /// The item's number within the plan (序号).
    async fn number(&self) -> i32 {
        self.0.number
    }
    /// The type of work.
    #[graphql(name = "type")]
    async fn item_type(&self) -> PlanItemType {
        self.0.item_type
    }
    /// Chinese label of the type, e.g. "专题协商".
    async fn type_label(&self) -> &'static str {
        self.0.item_type.label()
    }
    /// The area (方面) of the plan, e.g. "经济建设".
    async fn area(&self) -> &str {
        &self.0.area
    }
    /// Title.
    async fn title(&self) -> &str {
        &self.0.title
    }
    /// Who leads it (牵头单位): a special committee or the office.
    async fn lead(&self) -> OrganiserRef {
        OrganiserRef(match Lead::from_column(self.0.lead_committee_id) {
            Lead::Office => Organiser::Office,
            Lead::Committee(id) => Organiser::Committee(id),
        })
    }
    /// The day by which it should be carried out.
    async fn target_date(&self) -> NaiveDate {
        self.0.target_date
    }
    /// Where it stands, as the office records it.
    async fn status(&self) -> PlanItemStatus {
        self.0.status
    }
    /// Chinese label of the status.
    async fn status_label(&self) -> &'static str {
        self.0.status.label()
    }
    /// How it stands on `asOf` (default today): DONE, ON_TRACK, LATE or NOT_STARTED, by the
    /// rule `Plan.progress` counts with.
    async fn state(&self, ctx: &Context<'_>, as_of: Option<NaiveDate>) -> Result<PlanItemState> {
        Ok(self.state_on(ctx, as_of).await?)
    }
    /// Chinese label of the state on `asOf` (default today).
    async fn state_label(&self, ctx: &Context<'_>, as_of: Option<NaiveDate>) -> Result<&'static str> {
        Ok(self.state_on(ctx, as_of).await?.label())
    }
    /// 年初亮目标: the goal shown at the start of the year.
    async fn goal(&self, ctx: &Context<'_>) -> Result<Option<PlanStageRecord>> {
        Ok(self.stage(ctx, PlanStage::Goal).await?)
    }
    /// 年中亮进度: the progress shown mid-year.
    async fn progress(&self, ctx: &Context<'_>) -> Result<Option<PlanStageRecord>> {
        Ok(self.stage(ctx, PlanStage::Progress).await?)
    }
    /// 年底亮结果: the result shown at year end.
    async fn result(&self, ctx: &Context<'_>) -> Result<Option<PlanStageRecord>> {
        Ok(self.stage(ctx, PlanStage::Result).await?)
    }
    /// Every stage recorded, in the order first recorded (each stage once).
    #[graphql(complexity = "crate::cost::list(crate::cost::PLAN_STAGES, child_complexity)")]
    async fn stages(&self, ctx: &Context<'_>) -> Result<Vec<PlanStageRecord>> {
        let stages = crate::cost::capped(self.stages_of(ctx).await?, crate::cost::PLAN_STAGES);
        Ok(stages.into_iter().map(PlanStageRecord).collect())
    }
    /// How many activities are linked to the item.
    async fn activity_count(&self, ctx: &Context<'_>) -> Result<i32> {
        let ids =
            loader::one(&ctx.loaders()?.get::<PlanLoaders>().activities_by_item, self.0.id).await?.unwrap_or_default();
        Ok(i32::try_from(ids.len()).unwrap_or(i32::MAX))
    }
    /// The activities that carried the item out, in the order linked. Visible to the roles
    /// that read activities. At most 50 (`activityCount` counts them all).
    #[graphql(complexity = "crate::cost::list(crate::cost::PLAN_ITEM_ACTIVITIES, child_complexity)")]
    async fn activities(&self, ctx: &Context<'_>) -> Result<Vec<Activity>> {
        service::linked_activities_visible(ctx.actor()?)?;
        let l = ctx.loaders()?;
        let ids = loader::one(&l.get::<PlanLoaders>().activities_by_item, self.0.id).await?.unwrap_or_default();
        let ids = crate::cost::capped(ids, crate::cost::PLAN_ITEM_ACTIVITIES);
        Ok(loader::many(&l.get::<ActivityLoaders>().activity, ids).await?.into_iter().map(Activity).collect())
    }
    /// When the record was created.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    /// When the record last changed.
    async fn updated_at(&self) -> DateTime<Utc> {
        self.0.updated_at
    }
}

/// One stage of a plan item ("三亮"): what was said, on which day, by whom.
pub struct PlanStageRecord(pub plan_stage::Model);

#[Object]
impl PlanStageRecord {
    /// Goal, progress or result.
    async fn stage(&self) -> PlanStage {
        self.0.stage
    }
    /// Chinese label of the stage, e.g. "年中亮进度".
    async fn stage_label(&self) -> &'static str {
        self.0.stage.label()
    }
    /// What was said.
    async fn text(&self) -> &str {
        &self.0.text
    }
    /// The day it was recorded (it counts for progress from that day).
    async fn recorded_on(&self) -> NaiveDate {
        self.0.recorded_on
    }
    /// The username of who recorded it.
    async fn recorded_by(&self) -> &str {
        &self.0.recorded_by
    }
}

/// A member's personal target of a year, with the progress the records show.
pub struct MemberTarget(pub TargetProgress);

#[Object]
impl MemberTarget {
    /// What is counted.
    async fn kind(&self) -> TargetKind {
        self.0.target.kind
    }
    /// Chinese label of the kind, e.g. "社情民意信息".
    async fn kind_label(&self) -> &'static str {
        self.0.target.kind.label()
    }
    /// The year.
    async fn year(&self) -> i32 {
        self.0.target.year
    }
    /// The target: a count, a rate in 0..1 (ATTENDANCE_RATE) or hours (TRAINING_HOURS).
    async fn value(&self) -> Decimal {
        self.0.value()
    }
    /// What the member's records show for the year, in the same unit; null for an attendance
    /// rate when no compulsory activity was held.
    async fn actual(&self) -> Option<Decimal> {
        self.0.actual.map(|d| d.normalize())
    }
    /// Whether the target is met (actual ≥ value); null when `actual` is.
    async fn met(&self) -> Option<bool> {
        self.0.met()
    }
}

/// `Member.targets(year)`: through the request's loader, so a page of members costs one query
/// per kind of record.
pub async fn member_targets(ctx: &Context<'_>, member_id: i64, year: i32) -> Result<Vec<MemberTarget>> {
    let of = targets::targets_of(ctx.actor()?, member_id, year)?;
    let list = crate::loader::one(&ctx.loaders()?.get::<PlanLoaders>().targets, (of, year)).await?.unwrap_or_default();
    Ok(crate::cost::capped(list, crate::cost::MEMBER_TARGETS).into_iter().map(MemberTarget).collect())
}
