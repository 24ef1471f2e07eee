//! E-mail updates to reporters: the SMTP settings ([`MailSettings`]), the e-mail of one
//! notification ([`render`]) and the sender task ([`sender::spawn_sender`]) that delivers the
//! outbox. The reporter's address is checked by [`domain::parse_address`].
//!
//! The flow: a campus user reports a ticket with an address (`reporter_email`); the store keeps
//! it with a random unsubscribe token. When staff post a message or change the status, the
//! store writes one outbox row in the same transaction (see [`store::outbox`]). The sender
//! claims due rows with a lease, sends each with lettre over SMTP, and marks it sent, or makes
//! it due again after a backoff when the server fails. Without [`MailSettings`] the feature is
//! off: `POST /api/v1/tickets` refuses an address (422) and nothing is sent.

pub mod sender;

use std::time::Duration;

use lettre::Address;
use lettre::message::Mailbox;
use lettre::message::header::{Header, HeaderName, HeaderValue};
use store::{Notification, NotificationKind, StoreError, TicketStore};

/// How the connection to the SMTP server is protected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TlsMode {
    /// Plain text: only for a relay on the same host or a trusted network (default port 25).
    None,
    /// Plain text upgraded with `STARTTLS`, which the server must offer (default port 587).
    StartTls,
    /// TLS from the first byte ("implicit TLS", default port 465).
    Tls,
}

impl TlsMode {
    /// Reads `none`, `starttls` or `tls` (any letter case).
    ///
    /// Errors: any other value, with a sentence naming the three.
    pub fn parse(text: &str) -> anyhow::Result<Self> {
        match text.trim().to_ascii_lowercase().as_str() {
            "none" => Ok(TlsMode::None),
            "starttls" => Ok(TlsMode::StartTls),
            "tls" => Ok(TlsMode::Tls),
            other => anyhow::bail!("the SMTP TLS mode must be none, starttls or tls, not {other:?}"),
        }
    }

    /// The port an SMTP server usually listens on in this mode: 25, 587 or 465.
    pub fn default_port(self) -> u16 {
        match self {
            TlsMode::None => 25,
            TlsMode::StartTls => 587,
            TlsMode::Tls => 465,
        }
    }
}

/// The SMTP login: user name and password. Its `Debug` shows the user only, so a logged
/// configuration never carries the password.
#[derive(Clone, PartialEq, Eq)]
pub struct SmtpLogin {
    /// User name.
    pub user: String,
    /// Password.
    pub password: String,
}

impl std::fmt::Debug for SmtpLogin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SmtpLogin").field("user", &self.user).field("password", &"(hidden)").finish()
    }
}

/// Where and how the ticket service sends e-mail updates. Without it (`None` in the
/// configuration) e-mail updates are off.
#[derive(Debug, Clone)]
pub struct MailSettings {
    /// The SMTP server's host name (checked against its certificate in the TLS modes).
    pub host: String,
    /// Its port.
    pub port: u16,
    /// How the connection is protected.
    pub tls: TlsMode,
    /// User name and password, when the server wants a login.
    pub credentials: Option<SmtpLogin>,
    /// The sender, e.g. `Campus Helpdesk <helpdesk@campus.example>`.
    pub from: Mailbox,
    /// The web UI's public origin, e.g. `https://helpdesk.campus.example` (no trailing slash):
    /// the links in each e-mail start with it.
    pub public_url: String,
    /// Longest wait between two attempts at one notification (the backoff doubles from 1 s up
    /// to it).
    pub max_backoff: Duration,
    /// How long a sent e-mail stays in the outbox before the sender deletes it
    /// ([`KEEP_SENT_DEFAULT`] unless set); `None`: forever.
    pub keep_sent: Option<Duration>,
}

/// How long sent e-mails stay in the outbox unless configured: 30 days. Their rows hold the
/// reporter's address and the staff message's text, which the ticket itself keeps anyway; 30
/// days is long enough to answer "did the e-mail go out?" about any recent change.
pub const KEEP_SENT_DEFAULT: Duration = Duration::from_secs(30 * 24 * 60 * 60);

impl MailSettings {
    /// Settings for the server `host`, sending as `from` with links under `public_url`. `port`
    /// `None` takes the mode's usual port; the backoff is capped at one minute; sent e-mails
    /// are kept [`KEEP_SENT_DEFAULT`].
    ///
    /// Errors: `from` is not an address (optionally with a display name), or `public_url` is
    /// not `http(s)://HOST[:PORT]`.
    pub fn new(
        host: &str,
        port: Option<u16>,
        tls: TlsMode,
        from: &str,
        public_url: &str,
    ) -> anyhow::Result<Self> {
        let from: Mailbox = from.parse().map_err(|err| {
            anyhow::anyhow!(
                "the sender address {from:?} is not an e-mail address ({err}); give one like \
                 \"Campus Helpdesk <helpdesk@campus.example>\""
            )
        })?;
        let public_url = public_url.trim().trim_end_matches('/').to_owned();
        let host_part = public_url.strip_prefix("https://").or_else(|| public_url.strip_prefix("http://"));
        if host_part.is_none_or(|h| h.is_empty() || h.contains(['/', '?', '#', '@', ' '])) {
            anyhow::bail!(
                "the public URL {public_url:?} of the web UI must look like https://helpdesk.campus.example \
                 (the e-mails' links start with it)"
            );
        }
        Ok(MailSettings {
            host: host.trim().to_owned(),
            port: port.unwrap_or(tls.default_port()),
            tls,
            credentials: None,
            from,
            public_url,
            max_backoff: Duration::from_secs(60),
            keep_sent: Some(KEEP_SENT_DEFAULT),
        })
    }
}

/// A new unsubscribe token: 128 random bits from the operating system, as 32 hex digits.
///
/// Errors: the operating system's random source failed.
pub fn new_token() -> anyhow::Result<String> {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).map_err(|err| anyhow::anyhow!("the random source failed: {err}"))?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

/// The reporter's private link to ticket `ticket_id` under the web UI's `origin`:
/// `{origin}/r/{token}` with the ticket's private token (read from `store`), which opens the
/// reporter's view from any device, closed tickets included. A ticket stored before private
/// links existed has no token: its public page `{origin}/tickets/{id}` instead.
///
/// Errors: reading the ticket's token failed.
pub async fn private_link(
    store: &dyn TicketStore,
    origin: &str,
    ticket_id: i64,
) -> Result<String, StoreError> {
    Ok(match store.reporter_token(ticket_id).await? {
        Some(token) => format!("{origin}/r/{token}"),
        None => format!("{origin}/tickets/{ticket_id}"),
    })
}

/// The unsubscribe page of a subscription's `token`, under the web UI's `origin`.
pub fn unsubscribe_link(origin: &str, token: &str) -> String {
    format!("{origin}/unsubscribe/{token}")
}

/// One notification as an e-mail's parts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Email {
    /// The recipient's address.
    pub to: String,
    /// The subject: the ticket number and what changed.
    pub subject: String,
    /// The plain-text body: the change, the ticket number, the private link, the unsubscribe link.
    pub body: String,
    /// The unsubscribe link, also sent as the `List-Unsubscribe` header (RFC 2369) and, when it
    /// is an `https` link, offered for one-click unsubscribing (RFC 8058, see [`message`]).
    pub unsubscribe: String,
}

/// The e-mail telling `notification`'s recipient of the change, with the reporter's private
/// `link` to the ticket and the `unsubscribe` link.
pub fn render(notification: &Notification, link: &str, unsubscribe: &str) -> Email {
    let id = notification.ticket_id;
    let (subject, change) = match notification.kind {
        NotificationKind::Message => (
            format!("Ticket #{id}: the helpdesk wrote to you"),
            format!("The helpdesk wrote on your ticket #{id}:\n\n{}", quote(&notification.detail)),
        ),
        NotificationKind::Status => {
            let status = notification.detail.as_str();
            let what = match status {
                "closed" => "was closed".to_owned(),
                "active" => "is being worked on (status: active)".to_owned(),
                "reopened" => "was reopened: its closing was undone, and work on it goes on".to_owned(),
                other => format!("is now {other}"),
            };
            (format!("Ticket #{id} {what}"), format!("Your ticket #{id} {what}."))
        }
    };
    let body = format!(
        "Hello,\n\n{change}\n\nSee the whole ticket and answer on its page:\n{link}\n\n-- \n\
         You get this e-mail because you gave this address when you reported ticket #{id}.\n\
         To get no more e-mails about it, open:\n{unsubscribe}\n"
    );
    Email { to: notification.address.clone(), subject, body, unsubscribe: unsubscribe.to_owned() }
}

/// `text` with every line indented by four spaces (the quoted message).
fn quote(text: &str) -> String {
    text.lines().map(|line| format!("    {line}")).collect::<Vec<_>>().join("\n")
}

/// The `List-Unsubscribe` header (RFC 2369): `<URL>`.
#[derive(Debug, Clone)]
struct ListUnsubscribe(String);

impl Header for ListUnsubscribe {
    fn name() -> HeaderName {
        HeaderName::new_from_ascii_str("List-Unsubscribe")
    }

    fn parse(text: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(ListUnsubscribe(text.trim().trim_start_matches('<').trim_end_matches('>').to_owned()))
    }

    fn display(&self) -> HeaderValue {
        HeaderValue::new(Self::name(), format!("<{}>", self.0))
    }
}

/// The `List-Unsubscribe-Post` header (RFC 8058, section 3.1): always the one pair
/// `List-Unsubscribe=One-Click`, which a mail provider sends back as the body of a `POST` to
/// the `List-Unsubscribe` link when the person presses its "unsubscribe" button.
#[derive(Debug, Clone)]
struct ListUnsubscribePost;

/// The only value RFC 8058 allows in `List-Unsubscribe-Post`.
const ONE_CLICK: &str = "List-Unsubscribe=One-Click";

impl Header for ListUnsubscribePost {
    fn name() -> HeaderName {
        HeaderName::new_from_ascii_str("List-Unsubscribe-Post")
    }

    fn parse(text: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        if text.trim() == ONE_CLICK {
            Ok(ListUnsubscribePost)
        } else {
            Err(format!("not {ONE_CLICK}").into())
        }
    }

    fn display(&self) -> HeaderValue {
        HeaderValue::new(Self::name(), ONE_CLICK.to_owned())
    }
}

/// `email` as a message from `from`, ready for SMTP: plain text, with `List-Unsubscribe`
/// (RFC 2369) and, when the unsubscribe link is `https` (RFC 8058 allows one-click only over
/// HTTPS), `List-Unsubscribe-Post: List-Unsubscribe=One-Click` (RFC 8058): the web UI's
/// `POST /unsubscribe/{token}` takes that body without cookies or a form token.
///
/// Errors: the recipient is not an address (it was checked when stored, so only a restored
/// or hand-edited row), or the message cannot be built.
pub fn message(from: &Mailbox, email: &Email) -> anyhow::Result<lettre::Message> {
    let to: Address = email
        .to
        .parse()
        .map_err(|err| anyhow::anyhow!("the recipient {:?} is not an e-mail address: {err}", email.to))?;
    let mut builder = lettre::Message::builder()
        .from(from.clone())
        .to(Mailbox::new(None, to))
        .subject(email.subject.clone())
        .header(ListUnsubscribe(email.unsubscribe.clone()));
    if email.unsubscribe.starts_with("https://") {
        builder = builder.header(ListUnsubscribePost);
    }
    builder
        .header(lettre::message::header::ContentType::TEXT_PLAIN)
        .body(email.body.clone())
        .map_err(|err| anyhow::anyhow!("cannot build the e-mail: {err}"))
}

#[cfg(test)]
mod tests {
    use jiff::Timestamp;

    use super::*;

    fn notification(kind: NotificationKind, detail: &str) -> Notification {
        Notification {
            id: 1,
            ticket_id: 334,
            address: "ana@campus.example".into(),
            unsubscribe_token: "abc".into(),
            kind,
            detail: detail.into(),
            created_at: Timestamp::UNIX_EPOCH,
            attempts: 0,
            next_attempt_at: Timestamp::UNIX_EPOCH,
            lease_until: None,
            sent_at: None,
            last_error: None,
        }
    }

    #[test]
    fn a_message_e_mail_quotes_the_text_and_carries_both_links() {
        let email = render(
            &notification(NotificationKind::Message, "We come at 3.\nBring the key."),
            "https://desk.example/r/tok",
            "https://desk.example/unsubscribe/abc",
        );
        assert_eq!(email.to, "ana@campus.example");
        assert_eq!(email.subject, "Ticket #334: the helpdesk wrote to you");
        assert!(email.body.contains("    We come at 3.\n    Bring the key."), "{}", email.body);
        assert!(email.body.contains("https://desk.example/r/tok"));
        assert!(email.body.contains("https://desk.example/unsubscribe/abc"));
    }

    #[test]
    fn a_status_e_mail_says_the_new_status_in_its_subject() {
        let email = render(&notification(NotificationKind::Status, "closed"), "L", "U");
        assert_eq!(email.subject, "Ticket #334 was closed");
        let email = render(&notification(NotificationKind::Status, "active"), "L", "U");
        assert_eq!(email.subject, "Ticket #334 is being worked on (status: active)");
        let email = render(&notification(NotificationKind::Status, "reopened"), "L", "U");
        assert!(
            email.body.contains("Your ticket #334 was reopened: its closing was undone"),
            "{}",
            email.body
        );
    }

    /// The "closed" e-mail with `unsubscribe` as its link, as SMTP would carry it.
    fn formatted(unsubscribe: &str) -> String {
        let from: Mailbox = "Helpdesk <desk@campus.example>".parse().expect("a mailbox");
        let email = render(&notification(NotificationKind::Status, "closed"), "L", unsubscribe);
        String::from_utf8(message(&from, &email).expect("a message").formatted()).expect("utf-8")
    }

    #[test]
    fn the_message_carries_the_list_unsubscribe_header() {
        let formatted = formatted("https://d.example/unsubscribe/abc");
        assert!(formatted.contains("List-Unsubscribe: <https://d.example/unsubscribe/abc>"), "{formatted}");
        assert!(formatted.contains("List-Unsubscribe-Post: List-Unsubscribe=One-Click"), "{formatted}");
        assert!(formatted.contains("To: ana@campus.example"), "{formatted}");
    }

    #[test]
    fn a_plain_http_link_is_not_offered_for_one_click() {
        let formatted = formatted("http://d.example/unsubscribe/abc");
        assert!(formatted.contains("List-Unsubscribe: <http://d.example/unsubscribe/abc>"), "{formatted}");
        assert!(!formatted.contains("List-Unsubscribe-Post"), "{formatted}");
    }

    #[test]
    fn settings_check_the_sender_and_the_public_url() {
        let ok = MailSettings::new(
            "smtp.example",
            None,
            TlsMode::StartTls,
            "Desk <d@campus.example>",
            "https://h.example/",
        )
        .expect("valid settings");
        assert_eq!((ok.port, ok.public_url.as_str()), (587, "https://h.example"));
        assert!(MailSettings::new("s", None, TlsMode::Tls, "not an address", "https://h.example").is_err());
        assert!(MailSettings::new("s", None, TlsMode::Tls, "d@x.example", "h.example").is_err());
        assert_eq!(TlsMode::parse("STARTTLS").expect("a mode"), TlsMode::StartTls);
        assert!(TlsMode::parse("ssl").is_err());
    }

    #[test]
    fn the_login_password_never_shows_in_debug_output() {
        let login = SmtpLogin { user: "desk".into(), password: "s3cret".into() };
        let shown = format!("{login:?}");
        assert!(shown.contains("desk") && !shown.contains("s3cret"), "{shown}");
    }

    #[test]
    fn tokens_are_32_hex_digits_and_differ() {
        let (a, b) = (new_token().expect("a token"), new_token().expect("a token"));
        assert_eq!(a.len(), 32);
        assert!(a.bytes().all(|c| c.is_ascii_hexdigit()));
        assert_ne!(a, b);
    }
}
