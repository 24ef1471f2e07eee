//! The analytics service following the REAL ticket service over HTTP: catch-up at start, live
//! changes over the stream, and surviving a restart of the ticket service.

mod helpers;

use api::TicketsClient;
use domain::Status;
use helpers::{DEADLINE, eventually, health, move_to, report, start_analytics, start_tickets, stop};
use jiff::tz::TimeZone;

/// A period from its query form, e.g. `"hours=1"`.
fn period(query: &str) -> api::Period {
    query.parse().expect("a valid period")
}

fn sqlite_url(dir: &tempfile::TempDir) -> String {
    format!("sqlite://{}", dir.path().join("tickets.db").display())
}

#[tokio::test]
async fn analytics_catches_up_then_follows_live_changes() {
    helpers::init_logging();
    let dir = tempfile::tempdir().expect("a temp dir");
    let service = start_tickets(&sqlite_url(&dir), "127.0.0.1:0".parse().expect("addr")).await;
    let tickets = TicketsClient::new(service.url());

    // Two tickets exist before analytics starts: it must find them by catching up.
    let lift = report(&tickets, "Lift stuck", "The lift in building B is stuck on the second floor.").await;
    let wifi = report(&tickets, "No wifi", "The wifi in the library keeps dropping the connection.").await;

    let (analytics_service, analytics) = start_analytics(service.url(), TimeZone::UTC).await;
    analytics_service.wait_healthy(DEADLINE).await.expect("analytics catches up and is healthy");
    let report1 = analytics.unclosed(period("hours=1")).await.expect("unclosed answers once healthy");
    assert_eq!((report1.count, report1.open, report1.active), (2, 2, 0));

    // Live: a third ticket, one moved to active, one moved through to closed.
    let printer = report(&tickets, "Printer jammed", "The printer on floor 3 jams on every page.").await;
    move_to(&tickets, lift.id, Status::Active).await;
    move_to(&tickets, wifi.id, Status::Active).await;
    let wifi = move_to(&tickets, wifi.id, Status::Closed).await;

    let unclosed = eventually("the live changes reach the unclosed count", || async {
        let r = analytics.unclosed(period("hours=1")).await.ok()?;
        ((r.count, r.open, r.active) == (2, 1, 1)).then_some(r)
    })
    .await;
    assert_eq!(unclosed.buckets.iter().map(|b| b.open + b.active).sum::<u64>(), 2);
    assert_eq!(printer.status, Status::Open);

    let by_category = analytics.active_by_category().await.expect("active-by-category answers");
    let counts: Vec<_> = by_category.categories.iter().map(|c| (c.category, c.active)).collect();
    let expected: Vec<_> =
        domain::Category::ALL.iter().map(|&c| (c, u64::from(c == lift.category))).collect();
    assert_eq!(counts, expected, "only the lift ticket is active");

    let resolution = analytics.resolution_time().await.expect("resolution-time answers");
    assert_eq!(resolution.time_zone, "UTC");
    assert_eq!(resolution.months.len(), 1);
    let month = &resolution.months[0];
    assert_eq!(month.month, wifi.opened_at.strftime("%Y-%m").to_string());
    assert_eq!(month.closed, 1);
    let closed_at = wifi.closed_at.expect("a closed ticket has closed_at");
    let hours = closed_at.duration_since(wifi.opened_at).as_secs_f64() / 3600.0;
    assert!((month.mean_hours - hours).abs() < 1e-6, "{} vs {hours}", month.mean_hours);
    assert_eq!(month.mean_hours, month.median_hours);

    stop(service).await;
}

#[tokio::test]
async fn analytics_survives_a_restart_of_the_ticket_service() {
    helpers::init_logging();
    let dir = tempfile::tempdir().expect("a temp dir");
    let db = sqlite_url(&dir);
    let first = start_tickets(&db, "127.0.0.1:0".parse().expect("addr")).await;
    let addr = first.addr();
    let tickets = TicketsClient::new(first.url());
    let (analytics_service, analytics) = start_analytics(first.url(), TimeZone::UTC).await;

    report(&tickets, "Heating off", "The heating in lecture hall 2 does not work at all.").await;
    eventually("analytics sees the first ticket", || async {
        let r = analytics.unclosed(period("days=1")).await.ok()?;
        (r.count == 1).then_some(())
    })
    .await;

    stop(first).await;
    // While the ticket service is down, analytics keeps answering from its read model.
    let r = analytics.unclosed(period("days=1")).await.expect("analytics answers while tickets is down");
    assert_eq!(r.count, 1);
    assert_eq!(health(&analytics_service).await, Some(200));

    // Same database, same address: the follower reconnects and resumes from its cursor.
    let second = start_tickets(&db, addr).await;
    // A fresh client: the old one's pooled connections died with the first service.
    let tickets = TicketsClient::new(second.url());
    let second_ticket =
        report(&tickets, "Projector broken", "The projector in room 101 shows no picture.").await;
    move_to(&tickets, second_ticket.id, Status::Active).await;
    eventually("analytics sees the change made after the restart", || async {
        let r = analytics.unclosed(period("days=1")).await.ok()?;
        ((r.count, r.open, r.active) == (2, 1, 1)).then_some(())
    })
    .await;
    let by_category = analytics.active_by_category().await.expect("active-by-category answers");
    assert_eq!(by_category.categories.iter().map(|c| c.active).sum::<u64>(), 1, "counted once");

    stop(second).await;
}
