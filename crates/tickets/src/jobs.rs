//! Import jobs: a CSV import runs as a job of its own, apart from the request that uploaded
//! it, with its record in the ticket database (see [`store::jobs`]).
//!
//! - The request stores the job (`queued`) and spawns its worker; whether it then waits for
//!   the outcome or answers 202 at once is the route's choice (`routes::imports`). A client that
//!   goes away changes nothing: the job goes on and its outcome is kept.
//! - The worker takes this process's one import slot, validates the whole file
//!   (`validating`: read, check and classify every row), then writes every ticket in one
//!   transaction that also marks the job `done` (`writing` -> `done`); any error marks it
//!   `failed` and stores nothing.
//! - A reporter task writes the job's state and counters to the database when the state
//!   changes and every [`PROGRESS_EVERY`], so every replica can answer `GET` with fresh
//!   counters. That write is the job's heartbeat: a job not ended whose record has not moved
//!   for [`ImportSettings::lease`] lost its worker (a restart, a crash), and whoever reads it
//!   next marks it `failed` (`ImportJobs::settle`). Its tickets were never committed: the
//!   write is one transaction, and it checks that the job was not failed meanwhile.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use anyhow::Context as _;
use domain::Actor;
use store::{ImportJob, ImportState, StoreError};
use tokio::sync::{Semaphore, watch};

use crate::AppState;
use crate::import::{ImportCounters, parse_import_csv_counting};

/// How often a running job's progress is written to the database: every second.
pub const PROGRESS_EVERY: Duration = Duration::from_secs(1);

/// The sentence a job interrupted by a restart or crash fails with.
const INTERRUPTED: &str = "the import was interrupted before it ended (the ticket service that ran it stopped); \
     nothing was imported; send the file again";

/// The import settings of a ticket service, from its environment
/// ([`ImportSettings::from_env`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ImportSettings {
    /// Files up to this many bytes sent to `POST /api/v1/import` are answered when their job
    /// has ended (201 or the problem), as before jobs existed; larger ones get 202 at once.
    /// Default 1 MiB (about 11,000 rows: a few seconds). `CAMPUSDESK_IMPORT_SYNC_LIMIT`.
    pub sync_limit: usize,
    /// How long a job that has not ended may go without its record moving before it counts as
    /// interrupted and is marked `failed`. Default 30 s (its worker reports every
    /// [`PROGRESS_EVERY`]). `CAMPUSDESK_IMPORT_JOB_LEASE`, in seconds, at least 5.
    pub lease: Duration,
}

impl Default for ImportSettings {
    fn default() -> Self {
        ImportSettings { sync_limit: 1024 * 1024, lease: Duration::from_secs(30) }
    }
}

impl ImportSettings {
    /// The defaults, overridden by `CAMPUSDESK_IMPORT_SYNC_LIMIT` (bytes, a whole number) and
    /// `CAMPUSDESK_IMPORT_JOB_LEASE` (seconds, a whole number of at least 5).
    ///
    /// Errors: a variable that is set but not such a number (the message names it).
    pub fn from_env() -> anyhow::Result<Self> {
        let mut settings = ImportSettings::default();
        if let Some(bytes) = env_number("CAMPUSDESK_IMPORT_SYNC_LIMIT")? {
            settings.sync_limit =
                usize::try_from(bytes).context("CAMPUSDESK_IMPORT_SYNC_LIMIT is too large")?;
        }
        if let Some(seconds) = env_number("CAMPUSDESK_IMPORT_JOB_LEASE")? {
            anyhow::ensure!(
                seconds >= 5,
                "CAMPUSDESK_IMPORT_JOB_LEASE must be at least 5 (seconds); got {seconds}"
            );
            settings.lease = Duration::from_secs(seconds);
        }
        Ok(settings)
    }
}

/// The whole number in environment variable `name`, if it is set.
fn env_number(name: &str) -> anyhow::Result<Option<u64>> {
    match std::env::var(name) {
        Err(std::env::VarError::NotPresent) => Ok(None),
        Err(err) => Err(err).with_context(|| format!("{name} cannot be read")),
        Ok(value) => value
            .trim()
            .parse()
            .map(Some)
            .with_context(|| format!("{name} must be a whole number; got {value:?}")),
    }
}

/// A job this process runs: its state and counters, fresher than the database's.
#[derive(Debug)]
pub(crate) struct Live {
    state: watch::Sender<ImportState>,
    counters: ImportCounters,
}

impl Live {
    /// Waits until the job has ended, at most `within`; `true` when it has.
    pub(crate) async fn ended_within(&self, within: Duration) -> bool {
        let mut state = self.state.subscribe();
        tokio::time::timeout(within, state.wait_for(|state| state.is_final()))
            .await
            .is_ok_and(|seen| seen.is_ok())
    }
}

/// The import jobs of one ticket service process: its settings, its running jobs and its one
/// import slot (imports classify on every core, so two at once would only halve each other).
#[derive(Debug)]
pub(crate) struct ImportJobs {
    settings: ImportSettings,
    running: Mutex<HashMap<i64, Arc<Live>>>,
    slot: Semaphore,
}

impl ImportJobs {
    pub(crate) fn new(settings: ImportSettings) -> Self {
        ImportJobs { settings, running: Mutex::new(HashMap::new()), slot: Semaphore::new(1) }
    }

    pub(crate) fn settings(&self) -> ImportSettings {
        self.settings
    }

    /// The job `id` if this process runs it.
    pub(crate) fn live(&self, id: i64) -> Option<Arc<Live>> {
        self.running.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).get(&id).cloned()
    }

    fn set_running(&self, id: i64, live: Option<Arc<Live>>) {
        let mut running = self.running.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        match live {
            Some(live) => running.insert(id, live),
            None => running.remove(&id),
        };
    }

    /// `job` as it stands: with this process's fresher state and counters when it runs it;
    /// marked `failed` in the database first when it has not ended, no process runs it here,
    /// and its record has not moved for the lease (its worker is gone).
    ///
    /// Errors: the store failing.
    pub(crate) async fn settle(&self, state: &AppState, mut job: ImportJob) -> Result<ImportJob, StoreError> {
        if job.state.is_final() {
            return Ok(job);
        }
        if let Some(live) = self.live(job.id) {
            let now = *live.state.borrow();
            if !now.is_final() {
                job.state = now;
            }
            let (total, checked) = live.counters.read();
            job.total = total.or(job.total);
            job.checked = job.checked.max(checked);
            return Ok(job);
        }
        let now = state.now();
        let stale = now.as_millisecond() - job.updated_at.as_millisecond()
            > i64::try_from(self.settings.lease.as_millis()).unwrap_or(i64::MAX);
        if stale {
            tracing::warn!(job = job.id, "import job interrupted: its worker stopped reporting");
            state.store().fail_import_job(job.id, None, INTERRUPTED, true, now).await?;
        }
        Ok(state.store().import_job(job.id).await?.unwrap_or(job))
    }

    /// Runs job `job` (just created, `queued`) on `text` in a task of its own and returns its
    /// live handle at once.
    pub(crate) fn spawn(state: &AppState, job: &ImportJob, text: String, actor: Actor) -> Arc<Live> {
        let live = Arc::new(Live {
            state: watch::Sender::new(ImportState::Queued),
            counters: ImportCounters::default(),
        });
        state.imports().set_running(job.id, Some(Arc::clone(&live)));
        tokio::spawn(run(state.clone(), job.id, text, actor, Arc::clone(&live)));
        live
    }
}

/// The worker of job `id`: validate, then write all or nothing; the job's record says how it
/// ended, and the reporter keeps it fresh meanwhile.
async fn run(state: AppState, id: i64, text: String, actor: Actor, live: Arc<Live>) {
    let reporter = tokio::spawn(report(state.clone(), id, Arc::clone(&live)));
    let ended = work(&state, id, text, &actor, &live).await;
    reporter.abort();
    // The file's rows, classifications and statements are freed now; without this, glibc
    // keeps their pages resident in the arenas of the threads that built them.
    let trimmed = tokio::task::spawn_blocking(crate::memory::release_freed).await;
    tracing::debug!(job = id, returned = trimmed.unwrap_or(false), "import memory given back");
    let store = state.store();
    let failed = match ended {
        Ok(ids) => {
            tracing::info!(job = id, tickets = ids.len(), "import job done");
            live.state.send_replace(ImportState::Done);
            state.imports().set_running(id, None);
            return;
        }
        Err(Failure::File { row, message }) => {
            store
                .fail_import_job(
                    id,
                    Some(row),
                    &format!("nothing was imported: {message}"),
                    false,
                    state.now(),
                )
                .await
        }
        Err(Failure::Service(err)) => {
            tracing::error!(job = id, error = ?err, "import job failed");
            let message = "the import could not be written because the ticket database failed; \
                 nothing was imported; send the file again";
            store.fail_import_job(id, None, message, true, state.now()).await
        }
    };
    if let Err(err) = failed {
        // The record stays unfinished; once the lease has passed, the next reader fails it.
        tracing::error!(job = id, error = ?err, "cannot record the failure of an import job");
    }
    live.state.send_replace(ImportState::Failed);
    state.imports().set_running(id, None);
}

/// Why a job failed.
enum Failure {
    /// The file: a bad row (`row`, 0 for the file as a whole).
    File { row: i64, message: String },
    /// The service or its database.
    Service(anyhow::Error),
}

/// Validates the file and writes its tickets; the new ids on success.
async fn work(
    state: &AppState,
    id: i64,
    text: String,
    actor: &Actor,
    live: &Arc<Live>,
) -> Result<Vec<i64>, Failure> {
    let _slot = state.imports().slot.acquire().await.map_err(|e| Failure::Service(e.into()))?;
    live.state.send_replace(ImportState::Validating);
    let started = std::time::Instant::now();
    let classifier = state.classifier();
    let counting = Arc::clone(live);
    let tickets = tokio::task::spawn_blocking(move || {
        parse_import_csv_counting(&text, &classifier, &counting.counters)
    })
    .await
    .map_err(|e| Failure::Service(anyhow::Error::new(e).context("the import parser panicked")))?
    .map_err(|e| Failure::File { row: i64::try_from(e.row).unwrap_or(i64::MAX), message: e.to_string() })?;
    let validated = started.elapsed();
    tracing::info!(
        job = id,
        tickets = tickets.len(),
        validate_ms = validated.as_millis(),
        "import job validated"
    );
    live.state.send_replace(ImportState::Writing);
    let (total, checked) = live.counters.read();
    let store = state.store();
    store
        .report_import_job(id, ImportState::Writing, total, checked, state.now())
        .await
        .map_err(|e| Failure::Service(e.into()))?;
    let finished = store.finish_import_job(id, tickets, actor, state.now()).await;
    tracing::info!(job = id, write_ms = (started.elapsed() - validated).as_millis(), "import job written");
    match finished {
        Ok(ids) => Ok(ids),
        Err(StoreError::InvalidImport { row, message }) => Err(Failure::File {
            row: i64::try_from(row).unwrap_or(i64::MAX),
            message: format!("row {row}: {message}"),
        }),
        Err(err) => Err(Failure::Service(err.into())),
    }
}

/// Writes job `id`'s state and counters to the database whenever its state changes and every
/// [`PROGRESS_EVERY`], one write at a time (so they land in order), until the job ends (the
/// worker then aborts this task and writes the outcome itself).
async fn report(state: AppState, id: i64, live: Arc<Live>) {
    let mut changed = live.state.subscribe();
    loop {
        let current = *changed.borrow_and_update();
        if current.is_final() {
            return;
        }
        let (total, checked) = live.counters.read();
        // A queued job reports too: waiting for this process's slot, it is not interrupted.
        let written = state.store().report_import_job(id, current, total, checked, state.now()).await;
        match written {
            Ok(true) => {}
            Ok(false) => return,
            Err(err) => tracing::warn!(job = id, error = ?err, "cannot record an import job's progress"),
        }
        let _ = tokio::time::timeout(PROGRESS_EVERY, changed.changed()).await;
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use std::sync::Arc;

    use classifier::Classifier;
    use jiff::{Timestamp, ToSpan};
    use store::{NewImportJob, TicketStore};

    use super::*;
    use crate::import::parse_import_csv;

    fn state_at(store: &Arc<store_sqlite::SqliteStore>, now: Timestamp) -> AppState {
        let store: Arc<dyn TicketStore> = store.clone();
        AppState::new(store, Arc::new(Classifier::builtin())).with_clock(Arc::new(move || now))
    }

    #[tokio::test]
    async fn a_job_whose_worker_stopped_is_failed_and_can_no_longer_store_tickets() {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}", dir.path().join("tickets.db").display());
        let store = Arc::new(store_sqlite::SqliteStore::open(&url).await.unwrap());
        let started = Timestamp::now();
        let new = NewImportJob {
            dedupe_key: "key:history".into(),
            idempotency_key: Some("history".into()),
            sha256: "0".repeat(64),
            bytes: 80,
            actor_name: None,
        };
        let (job, created) = store.create_import_job(new.clone(), started).await.unwrap();
        assert!(created);
        assert!(store.report_import_job(job.id, ImportState::Writing, Some(1), 1, started).await.unwrap());

        // Within the lease the job is still taken as running somewhere.
        let soon = state_at(&store, started + 10.seconds());
        let job = soon.imports().settle(&soon, job).await.unwrap();
        assert_eq!(job.state, ImportState::Writing);

        // After it, as after a restart of the process that ran it, it is reported failed.
        let later = started + 31.seconds();
        let state = state_at(&store, later);
        let job = state.imports().settle(&state, job).await.unwrap();
        assert_eq!(job.state, ImportState::Failed);
        assert!(job.error.as_deref().unwrap().contains("interrupted"), "{:?}", job.error);

        // A worker that was only slow cannot store its tickets any more: all or nothing.
        let file = "title,description,status,opened_at,closed_at\nA,B,open,2026-01-01T00:00:00Z,\n";
        let tickets = parse_import_csv(file, &Classifier::builtin()).unwrap();
        store.finish_import_job(job.id, tickets, &domain::Actor::staff(), later).await.unwrap_err();
        assert_eq!(store.count_tickets().await.unwrap(), 0);
        assert_eq!(store.import_job(job.id).await.unwrap().unwrap().state, ImportState::Failed);

        // The interrupted job gave up its key: a retry starts anew.
        let (retry, created) = store.create_import_job(new, later).await.unwrap();
        assert!(created);
        assert_ne!(retry.id, job.id);
    }
}
