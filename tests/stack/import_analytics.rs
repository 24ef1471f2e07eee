//! CSV import (all or nothing) and the three analyses on data whose answers are worked out by
//! hand.

use jiff::{Timestamp, ToSpan};

use crate::helpers::{Stack, eventually, expect_problem, staff, user};

/// RFC 3339 of `now - hours`.
fn ago(now: Timestamp, hours: i64) -> String {
    (now - hours.hours()).to_string()
}

#[tokio::test]
async fn a_bad_row_refuses_the_whole_file() {
    let stack = Stack::start(false).await;
    let csv = "title,description,status,opened_at,closed_at,category\n\
               Lift,Lift stuck,open,2026-01-05T10:00:00Z,,facility\n\
               Wifi,Wifi down,closed,2026-01-05T10:00:00Z,2026-01-04T10:00:00Z,it\n";
    let refused = stack
        .http
        .post(stack.api("/import"))
        .header("x-campusdesk-role", "staff")
        .header("content-type", "text/csv")
        .body(csv)
        .send()
        .await
        .expect("send");
    let problem = expect_problem(refused, 422).await;
    assert!(problem["detail"].as_str().unwrap_or_default().contains("row 2"), "{problem}");
    assert!(stack.tickets.changes(0, 10).await.expect("changes").changes.is_empty(), "nothing written");

    // Users may not import at all.
    let good = "title,description,status,opened_at,closed_at\nLift,Lift stuck,open,2026-01-05T10:00:00Z,\n";
    let forbidden = stack
        .http
        .post(stack.api("/import"))
        .header("content-type", "text/csv")
        .body(good)
        .send()
        .await
        .expect("send");
    expect_problem(forbidden, 403).await;
    assert!(stack.tickets.changes(0, 10).await.expect("changes").changes.is_empty(), "nothing written");
}

#[tokio::test]
async fn analytics_match_hand_computed_answers() {
    let stack = Stack::start(false).await;
    let now = Timestamp::now();
    // Closed in January 2026 (UTC): 10 h and 30 h -> mean 20, median 20.
    // Closed in February 2026: 5 h, 7 h, 30 h -> mean 14, median 7.
    // Unclosed: open 2 h ago (facility), active 30 h ago (it), open 10 days ago (services),
    // active 40 days ago (it).
    let csv = format!(
        "title,description,status,opened_at,closed_at,category\n\
         J1,Radiator broken in room 12,closed,2026-01-10T08:00:00Z,2026-01-10T18:00:00Z,facility\n\
         J2,Projector dead in hall A,closed,2026-01-20T08:00:00+01:00,2026-01-21T14:00:00+01:00,it\n\
         F1,Canteen too expensive,closed,2026-02-02T10:00:00Z,2026-02-02T15:00:00Z,services\n\
         F2,Door lock broken,closed,2026-02-03T10:00:00Z,2026-02-03T17:00:00Z,facility\n\
         F3,VPN refuses my password,closed,2026-02-27T10:00:00Z,2026-02-28T16:00:00Z,it\n\
         U1,Toilet leaking,open,{},,facility\n\
         U2,Moodle down,active,{},,it\n\
         U3,Library closes too early,open,{},,services\n\
         U4,Laptop loan broken,active,{},,it\n",
        ago(now, 2),
        ago(now, 30),
        ago(now, 240),
        ago(now, 960),
    );
    let report = stack.tickets.import_csv(&staff(), csv).await.expect("import");
    assert_eq!(report.imported, 9);

    let last_day = eventually("analytics to catch up", || async {
        let r = stack.analytics.unclosed("hours=24".parse().ok()?).await.ok()?;
        (r.count == 1).then_some(r)
    })
    .await;
    assert_eq!((last_day.open, last_day.active), (1, 0));
    let two_days = stack.analytics.unclosed("days=2".parse().expect("a period")).await.expect("unclosed");
    assert_eq!((two_days.count, two_days.open, two_days.active), (2, 1, 1));
    let month = stack.analytics.unclosed("days=30".parse().expect("a period")).await.expect("unclosed");
    assert_eq!((month.count, month.open, month.active), (3, 2, 1));
    assert_eq!(month.buckets.iter().map(|b| b.open + b.active).sum::<u64>(), 3);

    let resolution = stack.analytics.resolution_time().await.expect("resolution");
    let months: Vec<_> = resolution
        .months
        .iter()
        .map(|m| (m.month.as_str(), m.closed, m.mean_hours, m.median_hours))
        .collect();
    assert_eq!(months, [("2026-01", 2, 20.0, 20.0), ("2026-02", 3, 14.0, 7.0)]);

    let by_category = stack.analytics.active_by_category().await.expect("by category");
    let counts: Vec<_> = by_category.categories.iter().map(|c| (c.category.as_str(), c.active)).collect();
    assert_eq!(counts, [("facility", 0), ("it", 2), ("services", 0)]);

    // A live change moves the numbers: staff start work on the toilet ticket.
    let toilet = stack
        .tickets
        .list_tickets(&user(), &api::TicketListQuery { q: Some("Toilet".into()), ..Default::default() })
        .await
        .expect("search")
        .items
        .remove(0);
    stack.tickets.set_status(&staff(), toilet.id, domain::Status::Active).await.expect("start");
    eventually("active facility count to reach 1", || async {
        let r = stack.analytics.active_by_category().await.ok()?;
        (r.categories[0].active == 1).then_some(())
    })
    .await;
}
