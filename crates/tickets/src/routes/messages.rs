//! A ticket's message thread: `GET` and `POST /api/v1/tickets/{id}/messages`.

use api::{NewMessageRequest, NoQuery, Problem, RoleHeaders};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use domain::{Message, MessageBody};

use super::tickets::visible_ticket;
use crate::extract::{ApiQuery, TicketId};
use crate::{Actor, AppError, AppJson, AppState};

/// The thread, oldest first. 404 for a missing ticket, or a closed one when the caller is a user.
#[utoipa::path(
    get,
    path = "/tickets/{id}/messages",
    tag = "messages",
    params(("id" = i64, Path, description = "The ticket id, a whole number."), RoleHeaders),
    responses(
        (status = 200, description = "the thread, oldest first", body = Vec<Message>),
        (status = 400, description = "the role headers are invalid, a query parameter is given (this endpoint takes none), or the ticket id is not a whole number", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "no such ticket, or a closed ticket asked for by a campus user", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn list_messages(
    State(state): State<AppState>,
    _: ApiQuery<NoQuery>,
    Actor(actor): Actor,
    TicketId(id): TicketId,
) -> Result<Json<Vec<Message>>, AppError> {
    visible_ticket(&state, &actor, id).await?;
    Ok(Json(state.store().list_messages(id).await?))
}

/// Posts a message as the declared role and name. 201 + the message; 422 (field `body`) for
/// an empty or too long body; 404 as for [`list_messages`].
#[utoipa::path(
    post,
    path = "/tickets/{id}/messages",
    tag = "messages",
    params(("id" = i64, Path, description = "The ticket id, a whole number."), RoleHeaders),
    request_body = NewMessageRequest,
    responses(
        (status = 201, description = "the message as stored", body = Message),
        (status = 400, description = "the role headers are invalid, a query parameter is given (this endpoint takes none), the ticket id is not a whole number, or the body is not valid JSON", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "no such ticket, or a closed ticket asked for by a campus user", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "the JSON body is larger than 64 KiB", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "the body is not sent as Content-Type: application/json", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "the body is missing, empty, too long or has other fields (field body)", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "too many requests of this kind from this client; wait as long as Retry-After says", body = Problem, content_type = "application/problem+json", headers(("Retry-After" = u32, description = "Seconds to wait before trying again."))),
    )
)]
pub(crate) async fn post_message(
    State(state): State<AppState>,
    _: ApiQuery<NoQuery>,
    Actor(actor): Actor,
    TicketId(id): TicketId,
    AppJson(request): AppJson<NewMessageRequest>,
) -> Result<(StatusCode, Json<Message>), AppError> {
    let body = MessageBody::parse(&request.body).map_err(|e| AppError::invalid_text("body", &e))?;
    visible_ticket(&state, &actor, id).await?;
    let message = state.store().add_message(id, body, &actor, state.now()).await?;
    Ok((StatusCode::CREATED, Json(message)))
}
