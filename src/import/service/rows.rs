//! Reading the file: the header row and the rows under it, what the database knows of the
//! names a row may use (sectors, committees, towns, studios), and each row checked cell by cell
//! into an entry or the errors that refuse it, by line and column.

use std::collections::{BTreeMap, HashMap};

use chrono::{Datelike, NaiveDate};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

use super::{MAX_ROWS, RowError, TermRef};
use crate::{
    error::{AppError, AppResult},
    import::{
        fields::{self, Birth, Column},
        file::{Cell, FILE_FIELD, Row, Sheets},
    },
    validate::{MAX_NAME_CHARS, MAX_TEXT_CHARS},
};
use entity::{
    enums::{Gender, Party, StudioKind},
    region, sector, special_committee, studio, term,
};

// ----- the table: the header row and the rows under it -----

pub(super) struct Table {
    /// Cell index, column, and the header as written.
    columns: Vec<(usize, Column, String)>,
    pub(super) rows: Vec<Row>,
}

impl Table {
    /// The first sheet with a header row naming 姓名 (within its first ten rows).
    pub(super) fn of(sheets: &Sheets) -> AppResult<Self> {
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
    pub(super) fn header(&self, column: Column) -> String {
        self.columns
            .iter()
            .find(|(_, c, _)| *c == column)
            .map_or_else(|| column.header().to_owned(), |(_, _, h)| h.clone())
    }
}

// ----- what the database knows -----

pub(super) struct Lookups {
    pub(super) term: term::Model,
    sectors: HashMap<String, i64>,
    committees: HashMap<String, i64>,
    studios: HashMap<String, studio::Model>,
    /// Towns and streets by name.
    towns: HashMap<String, i64>,
    /// Every region's parent.
    parents: HashMap<i64, Option<i64>>,
}

impl Lookups {
    pub(super) async fn load(db: &impl ConnectionTrait, term: TermRef) -> AppResult<Self> {
        let term = match term {
            TermRef::Id(id) => term::Entity::find_by_id(id)
                .one(db)
                .await?
                .ok_or_else(|| AppError::bad_field("termId", format!("term {id} does not exist")))?,
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
pub(super) struct Entry {
    pub(super) line: u32,
    pub(super) name: String,
    pub(super) gender: Option<Gender>,
    pub(super) ethnicity: Option<String>,
    pub(super) birth: Option<Birth>,
    pub(super) party: Option<Party>,
    pub(super) sector: Option<i64>,
    pub(super) committee: Option<i64>,
    pub(super) employer: Option<String>,
    pub(super) number: Option<String>,
    pub(super) phone: Option<String>,
    pub(super) studio: Option<i64>,
    pub(super) standing: Option<bool>,
    pub(super) notes: Option<String>,
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
pub(super) fn parse(row: &Row, table: &Table, look: &Lookups, today: NaiveDate) -> (Entry, Vec<RowError>) {
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
pub(super) fn duplicates(rows: &mut [(Entry, Vec<RowError>)], table: &Table) {
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
