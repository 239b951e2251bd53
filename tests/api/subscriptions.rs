//! Subscriptions: an event published by a service reaches the subscribers who may see it, and
//! only those who may read the same data may subscribe (nobody without a token).

use entity::organiser::Organiser;
use std::time::Duration;

use async_graphql::Request;
use entity::enums::{ActivityKind, ActivityStatus, Role};
use futures_util::StreamExt;
use lvzhi::{
    account::service as accounts,
    activity::service::{self as activities, NewActivity},
    auth::Actor,
    config::ApiConfig,
    events::Broker,
    loader::Loaders,
    relay::Kind,
    schema,
};

use crate::{
    fixtures::{date, gid, org},
    helpers::{Scope, TestApp},
};

async fn actor(app: &TestApp, username: &str, role: Role) -> Actor {
    let token = app.account(username, role, Scope::None).await;
    Actor::Account(accounts::authenticate(&app.db, &token).await.map_err(|e| e.message()).unwrap().unwrap())
}

fn activity(title: &str, organiser: Organiser) -> NewActivity {
    NewActivity {
        title: title.to_owned(),
        kind: ActivityKind::Research,
        subkind: None,
        organiser,
        start_date: date(2023, 6, 1),
        end_date: None,
        location: None,
        status: ActivityStatus::Done,
        compulsory: false,
        issues_solved: None,
        people_served: None,
        donations: None,
        description: None,
        participants: Vec::new(),
    }
}

#[actix_web::test]
async fn activity_recorded_delivers_the_activities_of_the_chosen_organiser() {
    let app = TestApp::new().await;
    let org = org(&app).await;
    let events = Broker::new();
    let schema = schema::build_with_events(app.db.clone(), &ApiConfig::default(), events.clone());
    let office = actor(&app, "office", Role::Office).await;
    let committee = gid(Kind::SpecialCommittee, org.culture_committee);
    let query =
        format!("subscription {{ activityRecorded(organiserId: \"{committee}\") {{ title organiser {{ name }} }} }}");
    let mut stream = schema.execute_stream(Request::new(query).data(office.clone()).data(Loaders::new(&app.db)));

    let next = tokio::spawn(async move { tokio::time::timeout(Duration::from_secs(5), stream.next()).await });
    // Wait until the subscription listens (no sleeping: the broker counts its subscribers).
    tokio::time::timeout(Duration::from_secs(5), async {
        while events.subscribers() == 0 {
            tokio::task::yield_now().await;
        }
    })
    .await
    .expect("the subscription starts listening");
    activities::record(&app.db, &Actor::System, &events, activity("办公室调研", Organiser::Office)).await.ok();
    let recorded = activities::record(
        &app.db,
        &office,
        &events,
        activity("文史资料征集调研", Organiser::Committee(org.culture_committee)),
    )
    .await;

    assert!(recorded.is_ok());
    let response = next.await.unwrap().expect("an event within 5 seconds").expect("a response");
    assert!(response.errors.is_empty(), "{:?}", response.errors);
    let data = response.data.into_json().unwrap();
    assert_eq!(data["activityRecorded"]["title"], "文史资料征集调研");
    assert_eq!(data["activityRecorded"]["organiser"]["name"], "文化文史和学习委员会");
}

#[actix_web::test]
async fn viewers_may_not_subscribe_to_activities() {
    let app = TestApp::new().await;
    let schema = schema::build(app.db.clone());
    let viewer = actor(&app, "viewer", Role::Viewer).await;

    let mut stream = schema.execute_stream(
        Request::new("subscription { activityRecorded { title } }").data(viewer).data(Loaders::new(&app.db)),
    );
    let response = tokio::time::timeout(Duration::from_secs(5), stream.next()).await.unwrap().unwrap();

    assert_eq!(
        response.errors[0].extensions.as_ref().and_then(|e| e.get("code")).map(ToString::to_string),
        Some("\"FORBIDDEN\"".to_owned())
    );
}

#[actix_web::test]
async fn proposal_changed_delivers_each_step_of_the_watched_proposal() {
    let app = TestApp::new().await;
    let o = org(&app).await;
    let first = crate::fixtures::member(&app, &o, crate::fixtures::MemberSpec::named("王芳")).await;
    let watched = crate::fixtures::proposal(&app, first, "关于加强社区养老服务的建议").await;
    let other = crate::fixtures::proposal(&app, first, "关于改善农村道路的建议").await;
    let events = Broker::new();
    let schema = schema::build_with_events(app.db.clone(), &ApiConfig::default(), events.clone());
    let office = actor(&app, "office", Role::Office).await;
    let query =
        format!("subscription {{ proposalChanged(id: \"{}\") {{ title status }} }}", gid(Kind::Proposal, watched));
    let mut stream = schema.execute_stream(Request::new(query).data(office.clone()).data(Loaders::new(&app.db)));
    let next = tokio::spawn(async move { tokio::time::timeout(Duration::from_secs(5), stream.next()).await });
    tokio::time::timeout(Duration::from_secs(5), async {
        while events.subscribers() == 0 {
            tokio::task::yield_now().await;
        }
    })
    .await
    .expect("the subscription starts listening");

    let accept = |id: i64| {
        Request::new(format!(
            "mutation {{ reviewProposal(input: {{ id: \"{}\", decision: ACCEPT }}) {{ proposal {{ status }} }} }}",
            gid(Kind::Proposal, id)
        ))
        .data(office.clone())
        .data(Loaders::new(&app.db))
    };
    let unwatched = schema.execute(accept(other)).await;
    let watched_step = schema.execute(accept(watched)).await;

    assert!(unwatched.errors.is_empty() && watched_step.errors.is_empty(), "{:?}", watched_step.errors);
    let response = next.await.unwrap().expect("an event within 5 seconds").expect("a response");
    let data = response.data.into_json().unwrap();
    assert_eq!(data["proposalChanged"]["title"], "关于加强社区养老服务的建议");
    assert_eq!(data["proposalChanged"]["status"], "ACCEPTED");
}

#[actix_web::test]
async fn an_anonymous_subscription_is_refused_as_unauthenticated() {
    let app = TestApp::new().await;
    let schema = schema::build(app.db.clone());
    let subscriptions = [
        "subscription { activityRecorded { title } }".to_owned(),
        format!("subscription {{ proposalChanged(id: \"{}\") {{ status }} }}", gid(Kind::Proposal, 1)),
        format!("subscription {{ assessmentRunChanged(runId: \"{}\") {{ status }} }}", gid(Kind::AssessmentRun, 1)),
    ];

    for query in subscriptions {
        let mut stream =
            schema.execute_stream(Request::new(query.as_str()).data(Actor::Anonymous).data(Loaders::new(&app.db)));
        let response = tokio::time::timeout(Duration::from_secs(5), stream.next()).await.unwrap().unwrap();

        let code = response.errors.first().and_then(|e| e.extensions.as_ref()?.get("code").cloned());
        assert_eq!(code, Some(async_graphql::Value::from("UNAUTHENTICATED")), "{query}: {:?}", response.errors);
    }
}
