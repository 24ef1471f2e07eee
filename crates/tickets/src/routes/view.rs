//! What the ticket service decides for a ticket page: `GET /tickets/{id}/view` (the ticket,
//! its thread, its event log and what the caller may do next, in one call) and
//! `POST /tickets/{id}/category/confirm` (staff agree with the category as it is).

use api::{ConfirmCategoryRequest, NoQuery, Problem, ReporterEmail, RoleHeaders, TicketView};
use axum::Json;
use axum::extract::State;
use domain::{CategorySource, Role, Ticket};
use store::{StoreError, TicketEdit, TicketThread};

use crate::extract::{ApiQuery, TicketId};
use crate::{Actor, AppError, AppJson, AppState};

/// `GET /tickets/{id}/view`: the [`TicketView`], read in one snapshot. 404 when missing, or
/// closed and the caller is a user. Staff also get the reporter's e-mail address, when one was
/// given (read after the snapshot).
///
/// A ticket whose automatic category dates from before the deciding words were kept gets the
/// words the model in use finds (not stored: the stored ones are what decided).
#[utoipa::path(
    get,
    path = "/tickets/{id}/view",
    tag = "tickets",
    params(("id" = i64, Path, description = "The ticket id, a whole number."), RoleHeaders),
    responses(
        (status = 200, description = "the ticket, its thread, its log and what the caller may do next", body = TicketView),
        (status = 400, description = "the role headers are invalid, a query parameter is given (this endpoint takes none), or the ticket id is not a whole number", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "no such ticket, or a closed ticket asked for by a campus user", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn ticket_view(
    State(state): State<AppState>,
    Actor(actor): Actor,
    TicketId(id): TicketId,
    _: ApiQuery<NoQuery>,
) -> Result<Json<TicketView>, AppError> {
    let TicketThread { mut ticket, messages, events, attachments } = state.store().ticket_thread(id).await?;
    if !ticket.status.visible_to(actor.role) {
        return Err(StoreError::NotFound(id).into());
    }
    if ticket.category_source == CategorySource::Auto && ticket.category_terms.is_empty() {
        let text = domain::classifier_input(&ticket.title, &ticket.description);
        ticket.category_terms = state.classifier().classify(&text).terms;
    }
    let staff = actor.role == Role::Staff;
    // The reporter's address is for staff only.
    let reporter = if staff {
        state.store().subscription(id).await?.map(|subscription| ReporterEmail {
            address: subscription.address,
            subscribed: subscription.unsubscribed_at.is_none(),
        })
    } else {
        None
    };
    Ok(Json(TicketView {
        reporter,
        transitions: if staff { ticket.status.next().into_iter().collect() } else { Vec::new() },
        undo_close_until: if staff {
            ticket
                .status
                .undo_close_until(ticket.closed_at, state.undo_close_window())
                .filter(|until| *until >= state.now())
        } else {
            None
        },
        can_confirm_category: staff && ticket.category_source != CategorySource::Staff,
        ticket,
        messages,
        events,
        attachments,
    }))
}

/// `POST /tickets/{id}/category/confirm`: staff confirm the category the ticket has; it becomes
/// theirs (source `staff`, confidence 1.0, no "please check"), with a `category_changed` event
/// from and to the same category and no correction (the classifier was right). Confirming a
/// category staff already set changes nothing. Errors: 403 for a user, 404, 409 when `version`
/// is stale (someone changed the ticket meanwhile).
#[utoipa::path(
    post,
    path = "/tickets/{id}/category/confirm",
    tag = "tickets",
    params(("id" = i64, Path, description = "The ticket id, a whole number."), RoleHeaders),
    request_body = ConfirmCategoryRequest,
    responses(
        (status = 200, description = "the ticket with its category confirmed by staff", body = Ticket),
        (status = 400, description = "the role headers are invalid, a query parameter is given (this endpoint takes none), the ticket id is not a whole number, or the body is not valid JSON", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "only helpdesk staff may confirm a category", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "no such ticket, or a closed ticket asked for by a campus user", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "version is stale: someone changed the ticket meanwhile (field version)", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "the JSON body is larger than 64 KiB", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "the body is not sent as Content-Type: application/json", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "the body lacks version or has other fields", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn confirm_category(
    State(state): State<AppState>,
    Actor(actor): Actor,
    TicketId(id): TicketId,
    _: ApiQuery<NoQuery>,
    AppJson(request): AppJson<ConfirmCategoryRequest>,
) -> Result<Json<Ticket>, AppError> {
    if actor.role != Role::Staff {
        return Err(AppError::Forbidden("only helpdesk staff may confirm a ticket's category".into()));
    }
    let current = state.store().get_ticket(id).await?;
    let edit = TicketEdit {
        category: Some(current.category),
        expected_version: request.version,
        ..TicketEdit::default()
    };
    Ok(Json(state.store().update_ticket(id, edit, &actor, state.now()).await?))
}
