//! The campusdesk web UI: server-rendered HTML pages over the ticket and analytics services.
//!
//! The crate is a "backend for the frontend": the browser talks only to it, and it calls the
//! ticket service ([`api::TicketsClient`]) and the analytics service ([`api::AnalyticsClient`])
//! over HTTP, forwarding the role and display name the visitor declared on the entry page as a
//! [`domain::Actor`]. There is no login, by requirement: the role is declared, not proven; the
//! ticket service enforces what each role may do.
//!
//! Every sentence a page shows comes from a message catalogue (Project Fluent, `locales/`),
//! in the language the browser chose or asks for (the `language` and `catalogue` modules).
//!
//! Pages work without JavaScript. Templates are askama (auto-escaped) under `templates/`; CSS
//! and the small scripts (live updates, the new-ticket form's category hint, the title's
//! character counter, the keyboard shortcuts) are embedded from `static/` and served under
//! `/static/`, so a strict Content-Security-Policy holds (no inline script or style).
//!
//! Routes:
//!
//! | method, path | page |
//! | --- | --- |
//! | `GET /` | entry page: declare a role (campus user or helpdesk staff) and an optional name |
//! | `POST /session`, `POST /session/end` | set / clear the role cookies |
//! | `POST /appearance` | pin the light or dark colour scheme, or follow the device again (cookie) |
//! | `POST /language` | choose the pages' language: English, Italiano, Deutsch (cookie; else `Accept-Language`) |
//! | `GET /tickets` | ticket list: search and "Go to ticket #" for everyone, filters and paging; "Reported from this browser" above it |
//! | `GET /tickets/new`, `POST /tickets` | report a problem |
//! | `POST /tickets/classify` | JSON: the category a draft would get (the form's live hint) |
//! | `GET /tickets/{id}` | one ticket: facts, edit form, transition, thread, activity |
//! | `POST /tickets/{id}` | save an edit (optimistic version check) |
//! | `POST /tickets/{id}/status` | staff: move `open -> active -> closed` |
//! | `POST /tickets/{id}/messages` | post to the thread |
//! | `GET /r/{token}` | the reporter's private link, for anyone holding it (no role needed): the ticket, its thread, the outcome when closed |
//! | `POST /r/{token}/messages` | the reporter replies (while not closed) |
//! | `GET /r/{token}/attachments/{id}` (and `/thumbnail`) | a file of that ticket, for the link's holder (any status) |
//! | `GET /dashboard` | staff: the three analyses, chart (SVG) and table |
//! | `GET /imports/new`, `POST /imports` | staff: upload a CSV file of tickets (multipart) |
//! | `GET /imports/{id}` | staff: an import's progress and outcome (reloads itself while it runs) |
//! | `GET /live?after=SEQ` | server-sent events: the ticket service's change feed, reduced |
//! | `GET /static/{file}` | embedded CSS, JS and icon |
//! | `GET /healthz` | 200 when the process serves |
//!
//! Every POST must come from the web UI's own pages: its `Origin` (and `Sec-Fetch-Site`) must
//! be the web UI's public origin, and its hidden `csrf` field must repeat the browser's
//! `campusdesk_csrf` cookie; anything else gets a 403 page and changes nothing.

use std::future::Future;
use std::sync::Arc;

use anyhow::Context as _;
use api::{AnalyticsClient, TicketsClient};
use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderName, HeaderValue, header};
use axum::routing::{get, post};
use jiff::tz::TimeZone;
use tokio::sync::watch;
use tower_http::compression::CompressionLayer;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;

pub use csrf::PublicOrigin;

mod assets;
mod attachments;
mod catalogue;
mod chart;
mod csrf;
mod dashboard;
mod error;
mod extract;
mod hint;
mod imports;
mod language;
mod live;
mod page;
mod reporter;
mod session;
mod theme;
mod tickets;
mod unsubscribe;
mod view;

/// The Content-Security-Policy sent with every response: everything comes from this server,
/// no inline script or style, no framing, forms post only here.
const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; style-src 'self'; \
     img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

/// Room for a multipart upload's boundaries and small fields on top of the file itself: 64 KiB.
const MULTIPART_OVERHEAD: usize = 64 * 1024;

/// Where the web UI finds the services it calls, and how it shows times.
#[derive(Debug, Clone)]
pub struct Config {
    /// Base URL of the ticket service, e.g. `http://127.0.0.1:8081` (without `/api/v1`).
    pub tickets_url: String,
    /// Base URL of the analytics service, e.g. `http://127.0.0.1:8082`.
    pub analytics_url: String,
    /// The campus time zone: every time on a page is shown in it (stored times are UTC).
    pub time_zone: TimeZone,
    /// Connections, live pages, the rate limit of `POST /session` and the trusted proxies
    /// whose `X-Forwarded-For` names the person (forwarded to the ticket service in turn).
    pub limits: serving::Limits,
    /// The origin people reach the web UI at (e.g. `https://helpdesk.example.edu`), which the
    /// `Origin` header of every form post must name; by default ([`PublicOrigin::default`])
    /// the origin each request was addressed to (`Host`, or `X-Forwarded-Host` and
    /// `X-Forwarded-Proto` behind a proxy).
    pub public_origin: PublicOrigin,
    /// The ticket service's attachment limits (files per post, bytes per file): upload forms
    /// are read up to [`api::AttachmentLimits::max_body_bytes`] and say the limits.
    pub attachments: api::AttachmentLimits,
}

/// What every handler shares: the two typed service clients, the campus time zone, the
/// live-update hub and the limits. Cheap to clone.
#[derive(Clone)]
pub struct AppState {
    tickets: TicketsClient,
    analytics: AnalyticsClient,
    tz: TimeZone,
    /// The one upstream change stream, shared by every open live page.
    live: Arc<live::Hub>,
    /// Flips to `true` when the server shuts down, ending open live-update streams.
    stopping: Arc<watch::Sender<bool>>,
    /// `POST /session` per client address.
    sessions: Arc<serving::RateLimit>,
    limits: Arc<serving::Limits>,
    /// Where form posts must come from (see the `csrf` module).
    public_origin: PublicOrigin,
    /// Files per post and bytes per file, as the ticket service applies them.
    attachments: api::AttachmentLimits,
}

impl AppState {
    /// Builds the clients for the URLs in `config`. Makes no request (services may start later).
    pub fn new(config: &Config) -> Self {
        let http = api::http_client();
        let tickets = TicketsClient::with_http(http.clone(), &config.tickets_url);
        let stopping = Arc::new(watch::channel(false).0);
        AppState {
            live: Arc::new(live::Hub::new(tickets.clone(), stopping.subscribe(), config.limits.live_pages)),
            tickets,
            analytics: AnalyticsClient::with_http(http, &config.analytics_url),
            tz: config.time_zone.clone(),
            stopping,
            sessions: Arc::new(serving::RateLimit::new(config.limits.sessions)),
            limits: Arc::new(config.limits.clone()),
            public_origin: config.public_origin.clone(),
            attachments: config.attachments,
        }
    }
}

/// All pages and assets of the web UI, with the security headers (strict CSP, `nosniff`,
/// `Referrer-Policy: same-origin`) on every response. Unknown paths get a friendly 404 page.
/// Each request's client address is worked out once ([`serving::resolve_client`], behind the
/// configured trusted proxies). Every POST passes the cross-site request check (`Origin`
/// against [`Config::public_origin`] and a per-browser token: a refused post gets a 403 page
/// and changes nothing).
pub fn router(state: AppState) -> Router {
    let trusted = Arc::new(state.limits.trusted_proxies.clone());
    let protect = axum::middleware::from_fn_with_state(state.clone(), csrf::protect);
    let state_for_language = state.clone();
    // The two forms that take files read up to the attachment limits; every other route keeps
    // axum's default.
    let upload_limit = DefaultBodyLimit::max(state.attachments.max_body_bytes());
    Router::new()
        .route("/", get(session::show_entry))
        .route("/session", post(session::start_session))
        .route("/session/end", post(session::end_session))
        .route("/appearance", post(theme::set_theme))
        .route("/language", post(language::set_language))
        .route("/tickets/export.csv", get(tickets::export_tickets))
        .route("/tickets", get(tickets::list_tickets).post(tickets::create_ticket).layer(upload_limit))
        .route("/tickets/new", get(tickets::new_ticket))
        .route("/tickets/classify", post(hint::classify_draft))
        .route("/tickets/{id}", get(tickets::show_ticket).post(tickets::update_ticket))
        .route("/tickets/{id}/status", post(tickets::change_status))
        .route("/tickets/{id}/undo-close", post(tickets::undo_close))
        .route("/tickets/{id}/category/confirm", post(tickets::confirm_category))
        .route("/tickets/{id}/messages", post(tickets::post_message).layer(upload_limit))
        .route("/attachments/{id}", get(attachments::show_attachment))
        .route("/attachments/{id}/thumbnail", get(attachments::show_thumbnail))
        .route("/r/{token}", get(reporter::show_reporter_page))
        .route("/r/{token}/messages", post(reporter::post_reporter_reply))
        .route("/r/{token}/attachments/{id}", get(attachments::show_reporter_attachment))
        .route("/r/{token}/attachments/{id}/thumbnail", get(attachments::show_reporter_thumbnail))
        .route("/unsubscribe/{token}", get(unsubscribe::confirm_unsubscribe).post(unsubscribe::unsubscribe))
        .route("/dashboard", get(dashboard::show_dashboard))
        .route("/imports/new", get(imports::new_import))
        .route(
            "/imports",
            post(imports::start_import)
                .layer(DefaultBodyLimit::max(api::IMPORT_FILE_LIMIT + MULTIPART_OVERHEAD)),
        )
        .route("/imports/{id}", get(imports::show_import))
        .route("/live", get(live::stream_changes))
        .route("/static/{file}", get(assets::serve_asset))
        .route("/healthz", get(|| async { "ok" }))
        .fallback(error::page_not_found)
        .method_not_allowed_fallback(error::method_not_allowed)
        .with_state(state)
        .layer(protect)
        .layer(axum::middleware::from_fn(session::scope))
        .layer(axum::middleware::from_fn(theme::scope))
        .layer(axum::middleware::from_fn_with_state(state_for_language, language::scope))
        .layer(axum::middleware::from_fn_with_state(trusted, serving::resolve_client))
        // Served attachments set their own, stricter policy (`attachments::FILE_CSP`).
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(CONTENT_SECURITY_POLICY),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::REFERRER_POLICY,
            HeaderValue::from_static("same-origin"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            HeaderName::from_static("x-frame-options"),
            HeaderValue::from_static("DENY"),
        ))
        .layer(CompressionLayer::new())
        .layer(TraceLayer::new_for_http())
}

/// Serves the web UI on `listener` until `shutdown` completes, then ends open live-update
/// streams, finishes requests in flight and returns. Connections follow
/// `config.limits.connections` ([`serving::serve`]).
///
/// Errors: when the listener fails (accepting connections).
pub async fn serve(
    listener: tokio::net::TcpListener,
    config: Config,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()> {
    let state = AppState::new(&config);
    let stopping = state.stopping.clone();
    if let Ok(addr) = listener.local_addr() {
        tracing::info!(%addr, tickets = %config.tickets_url, analytics = %config.analytics_url, "web UI listening");
    }
    serving::serve(listener, router(state), config.limits.connections, async move {
        shutdown.await;
        stopping.send_replace(true);
    })
    .await
    .context("the web UI server failed")
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use axum::body::Body;
    use axum::http::{Request, StatusCode};
    use tower::ServiceExt as _;

    /// A router whose services are at an address where nothing listens.
    fn app() -> Router {
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let url = format!("http://127.0.0.1:{port}");
        router(AppState::new(&Config {
            tickets_url: url.clone(),
            analytics_url: url,
            time_zone: TimeZone::get("Europe/Berlin").unwrap(),
            limits: serving::Limits::default(),
            public_origin: PublicOrigin::default(),
            attachments: Default::default(),
        }))
    }

    async fn send(request: Request<Body>) -> (StatusCode, axum::http::HeaderMap, String) {
        let response = app().oneshot(request).await.unwrap();
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = axum::body::to_bytes(response.into_body(), 1 << 20).await.unwrap();
        (status, headers, String::from_utf8(bytes.to_vec()).unwrap())
    }

    const TOKEN: &str = "00112233445566778899aabbccddeeff";

    /// A POST carrying the CSRF cookie and the same token in its header, as a page's own form
    /// or script sends it; `cookie` adds the role cookies.
    fn post(uri: &str, cookie: Option<&str>) -> axum::http::request::Builder {
        let cookies = match cookie {
            Some(cookie) => format!("{cookie}; campusdesk_csrf={TOKEN}"),
            None => format!("campusdesk_csrf={TOKEN}"),
        };
        Request::post(uri).header(header::COOKIE, cookies).header("x-campusdesk-csrf", TOKEN)
    }

    fn get(uri: &str, cookie: Option<&str>) -> Request<Body> {
        let mut builder = Request::get(uri);
        if let Some(cookie) = cookie {
            builder = builder.header(header::COOKIE, cookie);
        }
        builder.body(Body::empty()).unwrap()
    }

    #[tokio::test]
    async fn health_answers_with_the_strict_csp() {
        let (status, headers, _) = send(get("/healthz", None)).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(headers[header::CONTENT_SECURITY_POLICY], CONTENT_SECURITY_POLICY);
        assert_eq!(headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
    }

    #[tokio::test]
    async fn pages_without_a_role_send_people_to_the_entry_page() {
        for uri in ["/tickets", "/tickets/1", "/dashboard", "/tickets/new"] {
            let (status, headers, _) = send(get(uri, None)).await;
            assert_eq!(status, StatusCode::SEE_OTHER, "{uri}");
            assert_eq!(headers[header::LOCATION], "/");
        }
        let (status, _, html) = send(get("/", None)).await;
        assert_eq!(status, StatusCode::OK);
        assert!(html.contains("There is no login, by design."));
        let (_, _, html) = send(get("/", Some("campusdesk_role=staff; campusdesk_name=Ana"))).await;
        assert!(html.contains("You are currently here as"));
        assert!(html.contains("action=\"/session/end\""));
        let request = post("/session/end", None).body(Body::empty()).unwrap();
        let (status, headers, _) = send(request).await;
        assert_eq!(status, StatusCode::SEE_OTHER);
        let cleared: Vec<_> =
            headers.get_all(header::SET_COOKIE).iter().map(|v| v.to_str().unwrap()).collect();
        assert!(cleared.iter().any(|c| c.starts_with("campusdesk_role=;")), "{cleared:?}");
    }

    #[tokio::test]
    async fn choosing_a_role_sets_http_only_cookies() {
        let request = post("/session", None)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from("role=staff&name=Ana+B%C3%B6hm"))
            .unwrap();
        let (status, headers, _) = send(request).await;
        assert_eq!(status, StatusCode::SEE_OTHER);
        assert_eq!(headers[header::LOCATION], "/tickets");
        let cookies: Vec<_> =
            headers.get_all(header::SET_COOKIE).iter().map(|v| v.to_str().unwrap()).collect();
        assert!(cookies.iter().any(|c| c.starts_with("campusdesk_role=staff")));
        assert!(
            cookies
                .iter()
                .all(|c| c.contains("HttpOnly") && c.contains("SameSite=Lax") && c.contains("Path=/"))
        );
    }

    /// A url-encoded `POST /session` choosing staff, from a browser with the CSRF cookie.
    fn session_post(host: &str, origin: Option<&str>) -> axum::http::request::Builder {
        let mut builder = Request::post("/session")
            .header(header::HOST, host)
            .header(header::COOKIE, format!("campusdesk_role=user; campusdesk_csrf={TOKEN}"))
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
        if let Some(origin) = origin {
            builder = builder.header(header::ORIGIN, origin);
        }
        builder
    }

    fn body(field: Option<&str>) -> Body {
        match field {
            Some(token) => Body::from(format!("role=staff&name=Eve&csrf={token}")),
            None => Body::from("role=staff&name=Eve"),
        }
    }

    fn sets_role(headers: &axum::http::HeaderMap) -> bool {
        headers
            .get_all(header::SET_COOKIE)
            .iter()
            .any(|v| v.to_str().unwrap().starts_with("campusdesk_role="))
    }

    #[tokio::test]
    async fn a_form_post_from_another_origin_or_without_the_token_is_refused() {
        let host = "127.0.0.1:8080";
        // The page's own form: same origin, the token in the hidden field.
        let request = session_post(host, Some("http://127.0.0.1:8080")).body(body(Some(TOKEN))).unwrap();
        let (status, headers, _) = send(request).await;
        assert_eq!(status, StatusCode::SEE_OTHER);
        assert!(sets_role(&headers));

        // Another port of the same host, another host, an opaque origin: refused, nothing set.
        for origin in ["http://127.0.0.1:9090", "http://127.0.0.2:8080", "https://127.0.0.1:8080", "null"] {
            let request = session_post(host, Some(origin)).body(body(Some(TOKEN))).unwrap();
            let (status, headers, html) = send(request).await;
            assert_eq!(status, StatusCode::FORBIDDEN, "{origin}");
            assert!(!sets_role(&headers), "{origin}");
            assert!(html.contains("nothing was changed"), "{html}");
            assert!(html.contains("href=\"/tickets\""), "the menu of the visitor's role is there");
        }

        // A browser naming the request cross-site or same-site (not same-origin): refused.
        for site in ["cross-site", "same-site"] {
            let request = session_post(host, Some("http://127.0.0.1:8080"))
                .header("sec-fetch-site", site)
                .body(body(Some(TOKEN)))
                .unwrap();
            assert_eq!(send(request).await.0, StatusCode::FORBIDDEN, "{site}");
        }

        // No token, a wrong token, or no cookie: refused, even from the right origin.
        let request = session_post(host, Some("http://127.0.0.1:8080")).body(body(None)).unwrap();
        assert_eq!(send(request).await.0, StatusCode::FORBIDDEN);
        let wrong = "ffffffffffffffffffffffffffffffff";
        let request = session_post(host, None).body(body(Some(wrong))).unwrap();
        assert_eq!(send(request).await.0, StatusCode::FORBIDDEN);
        let request = Request::post("/session/end")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(format!("csrf={TOKEN}")))
            .unwrap();
        let (status, headers, _) = send(request).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        // ...and the refusal hands out a token, so reloading the form and sending again works.
        assert!(
            headers
                .get_all(header::SET_COOKIE)
                .iter()
                .any(|v| v.to_str().unwrap().starts_with("campusdesk_csrf="))
        );
    }

    #[tokio::test]
    async fn behind_a_proxy_the_forwarded_host_or_the_configured_origin_counts() {
        // Caddy passes the public host and scheme on; the service itself listens elsewhere.
        let request = session_post("web:8080", Some("https://helpdesk.example.edu"))
            .header("x-forwarded-host", "helpdesk.example.edu")
            .header("x-forwarded-proto", "https")
            .body(body(Some(TOKEN)))
            .unwrap();
        assert_eq!(send(request).await.0, StatusCode::SEE_OTHER);

        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let url = format!("http://127.0.0.1:{port}");
        let configured = router(AppState::new(&Config {
            tickets_url: url.clone(),
            analytics_url: url,
            time_zone: TimeZone::UTC,
            limits: serving::Limits::default(),
            public_origin: PublicOrigin::parse(Some("https://helpdesk.example.edu/")).unwrap(),
            attachments: Default::default(),
        }));
        for (origin, wanted) in [
            ("https://helpdesk.example.edu", StatusCode::SEE_OTHER),
            ("http://web:8080", StatusCode::FORBIDDEN),
        ] {
            let request = session_post("web:8080", Some(origin)).body(body(Some(TOKEN))).unwrap();
            let response = configured.clone().oneshot(request).await.unwrap();
            assert_eq!(response.status(), wanted, "{origin}");
        }
        assert!(PublicOrigin::parse(Some("helpdesk.example.edu")).is_err());
        assert!(PublicOrigin::parse(Some("https://a.example/path")).is_err());
    }

    #[tokio::test]
    async fn every_form_of_a_page_carries_the_browser_token() {
        let (_, headers, html) =
            send(get("/", Some(&format!("campusdesk_role=staff; campusdesk_csrf={TOKEN}")))).await;
        // The entry form, the leave form and the footer's appearance and language switches.
        assert_eq!(html.matches("<form").count(), 4, "{html}");
        assert_eq!(html.matches(&format!("name=\"csrf\" value=\"{TOKEN}\"")).count(), 4, "{html}");
        assert!(headers.get(header::SET_COOKIE).is_none(), "a browser keeps its token");

        // A first visit gets a fresh token, in the cookie and in the forms alike.
        let (_, headers, html) = send(get("/", None)).await;
        let cookie = headers[header::SET_COOKIE].to_str().unwrap().to_owned();
        assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"), "{cookie}");
        let token = cookie.strip_prefix("campusdesk_csrf=").unwrap().split(';').next().unwrap();
        assert_eq!(token.len(), 32);
        assert!(html.contains(&format!("name=\"csrf\" value=\"{token}\"")));
    }

    #[tokio::test]
    async fn a_bad_role_form_is_shown_again_with_the_error() {
        let request = post("/session", None)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from("role=admin&name=Bo"))
            .unwrap();
        let (status, _, html) = send(request).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(html.contains("Choose how you come in"));
        assert!(html.contains("value=\"Bo\""));
    }

    #[tokio::test]
    async fn unknown_paths_and_unreadable_forms_get_friendly_pages() {
        let (status, headers, html) = send(get("/no/such/page", None)).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        assert!(headers[header::CONTENT_TYPE].to_str().unwrap().starts_with("text/html"));
        assert!(html.contains("There is no page at this address"));

        let request = post("/tickets/1/status", Some("campusdesk_role=staff"))
            .header(header::CONTENT_TYPE, "text/plain")
            .body(Body::from("nonsense"))
            .unwrap();
        let (status, _, html) = send(request).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert!(html.contains("The form could not be read"));

        let (status, _, html) = send(get("/session", None)).await;
        assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED);
        assert!(html.contains("<h1"));
    }

    #[tokio::test]
    async fn an_unreachable_service_is_a_clear_502_page() {
        let (status, _, html) = send(get("/tickets", Some("campusdesk_role=user"))).await;
        assert_eq!(status, StatusCode::BAD_GATEWAY);
        assert!(html.contains("ticket service cannot be reached"));

        let (status, _, html) = send(get("/dashboard?view=categories", Some("campusdesk_role=staff"))).await;
        assert_eq!(status, StatusCode::BAD_GATEWAY);
        assert!(html.contains("analytics service cannot be reached"));
        assert!(html.contains("Resolution time"), "the tabs are still there");
    }

    #[tokio::test]
    async fn the_category_hint_is_a_json_502_when_the_ticket_service_is_down() {
        let request = post("/tickets/classify", None)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from("title=Wifi+down&description=eduroam"))
            .unwrap();
        let (status, headers, body) = send(request).await;
        assert_eq!(status, StatusCode::BAD_GATEWAY);
        assert!(headers[header::CONTENT_TYPE].to_str().unwrap().starts_with("application/json"));
        let refusal: serde_json::Value = serde_json::from_str(&body).unwrap();
        assert!(refusal["error"].as_str().unwrap().contains("cannot be reached"), "{body}");

        let request = post("/tickets/classify", None)
            .header(header::CONTENT_TYPE, "text/plain")
            .body(Body::from("nonsense"))
            .unwrap();
        let (status, _, body) = send(request).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert!(body.contains("\"error\""), "{body}");
    }

    #[tokio::test]
    async fn a_rate_limited_report_comes_back_with_the_text_and_a_sentence() {
        // A ticket service that answers every request with 429, as its rate limit does.
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let tickets_url = format!("http://{}", listener.local_addr().unwrap());
        let limited = Router::new().fallback(|| async {
            (
                StatusCode::TOO_MANY_REQUESTS,
                [(header::CONTENT_TYPE, api::PROBLEM_CONTENT_TYPE), (header::RETRY_AFTER, "30")],
                r#"{"type":"about:blank","title":"Too many requests","status":429,"detail":"too many new tickets from your address; try again in 30 seconds"}"#,
            )
        });
        tokio::spawn(async move { axum::serve(listener, limited).await });
        let app = router(AppState::new(&Config {
            tickets_url: tickets_url.clone(),
            analytics_url: tickets_url,
            time_zone: TimeZone::UTC,
            limits: serving::Limits::default(),
            public_origin: PublicOrigin::default(),
            attachments: Default::default(),
        }));
        let request = post("/tickets", Some("campusdesk_role=user"))
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from("title=Lift+stuck&description=Between+floor+2+and+3"))
            .unwrap();
        let response = app.oneshot(request).await.unwrap();
        assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
        let html =
            String::from_utf8(axum::body::to_bytes(response.into_body(), 1 << 20).await.unwrap().to_vec())
                .unwrap();
        assert!(html.contains("value=\"Lift stuck\""), "{html}");
        assert!(html.contains("Between floor 2 and 3</textarea>"));
        assert!(html.contains("Too many new tickets from your address; try again in 30 seconds."), "{html}");
        assert!(html.contains("Your text is kept"));
    }

    #[tokio::test]
    async fn a_still_loading_analytics_service_is_not_called_unreachable() {
        // An analytics service that answers, but only "not ready yet" (as while it catches up).
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let analytics_url = format!("http://{}", listener.local_addr().unwrap());
        let not_ready = Router::new().fallback(|| async {
            (
                axum::http::StatusCode::SERVICE_UNAVAILABLE,
                [(header::CONTENT_TYPE, api::PROBLEM_CONTENT_TYPE)],
                r#"{"type":"about:blank","title":"Not ready","status":503,"detail":"the read model is still loading"}"#,
            )
        });
        tokio::spawn(async move { axum::serve(listener, not_ready).await });
        let nowhere = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let app = router(AppState::new(&Config {
            tickets_url: format!("http://127.0.0.1:{nowhere}"),
            analytics_url,
            time_zone: TimeZone::get("Europe/Berlin").unwrap(),
            limits: serving::Limits::default(),
            public_origin: PublicOrigin::default(),
            attachments: Default::default(),
        }));
        for uri in ["/dashboard", "/dashboard?view=resolution", "/dashboard?view=categories"] {
            let response = app.clone().oneshot(get(uri, Some("campusdesk_role=staff"))).await.unwrap();
            assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE, "{uri}");
            let bytes = axum::body::to_bytes(response.into_body(), 1 << 20).await.unwrap();
            let html = String::from_utf8(bytes.to_vec()).unwrap();
            assert!(
                html.contains(
                    "The analytics service is still loading tickets; the figures appear in a moment."
                ),
                "{uri}: {html}"
            );
            assert!(!html.contains("cannot be reached"), "{uri}");
            assert!(html.contains("Load the figures again") && html.contains("Resolution time"), "{uri}");
        }
    }

    #[tokio::test]
    async fn the_report_form_carries_the_scripts_sentences_in_its_language() {
        let (status, _, html) =
            send(get("/tickets/new", Some("campusdesk_role=user; campusdesk_lang=it"))).await;
        assert_eq!(status, StatusCode::OK);
        // count.js: the counter and what a screen reader hears, placeholders left for the script.
        assert!(html.contains("data-count=\"{used} di {max} caratteri\""), "{html}");
        assert!(html.contains("data-count-over=\"{used} di {max} caratteri: {over} di troppo\""));
        assert!(html.contains("data-count-now-over=\"Oltre il limite di {max} caratteri.\""));
        // forms.js: the server's own sentences, one field each.
        assert!(html.contains("data-error-empty=\"Il titolo non può essere vuoto.\""));
        assert!(html.contains("data-error-empty=\"La descrizione non può essere vuota.\""));
        assert!(html.contains(
            "data-error-too-long=\"Il titolo è lungo {len} caratteri; ne sono ammessi al massimo {max}.\""
        ));
        // hint.js and keys.js.
        assert!(html.contains("data-words=\"Parole decisive: {words}\""));
        assert!(
            html.contains("data-uncertain=\"{hint}. Non è ancora sicuro: qualche dettaglio in più aiuta.\"")
        );
        assert!(html.contains("<template id=\"keys-help-text\">"));
        assert!(html.contains("Scorciatoie da tastiera") && html.contains(">Chiudi</button>"));
        assert!(!html.contains("Keyboard shortcuts") && !html.contains("Deciding words"));

        let (_, _, html) = send(get("/tickets/new", Some("campusdesk_role=staff; campusdesk_lang=de"))).await;
        assert!(html.contains("data-count=\"{used} von {max} Zeichen\""), "{html}");
        assert!(html.contains("data-error-empty=\"Der Titel darf nicht leer sein.\""));
        assert!(html.contains("data-words=\"Entscheidende Wörter: {words}\""));
        assert!(html.contains("<h2 id=\"keys-help-title\">Tastenkürzel</h2>"));
    }

    #[tokio::test]
    async fn a_refused_text_reads_as_the_form_script_would_have_said_it() {
        let request = post("/tickets", Some("campusdesk_role=user; campusdesk_lang=de"))
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from("title=&description=Der+Aufzug+steckt"))
            .unwrap();
        let (status, _, html) = send(request).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        let sentence = "Der Titel darf nicht leer sein.";
        assert!(
            html.contains(&format!("<p class=\"field-error\" id=\"title-error\">{sentence}</p>")),
            "{html}"
        );
        assert!(html.contains(&format!("data-error-empty=\"{sentence}\"")), "forms.js says the same");
    }

    /// The scripts hold no sentence of their own: no English text of the catalogue's section
    /// for them (the parts between its placeholders) is written into any of them.
    #[test]
    fn the_page_scripts_know_no_language() {
        let english = page::Layout::anonymous(page::Section::Other);
        let catalogue = include_str!("../locales/en/main.ftl");
        let section = catalogue.split("## Text used by the page scripts").nth(1).unwrap();
        let mut keys: Vec<&str> = section
            .lines()
            .filter(|line| line.starts_with("script-"))
            .filter_map(|line| line.split_once(" =").map(|(key, _)| key))
            .collect();
        keys.extend(["text-empty", "text-too-long"]);
        assert!(keys.len() > 15, "the section is read: {keys:?}");
        let scripts = [
            ("count.js", assets::COUNT_JS),
            ("forms.js", assets::FORMS_JS),
            ("hint.js", assets::HINT_JS),
            ("keys.js", assets::KEYS_JS),
            ("live.js", assets::LIVE_JS),
            ("fold.js", assets::FOLD_JS),
            ("text.js", assets::TEXT_JS),
        ];
        for key in keys {
            let text = english.script_text(key, "title");
            let pieces = text.split(['{', '}']).map(str::trim).filter(|piece| piece.len() > 6);
            for piece in pieces {
                for (name, script) in scripts {
                    // Comments may quote a sentence as an example; the code may not.
                    let code: String = script
                        .lines()
                        .filter(|l| !l.trim_start().starts_with("//"))
                        .collect::<Vec<_>>()
                        .join("\n");
                    assert!(!code.contains(piece), "{name} writes {piece:?} ({key}) itself");
                }
            }
        }
    }

    #[tokio::test]
    async fn the_dashboard_is_for_staff_only() {
        let (status, _, html) = send(get("/dashboard", Some("campusdesk_role=user"))).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        assert!(html.contains("The dashboard is for helpdesk staff"));
    }

    #[tokio::test]
    async fn assets_are_served_from_the_binary() {
        let (status, headers, css) = send(get("/static/style.css", None)).await;
        assert_eq!(status, StatusCode::OK);
        assert!(headers[header::CONTENT_TYPE].to_str().unwrap().starts_with("text/css"));
        assert!(css.contains(":focus-visible"));
        let (status, _, js) = send(get("/static/live.js", None)).await;
        assert_eq!(status, StatusCode::OK);
        assert!(js.contains("EventSource"));
        let (status, _, js) = send(get("/static/hint.js", None)).await;
        assert_eq!(status, StatusCode::OK);
        assert!(js.contains("/tickets/classify") && js.contains("textContent"));
        let (status, _, js) = send(get("/static/count.js", None)).await;
        assert_eq!(status, StatusCode::OK);
        assert!(js.contains("data-max-chars") && js.contains("data-count-over") && !js.contains("innerHTML"));
        let (status, _, js) = send(get("/static/text.js", None)).await;
        assert_eq!(status, StatusCode::OK);
        assert!(js.contains("campusdeskText") && js.contains("NumberFormat"));
        let (status, _, js) = send(get("/static/keys.js", None)).await;
        assert_eq!(status, StatusCode::OK);
        assert!(js.contains("showModal") && js.contains("confirm-close") && !js.contains("innerHTML"));
        let (_, _, js) = send(get("/static/live.js", None)).await;
        assert!(
            js.contains("response.status === 404") && js.contains("live-gone"),
            "a closed ticket is told"
        );
        let (status, _, _) = send(get("/static/secret.txt", None)).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
    }
}
