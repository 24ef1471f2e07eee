//! The reporter's private link (issue 11): whoever holds a ticket's token (given only in the
//! 201 answer of `POST /tickets`) reads the ticket and its thread, closed too, and replies,
//! without a login. `GET /reporter/{token}`, `POST /reporter/{token}/messages`, the ticket's
//! files (`GET /reporter/{token}/attachments/{id}` and its `/thumbnail`), and
//! `POST /reporter/lookup` (the tickets of many tokens at once: a browser's "reported from
//! this browser" list).
//!
//! A token no ticket holds, well formed or not, gets one and the same 404 sentence, so the
//! answers say nothing about which tokens exist.

use api::{
    NewMessageRequest, NoQuery, Problem, ReporterLookupRequest, ReporterTicket, ReporterView, RoleHeaders,
};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use domain::{Message, MessageBody, Role, Status, Ticket};
use store::TicketThread;

use super::attachments::serve_reporter_file;
use crate::extract::ApiQuery;
use crate::{Actor, AppError, AppJson, AppState};

/// Most tokens one `POST /reporter/lookup` takes.
pub(crate) const MAX_LOOKUP_TOKENS: usize = 100;

/// The one answer for a token no ticket holds.
fn unknown_link() -> AppError {
    AppError::NotFound("no ticket has this private link; check that the whole link was copied".to_owned())
}

/// The ticket holding `token`, or the 404 of [`unknown_link`].
async fn ticket_of(state: &AppState, token: &str) -> Result<Ticket, AppError> {
    if !domain::is_reporter_token(token) {
        return Err(unknown_link());
    }
    let found = state.store().reporter_tickets(&[token.to_owned()]).await?;
    found.into_iter().next().map(|(_, ticket)| ticket).ok_or_else(unknown_link)
}

/// `GET /reporter/{token}`: the ticket, its thread and whether the reporter may reply.
#[utoipa::path(
    get,
    path = "/reporter/{token}",
    tag = "reporter",
    params(("token" = String, Path, description = "The ticket's private reporter token (from the 201 answer of POST /tickets).")),
    responses(
        (status = 200, description = "the ticket in any status, its thread and whether a reply is possible", body = ReporterView),
        (status = 400, description = "a query parameter is given (this endpoint takes none)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "no ticket has this private link", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn reporter_view(
    State(state): State<AppState>,
    _: ApiQuery<NoQuery>,
    Path(token): Path<String>,
) -> Result<Json<ReporterView>, AppError> {
    let ticket = ticket_of(&state, &token).await?;
    let TicketThread { ticket, messages, .. } = state.store().ticket_thread(ticket.id).await?;
    let attachments = state.store().list_attachments(ticket.id).await?;
    Ok(Json(ReporterView { can_reply: ticket.status != Status::Closed, ticket, messages, attachments }))
}

/// `GET /reporter/{token}/attachments/{id}`: a file of the ticket (in any status), for the
/// holder of its private link; served as `GET /attachments/{id}` serves it.
#[utoipa::path(
    get,
    path = "/reporter/{token}/attachments/{id}",
    tag = "reporter",
    params(
        ("token" = String, Path, description = "The ticket's private reporter token."),
        ("id" = i64, Path, description = "The attachment id, a whole number."),
    ),
    responses(
        (status = 200, description = "the file's bytes: a photo inline (image/png, image/jpeg), anything else as a download (application/octet-stream, Content-Disposition: attachment); always with X-Content-Type-Options: nosniff and Content-Security-Policy: sandbox; default-src 'none'",
            content((Vec<u8> = "image/png"), (Vec<u8> = "image/jpeg"), (Vec<u8> = "application/octet-stream")),
            headers(("Content-Disposition" = String, description = "inline (photos) or attachment (other files), with the file name."))),
        (status = 400, description = "a query parameter is given (this endpoint takes none), or the id is not a whole number", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "no ticket has this private link, or the ticket has no such attachment", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn reporter_attachment(
    State(state): State<AppState>,
    _: ApiQuery<NoQuery>,
    Path((token, id)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let ticket = ticket_of(&state, &token).await?;
    serve_reporter_file(&state, ticket.id, attachment_id(&id)?, false).await
}

/// `GET /reporter/{token}/attachments/{id}/thumbnail`: a photo's thumbnail, for the holder of
/// the ticket's private link.
#[utoipa::path(
    get,
    path = "/reporter/{token}/attachments/{id}/thumbnail",
    tag = "reporter",
    params(
        ("token" = String, Path, description = "The ticket's private reporter token."),
        ("id" = i64, Path, description = "The attachment id, a whole number."),
    ),
    responses(
        (status = 200, description = "the thumbnail, inline, with X-Content-Type-Options: nosniff and Content-Security-Policy: sandbox; default-src 'none'", content((Vec<u8> = "image/jpeg"))),
        (status = 400, description = "a query parameter is given (this endpoint takes none), or the id is not a whole number", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "no ticket has this private link, the ticket has no such attachment, or it is not a photo", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn reporter_thumbnail(
    State(state): State<AppState>,
    _: ApiQuery<NoQuery>,
    Path((token, id)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let ticket = ticket_of(&state, &token).await?;
    serve_reporter_file(&state, ticket.id, attachment_id(&id)?, true).await
}

/// An attachment id from a path. Errors: 400 when it is not a whole number.
fn attachment_id(raw: &str) -> Result<i64, AppError> {
    raw.parse::<i64>().map_err(|_| {
        AppError::BadRequest(format!("attachment ids are whole numbers such as 42; {raw:?} is not one"))
    })
}

/// `POST /reporter/{token}/messages`: the reporter replies. The message is the reporter's
/// (role `user`, whatever `X-Campusdesk-Role` says), named by `X-Campusdesk-Name` when given.
#[utoipa::path(
    post,
    path = "/reporter/{token}/messages",
    tag = "reporter",
    params(("token" = String, Path, description = "The ticket's private reporter token."), RoleHeaders),
    request_body = NewMessageRequest,
    responses(
        (status = 201, description = "the message as stored", body = Message),
        (status = 400, description = "the role headers are invalid, a query parameter is given (this endpoint takes none), or the body is not valid JSON", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "no ticket has this private link", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "the ticket is closed: its thread stays readable but takes no more messages", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "the JSON body is larger than 64 KiB", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "the body is not sent as Content-Type: application/json", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "the body is missing, empty, too long or has other fields (field body)", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "too many requests of this kind from this client; wait as long as Retry-After says", body = Problem, content_type = "application/problem+json", headers(("Retry-After" = u32, description = "Seconds to wait before trying again."))),
    )
)]
pub(crate) async fn reporter_reply(
    State(state): State<AppState>,
    _: ApiQuery<NoQuery>,
    Actor(actor): Actor,
    Path(token): Path<String>,
    AppJson(request): AppJson<NewMessageRequest>,
) -> Result<(StatusCode, Json<Message>), AppError> {
    let body = MessageBody::parse(&request.body).map_err(|e| AppError::invalid_text("body", &e))?;
    let ticket = ticket_of(&state, &token).await?;
    if ticket.status == Status::Closed {
        return Err(AppError::Conflict {
            field: None,
            message: format!(
                "ticket #{} is closed, so it takes no more messages; its thread stays readable at this link",
                ticket.id
            ),
        });
    }
    let reporter = domain::Actor { role: Role::User, name: actor.name };
    let message = state.store().add_message(ticket.id, body, &reporter, state.now()).await?;
    Ok((StatusCode::CREATED, Json(message)))
}

/// `POST /reporter/lookup`: the tickets of up to 100 private tokens, in the order given, each
/// once; tokens no ticket holds are left out (so the answer says no more than each token's own
/// `GET` would).
#[utoipa::path(
    post,
    path = "/reporter/lookup",
    tag = "reporter",
    request_body = ReporterLookupRequest,
    responses(
        (status = 200, description = "the tickets found, in the order of the tokens", body = Vec<ReporterTicket>),
        (status = 400, description = "a query parameter is given (this endpoint takes none), or the body is not valid JSON", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "the JSON body is larger than 64 KiB", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "the body is not sent as Content-Type: application/json", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "the body lacks tokens, has other fields, or lists more than 100 tokens (field tokens)", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn reporter_lookup(
    State(state): State<AppState>,
    _: ApiQuery<NoQuery>,
    AppJson(request): AppJson<ReporterLookupRequest>,
) -> Result<Json<Vec<ReporterTicket>>, AppError> {
    if request.tokens.len() > MAX_LOOKUP_TOKENS {
        return Err(AppError::validation(
            "tokens",
            format!("give at most {MAX_LOOKUP_TOKENS} tokens; got {}", request.tokens.len()),
        ));
    }
    let found = state.store().reporter_tickets(&request.tokens).await?;
    Ok(Json(found.into_iter().map(|(token, ticket)| ReporterTicket { token, ticket }).collect()))
}
