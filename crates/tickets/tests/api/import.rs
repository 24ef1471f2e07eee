//! CSV import: staff only, all or nothing.

use api::TicketListQuery;
use domain::{CategorySource, Status};
use reqwest::Method;

use crate::helpers::{expect_problem, problem_of, spawn_app, staff, user};

const HEADER: &str = "title,description,status,opened_at,closed_at,category,thread\n";

async fn count(app: &crate::helpers::TestApp) -> usize {
    let query = TicketListQuery { limit: Some(200), ..Default::default() };
    app.client.list_tickets(&staff("Ana"), &query).await.unwrap().items.len()
}

#[tokio::test]
async fn staff_import_history_with_threads() {
    let app = spawn_app().await;
    let file = format!(
        "{HEADER}{}{}{}",
        "Heating,Radiators cold in room 12,closed,2026-01-10T09:00:00+01:00,2026-01-12T15:30:00+01:00,facility,\"user: still cold\n[2026-01-12T14:30:00Z] staff (Karen): valve replaced\"\n",
        "Printer,Printer on floor 2 jams,active,2026-02-01T10:00:00Z,,,\n",
        "Canteen,Queue too long,open,2026-02-02T12:00:00Z,,services,\n",
    );
    let report = app.client.import_csv(&staff("Ana"), file).await.unwrap();
    assert_eq!(report.imported, 3);
    assert_eq!(report.ids.len(), 3);

    let heating = app.client.get_ticket(&staff("Ana"), report.ids[0]).await.unwrap();
    assert_eq!(heating.status, Status::Closed);
    assert_eq!(heating.opened_at.to_string(), "2026-01-10T08:00:00Z");
    assert_eq!(heating.closed_at.unwrap().to_string(), "2026-01-12T14:30:00Z");
    assert_eq!(heating.category_source, CategorySource::Import);
    assert_eq!(heating.message_count, 2);
    let thread = app.client.list_messages(&staff("Ana"), heating.id).await.unwrap();
    assert_eq!(thread[0].created_at, heating.opened_at, "an undated message takes the time before it");
    assert_eq!(thread[1].author_name.as_deref(), Some("Karen"));

    let printer = app.client.get_ticket(&user(), report.ids[1]).await.unwrap();
    assert_eq!(printer.category_source, CategorySource::Auto);
    assert_eq!(count(&app).await, 3);
}

#[tokio::test]
async fn one_bad_row_refuses_the_whole_file() {
    let app = spawn_app().await;
    app.create("Existing", "Already here.").await;
    let file = format!(
        "{HEADER}{}{}",
        "Fine,A good row,open,2026-02-01T10:00:00Z,,,\n",
        "Broken,Closed without a time,closed,2026-02-01T10:00:00Z,,,\n",
    );
    let problem = problem_of(app.client.import_csv(&staff("Ana"), file).await.unwrap_err(), 422);
    assert!(problem.detail.contains("row 2"), "{}", problem.detail);
    assert!(problem.detail.contains("closed_at"), "{}", problem.detail);
    assert_eq!(count(&app).await, 1, "nothing was imported");

    for bad in [
        "A,B,open,2026-02-01T10:00,,,\n",
        "A,,open,2026-02-01T10:00:00Z,,,\n",
        "A,B,open,2026-02-01T10:00:00Z,,\n",
        "A,B,waiting,2026-02-01T10:00:00Z,,,\n",
    ] {
        let problem = problem_of(
            app.client.import_csv(&staff("Ana"), format!("{HEADER}{bad}")).await.unwrap_err(),
            422,
        );
        assert!(problem.detail.contains("row 1"), "{bad}: {}", problem.detail);
    }
    problem_of(app.client.import_csv(&staff("Ana"), HEADER.into()).await.unwrap_err(), 422);
    problem_of(app.client.import_csv(&staff("Ana"), String::new()).await.unwrap_err(), 422);
    assert_eq!(count(&app).await, 1);
}

#[tokio::test]
async fn only_staff_import_and_only_csv() {
    let app = spawn_app().await;
    let file = format!("{HEADER}A,B,open,2026-02-01T10:00:00Z,,,\n");
    problem_of(app.client.import_csv(&user(), file.clone()).await.unwrap_err(), 403);
    let response = app
        .request(Method::POST, "/import")
        .header(api::ROLE_HEADER, "staff")
        .header("content-type", "application/json")
        .body(file)
        .send()
        .await
        .unwrap();
    expect_problem(response, 415).await;
    assert_eq!(count(&app).await, 0);
}

#[tokio::test]
async fn the_demo_data_set_imports() {
    let app = spawn_app().await;
    let now = jiff::Timestamp::now();
    let report = app.client.import_csv(&staff("Ana"), tickets::demo::demo_csv(now)).await.unwrap();
    assert!(report.imported >= 300, "{}", report.imported);
    let page = app.client.changes(0, 1000).await.unwrap();
    assert_eq!(page.changes.len(), report.imported);
    for status in Status::ALL {
        assert!(page.changes.iter().any(|c| c.ticket.status == status), "no {status} ticket");
    }
}
