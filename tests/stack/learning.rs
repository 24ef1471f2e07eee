//! The "done when" for learning from staff, on the whole stack: a correction made by
//! staff in the web UI changes the model's answer for a near-identical new ticket within
//! seconds, and `GET /api/v1/classifier` shows the correction.

use domain::{Category, CategorySource};
use reqwest::StatusCode;
use reqwest::header::LOCATION;

use crate::helpers::{Stack, WebSession, eventually};

/// An unusual report the bundled corpus knows nothing specific about.
const TITLE: &str = "Zorblax beeping";
const DESCRIPTION: &str = "The zorblax in room Q7 is making the beeping noise again";
/// What a second person reports about the same thing, a few words different.
const SECOND_DESCRIPTION: &str = "The zorblax in room Q9 makes the beeping noise again";

/// Sends the new-ticket form and returns the new ticket's id (from the redirect).
async fn report(session: &WebSession, title: &str, description: &str) -> i64 {
    let (status, location) =
        session.post_for_redirect("/tickets", &[("title", title), ("description", description)]).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "reporting {title:?}");
    location
        .strip_prefix("/tickets/")
        .and_then(|id| id.parse().ok())
        .unwrap_or_else(|| panic!("unexpected redirect {location}"))
}

/// The edit form's hidden version on a ticket page.
fn version_in(html: &str) -> String {
    let start = html.find("name=\"version\" value=\"").expect("the edit form's version") + 22;
    html[start..].split('"').next().expect("closing quote").to_owned()
}

#[tokio::test]
async fn a_staff_correction_in_the_ui_teaches_the_model_for_the_next_similar_ticket() {
    let stack = Stack::start(false).await;
    let reporter = WebSession::enter(&stack.web_url, "user", "Bo").await;
    let desk = WebSession::enter(&stack.web_url, "staff", "Sam").await;

    // A campus user reports the unusual problem; the model files it somewhere.
    let first = report(&reporter, TITLE, DESCRIPTION).await;
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
    let second = report(&reporter, TITLE, SECOND_DESCRIPTION).await;
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
