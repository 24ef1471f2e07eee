//! Attachments in the web UI: the files of a ticket, served under the UI's own origin
//! (`GET /attachments/{id}` and `/attachments/{id}/thumbnail`, fetched from the ticket service
//! through the typed client), and how a page lists them ([`AttachmentView`]).
//!
//! A served file can never run in the UI's origin: its headers are set again here with
//! [`api::set_file_headers`] (a photo type is kept, anything else is a download typed
//! `application/octet-stream`; `X-Content-Type-Options: nosniff` and
//! `Content-Security-Policy: sandbox; default-src 'none'`), whatever the ticket service sent;
//! the router's own policy is set only where a handler set none.

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use domain::Attachment;
use percent_encoding::percent_decode_str;

use crate::AppState;
use crate::error::{Failure, TICKET_SERVICE, WebError, read_failure};
use crate::session::Session;

/// One attachment as a page lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct AttachmentView {
    pub(crate) id: i64,
    pub(crate) name: String,
    /// "2.4 MB", "830 KB", "12 bytes".
    pub(crate) size: String,
    /// A photo: shown as a thumbnail linking to the full size.
    pub(crate) is_image: bool,
    /// Where the file is served, e.g. `/attachments/7`.
    pub(crate) href: String,
    /// Where its thumbnail is served, e.g. `/attachments/7/thumbnail`.
    pub(crate) thumb: String,
}

/// Where staff and campus users fetch files (the visitor's role decides what they may see).
pub(crate) const FILES: &str = "/attachments";

/// Where the holder of a private link fetches the files of its ticket, in any status.
pub(crate) fn reporter_files(token: &str) -> String {
    format!("/r/{token}/attachments")
}

impl AttachmentView {
    /// `attachment` as a page lists it, its file served under `base` (see [`FILES`] and
    /// [`reporter_files`]).
    pub(crate) fn new(attachment: &Attachment, base: &str) -> Self {
        AttachmentView {
            id: attachment.id,
            name: attachment.file_name.clone(),
            size: size_text(attachment.size),
            is_image: attachment.is_image() && attachment.thumbnail_sha256.is_some(),
            href: format!("{base}/{}", attachment.id),
            thumb: format!("{base}/{}/thumbnail", attachment.id),
        }
    }

    /// The attachments of `all` that came with message `message_id` (`None`: with the report),
    /// served under `base`.
    pub(crate) fn of(all: &[Attachment], message_id: Option<i64>, base: &str) -> Vec<AttachmentView> {
        all.iter().filter(|a| a.message_id == message_id).map(|a| AttachmentView::new(a, base)).collect()
    }
}

/// A size for people: bytes under 1 KB, else KB or MB with one decimal below 10.
fn size_text(bytes: i64) -> String {
    const KB: f64 = 1000.0;
    let b = bytes as f64;
    if bytes < 1000 {
        format!("{bytes} bytes")
    } else if b < KB * KB {
        format!("{:.0} KB", (b / KB).max(1.0))
    } else if b < 10.0 * KB * KB {
        format!("{:.1} MB", b / (KB * KB))
    } else {
        format!("{:.0} MB", b / (KB * KB))
    }
}

/// `GET /attachments/{id}`: the file, a photo inline, anything else as a download.
pub(crate) async fn show_attachment(
    State(state): State<AppState>,
    session: Session,
    Path(raw_id): Path<String>,
) -> Result<Response, WebError> {
    serve(&state, Holder::Session(&session), &raw_id, false).await
}

/// `GET /attachments/{id}/thumbnail`: a photo's thumbnail (a small JPEG).
pub(crate) async fn show_thumbnail(
    State(state): State<AppState>,
    session: Session,
    Path(raw_id): Path<String>,
) -> Result<Response, WebError> {
    serve(&state, Holder::Session(&session), &raw_id, true).await
}

/// `GET /r/{token}/attachments/{id}`: a file of the ticket this private link opens (any
/// status), as [`show_attachment`] serves it.
pub(crate) async fn show_reporter_attachment(
    State(state): State<AppState>,
    Path((token, raw_id)): Path<(String, String)>,
) -> Result<Response, WebError> {
    serve(&state, Holder::Link(&token), &raw_id, false).await
}

/// `GET /r/{token}/attachments/{id}/thumbnail`: a photo's thumbnail, for the link's holder.
pub(crate) async fn show_reporter_thumbnail(
    State(state): State<AppState>,
    Path((token, raw_id)): Path<(String, String)>,
) -> Result<Response, WebError> {
    serve(&state, Holder::Link(&token), &raw_id, true).await
}

/// Who asks for a file: a visitor in their role, or the holder of a ticket's private link.
#[derive(Clone, Copy)]
enum Holder<'a> {
    Session(&'a Session),
    Link(&'a str),
}

async fn serve(
    state: &AppState,
    holder: Holder<'_>,
    raw_id: &str,
    thumbnail: bool,
) -> Result<Response, WebError> {
    let not_found = || {
        WebError::NotFound(format!(
            "There is no attachment \u{201c}{raw_id}\u{201d}, or it belongs to a ticket you cannot see."
        ))
    };
    let id = raw_id.parse::<i64>().ok().filter(|id| *id > 0).ok_or_else(not_found)?;
    let fetched = match holder {
        Holder::Session(session) => state.tickets.attachment(&session.actor(), id, thumbnail).await,
        Holder::Link(token) => state.tickets.reporter_attachment(token, id, thumbnail).await,
    };
    let body = match fetched {
        Ok(body) => body,
        Err(err) => {
            return Err(match read_failure(&err) {
                Failure::NotFound(_) => not_found(),
                _ => WebError::from_client(TICKET_SERVICE, err),
            });
        }
    };
    let file_name = file_name_in(&body.content_disposition);
    let mut response = body.bytes.into_response();
    api::set_file_headers(response.headers_mut(), &body.content_type, &file_name);
    Ok(response)
}

/// The exact file name in a `Content-Disposition` the ticket service made (its RFC 8187
/// `filename*`), or `attachment` when there is none.
fn file_name_in(disposition: &str) -> String {
    disposition
        .split(';')
        .find_map(|part| part.trim().strip_prefix("filename*=UTF-8''"))
        .and_then(|encoded| percent_decode_str(encoded).decode_utf8().ok())
        .map_or_else(|| "attachment".to_owned(), |name| name.into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_exact_file_name_comes_back_from_the_disposition() {
        assert_eq!(file_name_in("inline; filename=\"_.png\"; filename*=UTF-8''%C3%A9t%C3%A9.png"), "été.png");
        assert_eq!(file_name_in("attachment"), "attachment");
    }

    #[test]
    fn sizes_read_for_people() {
        assert_eq!(size_text(12), "12 bytes");
        assert_eq!(size_text(830_000), "830 KB");
        assert_eq!(size_text(2_400_000), "2.4 MB");
        assert_eq!(size_text(10_485_760), "10 MB");
    }
}
