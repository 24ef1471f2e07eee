//! Stopping e-mail updates from the link in each e-mail: `GET /unsubscribe/{token}` asks for a
//! confirmation press, `POST /unsubscribe/{token}` stops them. A GET never changes anything,
//! since mail scanners fetch the links of the e-mails they check. No role is needed: the token
//! is the permission. So the POST needs no form token either (see [`crate::csrf`]): the
//! confirmation form sends one anyway, and a mail provider's one-click unsubscribe (RFC 8058:
//! a POST of `List-Unsubscribe=One-Click`, url-encoded or multipart, without cookies) is
//! answered like the press, 200 with the page, never a redirect (RFC 8058, section 3.1).

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serving::ClientAddr;

use crate::AppState;
use crate::error::{Failure, TICKET_SERVICE, WebError, read_failure};
use crate::page::{HtmlTemplate, Layout, Section};

/// `templates/unsubscribe.html`.
#[derive(Template)]
#[template(path = "unsubscribe.html")]
pub(crate) struct UnsubscribeTemplate {
    pub(crate) layout: Layout,
    /// The token, for the form's action.
    pub(crate) token: String,
    /// After the press: the ticket whose e-mails stopped.
    pub(crate) done: Option<i64>,
    /// After the press: the link was not known.
    pub(crate) unknown: bool,
}

/// The path segment of `token` (percent-encoded).
fn encoded(token: &str) -> String {
    percent_encoding::utf8_percent_encode(token, percent_encoding::NON_ALPHANUMERIC).to_string()
}

/// `GET /unsubscribe/{token}`: the confirmation page; changes nothing.
pub(crate) async fn confirm_unsubscribe(Path(token): Path<String>) -> HtmlTemplate<UnsubscribeTemplate> {
    HtmlTemplate::new(UnsubscribeTemplate {
        layout: Layout::anonymous(Section::Other),
        token: encoded(&token),
        done: None,
        unknown: false,
    })
}

/// `POST /unsubscribe/{token}`: stops the e-mails and says for which ticket; a token the ticket
/// service does not know gets the page with a sentence saying so (404).
pub(crate) async fn unsubscribe(
    State(state): State<AppState>,
    client: ClientAddr,
    Path(token): Path<String>,
) -> Result<Response, WebError> {
    let page = |done: Option<i64>, unknown: bool| UnsubscribeTemplate {
        layout: Layout::anonymous(Section::Other),
        token: encoded(&token),
        done,
        unknown,
    };
    match state.tickets.on_behalf_of(client.0).unsubscribe(&token).await {
        Ok(done) => Ok(HtmlTemplate::new(page(Some(done.ticket_id), false)).into_response()),
        Err(err) => match read_failure(&err) {
            Failure::NotFound(_) => {
                Ok(HtmlTemplate::with_status(page(None, true), StatusCode::NOT_FOUND).into_response())
            }
            _ => Err(WebError::from_client(TICKET_SERVICE, err)),
        },
    }
}
