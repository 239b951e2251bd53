//! Builds the workbooks in memory; the command line saves them, the server sends them.

use std::collections::HashMap;

use rust_decimal::prelude::ToPrimitive;
use rust_xlsxwriter::{Format, Workbook, Worksheet, XlsxError};
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect};

use super::cells::{self, write_text};
use crate::{
    activity::service::{self as activities, AttendanceSummary},
    auth::{Actor, policy},
    error::{AppError, AppResult},
    import::fields::Column,
    organisation::service as org,
};
use entity::{
    committee_membership,
    enums::{Attendance, SeatStatus},
    member, region, seat, sector, special_committee, studio, studio_assignment, term,
};

/// A workbook ready to save or send.
#[derive(Clone, Debug)]
pub struct Export {
    /// The .xlsx bytes.
    pub bytes: Vec<u8>,
    /// How many data rows it holds.
    pub rows: usize,
    /// A file name to suggest (ASCII, e.g. `roster-term10.xlsx`).
    pub file_name: String,
}

fn xlsx(err: XlsxError) -> AppError {
    AppError::Internal(format!("cannot write the workbook: {err}"))
}

fn col(i: usize) -> u16 {
    u16::try_from(i).unwrap_or(u16::MAX)
}

fn row(i: usize) -> u32 {
    u32::try_from(i + 1).unwrap_or(u32::MAX)
}

/// Writes a bold header row and freezes it.
fn header(sheet: &mut Worksheet, headers: &[&str], widths: &[f64]) -> Result<(), XlsxError> {
    let bold = Format::new().set_bold();
    for (i, h) in headers.iter().enumerate() {
        sheet.write_string_with_format(0, col(i), *h, &bold)?;
        sheet.set_column_width(col(i), widths.get(i).copied().unwrap_or(12.0))?;
    }
    sheet.set_freeze_panes(1, 1)?;
    Ok(())
}

async fn names<E: EntityTrait>(
    db: &impl ConnectionTrait,
    name: impl Fn(E::Model) -> (i64, String),
) -> AppResult<HashMap<i64, String>> {
    Ok(E::find().all(db).await?.into_iter().map(name).collect())
}

/// The term numbered `number`, or the current one.
async fn term_of(db: &impl ConnectionTrait, number: Option<i32>) -> AppResult<term::Model> {
    match number {
        Some(n) => term::Entity::find()
            .filter(term::Column::Number.eq(n))
            .one(db)
            .await?
            .ok_or_else(|| AppError::bad_field("term", format!("there is no term number {n}"))),
        None => org::current_term(db, crate::dates::today())
            .await?
            .ok_or_else(|| AppError::bad_field("term", "there is no term yet")),
    }
}

/// The roster of a term (the current one by default): every serving member, by name in pinyin
/// order, in the columns the roster import reads.
pub async fn roster(db: &impl ConnectionTrait, actor: &Actor, term_number: Option<i32>) -> AppResult<Export> {
    roster_given(db, actor, Ok(term_number)).await
}

/// [`roster`] for a term number read from a request, which may not have been a number: access
/// is checked first, so a caller who may not export is refused whatever the request said.
pub async fn roster_given(
    db: &impl ConnectionTrait,
    actor: &Actor,
    term_number: AppResult<Option<i32>>,
) -> AppResult<Export> {
    policy::export_records(actor)?;
    let term = term_of(db, term_number?).await?;
    let today = crate::dates::today();
    let seats: HashMap<i64, seat::Model> = seat::Entity::find()
        .filter(seat::Column::TermId.eq(term.id))
        .filter(seat::Column::Status.eq(SeatStatus::Serving))
        .all(db)
        .await?
        .into_iter()
        .map(|s| (s.member_id, s))
        .collect();
    let ids: Vec<i64> = seats.keys().copied().collect();
    let mut members = Vec::with_capacity(ids.len());
    let mut committees: HashMap<i64, i64> = HashMap::new();
    let mut studios: HashMap<i64, i64> = HashMap::new();
    for chunk in ids.chunks(500) {
        members.extend(member::Entity::find().filter(member::Column::Id.is_in(chunk.iter().copied())).all(db).await?);
        let open = |end: committee_membership::Column| Condition::any().add(end.is_null()).add(end.gte(today));
        let rows: Vec<(i64, i64, i64)> = committee_membership::Entity::find()
            .select_only()
            .columns([
                committee_membership::Column::Id,
                committee_membership::Column::MemberId,
                committee_membership::Column::CommitteeId,
            ])
            .filter(committee_membership::Column::MemberId.is_in(chunk.iter().copied()))
            .filter(open(committee_membership::Column::EndDate))
            .filter(committee_membership::Column::VoidedAt.is_null())
            .into_tuple()
            .all(db)
            .await?;
        // A member in several committees at once shows the first they joined.
        let mut rows = rows;
        rows.sort_unstable();
        for (_, m, c) in rows {
            committees.entry(m).or_insert(c);
        }
        let open = Condition::any()
            .add(studio_assignment::Column::EndDate.is_null())
            .add(studio_assignment::Column::EndDate.gte(today));
        let mut rows: Vec<(i64, i64, i64)> = studio_assignment::Entity::find()
            .select_only()
            .columns([
                studio_assignment::Column::Id,
                studio_assignment::Column::MemberId,
                studio_assignment::Column::StudioId,
            ])
            .filter(studio_assignment::Column::MemberId.is_in(chunk.iter().copied()))
            .filter(studio_assignment::Column::VoidedAt.is_null())
            .filter(open)
            .into_tuple()
            .all(db)
            .await?;
        rows.sort_unstable();
        for (_, m, s) in rows {
            studios.entry(m).or_insert(s);
        }
    }
    members.sort_by(|a, b| (&a.name_pinyin, &a.name, a.id).cmp(&(&b.name_pinyin, &b.name, b.id)));
    let sectors = names::<sector::Entity>(db, |s| (s.id, s.name)).await?;
    let committee_names = names::<special_committee::Entity>(db, |c| (c.id, c.name)).await?;
    let studio_rows: HashMap<i64, studio::Model> =
        studio::Entity::find().all(db).await?.into_iter().map(|s| (s.id, s)).collect();
    let regions: HashMap<i64, region::Model> =
        region::Entity::find().all(db).await?.into_iter().map(|r| (r.id, r)).collect();
    let town_of = |studio: &studio::Model| -> String {
        let Some(r) = studio.region_id.and_then(|id| regions.get(&id)) else { return String::new() };
        let top = r.parent_id.and_then(|p| regions.get(&p)).unwrap_or(r);
        top.name.clone()
    };

    let mut book = Workbook::new();
    let sheet = book
        .add_worksheet()
        .set_name(cells::sheet_name(&format!("{}委员名册", term.name), "委员名册"))
        .map_err(xlsx)?;
    let headers: Vec<&str> = Column::ALL.iter().map(|c| c.header()).collect();
    let widths = [10.0, 6.0, 8.0, 12.0, 10.0, 14.0, 24.0, 36.0, 12.0, 14.0, 14.0, 24.0, 10.0, 9.0, 24.0];
    header(sheet, &headers, &widths).map_err(xlsx)?;
    let date_format = Format::new().set_num_format("yyyy-mm-dd");
    let opt = |v: &Option<String>| v.clone().unwrap_or_default();
    for (i, m) in members.iter().enumerate() {
        let Some(s) = seats.get(&m.id) else { continue };
        let studio = studios.get(&m.id).and_then(|id| studio_rows.get(id));
        let r = row(i);
        for (c, column) in Column::ALL.iter().enumerate() {
            let c = col(c);
            let text = match column {
                Column::Name => m.name.clone(),
                Column::Gender => m.gender.map(|g| g.label().to_owned()).unwrap_or_default(),
                Column::Ethnicity => opt(&m.ethnicity),
                Column::Birth => {
                    if let Some(d) = m.birth_date {
                        cells::write_date(sheet, r, c, d, &date_format).map_err(xlsx)?;
                    }
                    continue;
                }
                Column::Party => s.party.label().to_owned(),
                Column::Sector => s.sector_id.and_then(|id| sectors.get(&id).cloned()).unwrap_or_default(),
                Column::Committee => {
                    committees.get(&m.id).and_then(|id| committee_names.get(id).cloned()).unwrap_or_default()
                }
                Column::Employer => opt(&s.employer),
                Column::Number => opt(&s.member_number),
                Column::Phone => opt(&m.phone),
                Column::Town => studio.map(&town_of).unwrap_or_default(),
                Column::Studio => studio.map(|s| s.name.clone()).unwrap_or_default(),
                Column::Term => term.name.clone(),
                Column::Standing => if s.standing_committee { "是" } else { "否" }.to_owned(),
                Column::Notes => opt(&m.notes),
            };
            if !text.is_empty() {
                write_text(sheet, r, c, &text).map_err(xlsx)?;
            }
        }
    }
    let bytes = book.save_to_buffer().map_err(xlsx)?;
    Ok(Export { bytes, rows: members.len(), file_name: format!("roster-term{}.xlsx", term.number) })
}

/// The attendance table of a year: for every member with a seat in force during the year, the
/// count per attendance status, the compulsory activities expected and attended, and the rate
/// — the same figures as `Member.attendance(year)`.
pub async fn attendance(db: &impl ConnectionTrait, actor: &Actor, year: i32) -> AppResult<Export> {
    attendance_given(db, actor, Ok(year)).await
}

/// [`attendance`] for a year read from a request, which may be missing or not a number: access
/// is checked first, so a caller who may not export is refused whatever the request said.
pub async fn attendance_given(db: &impl ConnectionTrait, actor: &Actor, year: AppResult<i32>) -> AppResult<Export> {
    policy::export_records(actor)?;
    let year = year?;
    let (first, last) = crate::dates::year_bounds(year)?;
    let seats: Vec<(seat::Model, Option<term::Model>)> = seat::Entity::find()
        .find_also_related(term::Entity)
        .filter(term::Column::StartDate.lte(last))
        .filter(term::Column::EndDate.gte(first))
        .filter(seat::Column::StartDate.lte(last))
        .filter(Condition::any().add(seat::Column::EndDate.is_null()).add(seat::Column::EndDate.gte(first)))
        .all(db)
        .await?;
    // Each member once, with the seat of the latest term in the year.
    let mut latest: HashMap<i64, (seat::Model, i32)> = HashMap::new();
    for (s, t) in seats {
        let number = t.map_or(0, |t| t.number);
        let newer = latest.get(&s.member_id).is_none_or(|(_, n)| number > *n);
        if newer {
            latest.insert(s.member_id, (s, number));
        }
    }
    let ids: Vec<i64> = latest.keys().copied().collect();
    let mut members = Vec::with_capacity(ids.len());
    for chunk in ids.chunks(500) {
        members.extend(member::Entity::find().filter(member::Column::Id.is_in(chunk.iter().copied())).all(db).await?);
    }
    members.sort_by(|a, b| (&a.name_pinyin, &a.name, a.id).cmp(&(&b.name_pinyin, &b.name, b.id)));
    let summaries = activities::attendance(db, &ids, year).await?;
    let sectors = names::<sector::Entity>(db, |s| (s.id, s.name)).await?;

    let mut book = Workbook::new();
    let sheet = book.add_worksheet().set_name(format!("{year}年出勤")).map_err(xlsx)?;
    let mut headers = vec!["姓名", "委员证号", "界别"];
    headers.extend(Attendance::ALL.iter().map(|a| a.label()));
    headers.extend(["应到(必到活动)", "实到(必到活动)", "出席率"]);
    let widths = [10.0, 12.0, 14.0, 8.0, 8.0, 8.0, 8.0, 8.0, 15.0, 15.0, 10.0];
    header(sheet, &headers, &widths).map_err(xlsx)?;
    let percent = Format::new().set_num_format("0.0%");
    for (i, m) in members.iter().enumerate() {
        let r = row(i);
        let summary = summaries.get(&m.id).copied().unwrap_or_default();
        let seat = latest.get(&m.id).map(|(s, _)| s);
        let write = |sheet: &mut Worksheet| -> Result<(), XlsxError> {
            write_text(sheet, r, 0, &m.name)?;
            if let Some(number) = seat.and_then(|s| s.member_number.as_deref()) {
                write_text(sheet, r, 1, number)?;
            }
            if let Some(name) = seat.and_then(|s| s.sector_id).and_then(|id| sectors.get(&id)) {
                write_text(sheet, r, 2, name)?;
            }
            for (c, n) in counts(&summary).into_iter().enumerate() {
                sheet.write_number(r, col(3 + c), n as f64)?;
            }
            if let Some(rate) = summary.rate().and_then(|d| d.to_f64()) {
                sheet.write_number_with_format(r, 10, rate, &percent)?;
            }
            Ok(())
        };
        write(sheet).map_err(xlsx)?;
    }
    let bytes = book.save_to_buffer().map_err(xlsx)?;
    Ok(Export { bytes, rows: members.len(), file_name: format!("attendance-{year}.xlsx") })
}

/// The counts in the column order: per status (as `Attendance::ALL`), expected, attended.
fn counts(s: &AttendanceSummary) -> [u64; 7] {
    let per_status = |a: Attendance| match a {
        Attendance::Present => s.present,
        Attendance::Late => s.late,
        Attendance::LeftEarly => s.left_early,
        Attendance::Excused => s.excused,
        Attendance::Absent => s.absent,
    };
    [
        per_status(Attendance::ALL[0]),
        per_status(Attendance::ALL[1]),
        per_status(Attendance::ALL[2]),
        per_status(Attendance::ALL[3]),
        per_status(Attendance::ALL[4]),
        s.expected,
        s.attended_compulsory,
    ]
}
