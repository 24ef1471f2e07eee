//! Lists staff can work with (issue 12, point 4) in real headless Chromium: sort by status,
//! next and previous page with the page count, a page size, and the CSV download of a filtered
//! list with a formula in a title defused.

use api::CreateTicketRequest;
use domain::Status;
use fantoccini::Locator;

use crate::browser::{Browser, start_driver};
use crate::helpers::{Stack, staff, user};

impl Browser {
    /// Picks `value` in the select `css` of the list's filter form and applies the form.
    async fn apply_choice(&self, css: &str, value: &str) {
        let select = self.client.find(Locator::Css(css)).await.unwrap_or_else(|e| panic!("no {css}: {e}"));
        select.select_by_value(value).await.unwrap_or_else(|e| panic!("no {value} in {css}: {e}"));
        self.click("form.filters button[type=submit]").await;
    }

    /// The query string of the page shown.
    async fn query(&self) -> String {
        self.client.current_url().await.expect("url").query().unwrap_or_default().to_owned()
    }
}

#[tokio::test]
async fn staff_sort_page_resize_and_download_a_filtered_list() {
    let stack = Stack::start(false).await;
    let mut ids = Vec::new();
    for n in 0..30 {
        let title = match n {
            3 => "=HYPERLINK(\"x\")".to_owned(),
            _ => format!("Lamp {n} flickers"),
        };
        let request =
            CreateTicketRequest { title, description: "In the corridor.".into(), reporter_email: None };
        ids.push(stack.tickets.create_ticket(&user(), &request).await.expect("reported").id);
    }
    // Three tickets in progress: sorted by status A to Z, "Active" comes first.
    let active = [ids[3], ids[10], ids[20]];
    for id in active {
        stack.tickets.set_status(&staff(), id, Status::Active).await.expect("taken on");
    }

    let driver = start_driver().await;
    let sam = Browser::open(&driver, &stack.web_url).await;
    sam.enter("staff", "Sam").await;
    sam.wait_for_text(".pager-position", "Page 1 of 2 · 30 tickets", false).await;

    // Sort by status: the active tickets lead, and the order stays in the address.
    sam.apply_choice("#list-sort", "status").await;
    sam.wait_for_text("tbody tr:first-child td[data-label=Status]", "Active", false).await;
    assert!(sam.query().await.contains("sort=status"));
    sam.shot("list-by-status").await;

    // Next page, then back: the page count follows, the order is kept.
    sam.click("a[rel=next]").await;
    sam.wait_for_text(".pager-position", "Page 2 of 2 · 30 tickets", false).await;
    assert!(sam.query().await.contains("sort=status"), "the next page keeps the order");
    assert!(!sam.text("tbody").await.contains("Active"), "the active tickets were all on page 1");
    sam.click("a[rel=prev]").await;
    sam.wait_for_text(".pager-position", "Page 1 of 2 · 30 tickets", false).await;
    sam.wait_for_text("tbody tr:first-child td[data-label=Status]", "Active", false).await;

    // Fifty per page: everything on one page, still by status.
    sam.apply_choice("#list-size", "50").await;
    sam.wait_for_text(".pager-position", "Page 1 of 1 · 30 tickets", false).await;
    assert!(sam.query().await.contains("sort=status"));

    // Only the active ones, then their CSV, fetched with the browser's cookies.
    sam.apply_choice("#filter-status", "active").await;
    sam.wait_for_text(".pager-position", "Page 1 of 1 · 3 tickets", false).await;
    let link = sam.client.find(Locator::Css("a[download]")).await.expect("a CSV link for staff");
    let href = link.prop("href").await.expect("read href").expect("an address");
    let cookies = sam.client.get_all_cookies().await.expect("the browser's cookies");
    let cookie = cookies.iter().map(|c| format!("{}={}", c.name(), c.value())).collect::<Vec<_>>().join("; ");
    let response = stack.http.get(&href).header("cookie", cookie).send().await.expect("download");
    assert_eq!(response.status(), 200, "{href}");
    let csv = response.text().await.expect("CSV text");
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines.len(), 4, "a header and the three active tickets: {csv}");
    assert!(lines[0].starts_with("id,title,status"), "{csv}");
    let listed: Vec<i64> = lines[1..]
        .iter()
        .map(|line| line.split(',').next().unwrap_or_default().parse().unwrap_or(0))
        .collect();
    assert_eq!(listed, active, "the list's rows in the list's order: {csv}");
    assert!(lines[1..].iter().all(|line| line.contains(",active,")), "{csv}");
    assert!(
        lines[1].starts_with(&format!("{},\"'=HYPERLINK(\"\"x\"\")\",active,", ids[3])),
        "the formula is defused and quoted: {csv}"
    );
    sam.close().await;
}
