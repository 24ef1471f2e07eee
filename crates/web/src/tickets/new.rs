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
    /// A refused file, with the reminder to choose the files again.
    pub(crate) files_error: Option<String>,
    pub(crate) form_error: Option<String>,
    /// "up to 5 files, 10 MiB each", from the ticket service's limits.
    pub(crate) files_hint: String,
    /// The reporter's e-mail address as typed.
    pub(crate) email: String,
    pub(crate) email_error: Option<String>,
    /// Whether the ticket service sends e-mail updates (else the form says they are not
    /// available and has no address field).
    pub(crate) email_updates: bool,
}

impl NewTemplate {
    /// The field errors for the summary at the top of the form, in the fields' order.
    pub(crate) fn errors(&self) -> Vec<FieldError<'_>> {
        field_errors(&[
            ("title", &self.title_error),
            ("description", &self.description_error),
            ("files", &self.files_error),
            ("email", &self.email_error),
        ])
    }
}

/// Body of `POST /tickets` (its text fields; the files come beside them).
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
        files_error: None,
        form_error: None,
        files_hint: files_hint(&state),
        email: String::new(),
        email_error: None,
        email_updates: email_updates(&state).await,
    })
}

/// The new-ticket form again, with each refusal (the web's own checks find every text field's
/// at once; the service answers one) next to the field it names. With `files_sent`, the
/// reminder that the files must be chosen again comes once, after the last sentence.
pub(crate) fn new_form_with_problems(
    state: &AppState,
    layout: Layout,
    form: &NewTicketForm,
    problems: &[Problem],
    files_sent: bool,
    email_updates: bool,
) -> NewTemplate {
    let (mut title_error, mut description_error, mut files_error, mut email_error, mut form_error) =
        (None, None, None, None, None);
    for (n, problem) in problems.iter().enumerate() {
        let message = with_files_reminder(sentence(problem), files_sent && n + 1 == problems.len());
        let slot = match problem.field.as_deref() {
            Some("title") => &mut title_error,
            Some("description") => &mut description_error,
            Some("files") => &mut files_error,
            Some("reporter_email") => &mut email_error,
            _ if problem.status == StatusCode::PAYLOAD_TOO_LARGE && files_sent => &mut files_error,
            _ => &mut form_error,
        };
        *slot = Some(message);
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
        email: form.email.clone(),
        email_error,
        // A form that sent an address shows its field again, with the refusal next to it.
        email_updates: email_updates || !form.email.trim().is_empty(),
    }
}

/// A reporter address the ticket service would refuse ([`domain::parse_address`], its own
/// check), as the problem it would answer (field `reporter_email`); `None` for a valid or blank
/// one. Checked here first so the form shows it together with the title's and description's.
fn address_problem(raw: &str) -> Option<Problem> {
    let err = domain::parse_address(raw).err()?;
    let sentence = crate::language::current().address_error(&err);
    Some(
        Problem::new(StatusCode::UNPROCESSABLE_ENTITY, "Invalid input", sentence)
            .with_field("reporter_email"),
    )
}

/// `POST /tickets`: reports the ticket, with the files chosen (a `multipart/form-data` form; a
/// url-encoded one has none), remembers it in this browser (its number and private token in
/// the `campusdesk_reported` cookie, see [`crate::reporter`]) and shows it with the category it
/// got and its private link once (`/tickets/{id}` with the one-time
/// [`super::show::CREATED_COOKIE`]); a title or description the ticket
/// service would refuse (checked here first, with the address: every such field error is shown
/// at once) or did refuse, a refused address or a refused file (413, 422, 429) re-renders the
/// form with the sentences and the text kept.
pub(crate) async fn create_ticket(
    State(state): State<AppState>,
    session: Session,
    client: ClientAddr,
    jar: CookieJar,
    upload: WebUpload<NewTicketForm>,
) -> Result<Response, WebError> {
    let WebUpload { form, files, problem } = upload;
    let email = form.email.trim();
    let request = CreateTicketRequest {
        title: form.title.clone(),
        description: normalise_newlines(&form.description),
        reporter_email: (!email.is_empty()).then(|| email.to_owned()),
    };
    let files_sent = !files.is_empty() || problem.is_some();
    let updates = email_updates(&state).await;
    let refused = |problems: &[Problem]| {
        let layout = session.layout(Section::NewTicket);
        let template = new_form_with_problems(&state, layout, &form, problems, files_sent, updates);
        let status = problems.first().map_or(StatusCode::UNPROCESSABLE_ENTITY, refusal_status);
        HtmlTemplate::with_status(template, status).into_response()
    };
    if let Some(broken) = problem {
        return Ok(refused(&[Problem::new(StatusCode::PAYLOAD_TOO_LARGE, "Request too large", broken)]));
    }
    let mut problems = ticket_text_problems(&request.title, &request.description);
    problems.extend(address_problem(&form.email));
    if !problems.is_empty() {
        return Ok(refused(&problems));
    }
    let tickets = state.tickets.on_behalf_of(client.0);
    let created = if files.is_empty() {
        tickets.report_ticket(&session.actor(), &request).await.map(|c| (c.ticket.id, c.reporter_token))
    } else {
        tickets
            .create_ticket_with_files(&session.actor(), &request, files)
            .await
            .map(|c| (c.ticket.id, c.reporter_token))
    };
    match created {
        Ok((id, token)) => {
            let jar = super::show::flash_created(crate::reporter::remember(jar, id, &token), id);
            Ok((jar, Redirect::to(&format!("/tickets/{id}"))).into_response())
        }
        Err(err) => match form_problem(&err) {
            Some(problem) => Ok(refused(std::slice::from_ref(problem))),
            None => Err(WebError::from_client(TICKET_SERVICE, err)),
        },
    }
}
