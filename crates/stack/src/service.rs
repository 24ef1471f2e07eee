//! One running service: its address, the task that serves it, and the switch that stops it;
//! plus the two waits every caller needs, for a service to answer `/healthz` and for the
//! process to be told to stop.

use std::net::SocketAddr;
use std::pin::Pin;
use std::time::Duration;

use anyhow::Context;
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinHandle;

/// The future a service's `serve` gets as its shutdown signal: it completes when
/// [`Service::stop`] is called or the [`Service`] is dropped.
pub(crate) type StopRequested = Pin<Box<dyn Future<Output = ()> + Send + 'static>>;

/// A service running in this process on its own listener. Dropping it asks the service to
/// stop (without waiting); [`Service::stop`] also waits until it has stopped.
#[derive(Debug)]
pub struct Service {
    name: &'static str,
    addr: SocketAddr,
    url: String,
    stop: watch::Sender<bool>,
    /// `None` once the task has been waited for.
    task: Option<JoinHandle<anyhow::Result<()>>>,
}

impl Service {
    /// Binds `addr` (port 0: any free port) for the service called `name` and spawns
    /// `serve(listener, stop_requested)` on the current tokio runtime.
    ///
    /// Errors: the address cannot be bound (the message names the service and the address).
    pub(crate) async fn launch<F>(
        name: &'static str,
        addr: SocketAddr,
        serve: impl FnOnce(TcpListener, StopRequested) -> F,
    ) -> anyhow::Result<Service>
    where
        F: Future<Output = anyhow::Result<()>> + Send + 'static,
    {
        let listener = TcpListener::bind(addr)
            .await
            .with_context(|| format!("cannot listen on {addr} for the {name}"))?;
        Self::launch_on(name, listener, serve)
    }

    /// [`Service::launch`] on a listener the caller bound.
    ///
    /// Errors: the listener has no local address.
    pub(crate) fn launch_on<F>(
        name: &'static str,
        listener: TcpListener,
        serve: impl FnOnce(TcpListener, StopRequested) -> F,
    ) -> anyhow::Result<Service>
    where
        F: Future<Output = anyhow::Result<()>> + Send + 'static,
    {
        let addr = listener.local_addr().with_context(|| format!("the {name}'s listener has no address"))?;
        let (stop, _) = watch::channel(false);
        let mut requested = stop.subscribe();
        let stop_requested: StopRequested = Box::pin(async move {
            // An error means the sender is gone, which also means "stop".
            let _ = requested.wait_for(|stop| *stop).await;
        });
        let task = tokio::spawn(serve(listener, stop_requested));
        Ok(Service { name, addr, url: format!("http://{addr}"), stop, task: Some(task) })
    }

    /// What it is: `ticket service`, `analytics service` or `web UI`.
    pub fn name(&self) -> &'static str {
        self.name
    }

    /// The address it listens on (the real port when it was started on port 0).
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Its base URL, `http://HOST:PORT` without a trailing slash (the ticket service's API is
    /// under `/api/v1`, the analytics service's under `/api/v1/analytics`).
    pub fn url(&self) -> &str {
        &self.url
    }

    /// Waits until `GET {url}/healthz` answers 200, at most `within` (see [`wait_healthy`]):
    /// for the analytics service that means it has caught up with the change feed.
    ///
    /// Errors: it did not answer 200 in time, or it stopped meanwhile.
    pub async fn wait_healthy(&self, within: Duration) -> anyhow::Result<()> {
        if self.task.as_ref().is_none_or(JoinHandle::is_finished) {
            anyhow::bail!("the {} at {} has stopped", self.name, self.url);
        }
        wait_healthy(&self.url, within).await
    }

    /// Waits until the service's task ends (by itself on a server error, or after a stop was
    /// asked) and returns how it ended. Returns `Ok` at once when it was already waited for.
    ///
    /// Errors: the error `serve` returned, or the service task panicked.
    pub async fn stopped(&mut self) -> anyhow::Result<()> {
        match self.task.as_mut() {
            None => Ok(()),
            Some(task) => {
                let joined = task.await;
                self.task = None;
                joined.with_context(|| format!("the {} task panicked", self.name))?
            }
        }
    }

    /// Asks the service to finish the requests in flight and stop (live streams end), and
    /// waits until it has.
    ///
    /// Errors: as [`Service::stopped`].
    pub async fn stop(mut self) -> anyhow::Result<()> {
        self.request_stop();
        self.stopped().await
    }

    /// Runs until `shutdown` completes or the service ends by itself, whichever comes first;
    /// then stops it and waits.
    ///
    /// Errors: as [`Service::stopped`].
    pub async fn run_until(mut self, shutdown: impl Future<Output = ()>) -> anyhow::Result<()> {
        let ended = tokio::select! {
            ended = self.stopped() => Some(ended),
            () = shutdown => None,
        };
        match ended {
            Some(ended) => ended,
            None => self.stop().await,
        }
    }

    /// Asks the service to stop without waiting.
    pub(crate) fn request_stop(&self) {
        self.stop.send_replace(true);
    }
}

impl Drop for Service {
    fn drop(&mut self) {
        self.request_stop();
    }
}

/// Polls `GET {base_url}/healthz` until it answers 200, at most `within`. Used for services
/// started in this process ([`Service::wait_healthy`]) and for `campusdesk` processes a test
/// started.
///
/// Errors: no 200 within `within`; the message names the URL.
pub async fn wait_healthy(base_url: &str, within: Duration) -> anyhow::Result<()> {
    const POLL: Duration = Duration::from_millis(50);
    let url = format!("{}/healthz", base_url.trim_end_matches('/'));
    let http = reqwest::Client::new();
    let deadline = tokio::time::Instant::now() + within;
    loop {
        if let Ok(response) = http.get(&url).send().await
            && response.status().is_success()
        {
            return Ok(());
        }
        if tokio::time::Instant::now() >= deadline {
            anyhow::bail!("{url} did not answer 200 within {} seconds", within.as_secs_f64());
        }
        tokio::time::sleep(POLL).await;
    }
}

/// A future that completes when the process gets Ctrl-C (SIGINT) or SIGTERM, and logs that the
/// services are shutting down. A background task installs the signal handlers right away (call
/// it inside a tokio runtime before starting the services), so a signal during start-up is
/// not lost.
pub fn shutdown_signal() -> impl Future<Output = ()> + Send + 'static {
    let (tx, mut rx) = watch::channel(false);
    tokio::spawn(async move {
        let ctrl_c = tokio::signal::ctrl_c();
        #[cfg(unix)]
        let term = async {
            match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                Ok(mut signal) => {
                    signal.recv().await;
                }
                Err(_) => std::future::pending().await,
            }
        };
        #[cfg(not(unix))]
        let term = std::future::pending::<()>();
        tokio::select! {
            _ = ctrl_c => {},
            _ = term => {},
        }
        tracing::info!("shutting down: finishing requests in flight");
        let _ = tx.send(true);
    });
    async move {
        let _ = rx.wait_for(|stop| *stop).await;
    }
}
