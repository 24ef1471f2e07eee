//! The test harness: [`spawn_app`] runs the ticket service on a fresh store and a random port
//! with [`stack::start_tickets`], the starter `campusdesk tickets` uses; [`TestApp`] holds its
//! address and clients. The store is a new SQLite file, or a new
//! PostgreSQL database when `CAMPUSDESK_TEST_BACKEND=postgres` (on the server named by
//! `CAMPUSDESK_TEST_POSTGRES_URL`; `scripts/test` runs these tests once for each backend). Logs
//! go to the test output only when the `TEST_LOG` environment variable is set.

use std::sync::Once;

use api::{CreateTicketRequest, PROBLEM_CONTENT_TYPE, Problem, TicketsClient};
use domain::{Actor, AuthorName, Role, Status, Ticket};
use reqwest::{Method, RequestBuilder, Response, StatusCode};
use tempfile::TempDir;

static TRACING: Once = Once::new();

fn init_tracing() {
    TRACING.call_once(|| {
        if std::env::var_os("TEST_LOG").is_some() {
            tracing_subscriber::fmt()
                .with_env_filter(tracing_subscriber::EnvFilter::new("debug"))
                .with_test_writer()
                .init();
        }
    });
}

/// A running ticket service; it stops (and its database is deleted) when dropped.
pub(crate) struct TestApp {
    /// `http://127.0.0.1:PORT`.
    pub(crate) base_url: String,
    /// The typed client, as other services use it.
    pub(crate) client: TicketsClient,
    /// A plain HTTP client for requests the typed client cannot make.
    pub(crate) http: reqwest::Client,
    service: stack::Service,
    database_url: String,
    _storage: Storage,
}

/// Where a test app keeps its data; removed on drop (after the service has stopped).
enum Storage {
    Sqlite(#[allow(dead_code)] TempDir),
    Postgres(#[allow(dead_code)] store_postgres::testing::TestDatabase),
    /// A second replica on another app's database: that app owns the storage.
    Shared,
}

/// A database URL for a fresh, empty store of the backend under test.
async fn fresh_storage() -> (String, Storage) {
    match std::env::var("CAMPUSDESK_TEST_BACKEND").as_deref() {
        Err(_) | Ok("") | Ok("sqlite") => {
            let dir = tempfile::tempdir().expect("temporary directory");
            let url = format!("sqlite://{}", dir.path().join("tickets.db").display());
            (url, Storage::Sqlite(dir))
        }
        Ok("postgres") => {
            let database = store_postgres::testing::TestDatabase::create().await;
            (database.url().to_owned(), Storage::Postgres(database))
        }
        Ok(other) => panic!("CAMPUSDESK_TEST_BACKEND must be sqlite or postgres, not {other:?}"),
    }
}

/// Starts the service on `127.0.0.1:0` over a fresh store of the backend under test, with the
/// default limits.
pub(crate) async fn spawn_app() -> TestApp {
    spawn_app_with(stack::Limits::default()).await
}

/// The same with other limits (tiny rate limits, no trusted proxy, ...).
pub(crate) async fn spawn_app_with(limits: stack::Limits) -> TestApp {
    init_tracing();
    let (url, storage) = fresh_storage().await;
    serve_on(url, storage, limits, domain::UNDO_CLOSE_WINDOW).await
}

/// The same with the default limits and another undo window (zero: a closing can never be
/// undone, as if every undo came too late).
pub(crate) async fn spawn_app_with_undo_window(window: jiff::SignedDuration) -> TestApp {
    init_tracing();
    let (url, storage) = fresh_storage().await;
    serve_on(url, storage, stack::Limits::default(), window).await
}

/// Starts the service on `127.0.0.1:0` over the store at `url` ([`stack::start_tickets`], as
/// `campusdesk tickets` does).
async fn serve_on(
    database_url: String,
    storage: Storage,
    limits: stack::Limits,
    undo_close_window: jiff::SignedDuration,
) -> TestApp {
    let config = stack::TicketsConfig {
        addr: "127.0.0.1:0".parse().expect("an address"),
        database_url: database_url.clone(),
        demo: false,
        limits,
        mail: None,
        attachments: Default::default(),
        undo_close_window,
    };
    let service = stack::start_tickets(config).await.expect("the ticket service starts");
    let base_url = service.url().to_owned();
    let http = reqwest::Client::new();
    TestApp {
        client: TicketsClient::with_http(http.clone(), &base_url),
        base_url,
        http,
        service,
        database_url,
        _storage: storage,
    }
}

/// A campus user without a name.
pub(crate) fn user() -> Actor {
    Actor { role: Role::User, name: None }
}

/// A helpdesk staff member called `name`.
pub(crate) fn staff(name: &str) -> Actor {
    Actor { role: Role::Staff, name: AuthorName::parse_optional(Some(name)).expect("valid name") }
}

impl TestApp {
    /// A second ticket service on this app's database, as another replica of a deployment.
    /// Drop it before this app (it does not own the database).
    pub(crate) async fn replica(&self) -> TestApp {
        serve_on(
            self.database_url.clone(),
            Storage::Shared,
            stack::Limits::default(),
            domain::UNDO_CLOSE_WINDOW,
        )
        .await
    }

    /// Asks the service to shut down and waits until `serve` returns; returns what it returned.
    pub(crate) async fn stop(self) -> anyhow::Result<()> {
        self.service.stop().await
    }

    /// A raw request to `path` under `/api/v1` (or the root when `path` starts with `//`).
    pub(crate) fn request(&self, method: Method, path: &str) -> RequestBuilder {
        let url = match path.strip_prefix("//") {
            Some(root) => format!("{}/{root}", self.base_url),
            None => format!("{}/api/v1{path}", self.base_url),
        };
        self.http.request(method, url)
    }

    /// Reports a ticket as a user.
    pub(crate) async fn create(&self, title: &str, description: &str) -> Ticket {
        let request = CreateTicketRequest {
            title: title.into(),
            description: description.into(),
            reporter_email: None,
        };
        self.client.create_ticket(&user(), &request).await.expect("create a ticket")
    }

    /// Reports a ticket and moves it to `status` as staff.
    pub(crate) async fn create_in(&self, status: Status, title: &str) -> Ticket {
        let mut ticket = self.create(title, "Something on campus is broken.").await;
        let boss = staff("Ana");
        for step in [Status::Active, Status::Closed] {
            if ticket.status == status {
                break;
            }
            ticket = self.client.set_status(&boss, ticket.id, step).await.expect("transition");
        }
        ticket
    }
}

/// Checks that `response` is a problem+json answer with `status` and a non-empty detail, and
/// returns the problem.
pub(crate) async fn expect_problem(response: Response, status: u16) -> Problem {
    assert_eq!(response.status(), StatusCode::from_u16(status).expect("status"), "{response:?}");
    let content_type = response
        .headers()
        .get(reqwest::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    assert_eq!(content_type, PROBLEM_CONTENT_TYPE);
    let problem: Problem = response.json().await.expect("a problem body");
    assert_eq!(problem.status, status);
    assert!(!problem.detail.trim().is_empty(), "empty detail in {problem:?}");
    problem
}

/// The status of a typed-client error, with its problem body.
pub(crate) fn problem_of(err: api::ClientError, status: u16) -> Problem {
    match err {
        api::ClientError::Problem(problem) => {
            assert_eq!(problem.status, status, "{problem:?}");
            assert!(!problem.detail.is_empty());
            problem
        }
        other => panic!("expected a {status} problem, got {other:?}"),
    }
}
