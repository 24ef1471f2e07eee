//! One ticket's page, `GET /tickets/{id}`: facts, edit form, transition button, thread and
//! activity.

use super::*;

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
    pub(super) created: Option<String>,
    pub(super) saved: Option<String>,
    pub(super) confirmed: Option<String>,
    pub(super) unchanged: Option<String>,
    pub(super) posted: Option<String>,
    pub(super) moved: Option<String>,
    pub(super) stale: Option<String>,
}

impl ShowQuery {
    pub(super) fn flash(&self) -> Option<String> {
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

pub(super) fn transition_for(status: Status) -> Option<Transition> {
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
pub(super) struct ShowParts {
    pub(super) flash: Option<String>,
    pub(super) created: bool,
    pub(super) edit: Option<EditState>,
    pub(super) message: Option<MessageState>,
}

/// Loads the ticket, its thread and (staff) its activity, and builds the page.
pub(super) async fn ticket_page(
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
pub(super) async fn deciding_words(state: &AppState, ticket: &Ticket) -> Option<Vec<String>> {
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
pub(super) fn category_why(ticket: &Ticket, terms: Option<Vec<String>>) -> CategoryWhy {
    match ticket.category_source {
        CategorySource::Auto => match terms {
            Some(terms) => CategoryWhy { terms: Some(terms), note: "" },
            None => CategoryWhy { terms: None, note: "The explanation is not available right now." },
        },
        CategorySource::Staff => CategoryWhy { terms: None, note: "Set by staff." },
        CategorySource::Import => CategoryWhy { terms: None, note: "Taken from the imported file." },
    }
}

pub(super) fn created_notice(ticket: &Ticket, terms: Option<Vec<String>>) -> CreatedNotice {
    CreatedNotice {
        category: category_badge(ticket.category),
        confidence: percent(ticket.category_confidence),
        please_check: crate::view::needs_check(ticket),
        terms,
    }
}

pub(super) fn build_show(
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
