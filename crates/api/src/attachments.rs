//! Attachments on the wire: the multipart uploads (documentation shapes), their answers, and
//! the files the typed client sends and fetches.

use domain::{Attachment, Message, Ticket};
use serde::{Deserialize, Serialize};

/// `POST /api/v1/ticket-uploads` (`multipart/form-data`): a new ticket with files. Only
/// describes the body for the OpenAPI document.
#[derive(Debug, Clone, utoipa::ToSchema)]
pub struct TicketUpload {
    /// Short title, 1 to 120 characters.
    pub title: String,
    /// Description, 1 to 5,000 characters.
    pub description: String,
    /// Optional: the reporter's e-mail address for updates, as on `POST /api/v1/tickets`
    /// (422 when malformed or when e-mail updates are off; blank counts as absent).
    pub reporter_email: Option<String>,
    /// Up to 5 files (the service's limit), each a part named `files` with a file name: PNG or
    /// JPEG photos, or PDF documents, up to 10 MiB each (the service's limit).
    #[schema(value_type = Vec<String>, format = Binary)]
    pub files: Vec<Vec<u8>>,
}

/// `POST /api/v1/tickets/{id}/message-uploads` (`multipart/form-data`): a message with files.
/// Only describes the body for the OpenAPI document.
#[derive(Debug, Clone, utoipa::ToSchema)]
pub struct MessageUpload {
    /// The message, 1 to 5,000 characters.
    pub body: String,
    /// Files, as in [`TicketUpload::files`].
    #[schema(value_type = Vec<String>, format = Binary)]
    pub files: Vec<Vec<u8>>,
}

/// Answer of `POST /api/v1/ticket-uploads`: the ticket and its attachments, as stored, and
/// the ticket's private reporter token (as in [`crate::CreatedTicket`], the only answer that
/// carries it).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct TicketWithAttachments {
    /// The ticket, classified and open.
    pub ticket: Ticket,
    /// Its attachments, in the order sent.
    pub attachments: Vec<Attachment>,
    /// The ticket's private reporter token: 22 characters of base64url (see
    /// [`crate::CreatedTicket::reporter_token`]).
    #[schema(min_length = 22, max_length = 22, pattern = "^[A-Za-z0-9_-]{22}$")]
    pub reporter_token: String,
}

/// Answer of `POST /api/v1/tickets/{id}/message-uploads`: the message and its attachments.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct MessageWithAttachments {
    /// The message, as stored.
    pub message: Message,
    /// Its attachments, in the order sent.
    pub attachments: Vec<Attachment>,
}

/// A file for the typed client to upload.
#[derive(Debug, Clone)]
pub struct UploadFile {
    /// The file name the user gave (the service keeps only its last segment).
    pub file_name: String,
    /// The content.
    pub bytes: Vec<u8>,
}

/// A served attachment (or thumbnail) as the typed client fetched it: what a proxy passes on.
#[derive(Debug, Clone)]
pub struct AttachmentBody {
    /// The service's `Content-Type`: the exact image type, or `application/octet-stream`.
    pub content_type: String,
    /// The service's `Content-Disposition` (`inline` for images, `attachment` otherwise, with
    /// the file name).
    pub content_disposition: String,
    /// The bytes.
    pub bytes: Vec<u8>,
}

/// How many attachments a post may carry and how large each may be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AttachmentLimits {
    /// Largest file, in bytes. Default 10 MiB. `--attachment-max-bytes` /
    /// `CAMPUSDESK_ATTACHMENT_MAX_BYTES`.
    pub max_bytes: usize,
    /// Most files per ticket report or message. Default 5. `--attachment-max-files` /
    /// `CAMPUSDESK_ATTACHMENT_MAX_FILES`.
    pub max_files: usize,
}

impl Default for AttachmentLimits {
    fn default() -> Self {
        AttachmentLimits { max_bytes: 10 * 1024 * 1024, max_files: 5 }
    }
}

impl AttachmentLimits {
    /// The largest multipart body an upload within these limits can be: every file at its
    /// largest plus 1 MiB for the text fields and the parts' headers. What the web UI reads
    /// at most on its upload routes.
    pub fn max_body_bytes(&self) -> usize {
        self.max_bytes.saturating_mul(self.max_files).saturating_add(1024 * 1024)
    }
}

/// The Content-Security-Policy every served file carries: no script, no plugin, no fetch, and
/// a unique origin even when the file is opened directly.
pub const FILE_CSP: &str = "sandbox; default-src 'none'";

/// Sets the headers a served file carries (the ticket service's and the web UI's alike), so
/// that a browser never runs it: `Content-Type` (`content_type` when it is `image/png` or
/// `image/jpeg`, else `application/octet-stream`), `Content-Disposition` (`inline` for those
/// photos, `attachment` for anything else, with `file_name`: an ASCII `filename` where other
/// characters become `_`, and the exact name as RFC 8187 `filename*`),
/// `X-Content-Type-Options: nosniff`, `Content-Security-Policy:` [`FILE_CSP`] and
/// `Cache-Control: private, max-age=300`.
pub fn set_file_headers(headers: &mut reqwest::header::HeaderMap, content_type: &str, file_name: &str) {
    use reqwest::header::{self, HeaderValue};
    let photo = ["image/png", "image/jpeg"].into_iter().find(|t| *t == content_type);
    let disposition = if photo.is_some() { "inline" } else { "attachment" };
    let ascii: String = file_name
        .chars()
        .map(|c| if (c.is_ascii_graphic() && c != '"' && c != '\\') || c == ' ' { c } else { '_' })
        .collect();
    let exact = percent_encoding::utf8_percent_encode(file_name, percent_encoding::NON_ALPHANUMERIC);
    let disposition = format!("{disposition}; filename=\"{ascii}\"; filename*=UTF-8''{exact}");
    headers
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(photo.unwrap_or("application/octet-stream")));
    if let Ok(value) = HeaderValue::from_str(&disposition) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(FILE_CSP));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("private, max-age=300"));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers_for(content_type: &str, file_name: &str) -> reqwest::header::HeaderMap {
        let mut headers = reqwest::header::HeaderMap::new();
        set_file_headers(&mut headers, content_type, file_name);
        headers
    }

    #[test]
    fn only_photos_are_inline_and_names_cannot_break_out() {
        let pdf = headers_for("application/pdf", "a\"b\\c é.pdf");
        assert_eq!(pdf["content-type"], "application/octet-stream");
        assert_eq!(
            pdf["content-disposition"],
            "attachment; filename=\"a_b_c _.pdf\"; filename*=UTF-8''a%22b%5Cc%20%C3%A9%2Epdf"
        );
        assert_eq!(pdf["content-security-policy"], FILE_CSP);
        assert_eq!(pdf["x-content-type-options"], "nosniff");
        let html = headers_for("text/html", "x.html");
        assert_eq!(html["content-type"], "application/octet-stream");
        let png = headers_for("image/png", "heater.png");
        assert_eq!(png["content-type"], "image/png");
        assert!(
            png["content-disposition"]
                .to_str()
                .unwrap_or_default()
                .starts_with("inline; filename=\"heater.png\"")
        );
    }
}
