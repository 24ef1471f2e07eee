//! Import jobs on the wire: [`ImportJobView`], what `POST /api/v1/imports` (202) and
//! `GET /api/v1/imports/{id}` answer, and the [`IDEMPOTENCY_KEY`] header.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use crate::{ImportReport, Problem};

/// Request header naming a retryable import: a second `POST` with the same key (and the same
/// file) returns the first one's job instead of importing again. 1 to 200 visible ASCII
/// characters.
pub const IDEMPOTENCY_KEY: &str = "idempotency-key";

/// Request header value (`Prefer: respond-async`, RFC 7240) asking `POST /api/v1/import` to
/// answer 202 with the job at once, even for a small file.
pub const RESPOND_ASYNC: &str = "respond-async";

/// Where an import job stands, as the API names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum ImportJobState {
    /// Accepted, waiting for another import of the same service process to end.
    Queued,
    /// Reading, checking and classifying rows; nothing is written yet.
    Validating,
    /// Every row was valid; the tickets are being written in one transaction.
    Writing,
    /// Every ticket is stored (final).
    Done,
    /// Nothing was stored (final): see `problem`.
    Failed,
}

impl ImportJobState {
    /// Whether the job has ended (`done` or `failed`).
    pub fn is_final(self) -> bool {
        matches!(self, ImportJobState::Done | ImportJobState::Failed)
    }

    /// The lower-case name (`queued`, `validating`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            ImportJobState::Queued => "queued",
            ImportJobState::Validating => "validating",
            ImportJobState::Writing => "writing",
            ImportJobState::Done => "done",
            ImportJobState::Failed => "failed",
        }
    }
}

/// The largest CSV file an import takes: 20 MiB, in bytes. A larger file is refused with 413
/// before anything is read.
pub const IMPORT_FILE_LIMIT: usize = 20 * 1024 * 1024;

/// An import job: `POST /api/v1/imports` answers it (202, with `Location: url`), and
/// `GET /api/v1/imports/{id}` reports it from any replica of the ticket service.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ImportJobView {
    /// The job's id.
    pub id: i64,
    /// Its path on the ticket service, `/api/v1/imports/{id}`.
    pub url: String,
    /// Where it stands.
    pub state: ImportJobState,
    /// How many tickets the file holds; `null` until the file has been read.
    pub total: Option<i64>,
    /// Rows checked so far (read, validated, classified).
    pub checked: i64,
    /// Tickets stored: 0 until `done` (the write is one transaction), then all of them.
    pub written: i64,
    /// When `done`: how many tickets were imported and their ids in file order.
    pub outcome: Option<ImportReport>,
    /// When `failed`: why, as the problem a synchronous import would have answered (422
    /// naming the row for a bad file; 503 when the job was interrupted and may be retried).
    pub problem: Option<Problem>,
    /// When `failed` because of a row: its 1-based number (the header not counted); 0 when the
    /// file as a whole is at fault.
    pub error_row: Option<i64>,
    /// The `Idempotency-Key` the job was started with, if any.
    pub idempotency_key: Option<String>,
    /// The file's SHA-256 digest (64 lower-case hex digits).
    pub sha256: String,
    /// The file's size in bytes.
    pub bytes: i64,
    /// When it was accepted (UTC).
    pub created_at: Timestamp,
    /// When it last moved or reported (UTC).
    pub updated_at: Timestamp,
}
