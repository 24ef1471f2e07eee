//! Errors a person can act on: texts over the limits, blank-looking texts, unreadable form
//! bodies and forged posts come back as a page with a sentence (the typed text kept where
//! there is one), and nothing is stored.

use reqwest::StatusCode;

use crate::helpers::spawn_app;
use crate::version_in;

/// A text of about `kib` KiB that is easy to find again in a page.
fn long_text(kib: usize) -> String {
    "The beamer in lecture hall 4 shows only blue. ".repeat(kib * 1024 / 46)
}

#[tokio::test]
async fn a_70_kib_description_comes_back_with_the_text_kept_and_a_sentence() {
    let mut app = spawn_app().await;
    app.enter("user", "Bo").await;
    let description = long_text(70);
    assert!(description.len() > 64 * 1024, "over the ticket service's 64 KiB body limit");

    let page = app.post("/tickets", &[("title", "Beamer broken"), ("description", &description)]).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY, "not a 502: {}", &page.html[..500]);
    assert!(page.html.contains(&format!(">\n{description}</textarea>")), "the whole text is kept");
    assert!(page.html.contains("value=\"Beamer broken\""));
    let chars = description.trim().chars().count();
    assert!((10_000..100_000).contains(&chars), "five digits: {chars}");
    let chars = format!("{},{:03}", chars / 1000, chars % 1000);
    assert!(
        page.html.contains(&format!(
            ">The description is {chars} characters long; at most 5,000 are allowed.</p>"
        )),
        "a sentence next to the field"
    );
    assert!(page.html.contains("id=\"description-error\""));
    assert!(!app.get("/tickets").await.html.contains("Beamer broken"), "nothing was stored");

    // The same for a message and for an edit of a ticket.
    let id = app.report("Beamer broken", "Only blue.").await;
    let page = app.post(&format!("/tickets/{id}/messages"), &[("body", &description)]).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.html.contains(&format!(">\n{description}</textarea>")));
    assert!(page.html.contains("id=\"body-error\""));
    let version = version_in(&app.get(&format!("/tickets/{id}")).await.html);
    let page = app
        .post(
            &format!("/tickets/{id}"),
            &[("title", "Beamer"), ("description", &description), ("version", &version)],
        )
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.html.contains(&format!(">\n{description}</textarea>")));
    assert!(page.html.contains("id=\"edit-description-error\""));
    let ticket = app.get(&format!("/tickets/{id}")).await.html;
    assert!(ticket.contains("Only blue.") && !ticket.contains("lecture hall 4"), "nothing was stored");
}

#[tokio::test]
async fn text_of_only_invisible_characters_counts_as_blank() {
    let mut app = spawn_app().await;
    app.enter("user", "").await;
    let invisible = "\u{200B}\u{200D}\u{FEFF} \u{2060}";
    let page = app.post("/tickets", &[("title", "Lift stuck"), ("description", invisible)]).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.html.contains(">The description must not be empty.</p>"), "{}", page.html);

    let id = app.report("Lift stuck", "Between floor 2 and 3.").await;
    let page = app.post(&format!("/tickets/{id}/messages"), &[("body", "\u{200B}")]).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.html.contains(">The message must not be empty.</p>"));
}

#[tokio::test]
async fn a_form_with_invalid_utf8_is_refused_not_stored_with_replacement_characters() {
    let mut app = spawn_app().await;
    app.enter("user", "").await;
    let body = format!("title=Caf%E9+broken&description=The+coffee+machine%FF&csrf={}", app.csrf);
    let page = app.post_raw("/tickets", body).await;
    assert_eq!(page.status, StatusCode::BAD_REQUEST);
    assert!(page.html.contains("could not be read"), "{}", page.html);
    assert!(page.html.contains("nothing was saved"));
    let list = app.get("/tickets").await.html;
    assert!(!list.contains("broken") && !list.contains('\u{FFFD}'), "nothing was stored");
}

#[tokio::test]
async fn a_post_without_the_page_token_changes_nothing() {
    let mut app = spawn_app().await;
    app.enter("staff", "Sam").await;
    let id = app.report("Wifi down", "eduroam is down in the library.").await;
    let forged = format!("to=active&csrf={}", "0".repeat(32));
    let page = app.post_raw(&format!("/tickets/{id}/status"), forged).await;
    assert_eq!(page.status, StatusCode::FORBIDDEN);
    assert!(page.html.contains("Form not accepted"));
    assert!(page.html.contains("href=\"/dashboard\""), "the staff menu is there");
    let ticket = app.get(&format!("/tickets/{id}")).await.html;
    assert!(ticket.contains("Start work"), "still open: {ticket}");
}
