//! GraphQL over WebSocket at `/graphql/ws` (graphql-transport-ws, and the older graphql-ws).
//!
//! A socket presents its token once, in its `connection_init` payload, and every operation on
//! it then runs as a live session ([`Operations`]): the token is looked up again as each
//! operation starts (UNAUTHENTICATED once it no longer signs in), each subscription event is
//! delivered only while its subscriber may still see it ([`crate::events::deliver`]), and the
//! socket closes with 4401 when its session ends (signed out, the account disabled or its
//! password reset, or the token expired). A socket is bounded: each message by
//! `--max-body-bytes` (a frame, or the frames of a fragmented message together; closing with
//! 1009), the operations it runs at once by `--max-ws-operations`, each query and mutation by
//! the request timeout; sign-ins over it count against the same throttle, for the same client
//! address, as over HTTP.

use std::{
    cell::Cell,
    rc::Rc,
    sync::{Arc, OnceLock},
    time::{Duration, Instant},
};

use actix_web::{HttpRequest, HttpResponse, http::header, web};
use actix_ws::{AggregatedMessage, CloseCode, CloseReason, ProtocolError};
use async_graphql::{
    Executor, Request, Response, ServerError,
    http::{ALL_WEBSOCKET_PROTOCOLS, WebSocket, WebSocketProtocols, WsMessage},
    parser::types::OperationType,
};
use futures_util::{
    StreamExt,
    stream::{self, BoxStream},
};
use sea_orm::DatabaseConnection;
use tokio::sync::{OwnedSemaphorePermit, Semaphore, oneshot};

use super::{AppState, bearer, error_body, graphql::finish_errors, request_id};
use crate::{
    auth::{LiveActor, live::SESSION_ENDED},
    context::ClientAddr,
    error::{AppError, code, status},
    events::{Broker, deliver},
    loader::Loaders,
    schema::AppSchema,
};

/// How often the server pings a socket.
const HEARTBEAT: Duration = Duration::from_secs(10);
/// How long a socket may stay silent (no message, no pong) before it is closed.
const CLIENT_TIMEOUT: Duration = Duration::from_secs(30);
/// How long a new socket may take to send `connection_init`.
const INIT_TIMEOUT: Duration = Duration::from_secs(10);
/// graphql-transport-ws: the socket's session is not, or no longer, signed in.
const CLOSE_UNAUTHORIZED: u16 = 4401;
/// graphql-transport-ws: no `connection_init` in time.
const CLOSE_INIT_TIMEOUT: u16 = 4408;

/// The token in a graphql-transport-ws `connection_init` payload: `{"Authorization": "Bearer …"}`
/// (any case), or a bare `{"token": "…"}`.
fn token_of(payload: &serde_json::Value) -> Option<&str> {
    let object = payload.as_object()?;
    let field = |name: &str| object.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).and_then(|(_, v)| v.as_str());
    match field("authorization") {
        Some(value) => bearer::token(value),
        None => field("token").map(str::trim),
    }
}

/// The first subprotocol the client offers that lvzhi speaks (the one the handshake answers).
fn protocol_of(req: &HttpRequest) -> Option<WebSocketProtocols> {
    req.headers()
        .get_all(header::SEC_WEBSOCKET_PROTOCOL)
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .find(|offered| ALL_WEBSOCKET_PROTOCOLS.contains(offered))
        .and_then(|offered| offered.parse().ok())
}

/// `GET /graphql/ws`: upgrades to a WebSocket and serves it on a task of its own.
pub async fn subscriptions(
    req: HttpRequest,
    payload: web::Payload,
    state: web::Data<AppState>,
) -> actix_web::Result<HttpResponse> {
    let Some(protocol) = protocol_of(&req) else {
        return Ok(error_body(
            status::BAD_REQUEST,
            code::BAD_REQUEST,
            "offer the graphql-transport-ws subprotocol in Sec-WebSocket-Protocol",
        ));
    };
    let (response, session, messages) = actix_ws::handle_with_protocols(&req, payload, &ALL_WEBSOCKET_PROTOCOLS)?;
    let limit = state.limits.max_body_bytes;
    let messages = messages.max_frame_size(limit).aggregate_continuations().max_continuation_size(limit);
    let operations = Operations {
        schema: state.ws_schema.clone(),
        db: state.db.clone(),
        addr: super::client_addr(&req, &state.limits),
        share: state.share.clone(),
        timeout: Duration::from_secs(state.limits.request_timeout),
        most: state.limits.max_ws_operations,
        running: Arc::new(Semaphore::new(state.limits.max_ws_operations)),
        token: Arc::new(OnceLock::new()),
    };
    let socket = Socket { operations, events: state.events.clone(), protocol, limit };
    actix_web::rt::spawn(socket.serve(session, messages));
    Ok(response)
}

/// One WebSocket connection.
struct Socket {
    operations: Operations,
    events: Broker,
    protocol: WebSocketProtocols,
    /// The largest message, in bytes.
    limit: usize,
}

/// What the client sent, as the connection's loop needs it.
enum Incoming {
    /// A protocol message (JSON).
    Message(web::Bytes),
    /// Nothing for the protocol (a ping answered, a pong).
    Nothing,
    /// The client closed, or must be closed for the reason given.
    End(Option<CloseReason>),
}

impl Socket {
    /// Runs the connection to its end: the client's messages into async-graphql's protocol
    /// handler, its answers out, and the socket closed when the session ends.
    async fn serve(self, mut session: actix_ws::Session, messages: actix_ws::AggregatedMessageStream) {
        let Self { operations, events, protocol, limit } = self;
        let heard = Rc::new(Cell::new(Instant::now()));
        let closing = Rc::new(Cell::new(None));
        let input = {
            let (session, heard, closing) = (session.clone(), heard.clone(), closing.clone());
            messages
                .then(move |message| {
                    heard.set(Instant::now());
                    let mut session = session.clone();
                    async move { incoming(message, &mut session, limit).await }
                })
                .take_while(move |incoming| {
                    let go_on = !matches!(incoming, Incoming::End(_));
                    if let Incoming::End(reason) = incoming {
                        closing.set(Some(reason.clone()));
                    }
                    std::future::ready(go_on)
                })
                .filter_map(|incoming| {
                    std::future::ready(match incoming {
                        Incoming::Message(bytes) => Some(bytes),
                        Incoming::Nothing | Incoming::End(_) => None,
                    })
                })
        };
        let (signed_in, on_sign_in) = oneshot::channel();
        let init = {
            let (db, token) = (operations.db.clone(), operations.token.clone());
            move |payload: serde_json::Value| async move {
                let presented = token_of(&payload).map(str::to_owned);
                // Who signed in, so that the socket can close when that session ends. A token
                // that does not sign in is not refused here: each operation answers for it.
                let live = bearer::live_actor(&db, presented.as_deref()).await.ok().flatten();
                let _ = token.set(presented);
                let _ = signed_in.send(live);
                Ok(async_graphql::Data::default())
            }
        };
        let ends = session_end(events, on_sign_in);
        let mut protocol_handler = Box::pin(WebSocket::new(operations, input, protocol).on_connection_init(init));
        let mut ends = Box::pin(ends);
        let mut heartbeat = tokio::time::interval(HEARTBEAT);
        let reason = loop {
            tokio::select! {
                out = protocol_handler.next() => match out {
                    Some(WsMessage::Text(text)) => {
                        if session.text(text).await.is_err() {
                            return;
                        }
                    }
                    Some(WsMessage::Close(code, message)) => break Some(close(code, message)),
                    None => break closing.take().flatten(),
                },
                reason = &mut ends => break Some(reason),
                _ = heartbeat.tick() => {
                    if heard.get().elapsed() > CLIENT_TIMEOUT || session.ping(b"").await.is_err() {
                        break None;
                    }
                }
            }
        };
        let _ = session.close(reason).await;
    }
}

fn close(code: u16, message: impl Into<String>) -> CloseReason {
    CloseReason { code: CloseCode::from(code), description: Some(message.into()) }
}

/// A message from the client, a ping answered on `session`.
async fn incoming(
    message: Result<AggregatedMessage, ProtocolError>,
    session: &mut actix_ws::Session,
    limit: usize,
) -> Incoming {
    match message {
        Ok(AggregatedMessage::Text(text)) => Incoming::Message(text.into_bytes()),
        Ok(AggregatedMessage::Binary(bytes)) => Incoming::Message(bytes),
        Ok(AggregatedMessage::Ping(bytes)) => match session.pong(&bytes).await {
            Ok(()) => Incoming::Nothing,
            Err(_) => Incoming::End(None),
        },
        Ok(AggregatedMessage::Pong(_)) => Incoming::Nothing,
        Ok(AggregatedMessage::Close(_)) => Incoming::End(None),
        // A frame over the limit, or a fragmented message whose frames add up to more.
        Err(ProtocolError::Overflow | ProtocolError::Io(_)) => Incoming::End(Some(CloseReason {
            code: CloseCode::Size,
            description: Some(format!("a message may have at most {limit} bytes")),
        })),
        Err(err) => {
            tracing::info!(%err, "websocket protocol error");
            Incoming::End(Some(CloseReason { code: CloseCode::Protocol, description: Some(err.to_string()) }))
        }
    }
}

/// Why the socket must close: no `connection_init` within [`INIT_TIMEOUT`], or the end of the
/// session it signed in with (by the same rule as its subscriptions, [`deliver`]). Never, for a
/// socket without a session.
async fn session_end(events: Broker, signed_in: oneshot::Receiver<Option<LiveActor>>) -> CloseReason {
    // Listening from the start, so that nothing said between sign-in and now is missed.
    let receiver = events.subscribe();
    match tokio::time::timeout(INIT_TIMEOUT, signed_in).await {
        Err(_) => close(CLOSE_INIT_TIMEOUT, "connection_init was not sent in time"),
        Ok(Ok(Some(live))) if live.at_start().session().is_some() => {
            let nothing = |_| None::<()>;
            let admit = |_, ()| std::future::ready(Ok(()));
            std::pin::pin!(deliver(receiver, live, nothing, admit)).next().await;
            close(CLOSE_UNAUTHORIZED, SESSION_ENDED)
        }
        Ok(_) => std::future::pending().await,
    }
}

/// Runs the operations of one socket: each one as the socket's session is at its start.
#[derive(Clone)]
struct Operations {
    schema: AppSchema,
    db: DatabaseConnection,
    addr: ClientAddr,
    /// Each operation's share of the pool, as an HTTP request's.
    share: crate::share::PoolShare,
    timeout: Duration,
    /// Most operations at once.
    most: usize,
    running: Arc<Semaphore>,
    /// The token of `connection_init` (none presented: anonymous), set once.
    token: Arc<OnceLock<Option<String>>>,
}

/// One response with `error`, and the end of the operation.
fn refused(error: ServerError) -> BoxStream<'static, Response> {
    stream::once(std::future::ready(Response::from_errors(vec![error]))).boxed()
}

fn server_error(error: AppError) -> ServerError {
    let mut error = async_graphql::Error::from(error).into_server_error(Default::default());
    error.locations.clear();
    error
}

/// Whether the operation `request` runs is a subscription.
fn is_subscription(request: &mut Request) -> bool {
    let name = request.operation_name.clone();
    let Ok(document) = request.parsed_query() else { return false };
    document
        .operations
        .iter()
        .find(|(n, _)| name.is_none() || n.map(|n| n.as_str()) == name.as_deref())
        .is_some_and(|(_, op)| op.node.ty == OperationType::Subscription)
}

impl Operations {
    /// Starts `request`, which holds `permit` (its place among the socket's operations) until
    /// its last response: as the socket's session is now.
    async fn start(self, mut request: Request, permit: OwnedSemaphorePermit) -> BoxStream<'static, Response> {
        let id = request_id();
        let token = self.token.get().and_then(Option::as_deref);
        let live = match bearer::live_actor(&self.db, token).await {
            Ok(Some(live)) => live,
            Ok(None) => return refused(server_error(AppError::Unauthenticated(SESSION_ENDED))),
            Err(err) => {
                tracing::error!(id, error = %err.message(), "token lookup failed");
                let mut error = server_error(err);
                if let Some(ext) = error.extensions.as_mut() {
                    ext.set("requestId", id);
                }
                return refused(error);
            }
        };
        let subscription = is_subscription(&mut request);
        let requested = request.parsed_query().ok().cloned().map(|doc| (doc, request.operation_name.clone()));
        let request = request
            .data(live.at_start().clone())
            .data(live)
            .data(Loaders::new(&self.db))
            .data(self.addr)
            .data(self.share.for_request());
        let responses = self.schema.execute_stream(request);
        let responses = if subscription {
            responses
        } else {
            // A query or a mutation answers once, within the request timeout.
            let limit = self.timeout;
            stream::once(async move {
                match tokio::time::timeout(limit, responses.into_future()).await {
                    Ok((Some(response), _)) => response,
                    Ok((None, _)) => Response::default(),
                    Err(_) => {
                        let mut error = ServerError::new("the request took too long and was stopped", None);
                        let mut ext = async_graphql::ErrorExtensionValues::default();
                        ext.set("code", code::TIMEOUT);
                        error.extensions = Some(ext);
                        Response::from_errors(vec![error])
                    }
                }
            })
            .boxed()
        };
        responses
            .map(move |mut response| {
                // The operation holds its place until its last response.
                let _running = &permit;
                finish_errors(&mut response, &id);
                if let Some((document, name)) = &requested {
                    crate::response_order::reorder(document, name.as_deref(), &mut response.data);
                }
                response
            })
            .boxed()
    }
}

impl Executor for Operations {
    async fn execute(&self, request: Request) -> Response {
        self.execute_stream(request, None).next().await.unwrap_or_default()
    }

    fn execute_stream(
        &self,
        request: Request,
        _session_data: Option<Arc<async_graphql::Data>>,
    ) -> BoxStream<'static, Response> {
        // The place is taken as the message arrives, so that operations are counted in the order
        // the client sent them.
        let Ok(permit) = self.running.clone().try_acquire_owned() else {
            return refused(server_error(AppError::bad_input(format!(
                "this connection already runs {} operations: complete one before starting another",
                self.most
            ))));
        };
        stream::once(self.clone().start(request, permit)).flatten().boxed()
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::token_of;

    #[test]
    fn the_connection_init_token_is_a_bearer_authorization_in_any_case_or_a_bare_token() {
        assert_eq!(token_of(&json!({ "Authorization": "Bearer abc" })), Some("abc"));
        assert_eq!(token_of(&json!({ "authorization": "bearer abc " })), Some("abc"));
        assert_eq!(token_of(&json!({ "token": " abc " })), Some("abc"));
        assert_eq!(token_of(&json!({ "Authorization": "Basic abc", "token": "abc" })), None);
        assert_eq!(token_of(&json!("Bearer abc")), None);
    }
}
