//! Forms that behave and the live dashboard (issue 12, points 5 and 6) in real headless
//! Chromium: an error clears as its field is fixed (JavaScript on), the server shows every error
//! at once (JavaScript off), and the dashboard follows a ticket reported through the API
//! without a reload.

use api::CreateTicketRequest;
use fantoccini::Locator;

use crate::browser::{Browser, start_driver};
use crate::helpers::{Stack, eventually, user};

impl Browser {
    /// Whether the page has an element matching `css`.
    async fn has(&self, css: &str) -> bool {
        self.client.find(Locator::Css(css)).await.is_ok()
    }

    /// Waits until no element matches `css`.
    async fn wait_until_gone(&self, css: &str) {
        eventually(&format!("{css} to go away"), || async { (!self.has(css).await).then_some(()) }).await;
    }

    /// The value of attribute `name` of the element `css`.
    async fn attribute(&self, css: &str, name: &str) -> Option<String> {
        let element = self.client.find(Locator::Css(css)).await.ok()?;
        element.attr(name).await.ok().flatten()
    }
}

#[tokio::test]
async fn a_fixed_field_loses_its_error_before_the_form_is_sent_again() {
    let stack = Stack::start(false).await;
    let driver = start_driver().await;
    let user = Browser::open(&driver, &stack.web_url).await;
    user.enter("user", "Bo").await;
    user.visit("/tickets/new").await;
    user.click("form[data-checked-form] button[type=submit]").await;

    // The server lists both errors at the top and next to each field.
    user.wait_for_text(".error-summary", "Please fix these 2 things", false).await;
    assert!(user.text("#title-error").await.contains("The title must not be empty."));
    assert!(user.text("#description-error").await.contains("The description must not be empty."));

    // Typing a title takes its error away at once: under the field and in the summary.
    user.fill("#title", "Lift stuck in building B").await;
    user.wait_until_gone("#title-error").await;
    assert!(!user.has(".error-summary li[data-error-for=title]").await);
    assert_eq!(user.attribute("#title", "aria-invalid").await, None);
    assert!(user.has("#description-error").await, "the other error stays until it is fixed");

    // Leaving a field too long shows the server's sentence without sending.
    let long = "Lift ".repeat(40);
    user.fill("#title", &long).await;
    user.click("#description").await;
    user.wait_for_text("#title-error", "at most", false).await;
    user.fill("#title", "Lift stuck in building B").await;
    user.wait_until_gone("#title-error").await;

    // The last fix takes the summary away too.
    user.fill("#description", "The lift stops between floors 2 and 3.").await;
    user.wait_until_gone("#description-error").await;
    user.wait_until_gone(".error-summary").await;
    user.close().await;
}

#[tokio::test]
async fn without_javascript_the_server_shows_every_error_with_the_text_kept() {
    let stack = Stack::start(false).await;
    let driver = start_driver().await;
    let user = Browser::open_with(&driver, &stack.web_url, false).await;
    user.enter("user", "Bo").await;
    user.visit("/tickets/new").await;
    assert!(!user.has("p.char-count").await, "no script runs (the counter is the scripts' work)");
    let long = "Lift ".repeat(40);
    user.fill("#title", &long).await;
    user.click("form[data-checked-form] button[type=submit]").await;
    user.wait_for_text(".error-summary", "Please fix these 2 things", false).await;
    assert!(user.text("#title-error").await.contains("at most"));
    assert!(user.text("#description-error").await.contains("must not be empty"));
    let kept =
        user.client.find(Locator::Id("title")).await.expect("title").prop("value").await.expect("value");
    assert_eq!(kept.as_deref(), Some(long.as_str()));
    // The summary links to the fields.
    assert_eq!(user.attribute(".error-summary li a", "href").await.as_deref(), Some("#title"));
    user.close().await;
}

#[tokio::test]
async fn the_dashboard_follows_a_new_ticket_without_a_reload() {
    let stack = Stack::start(false).await;
    let driver = start_driver().await;
    let staff = Browser::open(&driver, &stack.web_url).await;
    staff.enter("staff", "Sam").await;
    staff.visit("/dashboard").await;
    staff.wait_for_text("figcaption", "0 unclosed tickets", false).await;
    let updated = staff.attribute("#dashboard-updated time", "datetime").await.expect("an update time");
    let shown = staff.text("#dashboard-updated").await;
    assert!(shown.starts_with("Updated at ") && shown.matches(':').count() == 2, "{shown}");
    // A marker a reload would lose.
    staff.client.execute("window.campusdeskMarker = 1;", vec![]).await.expect("set the marker");

    let request = CreateTicketRequest {
        title: "Heating off in B204".into(),
        description: "The radiator in room B204 stays cold all day.".into(),
        reporter_email: None,
    };
    stack.tickets.report_ticket(&user(), &request).await.expect("reported through the API");

    staff.wait_for_text("figcaption", "1 unclosed tickets", false).await;
    let moved = staff.attribute("#dashboard-updated time", "datetime").await.expect("an update time");
    assert_ne!(moved, updated, "the \"Updated at\" line moved");
    let kept = staff.client.execute("return window.campusdeskMarker === 1;", vec![]).await.expect("read");
    assert_eq!(kept, serde_json::Value::Bool(true), "the page was not reloaded");
    staff.close().await;
}
