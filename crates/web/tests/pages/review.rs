//! What the manual's review found, against the real services: staff confirming an uncertain
//! automatic category (with its own button), an over-long search text, a list request the ticket service refuses, and
//! over-long titles on the edit form.

use reqwest::StatusCode;

use crate::helpers::spawn_app;
use crate::version_in;

/// The text of the ticket facts' category line, e.g. "set automatically, 41% confidence".
fn category_detail(html: &str) -> &str {
    let start = html.find("<span class=\"fact-detail\">").expect("the category detail") + 26;
    html[start..].split('<').next().expect("closing tag")
}

#[tokio::test]
async fn staff_confirm_an_uncertain_automatic_category_with_its_own_button() {
    let mut app = spawn_app().await;
    app.enter("user", "").await;
    // Words the classifier has never seen: an automatic category it is not sure of.
    let (title, description) = ("Zorbl quandix", "Vemtrup glorfin asktel brumwick.");
    let id = app.report(title, description).await;

    app.enter("staff", "Ana").await;
    let page = app.get(&format!("/tickets/{id}")).await;
    assert!(category_detail(&page.html).starts_with("set automatically"), "{}", category_detail(&page.html));
    assert!(page.html.contains(">please check</span>"), "an uncertain category is marked: {}", page.html);
    let category = page
        .html
        .split("<option value=\"")
        .skip(1)
        .find(|option| option.contains("\" selected>"))
        .and_then(|option| option.split('"').next())
        .expect("the selected category")
        .to_owned();

    // Saving the edit form unchanged changes nothing: it does not confirm behind the person's back.
    let version = version_in(&page.html);
    let form = [
        ("title", title),
        ("description", description),
        ("version", version.as_str()),
        ("category", category.as_str()),
        ("shown_category", category.as_str()),
    ];
    let page = app.follow(app.post(&format!("/tickets/{id}"), &form).await).await;
    assert!(page.html.contains("Nothing was different, so nothing needed saving."), "{}", page.html);
    assert!(page.html.contains(">please check</span>"), "still to be checked");

    // The confirm button does it.
    assert!(page.html.contains(&format!("action=\"/tickets/{id}/category/confirm\"")), "{}", page.html);
    let version = version_in(&page.html);
    let page = app
        .follow(app.post(&format!("/tickets/{id}/category/confirm"), &[("version", version.as_str())]).await)
        .await;
    assert!(page.html.contains("Category confirmed."), "{}", page.html);
    assert!(!page.html.contains(">please check</span>"), "the mark is gone");
    assert_eq!(category_detail(&page.html), "set by staff, 100% confidence");
    assert!(page.html.contains("confirmed the category"), "the activity says what happened");
    assert!(!page.html.contains("/category/confirm"), "nothing left to confirm");

    // A confirmation based on an old version does not apply: the page says the ticket moved on.
    let page = app
        .follow(app.post(&format!("/tickets/{id}/category/confirm"), &[("version", version.as_str())]).await)
        .await;
    assert!(page.html.contains("The ticket had already moved on"), "{}", page.html);
}

#[tokio::test]
async fn an_over_long_search_is_refused_next_to_the_search_box_with_the_text_kept() {
    let mut app = spawn_app().await;
    app.enter("staff", "").await;
    app.report("Heating broken in room A12", "The radiator is cold all day.").await;

    let long = "radiator ".repeat(23); // 207 characters
    let page = app.get(&format!("/tickets?q={}", long.replace(' ', "+"))).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.html.contains("Search text can be at most 200 characters."), "{}", page.html);
    assert!(page.html.contains("id=\"filter-q-error\""));
    assert!(page.html.contains(&format!("value=\"{long}\"")), "the typed text is kept");
    assert!(page.html.contains("aria-invalid=\"true\" aria-describedby=\"filter-q-error\""));
    assert!(!page.html.contains("may be at most"), "no raw service message");
    assert!(!page.html.contains("That request did not work"), "not the error page");

    let exactly = "r".repeat(200);
    let page = app.get(&format!("/tickets?q={exactly}")).await;
    assert_eq!(page.status, StatusCode::OK, "200 characters are fine");
    assert!(page.html.contains("No tickets match these filters."));
    let page = app.get("/tickets?q=radiator").await;
    assert!(page.html.contains("Heating broken in room A12"));
}

#[tokio::test]
async fn a_list_request_the_ticket_service_refuses_is_explained_on_the_list_page() {
    let mut app = spawn_app().await;
    app.enter("user", "").await;
    let page = app.get("/tickets?cursor=not-a-cursor").await;
    assert_eq!(page.status, StatusCode::BAD_REQUEST);
    assert!(page.html.contains("The tickets could not be listed this way."), "{}", page.html);
    assert!(page.html.contains("start again without a cursor"), "the service's sentence");
    assert!(page.html.contains("Show all tickets"));
    assert!(page.html.contains("Report a problem"), "the list page, not the error page");
    assert!(!page.html.contains("That request did not work"));
}

#[tokio::test]
async fn an_over_long_title_is_refused_with_the_limit_and_the_typed_text_kept() {
    let mut app = spawn_app().await;
    app.enter("user", "").await;

    let form = app.get("/tickets/new").await;
    assert!(form.html.contains("maxlength=\"500\""), "the browser never cuts text at the limit");
    assert!(form.html.contains("Up to 120 characters."));
    assert!(form.html.contains("data-max-chars=\"120\""));
    assert!(form.html.contains("<script src=\"/static/count.js\" defer></script>"));

    let long = "Projector ".repeat(13); // 130 characters
    let page = app.post("/tickets", &[("title", long.as_str()), ("description", "It flickers.")]).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.html.contains(&format!("value=\"{long}\"")), "the whole title is kept");
    assert!(page.html.contains("id=\"title-error\""));
    assert!(page.html.contains("120"), "the message or hint names the limit");

    let id = app.report("Projector flickers", "It flickers in hall 3.").await;
    let page = app.get(&format!("/tickets/{id}")).await;
    assert!(page.html.contains("id=\"edit-title-hint\">Up to 120 characters."));
    let version = version_in(&page.html);
    let page = app
        .post(
            &format!("/tickets/{id}"),
            &[("title", long.as_str()), ("description", "My own words."), ("version", version.as_str())],
        )
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.html.contains(&format!("value=\"{long}\"")), "the whole title is kept");
    assert!(page.html.contains("My own words.</textarea>"));
    assert!(page.html.contains("id=\"edit-title-error\""));
    assert!(page.html.contains("aria-describedby=\"edit-title-error edit-title-hint\""));
}
