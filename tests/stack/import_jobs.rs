//! `campusdesk import` as an operator runs it against a running stack: the import is a job it
//! follows to its end, rerunning it does not import twice, and a bad row stores nothing.

use std::process::Output;

use crate::helpers::{Stack, staff};

/// Runs `campusdesk import --tickets-url URL ARGS...` to its end.
async fn import(stack: &Stack, args: &[&str]) -> Output {
    let mut command = tokio::process::Command::new(env!("CARGO_BIN_EXE_campusdesk"));
    command.args(["import", "--tickets-url", &stack.tickets_url]).args(args).env("CAMPUSDESK_LOG", "warn");
    command.output().await.expect("run campusdesk import")
}

fn history(rows: usize) -> String {
    let mut csv = String::from("title,description,status,opened_at,closed_at,category\n");
    for n in 1..=rows {
        csv.push_str(&format!(
            "Lamp {n},The lamp in room {n} flickers,open,2026-01-05T10:00:00Z,,facility\n"
        ));
    }
    csv
}

#[tokio::test]
async fn a_rerun_import_follows_the_same_job_and_imports_once() {
    let stack = Stack::start(false).await;
    let dir = tempfile::tempdir().expect("a directory");
    let file = dir.path().join("history.csv");
    std::fs::write(&file, history(2_000)).expect("write the file");
    let path = file.to_str().expect("a UTF-8 path");

    let first = import(&stack, &["--idempotency-key", "history-1", path]).await;
    assert!(first.status.success(), "{}", String::from_utf8_lossy(&first.stderr));
    let said = String::from_utf8_lossy(&first.stdout).into_owned();
    assert!(said.starts_with("imported 2000 tickets from "), "{said}");
    let rerun = import(&stack, &["--idempotency-key", "history-1", path]).await;
    assert!(rerun.status.success(), "{}", String::from_utf8_lossy(&rerun.stderr));
    assert_eq!(String::from_utf8_lossy(&rerun.stdout), said, "the same job, the same outcome");
    // Without the key, the file's digest finds the job too.
    let plain = import(&stack, &[path]).await;
    assert_eq!(String::from_utf8_lossy(&plain.stdout), said);

    let query = api::TicketListQuery { limit: Some(1), ..Default::default() };
    let page = stack.tickets.list_tickets(&staff(), &query).await.expect("list");
    assert_eq!(page.total, 2_000);
}

#[tokio::test]
async fn a_bad_row_fails_the_import_and_stores_nothing() {
    let stack = Stack::start(false).await;
    let dir = tempfile::tempdir().expect("a directory");
    let file = dir.path().join("history.csv");
    let mut csv = history(1_500);
    csv.push_str("Broken,Closed without a time,closed,2026-01-05T10:00:00Z,,it\n");
    std::fs::write(&file, csv).expect("write the file");
    let failed = import(&stack, &[file.to_str().expect("a UTF-8 path")]).await;
    assert!(!failed.status.success());
    let said = String::from_utf8_lossy(&failed.stderr);
    assert!(said.contains("row 1501") && said.contains("nothing was imported"), "{said}");
    let query = api::TicketListQuery { limit: Some(1), ..Default::default() };
    assert_eq!(stack.tickets.list_tickets(&staff(), &query).await.expect("list").total, 0);
}
