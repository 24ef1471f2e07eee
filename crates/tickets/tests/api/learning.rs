//! Learning from staff: a category correction is stored, retrains the classifier in the
//! background, and shows in `GET /api/v1/classifier`.

use std::time::{Duration, Instant};

use api::{ClassifierStatus, UpdateTicketRequest};
use domain::{Category, CategorySource};
use reqwest::Method;

use crate::helpers::{TestApp, problem_of, spawn_app, staff, user};

const TITLE: &str = "Zorblax beeping";
const DESCRIPTION: &str = "The zorblax in room Q7 is making the beeping noise again";
/// Nearly the same words as [`DESCRIPTION`]: what a second reporter of the same thing writes.
const NEAR_IDENTICAL: &str = "Zorblax beeping\nThe zorblax in room Q9 makes the beeping noise again";

/// Polls `GET /classifier` until `done` holds (a 60 s guard against hanging only).
async fn status_when(
    app: &TestApp,
    what: &str,
    done: impl Fn(&ClassifierStatus) -> bool,
) -> ClassifierStatus {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let status = app.client.classifier_status().await.expect("GET /classifier");
        if done(&status) {
            return status;
        }
        assert!(Instant::now() < deadline, "timed out waiting for {what}; last status {status:?}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn a_staff_correction_is_stored_and_the_retrained_model_learns_it() {
    let app = spawn_app().await;
    let ticket = app.create(TITLE, DESCRIPTION).await;
    let wrong = ticket.category;
    let right = Category::ALL.into_iter().find(|c| *c != wrong).expect("another category");
    assert_ne!(app.client.classify(NEAR_IDENTICAL).await.expect("classify").category, right);

    let start = app.client.classifier_status().await.expect("GET /classifier");
    assert_eq!((start.auto_categorised, start.corrected, start.corrections), (1, 0, 0));
    assert_eq!(start.auto_accuracy, Some(1.0), "no automatic category was corrected yet");
    assert_eq!((start.corrected_texts, start.corrections_now_right), (0, 0));
    assert!(!start.retraining);

    // A campus user may not re-categorise: refused, nothing learned.
    let by_user = UpdateTicketRequest { category: Some(right), version: 1, ..UpdateTicketRequest::default() };
    problem_of(app.client.update_ticket(&user(), ticket.id, &by_user).await.expect_err("users may not"), 403);
    assert_eq!(app.client.classifier_status().await.expect("status").corrections, 0);

    // Staff correct it: stored with the change, and the model is retrained in the background.
    let fixed = app.client.update_ticket(&staff("Desk"), ticket.id, &by_user).await.expect("staff may");
    assert_eq!((fixed.category, fixed.category_source), (right, CategorySource::Staff));
    let learned = status_when(&app, "the retrained model", |s| s.corrections == 1 && !s.retraining).await;
    assert_eq!((learned.auto_categorised, learned.corrected, learned.corrected_texts), (1, 1, 1));
    assert_eq!(learned.auto_accuracy, Some(0.0), "the only automatic category was wrong");
    assert_eq!(
        learned.corrections_now_right, 1,
        "the retrained model agrees with staff on the corrected text"
    );
    assert_eq!(
        learned.training_examples,
        start.training_examples + 1,
        "the corrected text joined the corpus"
    );
    assert!(learned.trained_at >= start.trained_at);

    // A near-identical new report now gets the staff's category.
    assert_eq!(app.client.classify(NEAR_IDENTICAL).await.expect("classify").category, right);
    let second = app.create(TITLE, "The zorblax in room Q9 makes the beeping noise again").await;
    assert_eq!(second.category, right, "a new ticket like the corrected one is filed as staff filed it");
    assert_eq!(second.category_source, CategorySource::Auto);

    // Setting the category it already has is no correction.
    let same = UpdateTicketRequest { category: Some(right), version: 1, ..UpdateTicketRequest::default() };
    app.client.update_ticket(&staff("Desk"), second.id, &same).await.expect("confirming");
    let after = app.client.classifier_status().await.expect("status");
    assert_eq!((after.auto_categorised, after.corrected, after.corrections), (2, 1, 1));
    assert_eq!(after.auto_accuracy, Some(0.5));
}

#[tokio::test]
async fn the_classifier_status_is_for_any_role_and_documented_shape() {
    let app = spawn_app().await;
    let response = app.request(Method::GET, "/classifier").send().await.expect("send");
    assert_eq!(response.status(), 200);
    let body: serde_json::Value = response.json().await.expect("JSON");
    for field in [
        "trained_at",
        "training_examples",
        "corrections",
        "corrected_texts",
        "auto_categorised",
        "corrected",
        "auto_accuracy",
        "corrections_now_right",
        "retraining",
    ] {
        assert!(body.get(field).is_some(), "{field} missing from {body}");
    }
    assert!(body["auto_accuracy"].is_null(), "no automatic category yet: {body}");
    assert!(body["training_examples"].as_u64().unwrap_or(0) > 100, "{body}");
    let response = app.request(Method::POST, "/classifier").send().await.expect("send");
    assert_eq!(response.status(), 405);
}

#[tokio::test]
async fn every_replica_learns_a_correction_taken_by_another() {
    let first = spawn_app().await;
    let second = first.replica().await;
    let ticket = first.create(TITLE, DESCRIPTION).await;
    let right = Category::ALL.into_iter().find(|c| *c != ticket.category).expect("another category");
    assert_ne!(second.client.classify(NEAR_IDENTICAL).await.expect("classify").category, right);

    let fix = UpdateTicketRequest { category: Some(right), version: 1, ..UpdateTicketRequest::default() };
    first.client.update_ticket(&staff("Desk"), ticket.id, &fix).await.expect("staff correct it");

    // The other replica hears of the commit through the store and retrains by itself.
    let learned = status_when(&second, "the other replica to learn", |s| s.corrections_now_right == 1).await;
    assert_eq!(learned.corrections, 1);
    assert_eq!(second.client.classify(NEAR_IDENTICAL).await.expect("classify").category, right);
    drop(second);
}
