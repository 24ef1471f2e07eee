//! E-mail updates against a real SMTP server: Debian's aiosmtpd (`python3-aiosmtpd`), started
//! by each test on a free port through `smtp_sink.py`, which saves every accepted message as a
//! file the test reads. What a reporter would notice: who gets which e-mail, its subject and
//! links, that an outage delays but neither loses nor repeats anything, that unsubscribing
//! works, that a closing undone within the undo window (a short one here) sends nothing, and
//! that a malformed address is refused with the typed text kept.

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use api::{ClientError, CreateTicketRequest};
use domain::Status;

use crate::helpers::{Backend, Stack, WebSession, eventually, expect_problem, staff, user};

/// The sender the tests configure.
const FROM: &str = "Campus Helpdesk <helpdesk@campus.test>";
/// The web UI's public URL the PostgreSQL stack (separate processes) is given; `up` on SQLite
/// is given none and must use its own web address.
const PUBLIC_URL: &str = "http://helpdesk.campus.test";
/// The undo window the mail tests run with: a closing's e-mail waits this long.
const UNDO_SECONDS: u64 = 3;

/// Debian's Python, which has `python3-aiosmtpd` (`CAMPUSDESK_TEST_PYTHON` overrides it).
fn python() -> String {
    std::env::var("CAMPUSDESK_TEST_PYTHON").unwrap_or_else(|_| "/usr/bin/python3".into())
}

/// An aiosmtpd server on a fixed port that can be stopped and started again.
pub(crate) struct SmtpSink {
    port: u16,
    folder: tempfile::TempDir,
    server: Option<Child>,
}

impl SmtpSink {
    /// Picks a free port and starts the server on it.
    pub(crate) fn start() -> SmtpSink {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|listener| listener.local_addr())
            .expect("a free port")
            .port();
        let mut sink = SmtpSink { port, folder: tempfile::tempdir().expect("a folder"), server: None };
        sink.resume();
        sink
    }

    /// Starts the server (again) on its port and waits until it accepts connections.
    fn resume(&mut self) {
        let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/stack/smtp_sink.py");
        let mut child = Command::new(python())
            .arg(&script)
            .arg(self.port.to_string())
            .arg(self.folder.path())
            .stdout(Stdio::piped())
            .stderr(if std::env::var_os("TEST_LOG").is_some() { Stdio::inherit() } else { Stdio::null() })
            .spawn()
            .expect("start the SMTP server (Debian's python3 with python3-aiosmtpd)");
        let stdout = child.stdout.take().expect("stdout");
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        match rx.recv_timeout(Duration::from_secs(30)) {
            Ok(line) if line == "ready" => {}
            other => {
                let _ = child.kill();
                panic!("the SMTP server did not start (is python3-aiosmtpd installed?): {other:?}")
            }
        }
        self.server = Some(child);
    }

    /// Stops the server: connections to its port are refused until [`SmtpSink::resume`].
    fn stop(&mut self) {
        if let Some(mut child) = self.server.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Every message received so far, oldest first by file time.
    fn mails(&self) -> Vec<Mail> {
        let mut files: Vec<_> = std::fs::read_dir(self.folder.path())
            .expect("the mail folder")
            .filter_map(Result::ok)
            .filter(|entry| entry.path().extension().is_some_and(|ext| ext == "eml"))
            .map(|entry| {
                let modified = entry.metadata().and_then(|m| m.modified()).expect("a file time");
                (modified, entry.path())
            })
            .collect();
        files.sort();
        files
            .into_iter()
            .map(|(_, path)| Mail::parse(&std::fs::read_to_string(path).expect("a mail")))
            .collect()
    }

    /// Waits (at most 20 s) until `count` messages have arrived and returns them.
    pub(crate) async fn wait_for(&self, count: usize) -> Vec<Mail> {
        eventually(&format!("{count} e-mails to arrive"), || async {
            let mails = self.mails();
            (mails.len() >= count).then_some(mails)
        })
        .await
    }

    /// The `SMTP_*` environment of a stack sending through this server.
    fn env(&self) -> Vec<(&'static str, String)> {
        let mut env = vec![
            ("CAMPUSDESK_SMTP_HOST", "127.0.0.1".to_owned()),
            ("CAMPUSDESK_SMTP_PORT", self.port.to_string()),
            ("CAMPUSDESK_SMTP_TLS", "none".to_owned()),
            ("CAMPUSDESK_SMTP_FROM", FROM.to_owned()),
            ("CAMPUSDESK_UNDO_CLOSE_SECONDS", UNDO_SECONDS.to_string()),
        ];
        if Backend::from_env() == Backend::Postgres {
            env.push(("CAMPUSDESK_PUBLIC_URL", PUBLIC_URL.to_owned()));
        }
        env
    }
}

impl Drop for SmtpSink {
    fn drop(&mut self) {
        self.stop();
    }
}

/// A received message: its envelope recipient, headers and decoded plain-text body.
#[derive(Debug, Clone)]
pub(crate) struct Mail {
    pub(crate) to: String,
    pub(crate) subject: String,
    list_unsubscribe: String,
    body: String,
}

impl Mail {
    fn parse(raw: &str) -> Mail {
        let raw = raw.replace("\r\n", "\n");
        let (head, body) = raw.split_once("\n\n").expect("headers and a body");
        // Unfold continuation lines, then look headers up by name.
        let head = head.replace("\n ", " ").replace("\n\t", " ");
        let header = |name: &str| {
            head.lines()
                .find_map(|line| {
                    let (key, value) = line.split_once(':')?;
                    key.eq_ignore_ascii_case(name).then(|| value.trim().to_owned())
                })
                .unwrap_or_default()
        };
        let quoted = header("Content-Transfer-Encoding").eq_ignore_ascii_case("quoted-printable");
        Mail {
            to: header("X-Envelope-To"),
            subject: header("Subject"),
            list_unsubscribe: header("List-Unsubscribe"),
            body: if quoted { decode_quoted_printable(body) } else { body.to_owned() },
        }
    }

    /// The line of the body that starts with `prefix`.
    pub(crate) fn line_starting(&self, prefix: &str) -> String {
        self.body
            .lines()
            .find(|line| line.starts_with(prefix))
            .unwrap_or_else(|| panic!("no line starting with {prefix:?} in:\n{}", self.body))
            .trim()
            .to_owned()
    }
}

/// Decodes a quoted-printable body (RFC 2045 §6.7): soft line breaks and `=XX` bytes.
fn decode_quoted_printable(text: &str) -> String {
    let text = text.replace("=\n", "");
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'='
            && let Some(byte) = text.get(i + 1..i + 3).and_then(|hex| u8::from_str_radix(hex, 16).ok())
        {
            out.push(byte);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8(out).expect("a UTF-8 body")
}

/// The stack with e-mail updates through `sink`, and the origin its links start with.
pub(crate) async fn stack_sending_to(sink: &SmtpSink) -> (Stack, String) {
    let env = sink.env();
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let stack = Stack::start_with(false, &env).await;
    let origin = match Backend::from_env() {
        Backend::Sqlite => stack.web_url.clone(),
        Backend::Postgres => PUBLIC_URL.to_owned(),
    };
    (stack, origin)
}

/// Reports a ticket through the API with `address`.
async fn report(stack: &Stack, title: &str, address: Option<&str>) -> i64 {
    let request = CreateTicketRequest {
        title: title.into(),
        description: format!("{title}, since this morning."),
        reporter_email: address.map(str::to_owned),
    };
    stack.tickets.create_ticket(&user(), &request).await.expect("a ticket").id
}

/// Waits until the ticket service has no unsent e-mail.
async fn wait_outbox_empty(stack: &Stack) {
    eventually("the outbox to be sent", || async {
        let updates = stack.tickets.email_updates().await.expect("the outbox status");
        (updates.unsent == 0).then_some(())
    })
    .await;
}

/// After `address` unsubscribed, having had `before` e-mails: a staff message to another
/// reporter arrives, and by then (the outbox goes out in order) nothing more reached `address`.
async fn assert_no_more_e_mails_to(stack: &Stack, sink: &SmtpSink, address: &str, before: usize) {
    let other = report(stack, "Printer jams on floor 2", Some("dan@campus.test")).await;
    stack.tickets.post_message(&staff(), other, "Paper refilled.").await.expect("a message");
    wait_outbox_empty(stack).await;
    let mails = sink.wait_for(before + 1).await;
    let to_address = mails.iter().filter(|m| m.to == address).count();
    assert_eq!((to_address, mails.len()), (before, before + 1), "no e-mail after unsubscribing: {mails:#?}");
}

#[tokio::test]
async fn the_reporter_gets_one_e_mail_per_staff_change_with_the_private_link() {
    let sink = SmtpSink::start();
    let (stack, origin) = stack_sending_to(&sink).await;
    assert!(stack.tickets.email_updates().await.expect("asking").available);

    // Reported from the web form, as a campus user would.
    let web = WebSession::enter(&stack.web_url, "user", "Ana").await;
    let form = web.get("/tickets/new").await;
    assert!(form.contains("name=\"email\""), "the form offers the e-mail field");
    let fields = [
        ("title", "Heating off in B204"),
        ("description", "The radiators are cold."),
        ("email", " ana@campus.test "),
    ];
    let (status, location) = web.post_for_redirect("/tickets", &fields).await;
    assert_eq!(status, reqwest::StatusCode::SEE_OTHER, "the report is taken");
    let id: i64 = location
        .trim_start_matches("/tickets/")
        .split('?')
        .next()
        .and_then(|id| id.parse().ok())
        .unwrap_or_else(|| panic!("a ticket page, not {location:?}"));

    // The address is for staff only; nothing a campus user reads carries it.
    let view = stack.tickets.ticket_view(&staff(), id).await.expect("the staff view");
    let reporter = view.reporter.expect("staff see the reporter's address");
    assert_eq!((reporter.address.as_str(), reporter.subscribed), ("ana@campus.test", true));
    assert!(stack.tickets.ticket_view(&user(), id).await.expect("the user view").reporter.is_none());
    for path in
        [format!("/tickets/{id}"), format!("/tickets/{id}/view"), "/tickets".into(), "/changes".into()]
    {
        let body =
            stack.http.get(stack.api(&path)).send().await.expect("a read").text().await.expect("a body");
        assert!(!body.contains("ana@campus.test"), "{path} shows the address to a campus user");
    }
    let staff_page =
        WebSession::enter(&stack.web_url, "staff", "Sam").await.get(&format!("/tickets/{id}")).await;
    assert!(staff_page.contains("ana@campus.test"), "the staff ticket page shows the address");

    // The reporter's own message is not mailed back; staff's three changes are, in order.
    stack.tickets.post_message(&user(), id, "Any news?").await.expect("a user message");
    stack.tickets.post_message(&staff(), id, "A technician comes at 3 pm.").await.expect("a staff message");
    stack.tickets.set_status(&staff(), id, Status::Active).await.expect("active");
    stack.tickets.set_status(&staff(), id, Status::Closed).await.expect("closed");
    wait_outbox_empty(&stack).await;
    let mails = sink.wait_for(3).await;
    assert_eq!(mails.len(), 3, "one e-mail per staff change: {mails:#?}");

    let subjects: Vec<&str> = mails.iter().map(|m| m.subject.as_str()).collect();
    assert_eq!(
        subjects,
        vec![
            format!("Ticket #{id}: the helpdesk wrote to you"),
            format!("Ticket #{id} is being worked on (status: active)"),
            format!("Ticket #{id} was closed"),
        ]
    );
    assert!(mails[0].body.contains("A technician comes at 3 pm."), "{}", mails[0].body);
    let link = mails[0].line_starting(&format!("{origin}/r/"));
    for mail in &mails {
        assert_eq!(mail.to, "ana@campus.test");
        assert_eq!(mail.line_starting(&format!("{origin}/r/")), link, "the private link");
        let unsubscribe = mail.line_starting(&format!("{origin}/unsubscribe/"));
        assert_eq!(mail.list_unsubscribe, format!("<{unsubscribe}>"), "the List-Unsubscribe header");
    }
    // The link opens the reporter's view of the closed ticket on any device, without a role.
    // (On PostgreSQL the web UI's public URL is a name for the links only: ask the web UI itself.)
    let page = reqwest::get(link.replacen(&origin, &stack.web_url, 1)).await.expect("GET the private link");
    assert_eq!(page.status(), reqwest::StatusCode::OK);
    let page = page.text().await.expect("a page");
    assert!(page.contains("Heating off in B204") && page.contains("A technician comes at 3 pm."), "{page}");
}

#[tokio::test]
async fn an_smtp_outage_delays_the_e_mails_but_loses_and_repeats_none() {
    let mut sink = SmtpSink::start();
    let (stack, _) = stack_sending_to(&sink).await;
    let id = report(&stack, "Lift stuck in building C", Some("bo@campus.test")).await;

    sink.stop();
    stack.tickets.post_message(&staff(), id, "We called the lift company.").await.expect("a message");
    stack.tickets.set_status(&staff(), id, Status::Active).await.expect("active");
    stack.tickets.set_status(&staff(), id, Status::Closed).await.expect("closed");
    // Every one was tried and failed while the server was down.
    eventually("three failed attempts", || async {
        let updates = stack.tickets.email_updates().await.expect("the outbox status");
        (updates.unsent == 3 && updates.failing == 3).then_some(())
    })
    .await;
    assert!(sink.mails().is_empty(), "nothing can arrive while the server is down");

    sink.resume();
    wait_outbox_empty(&stack).await;
    let mails = sink.wait_for(3).await;
    let mut subjects: Vec<String> = mails.iter().map(|m| m.subject.clone()).collect();
    subjects.sort();
    assert_eq!(
        subjects,
        vec![
            format!("Ticket #{id} is being worked on (status: active)"),
            format!("Ticket #{id} was closed"),
            format!("Ticket #{id}: the helpdesk wrote to you"),
        ],
        "each of the three changes arrives exactly once"
    );
    assert!(mails.iter().all(|m| m.to == "bo@campus.test"));
}

#[tokio::test]
async fn a_closing_undone_within_the_window_sends_no_e_mail() {
    let sink = SmtpSink::start();
    let (stack, _) = stack_sending_to(&sink).await;
    let misclick = report(&stack, "Projector flickers in A1", Some("eva@campus.test")).await;
    let done = report(&stack, "Door code broken", Some("finn@campus.test")).await;
    for id in [misclick, done] {
        stack.tickets.set_status(&staff(), id, Status::Active).await.expect("active");
    }
    wait_outbox_empty(&stack).await;
    assert_eq!(sink.wait_for(2).await.len(), 2, "each reporter hears the work started");

    // Closed by mistake and undone at once: the held "closed" e-mail is dropped, no "reopened".
    stack.tickets.set_status(&staff(), misclick, Status::Closed).await.expect("closed");
    stack.tickets.undo_close(&staff(), misclick).await.expect("undone");
    let updates = stack.tickets.email_updates().await.expect("the outbox status");
    assert_eq!(updates.unsent, 0, "the undo leaves nothing to send");

    // Closed for good: the e-mail waits out the window, then arrives. Had the undone closing
    // left an e-mail, it would have been due earlier and would have arrived first.
    let closed_at = std::time::Instant::now();
    stack.tickets.set_status(&staff(), done, Status::Closed).await.expect("closed");
    let updates = stack.tickets.email_updates().await.expect("the outbox status");
    assert_eq!(updates.unsent, 1, "the closed e-mail is held");
    sink.wait_for(3).await;
    let waited = closed_at.elapsed();
    wait_outbox_empty(&stack).await;
    let mails = sink.mails();
    let subjects: Vec<(&str, &str)> = mails.iter().map(|m| (m.to.as_str(), m.subject.as_str())).collect();
    assert_eq!(
        subjects[2..],
        [("finn@campus.test", format!("Ticket #{done} was closed").as_str())],
        "only the closing that stood is mailed: {mails:#?}"
    );
    assert!(
        waited >= Duration::from_secs(UNDO_SECONDS - 1),
        "the closed e-mail came after {waited:?}, before the {UNDO_SECONDS} s undo window ended"
    );
    assert!(mails.iter().all(|m| m.to != "eva@campus.test" || !m.subject.contains("closed")));
}

#[tokio::test]
async fn the_unsubscribe_link_stops_the_e_mails_after_a_confirmation_press() {
    let sink = SmtpSink::start();
    let (stack, origin) = stack_sending_to(&sink).await;
    let id = report(&stack, "Wifi down in the library", Some("cleo@campus.test")).await;
    stack.tickets.post_message(&staff(), id, "Looking into it.").await.expect("a message");
    let first = sink.wait_for(1).await.remove(0);
    let link = first.line_starting(&format!("{origin}/unsubscribe/"));
    let path = link.trim_start_matches(&origin).to_owned();

    // Opening the link (as a mail scanner would) changes nothing.
    let visitor = WebSession::enter(&stack.web_url, "user", "Cleo").await;
    let page = visitor.get(&path).await;
    assert!(page.contains("Stop e-mails about this ticket"), "{page}");
    stack.tickets.post_message(&staff(), id, "Still on it.").await.expect("a message");
    sink.wait_for(2).await;

    // The confirmation press stops them.
    let done = visitor.post(&path, &[]).await;
    assert_eq!(done.status(), reqwest::StatusCode::OK);
    let done = done.text().await.expect("a page");
    assert!(done.contains(&format!("no more e-mails about ticket #{id}")), "{done}");
    let view = stack.tickets.ticket_view(&staff(), id).await.expect("the staff view");
    assert!(!view.reporter.expect("the address is kept").subscribed, "staff see the unsubscribe");

    stack.tickets.post_message(&staff(), id, "Fixed, please check.").await.expect("a message");
    stack.tickets.set_status(&staff(), id, Status::Active).await.expect("active");
    assert_no_more_e_mails_to(&stack, &sink, "cleo@campus.test", 2).await;

    // An unknown token is a clear 404, on the page and in the API.
    let unknown = visitor.post("/unsubscribe/not-a-token", &[]).await;
    assert_eq!(unknown.status(), reqwest::StatusCode::NOT_FOUND);
    assert!(unknown.text().await.expect("a page").contains("This unsubscribe link is not known"));
    let response = stack.http.post(stack.api("/unsubscribe/not-a-token")).send().await.expect("a call");
    expect_problem(response, 404).await;
}

/// A mail provider's unsubscribe button (RFC 8058): a POST of `List-Unsubscribe=One-Click` to
/// the link, from a client with no cookies and no form token, stops the e-mails at once and is
/// answered 200 (no redirect). A browser's post from another site is still refused.
#[tokio::test]
async fn a_mail_provider_s_one_click_unsubscribe_stops_the_e_mails() {
    let sink = SmtpSink::start();
    let (stack, origin) = stack_sending_to(&sink).await;
    let id = report(&stack, "Projector dead in lecture hall 3", Some("eve@campus.test")).await;
    stack.tickets.post_message(&staff(), id, "A technician is on the way.").await.expect("a message");
    let first = sink.wait_for(1).await.remove(0);
    let path = first.line_starting(&format!("{origin}/unsubscribe/")).trim_start_matches(&origin).to_owned();
    let url = format!("{}{path}", stack.web_url);
    // What the provider's server is: no cookie store, no redirects followed.
    let provider = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("an HTTP client");
    let subscribed = || async {
        let view = stack.tickets.ticket_view(&staff(), id).await.expect("the staff view");
        view.reporter.expect("the address is kept").subscribed
    };

    // From a page on another site, in a browser, the same post is refused and changes nothing.
    let forged = provider
        .post(&url)
        .header("Origin", "http://elsewhere.example")
        .header("Sec-Fetch-Site", "cross-site")
        .form(&[("List-Unsubscribe", "One-Click")])
        .send()
        .await
        .expect("a forged post");
    assert_eq!(forged.status(), reqwest::StatusCode::FORBIDDEN);
    assert!(subscribed().await, "a refused post unsubscribes nothing");

    // The provider's one-click post, as RFC 8058 recommends it: multipart/form-data.
    let form = reqwest::multipart::Form::new().text("List-Unsubscribe", "One-Click");
    let done = provider.post(&url).multipart(form).send().await.expect("the one-click post");
    assert_eq!(done.status(), reqwest::StatusCode::OK, "answered at once, not redirected");
    let page = done.text().await.expect("a page");
    assert!(page.contains(&format!("no more e-mails about ticket #{id}")), "{page}");
    assert!(!subscribed().await, "staff see the unsubscribe");

    // Pressed twice (url-encoded this time), it says the same and still sends nothing.
    let again =
        provider.post(&url).form(&[("List-Unsubscribe", "One-Click")]).send().await.expect("a second post");
    assert_eq!(again.status(), reqwest::StatusCode::OK);
    stack.tickets.set_status(&staff(), id, Status::Active).await.expect("active");
    assert_no_more_e_mails_to(&stack, &sink, "eve@campus.test", 1).await;
}

#[tokio::test]
async fn a_malformed_address_is_refused_with_the_typed_text_kept() {
    let sink = SmtpSink::start();
    let (stack, _) = stack_sending_to(&sink).await;
    let web = WebSession::enter(&stack.web_url, "user", "Ana").await;
    let fields =
        [("title", "Broken window"), ("description", "Room 12, the left one."), ("email", "ana@@campus")];
    let response = web.post("/tickets", &fields).await;
    assert_eq!(response.status(), reqwest::StatusCode::UNPROCESSABLE_ENTITY);
    let page = response.text().await.expect("the form again");
    assert!(page.contains("is not an e-mail address"), "{page}");
    assert!(page.contains("value=\"ana@@campus\""), "the address is kept");
    assert!(page.contains("value=\"Broken window\"") && page.contains("Room 12, the left one."));

    let request = CreateTicketRequest {
        title: "Broken window".into(),
        description: "Room 12".into(),
        reporter_email: Some("not an address".into()),
    };
    match stack.tickets.create_ticket(&user(), &request).await {
        Err(ClientError::Problem(problem)) => {
            assert_eq!((problem.status.as_u16(), problem.field.as_deref()), (422, Some("reporter_email")));
        }
        other => panic!("a malformed address must be refused, got {other:?}"),
    }
    let page = stack.tickets.list_tickets(&user(), &Default::default()).await.expect("the list");
    assert_eq!(page.total, 0, "nothing was stored");
}

#[tokio::test]
async fn without_smtp_the_form_says_so_and_the_api_refuses_an_address() {
    let stack = Stack::start(false).await;
    assert!(!stack.tickets.email_updates().await.expect("asking").available);
    let web = WebSession::enter(&stack.web_url, "user", "Ana").await;
    let form = web.get("/tickets/new").await;
    assert!(form.contains("E-mail updates are not available"), "{form}");
    assert!(!form.contains("name=\"email\""));
    let request = CreateTicketRequest {
        title: "Canteen closed".into(),
        description: "At noon".into(),
        reporter_email: Some("ana@campus.test".into()),
    };
    let response = stack.http.post(stack.api("/tickets")).json(&request).send().await.expect("a call");
    let problem = expect_problem(response, 422).await;
    assert_eq!(problem["field"], "reporter_email");
    assert!(problem["detail"].as_str().unwrap_or_default().contains("not available"), "{problem}");
}
