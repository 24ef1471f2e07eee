//! The category pieces of the UI against the real services: the new-ticket form's live hint
//! route, the staff's "deciding words" on a ticket page, a correction through the edit form,
//! and the classifier card on the dashboard.

use reqwest::StatusCode;

use crate::helpers::spawn_app;
use crate::version_in;

#[tokio::test]
async fn the_hint_route_answers_with_the_category_of_a_draft() {
    let mut app = spawn_app().await;
    app.enter("user", "Bo").await;

    // The form carries the hint region and its script; other pages do not load the script.
    let form = app.get("/tickets/new").await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.html.contains("<script src=\"/static/hint.js\" defer></script>"));
    assert!(form.html.contains("id=\"category-hint\" class=\"category-hint\" aria-live=\"polite\""));
    assert!(!form.html.contains("<script>"), "no inline script: the CSP holds");
    assert!(!app.get("/tickets").await.html.contains("hint.js"));

    let page = app
        .post(
            "/tickets/classify",
            &[("title", "Wifi down"), ("description", "eduroam keeps dropping in the library")],
        )
        .await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.html);
    let hint: serde_json::Value = serde_json::from_str(&page.html).expect("JSON");
    assert_eq!(hint["category"], "it", "{hint}");
    assert_eq!(hint["label"], "Technical IT");
    let message = hint["message"].as_str().expect("a message");
    assert!(message.starts_with("This will probably be filed under: Technical IT ("), "{message}");
    assert!(hint["terms"].as_array().is_some_and(|t| !t.is_empty()), "the deciding words: {hint}");
    assert!(hint["confidence"].as_f64().is_some_and(|c| c > 0.0 && c <= 1.0));

    // Typed markup comes back escaped; blank drafts are refused; nothing was created.
    let page = app
        .post(
            "/tickets/classify",
            &[("title", "<script>alert(1)</script>"), ("description", "wifi <b>down</b>")],
        )
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(!page.html.contains('<'), "{}", page.html);
    let page = app.post("/tickets/classify", &[("title", "  "), ("description", "")]).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    let refusal: serde_json::Value = serde_json::from_str(&page.html).expect("JSON");
    assert!(refusal["error"].as_str().is_some_and(|e| !e.is_empty()));
    assert!(
        app.get("/tickets").await.html.contains("No open tickets right now."),
        "classifying creates nothing"
    );
}

#[tokio::test]
async fn staff_see_why_a_category_was_chosen_and_their_correction_is_counted() {
    let mut app = spawn_app().await;
    app.enter("user", "Bo").await;
    let id = app
        .report("Projector broken", "The projector in lecture hall 3 shows no picture from my laptop")
        .await;

    // Campus users get no staff explanation on the ticket page.
    assert!(!app.get(&format!("/tickets/{id}")).await.html.contains("Deciding words"));

    app.enter("staff", "Ana").await;
    let page = app.get(&format!("/tickets/{id}")).await;
    assert!(page.html.contains("Deciding words"));
    assert!(page.html.contains("set automatically"));
    assert!(page.html.contains("<li>projector</li>"), "the deciding words are listed");

    // Correct the category through the edit form, as a browser would.
    let version = version_in(&page.html);
    let form = [
        ("title", "Projector broken"),
        ("description", "The projector in lecture hall 3 shows no picture from my laptop"),
        ("version", version.as_str()),
        ("category", "facility"),
    ];
    let page = app.follow(app.post(&format!("/tickets/{id}"), &form).await).await;
    assert!(page.html.contains("Your changes are saved."));
    assert!(page.html.contains("Set by staff."));

    let dashboard = app.get("/dashboard?view=categories").await;
    assert_eq!(dashboard.status, StatusCode::OK);
    assert!(dashboard.html.contains("Automatic categories"));
    assert!(
        dashboard.html.contains("1 of 1 automatic categories were corrected by staff"),
        "{}",
        dashboard.html
    );
}
