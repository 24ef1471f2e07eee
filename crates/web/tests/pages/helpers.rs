//! The whole stack in-process: the real ticket service on a fresh SQLite file, the real
//! analytics service following it, and the web UI, each on `127.0.0.1:0`; plus a browser-like
//! client that keeps the role cookies by hand and does not follow redirects.

use std::time::Duration;

use reqwest::StatusCode;
use reqwest::header::{CONTENT_TYPE, COOKIE, LOCATION, SET_COOKIE};

/// A running stack and a client for its web UI.
pub(crate) struct TestApp {
    /// `http://127.0.0.1:PORT` of the web UI.
    pub(crate) web: String,
    http: reqwest::Client,
    /// The `Cookie` header the "browser" sends (CSRF token, role and name).
    pub(crate) cookies: String,
    /// The CSRF token the web UI gave this "browser" (its cookie and every form's `csrf` field).
    pub(crate) csrf: String,
    _dir: tempfile::TempDir,
    /// The running services; dropping it stops them.
    _stack: stack::Stack,
}

/// A page as the browser got it.
pub(crate) struct Page {
    pub(crate) status: StatusCode,
    pub(crate) location: Option<String>,
    /// The `Set-Cookie` headers of the answer, as sent.
    pub(crate) set_cookies: Vec<String>,
    pub(crate) html: String,
}

/// Starts the three services ([`stack::Stack::start`], the wiring `campusdesk up` uses) on a
/// fresh SQLite file and free ports, in the Europe/Berlin time zone, with the default limits;
/// `start` returns once the analytics service has caught up and the web UI answers.
pub(crate) async fn spawn_app() -> TestApp {
    spawn_app_with(stack::Limits::default()).await
}

/// The same with other limits.
pub(crate) async fn spawn_app_with(limits: stack::Limits) -> TestApp {
    let dir = tempfile::tempdir().expect("temporary directory");
    let any_port = "127.0.0.1:0".parse().expect("an address");
    let config = stack::Config {
        database_url: format!("sqlite://{}", dir.path().join("tickets.db").display()),
        tickets_addr: any_port,
        analytics_addr: any_port,
        web_addr: any_port,
        time_zone: jiff::tz::TimeZone::get("Europe/Berlin").expect("time zone database"),
        demo: false,
        limits,
        attachments: Default::default(),
        undo_close_window: domain::UNDO_CLOSE_WINDOW,
        public_origin: web::PublicOrigin::default(),
        mail: None,
    };
    let stack = stack::Stack::start(config).await.expect("the stack starts");
    let http =
        reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().expect("http client");
    let web = stack.web.url().to_owned();
    let entry = http.get(format!("{web}/")).send().await.expect("GET /");
    let csrf = cookie_value(&entry, "campusdesk_csrf").expect("the entry page sets the CSRF cookie");
    let cookies = format!("campusdesk_csrf={csrf}");
    TestApp { web, http, cookies, csrf, _dir: dir, _stack: stack }
}

/// The value of the cookie `name` a response sets, if it sets one with a value.
pub(crate) fn cookie_value(response: &reqwest::Response, name: &str) -> Option<String> {
    response
        .headers()
        .get_all(SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok()?.split(';').next()?.split_once('='))
        .find(|(key, value)| *key == name && !value.is_empty())
        .map(|(_, value)| value.to_owned())
}

/// Polls `condition` until it holds (a wait-for, not a timed assertion); gives up after a
/// generous minute so a broken stack fails instead of hanging.
pub(crate) async fn wait_until<F, Fut>(what: &str, mut condition: F)
where
    F: FnMut() -> Fut,
    Fut: Future<Output = bool>,
{
    for _ in 0..1200 {
        if condition().await {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("gave up waiting until {what}");
}

impl TestApp {
    async fn page(&self, response: reqwest::Response) -> Page {
        let status = response.status();
        let location = response.headers().get(LOCATION).map(|v| v.to_str().expect("ascii").to_owned());
        let set_cookies = response
            .headers()
            .get_all(SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .map(str::to_owned)
            .collect();
        let html = response.text().await.expect("a body");
        Page { status, location, set_cookies, html }
    }

    /// `GET path` with the current cookies.
    pub(crate) async fn get(&self, path: &str) -> Page {
        let response = self.send_get(path).await;
        self.page(response).await
    }

    /// Sends `GET path` with the current cookies.
    async fn send_get(&self, path: &str) -> reqwest::Response {
        self.http.get(format!("{}{path}", self.web)).header(COOKIE, &self.cookies).send().await.expect("GET")
    }

    /// `POST path` with a url-encoded form (plus the hidden `csrf` field every page's forms
    /// carry) and the current cookies.
    pub(crate) async fn post(&self, path: &str, form: &[(&str, &str)]) -> Page {
        let mut form = form.to_vec();
        form.push(("csrf", &self.csrf));
        self.post_raw(path, serde_urlencoded::to_string(form).expect("encode the form")).await
    }

    /// `POST path` with `body` as it is (url-encoded by the caller) and the current cookies.
    pub(crate) async fn post_raw(&self, path: &str, body: impl Into<reqwest::Body>) -> Page {
        let response = self
            .http
            .post(format!("{}{path}", self.web))
            .header(COOKIE, &self.cookies)
            .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(body)
            .send()
            .await
            .expect("POST");
        self.page(response).await
    }

    /// `POST path?csrf=TOKEN` with a `multipart/form-data` body (text fields, then one `files`
    /// part per file), as the forms that take files send it, and the current cookies.
    pub(crate) async fn post_files(
        &self,
        path: &str,
        fields: &[(&str, &str)],
        files: &[(&str, Vec<u8>)],
    ) -> Page {
        let mut form = reqwest::multipart::Form::new();
        for (name, value) in fields {
            form = form.text(name.to_string(), value.to_string());
        }
        for (file_name, bytes) in files {
            form = form.part(
                "files",
                reqwest::multipart::Part::bytes(bytes.clone()).file_name(file_name.to_string()),
            );
        }
        let response = self
            .http
            .post(format!("{}{path}?csrf={}", self.web, self.csrf))
            .header(COOKIE, &self.cookies)
            .multipart(form)
            .send()
            .await
            .expect("POST");
        self.page(response).await
    }

    /// `GET path` with the current cookies: the status, headers and bytes, for a served file.
    pub(crate) async fn get_file(&self, path: &str) -> (StatusCode, reqwest::header::HeaderMap, Vec<u8>) {
        let response = self.send_get(path).await;
        let (status, headers) = (response.status(), response.headers().clone());
        (status, headers, response.bytes().await.expect("the body").to_vec())
    }

    /// Follows a POST's redirect (POST/redirect/GET) and returns the page it leads to.
    pub(crate) async fn follow(&self, page: Page) -> Page {
        assert_eq!(page.status, StatusCode::SEE_OTHER, "expected a redirect, got: {}", page.html);
        let location = page.location.expect("a Location header");
        self.get(&location).await
    }

    /// Enters through the entry page as `role` with an optional display name, keeping the
    /// cookies the server sets.
    pub(crate) async fn enter(&mut self, role: &str, name: &str) {
        let body = serde_urlencoded::to_string([("role", role), ("name", name), ("csrf", &self.csrf)])
            .expect("encode");
        let response = self
            .http
            .post(format!("{}/session", self.web))
            .header(COOKIE, format!("campusdesk_csrf={}", self.csrf))
            .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(body)
            .send()
            .await
            .expect("POST /session");
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        assert_eq!(response.headers()[LOCATION], "/tickets");
        let cookies: Vec<String> = response
            .headers()
            .get_all(SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .filter_map(|v| v.split(';').next())
            .filter(|pair| pair.split_once('=').is_some_and(|(_, value)| !value.is_empty()))
            .map(str::to_owned)
            .chain([format!("campusdesk_csrf={}", self.csrf)])
            .collect();
        self.cookies = cookies.join("; ");
    }

    /// Reports a ticket as the current role and returns its id (from the redirect).
    pub(crate) async fn report(&self, title: &str, description: &str) -> i64 {
        let page = self.post("/tickets", &[("title", title), ("description", description)]).await;
        assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.html);
        let location = page.location.expect("Location");
        let id = location.strip_prefix("/tickets/").expect("redirect to /tickets/{id}");
        id.parse().expect("a numeric id")
    }

    /// Reports a ticket as the current role and follows the redirect the way a browser does,
    /// with the one-time thank-you cookie it sets: the ticket's id, the redirect's answer and
    /// the `name=value` of that cookie.
    pub(crate) async fn report_and_follow(&self, title: &str, description: &str) -> (i64, Page, String) {
        let page = self.post("/tickets", &[("title", title), ("description", description)]).await;
        assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.html);
        let flash = page
            .set_cookies
            .iter()
            .filter_map(|c| c.split(';').next())
            .find(|pair| pair.starts_with("campusdesk_created="))
            .expect("the thank-you cookie")
            .to_owned();
        let location = page.location.expect("Location");
        let id = location.strip_prefix("/tickets/").and_then(|id| id.parse().ok()).expect("/tickets/{id}");
        let response = self
            .http
            .get(format!("{}{location}", self.web))
            .header(COOKIE, format!("{}; {flash}", self.cookies))
            .send()
            .await
            .expect("GET the new ticket");
        (id, self.page(response).await, flash)
    }

    /// The raw client, for streaming requests.
    pub(crate) fn http(&self) -> &reqwest::Client {
        &self.http
    }
}
