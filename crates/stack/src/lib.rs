//! The whole campusdesk in one process: the ticket service on its store, the analytics service
//! following it, and the web UI, each on its own listener, wired by the URLs they got.
//!
//! [`Stack::start`] is the one place this wiring lives: `campusdesk up` calls it with the
//! configured addresses and the SQLite file, and the web crate's page tests call it with
//! `127.0.0.1:0` and a scratch database. Deployments with one service per process use the
//! single-service subcommands instead (`docs/operations.md`).

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use jiff::tz::TimeZone;
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinSet;

/// What to start.
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
    /// Load the demo data set when the store holds no tickets
    /// (`tickets::demo::load_demo_if_empty`).
    pub demo: bool,
}

/// The three running services. Dropping it asks them to stop; [`Stack::stop`] also waits.
#[derive(Debug)]
pub struct Stack {
    /// `http://HOST:PORT` of the ticket service (its API is under `/api/v1`).
    pub tickets_url: String,
    /// `http://HOST:PORT` of the analytics service (under `/api/v1/analytics`).
    pub analytics_url: String,
    /// `http://HOST:PORT` of the web UI (no trailing slash).
    pub web_url: String,
    services: JoinSet<anyhow::Result<()>>,
    stop: watch::Sender<bool>,
}

impl Stack {
    /// Opens the store, trains the classifier, loads the demo data if asked, binds the three
    /// listeners, starts the services and waits until the analytics service has caught up with
    /// the change feed and the web UI answers (at most 30 seconds each).
    ///
    /// Errors: the store cannot be opened, an address cannot be bound, the demo data cannot be
    /// loaded, or a service does not become healthy; each says which.
    pub async fn start(config: Config) -> anyhow::Result<Stack> {
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
        let state = tickets::AppState::new(store, classifier);

        let tickets_listener = bind(config.tickets_addr, "ticket service").await?;
        let analytics_listener = bind(config.analytics_addr, "analytics service").await?;
        let web_listener = bind(config.web_addr, "web UI").await?;
        let tickets_url = format!("http://{}", tickets_listener.local_addr()?);
        let analytics_url = format!("http://{}", analytics_listener.local_addr()?);
        let web_url = format!("http://{}", web_listener.local_addr()?);

        let (stop, _) = watch::channel(false);
        let mut services = JoinSet::new();
        services.spawn(tickets::serve(tickets_listener, state, stopped(&stop)));
        let analytics_config =
            analytics::Config { tickets_url: tickets_url.clone(), time_zone: config.time_zone.clone() };
        services.spawn(analytics::serve(analytics_listener, analytics_config, stopped(&stop)));
        let web_config = web::Config {
            tickets_url: tickets_url.clone(),
            analytics_url: analytics_url.clone(),
            time_zone: config.time_zone,
        };
        services.spawn(web::serve(web_listener, web_config, stopped(&stop)));

        let stack = Stack { tickets_url, analytics_url, web_url, services, stop };
        wait_healthy(&format!("{}/healthz", stack.analytics_url)).await?;
        wait_healthy(&format!("{}/healthz", stack.web_url)).await?;
        Ok(stack)
    }

    /// Waits until a service ends by itself (an error, or a stop asked for elsewhere) and
    /// returns how it ended.
    ///
    /// Errors: the first service error, or a service task that panicked.
    pub async fn run_until_stopped(&mut self) -> anyhow::Result<()> {
        while let Some(result) = self.services.join_next().await {
            result.context("a service task panicked")??;
        }
        Ok(())
    }

    /// Asks the three services to finish the requests in flight and stop, and waits for them.
    ///
    /// Errors: as [`Stack::run_until_stopped`].
    pub async fn stop(mut self) -> anyhow::Result<()> {
        self.stop.send_replace(true);
        self.run_until_stopped().await
    }
}

impl Drop for Stack {
    fn drop(&mut self) {
        self.stop.send_replace(true);
    }
}

/// A future that completes when `stop` turns `true`.
fn stopped(stop: &watch::Sender<bool>) -> impl Future<Output = ()> + Send + 'static {
    let mut rx = stop.subscribe();
    async move {
        let _ = rx.wait_for(|stop| *stop).await;
    }
}

async fn bind(addr: SocketAddr, what: &str) -> anyhow::Result<TcpListener> {
    TcpListener::bind(addr).await.with_context(|| format!("cannot listen on {addr} for the {what}"))
}

/// Polls `url` until it answers 200 (at most 30 s).
async fn wait_healthy(url: &str) -> anyhow::Result<()> {
    let http = reqwest::Client::new();
    for _ in 0..300 {
        if let Ok(response) = http.get(url).send().await
            && response.status().is_success()
        {
            return Ok(());
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    anyhow::bail!("{url} did not become healthy within 30 seconds")
}
