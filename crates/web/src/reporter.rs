//! The reporter's side of a ticket, without a login (issue 11):
//!
//! - the private link `GET /r/{token}`: anyone holding it, on any device and in any role (or
//!   none), sees the ticket, its status, the helpdesk's replies, a reply form while it is not
//!   closed and the outcome once it is (`POST /r/{token}/messages` posts the reply);
//! - the browser's memory of what it reported: the cookie `campusdesk_reported` lists the
//!   tickets this browser reported, newest first, as `ID~TOKEN` pairs joined by `.` (characters
//!   a cookie holds without percent-encoding; at most [`REMEMBERED`] of them, about 3 KB, under the 4 KB a browser keeps per cookie;
//!   `HttpOnly`, `SameSite=Lax`, `Path=/`, kept for [`REMEMBER_DAYS`] days, the longest
//!   Chromium allows). The ticket list shows them as "Reported from this browser", and the
//!   thank-you page finds the new ticket's link there. The cookie holds no secret of the
//!   server's: a token proves itself to the ticket service, and an edited cookie can only name
//!   links its holder already has.

use crate::view::filters;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::CookieJar;
use axum_extra::extract::cookie::{Cookie, SameSite};
use domain::Status;
use serde::Deserialize;
use serving::ClientAddr;

use crate::AppState;
use crate::attachments::{AttachmentView, reporter_files};
use crate::error::{Failure, TICKET_SERVICE, WebError, read_failure};
use crate::extract::{WebForm, WebQuery};
use crate::page::{HtmlTemplate, Layout, Section};
use crate::session::Session;
use crate::tickets::{check_message_text, normalise_newlines, refusal_status, sentence};
use crate::view::{MessageView, TicketFacts, TicketRow};

/// The cookie listing the tickets this browser reported.
pub(crate) const REPORTED_COOKIE: &str = "campusdesk_reported";
/// Most tickets the cookie remembers; the oldest is forgotten first.
pub(crate) const REMEMBERED: usize = 100;
/// How long the browser keeps the cookie, in days, renewed with every report.
pub(crate) const REMEMBER_DAYS: i64 = 400;

/// One ticket this browser reported: its number and private token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Reported {
    pub(crate) id: i64,
    pub(crate) token: String,
}

/// The tickets `jar`'s cookie lists, newest first; entries that do not read are skipped.
pub(crate) fn reported(jar: &CookieJar) -> Vec<Reported> {
    let Some(cookie) = jar.get(REPORTED_COOKIE) else { return Vec::new() };
    cookie
        .value()
        .split('.')
        .filter_map(|entry| {
            let (id, token) = entry.split_once('~')?;
            let id = id.parse::<i64>().ok().filter(|id| *id > 0)?;
            domain::is_reporter_token(token).then(|| Reported { id, token: token.to_owned() })
        })
        .take(REMEMBERED)
        .collect()
}

/// `jar` with ticket `id` and its `token` first in the cookie (the oldest entry beyond
/// [`REMEMBERED`] dropped).
pub(crate) fn remember(jar: CookieJar, id: i64, token: &str) -> CookieJar {
    let mut entries = reported(&jar);
    entries.retain(|entry| entry.id != id);
    entries.insert(0, Reported { id, token: token.to_owned() });
    entries.truncate(REMEMBERED);
    let value = entries.iter().map(|e| format!("{}~{}", e.id, e.token)).collect::<Vec<_>>().join(".");
    let max_age = REMEMBER_DAYS * 24 * 60 * 60;
    let cookie = Cookie::parse(format!("{REPORTED_COOKIE}={value}; Max-Age={max_age}"))
        .unwrap_or_else(|_| Cookie::new(REPORTED_COOKIE, String::new()));
    let mut cookie = cookie.into_owned();
    cookie.set_http_only(true);
    cookie.set_same_site(SameSite::Lax);
    cookie.set_path("/");
    jar.add(cookie)
}

/// The private link of `token` as the person should keep it: absolute, on the web UI's
/// public origin (or the one this request reached), `/r/{token}`.
pub(crate) fn private_link(state: &AppState, headers: &HeaderMap, token: &str) -> String {
    format!("{}/r/{token}", state.public_origin.link_origin(headers))
}

/// The friendly 404 of a link no ticket holds.
fn unknown_link() -> WebError {
    WebError::NotFound(crate::language::current().t("reporter-unknown-link"))
}

/// A ticket of "Reported from this browser".
#[derive(Debug, Clone)]
pub(crate) struct ReportedRow {
    pub(crate) row: TicketRow,
    pub(crate) token: String,
}

/// The tickets this browser reported, newest first, as the ticket service knows them now
/// (closed ones too; links that no longer open a ticket are left out). Empty without a cookie.
pub(crate) async fn reported_rows(state: &AppState, jar: &CookieJar) -> Result<Vec<ReportedRow>, WebError> {
    let tokens: Vec<String> = reported(jar).into_iter().map(|r| r.token).collect();
    if tokens.is_empty() {
        return Ok(Vec::new());
    }
    let found =
        state.tickets.reporter_lookup(&tokens).await.map_err(|e| WebError::from_client(TICKET_SERVICE, e))?;
    Ok(found
        .into_iter()
        .map(|item| ReportedRow { row: TicketRow::new(&item.ticket, &state.tz), token: item.token })
        .collect())
}

/// `templates/reporter/show.html`.
#[derive(Template)]
#[template(path = "reporter/show.html")]
pub(crate) struct ReporterTemplate {
    pub(crate) layout: Layout,
    pub(crate) token: String,
    pub(crate) link: String,
    pub(crate) facts: TicketFacts,
    pub(crate) closed: bool,
    pub(crate) can_reply: bool,
    pub(crate) thread: Vec<MessageView>,
    /// The files that came with the report.
    pub(crate) attachments: Vec<AttachmentView>,
    pub(crate) flash: Option<String>,
    pub(crate) body: String,
    pub(crate) error: Option<String>,
}

/// Query of `GET /r/{token}`.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct ReporterQuery {
    posted: Option<String>,
}

/// Body of `POST /r/{token}/messages`.
#[derive(Debug, Deserialize)]
pub(crate) struct ReplyForm {
    #[serde(default)]
    body: String,
}

/// The page's layout: the visitor's role when one was chosen, else none (the link works
/// without one).
fn layout_for(jar: &CookieJar) -> Layout {
    match Session::from_jar(jar) {
        Some(session) => session.layout(Section::Other),
        None => Layout::anonymous(Section::Other),
    }
}

/// The reporter's page of `token`, with the reply form's content.
async fn reporter_page(
    state: &AppState,
    jar: &CookieJar,
    headers: &HeaderMap,
    token: &str,
    reply: (String, Option<String>),
) -> Result<ReporterTemplate, WebError> {
    let view = state.tickets.reporter_view(token).await.map_err(|err| match read_failure(&err) {
        Failure::NotFound(_) => unknown_link(),
        _ => WebError::from_client(TICKET_SERVICE, err),
    })?;
    let base = reporter_files(token);
    Ok(ReporterTemplate {
        layout: layout_for(jar),
        token: token.to_owned(),
        link: private_link(state, headers, token),
        facts: TicketFacts::new(&view.ticket, &state.tz),
        closed: view.ticket.status == Status::Closed,
        can_reply: view.can_reply,
        thread: MessageView::thread(&view.messages, &view.attachments, &base, &state.tz),
        attachments: AttachmentView::of(&view.attachments, None, &base),
        flash: None,
        body: reply.0,
        error: reply.1,
    })
}

/// `GET /r/{token}`: the reporter's view. An unknown link is the friendly 404 page.
pub(crate) async fn show_reporter_page(
    State(state): State<AppState>,
    jar: CookieJar,
    headers: HeaderMap,
    Path(token): Path<String>,
    WebQuery(query): WebQuery<ReporterQuery>,
) -> Result<HtmlTemplate<ReporterTemplate>, WebError> {
    let mut page = reporter_page(&state, &jar, &headers, &token, (String::new(), None)).await?;
    if query.posted.is_some() {
        page.flash = Some(crate::language::current().t("reporter-reply-posted"));
    }
    Ok(HtmlTemplate::new(page))
}

/// `POST /r/{token}/messages`: the reporter replies, under the name they gave on the entry
/// page if any. Back to the page with a notice; a reply the ticket service would refuse (or
/// did: too long, closed meanwhile, too many) comes back in the form with the sentence.
pub(crate) async fn post_reporter_reply(
    State(state): State<AppState>,
    jar: CookieJar,
    headers: HeaderMap,
    client: ClientAddr,
    Path(token): Path<String>,
    WebForm(form): WebForm<ReplyForm>,
) -> Result<Response, WebError> {
    let body = normalise_newlines(&form.body);
    let problem = match check_message_text(&body) {
        Err(problem) => problem,
        Ok(()) => {
            let actor = Session::from_jar(&jar).map(|s| s.actor()).unwrap_or_default();
            match state.tickets.on_behalf_of(client.0).reporter_reply(&actor, &token, &body).await {
                Ok(_) => return Ok(Redirect::to(&format!("/r/{token}?posted=1")).into_response()),
                Err(err) => match read_failure(&err) {
                    Failure::Refused(problem) => problem.clone(),
                    Failure::NotFound(_) => return Err(unknown_link()),
                    _ => return Err(WebError::from_client(TICKET_SERVICE, err)),
                },
            }
        }
    };
    let page = reporter_page(&state, &jar, &headers, &token, (form.body, Some(sentence(&problem)))).await?;
    let status = match problem.status {
        StatusCode::CONFLICT => StatusCode::CONFLICT,
        _ => refusal_status(&problem),
    };
    Ok(HtmlTemplate::with_status(page, status).into_response())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use axum::http::header;

    fn token(n: usize) -> String {
        format!("{n:0>22}")
    }

    fn jar_of(set_cookie: &str) -> CookieJar {
        let value = set_cookie.split(';').next().unwrap();
        let mut headers = HeaderMap::new();
        headers.insert(header::COOKIE, value.parse().unwrap());
        CookieJar::from_headers(&headers)
    }

    fn set_cookie(jar: CookieJar) -> String {
        let response = (jar, "").into_response();
        response.headers()[header::SET_COOKIE].to_str().unwrap().to_owned()
    }

    #[test]
    fn the_cookie_lists_reports_newest_first_and_forgets_the_oldest_beyond_the_cap() {
        let mut header = set_cookie(remember(CookieJar::new(), 1, &token(1)));
        assert!(header.contains("HttpOnly") && header.contains("SameSite=Lax") && header.contains("Path=/"));
        assert!(header.contains(&format!("Max-Age={}", REMEMBER_DAYS * 86_400)), "{header}");
        for id in 2..=(REMEMBERED as i64 + 5) {
            header = set_cookie(remember(jar_of(&header), id, &token(id as usize)));
        }
        let kept = reported(&jar_of(&header));
        assert_eq!(kept.len(), REMEMBERED);
        assert_eq!(kept[0], Reported { id: REMEMBERED as i64 + 5, token: token(REMEMBERED + 5) });
        assert_eq!(kept[REMEMBERED - 1].id, 6, "the five oldest are forgotten");
        assert!(header.len() < 4000, "the cookie stays under what a browser keeps: {} bytes", header.len());

        // Reporting again (the same ticket) moves it to the front instead of listing it twice.
        let again = reported(&jar_of(&set_cookie(remember(jar_of(&header), 50, &token(50)))));
        assert_eq!(again.len(), REMEMBERED);
        assert_eq!(again[0].id, 50);
        assert_eq!(again.iter().filter(|r| r.id == 50).count(), 1);
    }

    #[test]
    fn entries_that_do_not_read_are_skipped() {
        let jar = jar_of(&format!("{REPORTED_COOKIE}=x~{}.3~short.-4~{}.7~{}", token(1), token(2), token(7)));
        assert_eq!(reported(&jar), vec![Reported { id: 7, token: token(7) }]);
        assert!(reported(&CookieJar::new()).is_empty());
    }
}
