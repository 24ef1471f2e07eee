//! Request extractors whose rejections are [`AppError`]s, so every refusal is a problem+json
//! body: the caller's declared role and name ([`Actor`]), JSON bodies ([`AppJson`]), query
//! strings ([`ApiQuery`]) and ticket ids in the path ([`TicketId`]).

use api::{NAME_HEADER, ROLE_HEADER};
use axum::extract::rejection::JsonRejection;
use axum::extract::{FromRequest, FromRequestParts, Path, Request};
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use domain::{AuthorName, Role};
use percent_encoding::percent_decode_str;
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::AppError;

/// The caller as declared by the headers `X-Campusdesk-Role` (`user` or `staff`, any case;
/// missing means `user`) and `X-Campusdesk-Name` (optional, percent-encoded UTF-8, at most 60
/// characters once decoded). There is no login, by requirement: the role is declared.
///
/// Rejection: 400 problem for an unknown role or an unreadable or invalid name.
#[derive(Debug, Clone)]
pub struct Actor(pub domain::Actor);

impl<S: Send + Sync> FromRequestParts<S> for Actor {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let role = match parts.headers.get(ROLE_HEADER) {
            None => Role::User,
            Some(value) => value.to_str().ok().and_then(|v| v.parse::<Role>().ok()).ok_or_else(|| {
                AppError::BadRequest(format!(
                    "the X-Campusdesk-Role header must be \"user\" or \"staff\"; got {:?}",
                    String::from_utf8_lossy(value.as_bytes())
                ))
            })?,
        };
        let name = match parts.headers.get(NAME_HEADER) {
            None => None,
            Some(value) => {
                let decoded =
                    value.to_str().ok().and_then(|v| percent_decode_str(v).decode_utf8().ok()).ok_or_else(
                        || {
                            AppError::BadRequest(
                                "the X-Campusdesk-Name header must be percent-encoded UTF-8 text".into(),
                            )
                        },
                    )?;
                AuthorName::parse_optional(Some(&decoded)).map_err(|e| {
                    AppError::BadRequest(format!("the X-Campusdesk-Name header is invalid: {e}"))
                })?
            }
        };
        Ok(Actor(domain::Actor { role, name }))
    }
}

/// A JSON request body of type `T` (and a JSON response body when returned).
///
/// Rejections: 415 when the content type is not `application/json`, 400 for malformed JSON,
/// 422 (with serde's message) for a body of the wrong shape or with unknown fields, 413 when
/// the body is over [`crate::JSON_BODY_LIMIT`].
#[derive(Debug, Clone, Copy, Default)]
pub struct AppJson<T>(pub T);

impl<T, S> FromRequest<S> for AppJson<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        match axum::Json::<T>::from_request(req, state).await {
            Ok(axum::Json(value)) => Ok(AppJson(value)),
            Err(rejection) => Err(AppError::from(rejection)),
        }
    }
}

impl<T: Serialize> IntoResponse for AppJson<T> {
    fn into_response(self) -> Response {
        axum::Json(self.0).into_response()
    }
}

/// The innermost message of an error (serde's own words, without axum's prefix).
fn inner_message(err: &(dyn std::error::Error + 'static)) -> String {
    let mut current = err;
    while let Some(source) = current.source() {
        current = source;
    }
    current.to_string()
}

impl From<JsonRejection> for AppError {
    fn from(rejection: JsonRejection) -> Self {
        match rejection {
            JsonRejection::JsonDataError(e) => AppError::Validation {
                field: None,
                message: format!("the request body does not have the expected fields: {}", inner_message(&e)),
            },
            JsonRejection::JsonSyntaxError(e) => {
                AppError::BadRequest(format!("the request body is not valid JSON: {}", inner_message(&e)))
            }
            JsonRejection::MissingJsonContentType(_) => AppError::UnsupportedMediaType(
                "send the request body as JSON with the header Content-Type: application/json".into(),
            ),
            JsonRejection::BytesRejection(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                AppError::PayloadTooLarge(format!(
                    "the request body is larger than the {} KiB this endpoint accepts",
                    crate::JSON_BODY_LIMIT / 1024
                ))
            }
            other => {
                AppError::BadRequest(format!("the request body could not be read: {}", other.body_text()))
            }
        }
    }
}

/// A query string read into `T` by [`api::parse_query`]; the query types refuse parameters
/// they do not name, and [`api::NoQuery`] is the query of an endpoint that takes none.
///
/// Rejection: 400 problem whose `field` names the parameter at fault ([`AppError::BadQuery`]).
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct ApiQuery<T>(pub(crate) T);

impl<T, S> FromRequestParts<S> for ApiQuery<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        Ok(ApiQuery(api::parse_query(parts.uri.query().unwrap_or_default())?))
    }
}

/// The `{id}` of a ticket path. Rejection: 400 problem when it is not a whole number.
#[derive(Debug, Clone, Copy)]
pub(crate) struct TicketId(pub(crate) i64);

impl<S: Send + Sync> FromRequestParts<S> for TicketId {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        path_id(parts, state, "ticket").await.map(TicketId)
    }
}

/// The `{id}` of an attachment path. Rejection: 400 problem when it is not a whole number.
#[derive(Debug, Clone, Copy)]
pub(crate) struct AttachmentId(pub(crate) i64);

impl<S: Send + Sync> FromRequestParts<S> for AttachmentId {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        path_id(parts, state, "attachment").await.map(AttachmentId)
    }
}

/// The path's one `{id}`, a whole number; the refusal names `what` it identifies.
async fn path_id<S: Send + Sync>(parts: &mut Parts, state: &S, what: &str) -> Result<i64, AppError> {
    let Path(raw) = Path::<String>::from_request_parts(parts, state)
        .await
        .map_err(|e| AppError::BadRequest(format!("the {what} id is missing: {}", e.body_text())))?;
    raw.parse::<i64>().map_err(|_| {
        AppError::BadRequest(format!("{what} ids are whole numbers such as 42; {raw:?} is not one"))
    })
}
