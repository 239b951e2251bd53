//! GraphQL over WebSocket, driven frame by frame through the in-process server: every operation
//! on a socket runs as a live session (a session ended elsewhere answers UNAUTHENTICATED, one
//! ended here closes the socket with 4401 and ends its subscriptions), each event is delivered
//! only to a subscriber whose session still lives, and a socket is bounded (operations at once,
//! message size, the request timeout, the sign-in throttle by client address).

use std::{net::SocketAddr, pin::Pin, time::Duration};

use actix_codec::{Decoder, Encoder};
use actix_http::ws::{Codec, Frame, Item, Message};
use actix_web::{
    App,
    body::{BoxBody, MessageBody},
    test,
    web::{Bytes, BytesMut},
};
use async_graphql::Request;
use entity::{
    enums::{ActivityKind, ActivityStatus, Role},
    organiser::Organiser,
};
use futures_util::StreamExt;
use lvzhi::{
    account::{manage, service as accounts, throttle::MAX_FAILURES_PER_ADDRESS},
    activity::service::{self as activities, NewActivity},
    auth::Actor,
    config::ApiConfig,
    events::Broker,
    loader::Loaders,
    schema,
    server::{AppState, routes},
};
use serde_json::{Value, json};

use crate::{
    fixtures::date,
    helpers::{PASSWORD, Scope, TestApp, error_code},
};

/// Longest a test waits for the server's next frame before it fails (the server answers in
/// milliseconds; nothing here sleeps).
const PATIENCE: Duration = Duration::from_secs(20);

/// A graphql-transport-ws client on a socket of the in-process server.
pub struct Client {
    to_server: tokio::sync::mpsc::UnboundedSender<Bytes>,
    from_server: BoxBody,
    codec: Codec,
    buffer: BytesMut,
}

impl Client {
    /// Opens a socket to `state`'s server from `peer` (with `forwarded_for` as X-Forwarded-For).
    async fn connect_from(state: &AppState, peer: Option<SocketAddr>, forwarded_for: Option<&str>) -> Self {
        let app = test::init_service(App::new().configure(routes(state.clone()))).await;
        let (to_server, from_client) = tokio::sync::mpsc::unbounded_channel();
        let payload: actix_http::BoxedPayloadStream =
            Box::pin(futures_util::stream::unfold(from_client, |mut rx| async {
                rx.recv().await.map(|bytes| (Ok(bytes), rx))
            }));
        let mut request = test::TestRequest::get()
            .uri("/graphql/ws")
            .insert_header(("upgrade", "websocket"))
            .insert_header(("connection", "upgrade"))
            .insert_header(("sec-websocket-version", "13"))
            .insert_header(("sec-websocket-key", "dGhlIHNhbXBsZSBub25jZQ=="))
            .insert_header(("sec-websocket-protocol", "graphql-transport-ws"));
        if let Some(peer) = peer {
            request = request.peer_addr(peer);
        }
        if let Some(header) = forwarded_for {
            request = request.insert_header(("x-forwarded-for", header));
        }
        let (request, _) = request.to_request().replace_payload(actix_http::Payload::from(payload));
        let response = test::call_service(&app, request).await;
        assert_eq!(response.status().as_u16(), 101, "the server upgrades to a WebSocket");
        let codec = Codec::new().client_mode().max_size(16 * 1024 * 1024);
        Self { to_server, from_server: response.into_body(), codec, buffer: BytesMut::new() }
    }

    /// Opens a socket and signs it in with `token` (anonymous when none).
    pub async fn signed_in(state: &AppState, token: Option<&str>) -> Self {
        let mut client = Self::connect_from(state, None, None).await;
        client.init(token).await;
        client
    }

    fn send_frame(&mut self, message: Message) {
        let mut bytes = BytesMut::new();
        self.codec.encode(message, &mut bytes).expect("encode a frame");
        // The server may have closed the socket already (a message too large in its first frames).
        let _ = self.to_server.send(bytes.freeze());
    }

    fn send(&mut self, message: Value) {
        self.send_frame(Message::Text(message.to_string().into()));
    }

    /// The server's next frame (pings answered on the way).
    async fn frame(&mut self) -> Frame {
        loop {
            if let Some(frame) = self.codec.decode(&mut self.buffer).expect("a well-formed frame") {
                if let Frame::Ping(bytes) = frame {
                    self.send_frame(Message::Pong(bytes));
                    continue;
                }
                return frame;
            }
            let body = &mut self.from_server;
            let chunk = tokio::time::timeout(PATIENCE, std::future::poll_fn(|cx| Pin::new(&mut *body).poll_next(cx)))
                .await
                .expect("the server answers in time");
            match chunk {
                Some(Ok(bytes)) => self.buffer.extend_from_slice(&bytes),
                Some(Err(err)) => panic!("the socket broke: {err}"),
                None => panic!("the socket ended without a close frame"),
            }
        }
    }

    /// The server's next protocol message.
    pub async fn message(&mut self) -> Value {
        match self.frame().await {
            Frame::Text(text) => serde_json::from_slice(&text).expect("a JSON message"),
            other => panic!("expected a message, got {other:?}"),
        }
    }

    /// The close frame the server ends the socket with: code and reason. Messages before it are
    /// returned as well.
    async fn closed(&mut self) -> (u16, String, Vec<Value>) {
        let mut before = Vec::new();
        loop {
            match self.frame().await {
                Frame::Text(text) => before.push(serde_json::from_slice(&text).expect("a JSON message")),
                Frame::Close(reason) => {
                    let reason = reason.expect("a close reason");
                    return (u16::from(reason.code), reason.description.unwrap_or_default(), before);
                }
                other => panic!("unexpected frame {other:?}"),
            }
        }
    }

    async fn init(&mut self, token: Option<&str>) {
        let payload = token.map_or(json!({}), |t| json!({ "Authorization": format!("Bearer {t}") }));
        self.send(json!({ "type": "connection_init", "payload": payload }));
        assert_eq!(self.message().await["type"], "connection_ack");
    }

    pub fn subscribe(&mut self, id: &str, query: &str, variables: Value) {
        self.send(json!({ "id": id, "type": "subscribe", "payload": { "query": query, "variables": variables } }));
    }

    /// Runs a query or mutation as operation `id`: its one result, after which it completes.
    async fn request(&mut self, id: &str, query: &str, variables: Value) -> Value {
        self.subscribe(id, query, variables);
        let next = self.message().await;
        assert_eq!((next["type"].as_str(), next["id"].as_str()), (Some("next"), Some(id)), "{next:#}");
        let complete = self.message().await;
        assert_eq!((complete["type"].as_str(), complete["id"].as_str()), (Some("complete"), Some(id)), "{complete:#}");
        next["payload"].clone()
    }
}

const VIEWER: &str = "{ viewer { id username } }";
const ACTIVITIES: &str = "subscription { activityRecorded { title } }";

fn activity(title: &str) -> NewActivity {
    NewActivity {
        title: title.to_owned(),
        kind: ActivityKind::Research,
        subkind: None,
        organiser: Organiser::Office,
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

async fn actor_of(app: &TestApp, token: &str) -> Actor {
    Actor::Account(accounts::authenticate(&app.db, token).await.map_err(|e| e.message()).unwrap().unwrap())
}

/// Waits until the server's broker has `n` listeners (each socket listens for the end of its
/// session, each subscription for its events).
pub async fn listening(events: &Broker, n: usize) {
    tokio::time::timeout(PATIENCE, async {
        while events.subscribers() < n {
            tokio::task::yield_now().await;
        }
    })
    .await
    .expect("the subscriptions start listening");
}

#[actix_web::test]
async fn a_query_on_a_socket_whose_session_was_signed_out_elsewhere_is_unauthenticated() {
    let app = TestApp::new().await;
    let token = app.account("office", Role::Office, Scope::None).await;
    let mut socket = Client::signed_in(&app.state, Some(&token)).await;
    let before = socket.request("1", VIEWER, json!({})).await;
    // Signed out where this server's broker does not hear it: another server on the same
    // database, or the command line.
    accounts::logout(&app.db, &actor_of(&app, &token).await, &Broker::new()).await.unwrap();

    let after = socket.request("2", VIEWER, json!({})).await;

    assert_eq!(before["data"]["viewer"]["username"], "office");
    assert_eq!(error_code(&after), "UNAUTHENTICATED", "{after:#}");
    assert_eq!(after["data"]["viewer"], Value::Null);
}

#[actix_web::test]
async fn signing_out_closes_the_socket_with_4401() {
    let app = TestApp::new().await;
    let token = app.account("office", Role::Office, Scope::None).await;
    let mut socket = Client::signed_in(&app.state, Some(&token)).await;

    let signed_out = app.post(Some(&token), "mutation { logout { revoked } }", json!({})).await;

    assert_eq!(signed_out["data"]["logout"]["revoked"], true, "{signed_out:#}");
    let (code, reason, _) = socket.closed().await;
    assert_eq!((code, reason.as_str()), (4401, "the session has ended: sign in again"));
}

#[actix_web::test]
async fn disabling_an_account_ends_its_subscriptions_and_closes_its_socket() {
    let app = TestApp::new().await;
    let token = app.account("office", Role::Office, Scope::None).await;
    let mut socket = Client::signed_in(&app.state, Some(&token)).await;
    let account = socket.request("1", VIEWER, json!({})).await["data"]["viewer"]["id"].clone();
    socket.subscribe("2", ACTIVITIES, json!({}));
    listening(&app.state.events, 2).await;

    let disabled = app
        .ok(
            "mutation($id: ID!) { disableAccount(input: { id: $id }) { account { disabled } } }",
            json!({ "id": account }),
        )
        .await;
    activities::record(&app.db, &Actor::System, &app.state.events, activity("停用之后的调研")).await.unwrap();

    assert_eq!(disabled["disableAccount"]["account"]["disabled"], true);
    let (code, _, before) = socket.closed().await;
    assert_eq!(code, 4401);
    assert!(before.iter().all(|m| m["payload"]["data"]["activityRecorded"].is_null()), "{before:#?}");
}

#[actix_web::test]
async fn a_subscription_ends_unauthenticated_when_its_account_is_disabled() {
    let app = TestApp::new().await;
    let events = Broker::new();
    let schema = schema::build_with_events(app.db.clone(), &ApiConfig::default(), events.clone());
    let token = app.account("office", Role::Office, Scope::None).await;
    let office = actor_of(&app, &token).await;
    let account = office.session().unwrap().account_id;
    let mut stream = schema.execute_stream(Request::new(ACTIVITIES).data(office).data(Loaders::new(&app.db)));
    let next = tokio::spawn(async move {
        let first = tokio::time::timeout(PATIENCE, stream.next()).await.expect("an answer in time");
        let then = tokio::time::timeout(PATIENCE, stream.next()).await.expect("the end in time");
        (first, then)
    });
    listening(&events, 1).await;

    manage::set_disabled(&app.db, &Actor::System, &events, account, true).await.unwrap();

    let (first, then) = next.await.unwrap();
    let first = first.expect("a last answer");
    let code = first.errors.first().and_then(|e| e.extensions.as_ref()?.get("code").cloned());
    assert_eq!(code, Some(async_graphql::Value::from("UNAUTHENTICATED")), "{:?}", first.errors);
    assert!(then.is_none(), "the subscription has ended");
}

#[actix_web::test]
async fn an_event_is_not_delivered_to_a_subscriber_whose_session_has_ended() {
    let app = TestApp::new().await;
    let revoked = app.account("office", Role::Office, Scope::None).await;
    let alive = app.account("colleague", Role::Office, Scope::None).await;
    let mut gone = Client::signed_in(&app.state, Some(&revoked)).await;
    let mut kept = Client::signed_in(&app.state, Some(&alive)).await;
    gone.subscribe("1", ACTIVITIES, json!({}));
    kept.subscribe("1", ACTIVITIES, json!({}));
    listening(&app.state.events, 4).await;
    // Ended where this server does not hear it: only the delivery-time check can notice.
    accounts::logout(&app.db, &actor_of(&app, &revoked).await, &Broker::new()).await.unwrap();

    activities::record(&app.db, &Actor::System, &app.state.events, activity("撤销之后的调研")).await.unwrap();

    let delivered = kept.message().await;
    assert_eq!(delivered["payload"]["data"]["activityRecorded"]["title"], "撤销之后的调研", "{delivered:#}");
    let refused = gone.message().await;
    assert_eq!(refused["type"], "next");
    assert_eq!(error_code(&refused["payload"]), "UNAUTHENTICATED", "{refused:#}");
    assert!(refused["payload"]["data"]["activityRecorded"].is_null(), "{refused:#}");
    assert_eq!(gone.message().await["type"], "complete");
}

#[actix_web::test]
async fn a_socket_runs_at_most_the_allowed_operations_at_once() {
    let mut app = TestApp::new().await;
    app.state = AppState::with_config(app.db.clone(), ApiConfig { max_ws_operations: 2, ..ApiConfig::default() });
    let mut socket = Client::signed_in(&app.state, Some(&app.admin.clone())).await;
    socket.subscribe("1", ACTIVITIES, json!({}));
    socket.subscribe("2", ACTIVITIES, json!({}));

    socket.subscribe("3", ACTIVITIES, json!({}));
    let refused = socket.message().await;
    let done = socket.message().await;
    socket.send(json!({ "id": "1", "type": "complete" }));
    let stopped = socket.message().await;
    let after_one_ended = socket.request("4", VIEWER, json!({})).await;

    assert_eq!(refused["id"], "3");
    assert_eq!(error_code(&refused["payload"]), "BAD_USER_INPUT", "{refused:#}");
    let message = refused["payload"]["errors"][0]["message"].as_str().unwrap();
    assert!(message.contains("already runs 2 operations"), "{message}");
    assert_eq!((done["type"].as_str(), done["id"].as_str()), (Some("complete"), Some("3")));
    assert_eq!((stopped["type"].as_str(), stopped["id"].as_str()), (Some("complete"), Some("1")));
    assert_eq!(after_one_ended["data"]["viewer"]["username"], "admin", "{after_one_ended:#}");
}

#[actix_web::test]
async fn a_message_larger_than_the_limit_closes_the_socket_with_1009() {
    let mut app = TestApp::new().await;
    app.state = AppState::with_config(app.db.clone(), ApiConfig { max_body_bytes: 4096, ..ApiConfig::default() });
    let padded = format!("{VIEWER} # {}", "x".repeat(5000));
    let whole = json!({ "id": "1", "type": "subscribe", "payload": { "query": padded } }).to_string();

    let mut one_frame = Client::signed_in(&app.state, Some(&app.admin.clone())).await;
    one_frame.send_frame(Message::Text(whole.clone().into()));
    let (one_frame_code, one_frame_reason, _) = one_frame.closed().await;
    // The same message in fragments each under the limit.
    let mut fragments = Client::signed_in(&app.state, Some(&app.admin.clone())).await;
    let (first, rest) = whole.as_bytes().split_at(3000);
    let (middle, last) = rest.split_at(1500);
    fragments.send_frame(Message::Continuation(Item::FirstText(Bytes::copy_from_slice(first))));
    fragments.send_frame(Message::Continuation(Item::Continue(Bytes::copy_from_slice(middle))));
    fragments.send_frame(Message::Continuation(Item::Last(Bytes::copy_from_slice(last))));
    let (fragments_code, _, _) = fragments.closed().await;

    assert_eq!((one_frame_code, one_frame_reason.as_str()), (1009, "a message may have at most 4096 bytes"));
    assert_eq!(fragments_code, 1009);
}

#[actix_web::test]
async fn a_query_on_a_socket_is_held_to_the_request_timeout() {
    let mut app = TestApp::new().await;
    app.state = AppState::with_config(app.db.clone(), ApiConfig { request_timeout: 0, ..ApiConfig::default() });
    let mut socket = Client::signed_in(&app.state, Some(&app.admin.clone())).await;

    let stopped = socket.request("1", "{ members(first: 1) { totalCount } }", json!({})).await;

    assert_eq!(error_code(&stopped), "TIMEOUT", "{stopped:#}");
}

#[actix_web::test]
async fn sign_ins_over_a_socket_count_against_the_forwarded_client_address() {
    let mut app = TestApp::new().await;
    let proxy = SocketAddr::from(([10, 0, 0, 1], 50000));
    let limits = ApiConfig { trusted_proxies: vec![proxy.ip()], max_ws_operations: 64, ..ApiConfig::default() };
    app.state = AppState::with_config(app.db.clone(), limits);
    app.account("office", Role::Office, Scope::None).await;
    let login = "mutation($u: String!, $p: String!) { login(input: { username: $u, password: $p }) { token } }";
    let mut attacker = Client::connect_from(&app.state, Some(proxy), Some("198.51.100.7")).await;
    attacker.init(None).await;
    for i in 0..MAX_FAILURES_PER_ADDRESS {
        attacker.subscribe(&format!("guess{i}"), login, json!({ "u": format!("guess{i}"), "p": "wrong password" }));
    }
    for _ in 0..2 * MAX_FAILURES_PER_ADDRESS {
        attacker.message().await;
    }

    let refused = attacker.request("right", login, json!({ "u": "office", "p": PASSWORD })).await;
    let mut colleague = Client::connect_from(&app.state, Some(proxy), Some("198.51.100.8")).await;
    colleague.init(None).await;
    let signed_in = colleague.request("right", login, json!({ "u": "office", "p": PASSWORD })).await;

    let message = refused["errors"][0]["message"].as_str().unwrap_or_default();
    assert!(message.contains("too many failed sign-ins"), "{refused:#}");
    assert!(signed_in["data"]["login"]["token"].is_string(), "{signed_in:#}");
}
