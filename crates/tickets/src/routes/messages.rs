//! A ticket's message thread: `GET` and `POST /api/v1/tickets/{id}/messages`.

use api::{NewMessageRequest, NoQuery};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use domain::{Message, MessageBody};

use super::tickets::visible_ticket;
use crate::extract::{ApiQuery, TicketId};
use crate::{Actor, AppError, AppJson, AppState};

/// The thread, oldest first. 404 for a missing ticket, or a closed one when the caller is a user.
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
