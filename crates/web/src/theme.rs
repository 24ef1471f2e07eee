//! The appearance switch: pages follow the device's colour scheme (`prefers-color-scheme`)
//! unless the person pins light or dark with the buttons in every page's footer
//! (`POST /appearance`), which this browser then remembers in the `campusdesk_theme` cookie
//! (400 days, the longest lifetime browsers keep a cookie for). It works without JavaScript:
//! the server writes the choice into `<html data-theme>`, and the stylesheet's `light-dark()`
//! colours follow `color-scheme`.

use axum::extract::Request;
use axum::http::Method;
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::CookieJar;
use axum_extra::extract::cookie::{Cookie, SameSite};
use serde::Deserialize;

use crate::error::WebError;
use crate::extract::WebForm;

/// The cookie that remembers a pinned scheme: `light` or `dark` (absent: follow the device).
pub(crate) const THEME_COOKIE: &str = "campusdesk_theme";

/// How long a pinned scheme is remembered: 400 days, in seconds (RFC 6265bis caps cookie
/// lifetimes there, and Chromium enforces it).
const REMEMBER_SECONDS: i64 = 400 * 24 * 3600;

/// The colour scheme a person chose.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) enum Theme {
    /// Follow the device (`prefers-color-scheme`).
    #[default]
    Auto,
    Light,
    Dark,
}

impl Theme {
    /// `auto`, `light` or `dark`: the form values and (for the last two) the cookie's.
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Theme::Auto => "auto",
            Theme::Light => "light",
            Theme::Dark => "dark",
        }
    }

    fn parse(text: &str) -> Option<Theme> {
        [Theme::Auto, Theme::Light, Theme::Dark].into_iter().find(|t| t.as_str() == text)
    }
}

/// What the page being rendered needs to know of the switch.
#[derive(Debug, Clone)]
struct Current {
    theme: Theme,
    /// Where the switch sends the browser back to: this page's path and query.
    back: String,
}

tokio::task_local! {
    static CURRENT: Current;
}

/// Middleware: reads the pinned scheme and the page's address for the request's templates
/// ([`current`]).
pub(crate) async fn scope(request: Request, next: Next) -> Response {
    let jar = CookieJar::from_headers(request.headers());
    let theme = jar.get(THEME_COOKIE).and_then(|c| Theme::parse(c.value())).unwrap_or_default();
    // After a form post the page shown is the post's answer; back to the list is the safe way.
    let back = match *request.method() {
        Method::GET | Method::HEAD => request.uri().path_and_query().map_or("/", |p| p.as_str()).to_owned(),
        _ => "/tickets".to_owned(),
    };
    CURRENT.scope(Current { theme, back }, next.run(request)).await
}

/// The pinned scheme of the request being answered, and the page's path and query (`Auto`
/// and `/` outside a request).
pub(crate) fn current() -> (Theme, String) {
    CURRENT.try_with(|c| (c.theme, c.back.clone())).unwrap_or((Theme::Auto, "/".to_owned()))
}

/// Body of `POST /appearance`.
#[derive(Debug, Deserialize)]
pub(crate) struct AppearanceForm {
    #[serde(default)]
    theme: String,
    #[serde(default)]
    back: String,
}

/// `POST /appearance`: pins `light` or `dark` (or forgets the choice for `auto`) and sends the
/// browser back to the page it came from. Errors: 400 for another value.
pub(crate) async fn set_theme(
    jar: CookieJar,
    WebForm(form): WebForm<AppearanceForm>,
) -> Result<Response, WebError> {
    let theme = Theme::parse(&form.theme)
        .ok_or_else(|| WebError::BadRequest(crate::language::current().t("appearance-unknown")))?;
    let jar = match theme {
        Theme::Auto => jar.remove(Cookie::build(THEME_COOKIE).path("/")),
        Theme::Light | Theme::Dark => jar.add(remembered(THEME_COOKIE, theme.as_str())),
    };
    Ok((jar, Redirect::to(safe_back(&form.back))).into_response())
}

/// A cookie `name=value` that remembers a choice made in the footer (appearance, language) for
/// 400 days: `HttpOnly`, `SameSite=Lax`, `Path=/`.
pub(crate) fn remembered(name: &'static str, value: &'static str) -> Cookie<'static> {
    Cookie::build((name, value))
        .http_only(true)
        .same_site(SameSite::Lax)
        .path("/")
        .max_age(time::Duration::seconds(REMEMBER_SECONDS))
        .build()
}

/// `back` when it is a path on this site (`/...`, not `//host` or `/\host`, no control
/// characters), else the start page: the footer's switches must not send anyone elsewhere.
pub(crate) fn safe_back(back: &str) -> &str {
    let local = back.starts_with('/')
        && !back.starts_with("//")
        && !back.starts_with("/\\")
        && !back.chars().any(char::is_control);
    if local { back } else { "/" }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_paths_on_this_site_are_gone_back_to() {
        assert_eq!(safe_back("/tickets?status=open"), "/tickets?status=open");
        for elsewhere in
            ["https://evil.example/", "//evil.example/", "/\\evil.example", "/a\nb", "", "tickets"]
        {
            assert_eq!(safe_back(elsewhere), "/", "{elsewhere:?}");
        }
    }

    #[test]
    fn themes_read_what_they_write() {
        for theme in [Theme::Auto, Theme::Light, Theme::Dark] {
            assert_eq!(Theme::parse(theme.as_str()), Some(theme));
        }
        assert_eq!(Theme::parse("sepia"), None);
    }
}
