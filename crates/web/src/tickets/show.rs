//! One ticket's page, `GET /tickets/{id}`: facts, edit form, transition button, thread and
//! activity.

use axum::http::HeaderMap;
use axum_extra::extract::CookieJar;
use axum_extra::extract::cookie::{Cookie, SameSite};

use super::*;
use crate::attachments::{AttachmentView, FILES};
use crate::view::filters;

/// The notice after reporting: the category the ticket got and why.
#[derive(Debug, Clone)]
pub(crate) struct CreatedNotice {
    pub(crate) category: Badge,
    pub(crate) confidence: String,
    pub(crate) please_check: bool,
    /// The words that decided the category, strongest first (possibly none).
    pub(crate) terms: Option<Vec<String>>,
    /// The ticket's private link, when this browser reported it (see [`crate::reporter`]).
    pub(crate) private_link: Option<String>,
}

/// What decided a ticket's category, shown to staff next to it: the classifier's deciding
/// words for an automatic category, else a note ("Set by staff.").
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct CategoryWhy {
    /// The words, strongest first (possibly none); `None` when there are none to show.
    pub(crate) terms: Option<Vec<String>>,
    /// Shown when `terms` is `None`, in the request's language.
    pub(crate) note: String,
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

impl EditState {
    /// The field errors for the summary at the top of the edit form, in the fields' order.
    pub(crate) fn errors(&self) -> Vec<FieldError<'_>> {
        field_errors(&[
            ("edit-title", &self.title_error),
            ("edit-description", &self.description_error),
            ("edit-category", &self.category_error),
        ])
    }
}

/// The message form's content.
#[derive(Debug, Clone, Default)]
pub(crate) struct MessageState {
    pub(crate) body: String,
    pub(crate) error: Option<String>,
    /// A refused file, with the reminder to choose the files again.
    pub(crate) files_error: Option<String>,
}

/// The one move a staff member may make next.
#[derive(Debug, Clone)]
pub(crate) struct Transition {
    pub(crate) to: &'static str,
    pub(crate) label: String,
    pub(crate) hint: String,
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
    /// The ticket service lets this person confirm the category (staff; not set by staff).
    pub(crate) can_confirm: bool,
    pub(crate) edit: EditState,
    pub(crate) categories: Vec<Choice>,
    /// The category the edit form's select starts on: only a different choice is sent.
    pub(crate) shown_category: &'static str,
    pub(crate) transition: Option<Transition>,
    /// Staff, on a ticket closed moments ago: until when (campus time, e.g. "14:10") the
    /// ticket service lets them undo the closing.
    pub(crate) undo_until: Option<crate::view::When>,
    pub(crate) thread: Vec<MessageView>,
    pub(crate) message: MessageState,
    /// The files that came with the report.
    pub(crate) attachments: Vec<AttachmentView>,
    /// "Photos (PNG or JPEG) or PDF documents: up to ...", for the message form.
    pub(crate) files_hint: String,
    /// The activity log, newest first; `None` for campus users.
    pub(crate) activity: Option<Vec<EventView>>,
    /// Staff only: the reporter's e-mail address, when one was given.
    pub(crate) reporter: Option<api::ReporterEmail>,
}

/// Cookie of the one-time thank-you after reporting: the new ticket's id, set on the redirect
/// of `POST /tickets`, read and cleared by the first `GET /tickets/{id}` of that ticket (so a
/// reload, a shared link or a later visit shows no thank-you). It lives
/// [`CREATED_FLASH_SECONDS`] at most.
pub(crate) const CREATED_COOKIE: &str = "campusdesk_created";

/// How long, in seconds, the thank-you waits for its page (the redirect is followed at once).
const CREATED_FLASH_SECONDS: i64 = 120;

/// The thank-you cookie for ticket `id` ([`CREATED_COOKIE`]), added to `jar`.
pub(crate) fn flash_created(jar: CookieJar, id: i64) -> CookieJar {
    let mut cookie = Cookie::new(CREATED_COOKIE, id.to_string());
    cookie.set_http_only(true);
    cookie.set_same_site(SameSite::Lax);
    cookie.set_path("/");
    cookie.set_max_age(time::Duration::seconds(CREATED_FLASH_SECONDS));
    jar.add(cookie)
}

/// Whether this request carries the thank-you for ticket `id`; the jar returned clears it.
fn take_created(jar: CookieJar, id: i64) -> (bool, CookieJar) {
    let mine = jar.get(CREATED_COOKIE).is_some_and(|c| c.value().parse::<i64>().ok() == Some(id));
    if !mine {
        return (false, jar);
    }
    let mut gone = Cookie::from(CREATED_COOKIE);
    gone.set_path("/");
    (true, jar.remove(gone))
}

/// Query of `GET /tickets/{id}`: which notice to show after a POST. (The thank-you after
/// reporting is not a query flag but a one-time cookie, [`CREATED_COOKIE`].)
#[derive(Debug, Default, Deserialize)]
pub(crate) struct ShowQuery {
    pub(super) saved: Option<String>,
    pub(super) confirmed: Option<String>,
    pub(super) unchanged: Option<String>,
    pub(super) posted: Option<String>,
    pub(super) moved: Option<String>,
    pub(super) stale: Option<String>,
    pub(super) undone: Option<String>,
}

impl ShowQuery {
    pub(super) fn flash(&self) -> Option<String> {
        let key = if self.saved.is_some() {
            "flash-saved"
        } else if self.confirmed.is_some() {
            "flash-confirmed"
        } else if self.unchanged.is_some() {
            "flash-unchanged"
        } else if self.posted.is_some() {
            "flash-posted"
        } else if let Some(to) = &self.moved {
            match to.as_str() {
                "active" => "flash-moved-active",
                "closed" => "flash-moved-closed",
                _ => "flash-moved",
            }
        } else if self.undone.is_some() {
            "flash-undone"
        } else if self.stale.is_some() {
            "flash-stale"
        } else {
            return None;
        };
        Some(crate::language::current().t(key))
    }
}

/// How the page offers the move to `to` (one the ticket service allows the caller now).
pub(super) fn transition_for(to: Status) -> Option<Transition> {
    let (to, label, hint) = match to {
        Status::Active => ("active", "transition-start", "transition-start-hint"),
        Status::Closed => ("closed", "transition-close", "transition-close-hint"),
        Status::Open => return None,
    };
    let lang = crate::language::current();
    Some(Transition { to, label: lang.t(label), hint: lang.t(hint) })
}

/// Page-specific parts of a ticket page: notices and the forms' content.
#[derive(Debug, Default)]
pub(super) struct ShowParts {
    pub(super) flash: Option<String>,
    pub(super) created: bool,
    /// The private link to show with the thank-you notice.
    pub(super) private_link: Option<String>,
    pub(super) edit: Option<EditState>,
    pub(super) message: Option<MessageState>,
}

/// Loads the ticket, its thread and its activity in one call to the ticket service
/// (`GET /api/v1/tickets/{id}/view`), and builds the page.
pub(super) async fn ticket_page(
    state: &AppState,
    session: &Session,
    id: i64,
    parts: ShowParts,
) -> Result<ShowTemplate, WebError> {
    let view =
        state.tickets.ticket_view(&session.actor(), id).await.map_err(|e| ticket_error(session, id, e))?;
    Ok(build_show(state, session, &view, parts))
}

/// Why the ticket has its category, for the staff's facts list.
pub(super) fn category_why(ticket: &Ticket) -> CategoryWhy {
    match ticket.category_source {
        CategorySource::Auto => {
            CategoryWhy { terms: Some(ticket.category_terms.clone()), note: String::new() }
        }
        CategorySource::Staff => CategoryWhy { terms: None, note: crate::language::current().t("why-staff") },
        CategorySource::Import => {
            CategoryWhy { terms: None, note: crate::language::current().t("why-import") }
        }
    }
}

pub(super) fn created_notice(ticket: &Ticket) -> CreatedNotice {
    CreatedNotice {
        category: category_badge(ticket.category),
        confidence: percent(ticket.category_confidence),
        please_check: ticket.needs_check,
        terms: Some(ticket.category_terms.clone()),
        private_link: None,
    }
}

pub(super) fn build_show(
    state: &AppState,
    session: &Session,
    view: &TicketView,
    parts: ShowParts,
) -> ShowTemplate {
    let ticket = &view.ticket;
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
        created: parts
            .created
            .then(|| CreatedNotice { private_link: parts.private_link.clone(), ..created_notice(ticket) }),
        facts: TicketFacts::new(ticket, &state.tz),
        why: is_staff.then(|| category_why(ticket)),
        can_confirm: view.can_confirm_category,
        edit,
        categories: category_choices(Some(ticket.category), false),
        shown_category: ticket.category.as_str(),
        transition: view.transitions.first().copied().and_then(transition_for),
        undo_until: view.undo_close_until.map(|until| crate::view::When::new(until, &state.tz)),
        thread: MessageView::thread(&view.messages, &view.attachments, FILES, &state.tz),
        message: parts.message.unwrap_or_default(),
        attachments: AttachmentView::of(&view.attachments, None, FILES),
        files_hint: files_hint(state),
        activity: is_staff.then(|| view.events.iter().rev().map(|e| EventView::new(e, &state.tz)).collect()),
        reporter: if is_staff { view.reporter.clone() } else { None },
    }
}

/// `GET /tickets/{id}`: the ticket page; right after reporting (the one-time
/// [`CREATED_COOKIE`], cleared by this answer), with the thank-you notice and the private link
/// when this browser reported the ticket. A campus user asking for a closed ticket gets the
/// friendly "not found or closed" page.
pub(crate) async fn show_ticket(
    State(state): State<AppState>,
    session: Session,
    jar: CookieJar,
    headers: HeaderMap,
    Path(raw_id): Path<String>,
    WebQuery(query): WebQuery<ShowQuery>,
) -> Result<(CookieJar, HtmlTemplate<ShowTemplate>), WebError> {
    let id = parse_id(&raw_id)?;
    let (created, jar) = take_created(jar, id);
    let private_link = created
        .then(|| crate::reporter::reported(&jar).into_iter().find(|r| r.id == id))
        .flatten()
        .map(|mine| crate::reporter::private_link(&state, &headers, &mine.token));
    let parts = ShowParts { flash: query.flash(), created, private_link, ..ShowParts::default() };
    let page = ticket_page(&state, &session, id, parts).await?;
    Ok((jar, HtmlTemplate::new(page)))
}
