//! Cross-site request forgery protection for every state-changing request of the web UI.
//!
//! Two independent checks guard each `POST` (any method but `GET`, `HEAD`, `OPTIONS`):
//!
//! 1. **Where it comes from.** A browser says which page sent a request: `Sec-Fetch-Site`
//!    (when present) must be `same-origin`, and `Origin` (when present) must be the web UI's
//!    own public origin ([`PublicOrigin`]). A page on another site, or on another port of the
//!    same host, fails here. Clients that send neither header (scripts, tests) pass on to the
//!    second check.
//! 2. **A per-browser token.** The first answer to a browser sets the cookie `campusdesk_csrf`
//!    (128 random bits, hex; `HttpOnly`, `SameSite=Lax`, `Path=/`), and every form carries the
//!    same value in its hidden field `csrf` (from [`Layout`](crate::page::Layout)). A request is
//!    accepted only when the field (or the `X-Campusdesk-Csrf` header, or a `csrf` query
//!    parameter for forms that are not url-encoded) equals the cookie. Another site cannot read
//!    the cookie, so it cannot fill in the field.
//!
//! One path skips the second check: `POST /unsubscribe/{token}`. Its permission is the
//! unguessable token in the path, not a cookie the browser adds on its own, so a forging site
//! that does not know the token can do nothing there, and one that does needs no forgery. A
//! mail provider's one-click unsubscribe (RFC 8058, section 3.2) posts there from its own
//! servers, without cookies ("MUST NOT include cookies") and so without a form token. The
//! first check still applies: a browser's post from another site is refused.
//!
//! A refused request reaches no handler, so it changes nothing; the person gets a 403 page with
//! the menu and a sentence saying to reload the page and send again. The cookie is set (or
//! kept) on that page too, so reloading the form and sending again works.

use axum::body::{Body, to_bytes};
use axum::extract::{Request, State};
use axum::http::header::{CONTENT_TYPE, HOST, ORIGIN, SET_COOKIE};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum_extra::extract::CookieJar;
use axum_extra::extract::cookie::{Cookie, SameSite};

use crate::AppState;
use crate::error::ErrorTemplate;
use crate::page::{HtmlTemplate, Layout, Section};
use crate::session::Session;

/// The cookie holding the browser's token.
pub(crate) const CSRF_COOKIE: &str = "campusdesk_csrf";
/// The hidden form field (and query parameter) that must repeat the cookie.
pub(crate) const CSRF_FIELD: &str = "csrf";
/// The header scripts may send the token in instead of the form field.
const CSRF_HEADER: &str = "x-campusdesk-csrf";
/// Where the unsubscribe links of the e-mails point: no form token needed (see the module docs).
const UNSUBSCRIBE_PREFIX: &str = "/unsubscribe/";
/// Length of a token: 16 random bytes as lowercase hex.
const TOKEN_LEN: usize = 32;
/// Largest url-encoded form body the check reads (and any form handler accepts): 2 MiB, axum's
/// default body limit, far above the longest text a form allows.
pub(crate) const FORM_BODY_LIMIT: usize = 2 * 1024 * 1024;

tokio::task_local! {
    /// The token of the request being answered, for the forms of the page it renders.
    static TOKEN: String;
}

/// The CSRF token of the request being answered (empty outside a request), for a page's
/// hidden `csrf` fields.
pub(crate) fn current_token() -> String {
    TOKEN.try_with(Clone::clone).unwrap_or_default()
}

/// The origin (`scheme://host[:port]`) people reach the web UI at, which a form post's
/// `Origin` header must name.
#[derive(Debug, Clone, Default)]
pub struct PublicOrigin {
    /// The configured origins (lowercase, no trailing slash); empty means "the one the request
    /// was addressed to": `X-Forwarded-Proto` (else `http`) `://` `X-Forwarded-Host` (else
    /// `Host`).
    configured: Vec<String>,
}

impl PublicOrigin {
    /// Reads a comma-separated list of origins such as `https://helpdesk.example.edu` (a
    /// trailing slash is ignored). `None` or a blank value means: derive the origin from each
    /// request: `X-Forwarded-Proto` (else `http`) `://` `X-Forwarded-Host` (else `Host`).
    ///
    /// Errors: a listed value that is not `http://HOST[:PORT]` or `https://HOST[:PORT]`.
    pub fn parse(raw: Option<&str>) -> anyhow::Result<Self> {
        let mut configured = Vec::new();
        for item in raw.unwrap_or_default().split(',').map(str::trim).filter(|s| !s.is_empty()) {
            let origin = item.trim_end_matches('/').to_ascii_lowercase();
            let host = origin.strip_prefix("http://").or_else(|| origin.strip_prefix("https://"));
            if host.is_none_or(|h| h.is_empty() || h.contains(['/', '?', '#', '@', ' '])) {
                anyhow::bail!(
                    "the public origin {item:?} is not an origin; give one like https://helpdesk.example.edu \
                     or http://127.0.0.1:8080"
                );
            }
            configured.push(origin);
        }
        Ok(PublicOrigin { configured })
    }

    /// The origin links handed to people should name (a private link, say): the first
    /// configured origin, else the one this request was sent to (as [`PublicOrigin::parse`]
    /// describes); empty when neither is known (the link is then a path on this site).
    pub(crate) fn link_origin(&self, headers: &HeaderMap) -> String {
        self.expected(headers).into_iter().next().unwrap_or_default()
    }

    /// The origins a request may come from: the configured ones, or else the one the request
    /// was sent to: `X-Forwarded-Proto` (else `http`) `://` `X-Forwarded-Host` (else `Host`),
    /// as a reverse proxy such as the deploy/ Caddy passes them. A browser cannot set these
    /// headers on a cross-site form post, so deriving them from the request is safe.
    fn expected(&self, headers: &HeaderMap) -> Vec<String> {
        if !self.configured.is_empty() {
            return self.configured.clone();
        }
        let first = |name: &str| {
            headers
                .get(name)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.split(',').next())
                .map(|v| v.trim().to_ascii_lowercase())
                .filter(|v| !v.is_empty())
        };
        let scheme = first("x-forwarded-proto").unwrap_or_else(|| "http".to_owned());
        match first("x-forwarded-host").or_else(|| first(HOST.as_str())) {
            Some(host) => vec![format!("{scheme}://{host}")],
            None => Vec::new(),
        }
    }
}

/// Why a request was refused (logged; the person sees one sentence).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Refusal {
    /// `Sec-Fetch-Site` other than `same-origin`.
    OtherSite,
    /// `Origin` not the web UI's own.
    OtherOrigin,
    /// The token is missing or differs from the cookie.
    Token,
}

/// Checks where an unsafe request comes from (see the module docs).
fn check_source(public: &PublicOrigin, headers: &HeaderMap) -> Result<(), Refusal> {
    if let Some(site) = headers.get("sec-fetch-site")
        && site.as_bytes() != b"same-origin"
    {
        return Err(Refusal::OtherSite);
    }
    match headers.get(ORIGIN) {
        None => Ok(()),
        Some(origin) => {
            let origin = origin.to_str().unwrap_or_default().trim_end_matches('/').to_ascii_lowercase();
            if public.expected(headers).contains(&origin) { Ok(()) } else { Err(Refusal::OtherOrigin) }
        }
    }
}

/// A fresh token: 16 bytes from the operating system's random source, as hex.
pub(crate) fn new_token() -> String {
    let mut bytes = [0u8; TOKEN_LEN / 2];
    // The OS source does not fail on the platforms we run on; should it, every form is refused
    // (the empty-looking token never matches a cookie) rather than a guessable token handed out.
    if getrandom::fill(&mut bytes).is_err() {
        tracing::error!("the operating system's random source failed; forms cannot be accepted");
        return String::new();
    }
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn well_formed(token: &str) -> bool {
    token.len() == TOKEN_LEN && token.bytes().all(|b| b.is_ascii_hexdigit())
}

/// Whether two tokens are equal, comparing every byte (no early exit a timer could observe).
fn same_token(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// The `csrf` value of a url-encoded string (a form body or a query string).
fn token_in(encoded: &[u8]) -> Option<String> {
    form_urlencoded::parse(encoded).find(|(k, _)| k == CSRF_FIELD).map(|(_, v)| v.into_owned())
}

/// What the checks made of a request.
enum Verdict {
    /// Passes on to the handler (its body re-attached when it was read).
    Pass(Box<Request>),
    /// Refused (403 page).
    Refuse(Refusal),
    /// The form body is over [`FORM_BODY_LIMIT`] (413 page).
    TooLarge,
}

/// Middleware: refuses unsafe requests that fail a check (403 page, no handler runs), makes
/// sure the browser has a token cookie, and makes the token available to the page's forms
/// ([`current_token`]).
pub(crate) async fn protect(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let jar = CookieJar::from_headers(request.headers());
    let cookie = jar.get(CSRF_COOKIE).map(|c| c.value().to_owned()).filter(|t| well_formed(t));
    let token = cookie.clone().unwrap_or_else(new_token);
    let verdict = if request.method().is_safe() {
        Verdict::Pass(Box::new(request))
    } else {
        check_request(&state.public_origin, cookie.as_deref(), request).await
    };
    let mut response = TOKEN
        .scope(token.clone(), async move {
            match verdict {
                Verdict::Pass(request) => next.run(*request).await,
                Verdict::Refuse(refusal) => refused_page(refusal, &jar),
                Verdict::TooLarge => too_large_page(&jar),
            }
        })
        .await;
    if cookie.is_none() && well_formed(&token) {
        let cookie = Cookie::build((CSRF_COOKIE, token)).http_only(true).same_site(SameSite::Lax).path("/");
        if let Ok(value) = HeaderValue::from_str(&cookie.to_string()) {
            response.headers_mut().append(SET_COOKIE, value);
        }
    }
    response
}

/// Runs both checks on an unsafe request.
async fn check_request(public: &PublicOrigin, cookie: Option<&str>, request: Request) -> Verdict {
    if let Err(refusal) = check_source(public, request.headers()) {
        return Verdict::Refuse(refusal);
    }
    if request.uri().path().starts_with(UNSUBSCRIBE_PREFIX) {
        return Verdict::Pass(Box::new(request));
    }
    let Some(cookie) = cookie else { return Verdict::Refuse(Refusal::Token) };
    let from_header = request.headers().get(CSRF_HEADER).and_then(|v| v.to_str().ok()).map(str::to_owned);
    let from_query = request.uri().query().and_then(|q| token_in(q.as_bytes()));
    let url_encoded = request.headers().get(CONTENT_TYPE).and_then(|v| v.to_str().ok()).is_some_and(|v| {
        v.trim_start().to_ascii_lowercase().starts_with("application/x-www-form-urlencoded")
    });
    let (request, from_body) = if url_encoded && from_header.is_none() {
        let (parts, body) = request.into_parts();
        let Ok(bytes) = to_bytes(body, FORM_BODY_LIMIT).await else {
            return Verdict::TooLarge;
        };
        let token = token_in(&bytes);
        (Request::from_parts(parts, Body::from(bytes)), token)
    } else {
        (request, None)
    };
    let sent = from_body.or(from_header).or(from_query).unwrap_or_default();
    if same_token(&sent, cookie) { Verdict::Pass(Box::new(request)) } else { Verdict::Refuse(Refusal::Token) }
}

/// The 403 page of a refused request, with the menu of the visitor's role.
fn refused_page(refusal: Refusal, jar: &CookieJar) -> Response {
    tracing::warn!(?refusal, "a form post was refused by the cross-site request check");
    let layout = match Session::from_jar(jar) {
        Some(session) => session.layout(Section::Other),
        None => Layout::anonymous(Section::Other),
    };
    let lang = crate::language::current();
    let template = ErrorTemplate {
        layout,
        status: 403,
        heading: lang.t("error-form-refused-heading"),
        sentence: lang.t("error-form-refused"),
    };
    HtmlTemplate::with_status(template, StatusCode::FORBIDDEN).into_response()
}

/// The too-large answer of a form body over [`FORM_BODY_LIMIT`].
fn too_large_page(jar: &CookieJar) -> Response {
    let layout = match Session::from_jar(jar) {
        Some(session) => session.layout(Section::Other),
        None => Layout::anonymous(Section::Other),
    };
    let lang = crate::language::current();
    let sentence =
        lang.t_with("error-form-too-large", &[("limit", (FORM_BODY_LIMIT / (1024 * 1024)).into())]);
    let template =
        ErrorTemplate { layout, status: 413, heading: lang.t("error-form-too-large-heading"), sentence };
    HtmlTemplate::with_status(template, StatusCode::PAYLOAD_TOO_LARGE).into_response()
}
