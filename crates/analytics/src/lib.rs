//! The campusdesk analytics service.
//!
//! It keeps an in-memory [`ReadModel`] of all tickets, fed only by the ticket service's change
//! feed over HTTP ([`follow_changes`]; it never touches the database), and answers three
//! analyses over HTTP ([`router`]): unclosed tickets of a recent period, resolution time per
//! month, and active tickets per category. [`serve`] wires it all together.
//!
//! Modules: [`read_model`] (the model and the analyses, pure), `state` ([`AppState`]),
//! `routes` ([`router`], [`AppError`]), `follower` ([`follow_changes`]), [`openapi`] (the
//! OpenAPI 3.1 document of [`router`], served at `/api/v1/analytics/openapi.json`).

use std::future::Future;

use anyhow::Context;
use api::TicketsClient;
use jiff::tz::TimeZone;
use tower_http::compression::CompressionLayer;
use tower_http::trace::{DefaultOnFailure, TraceLayer};

mod follower;
pub mod openapi;
pub mod read_model;
mod routes;
mod state;

pub use api::{Period, PeriodError, PeriodUnit};
pub use follower::{PAGE_LIMIT, follow_changes};
pub use read_model::ReadModel;
pub use routes::{AppError, router};
pub use state::{AppState, Clock};

/// What the analytics service needs to run.
#[derive(Debug, Clone)]
pub struct Config {
    /// Base URL of the ticket service, without `/api/v1` (e.g. `http://127.0.0.1:8081`).
    pub tickets_url: String,
    /// The campus time zone; resolution-time months are counted on its wall clock.
    pub time_zone: TimeZone,
    /// Open connections, header-read and idle timeouts ([`serving::serve`]).
    pub connections: serving::ConnectionLimits,
}

/// Runs the analytics service on `listener` until `shutdown` completes.
///
/// Builds an [`AppState`] on the system clock, spawns [`follow_changes`] against
/// `config.tickets_url`, and serves [`router`] with a `tower_http` trace layer under
/// `config.connections` ([`serving::serve`]). On `shutdown`
/// it stops accepting connections, lets requests in flight finish, stops the follower and
/// returns. `/healthz` answers 503 until the first catch-up with the ticket service finished.
///
/// Errors: only when the HTTP server itself fails (e.g. the listener breaks).
pub async fn serve(
    listener: tokio::net::TcpListener,
    config: Config,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()> {
    let state = AppState::new(config.time_zone);
    let client = TicketsClient::new(&config.tickets_url);
    let follower = tokio::spawn(follow_changes(client, state.clone()));
    if let Ok(addr) = listener.local_addr() {
        tracing::info!(%addr, tickets_url = %config.tickets_url, "analytics service listening");
    }
    // A 503 before the first catch-up is expected (readiness probes ask for it), and a 500 logs
    // its own cause, so the trace layer reports failed responses only at debug level.
    let trace = TraceLayer::new_for_http().on_failure(DefaultOnFailure::new().level(tracing::Level::DEBUG));
    let app = router(state).layer(CompressionLayer::new()).layer(trace);
    let result = serving::serve(listener, app, config.connections, shutdown).await;
    follower.abort();
    result.context("the analytics HTTP server failed")
}
