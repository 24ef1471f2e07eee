//! The `campusdesk` binary: parses the command line and dispatches; the services are started
//! by the `stack` crate, the import by the typed client, the data migration by the ticket service.
//!
//! `up` runs the ticket, analytics and web services in one process on an embedded SQLite file;
//! `tickets`, `analytics` and `web` run one service each for real deployments; `import` loads a
//! CSV file of historical tickets through the ticket service's API; `migrate-data` copies a whole
//! campus from one database into another (SQLite to PostgreSQL). See `docs/operations.md`.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use anyhow::Context;
use clap::builder::TypedValueParser as _;
use clap::{Args, Parser, Subcommand};
use jiff::tz::TimeZone;

mod import;

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

/// The limits every service applies at its edge; the defaults are [`stack::Limits::default`]
/// (see docs/operations.md for each and why).
#[derive(Debug, Args)]
struct LimitArgs {
    /// Open connections each service takes at once; more wait until one closes. Keep it below
    /// the open-file limit (`ulimit -n`).
    #[arg(long, env = "CAMPUSDESK_MAX_CONNECTIONS", default_value_t = defaults().connections.max_connections)]
    max_connections: usize,
    /// Seconds a client has to send a request's head (request line and headers).
    #[arg(long, env = "CAMPUSDESK_HEADER_READ_TIMEOUT", value_name = "SECONDS",
          default_value_t = defaults().connections.header_read_timeout.as_secs())]
    header_read_timeout: u64,
    /// Seconds a kept-alive connection may wait for its next request before it is closed.
    #[arg(long, env = "CAMPUSDESK_IDLE_TIMEOUT", value_name = "SECONDS",
          default_value_t = defaults().connections.idle_timeout.as_secs())]
    idle_timeout: u64,
    /// Ticket service: open change streams per client address / in total.
    #[arg(long, env = "CAMPUSDESK_CHANGE_STREAMS", value_name = "PER_CLIENT/TOTAL",
          default_value_t = defaults().change_streams)]
    change_streams: stack::StreamLimits,
    /// Web UI: open live pages per client address / in total.
    #[arg(long, env = "CAMPUSDESK_LIVE_PAGES", value_name = "PER_CLIENT/TOTAL",
          default_value_t = defaults().live_pages)]
    live_pages: stack::StreamLimits,
    /// Ticket service: new tickets, messages and imports per client address, each a minute /
    /// in a burst (0 = no limit).
    #[arg(long, env = "CAMPUSDESK_WRITE_LIMIT", value_name = "PER_MINUTE/BURST",
          default_value_t = defaults().writes)]
    write_limit: stack::RateQuota,
    /// Ticket service: classifications (the report form's category hint) per client address.
    #[arg(long, env = "CAMPUSDESK_CLASSIFY_LIMIT", value_name = "PER_MINUTE/BURST",
          default_value_t = defaults().classify)]
    classify_limit: stack::RateQuota,
    /// Web UI: role changes (`POST /session`) per client address.
    #[arg(long, env = "CAMPUSDESK_SESSION_LIMIT", value_name = "PER_MINUTE/BURST",
          default_value_t = defaults().sessions)]
    session_limit: stack::RateQuota,
    /// Peers whose X-Forwarded-For header names the client: addresses and CIDR ranges, comma
    /// separated (empty: none).
    #[arg(long, env = "CAMPUSDESK_TRUSTED_PROXIES", value_name = "LIST",
          default_value_t = defaults().trusted_proxies)]
    trusted_proxies: stack::TrustedProxies,
}

fn defaults() -> stack::Limits {
    stack::Limits::default()
}

impl LimitArgs {
    fn limits(&self) -> stack::Limits {
        stack::Limits {
            connections: stack::ConnectionLimits {
                max_connections: self.max_connections,
                header_read_timeout: Duration::from_secs(self.header_read_timeout),
                idle_timeout: Duration::from_secs(self.idle_timeout),
            },
            change_streams: self.change_streams,
            live_pages: self.live_pages,
            writes: self.write_limit,
            classify: self.classify_limit,
            sessions: self.session_limit,
            trusted_proxies: self.trusted_proxies.clone(),
        }
    }
}

/// How many files a post may carry and how large each may be (see docs/operations.md).
#[derive(Debug, Args)]
struct AttachmentArgs {
    /// Ticket service: largest attached file, in bytes.
    #[arg(long, env = "CAMPUSDESK_ATTACHMENT_MAX_BYTES", value_name = "BYTES",
          default_value_t = tickets::attachments::AttachmentLimits::default().max_bytes,
          value_parser = clap::value_parser!(u64).range(1..).map(|n| usize::try_from(n).unwrap_or(usize::MAX)))]
    attachment_max_bytes: usize,
    /// Ticket service: most files attached to one report or message.
    #[arg(long, env = "CAMPUSDESK_ATTACHMENT_MAX_FILES", value_name = "COUNT",
          default_value_t = tickets::attachments::AttachmentLimits::default().max_files,
          value_parser = clap::value_parser!(u64).range(1..=50).map(|n| usize::try_from(n).unwrap_or(50)))]
    attachment_max_files: usize,
}

impl AttachmentArgs {
    fn limits(&self) -> tickets::attachments::AttachmentLimits {
        tickets::attachments::AttachmentLimits {
            max_bytes: self.attachment_max_bytes,
            max_files: self.attachment_max_files,
        }
    }
}

/// How the ticket workflow behaves (see docs/operations.md).
#[derive(Debug, Args)]
struct WorkflowArgs {
    /// Ticket service: for how many seconds after closing a ticket staff may undo the closing
    /// (0: no undo).
    #[arg(long, env = "CAMPUSDESK_UNDO_CLOSE_SECONDS", value_name = "SECONDS",
          default_value_t = domain::UNDO_CLOSE_WINDOW.as_secs().unsigned_abs(),
          value_parser = clap::value_parser!(u64).range(0..=86_400))]
    undo_close_seconds: u64,
}

impl WorkflowArgs {
    fn undo_close_window(&self) -> jiff::SignedDuration {
        jiff::SignedDuration::from_secs(i64::try_from(self.undo_close_seconds).unwrap_or(86_400))
    }
}

#[derive(Debug, Args)]
struct PublicOriginArg {
    /// The origin people open the web UI at, e.g. `https://helpdesk.example.edu` (several:
    /// comma-separated); form posts whose `Origin` names another are refused. Default: the
    /// origin each request was addressed to (`Host`, or `X-Forwarded-Host` and
    /// `X-Forwarded-Proto` from a proxy).
    #[arg(long, env = "CAMPUSDESK_PUBLIC_ORIGIN")]
    public_origin: Option<String>,
}

impl PublicOriginArg {
    fn parse(&self) -> anyhow::Result<stack::PublicOrigin> {
        stack::PublicOrigin::parse(self.public_origin.as_deref())
    }
}

#[derive(Debug, Args)]
struct MailArgs {
    /// The SMTP server e-mail updates to reporters are sent through, e.g. `smtp.campus.example`.
    /// Without it e-mail updates are off: the report form says so and the API refuses an
    /// address.
    #[arg(long, env = "CAMPUSDESK_SMTP_HOST")]
    smtp_host: Option<String>,
    /// Its port. Default: 25 (`none`), 587 (`starttls`) or 465 (`tls`).
    #[arg(long, env = "CAMPUSDESK_SMTP_PORT")]
    smtp_port: Option<u16>,
    /// How the connection is protected: `none` (plain text, a relay on a trusted network),
    /// `starttls` (the server must offer STARTTLS) or `tls` (TLS from the first byte).
    #[arg(long, env = "CAMPUSDESK_SMTP_TLS", default_value = "starttls")]
    smtp_tls: String,
    /// The sender of the e-mails, e.g. `Campus Helpdesk <helpdesk@campus.example>`; needed
    /// with `--smtp-host`.
    #[arg(long, env = "CAMPUSDESK_SMTP_FROM")]
    smtp_from: Option<String>,
    /// User name for the SMTP login, when the server wants one (with `CAMPUSDESK_SMTP_PASSWORD`).
    #[arg(long, env = "CAMPUSDESK_SMTP_USER")]
    smtp_user: Option<String>,
    /// Password for the SMTP login (prefer the environment variable to the flag).
    #[arg(long, env = "CAMPUSDESK_SMTP_PASSWORD", hide_env_values = true)]
    smtp_password: Option<String>,
    /// The web UI's public URL, e.g. `https://helpdesk.campus.example`: the links in the
    /// e-mails start with it. `up` defaults to its own web address; `tickets` needs it with
    /// `--smtp-host`.
    #[arg(long, env = "CAMPUSDESK_PUBLIC_URL")]
    public_url: Option<String>,
    /// For how many days a sent e-mail stays in the outbox before the ticket service deletes
    /// it (0: keep them all).
    #[arg(long, env = "CAMPUSDESK_KEEP_SENT_EMAILS_DAYS", value_name = "DAYS",
          default_value_t = tickets::mail::KEEP_SENT_DEFAULT.as_secs() / 86_400,
          value_parser = clap::value_parser!(u64).range(0..=36_500))]
    keep_sent_emails_days: u64,
}

impl MailArgs {
    /// The mail configuration; `None` without `--smtp-host`.
    fn config(&self) -> anyhow::Result<Option<stack::MailConfig>> {
        let Some(host) = self.smtp_host.as_deref().map(str::trim).filter(|h| !h.is_empty()) else {
            return Ok(None);
        };
        let Some(from) = self.smtp_from.clone() else {
            anyhow::bail!(
                "CAMPUSDESK_SMTP_FROM (--smtp-from) is needed with CAMPUSDESK_SMTP_HOST: the e-mails' sender"
            )
        };
        let credentials = match (&self.smtp_user, &self.smtp_password) {
            (Some(user), Some(password)) => {
                Some(tickets::mail::SmtpLogin { user: user.clone(), password: password.clone() })
            }
            (None, None) => None,
            _ => anyhow::bail!("give both CAMPUSDESK_SMTP_USER and CAMPUSDESK_SMTP_PASSWORD, or neither"),
        };
        Ok(Some(stack::MailConfig {
            host: host.to_owned(),
            port: self.smtp_port,
            tls: tickets::mail::TlsMode::parse(&self.smtp_tls)?,
            credentials,
            from,
            public_url: self.public_url.clone(),
            keep_sent: (self.keep_sent_emails_days > 0)
                .then(|| std::time::Duration::from_secs(self.keep_sent_emails_days * 86_400)),
        }))
    }

    /// The ticket service's settings, for a service that does not know the web UI's address.
    fn settings(&self) -> anyhow::Result<Option<tickets::mail::MailSettings>> {
        let Some(config) = self.config()? else { return Ok(None) };
        let Some(public_url) = config.public_url.clone() else {
            anyhow::bail!(
                "CAMPUSDESK_PUBLIC_URL (--public-url) is needed with CAMPUSDESK_SMTP_HOST: the web UI's \
                 address, which the e-mails' links start with"
            )
        };
        config.settings(&public_url).map(Some)
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
    #[command(flatten)]
    limits: LimitArgs,
    #[command(flatten)]
    attachments: AttachmentArgs,
    #[command(flatten)]
    workflow: WorkflowArgs,
    #[command(flatten)]
    origin: PublicOriginArg,
    #[command(flatten)]
    mail: MailArgs,
}

#[derive(Debug, Args)]
struct TicketsArgs {
    /// Address to listen on.
    #[arg(long, env = "CAMPUSDESK_ADDR", default_value = "127.0.0.1:8081")]
    addr: SocketAddr,
    /// `sqlite://PATH` (created when missing) or `postgres://...`.
    #[arg(long, env = "CAMPUSDESK_DATABASE_URL")]
    database_url: String,
    #[command(flatten)]
    limits: LimitArgs,
    #[command(flatten)]
    mail: MailArgs,
    #[command(flatten)]
    attachments: AttachmentArgs,
    #[command(flatten)]
    workflow: WorkflowArgs,
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
    #[command(flatten)]
    limits: LimitArgs,
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
    #[command(flatten)]
    limits: LimitArgs,
    #[command(flatten)]
    attachments: AttachmentArgs,
    #[command(flatten)]
    origin: PublicOriginArg,
}

#[derive(Debug, Args)]
struct ImportArgs {
    /// Base URL of the ticket service.
    #[arg(long, env = "CAMPUSDESK_TICKETS_URL", default_value = "http://127.0.0.1:8081")]
    tickets_url: String,
    /// Sent as the `Idempotency-Key`: running the command again with the same key (after a
    /// lost answer, say) follows the first run's import job instead of importing twice.
    /// Without it the file's SHA-256 digest plays that part.
    #[arg(long, env = "CAMPUSDESK_IMPORT_KEY")]
    idempotency_key: Option<String>,
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
    let shutdown = stack::shutdown_signal();
    match cli.command {
        Command::Up(args) => {
            let config = stack::Config {
                database_url: stack::embedded_database_url(&args.data_dir)?,
                tickets_addr: args.tickets_addr,
                analytics_addr: args.analytics_addr,
                web_addr: args.web_addr,
                time_zone: args.tz.parse()?,
                demo: args.demo,
                limits: args.limits.limits(),
                attachments: args.attachments.limits(),
                undo_close_window: args.workflow.undo_close_window(),
                public_origin: args.origin.parse()?,
                mail: args.mail.config()?,
            };
            let stack = stack::Stack::start(config).await?;
            println!("ticket service:    {}/api/v1", stack.tickets.url());
            println!("analytics service: {}/api/v1/analytics", stack.analytics.url());
            println!("campusdesk is ready: {}/", stack.web.url());
            stack.run_until(shutdown).await
        }
        Command::Tickets(args) => {
            let config = stack::TicketsConfig {
                addr: args.addr,
                database_url: args.database_url,
                demo: false,
                limits: args.limits.limits(),
                mail: args.mail.settings()?,
                attachments: args.attachments.limits(),
                undo_close_window: args.workflow.undo_close_window(),
            };
            run_alone(stack::start_tickets(config).await?, shutdown).await
        }
        Command::Analytics(args) => {
            let config = stack::AnalyticsConfig {
                addr: args.addr,
                tickets_url: args.tickets_url,
                time_zone: args.tz.parse()?,
                connections: args.limits.limits().connections,
            };
            run_alone(stack::start_analytics(config).await?, shutdown).await
        }
        Command::Web(args) => {
            let config = stack::WebConfig {
                addr: args.addr,
                tickets_url: args.tickets_url,
                analytics_url: args.analytics_url,
                time_zone: args.tz.parse()?,
                limits: args.limits.limits(),
                attachments: args.attachments.limits(),
                public_origin: args.origin.parse()?,
            };
            run_alone(stack::start_web(config).await?, shutdown).await
        }
        Command::Import(args) => {
            let done = import::run(&args.tickets_url, &args.file, args.idempotency_key.as_deref()).await?;
            println!("{done}");
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

/// Prints where a single service listens (tests and scripts read this line from standard
/// output) and runs it until the shutdown signal or until it fails.
async fn run_alone(service: stack::Service, shutdown: impl Future<Output = ()>) -> anyhow::Result<()> {
    println!("{} listening on {}", service.name(), service.url());
    service.run_until(shutdown).await
}
