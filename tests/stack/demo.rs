//! `campusdesk up --demo` fills an empty database with a realistic campus.

use std::collections::HashSet;

use api::TicketListQuery;
use domain::{Category, Status};

use crate::helpers::{Stack, staff};

#[tokio::test]
async fn demo_data_fills_every_page_and_chart() {
    let stack = Stack::start(true).await;
    let mut tickets = Vec::new();
    let mut cursor = None;
    loop {
        let query = TicketListQuery { limit: Some(200), cursor: cursor.clone(), ..Default::default() };
        let page = stack.tickets.list_tickets(&staff(), &query).await.expect("list");
        tickets.extend(page.items);
        match page.next_cursor {
            Some(next) => cursor = Some(next),
            None => break,
        }
    }
    assert!(tickets.len() >= 300, "only {} demo tickets", tickets.len());
    let statuses: HashSet<Status> = tickets.iter().map(|t| t.status).collect();
    let categories: HashSet<Category> = tickets.iter().map(|t| t.category).collect();
    assert_eq!(statuses.len(), 3);
    assert_eq!(categories.len(), 3);
    assert!(tickets.iter().filter(|t| t.message_count > 0).count() > 100);
    let oldest = tickets.iter().map(|t| t.opened_at).min().expect("some");
    let span = jiff::Timestamp::now().duration_since(oldest);
    assert!(span.as_hours() > 24 * 120, "demo data should span months, spans {span:?}");

    let resolution = stack.analytics.resolution_time().await.expect("resolution");
    assert!(resolution.months.len() >= 5, "{:?}", resolution.months);
    let week = stack.analytics.unclosed("days=7".parse().expect("a period")).await.expect("unclosed");
    assert!(week.count > 0);
    let by_category = stack.analytics.active_by_category().await.expect("active");
    assert!(by_category.categories.iter().all(|c| c.active > 0), "{by_category:?}");
}
