//! E-mail updates: whether they are on (`GET /email-updates`) and the reporter's unsubscribe
//! (`POST /unsubscribe/{token}`). The address itself is given with the report
//! (`POST /tickets`, `reporter_email`) and shown to staff in the ticket view.

use api::{EmailUpdates, NoQuery, Problem, Unsubscribed};
use axum::Json;
use axum::extract::{FromRequestParts, Path, State};

use crate::extract::ApiQuery;
use crate::{AppError, AppState};

/// Longest unsubscribe token looked up, in characters (they are 32 hex digits).
const MAX_TOKEN_CHARS: usize = 128;

/// `GET /email-updates`: whether e-mail updates are on (an SMTP server is configured) and how
/// the outbox stands. Anyone may ask: the report form shows or hides its e-mail field by it.
#[utoipa::path(
    get,
    path = "/email-updates",
    tag = "email",
    responses(
        (status = 200, description = "whether reporters can get e-mail updates, and the unsent e-mails", body = EmailUpdates),
        (status = 400, description = "a query parameter is given (this endpoint takes none)", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn email_updates(
    State(state): State<AppState>,
    _: ApiQuery<NoQuery>,
) -> Result<Json<EmailUpdates>, AppError> {
    let status = state.store().outbox_status().await?;
    Ok(Json(EmailUpdates {
        available: state.mail().is_some(),
        unsent: status.unsent,
        failing: status.failing,
    }))
}

/// `POST /unsubscribe/{token}`: the reporter holding the token (from the link in each e-mail)
/// gets no more e-mails about the ticket; unsent ones are dropped. Unsubscribing twice answers
/// the same. 404 for a token no subscription has. No role is needed: the token is the
/// permission.
#[utoipa::path(
    post,
    path = "/unsubscribe/{token}",
    tag = "email",
    params(("token" = String, Path, description = "The unsubscribe token from the e-mail's link.")),
    responses(
        (status = 200, description = "e-mails about the ticket stopped", body = Unsubscribed),
        (status = 400, description = "a query parameter is given (this endpoint takes none), or the token is not readable text", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "no subscription has this token", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn unsubscribe(
    State(state): State<AppState>,
    UnsubscribeToken(token): UnsubscribeToken,
    _: ApiQuery<NoQuery>,
) -> Result<Json<Unsubscribed>, AppError> {
    let unknown = || AppError::NotFound("this unsubscribe link is not known; it may be mistyped".into());
    if token.chars().count() > MAX_TOKEN_CHARS {
        return Err(unknown());
    }
    match state.store().unsubscribe(&token, state.now()).await? {
        Some(ticket_id) => Ok(Json(Unsubscribed { ticket_id })),
        None => Err(unknown()),
    }
}

/// The `{token}` of an unsubscribe path. Rejection: 400 problem when it is not UTF-8 text.
pub(crate) struct UnsubscribeToken(String);

impl<S: Send + Sync> FromRequestParts<S> for UnsubscribeToken {
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        state: &S,
    ) -> Result<Self, Self::Rejection> {
        let Path(token) = Path::<String>::from_request_parts(parts, state).await.map_err(|e| {
            AppError::BadRequest(format!("the unsubscribe token is unreadable: {}", e.body_text()))
        })?;
        Ok(UnsubscribeToken(token))
    }
}
