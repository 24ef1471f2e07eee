//! Which language a page is in: the one this browser chose with the switcher in every page's
//! footer (`POST /language`, remembered in the `campusdesk_lang` cookie for 400 days like the
//! appearance, see [`crate::theme`]), else the best match of the browser's `Accept-Language`
//! (Project Fluent's negotiation), else English.
//!
//! The [`scope`] middleware works the choice out once per request, together with the campus
//! time zone's name for the footer; [`current`] gives it to whatever renders the answer
//! (templates through [`crate::page::Layout`], handlers' sentences, [`crate::view::When`]).

use axum::extract::{Request, State};
use axum::http::header;
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::CookieJar;
use fluent_langneg::{NegotiationStrategy, negotiate_languages};
use jiff::Timestamp;
use serde::Deserialize;
use unic_langid::LanguageIdentifier;

use crate::AppState;
use crate::catalogue::Lang;
use crate::error::WebError;
use crate::extract::WebForm;
use crate::theme::{remembered, safe_back};

/// The cookie that remembers the chosen language: `en`, `it` or `de`.
pub(crate) const LANGUAGE_COOKIE: &str = "campusdesk_lang";

/// The language of a request: the `campusdesk_lang` cookie when it names a language the web
/// UI speaks, else the best match of `accept_language` (an `Accept-Language` header value,
/// e.g. `de-CH,de;q=0.9,en;q=0.5`), else English.
pub(crate) fn choose(cookie: Option<&str>, accept_language: Option<&str>) -> Lang {
    if let Some(lang) = cookie.and_then(Lang::parse) {
        return lang;
    }
    let Some(header) = accept_language else { return Lang::En };
    let requested = fluent_langneg::accepted_languages::parse(header);
    let available: Vec<LanguageIdentifier> = Lang::ALL.iter().filter_map(|l| l.code().parse().ok()).collect();
    // English comes first in `Lang::ALL`: the default when nothing matches.
    let chosen = negotiate_languages(&requested, &available, available.first(), NegotiationStrategy::Lookup);
    chosen.first().and_then(|id| Lang::parse(id.language.as_str())).unwrap_or_default()
}

/// What the page being rendered needs to know of its language and the campus clock.
#[derive(Debug, Clone)]
struct Current {
    lang: Lang,
    /// The campus time zone's name (`Europe/Rome`).
    zone: String,
    /// Its abbreviation now (`CET`, `CEST`).
    zone_short: String,
}

tokio::task_local! {
    static CURRENT: Current;
}

/// Middleware: chooses the request's language ([`choose`]) and names the campus time zone, for
/// [`current`] and [`time_zone`].
pub(crate) async fn scope(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let jar = CookieJar::from_headers(request.headers());
    let accept = request.headers().get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok());
    let lang = choose(jar.get(LANGUAGE_COOKIE).map(|c| c.value()), accept);
    let zone = state.tz.iana_name().unwrap_or("UTC").to_owned();
    let zone_short = Timestamp::now().to_zoned(state.tz.clone()).strftime("%Z").to_string();
    CURRENT.scope(Current { lang, zone, zone_short }, next.run(request)).await
}

/// The language of the request being answered (English outside a request).
pub(crate) fn current() -> Lang {
    CURRENT.try_with(|c| c.lang).unwrap_or_default()
}

/// The campus time zone's name and its abbreviation now (`("Europe/Rome", "CET")`; `UTC`
/// outside a request).
pub(crate) fn time_zone() -> (String, String) {
    CURRENT
        .try_with(|c| (c.zone.clone(), c.zone_short.clone()))
        .unwrap_or_else(|_| ("UTC".to_owned(), "UTC".to_owned()))
}

/// Body of `POST /language`.
#[derive(Debug, Deserialize)]
pub(crate) struct LanguageForm {
    #[serde(default)]
    lang: String,
    #[serde(default)]
    back: String,
}

/// `POST /language`: remembers `en`, `it` or `de` for this browser and sends it back to the
/// page it came from (a path on this site, else the start page). Errors: 400 for another value.
pub(crate) async fn set_language(
    jar: CookieJar,
    WebForm(form): WebForm<LanguageForm>,
) -> Result<Response, WebError> {
    let lang =
        Lang::parse(&form.lang).ok_or_else(|| WebError::BadRequest(current().t("language-unknown")))?;
    let jar = jar.add(remembered(LANGUAGE_COOKIE, lang.code()));
    Ok((jar, Redirect::to(safe_back(&form.back))).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_browser_s_languages_are_matched_in_its_order() {
        assert_eq!(choose(None, Some("de-CH,de;q=0.9,en;q=0.5")), Lang::De);
        assert_eq!(choose(None, Some("it-IT,it;q=0.8")), Lang::It);
        assert_eq!(choose(None, Some("fr-FR,en-GB;q=0.7,de;q=0.5")), Lang::En);
    }

    #[test]
    fn a_language_not_spoken_here_means_english() {
        assert_eq!(choose(None, Some("fr")), Lang::En);
        assert_eq!(choose(None, Some("")), Lang::En);
        assert_eq!(choose(None, Some("*;q=oops,,,")), Lang::En);
        assert_eq!(choose(None, None), Lang::En);
    }

    #[test]
    fn the_switcher_s_cookie_beats_the_browser() {
        assert_eq!(choose(Some("it"), Some("de-CH,de;q=0.9,en;q=0.5")), Lang::It);
        assert_eq!(choose(Some("en"), Some("de")), Lang::En);
        assert_eq!(choose(Some("klingon"), Some("de")), Lang::De, "an unknown cookie is ignored");
    }
}
