//! Forms that behave (issue 12, point 5): every field error at once with the text kept, the
//! thank-you after reporting shown once, plain sentences for unreadable forms, and error pages
//! that keep the menu and the role.

use reqwest::StatusCode;

use crate::helpers::spawn_app;
use crate::version_in;

/// How many inline field errors (`<p class="field-error" ...>`) a page shows.
fn field_errors(html: &str) -> usize {
    html.matches("class=\"field-error\"").count()
}

#[tokio::test]
async fn a_new_ticket_with_two_bad_fields_shows_both_errors_and_keeps_the_text() {
    let mut app = spawn_app().await;
    app.enter("user", "Bo").await;
    let long_title = "Lift ".repeat(60);
    let page = app.post("/tickets", &[("title", &long_title), ("description", "   ")]).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(field_errors(&page.html), 2, "{}", page.html);
    // The sentences as the field's error (the same ones sit in attributes for forms.js).
    assert!(page.html.contains(">The title is 299 characters long"), "{}", page.html);
    assert!(page.html.contains(">The description must not be empty.</p>"));
    // The summary at the top links to both fields; the fields say they are wrong.
    assert!(page.html.contains("Please fix these 2 things before sending"));
    assert!(page.html.contains("<a href=\"#title\">") && page.html.contains("<a href=\"#description\">"));
    assert_eq!(page.html.matches("aria-invalid=\"true\"").count(), 2);
    assert!(
        page.html.contains(&format!("value=\"{}\"", long_title.trim_end()))
            || page.html.contains(&long_title)
    );
    // Nothing was reported.
    assert!(!app.get("/tickets").await.html.contains("Lift Lift"));
}

#[tokio::test]
async fn a_malformed_address_is_shown_with_the_other_field_errors() {
    let mut app = spawn_app().await;
    app.enter("user", "Bo").await;
    let fields = [("title", "   "), ("description", "   "), ("email", "bo@@campus")];
    let page = app.post("/tickets", &fields).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(field_errors(&page.html), 3, "title, description and address at once: {}", page.html);
    assert!(page.html.contains("Please fix these 3 things before sending"), "{}", page.html);
    assert!(page.html.contains("<a href=\"#email\">"), "the summary links to the address field");
    assert!(page.html.contains("is not an e-mail address"), "{}", page.html);
    assert!(page.html.contains("value=\"bo@@campus\""), "the typed address is kept");
    assert_eq!(page.html.matches("aria-invalid=\"true\"").count(), 3);

    // The sentence is in the page's language, like the others.
    app.cookies.push_str("; campusdesk_lang=it");
    let page = app.post("/tickets", &fields).await;
    assert!(page.html.contains("«bo@@campus» non è un indirizzo e-mail"), "{}", page.html);
}

#[tokio::test]
async fn an_edit_with_three_bad_fields_shows_three_errors_and_keeps_the_text() {
    let mut app = spawn_app().await;
    app.enter("staff", "Sam").await;
    let id = app.report("Heating off in B204", "The radiator in room B204 stays cold all day.").await;
    let path = format!("/tickets/{id}");
    let version = version_in(&app.get(&path).await.html);
    let long_description = "cold ".repeat(1_100);
    let form = [
        ("title", " "),
        ("description", long_description.as_str()),
        ("category", "plumbing"),
        ("shown_category", "facility"),
        ("version", version.as_str()),
    ];
    let page = app.post(&path, &form).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(field_errors(&page.html), 3, "{}", page.html);
    assert!(page.html.contains(">The title must not be empty.</p>"));
    assert!(page.html.contains(">The description is 5,499 characters long; at most 5,000 are allowed.</p>"));
    assert!(page.html.contains("Please choose one of the three categories"));
    assert!(page.html.contains("Please fix these 3 things before sending"));
    assert!(page.html.contains("cold cold cold"), "the typed description is kept");
    // The ticket is as it was.
    let now = app.get(&path).await;
    assert!(now.html.contains("Heating off in B204") && !now.html.contains("cold cold"));
}

#[tokio::test]
async fn the_thank_you_shows_once_and_not_on_reload_or_from_a_shared_link() {
    let mut app = spawn_app().await;
    app.enter("user", "Bo").await;
    let (id, first, flash) =
        app.report_and_follow("Projector dead", "The projector in hall 2 shows nothing.").await;
    assert_eq!(first.status, StatusCode::OK);
    assert!(first.html.contains(&format!("Thank you, your problem is reported as ticket #{id}.")));
    assert!(!first.html.contains("?created="), "the address carries no flag to share");
    // The page that showed it clears the cookie...
    assert!(
        first.set_cookies.iter().any(|c| c.starts_with("campusdesk_created=;") || c.contains("Max-Age=0")),
        "{:?}",
        first.set_cookies
    );
    // ...so a reload (without it) and the old flag in the address show no thank-you.
    let reload = app.get(&format!("/tickets/{id}")).await;
    assert_eq!(reload.status, StatusCode::OK);
    assert!(!reload.html.contains("Thank you"));
    assert!(!app.get(&format!("/tickets/{id}?created=1")).await.html.contains("Thank you"));
    // Staff opening the ticket later never see the reporter's thank-you.
    app.enter("staff", "Sam").await;
    assert!(!app.get(&format!("/tickets/{id}?created=1")).await.html.contains("Thank you"));
    // The cookie belongs to its ticket: it shows nothing on another one.
    let other = app.report("Window stuck", "The window in room A1 does not close.").await;
    app.cookies = format!("{}; {flash}", app.cookies);
    assert!(!app.get(&format!("/tickets/{other}")).await.html.contains("Thank you"));
}

#[tokio::test]
async fn a_form_body_that_does_not_fit_gets_a_plain_sentence() {
    let mut app = spawn_app().await;
    app.enter("staff", "Sam").await;
    let id = app.report("Heating off in B204", "The radiator in room B204 stays cold all day.").await;
    // A version that is not a number: serde would say "invalid digit found in string".
    let page = app
        .post(&format!("/tickets/{id}"), &[("title", "x"), ("description", "y"), ("version", "abc")])
        .await;
    assert_eq!(page.status, StatusCode::BAD_REQUEST);
    assert!(
        page.html.contains("a field is missing or holds a value this form does not expect"),
        "{}",
        page.html
    );
    for developer in ["deserialize", "invalid digit", "Content-Type", "serde", "missing field"] {
        assert!(!page.html.contains(developer), "{developer:?} in {}", page.html);
    }
    // A missing field, and a body that is no form at all.
    let page = app.post(&format!("/tickets/{id}/status"), &[]).await;
    assert!(!page.html.contains("missing field"), "{}", page.html);
    let body = format!("version=&csrf={}", app.csrf);
    let page = app.post_raw(&format!("/tickets/{id}/category/confirm"), body).await;
    assert_eq!(page.status, StatusCode::BAD_REQUEST);
    assert!(page.html.contains("The form could not be read"), "{}", page.html);
    assert!(!page.html.contains("missing field"), "{}", page.html);
    // A query that does not fit.
    let page = app.get("/tickets?limit=lots").await;
    assert!(!page.html.contains("deserialize"), "{}", page.html);
}

#[tokio::test]
async fn error_pages_keep_the_menu_and_the_role() {
    let mut app = spawn_app().await;
    app.enter("staff", "Sam").await;
    let page = app.get("/no/such/page").await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
    assert!(page.html.contains("There is no page at this address"));
    assert!(page.html.contains("aria-label=\"Main\""), "the menu: {}", page.html);
    assert!(page.html.contains("role-badge role-staff\">Helpdesk staff"), "{}", page.html);
    assert!(page.html.contains("href=\"/dashboard\""));
    assert!(page.html.contains("whoami-name\" dir=\"auto\">Sam"));
    let missing = app.get("/tickets/999999").await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert!(missing.html.contains("role-badge role-staff"));
    let bad = app.post("/tickets/1/status", &[("to", "sideways")]).await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert!(bad.html.contains("role-badge role-staff"), "{}", bad.html);
    // Somebody who chose no role sees the page without a menu.
    app.cookies = format!("campusdesk_csrf={}", app.csrf);
    let anonymous = app.get("/no/such/page").await;
    assert_eq!(anonymous.status, StatusCode::NOT_FOUND);
    assert!(!anonymous.html.contains("aria-label=\"Main\""));
}
