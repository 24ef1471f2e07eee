//! Reporting a problem: `GET /tickets/new` and `POST /tickets`.

use super::*;
use axum_extra::extract::CookieJar;
use serving::ClientAddr;

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
    /// The reporter's e-mail address as typed.
    pub(crate) email: String,
    pub(crate) email_error: Option<String>,
    /// Whether the ticket service sends e-mail updates (else the form says they are not
    /// available and has no address field).
    pub(crate) email_updates: bool,
}

/// Body of `POST /tickets`.
#[derive(Debug, Deserialize)]
pub(crate) struct NewTicketForm {
    #[serde(default)]
    pub(super) title: String,
    #[serde(default)]
    pub(super) description: String,
    /// The reporter's e-mail address for updates; blank: none.
    #[serde(default)]
    pub(super) email: String,
}

/// Whether the ticket service sends e-mail updates; `false` when it cannot be asked (the form
/// still works without the address).
async fn email_updates(state: &AppState) -> bool {
    match state.tickets.email_updates().await {
        Ok(updates) => updates.available,
        Err(err) => {
            tracing::warn!(error = %err, "cannot ask the ticket service whether e-mail updates are on");
            false
        }
    }
}

/// `GET /tickets/new`: the empty form; with the e-mail field when e-mail updates are on.
pub(crate) async fn new_ticket(State(state): State<AppState>, session: Session) -> HtmlTemplate<NewTemplate> {
    HtmlTemplate::new(NewTemplate {
        layout: session.layout(Section::NewTicket),
        title: String::new(),
        description: String::new(),
        title_error: None,
        description_error: None,
        form_error: None,
        email: String::new(),
        email_error: None,
        email_updates: email_updates(&state).await,
    })
}

/// The new-ticket form again, with the service's refusal next to the field it names.
pub(crate) fn new_form_with_problem(
    layout: Layout,
    form: &NewTicketForm,
    problem: &Problem,
    email_updates: bool,
) -> NewTemplate {
    let message = sentence(problem);
    let (mut title_error, mut description_error, mut email_error, mut form_error) = (None, None, None, None);
    match problem.field.as_deref() {
        Some("title") => title_error = Some(message),
        Some("description") => description_error = Some(message),
        Some("reporter_email") => email_error = Some(message),
        _ => form_error = Some(message),
    }
    NewTemplate {
        layout,
        title: form.title.clone(),
        description: form.description.clone(),
        title_error,
        description_error,
        form_error,
        email: form.email.clone(),
        email_error,
        // A form that sent an address shows its field again, with the refusal next to it.
        email_updates: email_updates || !form.email.trim().is_empty(),
    }
}

/// `POST /tickets`: reports the ticket, remembers it in this browser (its number and private
/// token in the `campusdesk_reported` cookie, see [`crate::reporter`]) and shows it with the
/// category it got and its private link (`/tickets/{id}?created=1`); a title or description the ticket service would refuse (checked
/// here first) or did refuse (413, 422, 429) re-renders the form with the sentence and the text
/// kept.
pub(crate) async fn create_ticket(
    State(state): State<AppState>,
    session: Session,
    client: ClientAddr,
    jar: CookieJar,
    WebForm(form): WebForm<NewTicketForm>,
) -> Result<Response, WebError> {
    let email = form.email.trim();
    let request = CreateTicketRequest {
        title: form.title.clone(),
        description: normalise_newlines(&form.description),
        reporter_email: (!email.is_empty()).then(|| email.to_owned()),
    };
    let updates = email_updates(&state).await;
    let refused = |problem: &Problem| {
        let template = new_form_with_problem(session.layout(Section::NewTicket), &form, problem, updates);
        HtmlTemplate::with_status(template, refusal_status(problem)).into_response()
    };
    if let Err(problem) = check_ticket_text(&request.title, &request.description) {
        return Ok(refused(&problem));
    }
    match state.tickets.on_behalf_of(client.0).report_ticket(&session.actor(), &request).await {
        Ok(created) => {
            let id = created.ticket.id;
            let jar = crate::reporter::remember(jar, id, &created.reporter_token);
            Ok((jar, Redirect::to(&format!("/tickets/{id}?created=1"))).into_response())
        }
        Err(err) => match form_problem(&err) {
            Some(problem) => Ok(refused(problem)),
            None => Err(WebError::from_client(TICKET_SERVICE, err)),
        },
    }
}
