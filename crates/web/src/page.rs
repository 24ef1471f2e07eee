//! Page plumbing shared by every area: the [`HtmlTemplate`] response wrapper and the
//! [`Layout`] data the base template (`templates/base.html`) needs on every page.

use askama::Template;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};

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

/// What `base.html` shows around every page: who the visitor declared to be.
#[derive(Debug, Clone)]
pub(crate) struct Layout {
    /// "Campus user" / "Helpdesk staff"; `None` before a role is chosen.
    pub(crate) role: Option<&'static str>,
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
    /// This page's path and query, where the appearance switch comes back to.
    pub(crate) back: String,
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
        }
        .with_theme()
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
