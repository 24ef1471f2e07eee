//! `GET /api/v1/tickets` with `sort`: every order, previous and next cursors, page numbers and
//! counts, and the refusals (issue 12, point 4).

use api::TicketListQuery;
use domain::Status;
use reqwest::Method;

use crate::helpers::{expect_problem, problem_of, spawn_app, staff};

#[tokio::test]
async fn every_sort_lists_in_its_order_and_pages_both_ways() {
    let app = spawn_app().await;
    let open = app.create_in(Status::Open, "Open one").await;
    let closed = app.create_in(Status::Closed, "Closed one").await;
    let active = app.create_in(Status::Active, "Active one").await;
    let ids = |page: &api::TicketPage| page.items.iter().map(|t| t.id).collect::<Vec<_>>();
    let list = |sort: &str| TicketListQuery { sort: Some(sort.into()), ..Default::default() };
    for (sort, expected) in [
        ("-opened", vec![active.id, closed.id, open.id]),
        ("opened", vec![open.id, closed.id, active.id]),
        ("status", vec![active.id, closed.id, open.id]),
        ("-status", vec![open.id, closed.id, active.id]),
    ] {
        let page = app.client.list_tickets(&staff("Ana"), &list(sort)).await.unwrap();
        assert_eq!(ids(&page), expected, "sort={sort}");
        assert_eq!((page.page, page.page_count, page.total), (Some(1), 1, 3), "sort={sort}");
    }
    let recent = app.client.list_tickets(&staff("Ana"), &list("-updated")).await.unwrap();
    assert_eq!(recent.items.len(), 3);
    assert!(
        recent.items.windows(2).all(|w| w[0].updated_at >= w[1].updated_at),
        "most recently modified first"
    );

    // Pages of one by status: next, next, then back.
    let one = TicketListQuery { limit: Some(1), ..list("status") };
    let first = app.client.list_tickets(&staff("Ana"), &one).await.unwrap();
    assert_eq!((ids(&first), first.prev_cursor.as_deref(), first.page_count), (vec![active.id], None, 3));
    let second = app
        .client
        .list_tickets(&staff("Ana"), &TicketListQuery { cursor: first.next_cursor.clone(), ..one.clone() })
        .await
        .unwrap();
    assert_eq!((ids(&second), second.page), (vec![closed.id], Some(2)));
    let third = app
        .client
        .list_tickets(&staff("Ana"), &TicketListQuery { cursor: second.next_cursor.clone(), ..one.clone() })
        .await
        .unwrap();
    assert_eq!((ids(&third), third.page, third.next_cursor.as_deref()), (vec![open.id], Some(3), None));
    let back = app
        .client
        .list_tickets(&staff("Ana"), &TicketListQuery { cursor: third.prev_cursor.clone(), ..one.clone() })
        .await
        .unwrap();
    assert_eq!((ids(&back), back.page), (vec![closed.id], Some(2)), "previous goes back one page");

    // A cursor belongs to its order.
    let other = TicketListQuery { cursor: first.next_cursor, ..list("-opened") };
    let problem = problem_of(app.client.list_tickets(&staff("Ana"), &other).await.unwrap_err(), 400);
    assert!(problem.detail.contains("belongs to the order status"), "{}", problem.detail);
}

#[tokio::test]
async fn an_unknown_sort_is_refused_with_a_sentence() {
    let app = spawn_app().await;
    for sort in ["priority", "--opened", "opened,status"] {
        let response = app.request(Method::GET, &format!("/tickets?sort={sort}")).send().await.unwrap();
        let problem = expect_problem(response, 400).await;
        assert!(
            problem.detail.contains("use opened, updated, status or category"),
            "sort={sort}: {}",
            problem.detail
        );
    }
    let response = app.request(Method::GET, "/tickets?sort=-Category").send().await.unwrap();
    assert_eq!(response.status(), 200, "names in any letter case");
    let response = app.request(Method::GET, "/tickets?sort=").send().await.unwrap();
    assert_eq!(response.status(), 200, "an empty sort is the default order");
}
