//! The campusdesk ticket service: the REST API under `/api/v1`, the change feed (pull by cursor
//! and server-sent events), CSV import and the demo data set. It is the only part of campusdesk
//! that talks to the ticket database (through a [`store::TicketStore`]).
//!
//! - [`router`] builds the axum [`Router`] (for tests and for embedding in one process);
//! - [`serve`] runs it on a listener the caller bound, with graceful shutdown;
//! - [`open_store`] picks the storage backend from a database URL;
//! - [`import`] parses import CSV files, [`jobs`] runs each import as a tracked job, [`demo`]
//!   generates the demo data set;
//! - [`learning`] retrains the classifier in the background on staff category corrections;
//! - [`mail`] sends e-mail updates to reporters from the outbox (when SMTP is configured);
//! - [`openapi`] is the OpenAPI 3.1 document of these routes, served at `/api/v1/openapi.json`.
//!
//! Roles are declared with the `X-Campusdesk-Role` header (no login, by requirement) and the
//! service enforces what each role may do. Errors are RFC 9457 `application/problem+json`
//! bodies (see [`AppError`]).

use std::future::Future;
use std::sync::{Arc, RwLock};
use std::time::Duration;

use anyhow::Context as _;
use axum::Router;
use axum::extract::{DefaultBodyLimit, Request};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use classifier::Classifier;
use jiff::{SignedDuration, Timestamp};
use store::TicketStore;
use tokio::sync::watch;
use tower_http::compression::CompressionLayer;
use tower_http::trace::TraceLayer;

pub mod attachments;
pub mod demo;
mod error;
mod extract;
pub mod import;
pub mod jobs;
pub mod learning;
pub mod mail;
mod memory;
pub mod migrate;
pub mod openapi;
mod routes;
mod thread;
mod throttle;

pub use error::AppError;
pub use extract::{Actor, AppJson};

/// Largest accepted JSON request body: 64 KiB.
pub const JSON_BODY_LIMIT: usize = 64 * 1024;
/// Largest accepted CSV file on `POST /api/v1/import`: 20 MiB.
pub const IMPORT_BODY_LIMIT: usize = api::IMPORT_FILE_LIMIT;
/// How long a request may take until its response head is ready: 60 seconds. The timeout does
/// not apply to a response body being streamed, so the change stream is never cut by it.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(60);

/// The service's source of "now" (UTC). Tests swap it with [`AppState::with_clock`].
pub type Clock = Arc<dyn Fn() -> Timestamp + Send + Sync>;

/// What every request handler shares: the store, the classifier (and the retrainer's
/// bookkeeping), the clock, the shutdown signal for live streams and the retrainer, and the
/// limits per client address with their counters. Cheap to clone.
#[derive(Clone)]
pub struct AppState {
    store: Arc<dyn TicketStore>,
    classifier: Arc<RwLock<Arc<Classifier>>>,
    learning: Arc<learning::Learning>,
    clock: Clock,
    shutdown: Arc<watch::Sender<bool>>,
    throttle: Arc<throttle::Throttle>,
    imports: Arc<jobs::ImportJobs>,
    mail: Option<Arc<mail::MailSettings>>,
    attachments: attachments::AttachmentLimits,
    undo_close_window: SignedDuration,
}

impl AppState {
    /// A state over `store`, categorising new tickets with `classifier`, using the system clock
    /// and the default limits ([`serving::Limits::default`]).
    pub fn new(store: Arc<dyn TicketStore>, classifier: Arc<Classifier>) -> Self {
        AppState {
            store,
            classifier: Arc::new(RwLock::new(classifier)),
            learning: Arc::new(learning::Learning::new(Timestamp::now())),
            clock: Arc::new(Timestamp::now),
            shutdown: Arc::new(watch::Sender::new(false)),
            throttle: Arc::new(throttle::Throttle::new(serving::Limits::default())),
            imports: Arc::new(jobs::ImportJobs::new(jobs::ImportSettings::default())),
            mail: None,
            attachments: attachments::AttachmentLimits::default(),
            undo_close_window: domain::UNDO_CLOSE_WINDOW,
        }
    }

    /// The same state with e-mail updates on, sent through `settings` (`None`: off, the
    /// default). [`serve`] starts the sender ([`mail::sender::spawn_sender`]).
    pub fn with_mail(mut self, settings: Option<mail::MailSettings>) -> Self {
        self.mail = settings.map(Arc::new);
        self
    }

    /// The mail settings, when e-mail updates are on.
    pub fn mail(&self) -> Option<&Arc<mail::MailSettings>> {
        self.mail.as_ref()
    }

    /// The same state with other limits: connections, change streams, rate limits and the
    /// trusted proxies whose `X-Forwarded-For` names the client (see `docs/operations.md`).
    /// Counters start afresh.
    pub fn with_limits(mut self, limits: serving::Limits) -> Self {
        self.throttle = Arc::new(throttle::Throttle::new(limits));
        self
    }

    pub(crate) fn throttle(&self) -> &throttle::Throttle {
        &self.throttle
    }

    /// The same state with other import settings (the defaults are
    /// [`jobs::ImportSettings::default`]'s).
    pub fn with_import_settings(mut self, settings: jobs::ImportSettings) -> Self {
        self.imports = Arc::new(jobs::ImportJobs::new(settings));
        self
    }

    /// The same state with other attachment limits (the defaults are
    /// [`attachments::AttachmentLimits::default`]'s: 10 MiB a file, 5 files a post).
    pub fn with_attachment_limits(mut self, limits: attachments::AttachmentLimits) -> Self {
        self.attachments = limits;
        self
    }

    /// How many files a post may carry and how large each may be.
    pub fn attachment_limits(&self) -> attachments::AttachmentLimits {
        self.attachments
    }

    /// The import jobs this process runs, and its import settings.
    pub(crate) fn imports(&self) -> &jobs::ImportJobs {
        &self.imports
    }

    /// The same state with another undo window: how long after closing a ticket staff may
    /// undo the closing (default [`domain::UNDO_CLOSE_WINDOW`], 5 minutes; zero turns undo off).
    pub fn with_undo_close_window(mut self, window: SignedDuration) -> Self {
        self.undo_close_window = window;
        self
    }

    /// How long after closing staff may undo it.
    pub fn undo_close_window(&self) -> SignedDuration {
        self.undo_close_window
    }

    /// The same state with another clock (e.g. a fixed instant in tests).
    pub fn with_clock(mut self, clock: Clock) -> Self {
        self.clock = clock;
        self
    }

    /// The ticket store.
    pub fn store(&self) -> &Arc<dyn TicketStore> {
        &self.store
    }

    /// The classifier in use now.
    pub fn classifier(&self) -> Arc<Classifier> {
        match self.classifier.read() {
            Ok(guard) => Arc::clone(&guard),
            Err(poisoned) => Arc::clone(&poisoned.into_inner()),
        }
    }

    /// Replaces the classifier (e.g. after retraining in the background); requests that
    /// already hold the old one finish with it. Shared by every clone of this state.
    pub fn set_classifier(&self, classifier: Arc<Classifier>) {
        match self.classifier.write() {
            Ok(mut guard) => *guard = classifier,
            Err(poisoned) => *poisoned.into_inner() = classifier,
        }
    }

    /// Tells the retrainer a staff correction was recorded: it retrains shortly (see
    /// [`learning`]). Until the new model is in use, `GET /api/v1/classifier` says
    /// `"retraining": true`.
    pub fn corrections_changed(&self) {
        self.learning.corrections_changed();
    }

    pub(crate) fn learning(&self) -> &learning::Learning {
        &self.learning
    }

    /// The current time according to the state's clock (UTC).
    pub fn now(&self) -> Timestamp {
        (self.clock)()
    }

    /// A receiver that turns `true` once [`serve`] starts shutting down; live streams end then.
    pub(crate) fn shutdown_signal(&self) -> watch::Receiver<bool> {
        self.shutdown.subscribe()
    }
}

/// Opens the ticket store named by `database_url`.
///
/// - `sqlite://PATH` (or any `sqlite:` URL): the embedded SQLite backend
///   ([`store_sqlite::SqliteStore::open`]).
/// - `postgres://` / `postgresql://`: the PostgreSQL backend ([`store_postgres::PgStore::open`]),
///   for several ticket-service replicas on one database.
///
/// Errors: an unsupported scheme (the message names the accepted ones), or the backend failing
/// to open the database (with the cause chain).
pub async fn open_store(database_url: &str) -> anyhow::Result<Arc<dyn TicketStore>> {
    let url = database_url.trim();
    let scheme = url.split_once(':').map(|(scheme, _)| scheme.to_ascii_lowercase());
    match scheme.as_deref() {
        Some("sqlite") => {
            let store = store_sqlite::SqliteStore::open(url)
                .await
                .with_context(|| format!("could not open the SQLite database at {url}"))?;
            Ok(Arc::new(store))
        }
        Some("postgres" | "postgresql") => {
            // The URL may hold a password: it is not repeated in the error.
            let store = store_postgres::PgStore::open(url)
                .await
                .context("could not open the PostgreSQL database named by the database URL")?;
            Ok(Arc::new(store))
        }
        _ => anyhow::bail!(
            "unsupported database URL: it must start with sqlite:// (e.g. sqlite://campusdesk.db) or postgres://"
        ),
    }
}

/// The ticket service's routes: everything under `/api/v1` (see `docs/api.md`) plus
/// `GET /healthz`. Unknown paths get a 404 problem, a wrong method a 405 problem. Bodies are
/// limited to [`JSON_BODY_LIMIT`] ([`IMPORT_BODY_LIMIT`] for the import; the uploads read
/// their parts under the state's [`attachments::AttachmentLimits`]) and responses must
/// start within [`REQUEST_TIMEOUT`]. Answers are compressed (gzip or brotli) when the client's
/// `Accept-Encoding` asks for it, except the change stream (tower-http's `CompressionLayer`).
/// Creating tickets, posting messages, imports and classification are rate limited per client
/// address (429 problem with `Retry-After`), as the state's limits say.
pub fn router(state: AppState) -> Router {
    let trusted = Arc::new(state.throttle().limits().trusted_proxies.clone());
    let limit_rate = middleware::from_fn_with_state(state.clone(), throttle::limit_rate);
    let (routes, _) = openapi::routes().split_for_parts();
    routes
        .method_not_allowed_fallback(routes::method_not_allowed)
        .fallback(routes::not_found)
        .layer(limit_rate)
        .layer(middleware::from_fn_with_state(trusted, serving::resolve_client))
        .layer(DefaultBodyLimit::max(JSON_BODY_LIMIT))
        .layer(middleware::from_fn(limit_time))
        .layer(CompressionLayer::new())
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}

/// Answers 503 (problem) when a handler takes longer than [`REQUEST_TIMEOUT`] to produce its
/// response head. Streaming bodies (the change stream) are not affected.
async fn limit_time(request: Request, next: Next) -> Response {
    match tokio::time::timeout(REQUEST_TIMEOUT, next.run(request)).await {
        Ok(response) => response,
        Err(_) => AppError::Unavailable(format!(
            "the request took longer than {} seconds and was stopped; try again",
            REQUEST_TIMEOUT.as_secs()
        ))
        .into_response(),
    }
}

/// Serves [`router`]`(state)` on `listener` until `shutdown` completes, then stops accepting,
/// ends the live change streams and waits for requests in flight to finish. Connections follow
/// the state's [`serving::ConnectionLimits`] ([`serving::serve`]). The classifier's retrainer
/// ([`learning::spawn_retrainer`]) and, with mail settings, the e-mail sender
/// ([`mail::sender::spawn_sender`]) run alongside and stop with it.
///
/// Errors: the listener failing (I/O).
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()> {
    let streams = Arc::clone(&state.shutdown);
    let retrainer = learning::spawn_retrainer(state.clone());
    let sender = mail::sender::spawn_sender(state.clone());
    let connections = state.throttle().limits().connections;
    let app = router(state);
    if let Ok(addr) = listener.local_addr() {
        tracing::info!(%addr, "ticket service listening");
    }
    let served = serving::serve(listener, app, connections, async move {
        shutdown.await;
        streams.send_replace(true);
    })
    .await
    .context("the ticket service stopped with an I/O error");
    // A training in progress is not waited for: its model would not be used any more.
    retrainer.abort();
    // The sender stops after the send in progress (it checks between sends); one that takes
    // longer is cut off: its notification stays unsent and leased, and is sent once the lease
    // ends (by this process after a restart, or by another replica).
    if let Some(mut sender) = sender
        && tokio::time::timeout(Duration::from_secs(5), &mut sender).await.is_err()
    {
        sender.abort();
    }
    served
}
