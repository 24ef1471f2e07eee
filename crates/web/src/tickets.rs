//! The ticket pages: the list (`GET /tickets`), reporting a problem (`GET /tickets/new`,
//! `POST /tickets`), one ticket with its edit form, transition button, thread and activity
//! (`GET /tickets/{id}`), and the POSTs that change a ticket. Every POST answers with a
//! redirect back (POST/redirect/GET) carrying a short notice in the query string, or re-renders
//! the page with the error next to the field and the typed text kept.

use api::{ClientError, CreateTicketRequest, Problem, TicketListQuery, UpdateTicketRequest};
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use domain::{Category, CategorySource, Status, Ticket};
use serde::{Deserialize, Serialize};

use crate::AppState;
use crate::error::{TICKET_SERVICE, WebError};
use crate::page::{HtmlTemplate, Layout, Section, WebForm, WebQuery, non_blank};
use crate::session::Session;
use crate::view::{
    Badge, Choice, EventView, MessageView, TicketFacts, TicketRow, category_badge, category_choices, percent,
    status_choices,
};

/// Tickets per list page.
const PAGE_SIZE: u32 = 25;

/// Most characters of a list search text (`q`), as the ticket service accepts (`docs/api.md`,
/// `GET /tickets`); checked here first so a longer text gets an inline message.
const MAX_SEARCH_CHARS: usize = 200;

/// Browsers send textarea line breaks as CRLF; the services store LF.
fn normalise_newlines(text: &str) -> String {
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
    match err.status() {
        Some(404) => ticket_not_found(session, id),
        _ => WebError::from_client(TICKET_SERVICE, err),
    }
}

/// A refusal the person can fix in the form: a 400/409/422 problem.
fn form_problem(err: &ClientError) -> Option<&Problem> {
    match err {
        ClientError::Problem(p) if matches!(p.status, 400 | 409 | 422) => Some(p),
        _ => None,
    }
}

/// A problem's sentence, starting with a capital letter and ending with a full stop.
fn sentence(problem: &Problem) -> String {
    let text = problem.to_string();
    let mut chars = text.chars();
    let mut out: String = match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => return "The service refused this input.".to_owned(),
    };
    if !out.ends_with(['.', '!', '?']) {
        out.push('.');
    }
    out
}

// ---------------------------------------------------------------------------------------------
// The list

/// Query of `GET /tickets`; blank values mean "any".
#[derive(Debug, Default, Clone, Serialize, Deserialize)]
pub(crate) struct ListQuery {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    status: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    category: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    q: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    cursor: Option<String>,
}

/// `templates/tickets/list.html`.
#[derive(Template)]
#[template(path = "tickets/list.html")]
pub(crate) struct ListTemplate {
    pub(crate) layout: Layout,
    pub(crate) is_staff: bool,
    pub(crate) rows: Vec<TicketRow>,
    pub(crate) statuses: Vec<Choice>,
    pub(crate) categories: Vec<Choice>,
    pub(crate) q: String,
    /// Shown next to the search box (the typed text stays in it); no list is shown then.
    pub(crate) search_error: Option<String>,
    /// The ticket service refused to list as asked (a 400): shown instead of the list.
    pub(crate) list_error: Option<String>,
    pub(crate) filtered: bool,
    pub(crate) next_url: Option<String>,
    pub(crate) first_url: Option<String>,
}

fn list_url(query: &ListQuery) -> String {
    match serde_urlencoded::to_string(query) {
        Ok(qs) if !qs.is_empty() => format!("/tickets?{qs}"),
        _ => "/tickets".to_owned(),
    }
}

/// The search text of the list as typed (surrounding blanks dropped), or the inline message
/// when it is longer than the ticket service accepts.
fn check_search(q: Option<&str>) -> Result<Option<String>, String> {
    match non_blank(q) {
        Some(q) if q.chars().count() > MAX_SEARCH_CHARS => {
            Err(format!("Search text can be at most {MAX_SEARCH_CHARS} characters."))
        }
        other => Ok(other.map(str::to_owned)),
    }
}

/// `GET /tickets`: campus users see the open and active tickets; staff see all of them with
/// status / category filters, a text search and paging by cursor. A search text over 200
/// characters re-renders the page with a message next to the search box (422); a request the
/// ticket service refuses (400, e.g. a cursor from elsewhere) shows its sentence in place of
/// the list (400). Errors: the error page when the ticket service cannot be reached.
pub(crate) async fn list_tickets(
    State(state): State<AppState>,
    session: Session,
    WebQuery(query): WebQuery<ListQuery>,
) -> Result<Response, WebError> {
    let is_staff = session.is_staff();
    let (status, category) = if is_staff {
        let status = non_blank(query.status.as_deref())
            .map(|s| s.parse::<Status>())
            .transpose()
            .map_err(|e| WebError::BadRequest(format!("The status filter is not valid: {e}.")))?;
        let category = non_blank(query.category.as_deref())
            .map(|s| s.parse::<Category>())
            .transpose()
            .map_err(|e| WebError::BadRequest(format!("The category filter is not valid: {e}.")))?;
        (status, category)
    } else {
        (None, None)
    };
    let (q, search_error) = match is_staff.then(|| check_search(query.q.as_deref())) {
        None | Some(Ok(None)) => (None, None),
        Some(Ok(Some(q))) => (Some(q), None),
        Some(Err(message)) => (None, Some(message)),
    };
    let cursor = non_blank(query.cursor.as_deref()).map(str::to_owned);
    let mut page = ListTemplate {
        layout: session.layout(Section::Tickets).live_list(),
        is_staff,
        rows: Vec::new(),
        statuses: status_choices(status),
        categories: category_choices(category, true),
        q: q.clone().unwrap_or_default(),
        search_error,
        list_error: None,
        filtered: status.is_some() || category.is_some() || q.is_some(),
        next_url: None,
        first_url: None,
    };
    if page.search_error.is_some() {
        // Keep what was typed, exactly, so it can be shortened.
        page.q = query.q.clone().unwrap_or_default();
        return Ok(HtmlTemplate::with_status(page, StatusCode::UNPROCESSABLE_ENTITY).into_response());
    }
    let request =
        TicketListQuery { status, category, q: q.clone(), limit: Some(PAGE_SIZE), cursor: cursor.clone() };
    let answer = match state.tickets.list_tickets(&session.actor(), &request).await {
        Ok(answer) => answer,
        Err(ClientError::Problem(problem)) if problem.status == 400 => {
            page.list_error = Some(sentence(&problem));
            return Ok(HtmlTemplate::with_status(page, StatusCode::BAD_REQUEST).into_response());
        }
        Err(err) => return Err(WebError::from_client(TICKET_SERVICE, err)),
    };

    let first = ListQuery {
        status: status.map(|s| s.as_str().to_owned()),
        category: category.map(|c| c.as_str().to_owned()),
        q,
        cursor: None,
    };
    page.next_url = answer.next_cursor.map(|c| list_url(&ListQuery { cursor: Some(c), ..first.clone() }));
    page.first_url = cursor.map(|_| list_url(&first));
    page.rows = answer.items.iter().map(|t| TicketRow::new(t, &state.tz)).collect();
    Ok(HtmlTemplate::new(page).into_response())
}

// ---------------------------------------------------------------------------------------------
// Reporting a problem

/// `templates/tickets/new.html`.
#[derive(Template)]
#[template(path = "tickets/new.html")]
pub(crate) struct NewTemplate {
    pub(crate) layout: Layout,
    pub(crate) title: String,
    pub(crate) description: String,
    pub(crate) title_error: Option<String>,
    pub(crate) description_error: Option<String>,
    pub(crate) form_error: Option<String>,
}

/// Body of `POST /tickets`.
#[derive(Debug, Deserialize)]
pub(crate) struct NewTicketForm {
    #[serde(default)]
    title: String,
    #[serde(default)]
    description: String,
}

/// `GET /tickets/new`: the empty form.
pub(crate) async fn new_ticket(session: Session) -> HtmlTemplate<NewTemplate> {
    HtmlTemplate::new(NewTemplate {
        layout: session.layout(Section::NewTicket),
        title: String::new(),
        description: String::new(),
        title_error: None,
        description_error: None,
        form_error: None,
    })
}

/// The new-ticket form again, with the service's refusal next to the field it names.
pub(crate) fn new_form_with_problem(layout: Layout, form: &NewTicketForm, problem: &Problem) -> NewTemplate {
    let message = sentence(problem);
    let (mut title_error, mut description_error, mut form_error) = (None, None, None);
    match problem.field.as_deref() {
        Some("title") => title_error = Some(message),
        Some("description") => description_error = Some(message),
        _ => form_error = Some(message),
    }
    NewTemplate {
        layout,
        title: form.title.clone(),
        description: form.description.clone(),
        title_error,
        description_error,
        form_error,
    }
}

/// `POST /tickets`: reports the ticket and shows it with the category it got
/// (`/tickets/{id}?created=1`); a refused title or description re-renders the form (422).
pub(crate) async fn create_ticket(
    State(state): State<AppState>,
    session: Session,
    WebForm(form): WebForm<NewTicketForm>,
) -> Result<Response, WebError> {
    let request =
        CreateTicketRequest { title: form.title.clone(), description: normalise_newlines(&form.description) };
    match state.tickets.create_ticket(&session.actor(), &request).await {
        Ok(ticket) => Ok(Redirect::to(&format!("/tickets/{}?created=1", ticket.id)).into_response()),
        Err(err) => match form_problem(&err) {
            Some(problem) => {
                let template = new_form_with_problem(session.layout(Section::NewTicket), &form, problem);
                Ok(HtmlTemplate::with_status(template, StatusCode::UNPROCESSABLE_ENTITY).into_response())
            }
            None => Err(WebError::from_client(TICKET_SERVICE, err)),
        },
    }
}

// ---------------------------------------------------------------------------------------------
// One ticket

/// The notice after reporting: the category the ticket got and why.
#[derive(Debug, Clone)]
pub(crate) struct CreatedNotice {
    pub(crate) category: Badge,
    pub(crate) confidence: String,
    pub(crate) please_check: bool,
    /// The words that decided the category, strongest first; `None` when the classifier could
    /// not be asked.
    pub(crate) terms: Option<Vec<String>>,
}

/// What decided a ticket's category, shown to staff next to it: the classifier's deciding
/// words for an automatic category, else a note ("Set by staff.").
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct CategoryWhy {
    /// The words, strongest first (possibly none); `None` when there are none to show.
    pub(crate) terms: Option<Vec<String>>,
    /// Shown when `terms` is `None`.
    pub(crate) note: &'static str,
}

/// The edit form's content.
#[derive(Debug, Clone, Default)]
pub(crate) struct EditState {
    pub(crate) title: String,
    pub(crate) description: String,
    pub(crate) version: i64,
    pub(crate) title_error: Option<String>,
    pub(crate) description_error: Option<String>,
    pub(crate) category_error: Option<String>,
    pub(crate) form_error: Option<String>,
    /// Set after a 409: someone else changed the ticket meanwhile.
    pub(crate) conflict: bool,
}

/// The message form's content.
#[derive(Debug, Clone, Default)]
pub(crate) struct MessageState {
    pub(crate) body: String,
    pub(crate) error: Option<String>,
}

/// The one move a staff member may make next.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Transition {
    pub(crate) to: &'static str,
    pub(crate) label: &'static str,
    pub(crate) hint: &'static str,
}

/// `templates/tickets/show.html`.
#[derive(Template)]
#[template(path = "tickets/show.html")]
pub(crate) struct ShowTemplate {
    pub(crate) layout: Layout,
    pub(crate) is_staff: bool,
    pub(crate) flash: Option<String>,
    pub(crate) created: Option<CreatedNotice>,
    pub(crate) facts: TicketFacts,
    /// Staff only: what decided the category.
    pub(crate) why: Option<CategoryWhy>,
    pub(crate) edit: EditState,
    pub(crate) categories: Vec<Choice>,
    pub(crate) transition: Option<Transition>,
    pub(crate) thread: Vec<MessageView>,
    pub(crate) message: MessageState,
    /// `None` for campus users; `Some(None)` when the event log could not be loaded.
    pub(crate) activity: Option<Option<Vec<EventView>>>,
}

/// Query of `GET /tickets/{id}`: which notice to show after a POST.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct ShowQuery {
    created: Option<String>,
    saved: Option<String>,
    confirmed: Option<String>,
    unchanged: Option<String>,
    posted: Option<String>,
    moved: Option<String>,
    stale: Option<String>,
}

impl ShowQuery {
    fn flash(&self) -> Option<String> {
        if self.saved.is_some() {
            Some("Your changes are saved.".to_owned())
        } else if self.confirmed.is_some() {
            Some("Category confirmed.".to_owned())
        } else if self.unchanged.is_some() {
            Some("Nothing was different, so nothing needed saving.".to_owned())
        } else if self.posted.is_some() {
            Some("Your message is posted.".to_owned())
        } else if let Some(to) = &self.moved {
            Some(match to.as_str() {
                "active" => "Work has started: the ticket is now active.".to_owned(),
                "closed" => "The ticket is closed.".to_owned(),
                _ => "The status is changed.".to_owned(),
            })
        } else if self.stale.is_some() {
            Some(
                "The ticket had already moved on, so that did not apply. This is its current state."
                    .to_owned(),
            )
        } else {
            None
        }
    }
}

fn transition_for(status: Status) -> Option<Transition> {
    match status.next()? {
        Status::Active => Some(Transition {
            to: "active",
            label: "Start work",
            hint: "Marks the ticket active: the helpdesk is on it.",
        }),
        Status::Closed => Some(Transition {
            to: "closed",
            label: "Close ticket",
            hint: "Marks the ticket resolved. Campus users no longer see it.",
        }),
        Status::Open => None,
    }
}

/// Page-specific parts of a ticket page: notices and the forms' content.
#[derive(Debug, Default)]
struct ShowParts {
    flash: Option<String>,
    created: bool,
    edit: Option<EditState>,
    message: Option<MessageState>,
}

/// Loads the ticket, its thread and (staff) its activity, and builds the page.
async fn ticket_page(
    state: &AppState,
    session: &Session,
    id: i64,
    parts: ShowParts,
) -> Result<ShowTemplate, WebError> {
    let actor = session.actor();
    let (ticket, messages) =
        tokio::join!(state.tickets.get_ticket(&actor, id), state.tickets.list_messages(&actor, id));
    let ticket = ticket.map_err(|e| ticket_error(session, id, e))?;
    let messages = messages.map_err(|e| ticket_error(session, id, e))?;
    let activity = if session.is_staff() {
        match state.tickets.list_events(&actor, id).await {
            Ok(events) => Some(Some(events.iter().rev().map(|e| EventView::new(e, &state.tz)).collect())),
            Err(err) => {
                tracing::warn!(error = %err, ticket = id, "the activity of a ticket could not be loaded");
                Some(None)
            }
        }
    } else {
        None
    };
    let auto = ticket.category_source == CategorySource::Auto;
    let explain = parts.created || (session.is_staff() && auto);
    let terms = if explain { deciding_words(state, &ticket).await } else { None };
    let created = parts.created.then(|| created_notice(&ticket, terms.clone()));
    let why = session.is_staff().then(|| category_why(&ticket, terms));
    let mut page = build_show(state, session, &ticket, &messages, activity, created, parts);
    page.why = why;
    Ok(page)
}

/// The words the classifier weighs most for the ticket's text (title, newline, description),
/// strongest first; `None` when the ticket service could not be asked.
async fn deciding_words(state: &AppState, ticket: &Ticket) -> Option<Vec<String>> {
    let text = domain::classifier_input(&ticket.title, &ticket.description);
    match state.tickets.classify(&text).await {
        Ok(classification) => Some(classification.terms),
        Err(err) => {
            tracing::warn!(error = %err, "the classifier could not explain a category");
            None
        }
    }
}

/// Why the ticket has its category, for the staff's facts list.
fn category_why(ticket: &Ticket, terms: Option<Vec<String>>) -> CategoryWhy {
    match ticket.category_source {
        CategorySource::Auto => match terms {
            Some(terms) => CategoryWhy { terms: Some(terms), note: "" },
            None => CategoryWhy { terms: None, note: "The explanation is not available right now." },
        },
        CategorySource::Staff => CategoryWhy { terms: None, note: "Set by staff." },
        CategorySource::Import => CategoryWhy { terms: None, note: "Taken from the imported file." },
    }
}

fn created_notice(ticket: &Ticket, terms: Option<Vec<String>>) -> CreatedNotice {
    CreatedNotice {
        category: category_badge(ticket.category),
        confidence: percent(ticket.category_confidence),
        please_check: crate::view::needs_check(ticket),
        terms,
    }
}

fn build_show(
    state: &AppState,
    session: &Session,
    ticket: &Ticket,
    messages: &[domain::Message],
    activity: Option<Option<Vec<EventView>>>,
    created: Option<CreatedNotice>,
    parts: ShowParts,
) -> ShowTemplate {
    let is_staff = session.is_staff();
    let edit = parts.edit.unwrap_or_else(|| EditState {
        title: ticket.title.clone(),
        description: ticket.description.clone(),
        version: ticket.version,
        ..EditState::default()
    });
    ShowTemplate {
        layout: session.layout(Section::Tickets).live_ticket(ticket.id),
        is_staff,
        flash: parts.flash,
        created,
        facts: TicketFacts::new(ticket, &state.tz),
        why: None,
        edit,
        categories: category_choices(Some(ticket.category), false),
        transition: if is_staff { transition_for(ticket.status) } else { None },
        thread: messages.iter().map(|m| MessageView::new(m, &state.tz)).collect(),
        message: parts.message.unwrap_or_default(),
        activity,
    }
}

/// `GET /tickets/{id}`: the ticket page. A campus user asking for a closed ticket gets the
/// friendly "not found or closed" page.
pub(crate) async fn show_ticket(
    State(state): State<AppState>,
    session: Session,
    Path(raw_id): Path<String>,
    WebQuery(query): WebQuery<ShowQuery>,
) -> Result<HtmlTemplate<ShowTemplate>, WebError> {
    let id = parse_id(&raw_id)?;
    let parts = ShowParts { flash: query.flash(), created: query.created.is_some(), ..ShowParts::default() };
    Ok(HtmlTemplate::new(ticket_page(&state, &session, id, parts).await?))
}

/// Body of `POST /tickets/{id}` (the edit form).
#[derive(Debug, Deserialize)]
pub(crate) struct EditForm {
    #[serde(default)]
    title: String,
    #[serde(default)]
    description: String,
    version: i64,
    /// Staff only; ignored for campus users.
    #[serde(default)]
    category: Option<String>,
}

/// What saving the edit form asks the ticket service for.
#[derive(Debug, Clone)]
struct EditPlan {
    /// The PATCH: only what differs from the ticket as it is, plus a confirmed category.
    request: UpdateTicketRequest,
    /// True when the save only confirms the category the ticket has (see [`edit_request`]).
    confirms: bool,
}

/// The edit as a PATCH of only what differs from `current`; `None` when nothing does.
///
/// One exception: staff who save the form with nothing changed but the category select left
/// on (or set back to) the category the ticket already has, while that category was set
/// automatically or imported, CONFIRM it: the category is sent anyway, and the ticket service
/// records it as set by staff (confidence 1.0), which clears the "please check" mark. When the
/// title or description changed too, the category is not sent: the select merely showed it.
fn edit_request(session: &Session, form: &EditForm, current: &Ticket) -> Result<Option<EditPlan>, WebError> {
    let title = form.title.trim();
    let description = normalise_newlines(form.description.trim());
    let chosen = if session.is_staff() {
        non_blank(form.category.as_deref())
            .map(|c| c.parse::<Category>())
            .transpose()
            .map_err(|e| WebError::BadRequest(format!("The category is not valid: {e}.")))?
    } else {
        None
    };
    let mut request = UpdateTicketRequest {
        title: (title != current.title).then(|| form.title.clone()),
        description: (description != current.description).then_some(description),
        category: chosen.filter(|c| *c != current.category),
        version: form.version,
    };
    let texts_changed = request.title.is_some() || request.description.is_some();
    let confirms = !texts_changed
        && request.category.is_none()
        && chosen == Some(current.category)
        && current.category_source != CategorySource::Staff;
    if confirms {
        request.category = chosen;
    }
    let changed = texts_changed || request.category.is_some();
    Ok(changed.then_some(EditPlan { request, confirms }))
}

/// `POST /tickets/{id}`: saves the edit. A stale version (409) re-renders the page saying
/// someone else changed the ticket, with the typed text kept and the current version in the
/// form; a refused field re-renders with the message next to it.
pub(crate) async fn update_ticket(
    State(state): State<AppState>,
    session: Session,
    Path(raw_id): Path<String>,
    WebForm(form): WebForm<EditForm>,
) -> Result<Response, WebError> {
    let id = parse_id(&raw_id)?;
    let actor = session.actor();
    let current = state.tickets.get_ticket(&actor, id).await.map_err(|e| ticket_error(&session, id, e))?;
    let Some(plan) = edit_request(&session, &form, &current)? else {
        return Ok(Redirect::to(&format!("/tickets/{id}?unchanged=1")).into_response());
    };
    let err = match state.tickets.update_ticket(&actor, id, &plan.request).await {
        Ok(_) => {
            let notice = if plan.confirms { "confirmed" } else { "saved" };
            return Ok(Redirect::to(&format!("/tickets/{id}?{notice}=1")).into_response());
        }
        Err(err) => err,
    };
    let Some(problem) = form_problem(&err) else {
        return Err(ticket_error(&session, id, err));
    };
    let mut edit = EditState {
        title: form.title.clone(),
        description: form.description.clone(),
        version: form.version,
        ..EditState::default()
    };
    let status = if problem.status == 409 {
        edit.conflict = true;
        // Saving again now replaces the other change on purpose: the person has seen it.
        let fresh = state.tickets.get_ticket(&actor, id).await.map_err(|e| ticket_error(&session, id, e))?;
        edit.version = fresh.version;
        StatusCode::CONFLICT
    } else {
        let message = sentence(problem);
        match problem.field.as_deref() {
            Some("title") => edit.title_error = Some(message),
            Some("description") => edit.description_error = Some(message),
            Some("category") => edit.category_error = Some(message),
            _ => edit.form_error = Some(message),
        }
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let parts = ShowParts { edit: Some(edit), ..ShowParts::default() };
    let page = ticket_page(&state, &session, id, parts).await?;
    Ok(HtmlTemplate::with_status(page, status).into_response())
}

/// Body of `POST /tickets/{id}/status`.
#[derive(Debug, Deserialize)]
pub(crate) struct StatusForm {
    #[serde(default)]
    to: String,
}

/// `POST /tickets/{id}/status`: staff start work on (`to=active`) or close (`to=closed`) a
/// ticket. Campus users get the 403 page; a move that no longer applies (409) shows the ticket
/// as it is now.
pub(crate) async fn change_status(
    State(state): State<AppState>,
    session: Session,
    Path(raw_id): Path<String>,
    WebForm(form): WebForm<StatusForm>,
) -> Result<Response, WebError> {
    let id = parse_id(&raw_id)?;
    if !session.is_staff() {
        return Err(WebError::Forbidden(
            "Only helpdesk staff can start work on a ticket or close it. You are here as a campus user."
                .to_owned(),
        ));
    }
    let to = form
        .to
        .parse::<Status>()
        .map_err(|e| WebError::BadRequest(format!("That status change is not possible: {e}.")))?;
    match state.tickets.set_status(&session.actor(), id, to).await {
        Ok(ticket) => Ok(Redirect::to(&format!("/tickets/{id}?moved={}", ticket.status)).into_response()),
        Err(err) if err.status() == Some(409) => {
            Ok(Redirect::to(&format!("/tickets/{id}?stale=1")).into_response())
        }
        Err(err) => Err(ticket_error(&session, id, err)),
    }
}

/// Body of `POST /tickets/{id}/messages`.
#[derive(Debug, Deserialize)]
pub(crate) struct MessageForm {
    #[serde(default)]
    body: String,
}

/// `POST /tickets/{id}/messages`: posts to the thread; a refused message re-renders the page
/// with the error next to the box and the text kept (422).
pub(crate) async fn post_message(
    State(state): State<AppState>,
    session: Session,
    Path(raw_id): Path<String>,
    WebForm(form): WebForm<MessageForm>,
) -> Result<Response, WebError> {
    let id = parse_id(&raw_id)?;
    let body = normalise_newlines(&form.body);
    match state.tickets.post_message(&session.actor(), id, &body).await {
        Ok(_) => Ok(Redirect::to(&format!("/tickets/{id}?posted=1#thread")).into_response()),
        Err(err) => match form_problem(&err) {
            Some(problem) => {
                let message = MessageState { body: form.body.clone(), error: Some(sentence(problem)) };
                let parts = ShowParts { message: Some(message), ..ShowParts::default() };
                let page = ticket_page(&state, &session, id, parts).await?;
                Ok(HtmlTemplate::with_status(page, StatusCode::UNPROCESSABLE_ENTITY).into_response())
            }
            None => Err(ticket_error(&session, id, err)),
        },
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::Config;
    use domain::{AuthorName, Message, Role};
    use jiff::tz::TimeZone;

    fn state() -> AppState {
        AppState::new(&Config {
            tickets_url: "http://127.0.0.1:9".into(),
            analytics_url: "http://127.0.0.1:9".into(),
            time_zone: TimeZone::get("Europe/Berlin").unwrap(),
        })
    }

    fn ticket(title: &str) -> Ticket {
        Ticket {
            id: 7,
            title: title.into(),
            description: "First line\nsecond <b>line</b>".into(),
            category: Category::Facility,
            category_source: CategorySource::Auto,
            category_confidence: 0.42,
            status: Status::Open,
            opened_at: "2026-11-21T09:14:03Z".parse().unwrap(),
            updated_at: "2026-11-21T09:20:00Z".parse().unwrap(),
            closed_at: None,
            version: 3,
            message_count: 1,
        }
    }

    fn staff() -> Session {
        Session { role: Role::Staff, name: Some(AuthorName::parse("Ana").unwrap()) }
    }

    #[test]
    fn ticket_page_escapes_markup_and_shows_campus_time() {
        let ticket = ticket("<script>alert(1)</script>");
        let messages = vec![Message {
            id: 1,
            ticket_id: 7,
            author_role: Role::User,
            author_name: Some("<i>Bo</i>".into()),
            body: "Still broken.\nFloor 3.".into(),
            created_at: "2026-11-21T10:00:00Z".parse().unwrap(),
        }];
        let page = build_show(
            &state(),
            &staff(),
            &ticket,
            &messages,
            Some(Some(vec![])),
            None,
            ShowParts::default(),
        );
        let html = page.render().unwrap();
        assert!(!html.contains("<script>alert"), "title must be escaped");
        assert!(
            html.contains("&#60;script&#62;alert(1)&#60;/script&#62;") || html.contains("&lt;script&gt;")
        );
        assert!(!html.contains("<b>line</b>") && !html.contains("<i>Bo</i>"));
        assert!(html.contains("21 Nov 2026, 10:14"), "opened time in Europe/Berlin");
        assert!(html.contains("please check"), "low-confidence automatic category is flagged for staff");
        assert!(html.contains("Start work"));
        assert!(!html.contains("Close ticket"));
        assert!(html.contains("name=\"version\" value=\"3\""));
    }

    #[test]
    fn a_ticket_page_carries_the_closed_notice_for_the_live_script() {
        let user = Session { role: Role::User, name: None };
        let html = build_show(&state(), &user, &ticket("Lift stuck"), &[], None, None, ShowParts::default())
            .render()
            .unwrap();
        let region =
            html.find("<div id=\"live-notice\" class=\"live-notice\" role=\"alert\"></div>").unwrap();
        let template = &html[html.find("<template id=\"live-gone\">").unwrap()..];
        assert!(region < html.find("id=\"ticket-facts\"").unwrap(), "the notice shows above the ticket");
        let template = &template[..template.find("</template>").unwrap()];
        assert!(
            template.contains("This ticket was closed or removed; it is no longer visible to campus users.")
        );
        assert!(template.contains("<a href=\"/tickets\">Back to the ticket list</a>"));
        assert!(
            !html.contains("<script>") && !html.contains(" style="),
            "no inline script or style: the CSP holds"
        );
        assert_eq!(html.matches("data-ticket-form").count(), 2, "the edit and message forms, no status form");
    }

    #[test]
    fn the_edit_title_states_its_limit_and_counts_when_scripted() {
        let html =
            build_show(&state(), &staff(), &ticket("Lift stuck"), &[], None, None, ShowParts::default())
                .render()
                .unwrap();
        let limit = domain::Title::MAX_CHARS;
        assert!(html.contains(&format!("id=\"edit-title-hint\">Up to {limit} characters.</p>")));
        assert!(html.contains(&format!("data-max-chars=\"{limit}\"")));
        assert!(html.contains("maxlength=\"500\""), "the browser never cuts a title short");
        assert!(html.contains("<script src=\"/static/count.js\" defer></script>"));
    }

    #[test]
    fn searches_longer_than_the_service_takes_get_a_message() {
        assert_eq!(check_search(Some("  wifi  ")), Ok(Some("wifi".to_owned())));
        assert_eq!(check_search(Some("   ")), Ok(None));
        assert_eq!(check_search(Some(&"é".repeat(200))), Ok(Some("é".repeat(200))));
        assert_eq!(
            check_search(Some(&"é".repeat(201))),
            Err("Search text can be at most 200 characters.".to_owned())
        );
    }

    #[test]
    fn ticket_list_escapes_titles() {
        let tz = TimeZone::get("Europe/Berlin").unwrap();
        let page = ListTemplate {
            layout: staff().layout(Section::Tickets),
            is_staff: false,
            rows: vec![TicketRow::new(&ticket("<script>x()</script>"), &tz)],
            statuses: status_choices(None),
            categories: category_choices(None, true),
            q: "\"><script>".into(),
            search_error: None,
            list_error: None,
            filtered: false,
            next_url: None,
            first_url: None,
        };
        let html = page.render().unwrap();
        assert!(!html.contains("<script>x()"));
        assert!(html.contains("Facility management"));
        assert!(html.contains("21 Nov 2026, 10:14"));
    }

    #[test]
    fn refused_new_ticket_keeps_the_typed_text_and_names_the_field() {
        let form = NewTicketForm { title: "Heating off".into(), description: "   ".into() };
        let problem =
            Problem::new(422, "Invalid input", "description must not be empty").with_field("description");
        let page = new_form_with_problem(staff().layout(Section::NewTicket), &form, &problem);
        assert_eq!(page.description_error.as_deref(), Some("Description must not be empty."));
        let html = page.render().unwrap();
        assert!(html.contains("value=\"Heating off\""));
        assert!(html.contains("id=\"description-error\""));
        assert!(html.contains("aria-invalid=\"true\" aria-describedby=\"description-error\""));
    }

    #[test]
    fn conflict_rerender_keeps_the_typed_text() {
        let ticket = ticket("Lift stuck");
        let edit = EditState {
            title: "Lift stuck again".into(),
            description: "My own words".into(),
            version: 4,
            conflict: true,
            ..EditState::default()
        };
        let parts = ShowParts { edit: Some(edit), ..ShowParts::default() };
        let html = build_show(&state(), &staff(), &ticket, &[], None, None, parts).render().unwrap();
        assert!(html.contains("Someone else changed this ticket"));
        assert!(html.contains("value=\"Lift stuck again\""));
        assert!(html.contains("My own words</textarea>"));
        assert!(html.contains("name=\"version\" value=\"4\""));
    }

    #[test]
    fn edits_send_only_what_changed() {
        let current = ticket("Lift stuck");
        let form = EditForm {
            title: " Lift stuck ".into(),
            description: "First line\r\nsecond <b>line</b>".into(),
            version: 3,
            category: Some("facility".into()),
        };
        let plan = edit_request(&staff(), &form, &current).unwrap().unwrap();
        assert!(plan.confirms, "the same automatic category, saved alone, is a confirmation");
        assert_eq!(plan.request.category, Some(Category::Facility));
        let form = EditForm { category: Some("it".into()), ..form };
        let plan = edit_request(&staff(), &form, &current).unwrap().unwrap();
        assert!(!plan.confirms);
        let request = plan.request;
        assert_eq!(request.category, Some(Category::It));
        assert_eq!((request.title, request.description, request.version), (None, None, 3));
        let user = Session { role: Role::User, name: None };
        assert!(edit_request(&user, &form, &current).unwrap().is_none(), "users cannot change the category");
    }

    #[test]
    fn staff_confirm_an_automatic_category_only_when_saving_it_alone() {
        let current = ticket("Lift stuck");
        let same = EditForm {
            title: "Lift stuck".into(),
            description: "First line\nsecond <b>line</b>".into(),
            version: 3,
            category: Some("facility".into()),
        };
        // A campus user saving nothing changed: nothing to send.
        let user = Session { role: Role::User, name: None };
        assert!(edit_request(&user, &same, &current).unwrap().is_none());
        // An imported category can be confirmed too.
        let imported = Ticket { category_source: CategorySource::Import, ..current.clone() };
        assert!(edit_request(&staff(), &same, &imported).unwrap().unwrap().confirms);
        // A category staff already set: nothing to confirm, nothing to save.
        let by_staff = Ticket { category_source: CategorySource::Staff, ..current.clone() };
        assert!(edit_request(&staff(), &same, &by_staff).unwrap().is_none());
        // A title edit does not silently confirm the category the select merely showed.
        let retitled = EditForm { title: "Lift stuck on floor 3".into(), ..same };
        let plan = edit_request(&staff(), &retitled, &current).unwrap().unwrap();
        assert!(!plan.confirms);
        assert_eq!(plan.request.category, None);
        assert!(plan.request.title.is_some());
    }

    #[test]
    fn confirming_says_so_in_the_flash() {
        let query = ShowQuery { confirmed: Some("1".into()), ..ShowQuery::default() };
        assert_eq!(query.flash().as_deref(), Some("Category confirmed."));
    }
}
