//! The demo committee's 2024 annual plan ("三亮") and a few members' personal targets.
//!
//! The plan is shaped like a real district's "5 方面 45 项": five areas of nine items, among them
//! 2 专题议政性常委会议, 3 专题协商, 3 民主监督 and 2 双月协商, the rest 视察 and 调研. Every item
//! has its goal (年初亮目标); most have mid-year progress (年中亮进度); those carried out have
//! their result (年底亮结果); five are late and four, due at the very end of the year, are still
//! under way. Items whose work is among the demo's 2024 activities are linked to them. The
//! first members by number (the demo `member` account's member first) have personal targets.
//! Fixed data: the same on every run.

use chrono::{Months, NaiveDate, NaiveDateTime, NaiveTime};
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use super::{insert_chunked, names::COMMITTEES};
use crate::error::{AppError, AppResult};
use entity::{
    account, activity,
    enums::{PlanItemStatus, PlanItemType, PlanStage, SeatStatus, TargetKind},
    member_target, plan, plan_item, plan_item_activity, plan_stage, seat, special_committee, term,
};

/// The plan's year.
const YEAR: i32 = 2024;

/// Who leads an item: an index into [`COMMITTEES`], or the office.
const OFFICE: Option<usize> = None;
const PROPOSALS: Option<usize> = Some(0);
const ECONOMY: Option<usize> = Some(1);
const SOCIETY: Option<usize> = Some(2);
const CULTURE: Option<usize> = Some(3);

/// How an item ends up.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Outcome {
    /// Carried out: a result recorded a few days before the target date.
    Done,
    /// Progress recorded, but no result although the target date has passed.
    Late,
    /// Never started: neither progress nor result.
    Stalled,
    /// Due at the end of the year and under way.
    Open,
}

use Outcome::{Done, Late, Open, Stalled};
use PlanItemType::{
    BimonthlyConsultation as Bimonthly, DemocraticSupervision as Supervision, Inspection, Research,
    ThematicConsultation as Consultation, ThematicStandingMeeting as StandingMeeting,
};

/// One item: type, title, lead, target month, outcome, and the title of the demo activity that
/// carried it out (if any).
type ItemSpec = (PlanItemType, &'static str, Option<usize>, u32, Outcome, Option<&'static str>);

/// The five areas (方面) and their items, in plan order.
const AREAS: [(&str, [ItemSpec; 9]); 5] = [
    (
        "经济建设",
        [
            (
                StandingMeeting,
                "推动数字经济与实体经济深度融合专题议政性常委会议",
                OFFICE,
                6,
                Done,
                Some("2024年第2次常委会议"),
            ),
            (Consultation, "数字经济发展专题协商", ECONOMY, 4, Done, Some("关于数字经济发展的专题协商")),
            (Bimonthly, "优化营商环境双月协商", OFFICE, 8, Done, None),
            (Supervision, "惠企政策落实情况民主监督", ECONOMY, 10, Done, None),
            (Inspection, "重点项目建设推进情况视察", ECONOMY, 5, Done, None),
            (Research, "中小微企业融资难问题调研", ECONOMY, 7, Done, None),
            (Inspection, "开发区产业园区建设视察", ECONOMY, 9, Late, None),
            (Research, "乡村特色产业发展调研", PROPOSALS, 11, Done, None),
            (Research, "县域商业体系建设调研", ECONOMY, 12, Open, None),
        ],
    ),
    (
        "政治建设",
        [
            (StandingMeeting, "法治化营商环境建设专题议政性常委会议", OFFICE, 9, Done, Some("2024年第3次常委会议")),
            (Supervision, "“八五”普法规划实施情况民主监督", SOCIETY, 10, Done, None),
            (Inspection, "基层社会治理网格化工作视察", SOCIETY, 4, Done, None),
            (Research, "政协协商与基层协商有效衔接调研", PROPOSALS, 6, Done, None),
            (Inspection, "公共法律服务体系建设视察", SOCIETY, 7, Done, None),
            (Research, "信访工作法治化调研", SOCIETY, 8, Late, None),
            (Inspection, "民族宗教工作视察", SOCIETY, 5, Done, None),
            (Research, "委员履职能力建设调研", PROPOSALS, 10, Stalled, None),
            (Research, "新的社会阶层人士作用发挥调研", PROPOSALS, 12, Open, None),
        ],
    ),
    (
        "文化建设",
        [
            (Consultation, "文旅融合发展专题协商", CULTURE, 6, Done, None),
            (Bimonthly, "历史文化街区保护利用双月协商", OFFICE, 10, Done, None),
            (Inspection, "公共文化服务体系建设视察", CULTURE, 3, Done, None),
            (Research, "非物质文化遗产保护传承调研", CULTURE, 5, Done, None),
            (Inspection, "全民阅读推广工作视察", CULTURE, 4, Done, None),
            (Research, "文史资料征集编研调研", CULTURE, 9, Late, None),
            (Inspection, "红色文化资源保护利用视察", CULTURE, 7, Done, None),
            (Research, "乡村文化振兴调研", CULTURE, 11, Done, None),
            (Research, "群众体育设施建设调研", CULTURE, 12, Open, None),
        ],
    ),
    (
        "社会建设",
        [
            (
                Consultation,
                "社区嵌入式服务设施建设专题协商",
                SOCIETY,
                5,
                Done,
                Some("关于社区嵌入式服务设施建设的专题协商"),
            ),
            (Supervision, "义务教育“双减”政策落实民主监督", SOCIETY, 11, Done, None),
            (Inspection, "基层医疗卫生服务能力建设视察", SOCIETY, 4, Done, None),
            (Research, "养老服务体系建设调研", SOCIETY, 6, Done, None),
            (Inspection, "老旧小区改造工作视察", PROPOSALS, 8, Done, None),
            (Research, "青年人才引进与留用调研", PROPOSALS, 7, Late, None),
            (Inspection, "食品安全监管工作视察", SOCIETY, 9, Done, None),
            (Research, "婴幼儿照护服务发展调研", SOCIETY, 10, Stalled, None),
            (Research, "城市交通治理调研", PROPOSALS, 11, Done, None),
        ],
    ),
    (
        "生态文明建设",
        [
            (Inspection, "河湖长制落实情况视察", ECONOMY, 7, Done, Some("关于河湖长制落实的专题协商")),
            (Research, "大气污染防治调研", ECONOMY, 5, Done, None),
            (Inspection, "垃圾分类工作视察", SOCIETY, 6, Done, None),
            (Research, "农村人居环境整治调研", PROPOSALS, 8, Done, None),
            (Inspection, "山水林田湖草系统治理视察", ECONOMY, 9, Done, None),
            (Research, "“双碳”目标下绿色低碳发展调研", ECONOMY, 10, Late, None),
            (Inspection, "饮用水水源地保护视察", SOCIETY, 11, Done, None),
            (Research, "土壤污染防治调研", ECONOMY, 12, Open, None),
            (Research, "生态补偿机制建设调研", ECONOMY, 8, Stalled, None),
        ],
    ),
];

/// Personal targets of the first members by number: (proposals, reports, attendance rate in
/// hundredths, activities, training hours).
const TARGETS: [(i64, i64, i64, i64, i64); 5] =
    [(1, 1, 80, 3, 8), (2, 1, 90, 3, 8), (1, 2, 80, 2, 6), (1, 1, 75, 4, 8), (1, 1, 80, 2, 4)];

fn day(m: u32, d: u32) -> AppResult<NaiveDate> {
    NaiveDate::from_ymd_opt(YEAR, m, d).ok_or_else(|| AppError::Internal(format!("bad demo date {YEAR}-{m}-{d}")))
}

fn before(date: NaiveDate, days: u64) -> NaiveDate {
    date.checked_sub_days(chrono::Days::new(days)).unwrap_or(date)
}

/// The last day of `month` of the plan's year.
fn month_end(month: u32) -> AppResult<NaiveDate> {
    let first = day(month, 1)?;
    first
        .checked_add_months(Months::new(1))
        .and_then(|next| next.pred_opt())
        .ok_or_else(|| AppError::Internal(format!("bad demo month {month}")))
}

fn at_noon(date: NaiveDate) -> chrono::DateTime<chrono::Utc> {
    NaiveDateTime::new(date, NaiveTime::from_hms_opt(12, 0, 0).unwrap_or(NaiveTime::MIN)).and_utc()
}

/// Writes the 2024 plan, its stages and links, and the personal targets.
pub(super) async fn insert(db: &impl ConnectionTrait) -> AppResult<()> {
    let published = day(1, 25)?;
    let term_id: Option<i64> = term::Entity::find()
        .filter(term::Column::StartDate.lte(day(12, 31)?))
        .filter(term::Column::EndDate.gte(day(1, 1)?))
        .order_by_desc(term::Column::StartDate)
        .select_only()
        .column(term::Column::Id)
        .into_tuple()
        .one(db)
        .await?;
    let committees = super::ids_by_name::<special_committee::Entity>(
        db,
        special_committee::Column::Id,
        special_committee::Column::Name,
        COMMITTEES.iter().map(|c| c.0),
        "special committee",
    )
    .await?;
    let office: Option<i64> = account::Entity::find()
        .select_only()
        .column(account::Column::Id)
        .filter(account::Column::Username.eq("office"))
        .into_tuple()
        .one(db)
        .await?;
    let recorder = if office.is_some() { "office" } else { "system" };

    plan::Entity::insert(plan::ActiveModel {
        year: Set(YEAR),
        term_id: Set(term_id),
        title: Set(format!("{YEAR}年度协商工作计划")),
        description: Set(Some(
            "围绕全区中心工作，聚焦经济建设、政治建设、文化建设、社会建设、生态文明建设五个方面，安排协商议政、民主监督、视察调研等重点工作45项，实行“年初亮目标、年中亮进度、年底亮结果”。".to_owned(),
        )),
        created_at: Set(at_noon(published)),
        updated_at: Set(at_noon(published)),
        ..Default::default()
    })
    .exec_without_returning(db)
    .await?;
    let plan_id: i64 = plan::Entity::find()
        .select_only()
        .column(plan::Column::Id)
        .filter(plan::Column::Year.eq(YEAR))
        .into_tuple()
        .one(db)
        .await?
        .ok_or_else(|| AppError::Internal("the demo plan was not written".to_owned()))?;

    let specs: Vec<(&str, &ItemSpec)> =
        AREAS.iter().flat_map(|(area, items)| items.iter().map(move |item| (*area, item))).collect();
    let mut items = Vec::with_capacity(specs.len());
    for (n, (area, (item_type, title, lead, month, outcome, _))) in specs.iter().enumerate() {
        let lead = match lead {
            Some(c) => Some(
                committees
                    .get(*c)
                    .copied()
                    .ok_or_else(|| AppError::Internal("demo plan lead out of range".to_owned()))?,
            ),
            None => None,
        };
        items.push(plan_item::ActiveModel {
            plan_id: Set(plan_id),
            number: Set(i32::try_from(n + 1).unwrap_or(i32::MAX)),
            item_type: Set(*item_type),
            area: Set((*area).to_owned()),
            title: Set((*title).to_owned()),
            lead_committee_id: Set(lead),
            target_date: Set(month_end(*month)?),
            status: Set(match outcome {
                Done => PlanItemStatus::Done,
                Late | Open => PlanItemStatus::InProgress,
                Stalled => PlanItemStatus::NotStarted,
            }),
            created_at: Set(at_noon(published)),
            updated_at: Set(at_noon(published)),
            ..Default::default()
        });
    }
    insert_chunked(db, items).await?;
    let item_ids: Vec<i64> = plan_item::Entity::find()
        .select_only()
        .column(plan_item::Column::Id)
        .filter(plan_item::Column::PlanId.eq(plan_id))
        .order_by_asc(plan_item::Column::Number)
        .into_tuple()
        .all(db)
        .await?;

    let stage = |item: i64, stage: PlanStage, text: String, on: NaiveDate| plan_stage::ActiveModel {
        plan_item_id: Set(item),
        stage: Set(stage),
        text: Set(text),
        recorded_on: Set(on),
        recorded_by_account_id: Set(office),
        recorded_by: Set(recorder.to_owned()),
        created_at: Set(at_noon(on)),
        ..Default::default()
    };
    let mut stages = Vec::new();
    for (k, ((_, (item_type, title, _, month, outcome, _)), &id)) in specs.iter().zip(&item_ids).enumerate() {
        let target = month_end(*month)?;
        let goal = format!("年内完成{title}，形成{}并报送区委、区政府。", report_of(*item_type));
        stages.push(stage(id, PlanStage::Goal, goal, published));
        if *outcome != Stalled {
            let on = before(target, 20).min(day(7, 10)?);
            let text = "已制定工作方案，完成走访座谈和资料收集，正在起草报告。".to_owned();
            stages.push(stage(id, PlanStage::Progress, text, on));
        }
        if *outcome == Done {
            let suggestions = 3 + k % 5;
            let text =
                format!("已完成{title}，形成{}1份、意见建议{suggestions}条，报送区委、区政府。", report_of(*item_type));
            stages.push(stage(id, PlanStage::Result, text, before(target, 5)));
        }
    }
    insert_chunked(db, stages).await?;

    let titles: Vec<&str> = specs.iter().filter_map(|(_, spec)| spec.5).collect();
    let activities: Vec<(i64, String)> = activity::Entity::find()
        .select_only()
        .column(activity::Column::Id)
        .column(activity::Column::Title)
        .filter(activity::Column::Title.is_in(titles))
        .filter(activity::Column::StartDate.between(day(1, 1)?, day(12, 31)?))
        .into_tuple()
        .all(db)
        .await?;
    let links: Vec<plan_item_activity::ActiveModel> = specs
        .iter()
        .zip(&item_ids)
        .filter_map(|((_, spec), &item)| {
            let wanted = spec.5?;
            let (activity, _) = activities.iter().find(|(_, t)| t == wanted)?;
            Some(plan_item_activity::ActiveModel {
                plan_item_id: Set(item),
                activity_id: Set(*activity),
                ..Default::default()
            })
        })
        .collect();
    insert_chunked(db, links).await?;

    insert_targets(db).await
}

/// What an item of a type produces.
fn report_of(item_type: PlanItemType) -> &'static str {
    match item_type {
        PlanItemType::ThematicStandingMeeting => "常委会议建议案",
        PlanItemType::ThematicConsultation | PlanItemType::BimonthlyConsultation => "协商成果报告",
        PlanItemType::DemocraticSupervision => "民主监督报告",
        PlanItemType::Inspection => "视察报告",
        PlanItemType::Research => "调研报告",
    }
}

/// Personal 2024 targets of the first members by number in the current term.
async fn insert_targets(db: &impl ConnectionTrait) -> AppResult<()> {
    let current = term::Entity::find()
        .order_by_desc(term::Column::Number)
        .one(db)
        .await?
        .ok_or_else(|| AppError::Internal("the demo has no term".to_owned()))?;
    let members: Vec<i64> = seat::Entity::find()
        .select_only()
        .column(seat::Column::MemberId)
        .filter(seat::Column::TermId.eq(current.id))
        .filter(seat::Column::Status.eq(SeatStatus::Serving))
        .order_by_asc(seat::Column::MemberNumber)
        .limit(u64::try_from(TARGETS.len()).unwrap_or(0))
        .into_tuple()
        .all(db)
        .await?;
    let set_on = at_noon(day(1, 25)?);
    let rows = members
        .iter()
        .zip(TARGETS)
        .flat_map(|(&member, (proposals, reports, rate, activities, hours))| {
            [
                (TargetKind::Proposals, proposals * 100),
                (TargetKind::OpinionReports, reports * 100),
                (TargetKind::AttendanceRate, rate),
                (TargetKind::Activities, activities * 100),
                (TargetKind::TrainingHours, hours * 100),
            ]
            .into_iter()
            .map(move |(kind, value)| member_target::ActiveModel {
                member_id: Set(member),
                year: Set(YEAR),
                kind: Set(kind),
                value_hundredths: Set(value),
                created_at: Set(set_on),
                updated_at: Set(set_on),
                ..Default::default()
            })
        })
        .collect();
    insert_chunked(db, rows).await
}
