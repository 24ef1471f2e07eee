//! Importing tickets from a CSV file, for staff: `GET /imports/new` (the upload form),
//! `POST /imports` (hands the file to the ticket service as an import job) and
//! `GET /imports/{id}` (the job's progress, refreshing itself until it ends).
//!
//! The page works without JavaScript: while the job runs, the job page asks the browser to
//! reload it every second (`<meta http-equiv="refresh">`) and shows rows checked and tickets
//! written as a progress bar. The form carries a fresh idempotency key, so sending it twice
//! (a double click, a reload after a lost answer) starts one job, not two.

use api::{ImportJobState, ImportJobView};
use askama::Template;
use axum::body::Bytes;
use axum::extract::{Multipart, Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use serving::ClientAddr;

use crate::AppState;
use crate::error::{TICKET_SERVICE, WebError};
use crate::language::current;
use crate::page::{HtmlTemplate, Layout, Section};
use crate::session::Session;
use crate::tickets::{form_problem, refusal_status, sentence};
use crate::view::When;

/// How often the job page reloads itself while the job runs, in seconds.
const REFRESH_SECONDS: u32 = 1;

/// `templates/imports/new.html`.
#[derive(Template)]
#[template(path = "imports/new.html")]
pub(crate) struct ImportFormTemplate {
    layout: Layout,
    /// The idempotency key this form sends (32 hex digits), fresh for every form shown.
    key: String,
    /// Why the last file was refused, if it was.
    error: Option<String>,
    /// The largest file the ticket service takes, in MiB.
    limit: usize,
}

/// `templates/imports/show.html`.
#[derive(Template)]
#[template(path = "imports/show.html")]
pub(crate) struct ImportJobTemplate {
    layout: Layout,
    job: ImportJobView,
    /// The state in words, e.g. "Checking rows", in the page's language.
    state: String,
    /// Progress from 0 to 1,000 (per mille), for the `<progress>` bar.
    permille: i64,
    /// When the job was accepted, in the campus time zone.
    created: When,
    /// Reload the page after this many seconds; `None` once the job has ended.
    refresh: Option<u32>,
    /// The failure's sentence when the job failed.
    failure: Option<String>,
    /// Up to the first 20 imported ticket ids, to link them.
    first_ids: Vec<i64>,
}

fn require_staff(session: &Session) -> Result<(), WebError> {
    if session.is_staff() { Ok(()) } else { Err(WebError::Forbidden(current().t("import-staff-only"))) }
}

fn form(session: &Session, error: Option<String>) -> ImportFormTemplate {
    ImportFormTemplate {
        layout: session.layout(Section::Imports),
        key: crate::csrf::new_token(),
        error,
        limit: limit_mib(),
    }
}

/// The largest CSV file the ticket service takes, in MiB ([`api::IMPORT_FILE_LIMIT`]).
fn limit_mib() -> usize {
    api::IMPORT_FILE_LIMIT / (1024 * 1024)
}

/// `GET /imports/new`: the upload form (staff only).
pub(crate) async fn new_import(session: Session) -> Result<HtmlTemplate<ImportFormTemplate>, WebError> {
    require_staff(&session)?;
    Ok(HtmlTemplate::new(form(&session, None)))
}

/// `POST /imports` (multipart: `file`, `key`): starts an import job and sends the browser to
/// its page (303). A missing or empty file, or one the ticket service refuses at once (too
/// large, a key reused with another file, over the rate limit), brings the form back with the
/// sentence; problems inside the file (a bad row) are reported on the job page.
pub(crate) async fn start_import(
    State(state): State<AppState>,
    session: Session,
    client: ClientAddr,
    mut multipart: Multipart,
) -> Result<Response, WebError> {
    require_staff(&session)?;
    let refused = |message: String, status| HtmlTemplate::with_status(form(&session, Some(message)), status);
    let mut file: Option<Bytes> = None;
    let mut key: Option<String> = None;
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => break,
            Err(err) => {
                return Ok(refused(
                    current().t_with("import-upload-unreadable", &[("reason", err.body_text().into())]),
                    err.status(),
                )
                .into_response());
            }
        };
        match field.name() {
            Some("file") => match field.bytes().await {
                Ok(bytes) => file = Some(bytes),
                Err(err) => {
                    return Ok(refused(
                        current().t_with("import-file-unreadable", &[("reason", err.body_text().into())]),
                        err.status(),
                    )
                    .into_response());
                }
            },
            Some("key") => key = field.text().await.ok().filter(|k| !k.trim().is_empty()),
            _ => {}
        }
    }
    let Some(file) = file.filter(|f| !f.is_empty()) else {
        return Ok(refused(current().t("import-no-file"), axum::http::StatusCode::UNPROCESSABLE_ENTITY)
            .into_response());
    };
    let tickets = state.tickets.on_behalf_of(client.0);
    match tickets.start_import(&session.actor(), file, key.as_deref()).await {
        Ok(job) => Ok(Redirect::to(&format!("/imports/{}", job.id)).into_response()),
        Err(err) => match form_problem(&err) {
            Some(problem) => Ok(refused(
                current().t_with("import-choose-again", &[("reason", sentence(problem).into())]),
                refusal_status(problem),
            )
            .into_response()),
            None => Err(WebError::from_client(TICKET_SERVICE, err)),
        },
    }
}

/// `GET /imports/{id}`: the job's state and progress; reloads itself every second until the
/// job is done or failed. Errors: 404 for no such job.
pub(crate) async fn show_import(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<i64>,
) -> Result<Response, WebError> {
    require_staff(&session)?;
    let job = state
        .tickets
        .import_job(&session.actor(), id)
        .await
        .map_err(|err| WebError::from_client(TICKET_SERVICE, err))?;
    let page = ImportJobTemplate {
        layout: session.layout(Section::Imports),
        state: state_label(job.state),
        permille: permille(&job),
        created: When::new(job.created_at, &state.tz),
        refresh: (!job.state.is_final()).then_some(REFRESH_SECONDS),
        failure: job.problem.as_ref().map(sentence),
        first_ids: job.outcome.as_ref().map(|o| o.ids.iter().copied().take(20).collect()).unwrap_or_default(),
        job,
    };
    Ok(HtmlTemplate::new(page).into_response())
}

/// The job's state as the page says it, in the request's language.
fn state_label(state: ImportJobState) -> String {
    current().t(match state {
        ImportJobState::Queued => "import-state-queued",
        ImportJobState::Validating => "import-state-validating",
        ImportJobState::Writing => "import-state-writing",
        ImportJobState::Done => "import-state-done",
        ImportJobState::Failed => "import-state-failed",
    })
}

/// Progress in per mille: checking the rows is the first 90 %, the one write the last 10 %
/// (the write is one transaction, so it has no steps to report); 1,000 once done.
fn permille(job: &ImportJobView) -> i64 {
    match job.state {
        ImportJobState::Done => 1000,
        ImportJobState::Writing => 900,
        _ => match job.total {
            Some(total) if total > 0 => (job.checked.min(total) * 900) / total,
            _ => 0,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn job(state: ImportJobState, total: Option<i64>, checked: i64) -> ImportJobView {
        ImportJobView {
            id: 1,
            url: "/api/v1/imports/1".to_owned(),
            state,
            total,
            checked,
            written: 0,
            outcome: None,
            problem: None,
            error_row: None,
            idempotency_key: None,
            sha256: "0".repeat(64),
            bytes: 10,
            created_at: jiff::Timestamp::UNIX_EPOCH,
            updated_at: jiff::Timestamp::UNIX_EPOCH,
        }
    }

    #[test]
    fn progress_runs_through_checking_then_writing_to_the_end() {
        assert_eq!(permille(&job(ImportJobState::Queued, None, 0)), 0);
        assert_eq!(permille(&job(ImportJobState::Validating, Some(0), 0)), 0);
        assert_eq!(permille(&job(ImportJobState::Validating, Some(200), 100)), 450);
        assert_eq!(permille(&job(ImportJobState::Validating, Some(200), 900)), 900);
        assert_eq!(permille(&job(ImportJobState::Writing, Some(200), 200)), 900);
        assert_eq!(permille(&job(ImportJobState::Done, Some(200), 200)), 1000);
    }
}
