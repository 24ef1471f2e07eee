//! The "done when" for learning from staff, on the whole stack: a correction made by
//! staff in the web UI changes the model's answer for a near-identical new ticket within
//! seconds, and `GET /api/v1/classifier` shows the correction.

use domain::{Category, CategorySource};
use reqwest::StatusCode;
use reqwest::header::{COOKIE, LOCATION, SET_COOKIE};

use crate::helpers::{Stack, eventually};

/// An unusual report the bundled corpus knows nothing specific about.
const TITLE: &str = "Zorblax beeping";
const DESCRIPTION: &str = "The zorblax in room Q7 is making the beeping noise again";
/// What a second person reports about the same thing, a few words different.
const SECOND_DESCRIPTION: &str = "The zorblax in room Q9 makes the beeping noise again";

/// A browser without JavaScript on the web UI: keeps the role cookies, does not follow redirects.
struct Browser {
    http: reqwest::Client,
    web: String,
    cookies: String,
}

impl Browser {
    /// Enters through the entry page as `role` (`user` or `staff`) called `name`.
    async fn enter(web: &str, role: &str, name: &str) -> Browser {
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("an HTTP client");
        let mut browser = Browser { http, web: web.to_owned(), cookies: String::new() };
        let response = browser.post("/session", &[("role", role), ("name", name)]).await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER, "entering as {role}");
        browser.cookies = response
            .headers()
            .get_all(SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok()?.split(';').next())
            .filter(|pair| pair.split_once('=').is_some_and(|(_, value)| !value.is_empty()))
            .collect::<Vec<_>>()
            .join("; ");
        browser
    }

    async fn post(&self, path: &str, form: &[(&str, &str)]) -> reqwest::Response {
        self.http
            .post(format!("{}{path}", self.web))
            .header(COOKIE, &self.cookies)
            .form(form)
            .send()
            .await
            .expect("POST to the web UI")
    }

    async fn get(&self, path: &str) -> String {
        let response = self
            .http
            .get(format!("{}{path}", self.web))
            .header(COOKIE, &self.cookies)
            .send()
            .await
            .expect("GET");
        assert_eq!(response.status(), StatusCode::OK, "GET {path}");
        response.text().await.expect("a page")
    }

    /// Sends the new-ticket form and returns the new ticket's id (from the redirect).
    async fn report(&self, title: &str, description: &str) -> i64 {
        let response = self.post("/tickets", &[("title", title), ("description", description)]).await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER, "reporting {title:?}");
        let location = response.headers()[LOCATION].to_str().expect("ASCII").to_owned();
        location
            .strip_prefix("/tickets/")
            .and_then(|rest| rest.strip_suffix("?created=1"))
            .and_then(|id| id.parse().ok())
            .unwrap_or_else(|| panic!("unexpected redirect {location}"))
    }
}

/// The edit form's hidden version on a ticket page.
fn version_in(html: &str) -> String {
    let start = html.find("name=\"version\" value=\"").expect("the edit form's version") + 22;
    html[start..].split('"').next().expect("closing quote").to_owned()
}

#[tokio::test]
async fn a_staff_correction_in_the_ui_teaches_the_model_for_the_next_similar_ticket() {
    let stack = Stack::start(false).await;
    let reporter = Browser::enter(&stack.web_url, "user", "Bo").await;
    let desk = Browser::enter(&stack.web_url, "staff", "Sam").await;

    // A campus user reports the unusual problem; the model files it somewhere.
    let first = reporter.report(TITLE, DESCRIPTION).await;
    let filed = stack.tickets.get_ticket(&crate::helpers::staff(), first).await.expect("the ticket");
    assert_eq!(filed.category_source, CategorySource::Auto);
    let wrong = filed.category;
    let right = Category::ALL.into_iter().find(|c| *c != wrong).expect("another category");
    let second_text = format!("{TITLE}\n{SECOND_DESCRIPTION}");
    let before = stack.tickets.classify(&second_text).await.expect("classify");
    assert_eq!(before.category, wrong, "before the correction the similar text goes the same way");

    // Staff open the ticket page and correct the category with the edit form.
    let page = desk.get(&format!("/tickets/{first}")).await;
    assert!(page.contains("Deciding words"), "staff see why the model chose it");
    let version = version_in(&page);
    let edit = [
        ("title", TITLE),
        ("description", DESCRIPTION),
        ("version", version.as_str()),
        ("category", right.as_str()),
    ];
    let saved = desk.post(&format!("/tickets/{first}"), &edit).await;
    assert_eq!(saved.status(), StatusCode::SEE_OTHER);
    assert_eq!(saved.headers()[LOCATION], format!("/tickets/{first}?saved=1").as_str());
    assert!(desk.get(&format!("/tickets/{first}")).await.contains("Set by staff."));

    // Within seconds the retrained model files the near-identical text as staff did.
    eventually("the retrained model to follow the correction", || async {
        let answer = stack.tickets.classify(&second_text).await.ok()?;
        (answer.category == right).then_some(())
    })
    .await;
    let second = reporter.report(TITLE, SECOND_DESCRIPTION).await;
    let second = stack.tickets.get_ticket(&crate::helpers::staff(), second).await.expect("the second ticket");
    assert_eq!(second.category, right, "the new similar ticket gets the staff's category");
    assert_eq!(second.category_source, CategorySource::Auto, "chosen by the model, not set by staff");

    // The status shows the correction and how the model does on it now.
    let status = eventually("the classifier status to settle", || async {
        let status = stack.tickets.classifier_status().await.ok()?;
        (!status.retraining).then_some(status)
    })
    .await;
    assert_eq!(status.corrections, 1);
    assert_eq!((status.auto_categorised, status.corrected), (2, 1));
    assert_eq!(status.auto_accuracy, Some(0.5));
    assert_eq!((status.corrected_texts, status.corrections_now_right), (1, 1));

    // And the staff dashboard's card says so too.
    let dashboard = desk.get("/dashboard?view=categories").await;
    assert!(dashboard.contains("Automatic categories"));
    assert!(dashboard.contains("1 of 2 automatic categories were corrected by staff"));
}

/// A ChromeDriver for the hint test, killed on drop (`scripts/test` installs `chromium-driver`;
/// `CAMPUSDESK_CHROMEDRIVER` and `CAMPUSDESK_CHROMIUM` name other binaries, as in `browser`).
struct Driver {
    child: std::process::Child,
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

/// Polls `check` every 50 ms until it gives `Some`, or panics with `what` after 20 s.
async fn within_20s<T, Fut: Future<Output = Option<T>>>(what: &str, mut check: impl FnMut() -> Fut) -> T {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    loop {
        if let Some(value) = check().await {
            return value;
        }
        assert!(std::time::Instant::now() < deadline, "timed out waiting for {what}");
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn the_new_ticket_form_shows_the_category_while_typing() {
    use fantoccini::{ClientBuilder, Locator};

    let stack = Stack::start(false).await;
    let port =
        std::net::TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).expect("a free port").port();
    let driver_path = program("CAMPUSDESK_CHROMEDRIVER", "chromedriver");
    let child = std::process::Command::new(&driver_path)
        .arg(format!("--port={port}"))
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start ChromeDriver ({driver_path}): {e}; run scripts/test"));
    let driver = Driver { child, url: format!("http://127.0.0.1:{port}") };
    within_20s("ChromeDriver to answer", || async {
        let response = reqwest::get(format!("{}/status", driver.url)).await.ok()?;
        response.status().is_success().then_some(())
    })
    .await;
    let profile = tempfile::tempdir().expect("a browser profile");
    let capabilities = serde_json::json!({
        "goog:chromeOptions": {
            "binary": program("CAMPUSDESK_CHROMIUM", "/usr/bin/chromium"),
            "args": [
                "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--no-first-run", "--disable-background-networking", "--window-size=1280,900",
                format!("--user-data-dir={}", profile.path().display()),
            ]
        }
    });
    let serde_json::Value::Object(capabilities) = capabilities else { unreachable!("an object") };
    let browser = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
        .capabilities(capabilities)
        .connect(&driver.url)
        .await
        .expect("a Chromium session");

    // Come in as a campus user and open the form.
    browser.goto(&format!("{}/", stack.web_url)).await.expect("the entry page");
    browser
        .find(Locator::Css("input[name=role][value=user]"))
        .await
        .expect("role")
        .click()
        .await
        .expect("click");
    browser
        .find(Locator::Css("form.entry-form button[type=submit]"))
        .await
        .expect("enter")
        .click()
        .await
        .expect("click");
    within_20s("the ticket list", || async {
        (browser.current_url().await.ok()?.path() == "/tickets").then_some(())
    })
    .await;
    browser.goto(&format!("{}/tickets/new", stack.web_url)).await.expect("the form");
    let hint = browser.find(Locator::Id("category-hint")).await.expect("the hint region");
    assert_eq!(hint.attr("aria-live").await.expect("attribute").as_deref(), Some("polite"));
    assert_eq!(hint.text().await.expect("text"), "", "nothing is hinted before typing");

    // Typing shows where the ticket will go, with the deciding words.
    browser.find(Locator::Id("title")).await.expect("title").send_keys("Wifi down").await.expect("type");
    browser
        .find(Locator::Id("description"))
        .await
        .expect("description")
        .send_keys("eduroam keeps dropping in the library")
        .await
        .expect("type");
    let shown = within_20s("the category hint", || async {
        let text = browser.find(Locator::Id("category-hint")).await.ok()?.text().await.ok()?;
        text.contains("This will probably be filed under: Technical IT (").then_some(text)
    })
    .await;
    assert!(shown.contains("Deciding words:") && shown.contains("eduroam"), "{shown}");
    assert_eq!(
        stack
            .tickets
            .list_tickets(&crate::helpers::staff(), &Default::default())
            .await
            .expect("list")
            .items
            .len(),
        0,
        "a hint creates nothing"
    );
    let _ = browser.close().await;
}
