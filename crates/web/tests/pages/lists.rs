//! The ticket list staff can work with (issue 12, point 4): sort, previous and next with the
//! page count, page size, everything kept in the links, and the CSV export of the filtered
//! list with its formula escaping.

use reqwest::StatusCode;

use crate::helpers::spawn_app;

/// The address of the link whose text is `label`, with the ampersand entities in it undone as a
/// browser would (the templates write `&` as `&#38;`).
fn link(html: &str, label: &str) -> Option<String> {
    let end = html.find(&format!(">{label}</a>"))?;
    let start = html[..end].rfind("href=\"")? + 6;
    let href = html[start..end].split('"').next()?;
    Some(href.replace("&#38;", "&").replace("&amp;", "&"))
}

#[tokio::test]
async fn staff_sort_page_both_ways_pick_a_page_size_and_download_the_filtered_list() {
    let mut app = spawn_app().await;
    app.enter("staff", "Ana").await;
    let mut ids = Vec::new();
    for title in ["Printer jam in B2", "=HYPERLINK(\"x\")", "Printer out of toner", "Heating off"] {
        ids.push(app.report(title, "Please have a look at it soon.").await);
    }

    // Oldest first, two per page: page 1 of 2, then next, then previous.
    let page = app.get("/tickets?sort=opened&size=25").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.html.contains("<option value=\"opened\" selected>Oldest first</option>"),
        "the order is kept"
    );
    assert!(page.html.contains("Page 1 of 1 · 4 tickets"), "{}", page.html);
    let searched = app.get("/tickets?sort=opened&size=25&q=printer").await;
    assert!(searched.html.contains("<input id=\"filter-q\" name=\"q\" type=\"search\" value=\"printer\""));

    // A page size the list does not offer gets a sentence.
    let refused = app.get("/tickets?size=7").await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST);
    assert!(refused.html.contains("Pick 25, 50 or 100 tickets per page."));
    let refused = app.get("/tickets?sort=priority").await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST);

    // Many tickets: 30 more, so 25 per page makes two pages.
    for n in 0..30 {
        app.report(&format!("Lamp {n} flickers"), "In the corridor.").await;
    }
    let first = app.get("/tickets?sort=opened").await;
    assert!(first.html.contains("Page 1 of 2 · 34 tickets"), "{}", first.html);
    assert!(link(&first.html, "Previous").is_none(), "no previous page on the first");
    let next = link(&first.html, "Next").expect("a next link");
    assert!(next.contains("sort=opened"), "the link keeps the order: {next}");
    let second = app.get(&next).await;
    assert_eq!(second.status, StatusCode::OK, "{next}");
    assert!(second.html.contains("Page 2 of 2 · 34 tickets"), "{}", second.html);
    assert!(second.html.contains("Lamp 29 flickers") && !second.html.contains(">Printer jam in B2<"));
    let back = app.get(&link(&second.html, "Previous").expect("a previous link")).await;
    assert!(back.html.contains("Page 1 of 2 · 34 tickets") && back.html.contains("Printer jam in B2"));
    let fifty = app.get("/tickets?sort=opened&size=50").await;
    assert!(fifty.html.contains("Page 1 of 1 · 34 tickets"));
    assert!(fifty.html.contains("<option value=\"50\" selected>50</option>"));

    // The CSV of a filtered list: only its rows, in its order, formulas defused.
    let list = app.get("/tickets?sort=opened&q=b2").await;
    let export = link(&list.html, "Download CSV").expect("a CSV link for staff");
    assert!(
        export.starts_with("/tickets/export.csv?")
            && export.contains("q=b2")
            && export.contains("sort=opened")
    );
    let (status, headers, body) = app.get_file(&export).await;
    assert_eq!(status, StatusCode::OK);
    assert!(headers["content-type"].to_str().unwrap().starts_with("text/csv"));
    assert!(headers["content-disposition"].to_str().unwrap().starts_with("attachment; filename="));
    let text = String::from_utf8(body).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], "id,title,status,category,opened,updated,closed,reporter");
    assert_eq!(lines.len(), 2, "only the ticket the search finds: {text}");
    assert!(lines[1].starts_with(&format!("{},Printer jam in B2,open,", ids[0])), "{text}");
    let (_, _, all) = app.get_file("/tickets/export.csv?sort=opened").await;
    let all = String::from_utf8(all).unwrap();
    assert_eq!(all.lines().count(), 35, "every page of the list, not only the first");
    assert!(
        all.contains(&format!("{},\"'=HYPERLINK(\"\"x\"\")\",open,", ids[1])),
        "defused and quoted: {all}"
    );
}

#[tokio::test]
async fn campus_users_cannot_download_the_list() {
    let mut app = spawn_app().await;
    app.enter("user", "Bo").await;
    let page = app.get("/tickets").await;
    assert!(link(&page.html, "Download CSV").is_none());
    let (status, _, _) = app.get_file("/tickets/export.csv").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}
