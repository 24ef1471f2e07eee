//! Page plumbing shared by every area: the [`HtmlTemplate`] response wrapper and the
//! [`Layout`] data the base template (`templates/base.html`) needs on every page, with the
//! page's language and its translator (`{{ layout.t("menu-tickets") }}`, see
//! [`crate::catalogue`]).

use askama::Template;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use fluent_bundle::FluentValue;

use crate::catalogue::Lang;
use crate::theme::Theme;

/// Renders an askama template as an HTML response (200 unless [`HtmlTemplate::with_status`]).
/// A template that fails to render becomes the generic 500 page, its cause logged.
pub(crate) struct HtmlTemplate<T> {
    template: T,
    status: StatusCode,
}

impl<T: Template> HtmlTemplate<T> {
    pub(crate) fn new(template: T) -> Self {
        HtmlTemplate { template, status: StatusCode::OK }
    }

    pub(crate) fn with_status(template: T, status: StatusCode) -> Self {
        HtmlTemplate { template, status }
    }
}

impl<T: Template> IntoResponse for HtmlTemplate<T> {
    fn into_response(self) -> Response {
        match self.template.render() {
            Ok(html) => (self.status, Html(html)).into_response(),
            Err(err) => {
                tracing::error!(error = %err, "a page template failed to render");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    Html(
                        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">\
                         <title>Something went wrong</title></head><body><h1>Something went wrong</h1>\
                         <p>This page could not be shown. Please try again; if it keeps happening, \
                         tell the helpdesk.</p><p><a href=\"/\">Back to the start page</a></p></body></html>",
                    ),
                )
                    .into_response()
            }
        }
    }
}

/// The navigation area a page belongs to, to mark the current link.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Section {
    Entry,
    Tickets,
    NewTicket,
    Dashboard,
    Imports,
    Other,
}

/// The variables of messages that only the page scripts can fill in, as they know them only in
/// the browser: `used`, `len`, `max` and `over` (character counts, which the scripts write in
/// the page's language), `hint` (the category preview's sentence) and `words` (its deciding
/// words). See [`Layout::script_text`].
pub(crate) const SCRIPT_VARIABLES: [&str; 6] = ["used", "len", "max", "over", "hint", "words"];

/// What `base.html` shows around every page: who the visitor declared to be, in which language.
#[derive(Debug, Clone)]
pub(crate) struct Layout {
    /// "Campus user" / "Helpdesk staff" (in the page's language); `None` before a role is chosen.
    pub(crate) role: Option<String>,
    /// `user` / `staff` (CSS class of the role badge); empty before a role is chosen.
    pub(crate) role_slug: &'static str,
    pub(crate) name: Option<String>,
    pub(crate) is_staff: bool,
    pub(crate) section: Section,
    /// `data-live` value of `<body>`: `list`, `ticket`, `dashboard` or empty (no live updates).
    pub(crate) live: &'static str,
    /// The ticket a `ticket` page shows (for live updates); 0 otherwise.
    pub(crate) live_ticket: i64,
    /// The browser's CSRF token, for the hidden `csrf` field of every form on the page
    /// ([`crate::csrf`]).
    pub(crate) csrf: String,
    /// The colour scheme this browser pinned, if any ([`crate::theme`]).
    pub(crate) theme: Theme,
    /// This page's path and query, where the appearance and language switches come back to.
    pub(crate) back: String,
    /// The page's language ([`crate::language`]): `<html lang>` and every message.
    pub(crate) lang: Lang,
    /// The campus time zone's name (`Europe/Rome`), for the footer.
    pub(crate) zone: String,
    /// Its abbreviation now (`CET`), for the footer.
    pub(crate) zone_short: String,
}

/// A whole number a template shows with [`Layout::number`].
pub(crate) trait WholeNumber {
    /// The number as an `i64` (saturating).
    fn whole(&self) -> i64;
}

impl WholeNumber for i64 {
    fn whole(&self) -> i64 {
        *self
    }
}

impl WholeNumber for usize {
    fn whole(&self) -> i64 {
        i64::try_from(*self).unwrap_or(i64::MAX)
    }
}

impl<T: WholeNumber + ?Sized> WholeNumber for &T {
    fn whole(&self) -> i64 {
        (**self).whole()
    }
}

/// A language the footer's switcher offers.
#[derive(Debug, Clone, Copy)]
pub(crate) struct LanguageChoice {
    /// `en`, `it`, `de`: the button's value and `lang` attribute.
    pub(crate) code: &'static str,
    /// The language's name in itself ("Deutsch").
    pub(crate) name: &'static str,
    /// Whether it is the page's language.
    pub(crate) pressed: bool,
}

impl Layout {
    /// The layout of a page seen by somebody who has not chosen a role (entry page, errors).
    pub(crate) fn anonymous(section: Section) -> Self {
        Layout {
            role: None,
            role_slug: "",
            name: None,
            is_staff: false,
            section,
            live: "",
            live_ticket: 0,
            csrf: crate::csrf::current_token(),
            theme: Theme::Auto,
            back: String::new(),
            lang: Lang::En,
            zone: String::new(),
            zone_short: String::new(),
        }
        .with_theme()
        .with_language()
    }

    /// This layout in the request's language, with the campus time zone's name
    /// ([`crate::language`]).
    pub(crate) fn with_language(mut self) -> Self {
        self.lang = crate::language::current();
        (self.zone, self.zone_short) = crate::language::time_zone();
        self
    }

    /// The message `key` in the page's language ([`Lang::t`]).
    pub(crate) fn t(&self, key: &str) -> String {
        self.lang.t(key)
    }

    /// The message `key` with the variable `name` set to `value` (text, or a number that picks
    /// the plural form and gets the language's thousands separator).
    pub(crate) fn t1<'a>(&self, key: &str, name: &str, value: impl Into<FluentValue<'a>>) -> String {
        self.lang.t_with(key, &[(name, value.into())])
    }

    /// The message `key` with two variables, see [`Layout::t1`].
    pub(crate) fn t2<'a>(
        &self,
        key: &str,
        name1: &str,
        value1: impl Into<FluentValue<'a>>,
        name2: &str,
        value2: impl Into<FluentValue<'a>>,
    ) -> String {
        self.lang.t_with(key, &[(name1, value1.into()), (name2, value2.into())])
    }

    /// The message `key` as a page script (`static/*.js`) reads it from the page: each variable
    /// of [`SCRIPT_VARIABLES`] stays as its placeholder `{name}` for the script to fill in, and
    /// `$field` is `field` (`title`, `description`, `message`; empty for a message naming no
    /// field). `text-too-long` for `title` in English: "The title is {len} characters long; at
    /// most {max} are allowed."
    pub(crate) fn script_text(&self, key: &str, field: &str) -> String {
        let mut args: Vec<(&str, FluentValue<'_>)> =
            SCRIPT_VARIABLES.iter().map(|name| (*name, FluentValue::from(format!("{{{name}}}")))).collect();
        args.push(("field", FluentValue::from(field)));
        self.lang.t_with(key, &args)
    }

    /// `n` (an `i64` or `usize`, or a reference to one, as templates pass them) with the page
    /// language's thousands separator ("12,345" / "12.345").
    pub(crate) fn number(&self, n: impl WholeNumber) -> String {
        self.lang.number(n.whole())
    }

    /// The footer's language switcher: every language, the page's marked.
    pub(crate) fn languages(&self) -> Vec<LanguageChoice> {
        Lang::ALL
            .into_iter()
            .map(|l| LanguageChoice { code: l.code(), name: l.native_name(), pressed: l == self.lang })
            .collect()
    }

    /// This layout with the request's pinned colour scheme and address ([`crate::theme`]).
    pub(crate) fn with_theme(mut self) -> Self {
        (self.theme, self.back) = crate::theme::current();
        self
    }

    /// Whether this page belongs to the navigation area named `name` (`tickets`, `new`,
    /// `dashboard`, `entry`), for `aria-current`.
    pub(crate) fn current(&self, name: &str) -> bool {
        let mine = match self.section {
            Section::Entry => "entry",
            Section::Tickets => "tickets",
            Section::NewTicket => "new",
            Section::Dashboard => "dashboard",
            Section::Imports => "imports",
            Section::Other => "",
        };
        mine == name
    }

    /// This layout with live updates for the ticket list.
    pub(crate) fn live_list(mut self) -> Self {
        self.live = "list";
        self
    }

    /// This layout with live updates for the dashboard (its figures, refreshed on any change).
    pub(crate) fn live_dashboard(mut self) -> Self {
        self.live = "dashboard";
        self
    }

    /// This layout with live updates for ticket `id`.
    pub(crate) fn live_ticket(mut self, id: i64) -> Self {
        self.live = "ticket";
        self.live_ticket = id;
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_text_leaves_the_browser_s_values_as_placeholders() {
        let mut layout = Layout::anonymous(Section::Other);
        assert_eq!(
            layout.script_text("text-too-long", "title"),
            "The title is {len} characters long; at most {max} are allowed."
        );
        assert_eq!(
            layout.script_text("script-count-over", ""),
            "{used} of {max} characters: {over} too many"
        );
        layout.lang = Lang::De;
        assert_eq!(layout.script_text("text-empty", "message"), "Die Nachricht darf nicht leer sein.");
        layout.lang = Lang::It;
        assert_eq!(layout.script_text("script-hint-words", ""), "Parole decisive: {words}");
        assert_eq!(
            layout.script_text("text-too-long", "description"),
            "La descrizione è lunga {len} caratteri; ne sono ammessi al massimo {max}."
        );
    }
}
