//! Roster import: real-shaped .xlsx and GBK CSV files, sent as GraphQL multipart requests to
//! the in-process server.

use entity::{audit_entry, committee_membership, member, seat, studio_assignment};
use lvzhi::relay::Kind;
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::{Value, json};

use crate::{
    fixtures::{MemberSpec, Org, gid, member, org},
    helpers::{Scope, TestApp, error_code},
};

/// A cell of a test roster.
#[derive(Clone, Copy)]
enum V {
    /// Text.
    S(&'static str),
    /// A date typed into Excel (in CSV: as Excel shows it, 1972/3/8).
    D(u16, u8, u8),
    /// Raw bytes that are not valid in the file's encoding (CSV only).
    Bytes(&'static [u8]),
}

use V::{D, S};

/// The header offices write, with common variants (出生日期, 工作单位, 联系电话).
const HEADER: [&str; 15] = [
    "姓名",
    "性别",
    "民族",
    "出生日期",
    "党派",
    "界别",
    "专委会",
    "工作单位",
    "委员证号",
    "联系电话",
    "所属镇街",
    "工作室",
    "届次",
    "是否常委",
    "备注",
];

fn good_rows() -> Vec<Vec<V>> {
    vec![
        vec![
            S("李晓秋"),
            S("女"),
            S("汉族"),
            D(1972, 3, 8),
            S("民盟"),
            S("教育界"),
            S("提案委员会"),
            S("区第一中学 校长"),
            S("10001"),
            S("13800138001"),
            S("城关街道"),
            S("城关街道委员工作室"),
            S("第十届"),
            S("否"),
            S(""),
        ],
        vec![
            S("陳建華"),
            S("男"),
            S("汉族"),
            S("1968.5"),
            S("中国共产党"),
            S("经济界"),
            S("文化文史和学习委员会"),
            S("建华集团 董事长"),
            S("10002"),
            S("13800138002"),
            S("城关街道"),
            S("北关社区委员工作室"),
            S("第十届"),
            S("是"),
            S("港澳委员"),
        ],
    ]
}

/// A plain good row with `name`, `number` and the given changes at column `at`.
fn row(name: &'static str, number: &'static str, changes: &[(usize, V)]) -> Vec<V> {
    let mut cells = vec![
        S(name),
        S("男"),
        S("汉族"),
        S("1980年6月"),
        S("无党派人士"),
        S("经济界"),
        S("提案委员会"),
        S("某公司 经理"),
        S(number),
        S(""),
        S(""),
        S(""),
        S("10"),
        S("否"),
        S(""),
    ];
    for (at, v) in changes {
        cells[*at] = *v;
    }
    cells
}

/// Two good rows (lines 2–3), then one bad row of every kind (lines 4–10); `garbled` is the
/// last row's bad cell: invalid bytes in a CSV, mojibake in a workbook.
fn rows_with_errors(garbled: V) -> Vec<Vec<V>> {
    let mut rows = good_rows();
    rows.push(row("", "10003", &[])); // 4: no name
    rows.push(row("王芳", "10004", &[(3, S("1972-13"))])); // 5: no such month
    rows.push(row("赵强", "10005", &[(4, S("共和党"))])); // 6: not a party
    rows.push(row("孙丽", "10006", &[(5, S("航天界"))])); // 7: not a sector
    rows.push(row("周杰", "10007", &[])); // 8 and 9: the same member number
    rows.push(row("吴敏", "10007", &[]));
    rows.push(row("郑红", "10008", &[(7, garbled)])); // 10: bytes or mojibake
    rows
}

/// The (line, column) of every error the rows of [`rows_with_errors`] must give.
fn expected_errors() -> Vec<(u64, &'static str)> {
    vec![(4, "姓名"), (5, "出生日期"), (6, "党派"), (7, "界别"), (8, "委员证号"), (9, "委员证号"), (10, "工作单位")]
}

fn xlsx(rows: &[Vec<V>]) -> Vec<u8> {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    let date = Format::new().set_num_format("yyyy-mm-dd");
    for (c, h) in HEADER.iter().enumerate() {
        sheet.write_string(0, c as u16, *h).unwrap();
    }
    for (r, cells) in rows.iter().enumerate() {
        let r = r as u32 + 1;
        for (c, v) in cells.iter().enumerate() {
            match v {
                S("") => {}
                S(t) => {
                    sheet.write_string(r, c as u16, *t).unwrap();
                }
                D(y, m, d) => {
                    sheet
                        .write_datetime_with_format(r, c as u16, ExcelDateTime::from_ymd(*y, *m, *d).unwrap(), &date)
                        .unwrap();
                }
                V::Bytes(_) => {
                    sheet.write_string(r, c as u16, "锟斤拷锟斤拷").unwrap();
                }
            }
        }
    }
    book.save_to_buffer().unwrap()
}

/// A CSV file as Excel writes it on Chinese Windows: GBK, CRLF line ends.
fn gbk_csv(rows: &[Vec<V>]) -> Vec<u8> {
    let gbk = |t: &str| encoding_rs::GBK.encode(t).0.into_owned();
    let mut out = gbk(&HEADER.join(","));
    out.extend_from_slice(b"\r\n");
    for cells in rows {
        for (c, v) in cells.iter().enumerate() {
            if c > 0 {
                out.push(b',');
            }
            match v {
                S(t) if t.contains(',') => out.extend(gbk(&format!("\"{t}\""))),
                S(t) => out.extend(gbk(t)),
                D(y, m, d) => out.extend(gbk(&format!("{y}/{m}/{d}"))),
                V::Bytes(b) => out.extend_from_slice(b),
            }
        }
        out.extend_from_slice(b"\r\n");
    }
    out
}

const IMPORT: &str = "mutation($input: ImportMembersInput!) { importMembers(input: $input) { \
    created updated unchanged rejected applied errors { line column message } } }";

/// Sends `importMembers` as a GraphQL multipart request (operations, map, the file).
async fn import_as(app: &TestApp, token: Option<&str>, file_name: &str, bytes: &[u8], input: Value) -> Value {
    let mut input = input;
    input["file"] = Value::Null;
    app.upload(token, IMPORT, json!({ "input": input }), "variables.input.file", file_name, bytes).await
}

async fn import(app: &TestApp, o: &Org, file_name: &str, bytes: &[u8], only_valid_rows: bool) -> Value {
    let input = json!({ "termId": gid(Kind::Term, o.current_term), "onlyValidRows": only_valid_rows });
    let response = import_as(app, Some(&app.admin.clone()), file_name, bytes, input).await;
    assert!(response.get("errors").is_none(), "unexpected errors: {response:#}");
    response["data"]["importMembers"].clone()
}

fn errors_of(report: &Value) -> Vec<(u64, &str)> {
    report["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["line"].as_u64().unwrap(), e["column"].as_str().unwrap()))
        .collect()
}

async fn counts(app: &TestApp) -> (u64, u64) {
    (member::Entity::find().count(&app.db).await.unwrap(), audit_entry::Entity::find().count(&app.db).await.unwrap())
}

async fn member_named(app: &TestApp, name: &str) -> member::Model {
    member::Entity::find().filter(member::Column::Name.eq(name)).one(&app.db).await.unwrap().expect(name)
}

#[actix_web::test]
async fn an_xlsx_roster_with_bad_rows_reports_each_by_line_and_column_and_writes_nothing() {
    let app = TestApp::new().await;
    let o = org(&app).await;
    let before = counts(&app).await;

    let report = import(&app, &o, "委员名册.xlsx", &xlsx(&rows_with_errors(V::Bytes(b""))), false).await;

    assert_eq!(errors_of(&report), expected_errors(), "{report:#}");
    assert_eq!(report["rejected"], 7);
    assert_eq!((report["created"].as_u64(), report["applied"].as_bool()), (Some(0), Some(false)));
    let messages: Vec<&str> =
        report["errors"].as_array().unwrap().iter().map(|e| e["message"].as_str().unwrap()).collect();
    assert!(messages[1].contains("1972-13"), "{messages:?}");
    assert!(messages[2].contains("共和党") && messages[3].contains("航天界"), "{messages:?}");
    assert!(messages[4].contains("line 9") && messages[5].contains("line 8"), "{messages:?}");
    assert!(messages[6].contains("mojibake"), "{messages:?}");
    assert_eq!(counts(&app).await, before, "a refused import writes nothing, not even audit entries");
}

#[actix_web::test]
async fn a_gbk_csv_is_decoded_and_bytes_invalid_in_gbk_are_a_row_error() {
    let app = TestApp::new().await;
    let o = org(&app).await;
    let before = counts(&app).await;
    let file = gbk_csv(&rows_with_errors(V::Bytes(b"\xFF\xFE\x81")));

    let report = import(&app, &o, "名册.csv", &file, false).await;

    assert_eq!(errors_of(&report), expected_errors(), "{report:#}");
    assert!(report["errors"][6]["message"].as_str().unwrap().contains("not valid GBK"), "{report:#}");
    assert_eq!(counts(&app).await, before);
}

#[actix_web::test]
async fn only_valid_rows_writes_exactly_the_good_rows_with_seat_committee_and_studio() {
    let app = TestApp::new().await;
    let o = org(&app).await;
    let (members_before, audit_before) = counts(&app).await;
    let file = gbk_csv(&rows_with_errors(V::Bytes(b"\xFF\xFE\x81")));

    let report = import(&app, &o, "名册.csv", &file, true).await;

    assert_eq!((report["created"].as_u64(), report["rejected"].as_u64()), (Some(2), Some(7)), "{report:#}");
    assert_eq!(report["applied"], true);
    let (members_after, audit_after) = counts(&app).await;
    assert_eq!(members_after, members_before + 2);
    assert!(audit_after >= audit_before + 2 * 4, "member, seat, committee and studio entries for each");
    let li = member_named(&app, "李晓秋").await;
    assert_eq!(li.birth_date, Some(crate::fixtures::date(1972, 3, 8)));
    let seat = seat::Entity::find().filter(seat::Column::MemberId.eq(li.id)).one(&app.db).await.unwrap().unwrap();
    assert_eq!(
        (seat.term_id, seat.member_number.as_deref(), seat.sector_id, seat.party),
        (o.current_term, Some("10001"), Some(o.education), entity::enums::Party::Cdl)
    );
    let committee = committee_membership::Entity::find()
        .filter(committee_membership::Column::MemberId.eq(li.id))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(committee.committee_id, o.proposals_committee);
    let chen = member_named(&app, "陳建華").await;
    assert_eq!(chen.birth_date, Some(crate::fixtures::date(1968, 5, 1)));
    let studio = studio_assignment::Entity::find()
        .filter(studio_assignment::Column::MemberId.eq(chen.id))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(studio.studio_id, o.village_studio);
    for name in ["王芳", "赵强", "孙丽", "周杰", "吴敏", "郑红"] {
        assert!(member::Entity::find().filter(member::Column::Name.eq(name)).one(&app.db).await.unwrap().is_none());
    }
}

#[actix_web::test]
async fn importing_the_same_file_twice_changes_nothing() {
    let app = TestApp::new().await;
    let o = org(&app).await;
    let file = xlsx(&good_rows());
    let first = import(&app, &o, "名册.xlsx", &file, false).await;
    assert_eq!(first["created"], 2, "{first:#}");
    let after_first = counts(&app).await;

    let second = import(&app, &o, "名册.xlsx", &file, false).await;

    assert_eq!((second["created"].as_u64(), second["updated"].as_u64()), (Some(0), Some(0)), "{second:#}");
    assert_eq!(second["unchanged"], 2);
    assert_eq!(counts(&app).await, after_first, "no member and no audit entry added");
}

#[actix_web::test]
async fn a_traditional_name_is_stored_as_written_and_found_by_pinyin() {
    let app = TestApp::new().await;
    let o = org(&app).await;
    import(&app, &o, "名册.xlsx", &xlsx(&good_rows()), false).await;

    for search in ["陳建華", "chenjianhua", "cjh"] {
        let data = app
            .ok("query($s: String) { members(filter: { search: $s }) { nodes { name } } }", json!({ "s": search }))
            .await;
        assert_eq!(data["members"]["nodes"], json!([{ "name": "陳建華" }]), "search {search}");
    }
}

#[actix_web::test]
async fn an_existing_member_is_matched_by_number_and_updated_where_the_file_differs() {
    let app = TestApp::new().await;
    let o = org(&app).await;
    let spec = MemberSpec {
        number: Some("10001".into()),
        sector: Some(o.economy),
        committee: Some(o.culture_committee),
        ..MemberSpec::named("李晓秋")
    };
    let id = member(&app, &o, spec).await;

    let report = import(&app, &o, "名册.xlsx", &xlsx(&good_rows()[..1]), false).await;

    assert_eq!((report["created"].as_u64(), report["updated"].as_u64()), (Some(0), Some(1)), "{report:#}");
    let seat = seat::Entity::find().filter(seat::Column::MemberId.eq(id)).one(&app.db).await.unwrap().unwrap();
    assert_eq!(seat.sector_id, Some(o.education));
    let rows = committee_membership::Entity::find()
        .filter(committee_membership::Column::MemberId.eq(id))
        .all(&app.db)
        .await
        .unwrap();
    let open: Vec<i64> = rows.iter().filter(|r| r.end_date.is_none()).map(|r| r.committee_id).collect();
    assert_eq!(open, [o.proposals_committee], "moved: the old membership closed, kept as history");
    assert_eq!(rows.len(), 2);
}

#[actix_web::test]
async fn a_dry_run_counts_but_writes_nothing() {
    let app = TestApp::new().await;
    let o = org(&app).await;
    let before = counts(&app).await;
    let input = json!({ "termId": gid(Kind::Term, o.current_term), "dryRun": true });

    let response = import_as(&app, Some(&app.admin.clone()), "名册.xlsx", &xlsx(&good_rows()), input).await;

    let report = &response["data"]["importMembers"];
    assert_eq!((report["created"].as_u64(), report["applied"].as_bool()), (Some(2), Some(false)), "{response:#}");
    assert_eq!(counts(&app).await, before);
}

#[actix_web::test]
async fn the_import_is_for_the_office_only() {
    let app = TestApp::new().await;
    let o = org(&app).await;
    let someone = member(&app, &o, MemberSpec::named("张三")).await;
    let token = app.account("zhangsan", entity::enums::Role::Member, Scope::Member(someone)).await;
    let input = json!({ "termId": gid(Kind::Term, o.current_term) });
    let file = xlsx(&good_rows());

    let as_member = import_as(&app, Some(&token), "名册.xlsx", &file, input.clone()).await;
    let anonymous = import_as(&app, None, "名册.xlsx", &file, input).await;

    assert_eq!(error_code(&as_member), "FORBIDDEN");
    assert_eq!(error_code(&anonymous), "UNAUTHENTICATED");
}

#[actix_web::test]
async fn a_file_without_a_name_column_or_in_an_old_format_is_bad_user_input() {
    let app = TestApp::new().await;
    let o = org(&app).await;
    let input = json!({ "termId": gid(Kind::Term, o.current_term) });
    let admin = app.admin.clone();

    let no_header = import_as(&app, Some(&admin), "x.csv", "性别,民族\n男,汉族\n".as_bytes(), input.clone()).await;
    let old_xls = import_as(&app, Some(&admin), "x.xls", &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1], input).await;

    for response in [no_header, old_xls] {
        assert_eq!(error_code(&response), "BAD_USER_INPUT", "{response:#}");
        assert_eq!(response["errors"][0]["extensions"]["field"], "input.file");
    }
}
