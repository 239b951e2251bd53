//! The demo committee's duty records for 2023 and 2024: plenary sessions, standing-committee
//! and special-committee meetings with realistic attendance (a few excused, fewer absent, two
//! members who miss a lot), consultations, studio 民生议事堂, reading events, volunteer
//! service, training classes and duty items.
//!
//! 2023 is built to the figures the year in review quotes: 12 committee-level consultations,
//! 26 民生议事堂 solving 18 problems, 3 reading events with 50 attendances, 12 volunteer
//! activities serving 318 people, 2 training classes, and 10 confirmed research reports with
//! 45 suggestions. Drawn from a fixed seed: the same on every run.

use chrono::{Datelike, NaiveDate, NaiveDateTime, NaiveTime};
use fastrand::Rng;
use sea_orm::{ActiveValue::Set, ConnectionTrait, EntityTrait, QueryOrder, QuerySelect};

use super::{insert_chunked, organisation::Ids, roster::Roster};
use crate::error::{AppError, AppResult};
use entity::{
    activity, duty_item,
    enums::{
        ActivityKind, ActivityStatus, ActivitySubkind, Attendance, DutyItemKind, DutyItemStatus, OrganiserKind,
        ParticipationRole, TrainingKind,
    },
    participation, training_attendance, training_session,
};

/// The seed of the draw.
const SEED: u64 = 0x4c56_5a48_4154;

/// An activity to write, with its participants (roster indexes).
struct Plan {
    title: String,
    kind: ActivityKind,
    subkind: Option<ActivitySubkind>,
    organiser: (OrganiserKind, Option<i64>, Option<i64>, Option<i64>),
    date: NaiveDate,
    location: &'static str,
    compulsory: bool,
    issues_solved: Option<i32>,
    people_served: Option<i32>,
    participants: Vec<(usize, Attendance, ParticipationRole)>,
}

fn day(y: i32, m: u32, d: u32) -> AppResult<NaiveDate> {
    NaiveDate::from_ymd_opt(y, m, d).ok_or_else(|| AppError::Internal(format!("bad demo date {y}-{m}-{d}")))
}

/// Attendance at a compulsory meeting: mostly present, a few late or excused, rarely absent;
/// the habitual absentees miss most meetings.
fn meeting_attendance(rng: &mut Rng, absentee: bool) -> Attendance {
    let roll = rng.u32(0..100);
    if absentee {
        return match roll {
            0..40 => Attendance::Absent,
            40..75 => Attendance::Excused,
            _ => Attendance::Present,
        };
    }
    match roll {
        0..2 => Attendance::Absent,
        2..8 => Attendance::Excused,
        8..11 => Attendance::Late,
        11..13 => Attendance::LeftEarly,
        _ => Attendance::Present,
    }
}

/// `n` distinct items of `pool`, drawn in a stable way.
fn sample(rng: &mut Rng, pool: &[usize], n: usize) -> Vec<usize> {
    let mut pool = pool.to_vec();
    rng.shuffle(&mut pool);
    pool.truncate(n);
    pool.sort_unstable();
    pool
}

/// `total` split into `parts` non-negative parts, drawn.
fn split(rng: &mut Rng, total: u32, parts: usize) -> Vec<u32> {
    let mut out = vec![0; parts];
    for _ in 0..total {
        out[rng.usize(0..parts)] += 1;
    }
    out
}

/// Writes the demo duty records. `members` holds the member id of each roster person.
pub(super) async fn insert(db: &impl ConnectionTrait, roster: &Roster, ids: &Ids, members: &[i64]) -> AppResult<()> {
    let mut rng = Rng::with_seed(SEED);
    let current: Vec<usize> =
        roster.people.iter().enumerate().filter(|(_, p)| p.current.is_some()).map(|(i, _)| i).collect();
    let seated_on = |person: usize, date: NaiveDate| {
        roster.people[person].current.as_ref().is_some_and(|s| s.end.is_none_or(|end| end >= date))
    };
    let standing: Vec<usize> =
        current.iter().copied().filter(|&i| roster.people[i].current.as_ref().is_some_and(|s| s.standing)).collect();
    // Two members who miss a lot: the last two of the current roster.
    let absentees: Vec<usize> = current.iter().rev().take(2).copied().collect();
    let office = (OrganiserKind::Office, None, None, None);
    let committee = |c: usize| (OrganiserKind::SpecialCommittee, Some(ids.committees[c]), None, None);
    let studio = |s: usize| (OrganiserKind::Studio, None, Some(ids.studios[s]), None);
    let group = |g: usize| (OrganiserKind::Group, None, None, Some(ids.groups[g]));
    let in_committee = |c: usize, date: NaiveDate| -> Vec<usize> {
        let mut people: Vec<usize> = roster
            .committees
            .iter()
            .filter(|p| p.target == c && p.start <= date && p.end.is_none_or(|e| e >= date))
            .map(|p| p.person)
            .filter(|&p| seated_on(p, date))
            .collect();
        people.sort_unstable();
        people.dedup();
        people
    };
    let in_group = |g: usize| -> Vec<usize> {
        let mut people: Vec<usize> = roster.groups.iter().filter(|p| p.target == g).map(|p| p.person).collect();
        people.sort_unstable();
        people.dedup();
        people
    };
    let in_studio = |s: usize| -> Vec<usize> {
        roster.studios.iter().filter(|p| p.target == s && p.end.is_none()).map(|p| p.person).collect()
    };

    let mut plans: Vec<Plan> = Vec::new();
    for year in [2023, 2024] {
        // 全体会议: everyone seated, compulsory.
        let date = day(year, 1, 8)?;
        let participants = current
            .iter()
            .filter(|&&p| seated_on(p, date))
            .map(|&p| (p, meeting_attendance(&mut rng, absentees.contains(&p)), ParticipationRole::Participant))
            .collect();
        plans.push(Plan {
            title: format!("政协第十届委员会第{}次全体会议", year - 2021),
            kind: ActivityKind::PlenarySession,
            subkind: None,
            organiser: office,
            date,
            location: "区会议中心",
            compulsory: true,
            issues_solved: None,
            people_served: None,
            participants,
        });
        // 常委会议: four a year, standing members, compulsory.
        for (n, month) in [3, 6, 9, 12].into_iter().enumerate() {
            let date = day(year, month, 20)?;
            let participants = standing
                .iter()
                .filter(|&&p| seated_on(p, date))
                .map(|&p| (p, meeting_attendance(&mut rng, absentees.contains(&p)), ParticipationRole::Participant))
                .collect();
            plans.push(Plan {
                title: format!("{year}年第{}次常委会议", n + 1),
                kind: ActivityKind::StandingCommitteeMeeting,
                subkind: None,
                organiser: office,
                date,
                location: "区政协常委会议室",
                compulsory: true,
                issues_solved: None,
                people_served: None,
                participants,
            });
        }
        // 专委会会议: two a year per committee, its members, compulsory.
        for c in 0..ids.committees.len() {
            for (n, month) in [4, 10].into_iter().enumerate() {
                let date = day(year, month, 10 + u32::try_from(c).unwrap_or(0))?;
                let participants = in_committee(c, date)
                    .into_iter()
                    .map(|p| (p, meeting_attendance(&mut rng, absentees.contains(&p)), ParticipationRole::Participant))
                    .collect();
                plans.push(Plan {
                    title: format!("{year}年专委会第{}次全体会议（{}）", n + 1, super::names::COMMITTEES[c].0),
                    kind: ActivityKind::SpecialCommitteeMeeting,
                    subkind: None,
                    organiser: committee(c),
                    date,
                    location: "区政协会议室",
                    compulsory: true,
                    issues_solved: None,
                    people_served: None,
                    participants,
                });
            }
        }
    }

    // 2023: 12 committee-level consultations.
    const TOPICS: [&str; 12] = [
        "老旧小区改造",
        "优化营商环境",
        "义务教育优质均衡发展",
        "基层医疗服务能力提升",
        "乡村振兴产业发展",
        "养老服务体系建设",
        "生态环境保护",
        "文旅融合发展",
        "重点提案办理",
        "中小企业融资",
        "城市交通治理",
        "青年人才引进",
    ];
    let subkinds = [
        ActivitySubkind::ThematicConsultation,
        ActivitySubkind::BimonthlyConsultation,
        ActivitySubkind::SectorConsultation,
        ActivitySubkind::ProposalConsultation,
    ];
    for (n, topic) in TOPICS.iter().enumerate() {
        let month = u32::try_from(n % 11).unwrap_or(0) + 2;
        let date = day(2023, month, 15)?;
        let c = n % ids.committees.len();
        let pool = in_committee(c, date);
        let chosen = sample(&mut rng, &pool, 8 + n % 5);
        let participants = chosen
            .into_iter()
            .enumerate()
            .map(|(k, p)| {
                let role = if k < 2 { ParticipationRole::Speaker } else { ParticipationRole::Participant };
                (p, if k == 7 { Attendance::Excused } else { Attendance::Present }, role)
            })
            .collect();
        plans.push(Plan {
            title: format!("关于{topic}的{}", subkinds[n % 4].label()),
            kind: ActivityKind::Consultation,
            subkind: Some(subkinds[n % 4]),
            organiser: if n % 3 == 0 { office } else { committee(c) },
            date,
            location: "区政协协商议事厅",
            compulsory: false,
            issues_solved: None,
            people_served: None,
            participants,
        });
    }
    // 2023: 26 民生议事堂 at the town studios and the first village studios, solving 18
    // problems in all.
    let solved = split(&mut rng, 18, 26);
    for (n, issues) in solved.into_iter().enumerate() {
        let s = n % ids.studios.len();
        let date = day(2023, u32::try_from(n % 12).unwrap_or(0) + 1, 5 + u32::try_from(n / 12).unwrap_or(0) * 10)?;
        let participants = in_studio(s)
            .into_iter()
            .filter(|&p| seated_on(p, date))
            .take(6)
            .map(|p| (p, Attendance::Present, ParticipationRole::Participant))
            .collect();
        plans.push(Plan {
            title: format!("民生议事堂第{}期", n + 1),
            kind: ActivityKind::Consultation,
            subkind: Some(ActivitySubkind::PeoplesLivelihoodHall),
            organiser: studio(s),
            date,
            location: "委员工作室",
            compulsory: false,
            issues_solved: Some(i32::try_from(issues).unwrap_or(0)),
            people_served: None,
            participants,
        });
    }
    // 2023: 3 reading events of the reading group (GROUPS[0]) with 50 attendances in all (and
    // a few excused members, who do not count).
    let readers = in_group(0);
    for (n, present) in [17, 16, 17].into_iter().enumerate() {
        let date = day(2023, [4, 8, 11][n], 23)?;
        let mut chosen = readers.clone();
        rng.shuffle(&mut chosen);
        let participants = chosen
            .into_iter()
            .take(present + 2)
            .enumerate()
            .map(|(k, p)| {
                let role = if k == 0 { ParticipationRole::Lead } else { ParticipationRole::Participant };
                (p, if k < present { Attendance::Present } else { Attendance::Excused }, role)
            })
            .collect();
        plans.push(Plan {
            title: format!("“书香政协”读书分享会（第{}期）", n + 1),
            kind: ActivityKind::Reading,
            subkind: None,
            organiser: group(0),
            date,
            location: "区图书馆",
            compulsory: false,
            issues_solved: None,
            people_served: None,
            participants,
        });
    }
    // 2023: 12 volunteer activities of the service team (GROUPS[1]) serving 318 people.
    let volunteers = in_group(1);
    let served = [22, 35, 18, 40, 25, 30, 16, 28, 33, 21, 26, 24];
    for (n, people) in served.into_iter().enumerate() {
        let date = day(2023, u32::try_from(n).unwrap_or(0) + 1, 18)?;
        let chosen = sample(&mut rng, &volunteers, 5 + n % 4);
        plans.push(Plan {
            title: format!("委员志愿服务进社区（第{}次）", n + 1),
            kind: ActivityKind::VolunteerService,
            subkind: None,
            organiser: group(1),
            date,
            location: "社区服务中心",
            compulsory: false,
            issues_solved: None,
            people_served: Some(people),
            participants: chosen
                .into_iter()
                .map(|p| (p, Attendance::Present, ParticipationRole::Participant))
                .collect(),
        });
    }
    // 2024: a few consultations and an inspection, so the second year is not empty.
    for (n, topic) in ["数字经济发展", "社区嵌入式服务设施建设", "河湖长制落实"].iter().enumerate()
    {
        let date = day(2024, 3 + u32::try_from(n).unwrap_or(0) * 2, 12)?;
        let c = (n + 1) % ids.committees.len();
        let chosen = sample(&mut rng, &in_committee(c, date), 10);
        plans.push(Plan {
            title: format!("关于{topic}的专题协商"),
            kind: if n == 2 { ActivityKind::Inspection } else { ActivityKind::Consultation },
            subkind: if n == 2 { None } else { Some(ActivitySubkind::ThematicConsultation) },
            organiser: committee(c),
            date,
            location: "区政协协商议事厅",
            compulsory: false,
            issues_solved: None,
            people_served: None,
            participants: chosen
                .into_iter()
                .map(|p| (p, Attendance::Present, ParticipationRole::Participant))
                .collect(),
        });
    }

    write_activities(db, &plans, members).await?;
    write_training(db, &mut rng, &current, members).await?;
    write_duty_items(db, &mut rng, &current, members).await
}

/// The moment the demo records were created: noon of their day.
fn at_noon(date: NaiveDate) -> chrono::DateTime<chrono::Utc> {
    NaiveDateTime::new(date, NaiveTime::from_hms_opt(12, 0, 0).unwrap_or(NaiveTime::MIN)).and_utc()
}

async fn write_activities(db: &impl ConnectionTrait, plans: &[Plan], members: &[i64]) -> AppResult<()> {
    let rows = plans.iter().map(|p| {
        let (kind, committee, studio, group) = p.organiser;
        activity::ActiveModel {
            title: Set(p.title.clone()),
            kind: Set(p.kind),
            subkind: Set(p.subkind),
            organiser_kind: Set(kind),
            committee_id: Set(committee),
            sector_id: Set(None),
            studio_id: Set(studio),
            group_id: Set(group),
            start_date: Set(p.date),
            end_date: Set(p.date),
            location: Set(Some(p.location.to_owned())),
            status: Set(ActivityStatus::Done),
            compulsory: Set(p.compulsory),
            issues_solved: Set(p.issues_solved),
            people_served: Set(p.people_served),
            donations_fen: Set(None),
            description: Set(None),
            created_at: Set(at_noon(p.date)),
            updated_at: Set(at_noon(p.date)),
            // Held and fully marked: closed the day it was recorded.
            closed_at: Set(Some(at_noon(p.date))),
            ..Default::default()
        }
    });
    insert_chunked(db, rows.collect()).await?;
    // The database held no activity before: the ids follow the insertion order.
    let ids: Vec<i64> = activity::Entity::find()
        .select_only()
        .column(activity::Column::Id)
        .order_by_asc(activity::Column::Id)
        .into_tuple()
        .all(db)
        .await?;
    if ids.len() != plans.len() {
        return Err(AppError::Internal("the demo activities were not all written".to_owned()));
    }
    let rows = plans.iter().zip(&ids).flat_map(|(plan, &activity_id)| {
        plan.participants.iter().map(move |&(person, attendance, role)| participation::ActiveModel {
            activity_id: Set(activity_id),
            member_id: Set(members[person]),
            activity_date: Set(plan.date),
            attendance: Set(Some(attendance)),
            role: Set(role),
            note: Set((attendance == Attendance::Excused).then(|| "因公请假".to_owned())),
            invited: Set(true),
            ..Default::default()
        })
    });
    insert_chunked(db, rows.collect()).await
}

async fn write_training(db: &impl ConnectionTrait, rng: &mut Rng, current: &[usize], members: &[i64]) -> AppResult<()> {
    // Two member classes in 2023 (the year in review counts them), one in 2024, and a forum.
    let sessions = [
        ("2023年度新任委员履职能力培训班", TrainingKind::Class, day(2023, 5, 16)?, day(2023, 5, 18)?, 160),
        ("2023年度委员专题学习培训班", TrainingKind::Class, day(2023, 10, 24)?, day(2023, 10, 26)?, 120),
        ("政协讲坛：中国式现代化的基层实践", TrainingKind::Forum, day(2023, 7, 6)?, day(2023, 7, 6)?, 25),
        ("2024年度委员履职能力提升培训班", TrainingKind::Class, day(2024, 6, 11)?, day(2024, 6, 13)?, 160),
    ];
    let rows = sessions.iter().map(|&(title, kind, start, end, credit)| training_session::ActiveModel {
        title: Set(title.to_owned()),
        kind: Set(kind),
        organiser_kind: Set(OrganiserKind::Office),
        committee_id: Set(None),
        sector_id: Set(None),
        studio_id: Set(None),
        group_id: Set(None),
        start_date: Set(start),
        end_date: Set(end),
        location: Set(Some("区委党校".to_owned())),
        credit_tenths: Set(credit),
        created_at: Set(at_noon(end)),
        ..Default::default()
    });
    insert_chunked(db, rows.collect()).await?;
    let ids: Vec<i64> = training_session::Entity::find()
        .select_only()
        .column(training_session::Column::Id)
        .order_by_asc(training_session::Column::Id)
        .into_tuple()
        .all(db)
        .await?;
    let mut rows = Vec::new();
    for (&session, &(_, kind, start, _, credit)) in ids.iter().zip(&sessions) {
        let share = if kind == TrainingKind::Class { 55 } else { 30 };
        for &person in current {
            if rng.u32(0..100) >= share + u32::try_from(start.year() - 2023).unwrap_or(0) * 10 {
                continue;
            }
            let completed = rng.u32(0..100) < 92;
            let hours = if completed { credit } else { credit / 2 };
            rows.push(training_attendance::ActiveModel {
                session_id: Set(session),
                member_id: Set(members[person]),
                hours_tenths: Set(hours),
                completed: Set(completed),
                ..Default::default()
            });
        }
    }
    insert_chunked(db, rows).await
}

async fn write_duty_items(
    db: &impl ConnectionTrait,
    rng: &mut Rng,
    current: &[usize],
    members: &[i64],
) -> AppResult<()> {
    const REPORTS: [(&str, i32); 10] = [
        ("关于推进老旧小区加装电梯的调研报告", 5),
        ("关于提升社区居家养老服务水平的调研报告", 4),
        ("关于优化中小学课后服务的调研报告", 6),
        ("关于农村生活污水治理的调研报告", 3),
        ("关于促进夜间经济发展的调研报告", 5),
        ("关于加强基层医疗人才队伍建设的调研报告", 4),
        ("关于推动非遗保护传承的调研报告", 5),
        ("关于规范电动自行车停放充电的调研报告", 4),
        ("关于支持青年创新创业的调研报告", 5),
        ("关于完善社区矛盾纠纷调解机制的调研报告", 4),
    ];
    let authors = sample(rng, current, 16);
    let item = |person: usize, kind, title: &str, date, suggestions, status| duty_item::ActiveModel {
        member_id: Set(members[person]),
        kind: Set(kind),
        title: Set(title.to_owned()),
        date: Set(date),
        evidence: Set(Some("区政协办公室存档".to_owned())),
        suggestions: Set(suggestions),
        status: Set(status),
        review_note: Set(None),
        reviewed_by: Set(None),
        reviewed_at: Set((status != DutyItemStatus::Submitted).then(|| at_noon(date))),
        created_at: Set(at_noon(date)),
        ..Default::default()
    };
    let mut rows = Vec::new();
    for (n, &(title, suggestions)) in REPORTS.iter().enumerate() {
        let date = day(2023, u32::try_from(n).unwrap_or(0) + 2, 28)?;
        rows.push(item(authors[n], DutyItemKind::ResearchReport, title, date, suggestions, DutyItemStatus::Confirmed));
    }
    // Not counted by the year in review: a rejected 2023 report, speeches, an article, and
    // 2024 items still waiting for review.
    rows.push(item(
        authors[10],
        DutyItemKind::ResearchReport,
        "关于城市绿地管护的调研（材料不全）",
        day(2023, 12, 1)?,
        3,
        DutyItemStatus::Rejected,
    ));
    rows.push(item(
        authors[11],
        DutyItemKind::Speech,
        "在区政协全体会议上的大会发言",
        day(2023, 1, 8)?,
        0,
        DutyItemStatus::Confirmed,
    ));
    rows.push(item(
        authors[12],
        DutyItemKind::Article,
        "《履职为民守初心》",
        day(2023, 9, 3)?,
        0,
        DutyItemStatus::Confirmed,
    ));
    rows.push(item(
        authors[13],
        DutyItemKind::HistoricalMaterial,
        "老城区商业街变迁口述史",
        day(2023, 11, 20)?,
        0,
        DutyItemStatus::Confirmed,
    ));
    rows.push(item(
        authors[14],
        DutyItemKind::ResearchReport,
        "关于数字乡村建设的调研报告",
        day(2024, 4, 12)?,
        6,
        DutyItemStatus::Submitted,
    ));
    rows.push(item(
        authors[15],
        DutyItemKind::PublicWelfare,
        "捐资助学活动",
        day(2024, 5, 20)?,
        0,
        DutyItemStatus::Submitted,
    ));
    insert_chunked(db, rows).await
}
