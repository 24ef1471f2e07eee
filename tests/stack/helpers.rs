//! Starting the whole stack for a test and talking to it.
//!
//! The backend comes from `CAMPUSDESK_TEST_BACKEND`: `sqlite` (default) runs `campusdesk up` on
//! a fresh data folder; `postgres` creates a fresh database on the server named by
//! `CAMPUSDESK_TEST_POSTGRES_URL` and runs `campusdesk tickets`, `analytics` and `web` as three
//! processes, as a real deployment does. `scripts/test` runs the suite once for each.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use domain::{Actor, AuthorName, Role};
use store_postgres::testing::TestDatabase;

/// Which store the stack runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Backend {
    /// `campusdesk up` on an SQLite file.
    Sqlite,
    /// Three service processes on a fresh PostgreSQL database.
    Postgres,
}

impl Backend {
    /// The backend named by `CAMPUSDESK_TEST_BACKEND` (default `sqlite`).
    pub(crate) fn from_env() -> Backend {
        match std::env::var("CAMPUSDESK_TEST_BACKEND").as_deref() {
            Err(_) | Ok("") | Ok("sqlite") => Backend::Sqlite,
            Ok("postgres") => Backend::Postgres,
            Ok(other) => panic!("CAMPUSDESK_TEST_BACKEND must be sqlite or postgres, not {other:?}"),
        }
    }
}

/// Where a stack keeps its data; removed on drop.
enum Data {
    Folder(#[allow(dead_code)] tempfile::TempDir),
    Database(#[allow(dead_code)] TestDatabase),
}

/// A running `campusdesk` process whose standard output is read line by line.
pub(crate) struct Process {
    child: Child,
    lines: mpsc::Receiver<String>,
}

impl Process {
    /// Starts `campusdesk ARGS...` with quiet logs (`TEST_LOG=info` shows them).
    pub(crate) fn spawn(args: &[&str]) -> Process {
        Self::spawn_with(args, &[])
    }

    /// [`Process::spawn`] with the environment variables `env` set too.
    pub(crate) fn spawn_with(args: &[&str], env: &[(&str, &str)]) -> Process {
        let mut child = Command::new(env!("CARGO_BIN_EXE_campusdesk"))
            .args(args)
            .envs(env.iter().copied())
            .env("CAMPUSDESK_TIME_ZONE", "UTC")
            // The tests write from one address far faster than people do (the replica test
            // thousands of times a minute); the rate limits have tests of their own.
            .env("CAMPUSDESK_WRITE_LIMIT", "0")
            .env("CAMPUSDESK_LOG", std::env::var("TEST_LOG").unwrap_or_else(|_| "warn".into()))
            .stdout(Stdio::piped())
            .stderr(if std::env::var_os("TEST_LOG").is_some() { Stdio::inherit() } else { Stdio::null() })
            .spawn()
            .expect("start campusdesk");
        let stdout = child.stdout.take().expect("stdout");
        let (tx, lines) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        Process { child, lines }
    }

    /// Waits (at most 60 s) for a line starting with `prefix` and returns the URL that ends it,
    /// without a trailing slash.
    pub(crate) fn url_after(&mut self, prefix: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let Ok(line) = self.lines.recv_timeout(left) else {
                let _ = self.child.kill();
                panic!("campusdesk did not print {prefix:?} within 60 s (run with TEST_LOG=info to see why)")
            };
            if line.starts_with(prefix) {
                return line.split_whitespace().last().unwrap_or_default().trim_end_matches('/').to_owned();
            }
        }
    }

    /// Starts one service (`tickets`, `analytics` or `web`) on a random port with `args` and
    /// returns it with its base URL.
    pub(crate) fn service(name: &str, args: &[&str]) -> (Process, String) {
        Self::service_with(name, args, &[])
    }

    /// [`Process::service`] with the environment variables `env` set too.
    pub(crate) fn service_with(name: &str, args: &[&str], env: &[(&str, &str)]) -> (Process, String) {
        let mut all = vec![name, "--addr", "127.0.0.1:0"];
        all.extend_from_slice(args);
        let mut process = Process::spawn_with(&all, env);
        let url = process.url_after("");
        (process, url)
    }
}

impl Drop for Process {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A running stack with its three base URLs; stopped and its data removed on drop.
pub(crate) struct Stack {
    processes: Vec<Process>,
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
    _data: Data,
}

impl Stack {
    /// Starts the stack on the backend named by `CAMPUSDESK_TEST_BACKEND` on random ports with
    /// empty storage (`demo` loads the demo data set first) and waits until every service is
    /// ready (the analytics service has caught up).
    pub(crate) async fn start(demo: bool) -> Stack {
        Self::start_with(demo, &[]).await
    }

    /// [`Stack::start`] with the environment variables `env` set for every service (e.g. the
    /// SMTP settings).
    pub(crate) async fn start_with(demo: bool, env: &[(&str, &str)]) -> Stack {
        match Backend::from_env() {
            Backend::Sqlite => Self::start_up(demo, env),
            Backend::Postgres => Self::start_services(demo, env).await,
        }
    }

    fn start_up(demo: bool, env: &[(&str, &str)]) -> Stack {
        let data_dir = tempfile::tempdir().expect("temp dir");
        let dir = data_dir.path().to_str().expect("a UTF-8 temp path").to_owned();
        let mut args = vec!["up", "--data-dir", &dir];
        args.extend(["--web-addr", "127.0.0.1:0", "--tickets-addr", "127.0.0.1:0"]);
        args.extend(["--analytics-addr", "127.0.0.1:0"]);
        if demo {
            args.push("--demo");
        }
        let mut up = Process::spawn_with(&args, env);
        let tickets_url = up.url_after("ticket service:").trim_end_matches("/api/v1").to_owned();
        let analytics_url =
            up.url_after("analytics service:").trim_end_matches("/api/v1/analytics").to_owned();
        let web_url = up.url_after("campusdesk is ready:");
        Self::assemble(vec![up], tickets_url, analytics_url, web_url, Data::Folder(data_dir))
    }

    async fn start_services(demo: bool, env: &[(&str, &str)]) -> Stack {
        let database = TestDatabase::create().await;
        let (tickets, tickets_url) =
            Process::service_with("tickets", &["--database-url", database.url()], env);
        wait_healthy(&tickets_url).await;
        if demo {
            let csv = tickets::demo::demo_csv(jiff::Timestamp::now());
            let client = api::TicketsClient::new(&tickets_url);
            client.import_csv(&Actor::staff(), csv).await.expect("demo data imported");
        }
        let (analytics, analytics_url) = Process::service("analytics", &["--tickets-url", &tickets_url]);
        let (web, web_url) =
            Process::service("web", &["--tickets-url", &tickets_url, "--analytics-url", &analytics_url]);
        wait_healthy(&analytics_url).await;
        wait_healthy(&web_url).await;
        Self::assemble(
            vec![tickets, analytics, web],
            tickets_url,
            analytics_url,
            web_url,
            Data::Database(database),
        )
    }

    fn assemble(
        processes: Vec<Process>,
        tickets_url: String,
        analytics_url: String,
        web_url: String,
        data: Data,
    ) -> Stack {
        Stack {
            processes,
            web_url,
            http: reqwest::Client::new(),
            tickets: api::TicketsClient::new(&tickets_url),
            analytics: api::AnalyticsClient::new(&analytics_url),
            tickets_url,
            analytics_url,
            _data: data,
        }
    }

    /// `{tickets_url}/api/v1{path}`.
    pub(crate) fn api(&self, path: &str) -> String {
        format!("{}/api/v1{path}", self.tickets_url)
    }
}

impl Drop for Stack {
    fn drop(&mut self) {
        // Stop the services before their storage goes away.
        self.processes.clear();
    }
}

/// Waits until `{base}/healthz` answers 200 (at most 60 s; [`stack::wait_healthy`], the wait
/// `campusdesk up` uses).
pub(crate) async fn wait_healthy(base: &str) {
    stack::wait_healthy(base, Duration::from_secs(60)).await.expect("the service becomes healthy");
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

/// A browser without JavaScript: enters the web UI through its entry form, keeps the CSRF and
/// role cookies it set (sending the token in every form, as the pages' hidden field does), and
/// follows no redirects (tests read where a form post sends them).
pub(crate) struct WebSession {
    http: reqwest::Client,
    web: String,
    cookies: String,
    csrf: String,
}

impl WebSession {
    /// Enters the web UI at `web` (no trailing slash) as `role` (`user` or `staff`) called `name`.
    pub(crate) async fn enter(web: &str, role: &str, name: &str) -> WebSession {
        use reqwest::header::SET_COOKIE;
        let http =
            reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().expect("client");
        let set_cookies = |response: &reqwest::Response| -> Vec<String> {
            response
                .headers()
                .get_all(SET_COOKIE)
                .iter()
                .filter_map(|v| v.to_str().ok()?.split(';').next())
                .filter(|pair| pair.split_once('=').is_some_and(|(_, value)| !value.is_empty()))
                .map(str::to_owned)
                .collect()
        };
        let entry = http.get(format!("{web}/")).send().await.expect("GET /");
        let csrf_cookie = set_cookies(&entry)
            .into_iter()
            .find(|pair| pair.starts_with("campusdesk_csrf="))
            .expect("the entry page sets the CSRF cookie");
        let csrf = csrf_cookie["campusdesk_csrf=".len()..].to_owned();
        let mut session = WebSession { http, web: web.to_owned(), cookies: csrf_cookie.clone(), csrf };
        let response = session.post("/session", &[("role", role), ("name", name)]).await;
        assert_eq!(response.status(), reqwest::StatusCode::SEE_OTHER, "entering {web} as {role}");
        session.cookies =
            set_cookies(&response).into_iter().chain([csrf_cookie]).collect::<Vec<_>>().join("; ");
        assert!(session.cookies.contains("campusdesk_role="), "no role cookie from {web}");
        session
    }

    /// Posts `form` (plus the CSRF token) to `path` with the cookies.
    pub(crate) async fn post(&self, path: &str, form: &[(&str, &str)]) -> reqwest::Response {
        let mut form = form.to_vec();
        form.push(("csrf", &self.csrf));
        self.http
            .post(format!("{}{path}", self.web))
            .header(reqwest::header::COOKIE, &self.cookies)
            .form(&form)
            .send()
            .await
            .unwrap_or_else(|e| panic!("POST {}{path}: {e}", self.web))
    }

    /// Posts `form` to `path`; answers the status and the `Location` it redirects to (empty if
    /// none).
    pub(crate) async fn post_for_redirect(
        &self,
        path: &str,
        form: &[(&str, &str)],
    ) -> (reqwest::StatusCode, String) {
        let response = self.post(path, form).await;
        let location = response
            .headers()
            .get(reqwest::header::LOCATION)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned();
        (response.status(), location)
    }

    /// The page at `path`, which must answer 200.
    pub(crate) async fn get(&self, path: &str) -> String {
        let response = self
            .http
            .get(format!("{}{path}", self.web))
            .header(reqwest::header::COOKIE, &self.cookies)
            .send()
            .await
            .unwrap_or_else(|e| panic!("GET {}{path}: {e}", self.web));
        assert_eq!(response.status(), reqwest::StatusCode::OK, "GET {path}");
        response.text().await.expect("a page")
    }
}
