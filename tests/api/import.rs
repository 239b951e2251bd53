//! Roster import: real-shaped .xlsx and GBK CSV files, sent as GraphQL multipart requests to
//! the in-process server.

use entity::{
    audit_entry, committee_membership,
    enums::{Party, RegionLevel},
    member, seat, studio_assignment,
};
use lvzhi::{
    auth::Actor,
    organisation::service::{self as organisation, NewRegion},
    relay::Kind,
};
use rust_xlsxwriter::{ExcelDateTime, Format, Formula, Workbook};
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
    /// A number typed into Excel (in CSV: its digits).
    N(f64),
    /// TRUE or FALSE typed into Excel.
    B(bool),
    /// An Excel error shown by a formula (#N/A).
    E(&'static str),
    /// A number with a date format (Excel shows it as a date).
    DateNumber(f64),
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

/// The kind of file a test roster is written as: some bad cells exist only in one of them.
#[derive(Clone, Copy, PartialEq, Eq)]
enum FileType {
    Xlsx,
    GbkCsv,
}

/// `text` repeated until it is `chars` characters long, for cells over a length limit.
fn long(text: &str, chars: usize) -> &'static str {
    text.repeat(chars).chars().take(chars).collect::<String>().leak()
}

/// The rows of a test roster with the error each bad row must give (line, column, message).
#[derive(Default)]
struct Roster {
    rows: Vec<Vec<V>>,
    errors: Vec<(u64, &'static str, String)>,
}

impl Roster {
    /// The line (as Excel numbers it; the header is line 1) the next row lands on.
    fn next_line(&self) -> u64 {
        self.rows.len() as u64 + 2
    }

    fn good(&mut self, row: Vec<V>) -> u64 {
        let line = self.next_line();
        self.rows.push(row);
        line
    }

    fn bad(&mut self, row: Vec<V>, column: &'static str, message: impl Into<String>) {
        self.errors.push((self.next_line(), column, message.into()));
        self.rows.push(row);
    }
}

const DATE_HINT: &str = "write it as 1972-03, 1972.3, 1972年3月 or 1972/3/8";

/// What the file's 界别 … must be checked against: the [`Org`], plus 张伟 (委员证号 20001) and
/// 陈静 (20002), two members called 刘洋 (all born 1975-05-01, seated in 第十届), and the town
/// 东城镇, which has no studio.
async fn roster_org(app: &TestApp) -> Org {
    let o = org(app).await;
    member(app, &o, MemberSpec { number: Some("20001".into()), ..MemberSpec::named("张伟") }).await;
    member(app, &o, MemberSpec { number: Some("20002".into()), ..MemberSpec::named("陈静") }).await;
    member(app, &o, MemberSpec::named("刘洋")).await;
    member(app, &o, MemberSpec::named("刘洋")).await;
    let town = NewRegion { name: "东城镇".into(), level: RegionLevel::Town, parent_id: None, sort_order: 2 };
    organisation::create_region(&app.db, &Actor::System, town).await.unwrap();
    o
}

/// For [`roster_org`]: three good rows (李晓秋 and 陳建華, new; 张伟, who is updated), then one
/// bad row of every kind `file` can carry, each giving exactly one error.
fn roster_with_every_bad_row(file: FileType) -> Roster {
    let mut r = Roster::default();
    for good in good_rows() {
        r.good(good);
    }
    let zhang_wei = r.good(row("张伟", "20001", &[(3, S("1975年5月"))]));

    // Cells that fail on their own.
    r.bad(row("", "10003", &[]), "姓名", "the name is missing");
    r.bad(row(long("李", 101), "10004", &[]), "姓名", "is longer than 100 characters");
    r.bad(row("王芳", "10005", &[(1, S("未知"))]), "性别", "未知 is not a gender; write 男 or 女");
    r.bad(row("赵强", "10006", &[(2, S(long("汉", 101)))]), "民族", "is longer than 100 characters");
    r.bad(row("孙丽", "10007", &[(3, S("1972-13"))]), "出生日期", format!("1972-13 is not a date; {DATE_HINT}"));
    r.bad(row("周敏", "10008", &[(3, S("2099年1月"))]), "出生日期", "2099-01-01 is not a plausible birth date");
    let parties: Vec<&str> = Party::ALL.iter().map(|p| p.label()).collect();
    let party = format!("共和党 is not a party; use one of {}", parties.join("、"));
    r.bad(row("吴刚", "10009", &[(4, S("共和党"))]), "党派", party);
    r.bad(row("郑红", "10010", &[(5, S("航天界"))]), "界别", "航天界 is not a sector");
    r.bad(row("冯雪", "10011", &[(6, S("外事委员会"))]), "专委会", "外事委员会 is not a special committee");
    r.bad(row("陈亮", "10012", &[(7, S(long("某公司", 5001)))]), "工作单位", "is longer than 5000 characters");
    r.bad(row("褚云", long("9", 33), &[]), "委员证号", "is longer than 32 characters");
    r.bad(row("卫东", "10013", &[(9, S("call me"))]), "联系电话", "call me is not a phone number");
    let phone = "0551 - - - - - - - - - - - - 6543 2100";
    r.bad(row("蒋平", "10014", &[(9, S(phone))]), "联系电话", "is longer than 32 characters");
    r.bad(row("沈阳", "10015", &[(10, S("火星镇"))]), "所属镇街", "火星镇 is not a town or street");
    r.bad(row("韩梅", "10016", &[(11, S("不存在的工作室"))]), "工作室", "不存在的工作室 is not a studio");
    r.bad(row("杨帆", "10017", &[(12, S("第九届"))]), "届次", "第九届 is not the term being imported (第十届)");
    r.bad(row("朱琳", "10018", &[(13, S("也许"))]), "是否常委", "也许 is not 是 or 否");
    r.bad(row("秦岭", "10019", &[(14, S(long("备注", 5001)))]), "备注", "is longer than 5000 characters");
    match file {
        FileType::GbkCsv => r.bad(
            row("尤佳", "10020", &[(7, V::Bytes(b"\xFF\xFE\x81"))]),
            "工作单位",
            "the text is not valid GBK (the rest of the file is GBK): correct the characters in the file",
        ),
        FileType::Xlsx => {
            r.bad(
                row("尤佳", "10020", &[(7, V::Bytes(b""))]),
                "工作单位",
                "the text is garbled (mojibake): correct it in the file",
            );
            r.bad(
                row("许诺", "10021", &[(3, V::N(1972.1))]),
                "出生日期",
                "1972.1 is ambiguous: Excel stores 1972.10 as 1972.1; write 1972-01 or 1972-10 as text",
            );
            r.bad(row("何平", "10022", &[(3, V::B(true))]), "出生日期", format!("is not a date; {DATE_HINT}"));
            r.bad(
                row("吕方", "10023", &[(3, V::N(123_456_789.0))]),
                "出生日期",
                format!("123456789 is not a date; {DATE_HINT}"),
            );
            r.bad(
                row("施然", "10024", &[(3, V::DateNumber(1e10))]),
                "出生日期",
                "the date in the cell is out of range",
            );
            r.bad(row("张扬", "10025", &[(2, V::E("#N/A"))]), "民族", "the cell shows the Excel error #N/A");
        }
    }

    // Cells that disagree with each other.
    let town_and_studio = [(10, S("东城镇")), (11, S("北关社区委员工作室"))];
    r.bad(row("孔明", "10030", &town_and_studio), "所属镇街", "the studio 北关社区委员工作室 is not in 东城镇");
    let no_studio = "东城镇 has no single town studio: name the studio in 工作室";
    r.bad(row("曹操", "10031", &[(10, S("东城镇"))]), "所属镇街", no_studio);

    // Rows that disagree with other rows.
    let line = r.next_line();
    r.bad(row("严肃", "10099", &[]), "委员证号", format!("委员证号 10099 is also on line {}", line + 1));
    r.bad(row("华山", "10099", &[]), "委员证号", format!("委员证号 10099 is also on line {line}"));
    let line = r.next_line();
    let again = |other: u64| format!("周杰 is also on line {other}: give each a 委员证号 or remove one");
    r.bad(row("周杰", "", &[]), "姓名", again(line + 1));
    r.bad(row("周杰", "", &[]), "姓名", again(line));

    // Rows that disagree with what is stored.
    r.bad(row("赵六", "20002", &[]), "委员证号", "委员证号 20002 belongs to 陈静 in 第十届, not to 赵六");
    let several = "several members are called 刘洋: give the 委员证号 or 出生年月 to tell which";
    r.bad(row("刘洋", "", &[(3, S("1975年5月"))]), "姓名", several);
    r.bad(row("钱七", "10032", &[(4, S(""))]), "党派", "the 党派 is needed for a member new to the term");
    let same = format!("this is the same member as line {zhang_wei}");
    r.bad(row("张伟", "", &[(3, S("1975年5月"))]), "姓名", same);
    r
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
                V::N(n) => {
                    sheet.write_number(r, c as u16, *n).unwrap();
                }
                V::B(b) => {
                    sheet.write_boolean(r, c as u16, *b).unwrap();
                }
                V::E(shown) => {
                    sheet.write_formula(r, c as u16, Formula::new("=NA()").set_result(*shown)).unwrap();
                }
                V::DateNumber(n) => {
                    sheet.write_number_with_format(r, c as u16, *n, &date).unwrap();
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
                V::N(n) | V::DateNumber(n) => out.extend(gbk(&n.to_string())),
                V::B(b) => out.extend(gbk(if *b { "TRUE" } else { "FALSE" })),
                V::E(shown) => out.extend(gbk(shown)),
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

/// The report's errors as (line, column, message).
fn errors_of(report: &Value) -> Vec<(u64, &str, String)> {
    report["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (e["line"].as_u64().unwrap(), e["column"].as_str().unwrap(), e["message"].as_str().unwrap().to_owned())
        })
        .collect()
}

/// How many rows an import can write to, table by table.
#[derive(Debug, PartialEq, Eq, Clone, Copy)]
struct Written {
    members: u64,
    seats: u64,
    committee_memberships: u64,
    studio_assignments: u64,
    audit_entries: u64,
}

async fn counts(app: &TestApp) -> Written {
    Written {
        members: member::Entity::find().count(&app.db).await.unwrap(),
        seats: seat::Entity::find().count(&app.db).await.unwrap(),
        committee_memberships: committee_membership::Entity::find().count(&app.db).await.unwrap(),
        studio_assignments: studio_assignment::Entity::find().count(&app.db).await.unwrap(),
        audit_entries: audit_entry::Entity::find().count(&app.db).await.unwrap(),
    }
}

async fn member_named(app: &TestApp, name: &str) -> member::Model {
    member::Entity::find().filter(member::Column::Name.eq(name)).one(&app.db).await.unwrap().expect(name)
}

/// Imports `file` (without `onlyValidRows`) and checks the report against the roster's
/// expectations: every bad row by line, column and message, and nothing written.
async fn assert_every_bad_row_is_reported_and_nothing_written(file_name: &str, file: FileType) {
    let app = TestApp::new().await;
    let o = roster_org(&app).await;
    let roster = roster_with_every_bad_row(file);
    let bytes = match file {
        FileType::Xlsx => xlsx(&roster.rows),
        FileType::GbkCsv => gbk_csv(&roster.rows),
    };
    let before = counts(&app).await;

    let report = import(&app, &o, file_name, &bytes, false).await;

    let expected: Vec<(u64, &str, String)> = roster.errors.iter().map(|(l, c, m)| (*l, *c, m.clone())).collect();
    assert_eq!(errors_of(&report), expected, "{report:#}");
    assert_eq!(report["rejected"].as_u64(), Some(roster.errors.len() as u64));
    let counted = [&report["created"], &report["updated"], &report["unchanged"]].map(Value::as_u64);
    assert_eq!(counted, [Some(0); 3], "a refused import counts nothing as done");
    assert_eq!(report["applied"], false);
    assert_eq!(counts(&app).await, before, "a refused import writes nothing, not even audit entries");
}

#[actix_web::test]
async fn an_xlsx_roster_reports_a_bad_row_of_every_kind_by_line_column_and_message_and_writes_nothing() {
    assert_every_bad_row_is_reported_and_nothing_written("委员名册.xlsx", FileType::Xlsx).await;
}

#[actix_web::test]
async fn a_gbk_csv_roster_reports_a_bad_row_of_every_kind_by_line_column_and_message_and_writes_nothing() {
    assert_every_bad_row_is_reported_and_nothing_written("名册.csv", FileType::GbkCsv).await;
}

#[actix_web::test]
async fn only_valid_rows_writes_exactly_the_good_rows_with_seat_committee_and_studio() {
    let app = TestApp::new().await;
    let o = roster_org(&app).await;
    let before = counts(&app).await;
    let roster = roster_with_every_bad_row(FileType::GbkCsv);

    let report = import(&app, &o, "名册.csv", &gbk_csv(&roster.rows), true).await;

    let counted = [&report["created"], &report["updated"], &report["rejected"]].map(Value::as_u64);
    assert_eq!(counted, [Some(2), Some(1), Some(roster.errors.len() as u64)], "{report:#}");
    assert_eq!(report["applied"], true);
    let after = counts(&app).await;
    assert_eq!((after.members, after.seats), (before.members + 2, before.seats + 2), "李晓秋 and 陳建華 only");
    assert_eq!(after.committee_memberships, before.committee_memberships + 3, "张伟 joins 提案委员会 too");
    assert_eq!(after.studio_assignments, before.studio_assignments + 2);
    assert!(after.audit_entries >= before.audit_entries + 2 * 4, "member, seat, committee and studio entries for each");
    let li = member_named(&app, "李晓秋").await;
    assert_eq!(li.birth_date, Some(crate::fixtures::date(1972, 3, 8)));
    let seat = seat::Entity::find().filter(seat::Column::MemberId.eq(li.id)).one(&app.db).await.unwrap().unwrap();
    assert_eq!(
        (seat.term_id, seat.member_number.as_deref(), seat.sector_id, seat.party),
        (o.current_term, Some("10001"), Some(o.education), Party::Cdl)
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
    assert_eq!(member_named(&app, "张伟").await.gender, Some(entity::enums::Gender::Male), "updated from the file");
    for name in ["王芳", "赵六", "周杰", "钱七", "孔明"] {
        assert!(member::Entity::find().filter(member::Column::Name.eq(name)).one(&app.db).await.unwrap().is_none());
    }
}

#[actix_web::test]
async fn a_utf8_csv_without_a_bom_is_read_as_utf8_and_bytes_invalid_in_utf8_are_a_row_error() {
    let app = TestApp::new().await;
    let o = org(&app).await;
    let mut file = HEADER.join(",").into_bytes();
    file.extend_from_slice("\n陳建華,男,汉族,1968.5,中共,经济界,,建華集團 董事長,10002\n".as_bytes());
    file.extend_from_slice("李晓秋,女,汉族,1972-03,民盟,教育界,,".as_bytes());
    file.extend_from_slice(b"\xC3\x28\xA0,10001\n");

    let report = import(&app, &o, "名册.csv", &file, true).await;

    let bad_bytes = "the text is not valid UTF-8 (the rest of the file is UTF-8): correct the characters in the file";
    assert_eq!(errors_of(&report), [(3, "工作单位", bad_bytes.to_owned())], "{report:#}");
    assert_eq!((report["created"].as_u64(), report["rejected"].as_u64()), (Some(1), Some(1)));
    let chen = member_named(&app, "陳建華").await;
    let seat = seat::Entity::find().filter(seat::Column::MemberId.eq(chen.id)).one(&app.db).await.unwrap().unwrap();
    assert_eq!(seat.employer.as_deref(), Some("建華集團 董事長"), "stored as written, not as mojibake");
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
