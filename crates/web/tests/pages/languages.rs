//! The pages' language: chosen from the browser's `Accept-Language`, or with the footer's
//! switcher (remembered in a cookie that beats the header); English otherwise.

use reqwest::StatusCode;
use reqwest::header::{ACCEPT_LANGUAGE, COOKIE};

use crate::helpers::{TestApp, spawn_app};

/// `GET path` with the app's cookies and `Accept-Language: accept`: the status and the page.
pub(crate) async fn get_in(app: &TestApp, path: &str, accept: &str) -> (StatusCode, String) {
    let response = app
        .http()
        .get(format!("{}{path}", app.web))
        .header(COOKIE, &app.cookies)
        .header(ACCEPT_LANGUAGE, accept)
        .send()
        .await
        .expect("GET");
    (response.status(), response.text().await.expect("a body"))
}

#[tokio::test]
async fn a_browser_that_asks_for_swiss_german_gets_the_start_page_in_german() {
    let app = spawn_app().await;
    let (status, html) = get_in(&app, "/", "de-CH,de;q=0.9,en;q=0.5").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.starts_with("<!doctype html>\n<html lang=\"de\">"), "{}", &html[..80]);
    assert!(html.contains("Bewusst ohne Anmeldung."));
    assert!(html.contains(">Hereinkommen</button>"));
    assert!(
        html.contains("Zeiten werden in der Zeitzone Europe/Berlin angezeigt"),
        "the footer names the zone"
    );
    assert!(!html.contains("There is no login, by design."));

    // A language the web UI does not speak: English, and the zone named in English.
    let (_, html) = get_in(&app, "/", "fr").await;
    assert!(html.starts_with("<!doctype html>\n<html lang=\"en\">"));
    assert!(html.contains("There is no login, by design."));
    assert!(html.contains("Times are shown in Europe/Berlin time (CE"));
}

#[tokio::test]
async fn the_switcher_remembers_the_language_and_sends_the_browser_back() {
    let mut app = spawn_app().await;
    app.enter("staff", "Ana").await;
    let page = app.get("/imports/new").await;
    assert!(page.html.contains("action=\"/language\""));
    assert!(page.html.contains("value=\"it\" lang=\"it\" aria-pressed=\"false\">Italiano</button>"));
    assert!(page.html.contains("value=\"en\" lang=\"en\" aria-pressed=\"true\">English</button>"));

    let answer = app.post("/language", &[("lang", "it"), ("back", "/imports/new")]).await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER);
    assert_eq!(answer.location.as_deref(), Some("/imports/new"), "back to the same page");
    let cookie = answer.set_cookies.iter().find(|c| c.starts_with("campusdesk_lang=it")).expect("the cookie");
    assert!(cookie.contains("Max-Age=34560000") && cookie.contains("HttpOnly"), "{cookie}");

    // The cookie beats the browser's own languages.
    app.cookies.push_str("; campusdesk_lang=it");
    let (_, html) = get_in(&app, "/imports/new", "de-CH,de;q=0.9").await;
    assert!(html.contains("<html lang=\"it\">"));
    assert!(html.contains("<h1>Importa ticket</h1>"));
    assert!(html.contains(">Segnala un problema</a>"), "the menu is Italian");
    assert!(html.contains(">Staff dell&#39;helpdesk</span>"), "so is the role badge");

    let answer = app.post("/language", &[("lang", "tlh"), ("back", "https://elsewhere.example/")]).await;
    assert_eq!(answer.status, StatusCode::BAD_REQUEST);
    assert!(answer.html.contains("Scegli una lingua"), "the refusal is in the page's language");
    let answer = app.post("/language", &[("lang", "de"), ("back", "//elsewhere.example/")]).await;
    assert_eq!(answer.location.as_deref(), Some("/"), "never sent to another site");
}

#[tokio::test]
async fn staff_read_a_ticket_and_the_dashboard_in_german() {
    let mut app = spawn_app().await;
    app.enter("staff", "Ana").await;
    let id =
        app.report("Heizung aus in B204", "Der Heizkörper in Raum B204 bleibt den ganzen Tag kalt.").await;

    let (status, html) = get_in(&app, &format!("/tickets/{id}"), "de-DE,de;q=0.9").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.starts_with("<!doctype html>\n<html lang=\"de\">"), "{}", &html[..80]);
    assert!(html.contains(">Nächster Schritt</h2>"), "the next-step heading is German");
    assert!(html.contains(">Arbeit beginnen</button>"), "so is the button");
    assert!(html.contains(">Offen</span>"), "the status reads Offen");
    assert!(html.contains("hat das Ticket gemeldet"), "the activity log is German");
    assert!(
        html.contains("<h1 id=\"ticket-title\" dir=\"auto\">Heizung aus in B204</h1>"),
        "typed text keeps dir=auto"
    );
    assert!(!html.contains("Next step"), "no English heading is left");

    // The dashboard, whether its figures are there yet or still on their way.
    let (_, html) = get_in(&app, "/dashboard?view=categories", "de").await;
    assert!(html.starts_with("<!doctype html>\n<html lang=\"de\">"), "{}", &html[..80]);
    assert!(html.contains("<h1>Helpdesk-Übersicht</h1>"));
    assert!(html.contains(">In Arbeit nach Kategorie</a>"), "the analysis tabs are German");
    assert!(!html.contains("Helpdesk dashboard"));
}
