//! Subscriptions over WebSocket (graphql-transport-ws) at `/graphql/ws`.

use actix_web::{HttpRequest, HttpResponse, web};

use super::{AppState, bearer};
use crate::loader::Loaders;

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

/// `GET /graphql/ws`: the connection authenticates once, in its `connection_init` payload;
/// each subscription then checks the actor's role.
pub async fn subscriptions(
    req: HttpRequest,
    payload: web::Payload,
    state: web::Data<AppState>,
) -> actix_web::Result<HttpResponse> {
    let db = state.db.clone();
    async_graphql_actix_web::GraphQLSubscription::new(state.ws_schema.clone())
        .on_connection_init(move |init| async move {
            let actor = bearer::actor(&db, token_of(&init)).await;
            let mut data = async_graphql::Data::default();
            data.insert(actor);
            data.insert(Loaders::new(&db));
            Ok(data)
        })
        .start(&req, payload)
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
