//! The sign-in sheet (签到表): an .xlsx workbook or a GBK/UTF-8 CSV file, read within the roster
//! import's guards (`import::file`), with a header row naming 姓名 and/or 委员证号 and, optionally,
//! 签到 (出席 / 迟到 / 早退 / 请假 / 缺席; blank is 出席). All or nothing: every bad row is named
//! by line and column, and nothing is written unless every row is good.

use std::collections::HashMap;

use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, JoinType, QueryFilter, QuerySelect, RelationTrait,
};

use super::{NewParticipant, invitations::sign_in_within, organiser_of};
use crate::{
    auth::{Actor, policy},
    db::atomically,
    error::{AppError, AppResult},
    import::file::{self, Cell, FILE_FIELD},
};
use entity::{
    activity,
    enums::{ActivityStatus, Attendance, ParticipationRole},
    member, participation, seat,
};

/// A bad row of a sign-in sheet.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SheetError {
    /// The line as Excel shows it.
    pub line: u32,
    /// The column's header.
    pub column: String,
    /// What is wrong.
    pub message: String,
}

/// What reading a sign-in sheet did.
#[derive(Clone, Debug)]
pub struct SheetReport {
    /// The activity (as stored after the sign-in, when applied).
    pub activity: activity::Model,
    /// Rows that marked a member.
    pub marked: u32,
    /// Every problem, by line.
    pub errors: Vec<SheetError>,
    /// Whether the marks were written (only when no row was bad).
    pub applied: bool,
}

fn text(cell: Option<&Cell>) -> Option<String> {
    match cell? {
        Cell::Text(s) => Some(s.trim().to_owned()).filter(|s| !s.is_empty()),
        Cell::Number(n) if n.fract() == 0.0 => Some(format!("{n:.0}")),
        _ => None,
    }
}

fn mark(label: &str) -> Option<Attendance> {
    Attendance::ALL.iter().copied().find(|a| {
        a.label() == label || sea_orm::ActiveEnum::to_value(a).eq_ignore_ascii_case(label) || label == "已签到"
    })
}

/// Reads a sign-in sheet and, when every row is good, signs its members in (with
/// `others_present`, every other invitee still without a mark is marked present).
pub async fn import_sign_in(
    db: &DatabaseConnection,
    actor: &Actor,
    activity_id: i64,
    bytes: Vec<u8>,
    others_present: bool,
) -> AppResult<SheetReport> {
    policy::read_activities(actor)?;
    let current = activity::Entity::find_by_id(activity_id)
        .one(db)
        .await?
        .ok_or_else(|| AppError::not_found("activity", activity_id))?;
    policy::take_attendance(actor, organiser_of(&current))?;
    if current.status == ActivityStatus::Cancelled {
        return Err(AppError::Conflict(format!("activity {activity_id} is cancelled")));
    }
    let sheets = file::read_off_thread(bytes).await?;
    let rows = sheets.sheets.into_iter().next().unwrap_or_default();
    let mut rows = rows.into_iter().filter(|r| !r.cells.iter().all(Cell::is_blank));
    let header = rows.next().ok_or_else(|| AppError::bad_field(FILE_FIELD, "the sheet has no header row"))?;
    let column =
        |names: &[&str]| header.cells.iter().position(|c| text(Some(c)).is_some_and(|t| names.contains(&t.as_str())));
    let (name_col, number_col) = (column(&["姓名", "name"]), column(&["委员证号", "证号", "number"]));
    let mark_col = column(&["签到", "出席情况", "attendance"]);
    if name_col.is_none() && number_col.is_none() {
        return Err(AppError::bad_field(FILE_FIELD, "the header row names neither 姓名 nor 委员证号"));
    }
    let (by_name, by_number) = who(db, activity_id).await?;
    let mut errors = Vec::new();
    let mut marks: Vec<NewParticipant> = Vec::new();
    let mut seen: HashMap<i64, u32> = HashMap::new();
    for row in rows {
        let bad = |column: &str, message: String| SheetError { line: row.line, column: column.to_owned(), message };
        let number = number_col.and_then(|c| text(row.cells.get(c)));
        let name = name_col.and_then(|c| text(row.cells.get(c)));
        let found = match (&number, &name) {
            (Some(n), _) => {
                by_number.get(n).copied().ok_or_else(|| bad("委员证号", format!("no member has number {n}")))
            }
            (None, Some(n)) => match by_name.get(n).map(Vec::as_slice) {
                Some([one]) => Ok(*one),
                Some([_, _, ..]) => Err(bad("姓名", format!("several members are named {n}: give the 委员证号"))),
                _ => Err(bad("姓名", format!("{n} is not invited to this activity: give the 委员证号"))),
            },
            (None, None) => Err(bad("姓名", "the row names no member".to_owned())),
        };
        let attendance = match mark_col.and_then(|c| text(row.cells.get(c))) {
            None => Ok(Attendance::Present),
            Some(label) => {
                mark(&label).ok_or_else(|| bad("签到", format!("{label} is not 出席, 迟到, 早退, 请假 or 缺席")))
            }
        };
        match (found, attendance) {
            (Ok(member_id), Ok(attendance)) => {
                if let Some(first) = seen.insert(member_id, row.line) {
                    errors.push(bad("姓名", format!("the member is already on line {first}")));
                } else {
                    marks.push(NewParticipant {
                        member_id,
                        attendance,
                        role: ParticipationRole::Participant,
                        note: None,
                        invited: None,
                    });
                }
            }
            (found, attendance) => errors.extend(found.err().into_iter().chain(attendance.err())),
        }
    }
    if !errors.is_empty() {
        return Ok(SheetReport { activity: current, marked: 0, errors, applied: false });
    }
    let marked = u32::try_from(marks.len()).unwrap_or(u32::MAX);
    let activity =
        atomically(db, async |txn| sign_in_within(txn, actor, activity_id, marks, others_present).await).await?;
    Ok(SheetReport { activity, marked, errors, applied: true })
}

/// Members by name (the activity's invitees first, then every member) and by member number.
async fn who(
    db: &impl ConnectionTrait,
    activity_id: i64,
) -> AppResult<(HashMap<String, Vec<i64>>, HashMap<String, i64>)> {
    let invitees: Vec<(i64, String)> = participation::Entity::find()
        .select_only()
        .column(participation::Column::MemberId)
        .column(member::Column::Name)
        .join(JoinType::InnerJoin, participation::Relation::Member.def())
        .filter(participation::Column::ActivityId.eq(activity_id))
        .into_tuple()
        .all(db)
        .await?;
    let mut by_name: HashMap<String, Vec<i64>> = HashMap::new();
    for (id, name) in invitees {
        by_name.entry(name).or_default().push(id);
    }
    let numbers: Vec<(i64, Option<String>)> = seat::Entity::find()
        .select_only()
        .column(seat::Column::MemberId)
        .column(seat::Column::MemberNumber)
        .filter(seat::Column::MemberNumber.is_not_null())
        .into_tuple()
        .all(db)
        .await?;
    let by_number = numbers.into_iter().filter_map(|(id, n)| n.map(|n| (n, id))).collect();
    Ok((by_name, by_number))
}
