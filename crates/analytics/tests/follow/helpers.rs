//! Test harness: the real ticket service on a temp-file SQLite database, the analytics service
//! following it, and a wait-for helper.

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use analytics::Config;
use api::{AnalyticsClient, CreateTicketRequest, TicketsClient};
use domain::{Actor, Status, Ticket};
use jiff::tz::TimeZone;
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

/// How long a condition may take to become true before the test fails.
const DEADLINE: Duration = Duration::from_secs(20);
/// Pause between two probes of a condition.
const POLL: Duration = Duration::from_millis(20);

/// Sends the services' logs to the test output when `TEST_LOG` is set (e.g. `TEST_LOG=debug`).
pub(crate) fn init_logging() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    if let Some(filter) = std::env::var_os("TEST_LOG") {
        ONCE.call_once(|| {
            let filter = filter.to_string_lossy().into_owned();
            tracing_subscriber::fmt().with_env_filter(filter).with_test_writer().init();
        });
    }
}

/// A running ticket service (the real `tickets` crate) on a SQLite file.
pub(crate) struct TicketsService {
    /// Where it listens.
    pub(crate) addr: SocketAddr,
    stop: oneshot::Sender<()>,
    task: JoinHandle<anyhow::Result<()>>,
}

impl TicketsService {
    /// Starts the ticket service on `addr` (port 0 for any) over the SQLite database `db_url`.
    pub(crate) async fn start(db_url: &str, addr: SocketAddr) -> TicketsService {
        let store = tickets::open_store(db_url).await.expect("the SQLite store opens");
        let state = tickets::AppState::new(store, Arc::new(classifier::Classifier::builtin()));
        let listener = TcpListener::bind(addr).await.expect("the ticket service's port is free");
        let addr = listener.local_addr().expect("a bound listener has an address");
        let (stop, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(tickets::serve(listener, state, async move {
            let _ = stopped.await;
        }));
        TicketsService { addr, stop, task }
    }

    /// Its base URL, e.g. `http://127.0.0.1:40123`.
    pub(crate) fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Shuts it down gracefully and waits until it has stopped (live streams included).
    pub(crate) async fn stop(self) {
        let _ = self.stop.send(());
        tokio::time::timeout(DEADLINE, self.task)
            .await
            .expect("the ticket service stops in time")
            .expect("the ticket service task did not panic")
            .expect("the ticket service stopped without error");
    }
}

/// A running analytics service following a ticket service.
pub(crate) struct AnalyticsService {
    /// Typed client of it.
    pub(crate) client: AnalyticsClient,
    url: String,
    _stop: oneshot::Sender<()>,
}

impl AnalyticsService {
    /// Starts `analytics::serve` on a free port, following the ticket service at `tickets_url`.
    pub(crate) async fn start(tickets_url: String, time_zone: TimeZone) -> AnalyticsService {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("a free port");
        let url = format!("http://{}", listener.local_addr().expect("bound"));
        let (stop, stopped) = oneshot::channel::<()>();
        let config = Config { tickets_url, time_zone };
        tokio::spawn(analytics::serve(listener, config, async move {
            let _ = stopped.await;
        }));
        AnalyticsService { client: AnalyticsClient::new(&url), url, _stop: stop }
    }

    /// The HTTP status of `GET /healthz`, if the service answers at all.
    pub(crate) async fn health(&self) -> Option<u16> {
        let response = reqwest::get(format!("{}/healthz", self.url)).await.ok()?;
        Some(response.status().as_u16())
    }
}

/// Probes `condition` until it returns `Some`, and returns that; panics naming `what` after the
/// deadline.
pub(crate) async fn eventually<T, F, Fut>(what: &str, mut condition: F) -> T
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Option<T>>,
{
    let deadline = tokio::time::Instant::now() + DEADLINE;
    loop {
        if let Some(value) = condition().await {
            return value;
        }
        assert!(tokio::time::Instant::now() < deadline, "timed out waiting until {what}");
        tokio::time::sleep(POLL).await;
    }
}

/// Reports a ticket as a campus user.
pub(crate) async fn report(tickets: &TicketsClient, title: &str, description: &str) -> Ticket {
    let request = CreateTicketRequest { title: title.to_owned(), description: description.to_owned() };
    tickets.create_ticket(&Actor::default(), &request).await.expect("the ticket is created")
}

/// Moves a ticket to `status` as staff.
pub(crate) async fn move_to(tickets: &TicketsClient, id: i64, status: Status) -> Ticket {
    tickets.set_status(&Actor::staff(), id, status).await.expect("the transition is accepted")
}
