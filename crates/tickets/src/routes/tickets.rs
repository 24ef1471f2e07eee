//! Tickets: report (`POST /tickets`), list, read, edit (`PATCH`), move through the status
//! state machine (`POST /tickets/{id}/status`) and read the event log (`GET .../events`).

use api::{
    CreateTicketRequest, CreatedTicket, NoQuery, Problem, RoleHeaders, StatusRequest, TicketListQuery,
    TicketPage, UpdateTicketRequest,
};
use axum::Json;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use domain::{Description, Event, Role, Status, Ticket, Title, TransitionError};
use store::{
    NewSubscription, NewTicket, StoreError, TicketCursor, TicketEdit, TicketQuery, TicketSort, UnknownSort,
};

use crate::extract::{ApiQuery, TicketId};
use crate::{Actor, AppError, AppJson, AppState, mail};

/// Default page size of `GET /tickets`.
const DEFAULT_LIMIT: u32 = 50;
/// Largest page size of `GET /tickets`.
const MAX_LIMIT: u32 = 200;
/// Longest search text, in characters.
const MAX_QUERY_CHARS: usize = 200;

/// The ticket `id` if `actor` may see it; a campus user asking for a closed ticket gets the
/// same 404 as for a missing one.
pub(crate) async fn visible_ticket(
    state: &AppState,
    actor: &domain::Actor,
    id: i64,
) -> Result<Ticket, AppError> {
    let ticket = state.store().get_ticket(id).await?;
    if ticket.status.visible_to(actor.role) { Ok(ticket) } else { Err(StoreError::NotFound(id).into()) }
}

/// A new ticket of `title` and `description`, categorised by the classifier in use.
pub(crate) fn classified(
    state: &AppState,
    title: Title,
    description: Description,
    reporter: Option<NewSubscription>,
) -> NewTicket {
    let prediction =
        state.classifier().classify(&domain::classifier_input(title.as_str(), description.as_str()));
    NewTicket {
        title,
        description,
        category: prediction.category,
        category_confidence: prediction.confidence,
        needs_check: prediction.is_uncertain(),
        category_terms: prediction.terms,
        reporter,
    }
}

/// `POST /tickets`: validates, classifies `title + "\n" + description` and stores an `open`
/// ticket. 201 with a `Location` header and the ticket with its private reporter token (the
/// only answer that carries it); 422 naming the invalid field.
#[utoipa::path(
    post,
    path = "/tickets",
    tag = "tickets",
    params(RoleHeaders),
    request_body = CreateTicketRequest,
    responses(
        (status = 201, description = "the ticket as stored, classified and open, with its private reporter token (given only here)", body = CreatedTicket, headers(("Location" = String, description = "The new ticket's path, /api/v1/tickets/{id}."))),
        (status = 400, description = "the role headers are invalid, a query parameter is given (this endpoint takes none), or the body is not valid JSON", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "the JSON body is larger than 64 KiB", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "the body is not sent as Content-Type: application/json", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "a field is missing, unknown or of the wrong type, the title or description breaks its limits, or reporter_email is not an e-mail address or is given while e-mail updates are off (field names it)", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "too many requests of this kind from this client; wait as long as Retry-After says", body = Problem, content_type = "application/problem+json", headers(("Retry-After" = u32, description = "Seconds to wait before trying again."))),
    )
)]
pub(crate) async fn create_ticket(
    State(state): State<AppState>,
    _: ApiQuery<NoQuery>,
    Actor(actor): Actor,
    AppJson(request): AppJson<CreateTicketRequest>,
) -> Result<Response, AppError> {
    let title = Title::parse(&request.title).map_err(|e| AppError::invalid_text("title", &e))?;
    let description =
        Description::parse(&request.description).map_err(|e| AppError::invalid_text("description", &e))?;
    let reporter = reporter(&state, request.reporter_email.as_deref())?;
    let new = classified(&state, title, description, reporter);
    let ticket = state.store().create_ticket(new, &actor, state.now()).await?;
    let reporter_token = created_token(&state, ticket.id).await?;
    let location = format!("/api/v1/tickets/{}", ticket.id);
    let created = CreatedTicket { ticket, reporter_token };
    Ok((StatusCode::CREATED, [(header::LOCATION, location)], Json(created)).into_response())
}

/// The private reporter token of ticket `id`, just created: the store gives every new ticket
/// one. Errors: 500 when it has none (a store that broke that rule).
pub(crate) async fn created_token(state: &AppState, id: i64) -> Result<String, AppError> {
    state
        .store()
        .reporter_token(id)
        .await?
        .ok_or_else(|| AppError::Internal(anyhow::anyhow!("ticket {id} was stored without a reporter token")))
}

/// The subscription to store for a report's `reporter_email`: `None` when absent or blank.
/// Errors: 422 (field `reporter_email`) when e-mail updates are off or the address is malformed.
pub(crate) fn reporter(state: &AppState, raw: Option<&str>) -> Result<Option<NewSubscription>, AppError> {
    let field = "reporter_email";
    let Some(address) = raw
        .map(domain::parse_address)
        .transpose()
        .map_err(|err| AppError::validation(field, err.to_string()))?
        .flatten()
    else {
        return Ok(None);
    };
    if state.mail().is_none() {
        return Err(AppError::validation(
            field,
            "e-mail updates are not available here (no mail server is configured); leave the address out",
        ));
    }
    Ok(Some(NewSubscription { address, token: mail::new_token()? }))
}

/// `GET /tickets?status=&category=&q=&limit=&cursor=&sort=`: a page of tickets in the order
/// `sort` names ([`TicketSort`]'s syntax, default `-opened`: newest first), with cursors to the
/// next and previous pages, the total and the page count. A
/// campus user sees only `open` and `active` tickets (asking for `closed` gives an empty page).
/// `q` is split into words on white space; every word must occur in the title or the description
/// (see [`TicketQuery::text`]).
/// The query is read as [`TicketListQuery`] (blank values count as absent).
/// Errors: 400 for an unknown parameter, a bad status, category, limit (1 to 200), an unknown
/// sort, a cursor this service did not hand out or one from another sort, or a `q` over 200
/// characters.
#[utoipa::path(
    get,
    path = "/tickets",
    tag = "tickets",
    params(RoleHeaders, TicketListQuery),
    responses(
        (status = 200, description = "a page of tickets in the order `sort` asks for (default newest first)", body = TicketPage),
        (status = 400, description = "the role headers are invalid, or a query parameter is unknown, repeated or has a bad value, such as an unknown `sort` or a cursor of another sort (field names it)", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn list_tickets(
    State(state): State<AppState>,
    Actor(actor): Actor,
    ApiQuery(params): ApiQuery<TicketListQuery>,
) -> Result<Json<TicketPage>, AppError> {
    let TicketListQuery { status, category, q: text, limit, cursor, sort } = params;
    let limit = super::page_size(limit, DEFAULT_LIMIT, MAX_LIMIT)?;
    let sort: TicketSort = match sort.as_deref() {
        Some(text) => text.parse().map_err(|err: UnknownSort| AppError::BadRequest(err.to_string()))?,
        None => TicketSort::default(),
    };
    let cursor = cursor
        .as_deref()
        .map(|raw| {
            TicketCursor::decode(raw).ok_or_else(|| {
                AppError::BadRequest(format!(
                    "the cursor {raw:?} is not one this service handed out; start again without a cursor"
                ))
            })
        })
        .transpose()?;
    if let Some(cursor) = &cursor
        && !cursor.fits(sort)
    {
        return Err(AppError::BadRequest(format!(
            "the cursor belongs to the order {}, not {sort}; start again without a cursor",
            cursor.sort
        )));
    }
    if let Some(q) = &text
        && q.chars().count() > MAX_QUERY_CHARS
    {
        return Err(AppError::BadRequest(format!(
            "the search text q may be at most {MAX_QUERY_CHARS} characters"
        )));
    }
    let statuses = match (actor.role, status) {
        (Role::User, Some(Status::Closed)) => {
            return Ok(Json(TicketPage {
                items: Vec::new(),
                next_cursor: None,
                prev_cursor: None,
                page: Some(1),
                page_count: 1,
                total: 0,
                total_exact: true,
            }));
        }
        (Role::User, None) => vec![Status::Open, Status::Active],
        (_, Some(status)) => vec![status],
        (Role::Staff, None) => Vec::new(),
    };
    let query = TicketQuery { statuses, category, text, limit, sort, cursor };
    let page = state.store().list_tickets(&query).await?;
    let tickets = u64::try_from(page.total.count.max(1)).unwrap_or(1);
    let page_count = u32::try_from(tickets.div_ceil(u64::from(limit))).unwrap_or(u32::MAX);
    Ok(Json(TicketPage {
        items: page.items,
        next_cursor: page.next.map(|c| c.encode()),
        prev_cursor: page.prev.map(|c| c.encode()),
        page: page.number,
        page_count,
        total: page.total.count,
        total_exact: page.total.exact,
    }))
}

/// `GET /tickets/{id}`: one ticket. 404 when missing, or closed and the caller is a user.
#[utoipa::path(
    get,
    path = "/tickets/{id}",
    tag = "tickets",
    params(("id" = i64, Path, description = "The ticket id, a whole number."), RoleHeaders),
    responses(
        (status = 200, description = "the ticket", body = Ticket),
        (status = 400, description = "the role headers are invalid, a query parameter is given (this endpoint takes none), or the ticket id is not a whole number", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "no such ticket, or a closed ticket asked for by a campus user", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn get_ticket(
    State(state): State<AppState>,
    _: ApiQuery<NoQuery>,
    Actor(actor): Actor,
    TicketId(id): TicketId,
) -> Result<Json<Ticket>, AppError> {
    Ok(Json(visible_ticket(&state, &actor, id).await?))
}

/// `PATCH /tickets/{id}`: edits title, description and (staff only) category, based on
/// `version`. A changed category is stored as a correction and wakes the retrainer. Errors: 422 when nothing is given or a text is invalid, 403 for a user setting
/// the category, 404 for a user on a closed ticket, 409 when `version` is stale.
#[utoipa::path(
    patch,
    path = "/tickets/{id}",
    tag = "tickets",
    params(("id" = i64, Path, description = "The ticket id, a whole number."), RoleHeaders),
    request_body = UpdateTicketRequest,
    responses(
        (status = 200, description = "the ticket after the edit", body = Ticket),
        (status = 400, description = "the role headers are invalid, a query parameter is given (this endpoint takes none), the ticket id is not a whole number, or the body is not valid JSON", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "a campus user tried to change the category", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "no such ticket, or a closed ticket asked for by a campus user", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "version is stale: someone changed the ticket meanwhile (field version)", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "the JSON body is larger than 64 KiB", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "the body is not sent as Content-Type: application/json", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "nothing to change, a field is missing, unknown or of the wrong type, or a text breaks its limits", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn update_ticket(
    State(state): State<AppState>,
    _: ApiQuery<NoQuery>,
    Actor(actor): Actor,
    TicketId(id): TicketId,
    AppJson(request): AppJson<UpdateTicketRequest>,
) -> Result<Json<Ticket>, AppError> {
    if request.title.is_none() && request.description.is_none() && request.category.is_none() {
        return Err(AppError::Validation {
            field: None,
            message: "nothing to change: give at least one of title, description or category".into(),
        });
    }
    if request.category.is_some() && actor.role != Role::Staff {
        return Err(AppError::Forbidden("only helpdesk staff may change a ticket's category".into()));
    }
    let title = request
        .title
        .as_deref()
        .map(Title::parse)
        .transpose()
        .map_err(|e| AppError::invalid_text("title", &e))?;
    let description = request
        .description
        .as_deref()
        .map(Description::parse)
        .transpose()
        .map_err(|e| AppError::invalid_text("description", &e))?;
    let before = visible_ticket(&state, &actor, id).await?;
    let edit =
        TicketEdit { title, description, category: request.category, expected_version: request.version };
    let after = state.store().update_ticket(id, edit, &actor, state.now()).await?;
    if after.category != before.category {
        // The store recorded a correction with the change: the classifier learns from it.
        state.corrections_changed();
    }
    Ok(Json(after))
}

/// `POST /tickets/{id}/status`: staff move a ticket `open -> active` or `active -> closed`.
/// A subscribed reporter's e-mail about a closing is held for the undo window, so an undo
/// within it (`POST /tickets/{id}/undo-close`) drops it unsent.
/// Errors: 403 for a user, 404 for a missing ticket, 409 for any other move.
#[utoipa::path(
    post,
    path = "/tickets/{id}/status",
    tag = "tickets",
    params(("id" = i64, Path, description = "The ticket id, a whole number."), RoleHeaders),
    request_body = StatusRequest,
    responses(
        (status = 200, description = "the ticket in its new status", body = Ticket),
        (status = 400, description = "the role headers are invalid, a query parameter is given (this endpoint takes none), the ticket id is not a whole number, or the body is not valid JSON", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "only helpdesk staff may change a status", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "no such ticket, or a closed ticket asked for by a campus user", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "the state machine does not allow this move (field status)", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "the JSON body is larger than 64 KiB", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "the body is not sent as Content-Type: application/json", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "the body lacks status, names an unknown one or has other fields", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn set_status(
    State(state): State<AppState>,
    _: ApiQuery<NoQuery>,
    Actor(actor): Actor,
    TicketId(id): TicketId,
    AppJson(request): AppJson<StatusRequest>,
) -> Result<Json<Ticket>, AppError> {
    if actor.role != Role::Staff {
        return Err(StoreError::Transition(TransitionError::NotStaff).into());
    }
    let window = state.undo_close_window();
    Ok(Json(state.store().transition(id, request.status, &actor, state.now(), window).await?))
}

/// `POST /tickets/{id}/undo-close`: staff undo the closing of a ticket closed at most the undo
/// window ago (5 minutes unless configured otherwise; `undo_close_until` in the ticket's view
/// says until when). The ticket is `active` again, its `closed_at` cleared; the log records a
/// `status_changed` event from `closed` to `active` by the caller. A subscribed reporter gets no
/// e-mail of it when the held "closed" e-mail was still unsent (it is dropped), and a
/// "reopened" e-mail when it had gone out. Errors: 403 for a user, 404
/// for a missing ticket, 409 when the ticket is not closed (a second undo) or the window has
/// passed.
#[utoipa::path(
    post,
    path = "/tickets/{id}/undo-close",
    tag = "tickets",
    params(("id" = i64, Path, description = "The ticket id, a whole number."), RoleHeaders),
    responses(
        (status = 200, description = "the ticket, active again", body = Ticket),
        (status = 400, description = "the role headers are invalid, a query parameter is given (this endpoint takes none), or the ticket id is not a whole number", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "only helpdesk staff may undo a closing", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "no such ticket, or a closed ticket asked for by a campus user", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "the ticket is not closed (nothing to undo), or it was closed longer ago than the undo window (field status)", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn undo_close(
    State(state): State<AppState>,
    _: ApiQuery<NoQuery>,
    Actor(actor): Actor,
    TicketId(id): TicketId,
) -> Result<Json<Ticket>, AppError> {
    if actor.role != Role::Staff {
        return Err(StoreError::Transition(TransitionError::NotStaff).into());
    }
    let window = state.undo_close_window();
    Ok(Json(state.store().undo_close(id, &actor, state.now(), window).await?))
}

/// `GET /tickets/{id}/events`: the ticket's event log, oldest first (same visibility as the
/// ticket itself).
#[utoipa::path(
    get,
    path = "/tickets/{id}/events",
    tag = "tickets",
    params(("id" = i64, Path, description = "The ticket id, a whole number."), RoleHeaders),
    responses(
        (status = 200, description = "the event log, oldest first", body = Vec<Event>),
        (status = 400, description = "the role headers are invalid, a query parameter is given (this endpoint takes none), or the ticket id is not a whole number", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "no such ticket, or a closed ticket asked for by a campus user", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn list_events(
    State(state): State<AppState>,
    _: ApiQuery<NoQuery>,
    Actor(actor): Actor,
    TicketId(id): TicketId,
) -> Result<Json<Vec<Event>>, AppError> {
    visible_ticket(&state, &actor, id).await?;
    Ok(Json(state.store().list_events(id).await?))
}
