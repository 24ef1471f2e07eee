//! [`WebError`]: every way a page can fail, and the friendly error page (`templates/error.html`)
//! it renders as. No stack trace and no blank page ever reaches the browser; causes of 5xx
//! answers are logged instead.

use api::ClientError;
use askama::Template;
use axum::extract::rejection::{FormRejection, QueryRejection};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};

use crate::page::{HtmlTemplate, Layout, Section};

/// Why a page could not be shown.
#[derive(Debug, thiserror::Error)]
pub(crate) enum WebError {
    /// No role was chosen yet: the visitor is sent to the entry page.
    #[error("no role has been chosen yet")]
    NoSession,
    /// 404 with a sentence saying what was not found.
    #[error("{0}")]
    NotFound(String),
    /// 403 with a sentence saying who may do it.
    #[error("{0}")]
    Forbidden(String),
    /// 400: the request itself is malformed (not a form field the person can fix inline).
    #[error("{0}")]
    BadRequest(String),
    /// 502: a service could not be reached or answered nonsense.
    #[error("the {service} could not be reached")]
    Unavailable {
        /// "ticket service" or "analytics service".
        service: &'static str,
        /// What the client saw.
        #[source]
        source: ClientError,
    },
    /// 500: anything else; the cause is logged, the page stays generic.
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

/// Which service a client error came from, for the 502 sentence.
pub(crate) const TICKET_SERVICE: &str = "ticket service";
pub(crate) const ANALYTICS_SERVICE: &str = "analytics service";

impl WebError {
    /// Maps a failed service call: 404/403/400-ish problems keep the service's sentence, a
    /// connection failure is 502, anything else 500.
    pub(crate) fn from_client(service: &'static str, err: ClientError) -> Self {
        match &err {
            ClientError::Problem(problem) => match problem.status {
                404 => WebError::NotFound(problem.detail.clone()),
                403 => WebError::Forbidden(problem.detail.clone()),
                400 | 409 | 422 => WebError::BadRequest(problem.to_string()),
                _ => WebError::Unavailable { service, source: err },
            },
            ClientError::Http(_) => WebError::Unavailable { service, source: err },
            ClientError::Unexpected { status, .. } if *status >= 500 => {
                WebError::Unavailable { service, source: err }
            }
            ClientError::Unexpected { .. } => {
                WebError::Internal(anyhow::Error::new(err).context(format!("calling the {service}")))
            }
        }
    }

    fn status(&self) -> StatusCode {
        match self {
            WebError::NoSession => StatusCode::SEE_OTHER,
            WebError::NotFound(_) => StatusCode::NOT_FOUND,
            WebError::Forbidden(_) => StatusCode::FORBIDDEN,
            WebError::BadRequest(_) => StatusCode::BAD_REQUEST,
            WebError::Unavailable { .. } => StatusCode::BAD_GATEWAY,
            WebError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}

impl From<FormRejection> for WebError {
    fn from(rejection: FormRejection) -> Self {
        WebError::BadRequest(format!("The form could not be read: {}.", rejection.body_text()))
    }
}

impl From<QueryRejection> for WebError {
    fn from(rejection: QueryRejection) -> Self {
        WebError::BadRequest(format!("The address could not be read: {}.", rejection.body_text()))
    }
}

/// `templates/error.html`.
#[derive(Template)]
#[template(path = "error.html")]
pub(crate) struct ErrorTemplate {
    pub(crate) layout: Layout,
    pub(crate) status: u16,
    pub(crate) heading: &'static str,
    pub(crate) sentence: String,
}

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        let status = self.status();
        let (heading, sentence) = match &self {
            WebError::NoSession => return Redirect::to("/").into_response(),
            WebError::NotFound(s) => ("Not found", s.clone()),
            WebError::Forbidden(s) => ("Not for this role", s.clone()),
            WebError::BadRequest(s) => ("That request did not work", s.clone()),
            WebError::Unavailable { service, source } => {
                tracing::warn!(error = %source, service, "a service could not be reached");
                (
                    "Service unavailable",
                    format!(
                        "The {service} cannot be reached right now, so this page cannot be shown. \
                         Please try again in a minute."
                    ),
                )
            }
            WebError::Internal(err) => {
                tracing::error!(error = format!("{err:#}"), "a page failed");
                (
                    "Something went wrong",
                    "This page could not be shown because of an error on our side. Please try again; \
                     if it keeps happening, tell the helpdesk."
                        .to_owned(),
                )
            }
        };
        let template = ErrorTemplate {
            layout: Layout::anonymous(Section::Other),
            status: status.as_u16(),
            heading,
            sentence,
        };
        HtmlTemplate::with_status(template, status).into_response()
    }
}

/// Fallback for unknown paths: the friendly 404 page.
pub(crate) async fn page_not_found() -> WebError {
    WebError::NotFound(
        "There is no page at this address. It may have moved, or the link may be mistyped.".to_owned(),
    )
}

/// Fallback for a known path with the wrong method (e.g. `GET /session`).
pub(crate) async fn method_not_allowed() -> Response {
    let template = ErrorTemplate {
        layout: Layout::anonymous(Section::Other),
        status: 405,
        heading: "Not available this way",
        sentence: "This address cannot be used like that. Please start again from the ticket list."
            .to_owned(),
    };
    HtmlTemplate::with_status(template, StatusCode::METHOD_NOT_ALLOWED).into_response()
}
