//! The ticket list in Italian and German (issue 12, point 7): headings, filters, orders, the
//! table, paging, "Go to ticket #" and the empty list all come from the catalogues, and no
//! sentence of the English list is left on the page.

use reqwest::StatusCode;

use crate::helpers::TestApp;
use crate::helpers::spawn_app;
use crate::languages::get_in;

/// A catalogue's one-line `list-*` messages without variables: `(id, text)`.
fn list_messages(code: &str) -> Vec<(String, String)> {
    let path = format!("{}/locales/{code}/main.ftl", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).expect("the catalogue");
    text.lines()
        .filter(|line| line.starts_with("list-"))
        .filter_map(|line| line.split_once(" = "))
        .filter(|(_, value)| !value.contains('{') && !value.trim().is_empty())
        .map(|(id, value)| (id.trim().to_owned(), value.trim().to_owned()))
        .collect()
}

/// `text` as askama writes it into a page.
fn escaped(text: &str) -> String {
    text.replace('&', "&#38;")
        .replace('<', "&#60;")
        .replace('>', "&#62;")
        .replace('"', "&#34;")
        .replace('\'', "&#39;")
}

/// The English sentences of the list that `html` (a page in `code`) still shows, where the
/// language words them differently. Short ones count only as a whole element's text or
/// attribute, so "Open" inside another word is no leftover.
fn english_leftovers(html: &str, code: &str) -> Vec<String> {
    let translated = list_messages(code);
    list_messages("en")
        .into_iter()
        .filter(|(id, english)| translated.iter().any(|(other, text)| other == id && text != english))
        .map(|(_, english)| escaped(&english))
        .filter(|english| {
            if english.len() >= 12 {
                html.contains(english.as_str())
            } else {
                html.contains(&format!(">{english}<")) || html.contains(&format!("\"{english}\""))
            }
        })
        .collect()
}

/// Staff with `count` tickets reported, one of them with a message from staff.
async fn staff_with_tickets(count: usize) -> TestApp {
    let mut app = spawn_app().await;
    app.enter("staff", "Ana").await;
    let mut first = 0;
    for n in 0..count {
        let id = app.report(&format!("Lampe {n} flackert"), "Im Flur des Gebäudes B.").await;
        if n == 0 {
            first = id;
        }
    }
    app.post(&format!("/tickets/{first}/messages"), &[("body", "Wir kümmern uns darum.")]).await;
    app.post(&format!("/tickets/{first}/status"), &[("to", "active")]).await;
    app
}

#[tokio::test]
async fn staff_read_the_list_its_filters_orders_and_pages_in_italian() {
    let app = staff_with_tickets(2).await;
    let (status, html) = get_in(&app, "/tickets?sort=status", "it-IT,it;q=0.9,en;q=0.5").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.starts_with("<!doctype html>\n<html lang=\"it\">"), "{}", &html[..80]);
    assert!(html.contains("<h1>Tutti i ticket</h1>"));
    assert!(html.contains("<summary>Ricerca e filtri</summary>"));
    assert!(html.contains("<label for=\"list-sort\">Ordina per</label>"));
    assert!(html.contains("<label for=\"list-size\">Per pagina</label>"));
    assert!(
        html.contains("<option value=\"status\" selected>Stato: in lavorazione, chiuso, aperto</option>"),
        "the order says how the statuses follow each other in Italian"
    );
    assert!(html.contains("<option value=\"-opened\">Dal più recente</option>"));
    assert!(html.contains("<option value=\"\" selected>Tutti gli stati</option>"));
    assert!(html.contains("<option value=\"active\">In lavorazione</option>"), "statuses by name");
    assert!(html.contains("<option value=\"it\">Informatica</option>"), "categories by name");
    assert!(html.contains("<option value=\"\" selected>Tutte le categorie</option>"));
    assert!(html.contains("Ticket, per stato: in lavorazione, chiuso, aperto</caption>"));
    assert!(html.contains("<th scope=\"col\">Ultima modifica</th>"));
    assert!(html.contains("data-label=\"Categoria\""), "the phone layout's cell labels too");
    assert!(html.contains(">1 messaggio</span>"));
    assert!(html.contains("Pagina 1 di 1 · 2 ticket"));
    assert!(html.contains(">Scarica CSV</a>"));
    assert!(html.contains("<label for=\"go-number\">Vai al ticket n.</label>"));
    assert!(html.contains("<button class=\"button\" type=\"submit\">Applica</button>"));
    let left = english_leftovers(&html, "it");
    assert!(left.is_empty(), "English left on the Italian list: {left:?}");
    assert!(!html.contains("Newest first") && !html.contains("Page 1 of"));

    // A search that finds nothing, and a number with no ticket.
    let (_, html) = get_in(&app, "/tickets?q=ascensore", "it").await;
    assert!(html.contains("Nessun ticket corrisponde a questi filtri."));
    assert!(html.contains("Prova altre parole o <a href=\"/tickets\">azzera i filtri</a>."));
    let (status, html) = get_in(&app, "/tickets?go=%23999", "it").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(html.contains("Non esiste il ticket n. 999."));
    assert!(english_leftovers(&html, "it").is_empty(), "{:?}", english_leftovers(&html, "it"));
}

#[tokio::test]
async fn the_list_pages_and_refuses_in_german() {
    let app = staff_with_tickets(26).await;
    let (status, html) = get_in(&app, "/tickets?sort=opened", "de-CH,de;q=0.9").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("<html lang=\"de\">"));
    assert!(html.contains("Seite 1 von 2 · 26 Tickets"), "the pager is German");
    assert!(html.contains("rel=\"next\">Nächste</a>"));
    assert!(html.contains("<option value=\"opened\" selected>Älteste zuerst</option>"));
    assert!(html.contains("<option value=\"category\">Kategorie: Gebäude, IT, Dienste</option>"));
    assert!(html.contains(">1 Nachricht</span>"));
    assert!(html.contains("<summary>Suche und Filter</summary>"));
    let left = english_leftovers(&html, "de");
    assert!(left.is_empty(), "English left on the German list: {left:?}");

    let next = html.split("rel=\"next\"").next().and_then(|h| h.rsplit("href=\"").next()).expect("a link");
    let next = next.split('"').next().expect("its address").replace("&#38;", "&");
    let (_, html) = get_in(&app, &next, "de").await;
    assert!(html.contains("Seite 2 von 2 · 26 Tickets"), "{next}");
    assert!(html.contains("rel=\"prev\">Vorherige</a>"));

    // What the list refuses, in German.
    let (status, html) = get_in(&app, "/tickets?size=7", "de").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(html.contains("Wählen Sie 25, 50 oder 100 Tickets pro Seite."));
    let (status, html) = get_in(&app, "/tickets?go=abc", "de").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("Geben Sie eine Ticketnummer ein, etwa 334 oder #334."));
    let (status, html) = get_in(&app, &format!("/tickets?q={}", "x".repeat(201)), "de").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("Der Suchtext darf höchstens 200 Zeichen lang sein."));
    assert!(html.contains("Kürzen Sie den Suchtext oben, um Tickets zu sehen."));
}

#[tokio::test]
async fn a_campus_user_s_empty_list_is_german_too() {
    let mut app = spawn_app().await;
    app.enter("user", "Bo").await;
    let (status, html) = get_in(&app, "/tickets", "de").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("<h1>Offene Tickets und Tickets in Arbeit</h1>"));
    assert!(html.contains("Zurzeit gibt es keine offenen Tickets."));
    assert!(
        html.contains(
            "Funktioniert etwas auf dem Campus nicht? <a href=\"/tickets/new\">Problem melden</a>."
        )
    );
    assert!(html.contains("<summary>Suche</summary>"));
    assert!(html.contains("placeholder=\"Wörter, „eine Wortgruppe“ oder #Nummer\""));
    let left = english_leftovers(&html, "de");
    assert!(left.is_empty(), "English left on the German list: {left:?}");
    // A user asking for another's ticket hears why in German.
    let (status, html) = get_in(&app, "/tickets?go=42", "de").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(html.contains("Ticket #42 wurde nicht gefunden, oder es ist geschlossen."));
}
