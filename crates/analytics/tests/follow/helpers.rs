//! Test harness: the real ticket service on a temp-file SQLite database and the analytics
//! service following it, both started by the `stack` crate's starters (the ones the
//! `campusdesk` subcommands use), and a wait-for helper.

use std::future::Future;
use std::net::SocketAddr;
use std::time::Duration;

use api::{AnalyticsClient, CreateTicketRequest, TicketsClient};
use domain::{Actor, Status, Ticket};
use jiff::tz::TimeZone;
use stack::Service;

/// How long a condition may take to become true before the test fails.
pub(crate) const DEADLINE: Duration = Duration::from_secs(20);
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

/// Starts the real ticket service on `addr` (port 0 for any) over the SQLite database `db_url`,
/// as `campusdesk tickets` does ([`stack::start_tickets`]).
pub(crate) async fn start_tickets(db_url: &str, addr: SocketAddr) -> Service {
    let config = stack::TicketsConfig {
        addr,
        database_url: db_url.to_owned(),
        demo: false,
        limits: stack::Limits::default(),
        mail: None,
        attachments: Default::default(),
        undo_close_window: domain::UNDO_CLOSE_WINDOW,
    };
    stack::start_tickets(config).await.expect("the ticket service starts")
}

/// Shuts `service` down gracefully and waits until it has stopped (live streams included).
pub(crate) async fn stop(service: Service) {
    tokio::time::timeout(DEADLINE, service.stop())
        .await
        .expect("the service stops in time")
        .expect("the service stopped without error");
}

/// Starts the analytics service on a free port, following the ticket service at `tickets_url`,
/// as `campusdesk analytics` does ([`stack::start_analytics`]); returns it with a typed client.
pub(crate) async fn start_analytics(tickets_url: &str, time_zone: TimeZone) -> (Service, AnalyticsClient) {
    let config = stack::AnalyticsConfig {
        addr: "127.0.0.1:0".parse().expect("an address"),
        tickets_url: tickets_url.to_owned(),
        time_zone,
        connections: stack::ConnectionLimits::default(),
    };
    let service = stack::start_analytics(config).await.expect("the analytics service starts");
    let client = AnalyticsClient::new(service.url());
    (service, client)
}

/// The HTTP status of `GET /healthz` of `service`, if it answers at all.
pub(crate) async fn health(service: &Service) -> Option<u16> {
    let response = reqwest::get(format!("{}/healthz", service.url())).await.ok()?;
    Some(response.status().as_u16())
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
    let request = CreateTicketRequest {
        title: title.to_owned(),
        description: description.to_owned(),
        reporter_email: None,
    };
    tickets.create_ticket(&Actor::default(), &request).await.expect("the ticket is created")
}

/// Moves a ticket to `status` as staff.
pub(crate) async fn move_to(tickets: &TicketsClient, id: i64, status: Status) -> Ticket {
    tickets.set_status(&Actor::staff(), id, status).await.expect("the transition is accepted")
}
