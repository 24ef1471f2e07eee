//! The staff import page: upload a CSV file, follow the job's progress page to its end.

use reqwest::StatusCode;
use reqwest::header::{CONTENT_TYPE, COOKIE};

use crate::helpers::{Page, TestApp, spawn_app, wait_until};

const BOUNDARY: &str = "campusdesk-test-boundary";

/// A multipart body as a browser sends the import form: the idempotency key and the file.
fn multipart(key: &str, file_name: &str, csv: &str) -> String {
    format!(
        "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"key\"\r\n\r\n{key}\r\n\
         --{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{file_name}\"\r\n\
         Content-Type: text/csv\r\n\r\n{csv}\r\n--{BOUNDARY}--\r\n"
    )
}

async fn upload(app: &TestApp, key: &str, csv: &str) -> Page {
    let response = app
        .http()
        .post(format!("{}/imports?csrf={}", app.web, app.csrf))
        .header(COOKIE, &app.cookies)
        .header(CONTENT_TYPE, format!("multipart/form-data; boundary={BOUNDARY}"))
        .body(multipart(key, "tickets.csv", csv))
        .send()
        .await
        .expect("POST /imports");
    let status = response.status();
    let location = response.headers().get("location").map(|v| v.to_str().expect("ascii").to_owned());
    Page { status, location, set_cookies: Vec::new(), html: response.text().await.expect("a body") }
}

/// The page of a finished job, reloaded like the browser does until it stops asking to.
async fn finished(app: &TestApp, path: &str) -> Page {
    wait_until("the import job page stops refreshing", || async {
        !app.get(path).await.html.contains("http-equiv=\"refresh\"")
    })
    .await;
    app.get(path).await
}

#[tokio::test]
async fn staff_import_a_file_and_watch_it_to_the_end() {
    let mut app = spawn_app().await;
    app.enter("staff", "Ana").await;
    let form = app.get("/imports/new").await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.html.contains("enctype=\"multipart/form-data\""));
    assert!(form.html.contains(&format!("action=\"/imports?csrf={}\"", app.csrf)));
    assert!(form.html.contains("href=\"/imports/new\" aria-current=\"page\""), "the menu marks Import");

    let csv = "title,description,status,opened_at,closed_at\n\
               Heating off in B204,The radiator is cold since Monday.,open,2026-11-02T08:00:00Z,\n\
               Wifi drops in the library,The wireless network drops every few minutes.,closed,2026-11-01T09:00:00Z,2026-11-03T12:00:00Z\n";
    let sent = upload(&app, "import-key-1", csv).await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.html);
    let job = sent.location.expect("the job's page");
    assert!(job.starts_with("/imports/"), "{job}");

    let page = finished(&app, &job).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.html.contains("2 tickets were imported."), "{}", page.html);
    assert!(page.html.contains("<progress id=\"import-progress\" max=\"1000\" value=\"1000\""));
    assert!(app.get("/tickets").await.html.contains("Heating off in B204"));

    // The same form sent again (a double click, a reload): the same job, nothing imported twice.
    let again = upload(&app, "import-key-1", csv).await;
    assert_eq!(again.location.as_deref(), Some(job.as_str()));
    let list = app.get("/tickets?q=heating").await.html;
    assert_eq!(list.matches("Heating off in B204").count(), 1, "{list}");
}

#[tokio::test]
async fn a_bad_row_is_named_and_nothing_is_imported() {
    let mut app = spawn_app().await;
    app.enter("staff", "").await;
    let csv = "title,description,status,opened_at,closed_at\n\
               Projector broken,The projector in hall 3 shows nothing.,open,2026-11-02T08:00:00Z,\n\
               Printer jam,,open,2026-11-02T09:00:00Z,\n";
    let sent = upload(&app, "import-key-2", csv).await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.html);
    let page = finished(&app, &sent.location.expect("the job's page")).await;
    assert!(page.html.contains("Not imported"), "{}", page.html);
    assert!(
        page.html.contains("row 2: description must not be empty"),
        "the page names the bad row: {}",
        page.html
    );
    assert!(page.html.contains("Nothing was imported"));
    assert!(!app.get("/tickets").await.html.contains("Projector broken"));
}

#[tokio::test]
async fn an_empty_upload_brings_the_form_back_and_users_cannot_import() {
    let mut app = spawn_app().await;
    app.enter("staff", "").await;
    let page = upload(&app, "import-key-3", "").await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.html.contains("Choose a CSV file to import"), "{}", page.html);
    assert!(page.html.contains("type=\"file\""), "the form is back");

    app.enter("user", "").await;
    assert_eq!(app.get("/imports/new").await.status, StatusCode::FORBIDDEN);
    assert!(!app.get("/tickets").await.html.contains("href=\"/imports/new\""), "no Import in a user's menu");
    let page = upload(&app, "import-key-4", "title,description,status,opened_at,closed_at\n").await;
    assert_eq!(page.status, StatusCode::FORBIDDEN);
}
