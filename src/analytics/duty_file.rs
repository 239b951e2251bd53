//! A member's duty file (履职档案) of a year, to download: the seat, committees and studios,
//! every participation, the attendance, training hours, proposals and public-opinion reports,
//! and the assessment with its lines where the reader may see it — as a workbook and as a
//! printable HTML page (print styles, one A4 column).
//!
//! Access: [`policy::read_duty_records`] (office, committee and studio staff anyone's, a member
//! their own); the assessment part follows [`policy::member_assessment_scope`] (left out for a
//! reader who may not see it), personal fields follow [`policy::sees_personal_data`].

use rust_xlsxwriter::{Format, Workbook, XlsxError};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};

use crate::{
    activity::service as activities,
    assessment::{graphql::line_text, rules::points, service as assessments},
    auth::{Actor, policy},
    dates::year_bounds,
    error::{AppError, AppResult},
    signed::service::signed_by,
    training::service as training,
};
use entity::{
    activity, committee_membership, member, member_assessment, opinion_author, opinion_report, participation, proposal,
    proposal_signer, seat, sector, special_committee, studio, studio_assignment, term,
};

/// One participation of the year.
#[derive(Clone, Debug)]
pub struct ParticipationRow {
    /// The activity's date.
    pub date: chrono::NaiveDate,
    /// The activity's title.
    pub title: String,
    /// Its kind (Chinese).
    pub kind: &'static str,
    /// The attendance (Chinese).
    pub attendance: &'static str,
    /// The role (Chinese).
    pub role: &'static str,
}

/// A member's duty file of a year.
#[derive(Clone, Debug)]
pub struct DutyFile {
    /// The year.
    pub year: i32,
    /// The member's name.
    pub name: String,
    /// Personal fields (phone, birth date) where the reader may see them.
    pub personal: Vec<(&'static str, String)>,
    /// The seat's fields (term, number, sector, party, standing, employer, status).
    pub seat: Vec<(&'static str, String)>,
    /// Special committees the member belonged to in the year.
    pub committees: Vec<String>,
    /// Studios the member was assigned to in the year.
    pub studios: Vec<String>,
    /// Participations, by date.
    pub participations: Vec<ParticipationRow>,
    /// The attendance summary (label, figure).
    pub attendance: Vec<(&'static str, String)>,
    /// Training hours earned.
    pub training_hours: String,
    /// Proposals signed (title, status).
    pub proposals: Vec<(String, &'static str)>,
    /// Public-opinion reports written (title, status).
    pub opinion_reports: Vec<(String, &'static str)>,
    /// The assessment (total, grade, rank), when the reader may see it.
    pub assessment: Option<Vec<(&'static str, String)>>,
    /// The assessment's lines as text.
    pub lines: Vec<String>,
}

/// A download ready to send.
#[derive(Clone, Debug)]
pub struct Download {
    /// The bytes.
    pub bytes: Vec<u8>,
    /// A file name to suggest (ASCII).
    pub file_name: String,
}

/// The duty file of `member_id` in `year`, as the actor may read it.
pub async fn duty_file(db: &impl ConnectionTrait, actor: &Actor, member_id: i64, year: i32) -> AppResult<DutyFile> {
    policy::read_duty_records(actor, member_id)?;
    let (first, last) = year_bounds(year)?;
    let person =
        member::Entity::find_by_id(member_id).one(db).await?.ok_or_else(|| AppError::not_found("member", member_id))?;
    let mut personal = Vec::new();
    if policy::sees_personal_data(actor, member_id) {
        personal.push(("手机", person.phone.clone().unwrap_or_default()));
        personal.push(("出生日期", person.birth_date.map(|d| d.to_string()).unwrap_or_default()));
    }

    // The seat of the term the year falls in.
    let seats = seat::Entity::find()
        .filter(seat::Column::MemberId.eq(member_id))
        .find_also_related(term::Entity)
        .all(db)
        .await?;
    let held = seats.iter().find(|(_, t)| t.as_ref().is_some_and(|t| t.start_date <= last && t.end_date >= first));
    let mut seat_fields = Vec::new();
    if let Some((s, t)) = held {
        let sector_name = match s.sector_id {
            Some(id) => sector::Entity::find_by_id(id).one(db).await?.map(|s| s.name).unwrap_or_default(),
            None => String::new(),
        };
        seat_fields = vec![
            ("届次", t.as_ref().map(|t| t.name.clone()).unwrap_or_default()),
            ("委员证号", s.member_number.clone().unwrap_or_default()),
            ("界别", sector_name),
            ("党派", s.party.label().to_owned()),
            ("常委", if s.standing_committee { "是" } else { "否" }.to_owned()),
            ("工作单位及职务", s.employer.clone().unwrap_or_default()),
            ("状态", s.status.label().to_owned()),
        ];
    }

    let in_year =
        |start: chrono::NaiveDate, end: Option<chrono::NaiveDate>| start <= last && end.is_none_or(|e| e >= first);
    let committee_ids: Vec<i64> = committee_membership::Entity::find()
        .filter(committee_membership::Column::MemberId.eq(member_id))
        .filter(committee_membership::Column::VoidedAt.is_null())
        .all(db)
        .await?
        .into_iter()
        .filter(|m| in_year(m.start_date, m.end_date))
        .map(|m| m.committee_id)
        .collect();
    let committees = special_committee::Entity::find()
        .filter(special_committee::Column::Id.is_in(committee_ids))
        .all(db)
        .await?
        .into_iter()
        .map(|c| c.name)
        .collect();
    let studio_ids: Vec<i64> = studio_assignment::Entity::find()
        .filter(studio_assignment::Column::MemberId.eq(member_id))
        .filter(studio_assignment::Column::VoidedAt.is_null())
        .all(db)
        .await?
        .into_iter()
        .filter(|a| in_year(a.start_date, a.end_date))
        .map(|a| a.studio_id)
        .collect();
    let studios = studio::Entity::find()
        .filter(studio::Column::Id.is_in(studio_ids))
        .all(db)
        .await?
        .into_iter()
        .map(|s| s.name)
        .collect();

    let participations = participation::Entity::find()
        .filter(participation::Column::MemberId.eq(member_id))
        .filter(participation::Column::ActivityDate.between(first, last))
        .find_also_related(activity::Entity)
        .filter(activity::Column::VoidedAt.is_null())
        .order_by_asc(participation::Column::ActivityDate)
        .order_by_asc(participation::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .filter_map(|(p, a)| {
            a.map(|a| ParticipationRow {
                date: a.start_date,
                title: a.title,
                kind: a.kind.label(),
                attendance: p.attendance.map_or("待签到", |a| a.label()),
                role: p.role.label(),
            })
        })
        .collect();
    let summary = activities::attendance(db, &[member_id], year).await?.remove(&member_id).unwrap_or_default();
    let attendance = vec![
        ("出席", summary.present.to_string()),
        ("迟到", summary.late.to_string()),
        ("早退", summary.left_early.to_string()),
        ("请假", summary.excused.to_string()),
        ("缺席", summary.absent.to_string()),
        ("应出席（必到活动）", summary.expected.to_string()),
        (
            "出席率",
            summary
                .rate()
                .map(|r| format!("{}%", (r * rust_decimal::Decimal::ONE_HUNDRED).round_dp(1)))
                .unwrap_or_else(|| "—".to_owned()),
        ),
    ];
    let hours = training::hours_tenths(db, &[member_id], year).await?.get(&member_id).copied().unwrap_or(0);

    let proposals = proposal::Entity::find()
        .filter(proposal::Column::Year.eq(year))
        .filter(proposal::Column::VoidedAt.is_null())
        .filter(signed_by::<proposal_signer::Entity>(proposal::Column::Id, member_id))
        .order_by_asc(proposal::Column::SubmittedOn)
        .all(db)
        .await?
        .into_iter()
        .map(|p| (p.title, p.status.label()))
        .collect();
    let opinion_reports = opinion_report::Entity::find()
        .filter(opinion_report::Column::Year.eq(year))
        .filter(opinion_report::Column::VoidedAt.is_null())
        .filter(signed_by::<opinion_author::Entity>(opinion_report::Column::Id, member_id))
        // A withdrawn report is on record but no part of the duty file.
        .filter(opinion_report::Column::Status.ne(entity::enums::OpinionStatus::Withdrawn))
        .order_by_asc(opinion_report::Column::SubmittedOn)
        .all(db)
        .await?
        .into_iter()
        .map(|r| (r.title, r.status.label()))
        .collect();

    let (assessment, lines) = match assessments::result_scope(actor, member_id)? {
        Some(scope) => {
            let found = assessments::for_members(db, scope, &[(member_id, year)]).await?;
            match found.get(&(member_id, year)) {
                Some(row) => (Some(assessment_fields(row)), assessment_lines(db, row).await?),
                None => (None, Vec::new()),
            }
        }
        None => (None, Vec::new()),
    };

    Ok(DutyFile {
        year,
        name: person.name,
        personal,
        seat: seat_fields,
        committees,
        studios,
        participations,
        attendance,
        training_hours: training::hours(hours).to_string(),
        proposals,
        opinion_reports,
        assessment,
        lines,
    })
}

fn assessment_fields(row: &member_assessment::Model) -> Vec<(&'static str, String)> {
    vec![
        ("总分", points(row.total_cents).to_string()),
        ("等次", row.grade.label().to_owned()),
        ("排名", row.rank.to_string()),
        ("是否合格", if row.passed { "是" } else { "否" }.to_owned()),
    ]
}

async fn assessment_lines(db: &impl ConnectionTrait, row: &member_assessment::Model) -> AppResult<Vec<String>> {
    let mut lines = assessments::lines_of(db, &[row.id]).await?;
    Ok(lines.remove(&row.id).unwrap_or_default().iter().map(line_text).collect())
}

fn xlsx(err: XlsxError) -> AppError {
    AppError::Internal(format!("cannot write the workbook: {err}"))
}

/// The duty file as a workbook: 概况 (the member, seat, memberships, attendance, training,
/// assessment), 活动 (participations), 提案与社情民意, 考核明细 (the assessment's lines).
pub async fn workbook(db: &impl ConnectionTrait, actor: &Actor, member_id: i64, year: i32) -> AppResult<Download> {
    let file = duty_file(db, actor, member_id, year).await?;
    let bytes = write_workbook(&file).map_err(xlsx)?;
    Ok(Download { bytes, file_name: format!("duty-file-{member_id}-{year}.xlsx") })
}

fn write_workbook(file: &DutyFile) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let bold = Format::new().set_bold();
    let sheet = book.add_worksheet().set_name("概况")?;
    sheet.set_column_width(0, 20.0)?;
    sheet.set_column_width(1, 40.0)?;
    sheet.write_string_with_format(0, 0, format!("{}年度履职档案", file.year), &bold)?;
    sheet.write_string(1, 0, "姓名")?;
    sheet.write_string(1, 1, &file.name)?;
    let mut pairs: Vec<(&str, String)> = Vec::new();
    pairs.extend(file.personal.iter().map(|(k, v)| (*k, v.clone())));
    pairs.extend(file.seat.iter().map(|(k, v)| (*k, v.clone())));
    pairs.push(("专委会", file.committees.join("、")));
    pairs.push(("委员工作室", file.studios.join("、")));
    pairs.extend(file.attendance.iter().map(|(k, v)| (*k, v.clone())));
    pairs.push(("培训学时", file.training_hours.clone()));
    pairs.push(("提案", file.proposals.len().to_string()));
    pairs.push(("社情民意信息", file.opinion_reports.len().to_string()));
    if let Some(fields) = &file.assessment {
        pairs.extend(fields.iter().map(|(k, v)| (*k, v.clone())));
    }
    for (r, (k, v)) in (2..).zip(pairs) {
        sheet.write_string(r, 0, k)?;
        sheet.write_string(r, 1, v)?;
    }

    let sheet = book.add_worksheet().set_name("活动")?;
    for (c, h) in ["日期", "活动", "类别", "出席", "角色"].iter().enumerate() {
        sheet.write_string_with_format(0, u16::try_from(c).unwrap_or(0), *h, &bold)?;
    }
    sheet.set_column_width(1, 40.0)?;
    for (i, p) in file.participations.iter().enumerate() {
        let r = u32::try_from(i + 1).unwrap_or(u32::MAX);
        sheet.write_string(r, 0, p.date.to_string())?;
        sheet.write_string(r, 1, &p.title)?;
        sheet.write_string(r, 2, p.kind)?;
        sheet.write_string(r, 3, p.attendance)?;
        sheet.write_string(r, 4, p.role)?;
    }

    let sheet = book.add_worksheet().set_name("提案与社情民意")?;
    for (c, h) in ["类别", "标题", "状态"].iter().enumerate() {
        sheet.write_string_with_format(0, u16::try_from(c).unwrap_or(0), *h, &bold)?;
    }
    sheet.set_column_width(1, 50.0)?;
    let records = file
        .proposals
        .iter()
        .map(|(t, s)| ("提案", t, s))
        .chain(file.opinion_reports.iter().map(|(t, s)| ("社情民意", t, s)));
    for (i, (kind, title, status)) in records.enumerate() {
        let r = u32::try_from(i + 1).unwrap_or(u32::MAX);
        sheet.write_string(r, 0, kind)?;
        sheet.write_string(r, 1, title.as_str())?;
        sheet.write_string(r, 2, *status)?;
    }

    if file.assessment.is_some() {
        let sheet = book.add_worksheet().set_name("考核明细")?;
        sheet.write_string_with_format(0, 0, "计分事项", &bold)?;
        sheet.set_column_width(0, 60.0)?;
        for (i, line) in file.lines.iter().enumerate() {
            sheet.write_string(u32::try_from(i + 1).unwrap_or(u32::MAX), 0, line)?;
        }
    }
    book.save_to_buffer()
}

/// The duty file as a printable HTML page (UTF-8, print styles, no scripts).
pub async fn page(db: &impl ConnectionTrait, actor: &Actor, member_id: i64, year: i32) -> AppResult<Download> {
    let file = duty_file(db, actor, member_id, year).await?;
    Ok(Download { bytes: render(&file).into_bytes(), file_name: format!("duty-file-{member_id}-{year}.html") })
}

/// Escapes text for HTML.
fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

const STYLE: &str = "body{font-family:'Songti SC','SimSun','Noto Serif CJK SC',serif;margin:2em;color:#000}
h1{font-size:1.6em;text-align:center}h2{font-size:1.2em;border-bottom:1px solid #000;margin-top:1.5em}
table{border-collapse:collapse;width:100%}th,td{border:1px solid #444;padding:.25em .5em;text-align:left}
th{background:#eee}dl{display:grid;grid-template-columns:10em 1fr;gap:.2em 1em}dt{font-weight:bold}
@media print{@page{size:A4;margin:18mm}body{margin:0}h2{break-after:avoid}tr{break-inside:avoid}th{background:none}}";

fn render(file: &DutyFile) -> String {
    use std::fmt::Write;
    let mut h = String::new();
    let title = format!("{} {}年度履职档案", esc(&file.name), file.year);
    let _ = write!(
        h,
        "<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>{title}</title><style>{STYLE}</style></head><body><h1>{title}</h1>"
    );
    let dl = |h: &mut String, pairs: &[(&str, String)]| {
        h.push_str("<dl>");
        for (k, v) in pairs {
            let _ = write!(h, "<dt>{}</dt><dd>{}</dd>", esc(k), esc(v));
        }
        h.push_str("</dl>");
    };
    h.push_str("<h2>基本情况</h2>");
    let mut pairs: Vec<(&str, String)> = vec![("姓名", file.name.clone())];
    pairs.extend(file.personal.iter().map(|(k, v)| (*k, v.clone())));
    pairs.extend(file.seat.iter().map(|(k, v)| (*k, v.clone())));
    pairs.push(("专委会", file.committees.join("、")));
    pairs.push(("委员工作室", file.studios.join("、")));
    dl(&mut h, &pairs);
    h.push_str("<h2>出席情况</h2>");
    let mut pairs: Vec<(&str, String)> = file.attendance.iter().map(|(k, v)| (*k, v.clone())).collect();
    pairs.push(("培训学时", file.training_hours.clone()));
    dl(&mut h, &pairs);
    h.push_str("<h2>履职活动</h2><table><thead><tr><th>日期</th><th>活动</th><th>类别</th><th>出席</th><th>角色</th></tr></thead><tbody>");
    for p in &file.participations {
        let _ = write!(
            h,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            p.date,
            esc(&p.title),
            p.kind,
            p.attendance,
            p.role
        );
    }
    h.push_str("</tbody></table><h2>提案与社情民意信息</h2><table><thead><tr><th>类别</th><th>标题</th><th>状态</th></tr></thead><tbody>");
    for (kind, list) in [("提案", &file.proposals), ("社情民意", &file.opinion_reports)] {
        for (t, s) in list {
            let _ = write!(h, "<tr><td>{kind}</td><td>{}</td><td>{s}</td></tr>", esc(t));
        }
    }
    h.push_str("</tbody></table>");
    if let Some(fields) = &file.assessment {
        h.push_str("<h2>履职考核</h2>");
        let pairs: Vec<(&str, String)> = fields.iter().map(|(k, v)| (*k, v.clone())).collect();
        dl(&mut h, &pairs);
        h.push_str("<ul>");
        for line in &file.lines {
            let _ = write!(h, "<li>{}</li>", esc(line));
        }
        h.push_str("</ul>");
    }
    h.push_str("</body></html>");
    h
}
