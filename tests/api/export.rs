//! Excel exports: the roster (re-importable as it is) and a year's attendance table, downloaded
//! from the in-process server and read back with calamine.

use std::io::Cursor;

use actix_web::{App, test};
use calamine::{Data, Reader, Xlsx, open_workbook_from_rs};
use entity::enums::{ActivityKind, Attendance, Role};
use lvzhi::{
    auth::Actor,
    import::service::{ImportOptions, TermRef, import_members},
    server::{AppState, routes},
};

use crate::{
    fixtures::{MemberSpec, activity, date, member, org},
    helpers::{Scope, TestApp},
};

/// GETs `uri` with an optional token; returns status, content type and the body's bytes.
async fn download(app: &TestApp, uri: &str, token: Option<&str>) -> (u16, String, Vec<u8>) {
    let service = test::init_service(App::new().configure(routes(AppState::new(app.db.clone())))).await;
    let mut req = test::TestRequest::get().uri(uri);
    if let Some(token) = token {
        req = req.insert_header(("authorization", format!("Bearer {token}")));
    }
    let response = test::call_service(&service, req.to_request()).await;
    let status = response.status().as_u16();
    let media = response.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or("").to_owned();
    (status, media, test::read_body(response).await.to_vec())
}

/// The first sheet of a workbook as text cells.
fn sheet(bytes: &[u8]) -> Vec<Vec<String>> {
    let mut book: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes.to_vec())).expect("a workbook");
    let range = book.worksheet_range_at(0).expect("a sheet").expect("readable");
    range
        .rows()
        .map(|row| {
            row.iter()
                .map(|cell| match cell {
                    Data::Empty => String::new(),
                    Data::Float(f) => f.to_string(),
                    Data::DateTime(d) => d.as_datetime().map(|d| d.date().to_string()).unwrap_or_default(),
                    other => other.to_string(),
                })
                .collect()
        })
        .collect()
}

#[actix_web::test]
async fn the_roster_export_has_the_import_columns_and_imports_back_unchanged() {
    let app = TestApp::new().await;
    let o = org(&app).await;
    for (name, number, studio) in [("李晓秋", "10001", o.town_studio), ("陳建華", "10002", o.village_studio)] {
        let spec = MemberSpec {
            number: Some(number.into()),
            sector: Some(o.education),
            committee: Some(o.proposals_committee),
            studio: Some(studio),
            employer: Some("区第一中学 教师".into()),
            ..MemberSpec::named(name)
        };
        member(&app, &o, spec).await;
    }

    let (status, media, bytes) = download(&app, "/exports/roster.xlsx?term=10", Some(&app.admin)).await;

    assert_eq!(status, 200);
    assert!(media.starts_with("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"), "{media}");
    let rows = sheet(&bytes);
    assert_eq!(
        rows[0],
        [
            "姓名",
            "性别",
            "民族",
            "出生年月",
            "党派",
            "界别",
            "专委会",
            "工作单位及职务",
            "委员证号",
            "手机号",
            "所属镇街",
            "工作室",
            "届次",
            "是否常委",
            "备注"
        ]
    );
    assert_eq!(rows.len(), 3);
    // By name in pinyin order: chen before li.
    assert_eq!(rows[1][0], "陳建華");
    assert_eq!(
        rows[2][..13],
        [
            "李晓秋",
            "",
            "汉族",
            "1975-05-01",
            "中共",
            "教育界",
            "提案委员会",
            "区第一中学 教师",
            "10001",
            "",
            "城关街道",
            "城关街道委员工作室",
            "第十届"
        ]
    );
    assert_eq!(rows[1][10..12], ["城关街道", "北关社区委员工作室"]);

    let again = import_members(&app.db, &Actor::System, &bytes, TermRef::Number(10), ImportOptions::default())
        .await
        .map_err(|e| e.message())
        .unwrap();
    assert_eq!((again.created, again.updated, again.unchanged, again.rejected), (0, 0, 2, 0), "{again:?}");
}

#[actix_web::test]
async fn the_attendance_export_counts_each_status_the_compulsory_ones_and_the_rate() {
    let app = TestApp::new().await;
    let o = org(&app).await;
    let li = member(&app, &o, MemberSpec { number: Some("10001".into()), ..MemberSpec::named("李晓秋") }).await;
    let wang = member(&app, &o, MemberSpec::named("王芳")).await;
    let plenary = ActivityKind::PlenarySession;
    activity(&app, plenary, date(2024, 1, 10), true, &[(li, Attendance::Present), (wang, Attendance::Excused)]).await;
    activity(&app, plenary, date(2024, 6, 10), true, &[(li, Attendance::Absent), (wang, Attendance::Present)]).await;
    activity(&app, ActivityKind::Inspection, date(2024, 9, 1), false, &[(li, Attendance::Late)]).await;
    activity(&app, plenary, date(2023, 1, 10), true, &[(li, Attendance::Absent)]).await;

    let (status, _, bytes) = download(&app, "/exports/attendance.xlsx?year=2024", Some(&app.admin)).await;

    assert_eq!(status, 200);
    let rows = sheet(&bytes);
    assert_eq!(
        rows[0],
        [
            "姓名",
            "委员证号",
            "界别",
            "出席",
            "迟到",
            "早退",
            "请假",
            "缺席",
            "应到(必到活动)",
            "实到(必到活动)",
            "出席率"
        ]
    );
    assert_eq!(rows[1], ["李晓秋", "10001", "", "1", "1", "0", "0", "1", "2", "1", "0.5"]);
    assert_eq!(rows[2][0], "王芳");
    assert_eq!(rows[2][3..], ["1", "0", "0", "1", "0", "2", "1", "0.5"]);
}

#[actix_web::test]
async fn the_downloads_refuse_a_member_with_403_and_anonymous_with_401() {
    let app = TestApp::new().await;
    let o = org(&app).await;
    let someone = member(&app, &o, MemberSpec::named("张三")).await;
    let token = app.account("zhangsan", Role::Member, Scope::Member(someone)).await;

    for uri in ["/exports/roster.xlsx", "/exports/attendance.xlsx?year=2024"] {
        let (as_member, _, body) = download(&app, uri, Some(&token)).await;
        assert_eq!(as_member, 403, "{uri}");
        assert!(String::from_utf8_lossy(&body).contains("FORBIDDEN"));
        let (anonymous, _, _) = download(&app, uri, None).await;
        assert_eq!(anonymous, 401, "{uri}");
    }
}

#[actix_web::test]
async fn the_attendance_download_needs_a_year() {
    let app = TestApp::new().await;
    org(&app).await;

    let (missing, _, _) = download(&app, "/exports/attendance.xlsx", Some(&app.admin)).await;
    let (bad, _, _) = download(&app, "/exports/attendance.xlsx?year=soon", Some(&app.admin)).await;

    assert_eq!((missing, bad), (400, 400));
}

/// The appraisal workbook of a run (`lvzhi export assessments`): the year's table by rank, the
/// six cohort views, and under 计分明细 every score line of the run — members in the order of
/// the first sheet, each member's lines in order, with their date, description and points.
#[actix_web::test]
async fn the_assessment_export_has_the_table_the_cohort_views_and_every_line_in_rank_order() {
    use entity::{member, member_assessment};
    use lvzhi::assessment::{export, service as assessments};
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};

    let app = TestApp::new().await;
    lvzhi::seed::demo(&app.db).await.map_err(|e| e.message()).unwrap();
    let runs = assessments::runs(&app.db, &Actor::System, None).await.map_err(|e| e.message()).unwrap();
    let run = runs.iter().find(|r| r.year == 2023).expect("the demo's published 2023 run");
    let path = std::env::temp_dir().join(format!("lvzhi-test-export-{}-{}.xlsx", std::process::id(), run.id));
    let written = export::assessments(&app.db, &Actor::System, run.id, &path).await.map_err(|e| e.message()).unwrap();
    let bytes = std::fs::read(&path).unwrap();
    std::fs::remove_file(&path).unwrap();
    assert_eq!(written, usize::try_from(run.member_count).unwrap());

    let mut book: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes)).expect("a workbook");
    let names = ["2023年总表", "按界别", "按专委会", "按工作室", "按镇街", "常委与非常委", "新任与连任", "计分明细"];
    assert_eq!(book.sheet_names(), names);
    let table = book.worksheet_range("2023年总表").unwrap();
    assert_eq!(table.height(), written + 1, "a header and a row per member");

    // What the detail sheet must hold, worked out from the stored results and lines.
    let results = member_assessment::Entity::find()
        .filter(member_assessment::Column::RunId.eq(run.id))
        .order_by_asc(member_assessment::Column::Rank)
        .order_by_asc(member_assessment::Column::NamePinyin)
        .all(&app.db)
        .await
        .unwrap();
    let members: std::collections::HashMap<i64, String> =
        member::Entity::find().all(&app.db).await.unwrap().into_iter().map(|m| (m.id, m.name)).collect();
    let lines = assessments::lines_of_run(&app.db, run.id).await.map_err(|e| e.message()).unwrap();
    let expected: Vec<(String, String, String, f64)> = results
        .iter()
        .flat_map(|r| lines.get(&r.id).into_iter().flatten().map(move |l| (r.member_id, l)))
        .map(|(m, l)| (members[&m].clone(), l.date.to_string(), l.description.clone(), l.points_cents as f64 / 100.0))
        .collect();
    assert_eq!(expected.len(), usize::try_from(run.line_count).unwrap());

    let detail = book.worksheet_range("计分明细").unwrap();
    let found: Vec<(String, String, String, f64)> = detail
        .rows()
        .skip(1)
        .map(|row| {
            let points = match row[5] {
                Data::Float(f) => f,
                ref other => panic!("points as a number, not {other:?}"),
            };
            (row[0].to_string(), row[1].to_string(), row[2].to_string(), points)
        })
        .collect();
    assert_eq!(found, expected);
}
