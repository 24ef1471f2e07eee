//! Starting `campusdesk up` for a test and talking to it.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use domain::{Actor, AuthorName, Role};

/// A running `campusdesk up` with its three base URLs; killed on drop.
pub(crate) struct Stack {
    child: Child,
    /// Web UI, e.g. `http://127.0.0.1:40123` (no trailing slash).
    pub(crate) web_url: String,
    /// Ticket service base, e.g. `http://127.0.0.1:40124` (without `/api/v1`).
    pub(crate) tickets_url: String,
    /// Analytics service base (without `/api/v1/analytics`).
    pub(crate) analytics_url: String,
    /// Raw HTTP client for requests the typed client cannot make (malformed bodies...).
    pub(crate) http: reqwest::Client,
    /// Typed ticket service client.
    pub(crate) tickets: api::TicketsClient,
    /// Typed analytics client.
    pub(crate) analytics: api::AnalyticsClient,
    _data_dir: tempfile::TempDir,
}

impl Stack {
    /// Starts `campusdesk up` on 127.0.0.1:0 x3 with an empty data folder (`demo` loads the demo
    /// data set) and waits until it prints that it is ready (at most 60 s).
    pub(crate) fn start(demo: bool) -> Stack {
        let data_dir = tempfile::tempdir().expect("temp dir");
        let mut command = Command::new(env!("CARGO_BIN_EXE_campusdesk"));
        command
            .arg("up")
            .arg("--data-dir")
            .arg(data_dir.path())
            .args([
                "--web-addr",
                "127.0.0.1:0",
                "--tickets-addr",
                "127.0.0.1:0",
                "--analytics-addr",
                "127.0.0.1:0",
            ])
            .env("CAMPUSDESK_TIME_ZONE", "UTC")
            .env("CAMPUSDESK_LOG", std::env::var("TEST_LOG").unwrap_or_else(|_| "warn".into()))
            .stdout(Stdio::piped())
            .stderr(if std::env::var_os("TEST_LOG").is_some() { Stdio::inherit() } else { Stdio::null() });
        if demo {
            command.arg("--demo");
        }
        let mut child = command.spawn().expect("start campusdesk up");
        let stdout = child.stdout.take().expect("stdout");
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        let (mut tickets, mut analytics, mut web) = (None, None, None);
        let deadline = Instant::now() + Duration::from_secs(60);
        while web.is_none() {
            let left = deadline.saturating_duration_since(Instant::now());
            let line = rx.recv_timeout(left).unwrap_or_else(|_| {
                let _ = child.kill();
                panic!("campusdesk up did not print its URLs within 60 s (run with TEST_LOG=info to see why)")
            });
            let url = || line.split_whitespace().last().unwrap_or_default().trim_end_matches('/').to_owned();
            if line.starts_with("ticket service:") {
                tickets = Some(url().trim_end_matches("/api/v1").to_owned());
            } else if line.starts_with("analytics service:") {
                analytics = Some(url().trim_end_matches("/api/v1/analytics").to_owned());
            } else if line.starts_with("campusdesk is ready:") {
                web = Some(url());
            }
        }
        let tickets_url = tickets.expect("ticket service URL printed");
        let analytics_url = analytics.expect("analytics URL printed");
        Stack {
            child,
            web_url: web.expect("web URL"),
            http: reqwest::Client::new(),
            tickets: api::TicketsClient::new(&tickets_url),
            analytics: api::AnalyticsClient::new(&analytics_url),
            tickets_url,
            analytics_url,
            _data_dir: data_dir,
        }
    }

    /// `{tickets_url}/api/v1{path}`.
    pub(crate) fn api(&self, path: &str) -> String {
        format!("{}/api/v1{path}", self.tickets_url)
    }
}

impl Drop for Stack {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A campus user with a display name.
pub(crate) fn user() -> Actor {
    Actor { role: Role::User, name: AuthorName::parse_optional(Some("Ana")).expect("valid name") }
}

/// A helpdesk staff member with a display name.
pub(crate) fn staff() -> Actor {
    Actor { role: Role::Staff, name: AuthorName::parse_optional(Some("Sam")).expect("valid name") }
}

/// Calls `check` every 50 ms until it returns `Some`, or panics with `what` after 20 s.
pub(crate) async fn eventually<T, F, Fut>(what: &str, mut check: F) -> T
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Option<T>>,
{
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        if let Some(value) = check().await {
            return value;
        }
        assert!(Instant::now() < deadline, "timed out waiting for: {what}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Asserts `response` is an RFC 9457 problem with `status` and returns its body.
pub(crate) async fn expect_problem(response: reqwest::Response, status: u16) -> serde_json::Value {
    assert_eq!(response.status().as_u16(), status, "status of {}", response.url());
    let content_type =
        response.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
    assert!(content_type.starts_with("application/problem+json"), "content type was {content_type:?}");
    let body: serde_json::Value = response.json().await.expect("problem body is JSON");
    assert_eq!(body["status"], status, "{body}");
    let detail = body["detail"].as_str().unwrap_or_default();
    assert!(!detail.is_empty() && !body["title"].as_str().unwrap_or_default().is_empty(), "{body}");
    body
}
