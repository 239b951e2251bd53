//! Exports a run's results as an Excel workbook with Chinese headers: 总表 (everyone by rank),
//! one sheet per cohort view (按界别, 按专委会, 按工作室, 按镇街, 常委/非常委, 新任/连任), and 明细
//! (every score line).

use std::{collections::HashMap, path::Path};

use rust_xlsxwriter::{Format, Workbook, Worksheet, XlsxError};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};

use super::{rules, service};
use crate::{
    auth::Actor,
    error::{AppError, AppResult},
    export::cells::{self, write_text},
};
use entity::{member, member_assessment, region, rule_set, sector, special_committee, studio};

fn xlsx(err: XlsxError) -> AppError {
    AppError::Internal(format!("cannot write the workbook: {err}"))
}

fn number(points_cents: i64) -> f64 {
    rules::points(points_cents).to_string().parse().unwrap_or(0.0)
}

async fn names<E>(
    db: &impl ConnectionTrait,
    name: impl Fn(&E::Model) -> (i64, String),
) -> AppResult<HashMap<i64, String>>
where
    E: EntityTrait,
{
    Ok(E::find().all(db).await?.iter().map(name).collect())
}

/// Writes the results of run `run_id` to `path`; returns how many members it holds.
pub async fn assessments(db: &impl ConnectionTrait, actor: &Actor, run_id: i64, path: &Path) -> AppResult<usize> {
    let book = workbook(db, actor, run_id).await?;
    std::fs::write(path, &book.bytes)
        .map_err(|e| AppError::Internal(format!("cannot write the workbook to {}: {e}", path.display())))?;
    Ok(book.rows)
}

/// The appraisal workbook of a run, in memory (the command line saves it, the server sends it).
#[derive(Clone, Debug)]
pub struct AppraisalWorkbook {
    /// The .xlsx bytes.
    pub bytes: Vec<u8>,
    /// How many members it holds.
    pub rows: usize,
    /// The year of the run.
    pub year: i32,
}

/// The appraisal workbook of run `run_id`: every member's result, the cohort views and the
/// score lines. Needs `policy::read_assessments` (the results inside), not only the run.
pub async fn workbook(db: &impl ConnectionTrait, actor: &Actor, run_id: i64) -> AppResult<AppraisalWorkbook> {
    crate::auth::policy::read_assessments(actor)?;
    let run = service::find_run(db, actor, run_id).await?;
    let set = rule_set::Entity::find_by_id(run.rule_set_id)
        .one(db)
        .await?
        .ok_or_else(|| AppError::not_found("rule set", run.rule_set_id))?;
    let def = rules::Definition::from_json(&set.definition)?;
    let rows = member_assessment::Entity::find()
        .filter(member_assessment::Column::RunId.eq(run_id))
        .order_by_asc(member_assessment::Column::Rank)
        .order_by_asc(member_assessment::Column::NamePinyin)
        .all(db)
        .await?;
    let members = names::<member::Entity>(db, |m| (m.id, m.name.clone())).await?;
    let sectors = names::<sector::Entity>(db, |m| (m.id, m.name.clone())).await?;
    let committees = names::<special_committee::Entity>(db, |m| (m.id, m.name.clone())).await?;
    let studios = names::<studio::Entity>(db, |m| (m.id, m.name.clone())).await?;
    let towns = names::<region::Entity>(db, |m| (m.id, m.name.clone())).await?;
    let name =
        |map: &HashMap<i64, String>, id: Option<i64>| id.and_then(|id| map.get(&id).cloned()).unwrap_or_default();

    let mut book = Workbook::new();
    let bold = Format::new().set_bold();
    let mut headers: Vec<String> = [
        "排名",
        "姓名",
        "界别",
        "专委会",
        "委员工作室",
        "镇街",
        "常委",
        "新任",
        "基础及计分",
        "调整",
        "总分",
        "等次",
        "处理建议",
    ]
    .map(str::to_owned)
    .to_vec();
    headers.extend(def.categories.iter().map(|c| c.label.clone()));
    let write_row =
        |sheet: &mut Worksheet, r: u32, rank: i32, row: &member_assessment::Model| -> Result<(), XlsxError> {
            let flags: Vec<&str> = [
                (row.flag_commend, "通报表彰"),
                (row.flag_reminder, "提醒谈话"),
                (row.flag_resign, "劝辞"),
                (row.flag_minimum, "未达基本要求"),
            ]
            .iter()
            .filter(|f| f.0)
            .map(|f| f.1)
            .collect();
            sheet.write_number(r, 0, f64::from(rank))?;
            write_text(sheet, r, 1, &members.get(&row.member_id).cloned().unwrap_or_default())?;
            write_text(sheet, r, 2, &name(&sectors, row.sector_id))?;
            write_text(sheet, r, 3, &name(&committees, row.committee_id))?;
            write_text(sheet, r, 4, &name(&studios, row.studio_id))?;
            write_text(sheet, r, 5, &name(&towns, row.town_id))?;
            sheet.write_string(r, 6, if row.standing { "是" } else { "否" })?;
            sheet.write_string(r, 7, if row.new_member { "新任" } else { "连任" })?;
            sheet.write_number(r, 8, number(row.computed_cents))?;
            sheet.write_number(r, 9, number(row.adjustment_cents))?;
            sheet.write_number(r, 10, number(row.total_cents))?;
            sheet.write_string(r, 11, row.grade.label())?;
            sheet.write_string(r, 12, flags.join("、"))?;
            let subtotals = service::subtotals(row).unwrap_or_default();
            for (i, category) in def.categories.iter().enumerate() {
                let cents = subtotals.iter().find(|s| s.category == category.code).map_or(0, |s| s.cents);
                sheet.write_number(r, 13 + u16::try_from(i).unwrap_or(0), number(cents))?;
            }
            Ok(())
        };
    let header = |sheet: &mut Worksheet, first: &str| -> Result<(), XlsxError> {
        for (c, h) in headers.iter().enumerate() {
            let text = if c == 0 { first } else { h.as_str() };
            sheet.write_string_with_format(0, u16::try_from(c).unwrap_or(0), cells::fit(text), &bold)?;
        }
        sheet.set_freeze_panes(1, 2)?;
        Ok(())
    };

    // 总表
    let sheet = book.add_worksheet().set_name(format!("{}年总表", run.year)).map_err(xlsx)?;
    header(sheet, "排名").map_err(xlsx)?;
    for (i, row) in rows.iter().enumerate() {
        write_row(sheet, u32::try_from(i + 1).unwrap_or(u32::MAX), row.rank, row).map_err(xlsx)?;
    }
    // Cohort views: grouped by the cohort, ranked within it.
    type Key = fn(&member_assessment::Model) -> (String, i32);
    let views: [(&str, Key); 6] = [
        ("按界别", |r| (r.sector_id.unwrap_or(0).to_string(), r.sector_rank)),
        ("按专委会", |r| (r.committee_id.unwrap_or(0).to_string(), r.committee_rank)),
        ("按工作室", |r| (r.studio_id.unwrap_or(0).to_string(), r.studio_rank)),
        ("按镇街", |r| (r.town_id.unwrap_or(0).to_string(), r.town_rank)),
        ("常委与非常委", |r| (u8::from(!r.standing).to_string(), r.standing_rank)),
        ("新任与连任", |r| (u8::from(!r.new_member).to_string(), r.newness_rank)),
    ];
    for (title, key) in views {
        let mut sorted: Vec<&member_assessment::Model> = rows.iter().collect();
        sorted.sort_by(|a, b| {
            (key(a).0.len(), key(a).0, key(a).1, &a.name_pinyin).cmp(&(
                key(b).0.len(),
                key(b).0,
                key(b).1,
                &b.name_pinyin,
            ))
        });
        let sheet = book.add_worksheet().set_name(title).map_err(xlsx)?;
        header(sheet, "组内排名").map_err(xlsx)?;
        for (i, row) in sorted.iter().enumerate() {
            write_row(sheet, u32::try_from(i + 1).unwrap_or(u32::MAX), key(row).1, row).map_err(xlsx)?;
        }
    }
    // 明细
    let lines = service::lines_of_run(db, run_id).await?;
    let sheet = book.add_worksheet().set_name("计分明细").map_err(xlsx)?;
    for (c, h) in ["姓名", "日期", "事项", "规则", "类别", "分值", "说明"].iter().enumerate() {
        sheet.write_string_with_format(0, u16::try_from(c).unwrap_or(0), *h, &bold).map_err(xlsx)?;
    }
    // Members in the order of the first sheet, each with their lines in order.
    let lines = rows.iter().flat_map(|row| lines.get(&row.id).into_iter().flatten().map(|line| (row.member_id, line)));
    for (i, (member_id, line)) in lines.enumerate() {
        let r = u32::try_from(i + 1).unwrap_or(u32::MAX);
        let write = |sheet: &mut Worksheet| -> Result<(), XlsxError> {
            write_text(sheet, r, 0, &members.get(&member_id).cloned().unwrap_or_default())?;
            sheet.write_string(r, 1, line.date.to_string())?;
            write_text(sheet, r, 2, &line.description)?;
            write_text(sheet, r, 3, &line.rule_label)?;
            write_text(sheet, r, 4, &line.category)?;
            sheet.write_number(r, 5, number(line.points_cents))?;
            write_text(sheet, r, 6, &line.note.clone().unwrap_or_default())?;
            Ok(())
        };
        write(sheet).map_err(xlsx)?;
    }
    let bytes = book.save_to_buffer().map_err(xlsx)?;
    Ok(AppraisalWorkbook { bytes, rows: rows.len(), year: run.year })
}
