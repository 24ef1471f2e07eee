//! Drives the web UI over HTTP against the real ticket and analytics services, the way a
//! browser without JavaScript would: forms, redirects, cookies.

mod appearance;
mod attachments;
mod forms;
mod helpers;
mod imports;
mod languages;
mod learning;
mod limits;
mod links;
mod list_languages;
mod lists;
mod reporter;
mod review;
mod streams;

use futures::StreamExt as _;
use helpers::{TestApp, spawn_app, wait_until};
use reqwest::StatusCode;
use reqwest::header::COOKIE;

/// The edit form's hidden version on a ticket page.
pub(crate) fn version_in(html: &str) -> String {
    let start = html.find("name=\"version\" value=\"").expect("a version field") + 22;
    html[start..].split('"').next().expect("closing quote").to_owned()
}

#[tokio::test]
async fn a_user_reports_and_staff_handle_the_ticket_to_the_end() {
    let mut app = spawn_app().await;

    // A campus user reports a problem and sees which category it got.
    app.enter("user", "Bo").await;
    let title = "Lift stuck in building B";
    let (id, page, _) = app
        .report_and_follow(
            title,
            "The lift in building B is stuck between floor 2 and 3.\r\nPeople are waiting inside.",
        )
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.html.contains("your problem is reported as ticket"));
    assert!(page.html.contains("Why this category?"));
    assert!(page.html.contains("confidence"));
    assert!(page.html.contains("People are waiting inside."));

    let list = app.get("/tickets").await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(list.html.contains(title));
    assert!(list.html.contains(&format!("href=\"/tickets/{id}\"")));

    // A user sees no staff controls and no dashboard.
    assert!(!page.html.contains(">Start work</button>"));
    assert_eq!(app.get("/dashboard").await.status, StatusCode::FORBIDDEN);

    // Helpdesk staff start work, talk, and close it.
    app.enter("staff", "Ana").await;
    let page = app.get(&format!("/tickets/{id}")).await;
    assert!(page.html.contains(">Start work</button>"));
    assert!(page.html.contains("Helpdesk staff"));
    assert!(page.html.contains("reported the ticket"), "the activity list shows the event log");

    let page = app.follow(app.post(&format!("/tickets/{id}/status"), &[("to", "active")]).await).await;
    assert!(page.html.contains("Work has started"));
    assert!(page.html.contains("Close ticket"));
    // Closing asks first: its form sits inside the confirmation that the first press opens.
    let confirm = page.html.find("<details class=\"confirm-close\">").expect("the close confirmation");
    let form = page.html.find(&format!("action=\"/tickets/{id}/status\"")).expect("the close form");
    assert!(form > confirm, "the close button is inside the confirmation");
    assert!(page.html.contains(&format!("Yes, close ticket #{id}")));
    assert!(!page.html.contains(">Start work</button>"));

    let page = app
        .follow(
            app.post(
                &format!("/tickets/{id}/messages"),
                &[("body", "We are on it.\r\nA technician comes at 10.")],
            )
            .await,
        )
        .await;
    assert!(page.html.contains("Your message is posted."));
    assert!(page.html.contains("We are on it.\nA technician comes at 10."), "line breaks are kept");
    assert!(page.html.contains("Ana"));

    let page = app.follow(app.post(&format!("/tickets/{id}/status"), &[("to", "closed")]).await).await;
    assert!(page.html.contains("The ticket is closed."));
    assert!(page.html.contains("<dt>Closed</dt>"));
    assert!(!page.html.contains("Close ticket"));
    let closed = app.get("/tickets?status=closed").await;
    assert!(closed.html.contains(title));

    // Back as a user: the closed ticket is gone, with a friendly page.
    app.enter("user", "").await;
    let page = app.get(&format!("/tickets/{id}")).await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
    assert!(page.html.contains("was not found, or it is closed"));
    assert!(!app.get("/tickets").await.html.contains(title));
}

#[tokio::test]
async fn the_dashboard_renders_each_analysis_with_a_chart() {
    let mut app = spawn_app().await;
    app.enter("staff", "").await;
    let id = app.report("Wifi down in the library", "No wireless network on the second floor since 9.").await;
    app.post(&format!("/tickets/{id}/status"), &[("to", "active")]).await;
    app.post(&format!("/tickets/{id}/status"), &[("to", "closed")]).await;
    app.report("Heating broken in room A12", "The radiator is cold all day.").await;

    let page = app.get("/dashboard").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.html);
    assert!(page.html.contains("<svg"));
    assert!(page.html.contains("Unclosed tickets opened in the last 7 days"));

    let page = app.get("/dashboard?view=unclosed&amount=24&unit=hours").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.html.contains("<svg") && page.html.contains("last 24 hours"));

    // The analytics read model follows the change feed: wait until it has the closed ticket.
    wait_until("the resolution-time analysis has the closed ticket", || async {
        app.get("/dashboard?view=resolution").await.html.contains("<svg")
    })
    .await;
    let page = app.get("/dashboard?view=resolution").await;
    assert!(page.html.contains("Mean (hours)"));

    let page = app.get("/dashboard?view=categories").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.html.contains("<svg"));
    for label in ["Facility management", "Technical IT", "Services"] {
        assert!(page.html.contains(label));
    }

    // A bad period: the error is inline and the typed value stays.
    let page = app.get("/dashboard?view=unclosed&amount=soon&unit=days").await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.html.contains("value=\"soon\""));
    assert!(page.html.contains("id=\"amount-error\""));
}

#[tokio::test]
async fn validation_errors_keep_what_was_typed() {
    let mut app = spawn_app().await;
    app.enter("user", "").await;

    let page = app.post("/tickets", &[("title", "Printer jam <b>now</b>"), ("description", "   ")]).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.html.contains("value=\"Printer jam &#60;b&#62;now&#60;/b&#62;\""), "{}", page.html);
    assert!(page.html.contains("id=\"description-error\""));

    let long = "x".repeat(121);
    let page = app.post("/tickets", &[("title", &long), ("description", "Paper everywhere.")]).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.html.contains("id=\"title-error\""));
    assert!(page.html.contains("Paper everywhere."));

    let id = app.report("Printer jam", "Paper everywhere on floor 2.").await;
    let page = app.post(&format!("/tickets/{id}/messages"), &[("body", " \r\n ")]).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.html.contains("id=\"body-error\""));

    let name = "n".repeat(61);
    let page = app.post("/session", &[("role", "user"), ("name", &name)]).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.html.contains(&format!("value=\"{name}\"")));
}

#[tokio::test]
async fn a_stale_edit_is_shown_inline_with_the_typed_text() {
    let mut app = spawn_app().await;
    app.enter("user", "").await;
    let id = app.report("Projector flickers", "The projector in hall 3 flickers.").await;
    let stale = version_in(&app.get(&format!("/tickets/{id}")).await.html);

    let page = app
        .follow(
            app.post(
                &format!("/tickets/{id}"),
                &[
                    ("title", "Projector flickers in hall 3"),
                    ("description", "It flickers."),
                    ("version", &stale),
                ],
            )
            .await,
        )
        .await;
    assert!(page.html.contains("Your changes are saved."));
    assert!(page.html.contains("Projector flickers in hall 3"));

    let page = app
        .post(
            &format!("/tickets/{id}"),
            &[("title", "My other title"), ("description", "My own words."), ("version", &stale)],
        )
        .await;
    assert_eq!(page.status, StatusCode::CONFLICT);
    assert!(page.html.contains("Someone else changed this ticket"));
    assert!(page.html.contains("value=\"My other title\""));
    assert!(page.html.contains("My own words.</textarea>"));
    assert_ne!(version_in(&page.html), stale, "saving again is based on the current version");
}

#[tokio::test]
async fn the_live_stream_reports_changed_tickets() {
    let mut app = spawn_app().await;
    app.enter("staff", "").await;
    let response = app
        .http()
        .get(format!("{}/live", app.web))
        .header(COOKIE, &app.cookies)
        .send()
        .await
        .expect("GET /live");
    assert_eq!(response.status(), StatusCode::OK);
    assert!(response.headers()["content-type"].to_str().expect("ascii").starts_with("text/event-stream"));
    let id = app.report("Door sensor broken", "The main door does not open.").await;
    let mut stream = response.bytes_stream();
    let mut seen = String::new();
    let expected = format!("\"ticket\":{id}");
    while !seen.contains(&expected) {
        let chunk = stream.next().await.expect("the stream stays open").expect("a chunk");
        seen.push_str(&String::from_utf8_lossy(&chunk));
    }
    assert!(seen.contains("event: change"));
}

#[tokio::test]
async fn pages_need_a_role_and_unknown_pages_are_friendly() {
    let app: TestApp = spawn_app().await;
    let page = app.get("/tickets").await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    assert_eq!(page.location.as_deref(), Some("/"));
    let page = app.get("/nowhere").await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
    assert!(page.html.contains("There is no page at this address"));
}

/// Pages, the stylesheet and the scripts travel compressed to a browser that accepts it.
#[tokio::test]
async fn pages_and_assets_are_compressed_for_browsers_that_accept_it() {
    let app = spawn_app().await;
    let http = reqwest::Client::new();
    for path in ["/", "/static/style.css", "/static/live.js"] {
        let response = http
            .get(format!("{}{path}", app.web))
            .header("accept-encoding", "br, gzip")
            .send()
            .await
            .expect("GET");
        assert_eq!(response.status(), 200, "{path}");
        assert_eq!(response.headers()["content-encoding"], "br", "{path} is compressed with brotli");
    }
}
