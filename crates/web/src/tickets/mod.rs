//! The ticket pages: the list (`GET /tickets`), reporting a problem (`GET /tickets/new`,
//! `POST /tickets`), one ticket with its edit form, transition button, thread and activity
//! (`GET /tickets/{id}`), and the POSTs that change a ticket. Every POST answers with a
//! redirect back (POST/redirect/GET) carrying a short notice in the query string, or re-renders
//! the page with the error next to the field and the typed text kept.

use api::{ClientError, CreateTicketRequest, Problem, TicketListQuery, TicketView, UpdateTicketRequest};
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use domain::{Category, CategorySource, Description, MessageBody, Status, TextError, Ticket, Title};
use serde::{Deserialize, Serialize};

use crate::AppState;
use crate::error::{Failure, TICKET_SERVICE, WebError, read_failure};
use crate::extract::{WebForm, WebQuery, WebUpload, non_blank};
use crate::page::{HtmlTemplate, Layout, Section};
use crate::session::Session;
use crate::view::{
    Badge, Choice, EventView, MessageView, TicketFacts, TicketRow, category_badge, category_choices, percent,
    status_choices,
};

mod actions;
mod export;
mod list;
mod new;
mod show;
#[cfg(test)]
mod tests;

pub(crate) use actions::{change_status, confirm_category, post_message, undo_close, update_ticket};
pub(crate) use export::export_tickets;
pub(crate) use list::list_tickets;
pub(crate) use new::{create_ticket, new_ticket};
pub(crate) use show::show_ticket;

/// Tickets per list page.
const PAGE_SIZE: u32 = 25;

/// Most characters of a list search text (`q`), as the ticket service accepts (`docs/api.md`,
/// `GET /tickets`); checked here first so a longer text gets an inline message.
const MAX_SEARCH_CHARS: usize = 200;

/// Browsers send textarea line breaks as CRLF; the services store LF.
pub(crate) fn normalise_newlines(text: &str) -> String {
    text.replace("\r\n", "\n")
}

/// A ticket id from the path: a positive number, else "not found".
fn parse_id(raw: &str) -> Result<i64, WebError> {
    raw.parse::<i64>().ok().filter(|id| *id > 0).ok_or_else(|| {
        WebError::NotFound(format!(
            "There is no ticket called \u{201c}{raw}\u{201d}; ticket numbers are whole numbers."
        ))
    })
}

/// The friendly 404 of a ticket a role may not see (users never see closed tickets).
fn ticket_not_found(session: &Session, id: i64) -> WebError {
    if session.is_staff() {
        WebError::NotFound(format!("There is no ticket #{id}."))
    } else {
        WebError::NotFound(format!(
            "Ticket #{id} was not found, or it is closed. Closed tickets are visible to helpdesk staff only."
        ))
    }
}

/// Maps a ticket-service error on a ticket page: 404 becomes the friendly "not found or
/// closed" page.
fn ticket_error(session: &Session, id: i64, err: ClientError) -> WebError {
    match read_failure(&err) {
        Failure::NotFound(_) => ticket_not_found(session, id),
        _ => WebError::from_client(TICKET_SERVICE, err),
    }
}

/// A text the ticket service would refuse (the domain's rules: not blank, at most
/// `MAX_CHARS`, no control characters), as the problem it would answer, naming the field, with
/// the sentence in the page's language ([`crate::catalogue::Lang::text_error`], the same one
/// `static/forms.js` shows before sending); found here first so the form comes back at once
/// with the text kept, whatever its size.
fn text_problem(err: TextError) -> Problem {
    let sentence = crate::language::current().text_error(&err);
    Problem::new(StatusCode::UNPROCESSABLE_ENTITY, "Invalid input", sentence).with_field(err.field())
}

/// The title and description of a new ticket or an edit, both checked as the ticket service
/// will: one problem per refused field (none when both are fine), so the form shows every
/// error at once.
fn ticket_text_problems(title: &str, description: &str) -> Vec<Problem> {
    [Title::parse(title).err(), Description::parse(description).err()]
        .into_iter()
        .flatten()
        .map(text_problem)
        .collect()
}

/// One error of a form for its summary at the top: the id of the field it is about (the
/// summary links to it) and the sentence shown next to that field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct FieldError<'a> {
    pub(crate) field_id: &'static str,
    pub(crate) message: &'a str,
}

/// The summary items of a form's errors, in the fields' order, skipping fields without one.
fn field_errors<'a>(fields: &[(&'static str, &'a Option<String>)]) -> Vec<FieldError<'a>> {
    fields
        .iter()
        .filter_map(|(field_id, error)| error.as_deref().map(|message| FieldError { field_id, message }))
        .collect()
}

/// A message body, checked as the ticket service will.
pub(crate) fn check_message_text(body: &str) -> Result<(), Problem> {
    MessageBody::parse(body).map(drop).map_err(text_problem)
}

/// The status of a form shown again after a refusal: the service's 413 (too large) and 429
/// (too many requests) as they are, any other refusal 422.
pub(crate) fn refusal_status(problem: &Problem) -> StatusCode {
    match problem.status {
        StatusCode::PAYLOAD_TOO_LARGE | StatusCode::TOO_MANY_REQUESTS => problem.status,
        _ => StatusCode::UNPROCESSABLE_ENTITY,
    }
}

/// A refusal the person can fix in the form ([`Failure::Refused`]).
pub(crate) fn form_problem(err: &ClientError) -> Option<&Problem> {
    match read_failure(err) {
        Failure::Refused(problem) => Some(problem),
        _ => None,
    }
}

/// A problem's sentence, starting with a capital letter and ending with a full stop.
pub(crate) fn sentence(problem: &Problem) -> String {
    let text = problem.to_string();
    let mut chars = text.chars();
    let mut out: String = match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => return "The service refused this input.".to_owned(),
    };
    if !out.ends_with(['.', '!', '?']) {
        out.push('.');
    }
    if problem.status == StatusCode::TOO_MANY_REQUESTS {
        out.push_str(" Your text is kept: wait a moment, then send it again.");
    }
    out
}

/// The limits of the file inputs, in words: "up to 5 files, 10 MiB each".
fn files_hint(state: &AppState) -> String {
    let limits = state.attachments;
    let mib = limits.max_bytes as f64 / (1024.0 * 1024.0);
    let each =
        if mib >= 1.0 && mib.fract() == 0.0 { format!("{mib:.0} MiB") } else { format!("{mib:.1} MiB") };
    crate::language::current()
        .t_with("files-hint", &[("count", limits.max_files.into()), ("each", each.into())])
}

/// `sentence` of a refused form that carried files, reminding to choose them again: a browser
/// does not keep chosen files when a form comes back.
fn with_files_reminder(mut sentence: String, files_sent: bool) -> String {
    if files_sent {
        sentence.push(' ');
        sentence.push_str(&crate::language::current().t("files-choose-again"));
    }
    sentence
}
