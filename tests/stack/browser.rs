//! The user and staff journey in real headless Chromium (Debian's `chromium` and
//! `chromium-driver`; `scripts/test` installs them when missing).
//!
//! Set `CAMPUSDESK_SCREENSHOTS=DIR` to save a PNG of each screen on the way; the manual's
//! screenshots are made this way.

use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::json;

use crate::helpers::Stack;

/// A running ChromeDriver, killed on drop.
pub(crate) struct Driver {
    child: Child,
    url: String,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn program(env: &str, default: &str) -> String {
    std::env::var(env).ok().filter(|p| !p.is_empty()).unwrap_or_else(|| default.to_owned())
}

pub(crate) async fn start_driver() -> Driver {
    let port = TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).expect("free port").port();
    let path = program("CAMPUSDESK_CHROMEDRIVER", "chromedriver");
    let child = Command::new(&path)
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| {
            panic!(
                "cannot start ChromeDriver ({path}): {e}. Run scripts/test, which installs chromium-driver"
            )
        });
    let driver = Driver { child, url: format!("http://127.0.0.1:{port}") };
    let http = reqwest::Client::new();
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        if let Ok(response) = http.get(format!("{}/status", driver.url)).send().await
            && response.status().is_success()
        {
            return driver;
        }
        assert!(Instant::now() < deadline, "ChromeDriver did not answer within 30 s");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// A Chrome DevTools Protocol command, sent through ChromeDriver's `goog/cdp/execute` endpoint
/// (ChromeDriver's extension of WebDriver; the commands are those of the protocol's Emulation
/// domain, <https://chromedevtools.github.io/devtools-protocol/tot/Emulation/>).
#[derive(Debug)]
struct Cdp {
    cmd: &'static str,
    params: serde_json::Value,
}

impl fantoccini::wd::WebDriverCompatibleCommand for Cdp {
    fn endpoint(&self, base: &url::Url, session: Option<&str>) -> Result<url::Url, url::ParseError> {
        base.join(&format!("session/{}/goog/cdp/execute", session.unwrap_or_default()))
    }

    fn method_and_body(&self, _: &url::Url) -> (axum::http::Method, Option<String>) {
        (axum::http::Method::POST, Some(json!({ "cmd": self.cmd, "params": self.params }).to_string()))
    }
}

/// One person's browser window (its own profile, so its own cookies).
pub(crate) struct Browser {
    pub(crate) client: Client,
    base: String,
    shots: Option<PathBuf>,
    _profile: tempfile::TempDir,
}

impl Browser {
    pub(crate) async fn open(driver: &Driver, base: &str) -> Browser {
        Self::open_with(driver, base, true).await
    }

    /// A browser window as [`Browser::open`], with JavaScript switched off when `javascript` is
    /// false (Chromium's content setting, as a person who blocks scripts has it).
    pub(crate) async fn open_with(driver: &Driver, base: &str, javascript: bool) -> Browser {
        let profile = tempfile::tempdir().expect("profile dir");
        let chromium = program("CAMPUSDESK_CHROMIUM", "/usr/bin/chromium");
        let scripts = if javascript { 1 } else { 2 };
        let capabilities = json!({
            "goog:chromeOptions": {
                "binary": chromium,
                "args": [
                    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--disable-quic", "--no-first-run", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync", "--window-size=1280,900",
                    format!("--user-data-dir={}", profile.path().display()),
                ],
                "prefs": { "profile.managed_default_content_settings.javascript": scripts }
            }
        });
        let serde_json::Value::Object(capabilities) = capabilities else { unreachable!("an object") };
        let client = ClientBuilder::new(HttpConnector::new())
            .capabilities(capabilities)
            .connect(&driver.url)
            .await
            .expect("a Chromium session");
        let shots = std::env::var_os("CAMPUSDESK_SCREENSHOTS").map(PathBuf::from);
        Browser { client, base: base.to_owned(), shots, _profile: profile }
    }

    pub(crate) async fn visit(&self, path: &str) {
        self.client.goto(&format!("{}{path}", self.base)).await.expect("navigate");
    }

    pub(crate) async fn path(&self) -> String {
        self.client.current_url().await.expect("url").path().to_owned()
    }

    /// Waits (at most 20 s) until the browser shows a page whose path satisfies `wanted`.
    pub(crate) async fn wait_for_path(&self, what: &str, wanted: impl Fn(&str) -> bool) -> String {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let path = self.path().await;
            if wanted(&path) && self.client.find(Locator::Css("main")).await.is_ok() {
                return path;
            }
            assert!(
                Instant::now() < deadline,
                "expected {what}, still at {path}: {}",
                self.text("main").await
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    pub(crate) async fn fill(&self, css: &str, text: &str) {
        let field = self.client.find(Locator::Css(css)).await.unwrap_or_else(|e| panic!("no {css}: {e}"));
        field.clear().await.expect("clear");
        field.send_keys(text).await.expect("type");
    }

    pub(crate) async fn click(&self, css: &str) {
        self.client
            .find(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("no {css}: {e}"))
            .click()
            .await
            .expect("click");
    }

    pub(crate) async fn text(&self, css: &str) -> String {
        match self.client.find(Locator::Css(css)).await {
            Ok(element) => element.text().await.unwrap_or_default(),
            Err(_) => String::new(),
        }
    }

    /// Waits (at most 20 s) until the element `css` exists and contains `wanted`, reloading the page
    /// between looks when `reload` is set (for figures computed elsewhere).
    pub(crate) async fn wait_for_text(&self, css: &str, wanted: &str, reload: bool) {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let seen = match self.client.find(Locator::Css(css)).await {
                Ok(element) => element.text().await.ok(),
                Err(_) => None,
            };
            if seen.as_deref().is_some_and(|text| text.contains(wanted)) {
                return;
            }
            if Instant::now() >= deadline {
                let path = self.path().await;
                let main = self.text("main").await;
                panic!(
                    "{css} should contain {wanted:?}; it shows {seen:?}, at {path}, whose main shows: {main}"
                );
            }
            if reload {
                self.client.refresh().await.expect("reload");
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    pub(crate) async fn source(&self) -> String {
        self.client.source().await.expect("page source")
    }

    /// Saves this screen, when `CAMPUSDESK_SCREENSHOTS` names a folder, as four PNGs at full page
    /// height: `NAME.png` (light, 1280 px wide), `NAME-dark.png`, `NAME-mobile.png` (375 px, as a
    /// phone) and `NAME-mobile-dark.png`. The scheme and the width are emulated through the Chrome
    /// DevTools Protocol, so the page is not reloaded (a form's refused input stays as it is) and a
    /// scheme pinned in the footer is left as it is. `scripts/screenshots` copies the ones the manual
    /// shows into docs/screenshots.
    pub(crate) async fn shot(&self, name: &str) {
        let Some(dir) = &self.shots else { return };
        std::fs::create_dir_all(dir).expect("screenshot dir");
        for (suffix, width, mobile, scheme) in [
            ("", 1280, false, "light"),
            ("-dark", 1280, false, "dark"),
            ("-mobile", 375, true, "light"),
            ("-mobile-dark", 375, true, "dark"),
        ] {
            self.cdp(
                "Emulation.setEmulatedMedia",
                json!({ "features": [{ "name": "prefers-color-scheme", "value": scheme }] }),
            )
            .await;
            // The viewport grows to the page's height, so one screenshot holds the whole page;
            // a page whose height depends on the viewport's settles within a few rounds.
            let mut height = 900;
            for _ in 0..4 {
                self.cdp(
                    "Emulation.setDeviceMetricsOverride",
                    json!({ "width": width, "height": height, "deviceScaleFactor": 1, "mobile": mobile }),
                )
                .await;
                let content = self.settled_height().await;
                if content == height {
                    break;
                }
                height = content;
            }
            let png = self.client.screenshot().await.expect("screenshot");
            std::fs::write(dir.join(format!("{name}{suffix}.png")), png).expect("write screenshot");
        }
        self.cdp("Emulation.clearDeviceMetricsOverride", json!({})).await;
        self.cdp("Emulation.setEmulatedMedia", json!({ "features": [] })).await;
    }

    /// The page's height in CSS pixels (from the DevTools protocol's layout metrics, so it works
    /// with JavaScript switched off too), once its images have loaded: a scheme or width change
    /// can swap a chart's picture source.
    async fn settled_height(&self) -> u32 {
        let loaded = "return [...document.images].every((image) => image.complete)";
        let deadline = Instant::now() + Duration::from_secs(10);
        // Without JavaScript the question cannot be asked; the images are there by then anyway.
        while let Ok(serde_json::Value::Bool(false)) = self.client.execute(loaded, vec![]).await {
            assert!(Instant::now() < deadline, "the page's images never finished loading");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let metrics = self.cdp("Page.getLayoutMetrics", json!({})).await;
        let height = metrics["cssContentSize"]["height"].as_f64().expect("the content's height");
        (height.ceil() as u32).max(1)
    }

    /// Sends a Chrome DevTools Protocol command through ChromeDriver and returns its result.
    pub(crate) async fn cdp(&self, cmd: &'static str, params: serde_json::Value) -> serde_json::Value {
        self.client.issue_cmd(Cdp { cmd, params }).await.unwrap_or_else(|e| panic!("{cmd}: {e}"))
    }

    /// Comes in on the entry page as `role` with a display name.
    pub(crate) async fn enter(&self, role: &str, name: &str) {
        self.visit("/").await;
        self.click(&format!("input[name=role][value={role}]")).await;
        self.fill("#name", name).await;
        self.shot(&format!("entry-{role}")).await;
        self.click("form.entry-form button[type=submit]").await;
        self.wait_for_path("the ticket list", |p| p == "/tickets").await;
    }

    /// The number in the dashboard's "active by category" table for `label`.
    async fn active_in(&self, label: &str) -> String {
        self.visit("/dashboard?view=categories").await;
        let rows = self.client.find_all(Locator::Css("table.data-table tbody tr")).await.expect("rows");
        for row in rows {
            let text = row.text().await.expect("row text");
            if let Some(rest) = text.strip_prefix(label) {
                return rest.split_whitespace().next().unwrap_or_default().to_owned();
            }
        }
        panic!("no row for {label} in the dashboard table")
    }

    pub(crate) async fn close(self) {
        let _ = self.client.close().await;
    }
}

#[tokio::test]
async fn user_and_staff_walk_a_ticket_from_report_to_close() {
    let stack = Stack::start(true).await;
    let driver = start_driver().await;
    let user = Browser::open(&driver, &stack.web_url).await;
    let staff = Browser::open(&driver, &stack.web_url).await;

    // Staff note the dashboard figure before the journey.
    staff.enter("staff", "Sam").await;
    staff.shot("tickets-staff").await;
    let facility_before: u64 = staff.active_in("Facility management").await.parse().expect("a count");
    staff.shot("dashboard-categories").await;

    // A campus user reports a broken lift; an empty description is refused, the title kept.
    user.enter("user", "Ana").await;
    user.shot("tickets-user").await;
    user.click("a[href='/tickets/new']").await;
    user.wait_for_path("the report form", |p| p == "/tickets/new").await;
    user.fill("#title", "Lift in the Science Tower stuck").await;
    user.click("form button[type=submit]").await;
    user.wait_for_text("#description-error", "", false).await;
    assert!(user.text("#description-error").await.contains("must not be empty"));
    assert_eq!(
        user.client.find(Locator::Css("#title")).await.expect("title").prop("value").await.expect("value"),
        Some("Lift in the Science Tower stuck".to_owned())
    );
    user.fill("#description", "The lift is stuck between floors 2 and 3 and the doors do not open.").await;
    // The hint that read the description too (an earlier one may have read the title alone).
    user.wait_for_text("#category-hint", "doors", false).await;
    user.shot("new-ticket").await;
    user.click("form button[type=submit]").await;
    user.wait_for_text("#created-heading", "your problem is reported", false).await;
    assert!(user.text(".notice-created").await.contains("Facility management"));
    user.click("details.why summary").await;
    assert!(!user.text("ul.terms").await.is_empty(), "the deciding words are shown");
    user.shot("ticket-created").await;
    let ticket_path = user.wait_for_path("the new ticket", |p| p.starts_with("/tickets/")).await;
    let link = format!("a[href='{ticket_path}']");

    // It is listed for the user.
    user.visit("/tickets").await;
    assert!(user.text(&link).await.contains("Lift in the Science Tower stuck"));

    // Staff start work on it and write to the reporter.
    staff.visit(&ticket_path).await;
    staff.click("form[action$='/status'] button").await;
    staff.wait_for_text("#ticket-facts", "Active", false).await;
    staff.fill("#body", "A technician is on the way, please stay calm.").await;
    staff.click("form[action*='/messages'] button").await;
    staff.wait_for_text("#thread-messages", "A technician is on the way", false).await;
    let facility_during = (facility_before + 1).to_string();
    let deadline = Instant::now() + Duration::from_secs(20);
    while staff.active_in("Facility management").await != facility_during {
        assert!(Instant::now() < deadline, "the dashboard never counted the new active ticket");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }

    // The user reads the reply and answers; the staff page shows it live, without a reload.
    staff.visit(&ticket_path).await;
    user.visit(&ticket_path).await;
    user.wait_for_text("#thread-messages", "A technician is on the way", false).await;
    user.fill("#body", "Thank you, we are waiting by the lift on floor 2.").await;
    user.click("form[action*='/messages'] button").await;
    user.wait_for_text("#thread-messages", "waiting by the lift", false).await;
    staff.wait_for_text("#thread-messages", "waiting by the lift", false).await;
    staff.shot("ticket-staff").await;

    // Staff close it (a first press asks, a second closes): the user no longer sees it, the
    // dashboard figure drops back.
    staff.click("details.confirm-close summary").await;
    staff.wait_for_text("details.confirm-close", "Closing is final", false).await;
    assert!(staff.text("#ticket-facts").await.contains("Active"), "the first press closes nothing");
    staff.shot("ticket-close-confirm").await;
    staff.click("details.confirm-close button[type=submit]").await;
    staff.wait_for_text("#ticket-facts", "Closed", false).await;
    // The user's open page says so by itself.
    user.wait_for_text("#live-notice", "no longer visible to campus users", false).await;
    user.visit("/tickets").await;
    assert!(!user.source().await.contains(&format!("href=\"{ticket_path}\"")), "closed ticket still listed");
    user.visit(&ticket_path).await;
    assert!(user.source().await.contains("closed"), "the user is told the ticket is gone or closed");
    let deadline = Instant::now() + Duration::from_secs(20);
    while staff.active_in("Facility management").await != facility_before.to_string() {
        assert!(Instant::now() < deadline, "the dashboard still counts the closed ticket");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }

    // Closed by mistake: staff undo it within the window; the ticket is active again for
    // everyone (the user's list, the dashboard), the log says who undid it; then it is closed
    // for good.
    staff.visit(&ticket_path).await;
    assert!(staff.text("#undo-hint").await.contains("Possible until"));
    staff.shot("ticket-undo-close").await;
    staff.click("form[action$='/undo-close'] button").await;
    staff.wait_for_text(".flash", "Closing undone", false).await;
    assert!(staff.text("#ticket-facts").await.contains("Active"));
    assert!(staff.text("#activity-list").await.contains("from Closed to Active"), "the log records the undo");
    user.visit("/tickets").await;
    assert!(
        user.source().await.contains(&format!("href=\"{ticket_path}\"")),
        "listed again for campus users"
    );
    let deadline = Instant::now() + Duration::from_secs(20);
    while staff.active_in("Facility management").await != facility_during {
        assert!(Instant::now() < deadline, "the dashboard never counted the reopened ticket");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    staff.visit(&ticket_path).await;
    staff.click("details.confirm-close summary").await;
    staff.click("details.confirm-close button[type=submit]").await;
    staff.wait_for_text("#ticket-facts", "Closed", false).await;

    // The other two analyses render a chart and a table.
    for (view, shot) in
        [("unclosed&amount=7&unit=days", "dashboard-unclosed"), ("resolution", "dashboard-resolution")]
    {
        staff.visit(&format!("/dashboard?view={view}")).await;
        assert!(staff.source().await.contains("<svg"), "{view} has a chart");
        assert!(!staff.text("table.data-table tbody").await.is_empty(), "{view} has a table");
        staff.shot(shot).await;
    }

    // A ticket that does not exist: the error page keeps the menu and the role, and leads back.
    staff.visit("/tickets/999999").await;
    staff.wait_for_text("#error-heading", "Not found", false).await;
    assert!(staff.text("main").await.contains("There is no ticket #999999."));
    assert!(staff.text("header").await.contains("Dashboard"), "the menu stays on an error page");
    staff.shot("error-not-found").await;

    user.close().await;
    staff.close().await;
}

#[tokio::test]
async fn the_new_ticket_form_shows_the_category_while_typing() {
    let stack = Stack::start(false).await;
    let driver = start_driver().await;
    let user = Browser::open(&driver, &stack.web_url).await;
    user.enter("user", "Bo").await;
    user.visit("/tickets/new").await;
    let hint = user.client.find(Locator::Id("category-hint")).await.expect("the hint region");
    assert_eq!(hint.attr("aria-live").await.expect("attribute").as_deref(), Some("polite"));
    assert_eq!(hint.text().await.expect("text"), "", "nothing is hinted before typing");
    let waiting = "return getComputedStyle(document.getElementById('category-hint'), '::before').content";
    let waiting = user.client.execute(waiting, vec![]).await.expect("the waiting sentence");
    assert!(waiting.as_str().is_some_and(|s| s.contains("shows here as you type")), "{waiting}");
    let send_top = "return document.querySelector('form button[type=submit]').getBoundingClientRect().top";
    let top_before = user.client.execute(send_top, vec![]).await.expect("where the button is");

    // Typing shows where the ticket will go, with the deciding words.
    user.fill("#title", "Wifi down").await;
    user.fill("#description", "eduroam keeps dropping in the library").await;
    user.wait_for_text("#category-hint", "This will probably be filed under: Technical IT (", false).await;
    // The hint may first answer for the title alone: wait for the one that read the description.
    user.wait_for_text("#category-hint", "eduroam", false).await;
    let shown = user.text("#category-hint").await;
    assert!(shown.contains("Deciding words:") && shown.contains("eduroam"), "{shown}");
    // The hint came into the room kept for it: the Send button did not move under the pointer.
    let top_after = user.client.execute(send_top, vec![]).await.expect("where the button is");
    assert_eq!(top_after, top_before, "the Send button moved when the hint came");
    let listed =
        stack.tickets.list_tickets(&crate::helpers::staff(), &Default::default()).await.expect("list");
    assert!(listed.items.is_empty(), "a hint creates nothing");
    user.close().await;
}

/// Serves attack pages on `ip` (any free port): `GET /{name}` answers the page `pages[name]`,
/// a form aimed at the web UI that submits itself as soon as it loads, as a forging page
/// would. Answers the pages' origin (`http://IP:PORT`).
async fn serve_attack_pages(ip: &str, pages: Vec<(String, String)>) -> String {
    let listener = tokio::net::TcpListener::bind((ip, 0)).await.expect("bind the attack site");
    let origin = format!("http://{}", listener.local_addr().expect("address"));
    let pages = std::sync::Arc::new(pages);
    let app = axum::Router::new().route(
        "/{name}",
        axum::routing::get(move |axum::extract::Path(name): axum::extract::Path<String>| {
            let pages = std::sync::Arc::clone(&pages);
            async move {
                let page = pages.iter().find(|(n, _)| *n == name).map(|(_, html)| html.clone());
                axum::response::Html(page.unwrap_or_default())
            }
        }),
    );
    tokio::spawn(async move { axum::serve(listener, app).await });
    origin
}

/// A page that posts `fields` to `action` as soon as it loads (a cross-site request forgery).
fn forging_page(action: &str, fields: &[(&str, &str)]) -> String {
    let inputs: String = fields
        .iter()
        .map(|(name, value)| format!("<input type=hidden name={name} value=\"{value}\">"))
        .collect();
    format!(
        "<!doctype html><title>Win a prize</title><form method=post action=\"{action}\">{inputs}</form>\
         <script>document.forms[0].submit()</script>"
    )
}

#[tokio::test]
async fn forged_form_posts_from_other_sites_and_ports_change_nothing() {
    use crate::helpers::{staff, user};
    use api::CreateTicketRequest;

    let stack = Stack::start(false).await;
    let request = CreateTicketRequest {
        title: "Heating off in the library".into(),
        description: "The radiators on floor 2 of the library are cold.".into(),
        reporter_email: None,
    };
    let ticket = stack.tickets.create_ticket(&user(), &request).await.expect("a ticket");
    let id = ticket.id;
    let web = &stack.web_url;
    let attacks = |version: i64| {
        vec![
            ("status".to_owned(), forging_page(&format!("{web}/tickets/{id}/status"), &[("to", "active")])),
            (
                "message".to_owned(),
                forging_page(
                    &format!("{web}/tickets/{id}/messages"),
                    &[
                        ("body", "Forged: please send your password"),
                        ("csrf", "00112233445566778899aabbccddeeff"),
                    ],
                ),
            ),
            (
                "edit".to_owned(),
                forging_page(
                    &format!("{web}/tickets/{id}"),
                    &[
                        ("title", "Forged title"),
                        ("description", "Forged"),
                        ("version", &version.to_string()),
                    ],
                ),
            ),
            (
                "session".to_owned(),
                forging_page(&format!("{web}/session"), &[("role", "user"), ("name", "Mallory")]),
            ),
        ]
    };
    // The web UI is at 127.0.0.1: a page on another port of that host is same-site; a page on
    // 127.0.0.2 is another site.
    let same_site = serve_attack_pages("127.0.0.1", attacks(ticket.version)).await;
    let cross_site = serve_attack_pages("127.0.0.2", attacks(ticket.version)).await;

    let driver = start_driver().await;
    let sam = Browser::open(&driver, web).await;
    sam.enter("staff", "Sam").await;
    for site in [&same_site, &cross_site] {
        for (attack, target) in [
            ("status", format!("/tickets/{id}/status")),
            ("message", format!("/tickets/{id}/messages")),
            ("edit", format!("/tickets/{id}")),
            ("session", "/session".to_owned()),
        ] {
            sam.client.goto(&format!("{site}/{attack}")).await.expect("open the attack page");
            // The forged post reached the web UI, which refused it with its own page.
            sam.wait_for_path(&format!("the refusal of the {attack} post from {site}"), |p| p == target)
                .await;
            sam.wait_for_text("main h1", "Form not accepted", false).await;
            let main = sam.text("main").await;
            assert!(main.contains("nothing was changed"), "{attack} from {site}: {main}");
        }
    }
    let after = stack.tickets.get_ticket(&staff(), id).await.expect("the ticket");
    assert_eq!(after.status, domain::Status::Open, "no forged post changed the status");
    assert_eq!(after.title, request.title, "no forged post edited the ticket");
    assert_eq!(after.version, ticket.version);
    let messages = stack.tickets.list_messages(&staff(), id).await.expect("messages");
    assert!(messages.is_empty(), "no forged post wrote a message: {messages:?}");
    // Sam is still staff called Sam: the forged POST /session did not replace the cookies.
    sam.visit("/").await;
    let entry = sam.text("main").await;
    assert!(entry.contains("Helpdesk staff named Sam"), "{entry}");
    assert!(!entry.contains("Mallory"));

    // The web UI's own forms still work, with and without its scripts.
    sam.visit(&format!("/tickets/{id}")).await;
    sam.click(&format!("form[action='/tickets/{id}/status'] button[type=submit]")).await;
    sam.wait_for_text("main", "active", false).await;
    sam.visit(&format!("/tickets/{id}")).await;
    sam.fill("#body", "We are on it.").await;
    sam.click(&format!("form[action^='/tickets/{id}/messages'] button[type=submit]")).await;
    sam.wait_for_text("#thread", "We are on it.", false).await;
    let after = stack.tickets.get_ticket(&staff(), id).await.expect("the ticket");
    assert_eq!(after.status, domain::Status::Active);
    let messages = stack.tickets.list_messages(&staff(), id).await.expect("messages");
    assert_eq!(messages.len(), 1);
    assert_eq!(messages[0].author_name.as_deref(), Some("Sam"));
    sam.close().await;
}

#[tokio::test]
async fn staff_import_a_csv_file_and_the_page_follows_the_job_to_its_end() {
    let stack = Stack::start(false).await;
    let driver = start_driver().await;
    let staff = Browser::open(&driver, &stack.web_url).await;
    staff.enter("staff", "Ana").await;
    staff.click("nav a[href='/imports/new']").await;
    staff.wait_for_path("the import form", |p| p == "/imports/new").await;

    let dir = tempfile::tempdir().expect("temporary directory");
    let file = dir.path().join("old-helpdesk.csv");
    std::fs::write(
        &file,
        "title,description,status,opened_at,closed_at\n\
         Heating off in B204,The radiator in room B204 is cold since Monday.,open,2026-11-02T08:00:00Z,\n\
         Wifi drops in the library,The wireless network drops every few minutes.,active,2026-11-03T09:00:00Z,\n\
         Canteen closed early,The canteen closed at 13:00 without notice.,closed,2026-10-01T12:00:00Z,2026-10-02T09:00:00Z\n",
    )
    .expect("write the CSV file");
    let input = staff.client.find(Locator::Css("input[type=file]")).await.expect("the file field");
    input.send_keys(&file.display().to_string()).await.expect("choose the file");
    staff.shot("import-form").await;
    staff.click("form button[type=submit]").await;
    staff.wait_for_path("the import job's page", |p| p.starts_with("/imports/") && p != "/imports/new").await;
    // The page reloads itself while the job runs: no reload from here.
    staff.wait_for_text("#import-state", "Imported", false).await;
    assert!(staff.text("main").await.contains("3 tickets were imported."));
    staff.shot("import-done").await;
    staff.click("a.button[href='/tickets']").await;
    staff.wait_for_path("the ticket list", |p| p == "/tickets").await;
    let list = staff.text("main").await;
    assert!(list.contains("Heating off in B204") && list.contains("Wifi drops in the library"), "{list}");
    staff.close().await;
}

/// axe-core's WCAG 2.1 A and AA rules (an `axe.run` `runOnly` option); `scripts/test` installs
/// axe-core (pinned, from the npm registry) and names its `axe.min.js` in `CAMPUSDESK_AXE`.
const AXE_AA: &str = r#"{ type: 'tag', values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] }"#;

impl Browser {
    /// The WCAG A/AA violations axe-core finds on the current page, one line each (rule and
    /// the elements at fault); empty when it passes.
    pub(crate) async fn axe_violations(&self, axe: &str) -> Vec<String> {
        self.axe_run(axe, AXE_AA).await
    }

    /// The violations of the axe-core rules `run_only` selects (an `axe.run` `runOnly` option
    /// as JavaScript text) on the current page, one line per rule: its id, its help text and
    /// every element at fault by CSS selector, with the colours and contrast axe-core measured
    /// for contrast rules (`fg on bg = ratio:1, needs expected:1`).
    pub(crate) async fn axe_run(&self, axe: &str, run_only: &str) -> Vec<String> {
        self.client.execute(axe, vec![]).await.expect("load axe-core into the page");
        let script = format!(
            "const done = arguments[arguments.length - 1];
             const measured = n => {{
               const d = (n.any[0] || {{}}).data;
               return d && d.fgColor ? ' (' + d.fgColor + ' on ' + d.bgColor + ' = ' + d.contrastRatio +
                 ':1, needs ' + d.expectedContrastRatio + ')' : '';
             }};
             axe.run(document, {{ runOnly: {run_only} }})
               .then(r => done(r.violations.map(v => v.id + ': ' + v.help + ' at ' +
                 v.nodes.map(n => n.target.join(' ') + measured(n)).join(', '))))
               .catch(e => done(['axe failed: ' + e]));"
        );
        let found = self.client.execute_async(&script, vec![]).await.expect("run axe-core");
        serde_json::from_value(found).expect("a list of violations")
    }

    /// Pins the colour scheme `scheme` (`light` or `dark`) with the footer's appearance switch,
    /// as a person would, and waits for the page it comes back to (the ticket list).
    pub(crate) async fn pin_scheme(&self, scheme: &str) {
        self.visit("/tickets").await;
        self.click(&format!("form.appearance button[value={scheme}]")).await;
        // The click posts and comes back to the same address: wait for the new page.
        let pinned = format!("data-theme=\"{scheme}\"");
        crate::helpers::eventually(&format!("{scheme} to be pinned"), || async {
            self.source().await.contains(&pinned).then_some(())
        })
        .await;
        self.wait_for_path("the list again", |p| p == "/tickets").await;
    }
}

/// The text of axe-core's `axe.min.js`, named by `CAMPUSDESK_AXE`, for [`Browser::axe_violations`].
pub(crate) fn axe_script() -> String {
    let axe_path = std::env::var("CAMPUSDESK_AXE")
        .expect("CAMPUSDESK_AXE names axe-core's axe.min.js; scripts/test installs it and sets it");
    std::fs::read_to_string(&axe_path).unwrap_or_else(|e| panic!("reading {axe_path}: {e}"))
}

/// Every page the axe-core tests check, with the demo data, a staff member (Sam) and a campus
/// user (Ana) who has just reported a problem, so the thank-you and private pages exist too.
pub(crate) struct AxeTour {
    /// Staff's browser.
    pub(crate) staff: Browser,
    /// The campus user's browser.
    pub(crate) user: Browser,
    staff_pages: Vec<String>,
    user_pages: Vec<String>,
    _driver: Driver,
    _stack: Stack,
}

impl AxeTour {
    /// Starts the stack with the demo data and the two browsers; the user reports a problem.
    pub(crate) async fn start() -> AxeTour {
        let stack = Stack::start(true).await;
        let driver = start_driver().await;
        let staff = Browser::open(&driver, &stack.web_url).await;
        let user = Browser::open(&driver, &stack.web_url).await;
        staff.enter("staff", "Sam").await;
        user.enter("user", "Ana").await;
        user.visit("/tickets/new").await;
        user.fill("#title", "Projector in hall 2 shows no picture").await;
        user.fill("#description", "The projector in lecture hall 2 stays blue whatever is plugged in.").await;
        user.click("form button[type=submit]").await;
        let created =
            user.wait_for_path("the new ticket", |p| p.starts_with("/tickets/") && p != "/tickets/new").await;
        let private = user.client.find(Locator::Id("private-link")).await.expect("the private link");
        let private = private.prop("value").await.expect("its value").expect("a link");
        let private = private.split_once("/r/").map(|(_, token)| format!("/r/{token}")).expect("a /r/ link");
        let staff_pages = [
            "/tickets",
            "/tickets?status=closed",
            "/tickets/1",
            "/tickets/new",
            "/dashboard",
            "/dashboard?view=resolution",
            "/dashboard?view=categories",
            "/imports/new",
            "/nowhere",
        ];
        // The thank-you shows once (a one-time cookie); the address itself is the plain ticket page.
        let user_pages = ["/", "/tickets", "/tickets/new", "/tickets/2", created.as_str(), private.as_str()];
        AxeTour {
            staff_pages: staff_pages.map(String::from).to_vec(),
            user_pages: user_pages.map(String::from).to_vec(),
            staff,
            user,
            _driver: driver,
            _stack: stack,
        }
    }

    /// Runs the axe-core rules `run_only` (see [`Browser::axe_run`]) on every page, for both
    /// people, in the light and then the dark scheme, each at desktop (1280 px) and phone
    /// (375 px) width (issue 12: lists become cards, tables stack). One line per violation,
    /// prefixed with scheme, width, who and page. The browsers end in the dark scheme at 375 px.
    pub(crate) async fn run(&self, axe: &str, run_only: &str) -> Vec<String> {
        let mut failures = Vec::new();
        for scheme in ["light", "dark"] {
            for browser in [&self.staff, &self.user] {
                browser.set_width(1280).await;
                browser.pin_scheme(scheme).await;
            }
            for width in [1280, 375] {
                for (who, browser, pages) in
                    [("staff", &self.staff, &self.staff_pages), ("user", &self.user, &self.user_pages)]
                {
                    browser.set_width(width).await;
                    for page in pages {
                        browser.visit(page).await;
                        for violation in browser.axe_run(axe, run_only).await {
                            failures.push(format!("{scheme}, {width} px, {who}, {page}: {violation}"));
                        }
                    }
                }
            }
        }
        failures
    }

    /// Closes both browsers.
    pub(crate) async fn close(self) {
        self.staff.close().await;
        self.user.close().await;
    }
}

#[tokio::test]
async fn every_page_passes_axe_core_in_the_light_and_the_dark_scheme() {
    let axe = axe_script();
    let tour = AxeTour::start().await;
    let failures = tour.run(&axe, AXE_AA).await;
    assert!(failures.is_empty(), "axe-core found WCAG A/AA violations:\n{}", failures.join("\n"));
    tour.close().await;
}

/// The reporter's side without a login (issue 11): the thank-you page gives the private link,
/// the ticket list remembers what this browser reported (closed too), staff reply and close,
/// and the link opened in a fresh browser profile (another device, no role chosen) shows the
/// reply and the closed outcome. "Go to ticket #" opens a ticket by `#N`. The whole journey of
/// issue 11: the report carries a photo and an e-mail address, a real SMTP server receives
/// one e-mail per staff change with the private link, and the link taken from the last
/// e-mail opens the closed ticket, photo included, in the fresh profile.
#[tokio::test]
async fn the_reporter_follows_a_ticket_by_its_private_link() {
    let sink = crate::mail::SmtpSink::start();
    let (stack, origin) = crate::mail::stack_sending_to(&sink).await;
    let driver = start_driver().await;
    let user = Browser::open(&driver, &stack.web_url).await;
    let staff = Browser::open(&driver, &stack.web_url).await;

    user.enter("user", "Ana").await;
    user.visit("/tickets/new").await;
    user.fill("#title", "Heating in room B204 is off").await;
    user.fill("#description", "The radiators in room B204 are cold since this morning.").await;
    user.fill("#email", "ana@campus.test").await;
    let files = tempfile::tempdir().expect("a folder");
    let photo = files.path().join("radiator.png");
    std::fs::write(&photo, png(640, 480)).expect("write the photo");
    let input = user.client.find(Locator::Css("#files")).await.expect("the file input");
    input.send_keys(&photo.display().to_string()).await.expect("choose the photo");
    user.click("form button[type=submit]").await;
    user.wait_for_text("#created-heading", "your problem is reported", false).await;
    let ticket_path = user.wait_for_path("the new ticket", |p| p.starts_with("/tickets/")).await;
    let number = ticket_path.trim_start_matches("/tickets/").to_owned();
    let field = user.client.find(Locator::Css("#private-link")).await.expect("the private link field");
    let link = field.prop("value").await.expect("its value").expect("a link");
    assert!(link.starts_with(&format!("{}/r/", stack.web_url)), "an absolute private link: {link}");
    assert!(user.text(".private-link").await.contains("Keep this link"));
    user.shot("reporter-thank-you").await;
    let private_path = link.trim_start_matches(&stack.web_url).to_owned();

    // The home page lists it under "Reported from this browser".
    user.visit("/tickets").await;
    user.wait_for_text(".reported", "Heating in room B204 is off", false).await;
    assert!(user.source().await.contains(&format!("href=\"{private_path}\"")), "linked to the private page");

    // Staff find it by number with the go-to box, reply and close it.
    staff.enter("staff", "Sam").await;
    staff.fill("#go-number", &format!("#{number}")).await;
    staff.click("form.go-to button").await;
    staff.wait_for_path("the ticket by its number", |p| p == ticket_path).await;
    staff.click("form[action$='/status'] button").await;
    staff.wait_for_text("#ticket-facts", "Active", false).await;
    staff.fill("#body", "The valve was stuck; the caretaker opened it.").await;
    staff.click("form[action*='/messages'] button").await;
    staff.wait_for_text("#thread-messages", "The valve was stuck", false).await;

    // The reporter reads the reply on the private page and answers there.
    user.visit(&private_path).await;
    user.wait_for_text("#thread", "The valve was stuck", false).await;
    user.fill("#body", "Thank you, it is warm again.").await;
    user.click("form[action*='/messages'] button").await;
    user.wait_for_text(".flash", "Your reply is posted", false).await;
    assert!(user.text("#thread").await.contains("it is warm again"));
    staff.visit(&ticket_path).await;
    staff.wait_for_text("#thread-messages", "it is warm again", false).await;
    staff.click("details.confirm-close summary").await;
    staff.click("details.confirm-close button[type=submit]").await;
    staff.wait_for_text("#ticket-facts", "Closed", false).await;

    // This browser still lists it, closed; "#N" in the go-to box opens its private page, since
    // a campus user never sees a closed ticket otherwise.
    user.visit("/tickets").await;
    user.wait_for_text(".reported", "Closed", false).await;
    user.shot("tickets-reported").await;
    user.fill("#go-number", &format!("#{number}")).await;
    user.click("form.go-to button").await;
    user.wait_for_path("the private page", |p| p == private_path).await;
    user.close().await;

    // One e-mail per staff change (work started, the reply, closed), none for the reporter's
    // own reply; each to the reporter, with the private link.
    let mails = sink.wait_for(3).await;
    assert_eq!(mails.len(), 3, "{mails:#?}");
    assert!(mails.iter().all(|m| m.to == "ana@campus.test"));
    assert_eq!(mails[2].subject, format!("Ticket #{number} was closed"));
    let mailed = mails[2].line_starting(&format!("{origin}/r/"));
    assert_eq!(mailed.trim_start_matches(&origin), private_path, "the e-mail's link is the private link");

    // Another device: a fresh profile, no role chosen, only the link from the e-mail.
    let elsewhere = Browser::open(&driver, &stack.web_url).await;
    elsewhere.visit(&private_path).await;
    elsewhere.wait_for_text("#thread", "The valve was stuck", false).await;
    assert!(elsewhere.text(".notice-outcome").await.contains("This ticket is closed"));
    assert!(elsewhere.text("#ticket-facts").await.contains("Heating in room B204 is off"));
    assert!(elsewhere.client.find(Locator::Css("textarea#body")).await.is_err(), "no reply form once closed");
    // The photo of the closed ticket shows, served under the private link.
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let width = elsewhere
            .client
            .execute("const i = document.querySelector('#ticket-facts img.attachment-thumb'); return i ? i.naturalWidth : 0", vec![])
            .await
            .expect("the thumbnail's width");
        if width.as_u64() == Some(320) {
            break;
        }
        assert!(Instant::now() < deadline, "the photo's thumbnail did not load on the private page: {width}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(
        elsewhere.source().await.contains(&format!("src=\"{private_path}/attachments/")),
        "the thumbnail comes through the private link"
    );
    elsewhere.shot("reporter-closed").await;
    elsewhere.close().await;
    staff.close().await;
}

/// E-mail updates in the browser: the report form refuses a malformed address with everything
/// typed kept, takes a good one, and the unsubscribe link from the e-mail asks for a press
/// before it stops the e-mails (screenshots `new-ticket-email`, `unsubscribe-confirm`,
/// `unsubscribe-done`).
#[tokio::test]
async fn reporting_with_an_e_mail_address_and_unsubscribing_in_the_browser() {
    use crate::helpers::staff;
    use crate::mail::{SmtpSink, stack_sending_to};

    let sink = SmtpSink::start();
    let (stack, origin) = stack_sending_to(&sink).await;
    let driver = start_driver().await;
    let user = Browser::open(&driver, &stack.web_url).await;
    user.enter("user", "Ana").await;
    user.visit("/tickets/new").await;
    user.fill("#title", "Heating off in room B204").await;
    user.fill("#description", "The radiators have been cold since Monday.").await;
    user.fill("#email", "ana@@campus").await;
    user.click("form button[type=submit]").await;
    user.wait_for_text("#email-error", "is not an e-mail address", false).await;
    for (css, typed) in [("#email", "ana@@campus"), ("#title", "Heating off in room B204")] {
        let field = user.client.find(Locator::Css(css)).await.expect("a field");
        assert_eq!(field.prop("value").await.expect("a value").as_deref(), Some(typed), "{css} is kept");
    }
    let show_email = "document.getElementById('email').scrollIntoView({block: 'center'})";
    user.client.execute(show_email, vec![]).await.expect("scroll to the address");
    user.shot("new-ticket-email-refused").await;
    user.fill("#email", "ana@campus.test").await;
    user.client.execute(show_email, vec![]).await.expect("scroll to the address");
    user.shot("new-ticket-email").await;
    user.click("form button[type=submit]").await;
    let path =
        user.wait_for_path("the new ticket", |p| p.starts_with("/tickets/") && p != "/tickets/new").await;
    let id: i64 = path.trim_start_matches("/tickets/").parse().expect("a ticket number");

    stack.tickets.post_message(&staff(), id, "A technician comes at 3 pm.").await.expect("a message");
    let mail = sink.wait_for(1).await.remove(0);
    let link = mail.line_starting(&format!("{origin}/unsubscribe/"));
    // A fresh window, as when the link is opened from a mail program.
    let reader = Browser::open(&driver, &stack.web_url).await;
    reader.visit(link.trim_start_matches(&origin)).await;
    reader.wait_for_text("main", "Stop the e-mails about this ticket?", false).await;
    reader.shot("unsubscribe-confirm").await;
    reader.click("main form button[type=submit]").await;
    reader.wait_for_text("main", &format!("no more e-mails about ticket #{id}"), false).await;
    reader.shot("unsubscribe-done").await;
    let view = stack.tickets.ticket_view(&staff(), id).await.expect("the staff view");
    assert!(!view.reporter.expect("the address").subscribed);
    reader.close().await;
    user.close().await;
}

/// A `width` x `height` PNG.
fn png(width: u32, height: u32) -> Vec<u8> {
    let image =
        image::RgbImage::from_fn(width, height, |x, y| image::Rgb([200, (x % 256) as u8, (y % 256) as u8]));
    let mut out = std::io::Cursor::new(Vec::new());
    image::DynamicImage::ImageRgb8(image).write_to(&mut out, image::ImageFormat::Png).expect("a PNG");
    out.into_inner()
}

#[tokio::test]
async fn a_photo_reported_from_the_form_shows_as_a_thumbnail_and_no_served_file_runs_script() {
    let stack = Stack::start(false).await;
    let driver = start_driver().await;
    let user = Browser::open(&driver, &stack.web_url).await;
    let files = tempfile::tempdir().expect("a folder for the files to attach");
    let photo = files.path().join("radiator.png");
    std::fs::write(&photo, png(640, 480)).expect("write the photo");
    // A page that would set the title and raise an alert if a browser ever ran it: once renamed
    // .png (refused), once behind a PDF's first bytes (accepted, served only as a download).
    let script = "<html><body><script>document.title='pwned';alert('pwned')</script></body></html>";
    let disguised = files.path().join("photo.png");
    std::fs::write(&disguised, script).expect("write the page");
    let polyglot = files.path().join("notes.pdf");
    std::fs::write(&polyglot, format!("%PDF-1.4\n{script}")).expect("write the PDF");

    user.enter("user", "Ana").await;
    user.visit("/tickets/new").await;
    user.fill("#title", "Radiator cold in room B204").await;
    user.fill("#description", "The radiator under the window in B204 stays cold all day.").await;
    let input = user.client.find(Locator::Css("#files")).await.expect("the file input");
    input.send_keys(&photo.display().to_string()).await.expect("choose the photo");
    user.click("form button[type=submit]").await;
    user.wait_for_text("#created-heading", "your problem is reported", false).await;
    let ticket_path = user.wait_for_path("the new ticket", |p| p.starts_with("/tickets/")).await;

    // The thumbnail is on the page, loaded, and links to the full size.
    let thumb = user.client.find(Locator::Css("img.attachment-thumb")).await.expect("a thumbnail");
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let width = user
            .client
            .execute("return document.querySelector('img.attachment-thumb').naturalWidth", vec![])
            .await
            .expect("the image's width");
        if width.as_u64() == Some(320) {
            break;
        }
        assert!(Instant::now() < deadline, "the thumbnail never loaded (natural width {width})");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let src = thumb.attr("src").await.expect("attribute").expect("a src");
    assert!(src.starts_with("/attachments/") && src.ends_with("/thumbnail"), "{src}");
    user.shot("ticket-attachment").await;

    // A page renamed .png is refused on the message form: the text stays, nothing is posted.
    user.fill("#body", "Here is the plan of the room.").await;
    let input = user.client.find(Locator::Css("#message-files")).await.expect("the message's file input");
    input.send_keys(&disguised.display().to_string()).await.expect("choose the page");
    user.click("form[action*='/messages'] button").await;
    user.wait_for_text("#message-files-error", "is not a photo", false).await;
    assert!(user.text("#message-files-error").await.contains("choose the files again"));
    assert_eq!(
        user.client.find(Locator::Css("#body")).await.expect("body").prop("value").await.expect("value"),
        Some("Here is the plan of the room.".to_owned())
    );
    user.shot("message-file-refused").await;

    // The PDF with a page inside is accepted; opening it downloads it, nothing runs.
    let input = user.client.find(Locator::Css("#message-files")).await.expect("the message's file input");
    input.send_keys(&polyglot.display().to_string()).await.expect("choose the PDF");
    user.click("form[action*='/messages'] button").await;
    user.wait_for_text("#thread-messages", "Here is the plan of the room.", false).await;
    let link =
        user.client.find(Locator::Css("#thread-messages a.attachment-file")).await.expect("a file link");
    assert!(link.text().await.expect("text").contains("notes.pdf"));
    let href = link.attr("href").await.expect("attribute").expect("an href");
    for path in [href.clone(), src.replace("/thumbnail", "")] {
        let _ = user.client.goto(&format!("{}{path}", stack.web_url)).await;
        assert!(user.client.get_alert_text().await.is_err(), "{path} raised an alert");
        let title = user.client.title().await.unwrap_or_default();
        assert_ne!(title, "pwned", "{path} ran its script");
    }
    user.visit(&ticket_path).await;
    assert_ne!(user.client.title().await.unwrap_or_default(), "pwned");
    user.close().await;
}
