//! Starting campusdesk's services: one function per service ([`start_tickets`],
//! [`start_analytics`], [`start_web`]) that takes its configuration and hands back a running
//! [`Service`] (its URL, stop-and-wait, stop on drop), and [`Stack::start`], which composes the
//! three in one process, wired by the URLs they got.
//!
//! This is the one place the binding, serving and health-waiting live: `campusdesk up` calls
//! [`Stack::start`], `campusdesk tickets`, `analytics` and `web` call the single starters, and
//! every in-process test harness (the ticket service's API tests, the analytics follow tests,
//! the web page tests) calls them too, with `127.0.0.1:0` and a scratch database.

mod service;

use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use jiff::tz::TimeZone;

pub use service::{Service, shutdown_signal, wait_healthy};
pub use serving::{ConnectionLimits, Limits, RateQuota, StreamLimits, TrustedProxies};
pub use web::PublicOrigin;

/// How long [`Stack::start`] waits for the analytics service and the web UI to answer
/// `/healthz` (the analytics service first catches up with the change feed).
pub const STARTUP_LIMIT: Duration = Duration::from_secs(30);

/// What [`start_tickets`] starts: the ticket service on its store.
#[derive(Debug, Clone)]
pub struct TicketsConfig {
    /// Where it listens (port 0: any free port).
    pub addr: SocketAddr,
    /// The ticket store: `sqlite://PATH` (created when missing) or `postgres://...`; several
    /// ticket services may share one PostgreSQL database (replicas).
    pub database_url: String,
    /// Load the demo data set when the store holds no tickets
    /// (`tickets::demo::load_demo_if_empty`).
    pub demo: bool,
    /// Connections, change streams, rate limits of writes and classification, trusted proxies.
    pub limits: Limits,
    /// E-mail updates to reporters: the SMTP server and the web UI's public URL for the links
    /// (`None`: off).
    pub mail: Option<tickets::mail::MailSettings>,
    /// Files per post and bytes per file ([`tickets::attachments::AttachmentLimits`]).
    pub attachments: tickets::attachments::AttachmentLimits,
    /// How long after closing staff may undo it (5 minutes by default, `domain::UNDO_CLOSE_WINDOW`).
    pub undo_close_window: jiff::SignedDuration,
}

/// What [`start_analytics`] starts: the analytics service following a ticket service.
#[derive(Debug, Clone)]
pub struct AnalyticsConfig {
    /// Where it listens (port 0: any free port).
    pub addr: SocketAddr,
    /// Base URL of the ticket service whose change feed it follows, e.g.
    /// `http://127.0.0.1:8081` (without `/api/v1`). It need not be up yet.
    pub tickets_url: String,
    /// The campus time zone; resolution-time months are counted on its wall clock.
    pub time_zone: TimeZone,
    /// Open connections, header-read and idle timeouts.
    pub connections: ConnectionLimits,
}

/// What [`start_web`] starts: the web UI over a ticket and an analytics service.
#[derive(Debug, Clone)]
pub struct WebConfig {
    /// Where it listens (port 0: any free port).
    pub addr: SocketAddr,
    /// Base URL of the ticket service (without `/api/v1`).
    pub tickets_url: String,
    /// Base URL of the analytics service (without `/api/v1/analytics`).
    pub analytics_url: String,
    /// The campus time zone: every time on a page is shown in it.
    pub time_zone: TimeZone,
    /// Connections, live pages, the session-change rate limit, trusted proxies.
    pub limits: Limits,
    /// The ticket service's attachment limits: the web UI reads upload forms up to
    /// [`api::AttachmentLimits::max_body_bytes`] and names the limits on its forms.
    pub attachments: api::AttachmentLimits,
    /// The origin people reach the web UI at; form posts from any other are refused
    /// ([`web::PublicOrigin`]; default: the origin each request was addressed to).
    pub public_origin: web::PublicOrigin,
}

/// Opens the store (bringing its schema up to date), trains the built-in classifier, loads the
/// demo data if asked and the store is empty, binds `config.addr` and serves the ticket service
/// there. It answers as soon as this returns.
///
/// Errors: the store cannot be opened, the demo data cannot be loaded, or the address cannot
/// be bound; each says which.
pub async fn start_tickets(config: TicketsConfig) -> anyhow::Result<Service> {
    let store = tickets::open_store(&config.database_url).await?;
    let classifier = Arc::new(classifier::Classifier::builtin());
    if config.demo {
        let now = jiff::Timestamp::now();
        match tickets::demo::load_demo_if_empty(store.as_ref(), &classifier, now).await {
            Ok(0) => tracing::info!("the database already holds tickets; demo data not loaded"),
            Ok(imported) => tracing::info!(tickets = imported, "demo data loaded"),
            Err(err) => return Err(err.context("loading the demo data failed")),
        }
    }
    let imports = tickets::jobs::ImportSettings::from_env()?;
    let state = tickets::AppState::new(store, classifier)
        .with_limits(config.limits)
        .with_import_settings(imports)
        .with_mail(config.mail)
        .with_attachment_limits(config.attachments)
        .with_undo_close_window(config.undo_close_window);
    Service::launch("ticket service", config.addr, |listener, stop| tickets::serve(listener, state, stop))
        .await
}

/// Binds `config.addr` and serves the analytics service there; it starts following the ticket
/// service's change feed in the background and answers `/healthz` with 200 once it has caught
/// up ([`Service::wait_healthy`] waits for that). A ticket service that is not up yet is
/// retried, not an error.
///
/// Errors: the address cannot be bound.
pub async fn start_analytics(config: AnalyticsConfig) -> anyhow::Result<Service> {
    let service = analytics::Config {
        tickets_url: config.tickets_url,
        time_zone: config.time_zone,
        connections: config.connections,
    };
    Service::launch("analytics service", config.addr, |listener, stop| {
        analytics::serve(listener, service, stop)
    })
    .await
}

/// Binds `config.addr` and serves the web UI there. It makes no request to the other services
/// until a page asks.
///
/// Errors: the address cannot be bound.
pub async fn start_web(config: WebConfig) -> anyhow::Result<Service> {
    let listener = tokio::net::TcpListener::bind(config.addr)
        .await
        .with_context(|| format!("cannot listen on {} for the web UI", config.addr))?;
    start_web_on(listener, config).await
}

/// [`start_web`] on a listener the caller bound (`config.addr` is not used).
async fn start_web_on(listener: tokio::net::TcpListener, config: WebConfig) -> anyhow::Result<Service> {
    let service = web::Config {
        tickets_url: config.tickets_url,
        analytics_url: config.analytics_url,
        time_zone: config.time_zone,
        limits: config.limits,
        attachments: config.attachments,
        public_origin: config.public_origin,
    };
    Service::launch_on("web UI", listener, |listener, stop| web::serve(listener, service, stop))
}

/// The database URL of the embedded install in `data_dir`: `sqlite://DATA_DIR/campusdesk.db`.
/// Creates the folder when it is missing.
///
/// Errors: the folder cannot be created.
pub fn embedded_database_url(data_dir: &Path) -> anyhow::Result<String> {
    std::fs::create_dir_all(data_dir)
        .with_context(|| format!("cannot create the data folder {}", data_dir.display()))?;
    Ok(format!("sqlite://{}", data_dir.join("campusdesk.db").display()))
}

/// What [`Stack::start`] starts.
#[derive(Debug, Clone)]
pub struct Config {
    /// The ticket store: `sqlite://PATH` (created when missing) or `postgres://...`.
    pub database_url: String,
    /// Where the ticket service listens (port 0: any free port).
    pub tickets_addr: SocketAddr,
    /// Where the analytics service listens.
    pub analytics_addr: SocketAddr,
    /// Where the web UI listens.
    pub web_addr: SocketAddr,
    /// The campus time zone, for display and for grouping by month.
    pub time_zone: TimeZone,
    /// Load the demo data set when the store holds no tickets.
    pub demo: bool,
    /// The limits of all three services (each takes the parts that concern it).
    pub limits: Limits,
    /// Files per post and bytes per file ([`TicketsConfig::attachments`]).
    pub attachments: tickets::attachments::AttachmentLimits,
    /// How long after closing staff may undo it ([`TicketsConfig::undo_close_window`]).
    pub undo_close_window: jiff::SignedDuration,
    /// The origin people reach the web UI at ([`WebConfig::public_origin`]).
    pub public_origin: web::PublicOrigin,
    /// E-mail updates ([`TicketsConfig::mail`]): the SMTP server, and the web UI's public URL
    /// for the links, `None` meaning the web UI's own address as [`Stack::start`] binds it.
    pub mail: Option<MailConfig>,
}

/// The e-mail settings of [`Config::mail`], before the web UI's address is known.
#[derive(Debug, Clone)]
pub struct MailConfig {
    /// The SMTP server's host name.
    pub host: String,
    /// Its port; `None`: the TLS mode's usual one.
    pub port: Option<u16>,
    /// How the connection is protected.
    pub tls: tickets::mail::TlsMode,
    /// User name and password, when the server wants a login.
    pub credentials: Option<tickets::mail::SmtpLogin>,
    /// The sender, e.g. `Campus Helpdesk <helpdesk@campus.example>`.
    pub from: String,
    /// The web UI's public URL for the e-mails' links; `None`: the web UI's own address.
    pub public_url: Option<String>,
    /// How long sent e-mails stay in the outbox ([`tickets::mail::MailSettings::keep_sent`]);
    /// `None`: forever.
    pub keep_sent: Option<std::time::Duration>,
}

impl MailConfig {
    /// The ticket service's settings, with links under `public_url` unless this names its own.
    ///
    /// Errors: as [`tickets::mail::MailSettings::new`].
    pub fn settings(&self, web_url: &str) -> anyhow::Result<tickets::mail::MailSettings> {
        let public_url = self.public_url.as_deref().unwrap_or(web_url);
        let mut settings =
            tickets::mail::MailSettings::new(&self.host, self.port, self.tls, &self.from, public_url)?;
        settings.credentials.clone_from(&self.credentials);
        settings.keep_sent = self.keep_sent;
        Ok(settings)
    }
}

/// The three services running in this process. Dropping it asks them to stop;
/// [`Stack::stop`] also waits.
#[derive(Debug)]
pub struct Stack {
    /// The ticket service (its API is under `/api/v1`).
    pub tickets: Service,
    /// The analytics service, following the ticket service (under `/api/v1/analytics`).
    pub analytics: Service,
    /// The web UI over the two.
    pub web: Service,
}

impl Stack {
    /// Starts the ticket service ([`start_tickets`]), the analytics service following it
    /// ([`start_analytics`]) and the web UI over both ([`start_web`]), then waits until the
    /// analytics service has caught up with the change feed and the web UI answers (at most
    /// [`STARTUP_LIMIT`] each).
    ///
    /// Errors: as the three starters, or a service that does not become healthy in time.
    pub async fn start(config: Config) -> anyhow::Result<Stack> {
        // The web UI's listener is bound first, so that its address is known for the e-mails'
        // links even when it is port 0.
        let web_listener = tokio::net::TcpListener::bind(config.web_addr)
            .await
            .with_context(|| format!("cannot listen on {} for the web UI", config.web_addr))?;
        let web_addr = web_listener.local_addr().context("the web UI's listener has no address")?;
        let mail =
            config.mail.as_ref().map(|mail| mail.settings(&format!("http://{web_addr}"))).transpose()?;
        let tickets = start_tickets(TicketsConfig {
            addr: config.tickets_addr,
            database_url: config.database_url,
            demo: config.demo,
            limits: config.limits.clone(),
            mail,
            attachments: config.attachments,
            undo_close_window: config.undo_close_window,
        })
        .await?;
        let analytics = start_analytics(AnalyticsConfig {
            addr: config.analytics_addr,
            tickets_url: tickets.url().to_owned(),
            time_zone: config.time_zone.clone(),
            connections: config.limits.connections,
        })
        .await?;
        let web = start_web_on(
            web_listener,
            WebConfig {
                addr: web_addr,
                tickets_url: tickets.url().to_owned(),
                analytics_url: analytics.url().to_owned(),
                time_zone: config.time_zone,
                limits: config.limits,
                attachments: config.attachments,
                public_origin: config.public_origin,
            },
        )
        .await?;
        analytics.wait_healthy(STARTUP_LIMIT).await?;
        web.wait_healthy(STARTUP_LIMIT).await?;
        Ok(Stack { tickets, analytics, web })
    }

    /// Runs until `shutdown` completes or one of the services ends by itself (only an error
    /// ends one), whichever comes first; then stops all three and waits for them.
    ///
    /// Errors: the error of the service that ended by itself, else the first error of a
    /// service stopping (see [`Service::stopped`]).
    pub async fn run_until(mut self, shutdown: impl Future<Output = ()>) -> anyhow::Result<()> {
        let ended = tokio::select! {
            ended = self.tickets.stopped() => Some(ended),
            ended = self.analytics.stopped() => Some(ended),
            ended = self.web.stopped() => Some(ended),
            () = shutdown => None,
        };
        let stopped = self.stop().await;
        ended.unwrap_or(Ok(())).and(stopped)
    }

    /// Asks the three services to finish the requests in flight and stop, and waits for them
    /// (all three, even when one fails).
    ///
    /// Errors: the first error of a service, in the order web UI, analytics, tickets.
    pub async fn stop(self) -> anyhow::Result<()> {
        let Stack { tickets, analytics, web } = self;
        for service in [&web, &analytics, &tickets] {
            service.request_stop();
        }
        let web = web.stop().await;
        let analytics = analytics.stop().await;
        let tickets = tickets.stop().await;
        web.and(analytics).and(tickets)
    }
}
