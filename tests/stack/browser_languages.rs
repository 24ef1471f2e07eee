//! Languages in real headless Chromium (issue 12, point 7): the footer's switcher changes the
//! menu, the ticket list and the start page, the choice stays across pages, and the Italian page
//! passes axe-core.

use fantoccini::Locator;

use crate::browser::{Browser, axe_script, start_driver};
use crate::helpers::Stack;

/// The `lang` attribute of the page's `<html>`.
async fn page_lang(browser: &Browser) -> String {
    let html = browser.client.find(Locator::Css("html")).await.expect("the html element");
    html.attr("lang").await.expect("read lang").unwrap_or_default()
}

#[tokio::test]
async fn choosing_italiano_in_the_footer_turns_the_menu_and_the_start_page_italian() {
    let axe = axe_script();
    let stack = Stack::start(false).await;
    let driver = start_driver().await;
    let browser = Browser::open(&driver, &stack.web_url).await;
    browser.enter("staff", "Sam").await;
    assert_eq!(page_lang(&browser).await, "en");
    assert!(browser.text("nav.main-nav").await.contains("Report a problem"));

    // Each language is offered in its own words, marked with its own language.
    for (code, name) in [("en", "English"), ("it", "Italiano"), ("de", "Deutsch")] {
        let button = browser
            .client
            .find(Locator::Css(&format!("form.language-switch button[value={code}]")))
            .await
            .expect("a language button");
        assert_eq!(button.text().await.expect("its text"), name);
        assert_eq!(button.attr("lang").await.expect("lang").as_deref(), Some(code));
    }

    browser.click("form.language-switch button[value=it]").await;
    // The post leads back to the same path, so the path cannot say the new page is there: wait
    // for the Italian menu (until then the old page, or an element of it gone stale, shows).
    browser.wait_for_text("html[lang=it] nav.main-nav", "Segnala un problema", false).await;
    assert_eq!(browser.path().await, "/tickets", "the list again");
    assert_eq!(page_lang(&browser).await, "it");
    let menu = browser.text("nav.main-nav").await;
    assert!(menu.contains("Segnala un problema") && menu.contains("Cruscotto"), "{menu}");
    assert!(browser.text("footer").await.contains("Gli orari sono nel fuso orario"));
    // The list itself is Italian: its heading, its tools and its pager.
    assert_eq!(browser.text("main h1").await, "Tutti i ticket");
    assert!(browser.text(".pager-position").await.starts_with("Pagina 1 di 1 · "));
    // On a wide window the tools are shown as they are, without their fold.
    assert_eq!(browser.text("label[for=list-sort]").await, "Ordina per");
    let sorts = browser.text("#list-sort").await;
    assert!(sorts.contains("Dal più recente") && !sorts.contains("Newest first"), "{sorts}");

    // The choice is remembered: a page reached by a link is Italian too.
    browser.click("a.whoami-switch").await;
    browser.wait_for_path("the start page", |p| p == "/").await;
    assert_eq!(page_lang(&browser).await, "it");
    assert!(browser.text("#entry-heading").await.contains("Helpdesk del campus"));
    assert!(browser.text("main").await.contains("Non c'è login, per scelta."));
    let pressed = browser
        .client
        .find(Locator::Css("form.language-switch button[aria-pressed=true]"))
        .await
        .expect("the chosen language is marked");
    assert_eq!(pressed.text().await.expect("its text"), "Italiano");
    browser.shot("entry-italian").await;

    let violations = browser.axe_violations(&axe).await;
    assert!(violations.is_empty(), "axe-core found WCAG A/AA violations:\n{}", violations.join("\n"));
    browser.close().await;
}
