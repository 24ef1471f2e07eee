//! The appearance switch in every page's footer: pin dark or light, or follow the device.

use reqwest::StatusCode;

use crate::helpers::spawn_app;

#[tokio::test]
async fn the_pinned_scheme_is_remembered_and_auto_forgets_it() {
    let mut app = spawn_app().await;
    app.enter("staff", "").await;
    let page = app.get("/tickets?status=open").await;
    assert!(page.html.starts_with("<!doctype html>\n<html lang=\"en\">"), "no scheme pinned yet");
    assert!(page.html.contains("name=\"back\" value=\"/tickets?status=open\""));
    assert!(page.html.contains("value=\"auto\" aria-pressed=\"true\""));

    let answer = app.post("/appearance", &[("theme", "dark"), ("back", "/tickets?status=open")]).await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER);
    assert_eq!(answer.location.as_deref(), Some("/tickets?status=open"), "back to the same page");
    let cookie =
        answer.set_cookies.iter().find(|c| c.starts_with("campusdesk_theme=dark")).expect("the cookie");
    assert!(cookie.contains("Max-Age=34560000"), "remembered for 400 days: {cookie}");

    app.cookies.push_str("; campusdesk_theme=dark");
    let page = app.get("/dashboard").await;
    assert!(page.html.contains("<html lang=\"en\" data-theme=\"dark\">"));
    assert!(page.html.contains("value=\"dark\" aria-pressed=\"true\""));

    let answer = app.post("/appearance", &[("theme", "auto"), ("back", "https://elsewhere.example/")]).await;
    assert_eq!(answer.location.as_deref(), Some("/"), "never sent to another site");
    assert!(
        answer.set_cookies.iter().any(|c| c.starts_with("campusdesk_theme=;")),
        "the choice is forgotten"
    );

    let answer = app.post("/appearance", &[("theme", "sepia"), ("back", "/tickets")]).await;
    assert_eq!(answer.status, StatusCode::BAD_REQUEST);
    assert!(answer.html.contains("Choose an appearance"));
}
