//! The page scripts speak the page's language (issue 12, point 7), in real headless Chromium:
//! with Italian chosen in the footer, the report form's character counter, its client-side
//! errors, the category preview and the keyboard shortcuts' help are Italian, their numbers
//! written the Italian way, although the scripts themselves hold no sentence.

use fantoccini::Locator;
use fantoccini::actions::{InputSource, KeyAction, KeyActions};

use crate::browser::{Browser, start_driver};
use crate::helpers::{Stack, eventually};

impl Browser {
    /// Presses and releases `key` on whatever has the focus (a WebDriver key value).
    async fn press_key(&self, key: char) {
        let keys = KeyActions::new("keyboard".to_owned())
            .then(KeyAction::Down { value: key })
            .then(KeyAction::Up { value: key });
        self.client.perform_actions(keys).await.expect("press a key");
    }
}

#[tokio::test]
async fn with_italian_chosen_the_report_form_s_scripts_speak_italian() {
    let stack = Stack::start(false).await;
    let driver = start_driver().await;
    let user = Browser::open(&driver, &stack.web_url).await;
    user.enter("user", "Bo").await;
    user.click("form.language-switch button[value=it]").await;
    // The post comes back to the same path: wait for the Italian page itself.
    user.wait_for_text("html[lang=it] nav.main-nav", "Segnala un problema", false).await;
    user.visit("/tickets/new").await;

    // The counters, with the limits grouped as Italian writes them ("5.000").
    user.fill("#title", "Wifi giù").await;
    user.wait_for_text("#title-count", "8 di 120 caratteri", false).await;
    user.fill("#description", "eduroam keeps dropping in the library").await;
    user.wait_for_text("#description-count", "37 di 5.000 caratteri", false).await;

    // The category preview: the service's sentence and the page's own around it.
    user.wait_for_text("#category-hint", "Probabilmente sarà classificato come:", false).await;
    user.wait_for_text("#category-hint", "Parole decisive: ", false).await;
    user.wait_for_text("#category-hint", "eduroam", false).await;

    // Over the limit: the counter says by how much, and leaving the field shows the sentence
    // the server would give, before anything is sent.
    let long = format!("{}bloccato B", "Ascensore ".repeat(12));
    user.fill("#title", &long).await;
    user.wait_for_text("#title-count", "130 di 120 caratteri: 10 di troppo", false).await;
    user.click("#description").await;
    user.wait_for_text(
        "#title-error",
        "Il titolo è lungo 130 caratteri; ne sono ammessi al massimo 120.",
        false,
    )
    .await;
    assert_eq!(user.path().await, "/tickets/new", "nothing was sent");
    user.fill("#title", "").await;
    user.wait_for_text("#title-error", "Il titolo non può essere vuoto.", false).await;

    // The keyboard shortcuts' help, away from the fields.
    user.visit("/tickets").await;
    user.press_key('?').await;
    let dialog = user.client.find(Locator::Css("dialog#keys-help")).await.expect("the help dialog");
    assert!(dialog.is_displayed().await.expect("shown?"));
    assert_eq!(user.text("#keys-help h2").await, "Scorciatoie da tastiera");
    assert!(user.text("#keys-help").await.contains("Cerca nell'elenco dei ticket"));
    user.click("#keys-help button[data-close]").await;
    eventually("the help dialog closes", || async {
        let open =
            user.client.execute("return document.querySelector('dialog#keys-help').open", vec![]).await;
        (open.ok() == Some(serde_json::Value::Bool(false))).then_some(())
    })
    .await;
    user.close().await;
}
