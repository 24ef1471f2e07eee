//! The POSTs that change a ticket: the edit form (`POST /tickets/{id}`), the status button
//! (`POST /tickets/{id}/status`) and the message form (`POST /tickets/{id}/messages`).

use super::show::*;
use super::*;
use serving::ClientAddr;

/// Body of `POST /tickets/{id}` (the edit form).
#[derive(Debug, Deserialize)]
pub(crate) struct EditForm {
    #[serde(default)]
    pub(super) title: String,
    #[serde(default)]
    pub(super) description: String,
    pub(super) version: i64,
    /// Staff only; ignored for campus users.
    #[serde(default)]
    pub(super) category: Option<String>,
    /// The category the select started on; the category is sent only when the choice differs.
    #[serde(default)]
    pub(super) shown_category: Option<String>,
}

/// The edit as a PATCH: the title and description as typed (the ticket service ignores what
/// did not change) and, for staff, the category when they chose another than the form showed.
/// Confirming a category is its own action ([`confirm_category`]), never a side effect of
/// saving. Errors: a 422 problem naming the field `category` for a category that is none of
/// the three (only a hand-made form sends one).
pub(super) fn edit_request(session: &Session, form: &EditForm) -> Result<UpdateTicketRequest, Problem> {
    let chosen = if session.is_staff() {
        non_blank(form.category.as_deref())
            .filter(|chosen| Some(*chosen) != non_blank(form.shown_category.as_deref()))
            .map(|c| c.parse::<Category>())
            .transpose()
            .map_err(|_| {
                Problem::new(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "Invalid input",
                    crate::language::current().t("edit-category-invalid"),
                )
                .with_field("category")
            })?
    } else {
        None
    };
    Ok(UpdateTicketRequest {
        title: Some(form.title.clone()),
        description: Some(normalise_newlines(&form.description)),
        category: chosen,
        version: form.version,
    })
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
    let (request, category_problem) = match edit_request(&session, &form) {
        Ok(request) => (request, None),
        Err(problem) => {
            let as_typed = UpdateTicketRequest {
                title: Some(form.title.clone()),
                description: Some(form.description.clone()),
                category: None,
                version: form.version,
            };
            (as_typed, Some(problem))
        }
    };
    let mut problems = ticket_text_problems(
        request.title.as_deref().unwrap_or_default(),
        request.description.as_deref().unwrap_or_default(),
    );
    problems.extend(category_problem);
    if problems.is_empty() {
        match state.tickets.update_ticket(&session.actor(), id, &request).await {
            Ok(ticket) => {
                // The ticket service leaves a ticket that nothing differs from as it was.
                let notice = if ticket.version == form.version { "unchanged" } else { "saved" };
                return Ok(Redirect::to(&format!("/tickets/{id}?{notice}=1")).into_response());
            }
            Err(err) => match form_problem(&err) {
                Some(problem) => problems.push(problem.clone()),
                None => return Err(ticket_error(&session, id, err)),
            },
        }
    }
    let mut edit = EditState {
        title: form.title.clone(),
        description: form.description.clone(),
        version: form.version,
        ..EditState::default()
    };
    let mut status = StatusCode::UNPROCESSABLE_ENTITY;
    for problem in &problems {
        if problem.status == StatusCode::CONFLICT {
            edit.conflict = true;
            status = StatusCode::CONFLICT;
            continue;
        }
        let message = Some(sentence(problem));
        match problem.field.as_deref() {
            Some("title") => edit.title_error = message,
            Some("description") => edit.description_error = message,
            Some("category") => edit.category_error = message,
            _ => edit.form_error = message,
        }
        status = refusal_status(problem);
    }
    let view =
        state.tickets.ticket_view(&session.actor(), id).await.map_err(|e| ticket_error(&session, id, e))?;
    if edit.conflict {
        // Saving again now replaces the other change on purpose: the person has seen it.
        edit.version = view.ticket.version;
    }
    let parts = ShowParts { edit: Some(edit), ..ShowParts::default() };
    Ok(HtmlTemplate::with_status(build_show(&state, &session, &view, parts), status).into_response())
}

/// Body of `POST /tickets/{id}/category/confirm`.
#[derive(Debug, Deserialize)]
pub(crate) struct ConfirmForm {
    pub(super) version: i64,
}

/// `POST /tickets/{id}/category/confirm`: staff confirm the category as it is. Campus users get
/// the 403 page; a ticket changed meanwhile (409) shows the ticket as it is now.
pub(crate) async fn confirm_category(
    State(state): State<AppState>,
    session: Session,
    Path(raw_id): Path<String>,
    WebForm(form): WebForm<ConfirmForm>,
) -> Result<Response, WebError> {
    let id = parse_id(&raw_id)?;
    match state.tickets.confirm_category(&session.actor(), id, form.version).await {
        Ok(_) => Ok(Redirect::to(&format!("/tickets/{id}?confirmed=1")).into_response()),
        Err(err) if err.status() == Some(409) => {
            Ok(Redirect::to(&format!("/tickets/{id}?stale=1")).into_response())
        }
        Err(err) => Err(ticket_error(&session, id, err)),
    }
}

/// Body of `POST /tickets/{id}/status`.
#[derive(Debug, Deserialize)]
pub(crate) struct StatusForm {
    #[serde(default)]
    pub(super) to: String,
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
        return Err(WebError::Forbidden(crate::language::current().t("status-staff-only")));
    }
    let to = form
        .to
        .parse::<Status>()
        .map_err(|_| WebError::BadRequest(crate::language::current().t("status-not-possible")))?;
    match state.tickets.set_status(&session.actor(), id, to).await {
        Ok(ticket) => Ok(Redirect::to(&format!("/tickets/{id}?moved={}", ticket.status)).into_response()),
        Err(err) if err.status() == Some(409) => {
            Ok(Redirect::to(&format!("/tickets/{id}?stale=1")).into_response())
        }
        Err(err) => Err(ticket_error(&session, id, err)),
    }
}

/// `POST /tickets/{id}/undo-close`: staff undo the closing of a ticket closed moments ago
/// (the ticket service decides whether the undo window is still open). Campus users get the 403
/// page; an undo that no longer applies (409: already undone, or too late) shows the ticket as
/// it is now with the service's sentence.
pub(crate) async fn undo_close(
    State(state): State<AppState>,
    session: Session,
    Path(raw_id): Path<String>,
    WebForm(_): WebForm<CsrfOnly>,
) -> Result<Response, WebError> {
    let id = parse_id(&raw_id)?;
    if !session.is_staff() {
        return Err(WebError::Forbidden(crate::language::current().t("undo-staff-only")));
    }
    match state.tickets.undo_close(&session.actor(), id).await {
        Ok(_) => Ok(Redirect::to(&format!("/tickets/{id}?undone=1")).into_response()),
        Err(err) => match form_problem(&err) {
            Some(problem) if problem.status == StatusCode::CONFLICT => {
                let flash = crate::language::current()
                    .t_with("undo-refused", &[("reason", sentence(problem).into())]);
                let parts = ShowParts { flash: Some(flash), ..ShowParts::default() };
                let page = ticket_page(&state, &session, id, parts).await?;
                Ok(HtmlTemplate::with_status(page, StatusCode::CONFLICT).into_response())
            }
            _ => Err(ticket_error(&session, id, err)),
        },
    }
}

/// A form with no field of its own (the CSRF field is checked before the handler runs).
#[derive(Debug, Deserialize)]
pub(crate) struct CsrfOnly {}

/// Body of `POST /tickets/{id}/messages`.
#[derive(Debug, Deserialize)]
pub(crate) struct MessageForm {
    #[serde(default)]
    pub(super) body: String,
}

/// `POST /tickets/{id}/messages`: posts the message, with the files chosen (a
/// `multipart/form-data` form; a url-encoded one has none), and goes back to the thread; a body
/// or a file the ticket service refuses re-renders the page with the sentence and the text kept.
pub(crate) async fn post_message(
    State(state): State<AppState>,
    session: Session,
    client: ClientAddr,
    Path(raw_id): Path<String>,
    upload: WebUpload<MessageForm>,
) -> Result<Response, WebError> {
    let id = parse_id(&raw_id)?;
    let WebUpload { form, files, problem } = upload;
    let files_sent = !files.is_empty() || problem.is_some();
    let body = normalise_newlines(&form.body);
    let tickets = state.tickets.on_behalf_of(client.0);
    let posted = match (problem, check_message_text(&body)) {
        (Some(broken), _) => Err(ClientError::Problem(Problem::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "Request too large",
            broken,
        ))),
        (None, Err(problem)) => Err(ClientError::Problem(problem)),
        (None, Ok(())) if files.is_empty() => {
            tickets.post_message(&session.actor(), id, &body).await.map(drop)
        }
        (None, Ok(())) => tickets.post_message_with_files(&session.actor(), id, &body, files).await.map(drop),
    };
    match posted {
        Ok(()) => Ok(Redirect::to(&format!("/tickets/{id}?posted=1#thread")).into_response()),
        Err(err) => match form_problem(&err) {
            Some(problem) => {
                let text = with_files_reminder(sentence(problem), files_sent);
                let about_files = problem.field.as_deref() == Some("files")
                    || (problem.status == StatusCode::PAYLOAD_TOO_LARGE && files_sent);
                let (error, files_error) = if about_files { (None, Some(text)) } else { (Some(text), None) };
                let message = MessageState { body: form.body.clone(), error, files_error };
                let parts = ShowParts { message: Some(message), ..ShowParts::default() };
                let page = ticket_page(&state, &session, id, parts).await?;
                Ok(HtmlTemplate::with_status(page, refusal_status(problem)).into_response())
            }
            None => Err(ticket_error(&session, id, err)),
        },
    }
}
