//! Issue 12, points 3 and 8 in real headless Chromium: the pages at a 375 px phone width (long
//! words wrap, the list's filters fold, dashboard chart text stays readable, addresses in user
//! text are safe links) and the keyboard shortcuts of `static/keys.js`.

use fantoccini::Locator;
use fantoccini::actions::{InputSource, KeyAction, KeyActions};
use serde_json::Value;

use crate::browser::{Browser, start_driver};
use crate::helpers::{Stack, eventually, staff, user};

/// The phone width the issue measures at.
const PHONE: u32 = 375;

impl Browser {
    /// Resizes the window so the page's viewport (`window.innerWidth`) is `width` CSS px.
    pub(crate) async fn set_width(&self, width: u32) {
        self.client.set_window_size(width, 900).await.expect("resize the window");
        let inner = self.number("return window.innerWidth").await as u32;
        if inner != width {
            // Window frame: grow the window by what the viewport lacks.
            self.client.set_window_size(2 * width - inner, 900).await.expect("resize the window");
        }
        assert_eq!(self.number("return window.innerWidth").await as u32, width, "the viewport width");
    }

    /// The number `script` returns in the page.
    async fn number(&self, script: &str) -> f64 {
        let value = self.client.execute(script, vec![]).await.unwrap_or_else(|e| panic!("{script}: {e}"));
        value.as_f64().unwrap_or_else(|| panic!("{script} gave {value}"))
    }

    /// How much wider than the viewport the page is, in CSS px (0 when nothing scrolls sideways).
    async fn sideways_overflow(&self) -> f64 {
        self.number("const d = document.documentElement; return d.scrollWidth - d.clientWidth").await
    }

    /// Presses and releases one key (WebDriver key value, e.g. `'j'` or `'\u{E00C}'` for Esc)
    /// on whatever has the focus, as a person would.
    async fn press(&self, key: char) {
        let keys = KeyActions::new("keyboard".to_owned())
            .then(KeyAction::Down { value: key })
            .then(KeyAction::Up { value: key });
        self.client.perform_actions(keys).await.expect("press a key");
    }

    /// The `id` of the focused element (empty when it has none).
    async fn focused_id(&self) -> String {
        let value = self.client.execute("return document.activeElement.id", vec![]).await.expect("focus");
        value.as_str().unwrap_or_default().to_owned()
    }
}

/// One word of `len` letters (no place to break it).
fn word(len: usize) -> String {
    "Unbreakable".chars().cycle().take(len).collect()
}

#[tokio::test]
async fn at_phone_width_nothing_scrolls_sideways_filters_fold_and_chart_text_stays_readable() {
    let stack = Stack::start(true).await;
    let address = format!("https://campus.example/wifi/{}", word(200));
    let description = format!("{} See {address}. Thanks!", word(300));
    let created = stack
        .tickets
        .report_ticket(
            &user(),
            &api::CreateTicketRequest { title: word(120), description, reporter_email: None },
        )
        .await
        .expect("a ticket with a long word and a long address");
    let id = created.ticket.id;
    stack
        .tickets
        .post_message(&staff(), id, &format!("Try {address}, it should help."))
        .await
        .expect("a reply");

    let driver = start_driver().await;
    let phone = Browser::open(&driver, &stack.web_url).await;
    phone.enter("staff", "Sam").await;
    phone.set_width(PHONE).await;

    // The staff list: no sideways scroll, the filters folded away, the first ticket near the top.
    phone.visit("/tickets").await;
    assert_eq!(phone.sideways_overflow().await, 0.0, "the list fits 375 px");
    let fold = phone.client.find(Locator::Css("details.list-tools-fold")).await.expect("the fold");
    assert_eq!(fold.attr("open").await.expect("attr"), None, "the filters are folded");
    assert!(
        !phone
            .client
            .find(Locator::Id("filter-status"))
            .await
            .expect("filter")
            .is_displayed()
            .await
            .expect("shown?")
    );
    let top = phone
        .number("return document.querySelector('#ticket-list tbody tr').getBoundingClientRect().top + window.scrollY")
        .await;
    assert!(top < 600.0, "the first ticket starts {top} px down");
    phone.click("details.list-tools-fold > summary").await;
    assert!(
        phone
            .client
            .find(Locator::Id("filter-status"))
            .await
            .expect("filter")
            .is_displayed()
            .await
            .expect("shown?")
    );

    // The ticket page and the reporter's page wrap the long word; addresses are safe links.
    for page in [format!("/tickets/{id}"), format!("/r/{}", created.reporter_token)] {
        phone.visit(&page).await;
        assert_eq!(phone.sideways_overflow().await, 0.0, "{page} fits 375 px");
        let links = phone.client.find_all(Locator::Css(".prose a")).await.expect("links");
        assert_eq!(links.len(), 2, "{page}: the address in the description and in the reply");
        for link in links {
            assert_eq!(
                link.attr("href").await.expect("href").as_deref(),
                Some(address.as_str()),
                "no trailing . or ,"
            );
            assert_eq!(link.attr("rel").await.expect("rel").as_deref(), Some("noopener nofollow ugc"));
        }
    }
    phone.visit(&format!("/tickets/{id}")).await;

    // The dashboard: the compact chart, its smallest text at least 11 px (font size times the
    // scale the page draws the SVG at; the axis title is rotated), tables stacked.
    for view in ["unclosed", "resolution", "categories"] {
        phone.visit(&format!("/dashboard?view={view}")).await;
        assert_eq!(phone.sideways_overflow().await, 0.0, "{view} fits 375 px");
        let sizes = phone
            .client
            .execute(
                "return Array.from(document.querySelectorAll('.chart-svg svg text'))
                   .filter(t => t.getClientRects().length > 0 && t.textContent.trim() !== '')
                   .map(t => { const m = t.getScreenCTM();
                     return parseFloat(getComputedStyle(t).fontSize) * Math.hypot(m.a, m.b); })",
                vec![],
            )
            .await
            .expect("chart text sizes");
        let sizes: Vec<f64> = serde_json::from_value(sizes).expect("numbers");
        assert!(!sizes.is_empty(), "{view}: the chart shows text");
        let smallest = sizes.iter().copied().fold(f64::MAX, f64::min);
        assert!(smallest >= 11.0, "{view}: chart text as small as {smallest:.1} px: {sizes:?}");
        let table_overflow =
            phone.number("const t = document.querySelector('.table-scroll'); return t ? t.scrollWidth - t.clientWidth : 0").await;
        assert_eq!(table_overflow, 0.0, "{view}: the table does not scroll sideways");
    }
    phone.close().await;
}

#[tokio::test]
async fn keyboard_shortcuts_move_open_start_ask_to_close_and_reply() {
    let stack = Stack::start(false).await;
    for title in ["Lift stuck on floor 3", "Printer in B204 jams", "Heating off in the library"] {
        stack
            .tickets
            .create_ticket(
                &user(),
                &api::CreateTicketRequest {
                    title: title.to_owned(),
                    description: format!("{title}, since this morning."),
                    reporter_email: None,
                },
            )
            .await
            .expect("a ticket");
    }
    let driver = start_driver().await;
    let staff_browser = Browser::open(&driver, &stack.web_url).await;
    let b = &staff_browser;
    b.enter("staff", "Sam").await;
    b.visit("/tickets").await;

    // `?` opens the help dialog, which axe-core finds accessible; Esc closes it.
    b.press('?').await;
    let dialog = b.client.find(Locator::Css("dialog#keys-help")).await.expect("the help dialog");
    assert!(dialog.is_displayed().await.expect("shown?"));
    assert!(b.text("#keys-help h2").await.contains("Keyboard shortcuts"));
    assert!(b.text("#keys-help").await.contains("Start work"));
    b.shot("keyboard-help").await;
    if let Ok(path) = std::env::var("CAMPUSDESK_AXE") {
        let axe = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("reading {path}: {e}"));
        let violations = b.axe_violations(&axe).await;
        assert!(violations.is_empty(), "the open help dialog: {violations:?}");
    }
    b.press('\u{E00C}').await;
    eventually("the help dialog closes", || async {
        (b.client.execute("return document.querySelector('dialog#keys-help').open", vec![]).await.ok()
            == Some(Value::Bool(false)))
        .then_some(())
    })
    .await;

    // j j o opens the second ticket of the list (newest first: #2).
    b.press('j').await;
    b.press('j').await;
    b.press('o').await;
    b.wait_for_path("the second ticket", |p| p == "/tickets/2").await;

    // a starts work; c opens the confirmation and closes nothing; r goes to the message box.
    b.press('a').await;
    b.wait_for_text("#ticket-facts", "Active", true).await;
    b.press('c').await;
    let confirm = b.client.find(Locator::Css("details.confirm-close")).await.expect("the confirmation");
    assert!(confirm.attr("open").await.expect("attr").is_some(), "c opens the confirmation");
    assert!(
        b.client
            .find(Locator::Css("details.confirm-close button[type=submit]"))
            .await
            .expect("yes")
            .is_displayed()
            .await
            .expect("shown?")
    );
    let ticket = stack.tickets.get_ticket(&staff(), 2).await.expect("ticket 2");
    assert_eq!(ticket.status, domain::Status::Active, "c alone closes nothing");
    b.press('r').await;
    assert_eq!(b.focused_id().await, "body", "r focuses the message box");
    b.press('j').await;
    let typed = b.client.find(Locator::Id("body")).await.expect("box").prop("value").await.expect("value");
    assert_eq!(typed.as_deref().map(str::trim), Some("j"), "in a text box j is a letter");

    // In the search box j types a j; / went there first.
    b.visit("/tickets").await;
    b.press('/').await;
    assert_eq!(b.focused_id().await, "filter-q");
    b.press('j').await;
    let typed =
        b.client.find(Locator::Id("filter-q")).await.expect("search").prop("value").await.expect("value");
    assert_eq!(typed.as_deref(), Some("j"));
    assert_eq!(b.path().await, "/tickets", "no ticket opened while typing");
    assert_eq!(b.number("return document.querySelectorAll('.key-selected').length").await, 0.0);
    staff_browser.close().await;
}
