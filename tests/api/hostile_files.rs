//! Hostile roster files: a workbook that declares a sheet of 16,384 × 1,048,576 cells, a zip
//! entry that inflates far past the limit, a CSV file with a 10 MB line or 5,000 columns. Each
//! is `BAD_USER_INPUT` on `input.file`, and the server still answers afterwards.

use std::io::{Cursor, Write};

use lvzhi::{
    config::ApiConfig,
    import::guard::{MAX_COLUMNS, MAX_UNCOMPRESSED_BYTES},
    relay::Kind,
    server::AppState,
};
use serde_json::{Value, json};
use zip::{CompressionMethod, ZipWriter, write::SimpleFileOptions};

use crate::{
    fixtures::{gid, org},
    helpers::{TestApp, error_code, error_field},
};

const IMPORT: &str = "mutation($input: ImportMembersInput!) { importMembers(input: $input) { created rejected } }";

/// A server whose body limit lets files of tens of megabytes reach the importer.
async fn app_taking_large_bodies() -> TestApp {
    let mut app = TestApp::new().await;
    let limits = ApiConfig { max_body_bytes: 32 * 1024 * 1024, ..ApiConfig::default() };
    app.state = AppState::with_config(app.db.clone(), limits);
    app
}

async fn import(app: &TestApp, file_name: &str, bytes: &[u8]) -> Value {
    let term = org(app).await.current_term;
    let input = json!({ "termId": gid(Kind::Term, term), "file": null });
    let admin = app.admin.clone();
    app.upload(Some(&admin), IMPORT, json!({ "input": input }), "variables.input.file", file_name, bytes).await
}

/// Asserts the response refuses the file, and that the server still answers a query.
async fn assert_refused_and_alive(app: &TestApp, response: &Value, says: &str) {
    assert_eq!(error_code(response), "BAD_USER_INPUT", "{response:#}");
    assert_eq!(error_field(response), "input.file");
    let message = response["errors"][0]["message"].as_str().unwrap_or_default();
    assert!(message.contains(says), "{message}");
    let alive = app.admin("{ __typename }", json!({})).await;
    assert_eq!(alive["data"]["__typename"], "Query");
}

/// The smallest workbook calamine reads, with `sheet` as its one worksheet's XML and any
/// `extra` entries (name, bytes).
fn workbook(sheet: &str, extra: &[(&str, &[u8])]) -> Vec<u8> {
    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default().compression_method(CompressionMethod::Deflated);
    let parts: [(&str, &[u8]); 5] = [
        (
            "[Content_Types].xml",
            br#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>"#,
        ),
        (
            "_rels/.rels",
            br#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#,
        ),
        (
            "xl/workbook.xml",
            br#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>"#,
        ),
        (
            "xl/_rels/workbook.xml.rels",
            br#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#,
        ),
        ("xl/worksheets/sheet1.xml", sheet.as_bytes()),
    ];
    for (name, bytes) in parts.iter().chain(extra) {
        zip.start_file(*name, options).unwrap();
        zip.write_all(bytes).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

fn sheet(dimension: &str, cells: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><dimension ref="{dimension}"/><sheetData>{cells}</sheetData></worksheet>"#
    )
}

#[actix_web::test]
async fn the_test_workbook_is_readable_when_it_keeps_to_the_limits() {
    let app = TestApp::new().await;
    let inline = |at: &str, text: &str| format!(r#"<c r="{at}" t="inlineStr"><is><t>{text}</t></is></c>"#);
    let cells = format!(
        r#"<row r="1">{}{}{}</row><row r="2">{}{}{}</row>"#,
        inline("A1", "姓名"),
        inline("B1", "性别"),
        inline("C1", "党派"),
        inline("A2", "孙丽"),
        inline("B2", "女"),
        inline("C2", "民进")
    );

    let response = import(&app, "ok.xlsx", &workbook(&sheet("A1:C2", &cells), &[])).await;

    assert!(response.get("errors").is_none(), "{response:#}");
    assert_eq!(response["data"]["importMembers"]["created"], 1, "{response:#}");
}

#[actix_web::test]
async fn a_workbook_declaring_a_sheet_of_every_cell_excel_has_is_bad_user_input() {
    let app = TestApp::new().await;
    let cells = r#"<row r="1"><c r="A1" t="inlineStr"><is><t>姓名</t></is></c></row><row r="1048576"><c r="XFD1048576"><v>1</v></c></row>"#;
    let file = workbook(&sheet("A1:XFD1048576", cells), &[]);
    assert!(file.len() < 5 * 1024, "a tiny file: {} bytes", file.len());

    let response = import(&app, "bomb.xlsx", &file).await;

    assert_refused_and_alive(&app, &response, "XFD1048576").await;
}

#[actix_web::test]
async fn a_cell_far_past_the_declared_dimension_is_bad_user_input() {
    let app = TestApp::new().await;
    let cells = r#"<row r="1"><c r="A1" t="inlineStr"><is><t>姓名</t></is></c></row><row r="1048576"><c r="XFD1048576"><v>1</v></c></row>"#;

    let response = import(&app, "liar.xlsx", &workbook(&sheet("A1:A1", cells), &[])).await;

    assert_refused_and_alive(&app, &response, "XFD1048576").await;
}

#[actix_web::test]
async fn a_zip_entry_inflating_past_the_limit_is_bad_user_input() {
    let app = TestApp::new().await;
    let cells = r#"<row r="1"><c r="A1" t="inlineStr"><is><t>姓名</t></is></c></row>"#;
    let zeros = vec![0u8; usize::try_from(MAX_UNCOMPRESSED_BYTES).unwrap() + 1024 * 1024];
    let file = workbook(&sheet("A1", cells), &[("xl/media/image1.bin", &zeros)]);
    assert!(file.len() < 1024 * 1024, "the bomb is small: {} bytes", file.len());

    let response = import(&app, "bomb.xlsx", &file).await;

    assert_refused_and_alive(&app, &response, "unpacks to more than").await;
}

#[actix_web::test]
async fn a_csv_file_with_a_10_mb_line_is_bad_user_input() {
    let app = app_taking_large_bodies().await;
    let mut file = "姓名,备注\n李晓秋,".as_bytes().to_vec();
    file.extend(std::iter::repeat_n(b'x', 10 * 1024 * 1024));
    file.push(b'\n');

    let response = import(&app, "long.csv", &file).await;

    assert_refused_and_alive(&app, &response, "line 2 is longer than").await;
}

#[actix_web::test]
async fn a_csv_file_with_5000_columns_is_bad_user_input() {
    let app = TestApp::new().await;
    let header = std::iter::once("姓名".to_owned()).chain((1..5000).map(|i| format!("c{i}"))).collect::<Vec<_>>();
    let file = format!("{}\n李晓秋\n", header.join(","));

    let response = import(&app, "wide.csv", file.as_bytes()).await;

    assert_refused_and_alive(&app, &response, &format!("more than {MAX_COLUMNS} columns")).await;
}
