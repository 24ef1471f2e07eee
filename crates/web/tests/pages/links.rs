//! Issue 12, point 3, as a browser without JavaScript gets it: addresses in a ticket's title,
//! description and messages are safe links, other "addresses" stay text, and user text carries
//! `dir="auto"`.

use crate::helpers::spawn_app;

#[tokio::test]
async fn addresses_in_user_text_become_safe_links_and_nothing_else_does() {
    let mut app = spawn_app().await;
    app.enter("user", "Bo").await;
    let csrf = app.csrf.clone();
    let created = app
        .post(
            "/tickets",
            &[
                ("title", "Wifi form at https://campus.example/wifi broken"),
                (
                    "description",
                    "The form (https://campus.example/form?a=1&b=2). Not javascript:alert(1) or \
                     http://x\"onmouseover=alert(1)// either. مرحبا",
                ),
                ("csrf", &csrf),
            ],
        )
        .await;
    let page = app.follow(created).await;
    let html = page.html;
    let rel = "rel=\"noopener nofollow ugc\"";
    assert!(
        html.contains(&format!(
            "<h1 id=\"ticket-title\" dir=\"auto\">Wifi form at <a href=\"https://campus.example/wifi\" {rel}>"
        )),
        "the title's address is a link: {html}"
    );
    assert!(
        html.contains(&format!(
            "(<a href=\"https://campus.example/form?a=1&amp;b=2\" {rel}>https://campus.example/form?a=1&amp;b=2</a>)."
        )),
        "the bracket and full stop stay outside the link, & is escaped"
    );
    assert!(html.contains("Not javascript:alert(1) or"), "javascript: stays text");
    assert!(!html.contains("href=\"javascript"));
    assert!(html.contains(&format!("<a href=\"http://x\" {rel}>http://x</a>&quot;onmouseover")));
    assert!(html.contains("<div class=\"prose\" dir=\"auto\">"), "the description keeps its own direction");
}
