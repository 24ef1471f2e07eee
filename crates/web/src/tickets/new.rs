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
    let request =
        CreateTicketRequest { title: form.title.clone(), description: normalise_newlines(&form.description) };
    let refused = |problem: &Problem| {
        let template = new_form_with_problem(session.layout(Section::NewTicket), &form, problem);
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
