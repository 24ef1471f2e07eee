//! Reporting a problem: `GET /tickets/new` and `POST /tickets`.

use super::*;
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
    /// A refused file, with the reminder to choose the files again.
    pub(crate) files_error: Option<String>,
    pub(crate) form_error: Option<String>,
    /// "up to 5 files, 10 MiB each", from the ticket service's limits.
    pub(crate) files_hint: String,
}

/// Body of `POST /tickets`.
#[derive(Debug, Deserialize)]
pub(crate) struct NewTicketForm {
    #[serde(default)]
    pub(super) title: String,
    #[serde(default)]
    pub(super) description: String,
}

/// `GET /tickets/new`: the empty form.
pub(crate) async fn new_ticket(State(state): State<AppState>, session: Session) -> HtmlTemplate<NewTemplate> {
    HtmlTemplate::new(NewTemplate {
        layout: session.layout(Section::NewTicket),
        title: String::new(),
        description: String::new(),
        title_error: None,
        description_error: None,
        files_error: None,
        form_error: None,
        files_hint: files_hint(&state),
    })
}

/// The new-ticket form again, with the service's refusal next to the field it names. With
/// `files_sent`, the sentence reminds that the files must be chosen again.
pub(crate) fn new_form_with_problem(
    state: &AppState,
    layout: Layout,
    form: &NewTicketForm,
    problem: &Problem,
    files_sent: bool,
) -> NewTemplate {
    let message = with_files_reminder(sentence(problem), files_sent);
    let (mut title_error, mut description_error, mut files_error, mut form_error) = (None, None, None, None);
    match problem.field.as_deref() {
        Some("title") => title_error = Some(message),
        Some("description") => description_error = Some(message),
        Some("files") => files_error = Some(message),
        _ if problem.status == StatusCode::PAYLOAD_TOO_LARGE && files_sent => files_error = Some(message),
        _ => form_error = Some(message),
    }
    NewTemplate {
        layout,
        title: form.title.clone(),
        description: form.description.clone(),
        title_error,
        description_error,
        files_error,
        form_error,
        files_hint: files_hint(state),
    }
}

/// `POST /tickets`: reports the ticket, with the files chosen (a `multipart/form-data` form; a
/// url-encoded one has none), and shows it with the category it got
/// (`/tickets/{id}?created=1`); a title or description the ticket service would refuse (checked
/// here first) or did refuse, or a refused file (413, 422, 429), re-renders the form with the
/// sentence and the text kept.
pub(crate) async fn create_ticket(
    State(state): State<AppState>,
    session: Session,
    client: ClientAddr,
    upload: WebUpload<NewTicketForm>,
) -> Result<Response, WebError> {
    let WebUpload { form, files, problem } = upload;
    let request =
        CreateTicketRequest { title: form.title.clone(), description: normalise_newlines(&form.description) };
    let files_sent = !files.is_empty() || problem.is_some();
    let refused = |problem: &Problem| {
        let template =
            new_form_with_problem(&state, session.layout(Section::NewTicket), &form, problem, files_sent);
        HtmlTemplate::with_status(template, refusal_status(problem)).into_response()
    };
    if let Some(broken) = problem {
        return Ok(refused(&Problem::new(StatusCode::PAYLOAD_TOO_LARGE, "Request too large", broken)));
    }
    if let Err(problem) = check_ticket_text(&request.title, &request.description) {
        return Ok(refused(&problem));
    }
    let tickets = state.tickets.on_behalf_of(client.0);
    let created = if files.is_empty() {
        tickets.create_ticket(&session.actor(), &request).await
    } else {
        tickets
            .create_ticket_with_files(&session.actor(), &request, files)
            .await
            .map(|created| created.ticket)
    };
    match created {
        Ok(ticket) => Ok(Redirect::to(&format!("/tickets/{}?created=1", ticket.id)).into_response()),
        Err(err) => match form_problem(&err) {
            Some(problem) => Ok(refused(problem)),
            None => Err(WebError::from_client(TICKET_SERVICE, err)),
        },
    }
}
