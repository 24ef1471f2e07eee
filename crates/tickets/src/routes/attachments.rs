//! Attachments: a ticket reported with files (`POST /ticket-uploads`), a message posted with
//! files (`POST /tickets/{id}/message-uploads`), the list of a ticket's attachments, and the
//! files themselves (`GET /attachments/{id}`, `GET /attachments/{id}/thumbnail`).
//!
//! Uploads are `multipart/form-data`; the files are checked by [`crate::attachments`] and
//! stored with their ticket or message in one transaction. Files are served with
//! [`api::set_file_headers`], so that a browser never runs them: photos inline with their exact
//! image type, everything else as a download typed `application/octet-stream`, always with
//! `X-Content-Type-Options: nosniff` and `Content-Security-Policy: sandbox; default-src 'none'`.

use api::{
    MessageUpload, MessageWithAttachments, NoQuery, Problem, RoleHeaders, TicketUpload, TicketWithAttachments,
};
use axum::Json;
use axum::extract::{FromRequest, Multipart, Request, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use domain::{Attachment, Description, MessageBody, Title};
use store::StoreError;

use super::tickets::{classified, created_token, reporter, visible_ticket};
use crate::attachments::read_upload;
use crate::extract::{ApiQuery, AttachmentId, TicketId};
use crate::{Actor, AppError, AppState};

/// The body as multipart; 415 when it is not `multipart/form-data` with a boundary.
async fn multipart(request: Request) -> Result<Multipart, AppError> {
    Multipart::from_request(request, &()).await.map_err(|_| {
        AppError::UnsupportedMediaType(
            "send this upload as multipart/form-data (a form with enctype=\"multipart/form-data\")".into(),
        )
    })
}

/// `POST /ticket-uploads`: reports a ticket with up to the limit of files (and, optionally, the
/// reporter's e-mail address), stored together in one transaction. 201 with a `Location`
/// header, the ticket, its attachments and its private reporter token.
#[utoipa::path(
    post,
    path = "/ticket-uploads",
    tag = "attachments",
    params(RoleHeaders),
    request_body(content = TicketUpload, content_type = "multipart/form-data"),
    responses(
        (status = 201, description = "the ticket, classified and open, with its attachments in the order sent", body = TicketWithAttachments, headers(("Location" = String, description = "The new ticket's path, /api/v1/tickets/{id}."))),
        (status = 400, description = "the role headers are invalid, a query parameter is given (this endpoint takes none), or the multipart body is malformed", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "a file is larger than the limit (10 MiB by default); the sentence names it", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "the body is not multipart/form-data", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "a text field is missing, empty, too long, repeated or unknown; or a file is empty, not a PNG, JPEG or PDF by its content, unreadable, or one too many (field names it)", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "too many requests of this kind from this client; wait as long as Retry-After says", body = Problem, content_type = "application/problem+json", headers(("Retry-After" = u32, description = "Seconds to wait before trying again."))),
    )
)]
pub(crate) async fn upload_ticket(
    State(state): State<AppState>,
    _: ApiQuery<NoQuery>,
    Actor(actor): Actor,
    request: Request,
) -> Result<Response, AppError> {
    let fields = ["title", "description", "reporter_email"];
    let upload = read_upload(multipart(request).await?, &fields, state.attachment_limits()).await?;
    let title = Title::parse(upload.text("title")).map_err(|e| AppError::invalid_text("title", &e))?;
    let description = Description::parse(upload.text("description"))
        .map_err(|e| AppError::invalid_text("description", &e))?;
    let reporter = reporter(&state, Some(upload.text("reporter_email")))?;
    let new = classified(&state, title, description, reporter);
    let (ticket, attachments) =
        state.store().create_ticket_with_attachments(new, upload.files, &actor, state.now()).await?;
    let reporter_token = created_token(&state, ticket.id).await?;
    let location = format!("/api/v1/tickets/{}", ticket.id);
    let body = TicketWithAttachments { ticket, attachments, reporter_token };
    Ok((StatusCode::CREATED, [(header::LOCATION, location)], Json(body)).into_response())
}

/// `POST /tickets/{id}/message-uploads`: posts a message with files, stored together in one
/// transaction. 201 with the message and its attachments.
#[utoipa::path(
    post,
    path = "/tickets/{id}/message-uploads",
    tag = "attachments",
    params(("id" = i64, Path, description = "The ticket id, a whole number."), RoleHeaders),
    request_body(content = MessageUpload, content_type = "multipart/form-data"),
    responses(
        (status = 201, description = "the message with its attachments in the order sent", body = MessageWithAttachments),
        (status = 400, description = "the role headers are invalid, a query parameter is given (this endpoint takes none), the ticket id is not a whole number, or the multipart body is malformed", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "no such ticket, or a closed ticket asked for by a campus user", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "a file is larger than the limit (10 MiB by default); the sentence names it", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "the body is not multipart/form-data", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "the body field is missing, empty, too long, repeated or unknown; or a file is empty, not a PNG, JPEG or PDF by its content, unreadable, or one too many (field names it)", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "too many requests of this kind from this client; wait as long as Retry-After says", body = Problem, content_type = "application/problem+json", headers(("Retry-After" = u32, description = "Seconds to wait before trying again."))),
    )
)]
pub(crate) async fn upload_message(
    State(state): State<AppState>,
    _: ApiQuery<NoQuery>,
    Actor(actor): Actor,
    TicketId(id): TicketId,
    request: Request,
) -> Result<(StatusCode, Json<MessageWithAttachments>), AppError> {
    visible_ticket(&state, &actor, id).await?;
    let upload = read_upload(multipart(request).await?, &["body"], state.attachment_limits()).await?;
    let body = MessageBody::parse(upload.text("body")).map_err(|e| AppError::invalid_text("body", &e))?;
    let (message, attachments) =
        state.store().add_message_with_attachments(id, body, upload.files, &actor, state.now()).await?;
    Ok((StatusCode::CREATED, Json(MessageWithAttachments { message, attachments })))
}

/// `GET /tickets/{id}/attachments`: the metadata of the ticket's attachments, oldest first.
#[utoipa::path(
    get,
    path = "/tickets/{id}/attachments",
    tag = "attachments",
    params(("id" = i64, Path, description = "The ticket id, a whole number."), RoleHeaders),
    responses(
        (status = 200, description = "the attachments of the ticket and its messages, oldest first", body = Vec<Attachment>),
        (status = 400, description = "the role headers are invalid, a query parameter is given (this endpoint takes none), or the ticket id is not a whole number", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "no such ticket, or a closed ticket asked for by a campus user", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn list_attachments(
    State(state): State<AppState>,
    _: ApiQuery<NoQuery>,
    Actor(actor): Actor,
    TicketId(id): TicketId,
) -> Result<Json<Vec<Attachment>>, AppError> {
    visible_ticket(&state, &actor, id).await?;
    Ok(Json(state.store().list_attachments(id).await?))
}

/// `GET /attachments/{id}`: the file. Photos inline with their image type; other files as a
/// download typed `application/octet-stream`; never sniffed, never run.
#[utoipa::path(
    get,
    path = "/attachments/{id}",
    tag = "attachments",
    params(("id" = i64, Path, description = "The attachment id, a whole number."), RoleHeaders),
    responses(
        (status = 200, description = "the file's bytes: a photo inline (image/png, image/jpeg), anything else as a download (application/octet-stream, Content-Disposition: attachment); always with X-Content-Type-Options: nosniff and Content-Security-Policy: sandbox; default-src 'none'",
            content((Vec<u8> = "image/png"), (Vec<u8> = "image/jpeg"), (Vec<u8> = "application/octet-stream")),
            headers(("Content-Disposition" = String, description = "inline (photos) or attachment (other files), with the file name."))),
        (status = 400, description = "the role headers are invalid, a query parameter is given (this endpoint takes none), or the id is not a whole number", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "no such attachment, or one of a closed ticket asked for by a campus user", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn get_attachment(
    State(state): State<AppState>,
    _: ApiQuery<NoQuery>,
    Actor(actor): Actor,
    AttachmentId(id): AttachmentId,
) -> Result<Response, AppError> {
    serve_file(&state, &actor, id, false).await
}

/// `GET /attachments/{id}/thumbnail`: a photo's thumbnail, a JPEG of at most 320 x 320 pixels.
#[utoipa::path(
    get,
    path = "/attachments/{id}/thumbnail",
    tag = "attachments",
    params(("id" = i64, Path, description = "The attachment id, a whole number."), RoleHeaders),
    responses(
        (status = 200, description = "the thumbnail, inline, with X-Content-Type-Options: nosniff and Content-Security-Policy: sandbox; default-src 'none'", content((Vec<u8> = "image/jpeg"))),
        (status = 400, description = "the role headers are invalid, a query parameter is given (this endpoint takes none), or the id is not a whole number", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "no such attachment, one of a closed ticket asked for by a campus user, or a file that is not a photo", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn get_thumbnail(
    State(state): State<AppState>,
    _: ApiQuery<NoQuery>,
    Actor(actor): Actor,
    AttachmentId(id): AttachmentId,
) -> Result<Response, AppError> {
    serve_file(&state, &actor, id, true).await
}

/// The refusal of an attachment that does not exist or that the caller may not see.
fn no_attachment(id: i64) -> AppError {
    AppError::NotFound(format!("attachment {id} does not exist"))
}

/// Answers attachment `id` (or its thumbnail) with the headers that keep it from running.
async fn serve_file(
    state: &AppState,
    actor: &domain::Actor,
    id: i64,
    thumbnail: bool,
) -> Result<Response, AppError> {
    let attachment = state.store().attachment(id).await?.ok_or_else(|| no_attachment(id))?;
    match visible_ticket(state, actor, attachment.ticket_id).await {
        Err(AppError::Store(StoreError::NotFound(_))) => return Err(no_attachment(id)),
        other => other?,
    };
    file_response(state, &attachment, thumbnail).await
}

/// Attachment `id` of the ticket `ticket_id` (or its thumbnail), for the holder of that
/// ticket's private link: any status. Errors: 404 when the attachment belongs to another
/// ticket, as when it does not exist.
pub(crate) async fn serve_reporter_file(
    state: &AppState,
    ticket_id: i64,
    id: i64,
    thumbnail: bool,
) -> Result<Response, AppError> {
    let attachment = state.store().attachment(id).await?.filter(|a| a.ticket_id == ticket_id);
    let attachment = attachment.ok_or_else(|| no_attachment(id))?;
    file_response(state, &attachment, thumbnail).await
}

/// The bytes of `attachment` (or its thumbnail) with the headers that keep them from running.
async fn file_response(
    state: &AppState,
    attachment: &Attachment,
    thumbnail: bool,
) -> Result<Response, AppError> {
    let id = attachment.id;
    let sha256 = match (thumbnail, attachment.is_image()) {
        (true, true) => attachment.thumbnail_sha256.clone().ok_or_else(|| no_attachment(id))?,
        (true, false) => {
            return Err(AppError::NotFound(format!(
                "attachment {id} is not a photo, so it has no thumbnail"
            )));
        }
        (false, _) => attachment.sha256.clone(),
    };
    let content_type = if thumbnail { "image/jpeg" } else { attachment.content_type.as_str() };
    let bytes = state.store().blob(&sha256).await?.ok_or_else(|| {
        AppError::Internal(anyhow::anyhow!("the content {sha256} of attachment {id} is missing"))
    })?;
    let mut response = bytes.into_response();
    api::set_file_headers(response.headers_mut(), content_type, &attachment.file_name);
    Ok(response)
}
