//! Import jobs: the record of one CSV import, kept in the ticket database so that every
//! replica of the ticket service can answer for it, and a restart cannot leave it unexplained.
//!
//! A job goes `queued -> validating -> writing -> done`, or to `failed` from any state before
//! `done`. `done` is written in the same transaction as the imported tickets
//! ([`crate::TicketStore::finish_import_job`]), so a job that says `done` has its tickets
//! stored, and one that says anything else has none of them.

use jiff::Timestamp;

/// Where an import job stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ImportState {
    /// Accepted, waiting for another import of this service to finish.
    Queued,
    /// Reading, checking and classifying the rows; nothing is written yet.
    Validating,
    /// Every row was valid; the tickets are being written in one transaction.
    Writing,
    /// Every ticket is stored (final).
    Done,
    /// Nothing was stored: a bad row, or the job was interrupted (final).
    Failed,
}

impl ImportState {
    /// Every state, in the order a job passes them.
    pub const ALL: [ImportState; 5] = [
        ImportState::Queued,
        ImportState::Validating,
        ImportState::Writing,
        ImportState::Done,
        ImportState::Failed,
    ];

    /// The lower-case name stored in the database and shown on the API (`queued`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            ImportState::Queued => "queued",
            ImportState::Validating => "validating",
            ImportState::Writing => "writing",
            ImportState::Done => "done",
            ImportState::Failed => "failed",
        }
    }

    /// The state named `name` ([`ImportState::as_str`]); `None` for anything else.
    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|state| state.as_str() == name)
    }

    /// Whether the job has ended (`done` or `failed`): it never changes again.
    pub fn is_final(self) -> bool {
        matches!(self, ImportState::Done | ImportState::Failed)
    }
}

impl std::fmt::Display for ImportState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A new import job, as [`crate::TicketStore::create_import_job`] takes it.
#[derive(Debug, Clone)]
pub struct NewImportJob {
    /// What makes a retry find this job instead of starting another: `key:<Idempotency-Key>`
    /// or `sha256:<digest>` (the caller chooses); unique among the jobs that hold one.
    pub dedupe_key: String,
    /// The client's `Idempotency-Key`, when it sent one.
    pub idempotency_key: Option<String>,
    /// The file's SHA-256 digest, 64 lower-case hex digits.
    pub sha256: String,
    /// The file's size in bytes.
    pub bytes: i64,
    /// The staff member's display name, when given.
    pub actor_name: Option<String>,
}

/// An import job as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportJob {
    /// The job's id (positive, increasing).
    pub id: i64,
    /// The client's `Idempotency-Key`, when it sent one.
    pub idempotency_key: Option<String>,
    /// The file's SHA-256 digest, 64 lower-case hex digits.
    pub sha256: String,
    /// The file's size in bytes.
    pub bytes: i64,
    /// The staff member's display name, when given.
    pub actor_name: Option<String>,
    /// Where it stands.
    pub state: ImportState,
    /// How many tickets the file holds; `None` until the file has been read.
    pub total: Option<i64>,
    /// How many rows have been checked (read, validated and classified).
    pub checked: i64,
    /// How many tickets are stored: 0 until `done`, then all of them (the write is one
    /// transaction).
    pub written: i64,
    /// The new tickets' ids in file order, once `done`.
    pub ids: Vec<i64>,
    /// Why it failed: the 1-based data row at fault, when a row was.
    pub error_row: Option<i64>,
    /// Why it failed, as a sentence.
    pub error: Option<String>,
    /// When it was accepted (UTC).
    pub created_at: Timestamp,
    /// When its worker last reported (UTC): progress or a heartbeat. A job that is not final
    /// and has not reported for the lease (see the ticket service) was interrupted.
    pub updated_at: Timestamp,
}
