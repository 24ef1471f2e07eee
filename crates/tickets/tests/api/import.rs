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

/// How many tickets the store holds (the list's exact total).
async fn total(app: &crate::helpers::TestApp) -> usize {
    let query = TicketListQuery { limit: Some(1), ..Default::default() };
    let page = app.client.list_tickets(&staff("Ana"), &query).await.unwrap();
    assert!(page.total_exact);
    usize::try_from(page.total).unwrap()
}

/// A valid file of `rows` tickets (every category named, so no classifier time is spent),
/// numbered from 1 in their titles.
fn tickets_file(rows: usize) -> String {
    let mut file = String::from(HEADER);
    for n in 1..=rows {
        push_ticket(&mut file, n);
    }
    file
}

/// Appends valid ticket row number `n` (about 90 bytes).
fn push_ticket(file: &mut String, n: usize) {
    let (status, closed, category) = match n % 3 {
        0 => ("closed", "2026-02-03T09:00:00Z", "facility"),
        1 => ("open", "", "it"),
        _ => ("active", "", "services"),
    };
    file.push_str(&format!(
        "Ticket {n},Thing {n} is broken on campus,{status},2026-02-01T10:00:00Z,{closed},{category},\n"
    ));
}

#[tokio::test]
async fn a_retried_import_imports_once() {
    let app = spawn_app().await;
    let file = tickets_file(40);
    let first = app.client.start_import(&staff("Ana"), file.clone(), Some("history-2026-02")).await.unwrap();
    let retry = app.client.start_import(&staff("Ana"), file.clone(), Some("history-2026-02")).await.unwrap();
    assert_eq!(retry.id, first.id, "the retry carrying the same key got the first job");
    let report = app.client.wait_import(&staff("Ana"), retry, |_| {}).await.unwrap();
    assert_eq!(report.imported, 40);
    let again = app.client.start_import(&staff("Ana"), file.clone(), Some("history-2026-02")).await.unwrap();
    assert_eq!(
        (again.id, again.outcome.as_ref()),
        (first.id, Some(&report)),
        "a late retry gets the outcome"
    );
    assert_eq!(total(&app).await, 40);

    // Without a key the file's digest finds the job: the old synchronous endpoint, retried
    // after an answer that never came, does not import twice either.
    let other = tickets_file(7);
    let sync = app.client.import_csv(&staff("Ana"), other.clone()).await.unwrap();
    let resent = app.client.import_csv(&staff("Ana"), other).await.unwrap();
    assert_eq!(resent.ids, sync.ids);
    assert_eq!(total(&app).await, 47);

    // One key, another file: refused, nothing imported.
    let problem = problem_of(
        app.client.start_import(&staff("Ana"), tickets_file(3), Some("history-2026-02")).await.unwrap_err(),
        422,
    );
    assert!(problem.detail.contains("another file"), "{}", problem.detail);
    assert_eq!(total(&app).await, 47);
}

#[tokio::test]
async fn an_import_answers_202_with_its_job_and_reports_its_progress_and_outcome() {
    let app = spawn_app().await;
    let response = app
        .request(Method::POST, "/imports")
        .header(api::ROLE_HEADER, "staff")
        .header("content-type", "text/csv")
        .body(tickets_file(300))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 202);
    let location = response.headers()["location"].to_str().unwrap().to_owned();
    let job: api::ImportJobView = response.json().await.unwrap();
    assert_eq!(location, format!("/api/v1/imports/{}", job.id));
    assert_eq!(job.url, location);
    assert!(!job.state.is_final(), "answered before the work: {:?}", job.state);
    assert_eq!(job.written, 0);

    let mut seen = Vec::new();
    let report =
        app.client.wait_import(&staff("Ana"), job.clone(), |now| seen.push(now.clone())).await.unwrap();
    assert_eq!(report.imported, 300);
    let last = seen.last().unwrap();
    assert_eq!(last.state, api::ImportJobState::Done);
    assert_eq!((last.total, last.checked, last.written), (Some(300), 300, 300));
    assert!(seen.windows(2).all(|w| w[0].checked <= w[1].checked), "progress never goes back");
    let ticket = app.client.get_ticket(&staff("Ana"), report.ids[299]).await.unwrap();
    assert_eq!(ticket.title, "Ticket 300");

    // Any replica answers for the job: its record is in the database.
    let replica = app.replica().await;
    let there = replica.client.import_job(&staff("Ana"), job.id).await.unwrap();
    assert_eq!(there.outcome.unwrap().ids, report.ids);
    problem_of(replica.client.import_job(&user(), job.id).await.unwrap_err(), 403);
    problem_of(replica.client.import_job(&staff("Ana"), job.id + 100).await.unwrap_err(), 404);
    replica.stop().await.unwrap();

    // Asked for, even a small file to the old endpoint gets its job at once.
    let response = app
        .request(Method::POST, "/import")
        .header(api::ROLE_HEADER, "staff")
        .header("content-type", "text/csv")
        .header("prefer", "respond-async")
        .body(tickets_file(2))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 202);
}

#[tokio::test]
async fn a_job_with_a_bad_row_fails_naming_it_and_stores_nothing() {
    let app = spawn_app().await;
    let mut file = tickets_file(500);
    file.push_str("Broken,Closed without a time,closed,2026-02-01T10:00:00Z,,,\n");
    let job = app.client.start_import(&staff("Ana"), file, None).await.unwrap();
    let problem =
        problem_of(app.client.wait_import(&staff("Ana"), job.clone(), |_| {}).await.unwrap_err(), 422);
    assert!(problem.detail.contains("row 501"), "{}", problem.detail);
    assert!(problem.detail.contains("nothing was imported"), "{}", problem.detail);
    let ended = app.client.import_job(&staff("Ana"), job.id).await.unwrap();
    assert_eq!((ended.state, ended.error_row, ended.written), (api::ImportJobState::Failed, Some(501), 0));
    assert!(ended.outcome.is_none());
    assert_eq!(total(&app).await, 0);
}

#[tokio::test]
async fn a_20_mib_file_imports() {
    let app = spawn_app().await;
    let mut file = String::from(HEADER);
    let mut n = 0;
    while file.len() < tickets::IMPORT_BODY_LIMIT - 200 {
        n += 1;
        push_ticket(&mut file, n);
    }
    assert!(n > 220_000, "{n} rows");
    let job = app.client.start_import(&staff("Ana"), file, Some("twenty-mib")).await.unwrap();
    // Other writes go on while the file is checked.
    app.create("Meanwhile", "A ticket reported during the import.").await;
    let report = app.client.wait_import(&staff("Ana"), job, |_| {}).await.unwrap();
    assert_eq!(report.imported, n);
    assert_eq!(total(&app).await, n + 1);
}
