//! The declared role: the entry page (`GET /`), `POST /session` that sets the role and name
//! cookies, `POST /session/end` that clears them, and the [`Session`] extractor every other
//! page uses (no role cookie: redirect to `/`).
//!
//! There is no login, by requirement: the role is declared by the visitor and forwarded to the
//! services as a [`domain::Actor`]. The cookies are `HttpOnly`, `SameSite=Lax`, `Path=/`.

use askama::Template;
use axum::extract::{FromRequestParts, State};
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::CookieJar;
use axum_extra::extract::cookie::{Cookie, SameSite};
use domain::{Actor, AuthorName, Role};
use serde::Deserialize;
use serving::ClientAddr;

use crate::AppState;
use crate::error::WebError;
use crate::extract::WebForm;
use crate::language::current;
use crate::page::{HtmlTemplate, Layout, Section};

/// Cookie holding the declared role: `user` or `staff`.
pub(crate) const ROLE_COOKIE: &str = "campusdesk_role";
/// Cookie holding the optional display name (percent-encoded by the cookie layer).
pub(crate) const NAME_COOKIE: &str = "campusdesk_name";

/// Who the visitor declared to be, read from the cookies.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Session {
    pub(crate) role: Role,
    pub(crate) name: Option<AuthorName>,
}

impl Session {
    /// The session in `jar`: `None` without a valid role cookie. A name cookie that is no
    /// longer a valid name is ignored (the visitor stays, unnamed).
    pub(crate) fn from_jar(jar: &CookieJar) -> Option<Self> {
        let role = jar.get(ROLE_COOKIE)?.value().parse::<Role>().ok()?;
        let name =
            jar.get(NAME_COOKIE).and_then(|c| AuthorName::parse_optional(Some(c.value())).ok().flatten());
        Some(Session { role, name })
    }

    /// The actor the services are called as.
    pub(crate) fn actor(&self) -> Actor {
        Actor { role: self.role, name: self.name.clone() }
    }

    pub(crate) fn is_staff(&self) -> bool {
        self.role == Role::Staff
    }

    /// The base-template data for a page in `section`.
    pub(crate) fn layout(&self, section: Section) -> Layout {
        let lang = crate::language::current();
        Layout {
            role: Some(lang.t(role_key(self.role))),
            role_slug: self.role.as_str(),
            name: self.name.as_ref().map(|n| n.as_str().to_owned()),
            is_staff: self.is_staff(),
            section,
            live: "",
            live_ticket: 0,
            csrf: crate::csrf::current_token(),
            theme: crate::theme::Theme::Auto,
            back: String::new(),
            lang,
            zone: String::new(),
            zone_short: String::new(),
        }
        .with_theme()
        .with_language()
    }
}

/// The message id of `role`'s name ("Campus user", "Helpdesk staff").
pub(crate) fn role_key(role: Role) -> &'static str {
    match role {
        Role::User => "role-user",
        Role::Staff => "role-staff",
    }
}

tokio::task_local! {
    /// The visitor of the request being answered, for pages built without the extractor.
    static VISITOR: Option<Session>;
}

/// Middleware: reads who the visitor declared to be (if anyone) for the request's error pages
/// ([`visitor_layout`]), so a 404 or 500 keeps the menu and the role badge.
pub(crate) async fn scope(request: axum::extract::Request, next: axum::middleware::Next) -> Response {
    let visitor = Session::from_jar(&CookieJar::from_headers(request.headers()));
    VISITOR.scope(visitor, next.run(request)).await
}

/// The layout of a page in `section` for the visitor of the request being answered: their
/// role, name and CSRF token when they chose a role, else [`Layout::anonymous`] (also outside
/// a request).
pub(crate) fn visitor_layout(section: Section) -> Layout {
    VISITOR
        .try_with(|visitor| visitor.as_ref().map(|session| session.layout(section)))
        .ok()
        .flatten()
        .unwrap_or_else(|| Layout::anonymous(section))
}

impl<S: Send + Sync> FromRequestParts<S> for Session {
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        Session::from_jar(&CookieJar::from_headers(&parts.headers)).ok_or(WebError::NoSession)
    }
}

/// `templates/entry/index.html`.
#[derive(Debug, Template)]
#[template(path = "entry/index.html")]
pub(crate) struct EntryTemplate {
    pub(crate) layout: Layout,
    /// `user`, `staff` or empty: the role radio to pre-select.
    pub(crate) role: String,
    pub(crate) name: String,
    pub(crate) role_error: Option<String>,
    pub(crate) name_error: Option<String>,
    /// A sentence about the whole form (too many role changes from this address).
    pub(crate) form_error: Option<String>,
    pub(crate) left: bool,
}

/// Query of `GET /`.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct EntryQuery {
    left: Option<String>,
}

/// `GET /`: pick a role. Shows the current choice when there is one.
pub(crate) async fn show_entry(
    jar: CookieJar,
    crate::extract::WebQuery(query): crate::extract::WebQuery<EntryQuery>,
) -> HtmlTemplate<EntryTemplate> {
    let session = Session::from_jar(&jar);
    let layout = match &session {
        Some(s) => s.layout(Section::Entry),
        None => Layout::anonymous(Section::Entry),
    };
    HtmlTemplate::new(EntryTemplate {
        layout,
        role: session.as_ref().map(|s| s.role.as_str().to_owned()).unwrap_or_default(),
        name: session.and_then(|s| s.name).map(String::from).unwrap_or_default(),
        role_error: None,
        name_error: None,
        form_error: None,
        left: query.left.is_some(),
    })
}

/// Body of `POST /session`.
#[derive(Debug, Deserialize)]
pub(crate) struct EntryForm {
    #[serde(default)]
    role: String,
    #[serde(default)]
    name: String,
}

/// A cookie that tells the browser to forget `name` (empty, expired), sent whether or not the
/// request carried it.
fn removal_cookie(name: &'static str) -> Cookie<'static> {
    let mut cookie = Cookie::build((name, "")).http_only(true).same_site(SameSite::Lax).path("/").build();
    cookie.make_removal();
    cookie
}

fn session_cookie(name: &'static str, value: String) -> Cookie<'static> {
    Cookie::build((name, value)).http_only(true).same_site(SameSite::Lax).path("/").build()
}

/// Checks the entry form: the role and the optional name, or the template re-rendered with the
/// message next to the field at fault and the typed text kept.
pub(crate) fn parse_entry(form: &EntryForm) -> Result<Session, Box<EntryTemplate>> {
    let role = form.role.parse::<Role>();
    let name = AuthorName::parse_optional(Some(&form.name));
    match (role, name) {
        (Ok(role), Ok(name)) => Ok(Session { role, name }),
        (role, name) => Err(Box::new(EntryTemplate {
            layout: Layout::anonymous(Section::Entry),
            role: form.role.clone(),
            name: form.name.clone(),
            role_error: role.err().map(|_| current().t("entry-role-missing")),
            name_error: name.err().map(|e| current().text_error(&e)),
            form_error: None,
            left: false,
        })),
    }
}

/// `POST /session`: sets the role (and name) cookies and goes to the ticket list; a bad form is
/// shown again with the error inline (422). Over the session rate limit of the client address
/// the form comes back with a sentence saying when to try again, the choice kept and nothing
/// changed (429 with `Retry-After`).
pub(crate) async fn start_session(
    State(state): State<AppState>,
    client: ClientAddr,
    jar: CookieJar,
    WebForm(form): WebForm<EntryForm>,
) -> Response {
    if let Err(wait) = state.sessions.check(client.0) {
        return too_many_session_changes(&jar, &form, wait.seconds());
    }
    match parse_entry(&form) {
        Ok(session) => {
            let jar = jar.add(session_cookie(ROLE_COOKIE, session.role.as_str().to_owned()));
            let jar = match session.name {
                Some(name) => jar.add(session_cookie(NAME_COOKIE, name.into_inner())),
                None => jar.add(removal_cookie(NAME_COOKIE)),
            };
            (jar, Redirect::to("/tickets")).into_response()
        }
        Err(template) => {
            HtmlTemplate::with_status(*template, StatusCode::UNPROCESSABLE_ENTITY).into_response()
        }
    }
}

/// The entry page again, with the person's choice kept and a sentence saying when to try
/// again (429, `Retry-After: seconds`).
fn too_many_session_changes(jar: &CookieJar, form: &EntryForm, seconds: u64) -> Response {
    let layout = match Session::from_jar(jar) {
        Some(session) => session.layout(Section::Entry),
        None => Layout::anonymous(Section::Entry),
    };
    let template = EntryTemplate {
        layout,
        role: form.role.clone(),
        name: form.name.clone(),
        role_error: None,
        name_error: None,
        form_error: Some(current().t_with("entry-too-often", &[("seconds", seconds.into())])),
        left: false,
    };
    let mut response = HtmlTemplate::with_status(template, StatusCode::TOO_MANY_REQUESTS).into_response();
    response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(seconds));
    response
}

/// `POST /session/end`: forgets the role and name, back to the entry page.
pub(crate) async fn end_session(jar: CookieJar) -> Response {
    let jar = jar.add(removal_cookie(ROLE_COOKIE)).add(removal_cookie(NAME_COOKIE));
    (jar, Redirect::to("/?left=1")).into_response()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use axum::http::HeaderMap;

    fn jar(cookie_header: &str) -> CookieJar {
        let mut headers = HeaderMap::new();
        headers.insert(header::COOKIE, HeaderValue::from_str(cookie_header).unwrap());
        CookieJar::from_headers(&headers)
    }

    #[test]
    fn role_cookie_is_parsed_with_optional_name() {
        let session =
            Session::from_jar(&jar("campusdesk_role=staff; campusdesk_name=Ana%20B%C3%B6hm")).unwrap();
        assert_eq!(session.role, Role::Staff);
        assert_eq!(session.name.unwrap().as_str(), "Ana Böhm");
        let session = Session::from_jar(&jar("campusdesk_role=user")).unwrap();
        assert_eq!(session.actor(), Actor { role: Role::User, name: None });
    }

    #[test]
    fn missing_or_unknown_role_means_no_session() {
        assert_eq!(Session::from_jar(&jar("campusdesk_name=Ana")), None);
        assert_eq!(Session::from_jar(&jar("campusdesk_role=admin")), None);
    }

    #[test]
    fn bad_entry_form_keeps_what_was_typed() {
        let long = "x".repeat(AuthorName::MAX_CHARS + 1);
        let form = EntryForm { role: "staff".into(), name: long.clone() };
        let template = parse_entry(&form).unwrap_err();
        assert_eq!(template.name, long);
        assert!(template.name_error.as_deref().unwrap().contains("at most 60 are allowed"));
        let html = template.render().unwrap();
        assert!(html.contains(&long));
        assert!(html.contains("at most 60"));
    }

    #[test]
    fn over_the_limit_the_entry_form_comes_back_with_a_sentence_and_the_choice_kept() {
        let form = EntryForm { role: "staff".into(), name: "Ana".into() };
        let response = too_many_session_changes(&jar("campusdesk_role=user"), &form, 12);
        assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(response.headers()[header::RETRY_AFTER], "12");
        assert!(response.headers().get(header::SET_COOKIE).is_none(), "nothing changed");
    }

    #[test]
    fn entry_form_accepts_a_blank_name() {
        let form = EntryForm { role: "user".into(), name: "  ".into() };
        assert_eq!(parse_entry(&form).unwrap(), Session { role: Role::User, name: None });
    }
}
