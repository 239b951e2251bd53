//! Importing a term's roster (委员名册): every row is checked first; then either nothing is
//! written (some row is bad), or every row is (one transaction), or — when asked — only the
//! good rows. Existing members are found by member number within the term, then by name and
//! birth date, so importing the same file twice changes nothing.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{Datelike, Days, NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection,
    DatabaseTransaction, EntityTrait, QueryFilter, sea_query::Query,
};

use super::{
    fields::{self, Birth, Column},
    file::{self, Cell, FILE_FIELD, Row, Sheets},
};
use crate::{
    audit::service as audit,
    auth::{Actor, policy},
    error::{AppError, AppResult},
    member::names,
    organisation::service::{self as org, MembershipRef, Placement},
    validate::{MAX_NAME_CHARS, MAX_TEXT_CHARS},
};
use entity::{
    committee_membership,
    enums::{CommitteeRole, Gender, Party, SeatStatus, StudioKind, StudioRole},
    member, region, seat, sector, special_committee, studio, studio_assignment, term,
};

/// The operation the audit log records for members and seats written by an import.
const OPERATION: &str = "importMembers";
/// Most rows one file may hold.
pub const MAX_ROWS: usize = 5000;

/// Which term the roster is for.
#[derive(Clone, Copy, Debug)]
pub enum TermRef {
    /// By row id (the API's `termId`).
    Id(i64),
    /// By ordinal (10 for 第十届; the command line's `--term`).
    Number(i32),
}

/// How to import.
#[derive(Clone, Copy, Debug, Default)]
pub struct ImportOptions {
    /// Write the good rows even when some rows are bad (the bad ones are reported).
    pub only_valid_rows: bool,
    /// Check and count, but write nothing.
    pub dry_run: bool,
}

/// A problem with one cell (or row) of the file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RowError {
    /// The line as Excel shows it (the header is usually line 1).
    pub line: u32,
    /// The column's header as the file writes it.
    pub column: String,
    /// What is wrong.
    pub message: String,
}

/// What an import did (or, for a dry run or a refused file, would do).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ImportReport {
    /// Rows that put a member on the term's roster: a new member, or a returning member's new seat.
    pub created: u32,
    /// Rows that changed a member already on the roster.
    pub updated: u32,
    /// Rows that matched a member exactly as stored.
    pub unchanged: u32,
    /// Rows with at least one error (never written).
    pub rejected: u32,
    /// Every error, by line.
    pub errors: Vec<RowError>,
    /// Whether the rows were written: false for a dry run, and when rows were rejected without
    /// `only_valid_rows`.
    pub applied: bool,
}

/// Imports the roster in `file` (.xlsx or CSV) into `term`, as one transaction.
pub async fn import_members(
    db: &DatabaseConnection,
    actor: &Actor,
    file: &[u8],
    term: TermRef,
    options: ImportOptions,
) -> AppResult<ImportReport> {
    policy::import_roster(actor)?;
    let table = Table::of(&file::read_off_thread(file.to_vec()).await?)?;
    let txn = crate::db::begin(db).await?;
    match run(&txn, actor, &table, term, options).await {
        Ok(report) if report.applied => crate::db::finish(txn, Ok(report)).await,
        outcome => {
            txn.rollback().await?;
            outcome
        }
    }
}

// ----- the table: the header row and the rows under it -----

struct Table {
    /// Cell index, column, and the header as written.
    columns: Vec<(usize, Column, String)>,
    rows: Vec<Row>,
}

impl Table {
    /// The first sheet with a header row naming 姓名 (within its first ten rows).
    fn of(sheets: &Sheets) -> AppResult<Self> {
        for sheet in &sheets.sheets {
            for (at, row) in sheet.iter().enumerate().take(10) {
                let columns: Vec<(usize, Column, String)> = row
                    .cells
                    .iter()
                    .enumerate()
                    .filter_map(|(i, cell)| match cell {
                        Cell::Text(t) => Column::of_header(t).map(|c| (i, c, t.trim().to_owned())),
                        _ => None,
                    })
                    .collect();
                if !columns.iter().any(|(_, c, _)| *c == Column::Name) {
                    continue;
                }
                for (n, (_, column, header)) in columns.iter().enumerate() {
                    if let Some((_, _, other)) = columns[n + 1..].iter().find(|(_, c, _)| c == column) {
                        return Err(AppError::bad_field(
                            FILE_FIELD,
                            format!("the columns {header} and {other} both give {}: keep one", column.header()),
                        ));
                    }
                }
                let rows: Vec<Row> =
                    sheet[at + 1..].iter().filter(|r| !r.cells.iter().all(Cell::is_blank)).cloned().collect();
                if rows.len() > MAX_ROWS {
                    return Err(AppError::bad_field(
                        FILE_FIELD,
                        format!("the file has {} rows; import at most {MAX_ROWS} at a time", rows.len()),
                    ));
                }
                return Ok(Self { columns, rows });
            }
        }
        Err(AppError::bad_field(
            FILE_FIELD,
            "no header row with a 姓名 column was found: the first row must name the columns (姓名, 性别, 出生年月, 党派, 界别 …)",
        ))
    }

    /// The header of `column` as the file writes it, or its canonical name.
    fn header(&self, column: Column) -> String {
        self.columns
            .iter()
            .find(|(_, c, _)| *c == column)
            .map_or_else(|| column.header().to_owned(), |(_, _, h)| h.clone())
    }
}

// ----- what the database knows -----

struct Lookups {
    term: term::Model,
    sectors: HashMap<String, i64>,
    committees: HashMap<String, i64>,
    studios: HashMap<String, studio::Model>,
    /// Towns and streets by name.
    towns: HashMap<String, i64>,
    /// Every region's parent.
    parents: HashMap<i64, Option<i64>>,
}

impl Lookups {
    async fn load(db: &impl ConnectionTrait, term: TermRef) -> AppResult<Self> {
        let term = match term {
            TermRef::Id(id) => term::Entity::find_by_id(id)
                .one(db)
                .await?
                .ok_or_else(|| AppError::bad_field("input.termId", format!("term {id} does not exist")))?,
            TermRef::Number(n) => term::Entity::find()
                .filter(term::Column::Number.eq(n))
                .one(db)
                .await?
                .ok_or_else(|| AppError::bad_field("term", format!("there is no term number {n}")))?,
        };
        let sectors = sector::Entity::find().all(db).await?.into_iter().map(|s| (s.name, s.id)).collect();
        let committees = special_committee::Entity::find().all(db).await?.into_iter().map(|c| (c.name, c.id)).collect();
        let studios = studio::Entity::find().all(db).await?.into_iter().map(|s| (s.name.clone(), s)).collect();
        let regions = region::Entity::find().all(db).await?;
        let towns = regions.iter().filter(|r| r.parent_id.is_none()).map(|r| (r.name.clone(), r.id)).collect();
        let parents = regions.iter().map(|r| (r.id, r.parent_id)).collect();
        Ok(Self { term, sectors, committees, studios, towns, parents })
    }

    /// The town or street a studio sits in (its own region, or the one above its village).
    fn town_of(&self, studio: &studio::Model) -> Option<i64> {
        let region = studio.region_id?;
        Some(self.parents.get(&region).copied().flatten().unwrap_or(region))
    }

    fn committee(&self, name: &str) -> Option<i64> {
        self.committees.get(name).or_else(|| self.committees.get(&format!("{name}委员会"))).copied()
    }
}

// ----- one row -----

/// A row as the file gives it. `None` means the file leaves the field alone.
#[derive(Clone, Debug, Default)]
struct Entry {
    line: u32,
    name: String,
    gender: Option<Gender>,
    ethnicity: Option<String>,
    birth: Option<Birth>,
    party: Option<Party>,
    sector: Option<i64>,
    committee: Option<i64>,
    employer: Option<String>,
    number: Option<String>,
    phone: Option<String>,
    studio: Option<i64>,
    standing: Option<bool>,
    notes: Option<String>,
}

fn limited(text: String, max: usize) -> Result<String, String> {
    if text.chars().count() > max { Err(format!("is longer than {max} characters")) } else { Ok(text) }
}

/// What reading a row's cells has found so far.
struct Reading<'a> {
    entry: Entry,
    town: Option<(i64, String, String)>,
    studio: Option<&'a studio::Model>,
}

impl<'a> Reading<'a> {
    fn cell(
        &mut self,
        look: &'a Lookups,
        today: NaiveDate,
        column: Column,
        header: &str,
        cell: &Cell,
    ) -> Result<(), String> {
        let entry = &mut self.entry;
        match column {
            Column::Birth => entry.birth = fields::birth(cell, today)?,
            Column::Standing => entry.standing = fields::yes_no(cell)?,
            _ => {
                let Some(text) = fields::text(cell)? else { return Ok(()) };
                match column {
                    Column::Name => entry.name = limited(fields::name(&text), MAX_NAME_CHARS)?,
                    Column::Gender => entry.gender = Some(fields::gender(&text)?),
                    Column::Ethnicity => entry.ethnicity = Some(limited(text, MAX_NAME_CHARS)?),
                    Column::Party => entry.party = Some(fields::party(&text)?),
                    Column::Sector => {
                        let id = look.sectors.get(&text).ok_or_else(|| format!("{text} is not a sector"))?;
                        entry.sector = Some(*id);
                    }
                    Column::Committee => {
                        let id = look.committee(&text).ok_or_else(|| format!("{text} is not a special committee"))?;
                        entry.committee = Some(id);
                    }
                    Column::Employer => entry.employer = Some(limited(text, MAX_TEXT_CHARS)?),
                    Column::Number => entry.number = Some(limited(text, 32)?),
                    Column::Phone => entry.phone = Some(limited(fields::phone(&text)?, 32)?),
                    Column::Town => {
                        let id = look.towns.get(&text).ok_or_else(|| format!("{text} is not a town or street"))?;
                        self.town = Some((*id, text, header.to_owned()));
                    }
                    Column::Studio => {
                        let s = look.studios.get(&text).ok_or_else(|| format!("{text} is not a studio"))?;
                        entry.studio = Some(s.id);
                        self.studio = Some(s);
                    }
                    Column::Term => {
                        let named = fields::term_number(&text) == Some(look.term.number) || text == look.term.name;
                        if !named {
                            return Err(format!("{text} is not the term being imported ({})", look.term.name));
                        }
                    }
                    Column::Notes => entry.notes = Some(limited(text, MAX_TEXT_CHARS)?),
                    Column::Birth | Column::Standing => {}
                }
            }
        }
        Ok(())
    }
}

/// Reads one row; every problem becomes an error naming its column.
fn parse(row: &Row, table: &Table, look: &Lookups, today: NaiveDate) -> (Entry, Vec<RowError>) {
    let mut reading = Reading { entry: Entry { line: row.line, ..Entry::default() }, town: None, studio: None };
    let mut errors = Vec::new();
    for (index, column, header) in &table.columns {
        let cell = row.cells.get(*index).unwrap_or(&Cell::Empty);
        if let Err(message) = reading.cell(look, today, *column, header, cell) {
            errors.push(RowError { line: row.line, column: header.clone(), message });
        }
    }
    let Reading { mut entry, town, studio: studio_name } = reading;
    let failed = |c: &str| errors.iter().any(|e| e.column == c);
    let name_header = table.header(Column::Name);
    if entry.name.is_empty() && !failed(&name_header) {
        errors.push(RowError { line: row.line, column: name_header, message: "the name is missing".to_owned() });
    }
    // 所属镇街 names the town; with no 工作室 it means the town's own studio.
    if let Some((town, town_name, header)) = town {
        match studio_name {
            Some(s) if look.town_of(s) != Some(town) => errors.push(RowError {
                line: row.line,
                column: header,
                message: format!("the studio {} is not in {town_name}", s.name),
            }),
            Some(_) => {}
            None => {
                let own: Vec<&studio::Model> =
                    look.studios.values().filter(|s| s.kind == StudioKind::Town && s.region_id == Some(town)).collect();
                match own.as_slice() {
                    [only] => entry.studio = Some(only.id),
                    _ => errors.push(RowError {
                        line: row.line,
                        column: header,
                        message: format!("{town_name} has no single town studio: name the studio in 工作室"),
                    }),
                }
            }
        }
    }
    (entry, errors)
}

/// A person without a member number: the name, and the year and month of birth.
type PersonKey = (String, Option<(i32, u32)>);

/// Rows of the file that name the same member number, or the same person without one, are
/// all refused: the file does not say which one is right.
fn duplicates(rows: &mut [(Entry, Vec<RowError>)], table: &Table) {
    let mut by_number: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    let mut by_person: BTreeMap<PersonKey, Vec<usize>> = BTreeMap::new();
    for (i, (entry, _)) in rows.iter().enumerate() {
        match &entry.number {
            Some(n) => by_number.entry(n.as_str()).or_default().push(i),
            None if !entry.name.is_empty() => {
                let birth = entry.birth.map(|b| (b.date.year(), b.date.month()));
                by_person.entry((entry.name.clone(), birth)).or_default().push(i);
            }
            None => {}
        }
    }
    let mut found: Vec<(usize, Column, String)> = Vec::new();
    let lines = |group: &[usize], me: usize| -> String {
        group.iter().filter(|&&j| j != me).map(|&j| rows[j].0.line.to_string()).collect::<Vec<_>>().join(", ")
    };
    for (number, group) in by_number.iter().filter(|(_, g)| g.len() > 1) {
        for &i in group {
            found.push((i, Column::Number, format!("委员证号 {number} is also on line {}", lines(group, i))));
        }
    }
    for ((name, _), group) in by_person.iter().filter(|(_, g)| g.len() > 1) {
        for &i in group {
            let message = format!("{name} is also on line {}: give each a 委员证号 or remove one", lines(group, i));
            found.push((i, Column::Name, message));
        }
    }
    for (i, column, message) in found {
        let line = rows[i].0.line;
        rows[i].1.push(RowError { line, column: table.header(column), message });
    }
}

// ----- matching and writing -----

/// The stored records a row is compared with.
struct Known {
    members: HashMap<i64, member::Model>,
    by_name: HashMap<String, Vec<i64>>,
    /// Seats in the term, by member.
    seats: HashMap<i64, seat::Model>,
    /// Seats in the term, by member number.
    numbers: HashMap<String, i64>,
    /// Open committee memberships and studio assignments, by member.
    committees: HashMap<i64, Vec<committee_membership::Model>>,
    studios: HashMap<i64, Vec<studio_assignment::Model>>,
}

impl Known {
    async fn load(db: &impl ConnectionTrait, term_id: i64, names: Vec<String>, today: NaiveDate) -> AppResult<Self> {
        let seats: Vec<seat::Model> = seat::Entity::find().filter(seat::Column::TermId.eq(term_id)).all(db).await?;
        let in_term = Query::select()
            .column(seat::Column::MemberId)
            .from(seat::Entity)
            .and_where(seat::Column::TermId.eq(term_id))
            .to_owned();
        let mut members: HashMap<i64, member::Model> = member::Entity::find()
            .filter(member::Column::Id.in_subquery(in_term))
            .all(db)
            .await?
            .into_iter()
            .map(|m| (m.id, m))
            .collect();
        for chunk in names.chunks(500) {
            let named =
                member::Entity::find().filter(member::Column::Name.is_in(chunk.iter().cloned())).all(db).await?;
            members.extend(named.into_iter().map(|m| (m.id, m)));
        }
        let mut by_name: HashMap<String, Vec<i64>> = HashMap::new();
        for m in members.values() {
            by_name.entry(m.name.clone()).or_default().push(m.id);
        }
        let ids: Vec<i64> = members.keys().copied().collect();
        let mut committees: HashMap<i64, Vec<committee_membership::Model>> = HashMap::new();
        let mut studios: HashMap<i64, Vec<studio_assignment::Model>> = HashMap::new();
        for chunk in ids.chunks(500) {
            let open = |end: committee_membership::Column| Condition::any().add(end.is_null()).add(end.gte(today));
            for row in committee_membership::Entity::find()
                .filter(committee_membership::Column::MemberId.is_in(chunk.iter().copied()))
                .filter(open(committee_membership::Column::EndDate))
                .all(db)
                .await?
            {
                committees.entry(row.member_id).or_default().push(row);
            }
            let open = Condition::any()
                .add(studio_assignment::Column::EndDate.is_null())
                .add(studio_assignment::Column::EndDate.gte(today));
            for row in studio_assignment::Entity::find()
                .filter(studio_assignment::Column::MemberId.is_in(chunk.iter().copied()))
                .filter(open)
                .all(db)
                .await?
            {
                studios.entry(row.member_id).or_default().push(row);
            }
        }
        let numbers = seats.iter().filter_map(|s| s.member_number.clone().map(|n| (n, s.member_id))).collect();
        let seats = seats.into_iter().map(|s| (s.member_id, s)).collect();
        Ok(Self { members, by_name, seats, numbers, committees, studios })
    }

    /// The stored member a row means: by member number in the term, then by name and birth
    /// date (by name alone among the term's members when the row gives no birth date).
    fn find(&self, entry: &Entry, table: &Table, term: &term::Model) -> Result<Option<i64>, RowError> {
        let error =
            |column: Column, message: String| RowError { line: entry.line, column: table.header(column), message };
        if let Some(number) = &entry.number
            && let Some(&id) = self.numbers.get(number)
        {
            let stored = self.members.get(&id).map(|m| m.name.as_str()).unwrap_or_default();
            if stored != entry.name {
                return Err(error(
                    Column::Number,
                    format!("委员证号 {number} belongs to {stored} in {}, not to {}", term.name, entry.name),
                ));
            }
            return Ok(Some(id));
        }
        let seated = |id: i64| self.seats.contains_key(&id);
        let candidates: Vec<i64> = self
            .by_name
            .get(&entry.name)
            .into_iter()
            .flatten()
            .copied()
            .filter(|id| {
                let birth = self.members.get(id).and_then(|m| m.birth_date);
                match (entry.birth, birth) {
                    (Some(given), Some(stored)) => given.agrees_with(stored),
                    _ => seated(*id),
                }
            })
            .collect();
        match candidates.as_slice() {
            [] => Ok(None),
            [id] => Ok(Some(*id)),
            _ => Err(error(
                Column::Name,
                format!("several members are called {}: give the 委员证号 or 出生年月 to tell which", entry.name),
            )),
        }
    }
}

async fn run(
    txn: &DatabaseTransaction,
    actor: &Actor,
    table: &Table,
    term: TermRef,
    options: ImportOptions,
) -> AppResult<ImportReport> {
    let look = Lookups::load(txn, term).await?;
    let today = crate::dates::today();
    let mut rows: Vec<(Entry, Vec<RowError>)> = table.rows.iter().map(|r| parse(r, table, &look, today)).collect();
    duplicates(&mut rows, table);
    let names: Vec<String> = rows
        .iter()
        .map(|(e, _)| e.name.clone())
        .filter(|n| !n.is_empty())
        .collect::<HashSet<_>>()
        .into_iter()
        .collect();
    let known = Known::load(txn, look.term.id, names, today).await?;

    let mut matched: HashMap<i64, u32> = HashMap::new();
    let mut plans: Vec<(Entry, Option<i64>)> = Vec::new();
    let mut report = ImportReport::default();
    for (entry, mut errors) in rows {
        if errors.is_empty() {
            match known.find(&entry, table, &look.term) {
                Ok(Some(id)) => {
                    if let Some(line) = matched.insert(id, entry.line) {
                        errors.push(RowError {
                            line: entry.line,
                            column: table.header(Column::Name),
                            message: format!("this is the same member as line {line}"),
                        });
                    }
                    if !known.seats.contains_key(&id) && entry.party.is_none() {
                        errors.push(party_needed(&entry, table));
                    }
                    if errors.is_empty() {
                        plans.push((entry, Some(id)));
                    }
                }
                Ok(None) if entry.party.is_none() => errors.push(party_needed(&entry, table)),
                Ok(None) => plans.push((entry, None)),
                Err(error) => errors.push(error),
            }
        }
        if !errors.is_empty() {
            report.rejected += 1;
            report.errors.extend(errors);
        }
    }
    report.errors.sort_by_key(|e| e.line);
    if report.rejected > 0 && !options.only_valid_rows {
        return Ok(report);
    }
    let write = !options.dry_run;
    let writer = Writer { txn, actor, term: &look.term, known: &known, today };
    for (entry, id) in &plans {
        match id {
            None => {
                if write {
                    writer.create(entry).await?;
                }
                report.created += 1;
            }
            Some(id) => match writer.update(entry, *id, write).await? {
                Outcome::SeatCreated => report.created += 1,
                Outcome::Changed => report.updated += 1,
                Outcome::Unchanged => report.unchanged += 1,
            },
        }
    }
    report.applied = write;
    Ok(report)
}

fn party_needed(entry: &Entry, table: &Table) -> RowError {
    RowError {
        line: entry.line,
        column: table.header(Column::Party),
        message: "the 党派 is needed for a member new to the term".to_owned(),
    }
}

enum Outcome {
    SeatCreated,
    Changed,
    Unchanged,
}

struct Writer<'a> {
    txn: &'a DatabaseTransaction,
    actor: &'a Actor,
    term: &'a term::Model,
    known: &'a Known,
    today: NaiveDate,
}

impl Writer<'_> {
    async fn create(&self, entry: &Entry) -> AppResult<()> {
        let now = Utc::now();
        let member = member::ActiveModel {
            name: Set(entry.name.clone()),
            name_pinyin: Set(names::pinyin_key(&entry.name)),
            name_initials: Set(names::initials_key(&entry.name)),
            gender: Set(entry.gender),
            ethnicity: Set(entry.ethnicity.clone()),
            birth_date: Set(entry.birth.map(|b| b.date)),
            phone: Set(entry.phone.clone()),
            notes: Set(entry.notes.clone()),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(self.txn)
        .await?;
        audit::created(self.txn, self.actor, OPERATION, "member", member.id, &member).await?;
        self.new_seat(entry, member.id).await?;
        self.place(entry, member.id, self.term.start_date).await
    }

    async fn new_seat(&self, entry: &Entry, member_id: i64) -> AppResult<()> {
        let seat = seat::ActiveModel {
            member_id: Set(member_id),
            term_id: Set(self.term.id),
            member_number: Set(entry.number.clone()),
            sector_id: Set(entry.sector),
            party: Set(entry.party.unwrap_or(Party::Masses)),
            standing_committee: Set(entry.standing.unwrap_or(false)),
            leadership_post: Set(None),
            employer: Set(entry.employer.clone()),
            status: Set(SeatStatus::Serving),
            start_date: Set(self.term.start_date),
            end_date: Set(None),
            status_reason: Set(None),
            ..Default::default()
        }
        .insert(self.txn)
        .await?;
        audit::created(self.txn, self.actor, OPERATION, "seat", seat.id, &seat).await
    }

    /// Puts a member in the row's committee and studio from `start`, closing the open ones
    /// elsewhere (history is kept: the old rows end the day before).
    async fn place(&self, entry: &Entry, member_id: i64, start: NaiveDate) -> AppResult<()> {
        let end = |from: NaiveDate| start.checked_sub_days(Days::new(1)).unwrap_or(start).max(from);
        if let Some(committee) = entry.committee {
            for open in self.known.committees.get(&member_id).into_iter().flatten() {
                if open.committee_id != committee && open.end_date.is_none() {
                    let which = MembershipRef::Committee(open.id);
                    org::end_membership(self.txn, self.actor, which, end(open.start_date)).await?;
                }
            }
            let p = Placement { member_id, target_id: committee, role: CommitteeRole::Member, start_date: start };
            org::assign_committee(self.txn, self.actor, p).await?;
        }
        if let Some(studio) = entry.studio {
            for open in self.known.studios.get(&member_id).into_iter().flatten() {
                if open.studio_id != studio && open.end_date.is_none() {
                    let which = MembershipRef::Studio(open.id);
                    org::end_membership(self.txn, self.actor, which, end(open.start_date)).await?;
                }
            }
            let p = Placement { member_id, target_id: studio, role: StudioRole::Member, start_date: start };
            org::assign_studio(self.txn, self.actor, p).await?;
        }
        Ok(())
    }

    /// Brings a stored member in line with the row; writes only when `write`.
    async fn update(&self, entry: &Entry, member_id: i64, write: bool) -> AppResult<Outcome> {
        let stored = self.known.members.get(&member_id).ok_or_else(|| AppError::not_found("member", member_id))?;
        let mut member: member::ActiveModel = stored.clone().into();
        let mut member_changed = false;
        macro_rules! differs {
            ($row:ident, $changed:ident, $field:ident, $new:expr, $old:expr) => {
                if let Some(new) = $new
                    && $old != Some(new)
                {
                    $row.$field = Set(Some(new.to_owned()));
                    $changed = true;
                }
            };
        }
        differs!(member, member_changed, gender, entry.gender, stored.gender);
        differs!(member, member_changed, ethnicity, entry.ethnicity.as_ref(), stored.ethnicity.as_ref());
        differs!(member, member_changed, phone, entry.phone.as_ref(), stored.phone.as_ref());
        differs!(member, member_changed, notes, entry.notes.as_ref(), stored.notes.as_ref());
        if let Some(birth) = entry.birth
            && !stored.birth_date.is_some_and(|d| birth.agrees_with(d))
        {
            member.birth_date = Set(Some(birth.date));
            member_changed = true;
        }

        let committee_moves = entry
            .committee
            .is_some_and(|c| !self.known.committees.get(&member_id).into_iter().flatten().any(|m| m.committee_id == c));
        let studio_moves = entry
            .studio
            .is_some_and(|s| !self.known.studios.get(&member_id).into_iter().flatten().any(|m| m.studio_id == s));

        let Some(seat) = self.known.seats.get(&member_id) else {
            if write {
                self.write_member(stored, member, member_changed).await?;
                self.new_seat(entry, member_id).await?;
                let placing = Entry {
                    committee: entry.committee.filter(|_| committee_moves),
                    studio: entry.studio.filter(|_| studio_moves),
                    ..entry.clone()
                };
                self.place(&placing, member_id, self.today.max(self.term.start_date)).await?;
            }
            return Ok(Outcome::SeatCreated);
        };
        let mut row: seat::ActiveModel = seat.clone().into();
        let mut seat_changed = false;
        differs!(row, seat_changed, member_number, entry.number.as_ref(), seat.member_number.as_ref());
        differs!(row, seat_changed, sector_id, entry.sector, seat.sector_id);
        differs!(row, seat_changed, employer, entry.employer.as_ref(), seat.employer.as_ref());
        if let Some(party) = entry.party
            && party != seat.party
        {
            row.party = Set(party);
            seat_changed = true;
        }
        if let Some(standing) = entry.standing
            && standing != seat.standing_committee
        {
            row.standing_committee = Set(standing);
            seat_changed = true;
        }
        if !(member_changed || seat_changed || committee_moves || studio_moves) {
            return Ok(Outcome::Unchanged);
        }
        if write {
            self.write_member(stored, member, member_changed).await?;
            if seat_changed {
                let after = row.update(self.txn).await?;
                audit::changed(self.txn, self.actor, OPERATION, "seat", seat.id, seat, &after).await?;
            }
            let placing = Entry {
                committee: entry.committee.filter(|_| committee_moves),
                studio: entry.studio.filter(|_| studio_moves),
                ..entry.clone()
            };
            self.place(&placing, member_id, self.today.max(self.term.start_date)).await?;
        }
        Ok(Outcome::Changed)
    }

    async fn write_member(&self, before: &member::Model, mut row: member::ActiveModel, changed: bool) -> AppResult<()> {
        if changed {
            row.updated_at = Set(Utc::now());
            let after = row.update(self.txn).await?;
            audit::changed(self.txn, self.actor, OPERATION, "member", before.id, before, &after).await?;
        }
        Ok(())
    }
}
