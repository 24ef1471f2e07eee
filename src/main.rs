//! The `campusdesk` binary: parses the command line and wires the services together.
//!
//! `up` runs the ticket, analytics and web services in one process on an embedded SQLite file;
//! `tickets`, `analytics` and `web` run one service each for real deployments; `import` loads a
//! CSV file of historical tickets through the ticket service's API; `migrate-data` copies a whole
//! campus from one database into another (SQLite to PostgreSQL). See `docs/operations.md`.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use anyhow::Context;
use clap::{Args, Parser, Subcommand};
use domain::Actor;
use jiff::tz::TimeZone;
use tokio::net::TcpListener;
use tokio::sync::watch;

/// Campus helpdesk: report problems, triage them, see what is going on.
#[derive(Debug, Parser)]
#[command(name = "campusdesk", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run all three services in one process on an embedded SQLite file.
    Up(UpArgs),
    /// Run the ticket service (the only owner of the database).
    Tickets(TicketsArgs),
    /// Run the analytics service (reads tickets only through the ticket service's API).
    Analytics(AnalyticsArgs),
    /// Run the web UI.
    Web(WebArgs),
    /// Import historical tickets from a CSV file (all or nothing).
    Import(ImportArgs),
    /// Copy a whole campus (tickets, messages, events, corrections, change feed) from one
    /// database into an empty one, then verify the copy. Run it with the services stopped.
    MigrateData(MigrateDataArgs),
}

#[derive(Debug, Args)]
struct TimeZoneArg {
    /// Campus time zone (IANA name) used for display and for grouping by month.
    #[arg(long, env = "CAMPUSDESK_TIME_ZONE", default_value = "UTC")]
    time_zone: String,
}

impl TimeZoneArg {
    fn parse(&self) -> anyhow::Result<TimeZone> {
        TimeZone::get(&self.time_zone).with_context(|| {
            format!("unknown time zone {:?}; give an IANA name such as Europe/Berlin or UTC", self.time_zone)
        })
    }
}

#[derive(Debug, Args)]
struct UpArgs {
    /// Folder holding the SQLite database file `campusdesk.db`.
    #[arg(long, env = "CAMPUSDESK_DATA_DIR", default_value = "./campusdesk-data")]
    data_dir: PathBuf,
    /// Address of the web UI.
    #[arg(long, env = "CAMPUSDESK_WEB_ADDR", default_value = "127.0.0.1:8080")]
    web_addr: SocketAddr,
    /// Address of the ticket service.
    #[arg(long, env = "CAMPUSDESK_TICKETS_ADDR", default_value = "127.0.0.1:8081")]
    tickets_addr: SocketAddr,
    /// Address of the analytics service.
    #[arg(long, env = "CAMPUSDESK_ANALYTICS_ADDR", default_value = "127.0.0.1:8082")]
    analytics_addr: SocketAddr,
    /// Load the demo data set (300+ tickets over six months) when the database is empty.
    #[arg(long, env = "CAMPUSDESK_DEMO")]
    demo: bool,
    #[command(flatten)]
    tz: TimeZoneArg,
}

#[derive(Debug, Args)]
struct TicketsArgs {
    /// Address to listen on.
    #[arg(long, env = "CAMPUSDESK_ADDR", default_value = "127.0.0.1:8081")]
    addr: SocketAddr,
    /// `sqlite://PATH` (created when missing) or `postgres://...`.
    #[arg(long, env = "CAMPUSDESK_DATABASE_URL")]
    database_url: String,
}

#[derive(Debug, Args)]
struct AnalyticsArgs {
    /// Address to listen on.
    #[arg(long, env = "CAMPUSDESK_ADDR", default_value = "127.0.0.1:8082")]
    addr: SocketAddr,
    /// Base URL of the ticket service, e.g. `http://tickets:8081`.
    #[arg(long, env = "CAMPUSDESK_TICKETS_URL")]
    tickets_url: String,
    #[command(flatten)]
    tz: TimeZoneArg,
}

#[derive(Debug, Args)]
struct WebArgs {
    /// Address to listen on.
    #[arg(long, env = "CAMPUSDESK_ADDR", default_value = "127.0.0.1:8080")]
    addr: SocketAddr,
    /// Base URL of the ticket service.
    #[arg(long, env = "CAMPUSDESK_TICKETS_URL")]
    tickets_url: String,
    /// Base URL of the analytics service.
    #[arg(long, env = "CAMPUSDESK_ANALYTICS_URL")]
    analytics_url: String,
    #[command(flatten)]
    tz: TimeZoneArg,
}

#[derive(Debug, Args)]
struct ImportArgs {
    /// Base URL of the ticket service.
    #[arg(long, env = "CAMPUSDESK_TICKETS_URL", default_value = "http://127.0.0.1:8081")]
    tickets_url: String,
    /// CSV file with the header `title,description,status,opened_at,closed_at[,category][,thread]`.
    file: PathBuf,
}

#[derive(Debug, Args)]
struct MigrateDataArgs {
    /// The database to copy from, e.g. `sqlite:///var/lib/campusdesk/campusdesk.db`; it is
    /// only read (its schema is brought up to date first, as any start does).
    #[arg(long, env = "CAMPUSDESK_FROM")]
    from: String,
    /// The database to copy into, e.g. `postgres://campusdesk:PASSWORD@db:5432/campusdesk`; it
    /// must hold no tickets.
    #[arg(long, env = "CAMPUSDESK_TO")]
    to: String,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("CAMPUSDESK_LOG")
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,sqlx=warn")),
        )
        .with_writer(std::io::stderr)
        .init();
    let cli = Cli::parse();
    let shutdown = shutdown_signal();
    match cli.command {
        Command::Up(args) => up(args, shutdown).await,
        Command::Tickets(args) => {
            let state = tickets_state(&args.database_url).await?;
            let listener = bind(args.addr, "ticket service").await?;
            announce(&listener, "ticket service")?;
            tickets::serve(listener, state, wait(shutdown)).await
        }
        Command::Analytics(args) => {
            let config = analytics::Config { tickets_url: args.tickets_url, time_zone: args.tz.parse()? };
            let listener = bind(args.addr, "analytics service").await?;
            announce(&listener, "analytics service")?;
            analytics::serve(listener, config, wait(shutdown)).await
        }
        Command::Web(args) => {
            let config = web::Config {
                tickets_url: args.tickets_url,
                analytics_url: args.analytics_url,
                time_zone: args.tz.parse()?,
            };
            let listener = bind(args.addr, "web UI").await?;
            announce(&listener, "web UI")?;
            web::serve(listener, config, wait(shutdown)).await
        }
        Command::Import(args) => {
            let csv = std::fs::read_to_string(&args.file)
                .with_context(|| format!("cannot read {}", args.file.display()))?;
            let client = api::TicketsClient::new(&args.tickets_url);
            let report = client.import_csv(&Actor::staff(), csv).await.context("the import was refused")?;
            println!("imported {} tickets from {}", report.imported, args.file.display());
            Ok(())
        }
        Command::MigrateData(args) => match tickets::migrate::migrate_data(&args.from, &args.to).await {
            Ok(migrated) => {
                println!("{migrated}");
                Ok(())
            }
            // One sentence with its causes on standard error, no backtrace: an operator reads it.
            Err(err) => {
                eprintln!("migrate-data failed: {err:#}");
                std::process::exit(1);
            }
        },
    }
}

/// Starts the three services in this process ([`stack::Stack::start`]), prints where they are,
/// and runs until the shutdown signal (or until a service fails).
async fn up(args: UpArgs, shutdown: watch::Receiver<bool>) -> anyhow::Result<()> {
    let time_zone = args.tz.parse()?;
    std::fs::create_dir_all(&args.data_dir)
        .with_context(|| format!("cannot create the data folder {}", args.data_dir.display()))?;
    let config = stack::Config {
        database_url: format!("sqlite://{}", args.data_dir.join("campusdesk.db").display()),
        tickets_addr: args.tickets_addr,
        analytics_addr: args.analytics_addr,
        web_addr: args.web_addr,
        time_zone,
        demo: args.demo,
    };
    let mut stack = stack::Stack::start(config).await?;
    println!("ticket service:    {}/api/v1", stack.tickets_url);
    println!("analytics service: {}/api/v1/analytics", stack.analytics_url);
    println!("campusdesk is ready: {}/", stack.web_url);
    let ended = tokio::select! {
        result = stack.run_until_stopped() => Some(result),
        () = wait(shutdown) => None,
    };
    match ended {
        Some(result) => result,
        None => stack.stop().await,
    }
}

/// Opens the store named by `database_url` and builds the ticket service's state.
async fn tickets_state(database_url: &str) -> anyhow::Result<tickets::AppState> {
    let store = tickets::open_store(database_url).await?;
    Ok(tickets::AppState::new(store, Arc::new(classifier::Classifier::builtin())))
}

async fn bind(addr: SocketAddr, what: &str) -> anyhow::Result<TcpListener> {
    TcpListener::bind(addr).await.with_context(|| format!("cannot listen on {addr} for the {what}"))
}

/// Prints where a single service listens (tests and scripts read this line from standard output).
fn announce(listener: &TcpListener, what: &str) -> anyhow::Result<()> {
    println!("{what} listening on http://{}", listener.local_addr()?);
    Ok(())
}

/// A receiver that turns `true` on Ctrl-C or SIGTERM.
fn shutdown_signal() -> watch::Receiver<bool> {
    let (tx, rx) = watch::channel(false);
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
    rx
}

/// A future that completes when `rx` turns `true`.
async fn wait(mut rx: watch::Receiver<bool>) {
    let _ = rx.wait_for(|stop| *stop).await;
}
