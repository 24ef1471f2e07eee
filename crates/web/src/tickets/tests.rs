//! Unit tests of the ticket pages: rendering, escaping, form re-renders and edit planning.
#![allow(clippy::unwrap_used)]

use super::actions::*;
use super::list::*;
use super::new::*;
use super::show::*;
use super::*;
use crate::Config;
use domain::{AuthorName, Message, Role};
use jiff::tz::TimeZone;

fn state() -> AppState {
    AppState::new(&Config {
        tickets_url: "http://127.0.0.1:9".into(),
        analytics_url: "http://127.0.0.1:9".into(),
        time_zone: TimeZone::get("Europe/Berlin").unwrap(),
        limits: serving::Limits::default(),
        public_origin: crate::PublicOrigin::default(),
        attachments: Default::default(),
    })
}

fn ticket(title: &str) -> Ticket {
    Ticket {
        id: 7,
        title: title.into(),
        description: "First line\nsecond <b>line</b>".into(),
        category: Category::Facility,
        category_source: CategorySource::Auto,
        category_confidence: 0.42,
        category_terms: vec!["lift".into()],
        needs_check: true,
        status: Status::Open,
        opened_at: "2026-11-21T09:14:03Z".parse().unwrap(),
        updated_at: "2026-11-21T09:20:00Z".parse().unwrap(),
        closed_at: None,
        version: 3,
        message_count: 1,
    }
}

/// The ticket service's view of `ticket` for staff (`staff`) or a campus user.
fn view(ticket: Ticket, messages: Vec<Message>, staff: bool) -> TicketView {
    TicketView {
        transitions: if staff { ticket.status.next().into_iter().collect() } else { Vec::new() },
        can_confirm_category: staff && ticket.category_source != CategorySource::Staff,
        // As the ticket service decides it, for a ticket closed just now.
        undo_close_until: if staff {
            ticket.status.undo_close_until(ticket.closed_at, domain::UNDO_CLOSE_WINDOW)
        } else {
            None
        },
        events: Vec::new(),
        messages,
        ticket,
        reporter: None,
        attachments: Vec::new(),
    }
}

fn staff() -> Session {
    Session { role: Role::Staff, name: Some(AuthorName::parse("Ana").unwrap()) }
}

#[test]
fn ticket_page_escapes_markup_and_shows_campus_time() {
    let ticket = ticket("<script>alert(1)</script>");
    let messages = vec![Message {
        id: 1,
        ticket_id: 7,
        author_role: Role::User,
        author_name: Some("<i>Bo</i>".into()),
        body: "Still broken.\nFloor 3.".into(),
        created_at: "2026-11-21T10:00:00Z".parse().unwrap(),
    }];
    let page = build_show(&state(), &staff(), &view(ticket, messages, true), ShowParts::default());
    let html = page.render().unwrap();
    assert!(!html.contains("<script>alert"), "title must be escaped");
    assert!(html.contains("&#60;script&#62;alert(1)&#60;/script&#62;") || html.contains("&lt;script&gt;"));
    assert!(!html.contains("<b>line</b>") && !html.contains("<i>Bo</i>"));
    assert!(html.contains("21 Nov 2026, 10:14"), "opened time in Europe/Berlin");
    assert!(html.contains("please check"), "low-confidence automatic category is flagged for staff");
    assert!(html.contains("Start work"));
    assert!(!html.contains("Close ticket"));
    assert!(html.contains("name=\"version\" value=\"3\""));
}

#[test]
fn a_ticket_page_carries_the_closed_notice_for_the_live_script() {
    let user = Session { role: Role::User, name: None };
    let html = build_show(&state(), &user, &view(ticket("Lift stuck"), vec![], false), ShowParts::default())
        .render()
        .unwrap();
    let region = html.find("<div id=\"live-notice\" class=\"live-notice\" role=\"alert\"></div>").unwrap();
    let template = &html[html.find("<template id=\"live-gone\">").unwrap()..];
    assert!(region < html.find("id=\"ticket-facts\"").unwrap(), "the notice shows above the ticket");
    let template = &template[..template.find("</template>").unwrap()];
    assert!(template.contains("This ticket was closed or removed; it is no longer visible to campus users."));
    assert!(template.contains("<a href=\"/tickets\">Back to the ticket list</a>"));
    assert!(
        !html.contains("<script>") && !html.contains(" style="),
        "no inline script or style: the CSP holds"
    );
    assert_eq!(html.matches("data-ticket-form").count(), 2, "the edit and message forms, no status form");
}

#[test]
fn staff_see_the_undo_button_on_a_ticket_closed_moments_ago_and_users_never() {
    let mut closed = ticket("Lift stuck");
    closed.status = Status::Closed;
    closed.closed_at = Some("2026-11-21T10:00:00Z".parse().unwrap());
    let html = build_show(&state(), &staff(), &view(closed.clone(), vec![], true), ShowParts::default())
        .render()
        .unwrap();
    assert!(html.contains("action=\"/tickets/7/undo-close\""), "the undo form posts to the web UI");
    assert!(html.contains(">Undo closing</button>"));
    // 10:05 UTC is 11:05 in the campus time zone (Europe/Berlin).
    assert!(
        html.contains("Possible until <time datetime=\"2026-11-21T10:05:00Z\">21 Nov 2026, 11:05</time>")
    );
    let mut later = view(closed.clone(), vec![], true);
    later.undo_close_until = None;
    let html = build_show(&state(), &staff(), &later, ShowParts::default()).render().unwrap();
    assert!(!html.contains("Undo closing"), "after the window the button is gone");
    let user = Session { role: Role::User, name: None };
    let html =
        build_show(&state(), &user, &view(closed, vec![], false), ShowParts::default()).render().unwrap();
    assert!(!html.contains("Undo closing"));
}

#[test]
fn the_edit_title_states_its_limit_and_counts_when_scripted() {
    let html =
        build_show(&state(), &staff(), &view(ticket("Lift stuck"), vec![], true), ShowParts::default())
            .render()
            .unwrap();
    let limit = domain::Title::MAX_CHARS;
    assert!(html.contains(&format!("id=\"edit-title-hint\">Up to {limit} characters.</p>")));
    assert!(html.contains(&format!("data-max-chars=\"{limit}\"")));
    assert!(html.contains("maxlength=\"500\""), "the browser never cuts a title short");
    assert!(html.contains("<script src=\"/static/count.js\" defer></script>"));
}

#[test]
fn searches_longer_than_the_service_takes_get_a_message() {
    assert_eq!(check_search(Some("  wifi  ")), Ok(Some("wifi".to_owned())));
    assert_eq!(check_search(Some("   ")), Ok(None));
    assert_eq!(check_search(Some(&"é".repeat(200))), Ok(Some("é".repeat(200))));
    assert_eq!(
        check_search(Some(&"é".repeat(201))),
        Err("Search text can be at most 200 characters.".to_owned())
    );
}

#[test]
fn ticket_list_escapes_titles() {
    let tz = TimeZone::get("Europe/Berlin").unwrap();
    let page = ListTemplate {
        layout: staff().layout(Section::Tickets),
        is_staff: false,
        rows: vec![TicketRow::new(&ticket("<script>x()</script>"), &tz)],
        statuses: status_choices(None),
        categories: category_choices(None, true),
        q: "\"><script>".into(),
        search_error: None,
        list_error: None,
        filtered: false,
        next_url: None,
        prev_url: None,
        first_url: None,
        sorts: Vec::new(),
        sort_name: "newest",
        sizes: Vec::new(),
        pages_label: String::new(),
        export_url: None,
        go: String::new(),
        go_error: None,
        reported: Vec::new(),
    };
    let html = page.render().unwrap();
    assert!(!html.contains("<script>x()"));
    assert!(html.contains("Facility management"));
    assert!(html.contains("21 Nov 2026, 10:14"));
}

#[test]
fn refused_new_ticket_keeps_the_typed_text_and_names_the_field() {
    let form = NewTicketForm { title: "Heating off".into(), description: "   ".into(), email: String::new() };
    let problem =
        Problem::new(StatusCode::UNPROCESSABLE_ENTITY, "Invalid input", "description must not be empty")
            .with_field("description");
    let page = new_form_with_problems(
        &state(),
        staff().layout(Section::NewTicket),
        &form,
        std::slice::from_ref(&problem),
        false,
        false,
    );
    assert_eq!(page.description_error.as_deref(), Some("Description must not be empty."));
    let html = page.render().unwrap();
    assert!(html.contains("value=\"Heating off\""));
    assert!(html.contains("id=\"description-error\""));
    assert!(html.contains("aria-invalid=\"true\" aria-describedby=\"description-error description-hint\""));
}

#[test]
fn refused_e_mail_address_is_kept_with_the_sentence_next_to_it() {
    let form =
        NewTicketForm { title: "Heating off".into(), description: "Cold".into(), email: "ana@".into() };
    let problem =
        Problem::new(StatusCode::UNPROCESSABLE_ENTITY, "Invalid input", "\"ana@\" is not an e-mail address")
            .with_field("reporter_email");
    let page = new_form_with_problems(
        &state(),
        staff().layout(Section::NewTicket),
        &form,
        std::slice::from_ref(&problem),
        false,
        true,
    );
    let html = page.render().unwrap();
    assert!(html.contains("value=\"ana@\""), "the typed address is kept");
    assert!(html.contains("id=\"email-error\""));
    assert!(html.contains("is not an e-mail address"));
    assert!(html.contains("value=\"Heating off\""));
}

#[test]
fn the_form_says_when_e_mail_updates_are_off() {
    let form = NewTicketForm { title: "Heating off".into(), description: "".into(), email: String::new() };
    let problem =
        Problem::new(StatusCode::UNPROCESSABLE_ENTITY, "Invalid input", "description must not be empty")
            .with_field("description");
    let html = new_form_with_problems(
        &state(),
        staff().layout(Section::NewTicket),
        &form,
        std::slice::from_ref(&problem),
        false,
        false,
    )
    .render()
    .unwrap();
    assert!(html.contains("E-mail updates are not available"), "{html}");
    assert!(!html.contains("name=\"email\""));
}

#[test]
fn refused_file_keeps_the_text_and_asks_to_choose_the_files_again() {
    let form =
        NewTicketForm { title: "Heating off".into(), description: "Room B204".into(), email: String::new() };
    let problem = Problem::new(StatusCode::UNPROCESSABLE_ENTITY, "Invalid input", "page.png is not a photo")
        .with_field("files");
    let page = new_form_with_problems(
        &state(),
        staff().layout(Section::NewTicket),
        &form,
        std::slice::from_ref(&problem),
        true,
        false,
    );
    let error = page.files_error.clone().expect("the sentence sits at the file input");
    assert!(error.starts_with("Page.png is not a photo."), "{error}");
    assert!(error.ends_with("please choose the files again."), "{error}");
    let html = page.render().unwrap();
    assert!(html.contains("value=\"Heating off\""));
    assert!(html.contains("Room B204"));
    assert!(html.contains("id=\"files-error\""));
    assert!(html.contains("enctype=\"multipart/form-data\""));
}

#[test]
fn conflict_rerender_keeps_the_typed_text() {
    let ticket = ticket("Lift stuck");
    let edit = EditState {
        title: "Lift stuck again".into(),
        description: "My own words".into(),
        version: 4,
        conflict: true,
        ..EditState::default()
    };
    let parts = ShowParts { edit: Some(edit), ..ShowParts::default() };
    let html = build_show(&state(), &staff(), &view(ticket, vec![], true), parts).render().unwrap();
    assert!(html.contains("Someone else changed this ticket"));
    assert!(html.contains("value=\"Lift stuck again\""));
    assert!(html.contains("My own words</textarea>"));
    assert!(html.contains("name=\"version\" value=\"4\""));
}

#[test]
fn edits_send_the_texts_and_only_a_newly_chosen_category() {
    let form = EditForm {
        title: " Lift stuck ".into(),
        description: "First line\r\nsecond <b>line</b>".into(),
        version: 3,
        category: Some("facility".into()),
        shown_category: Some("facility".into()),
    };
    let request = edit_request(&staff(), &form).unwrap();
    assert_eq!(request.category, None, "the category the select showed is not sent: saving never confirms");
    assert_eq!(request.description.as_deref(), Some("First line\nsecond <b>line</b>"));
    assert_eq!(request.version, 3);
    let form = EditForm { category: Some("it".into()), ..form };
    assert_eq!(edit_request(&staff(), &form).unwrap().category, Some(Category::It));
    let user = Session { role: Role::User, name: None };
    assert_eq!(edit_request(&user, &form).unwrap().category, None, "users cannot change the category");
    let bad = EditForm { category: Some("kitchen".into()), ..form };
    assert!(matches!(edit_request(&staff(), &bad), Err(p) if p.field.as_deref() == Some("category")));
}

#[test]
fn staff_see_a_confirm_button_until_staff_set_the_category() {
    let automatic =
        build_show(&state(), &staff(), &view(ticket("Lift stuck"), vec![], true), ShowParts::default());
    let html = automatic.render().unwrap();
    assert!(html.contains("action=\"/tickets/7/category/confirm\""), "{html}");
    assert!(html.contains("Confirm Facility"));
    let mut by_staff = ticket("Lift stuck");
    by_staff.category_source = CategorySource::Staff;
    let html =
        build_show(&state(), &staff(), &view(by_staff, vec![], true), ShowParts::default()).render().unwrap();
    assert!(!html.contains("/category/confirm"), "nothing left to confirm");
    let user = Session { role: Role::User, name: None };
    let html = build_show(&state(), &user, &view(ticket("Lift stuck"), vec![], false), ShowParts::default())
        .render()
        .unwrap();
    assert!(!html.contains("/category/confirm"), "campus users cannot confirm");
}

#[test]
fn confirming_says_so_in_the_flash() {
    let query = ShowQuery { confirmed: Some("1".into()), ..ShowQuery::default() };
    assert_eq!(query.flash().as_deref(), Some("Category confirmed."));
}

#[test]
fn go_to_reads_a_number_with_or_without_the_hash() {
    for text in ["334", "#334", "  #334 ", "# 334"] {
        assert_eq!(ticket_number(text), Some(334), "{text:?}");
    }
    for text in ["", "#", "abc", "33a", "0", "#-4", "3 34", "99999999999999999999"] {
        assert_eq!(ticket_number(text), None, "{text:?}");
    }
}

fn user() -> Session {
    Session { role: Role::User, name: None }
}

#[test]
fn a_users_list_has_the_search_the_go_to_box_and_what_this_browser_reported() {
    let tz = TimeZone::get("Europe/Berlin").unwrap();
    let mut closed = ticket("Heating <off>");
    closed.status = Status::Closed;
    let page = ListTemplate {
        layout: user().layout(Section::Tickets),
        is_staff: false,
        rows: vec![TicketRow::new(&ticket("Lift stuck"), &tz)],
        statuses: status_choices(None),
        categories: category_choices(None, true),
        q: "lift".into(),
        search_error: None,
        list_error: None,
        filtered: true,
        next_url: None,
        prev_url: None,
        first_url: None,
        sorts: Vec::new(),
        sort_name: "newest",
        sizes: Vec::new(),
        pages_label: String::new(),
        export_url: None,
        go: "#99".into(),
        go_error: Some("Ticket #99 was not found, or it is closed.".into()),
        reported: vec![crate::reporter::ReportedRow {
            row: TicketRow::new(&closed, &tz),
            token: "AbCdEfGhIjKlMnOpQr-_09".into(),
        }],
    };
    let html = page.render().unwrap();
    assert!(html.contains("name=\"q\" type=\"search\" value=\"lift\""), "users search too: {html}");
    assert!(!html.contains("filter-status"), "status filters stay staff-only");
    assert!(html.contains("Go to ticket #") && html.contains("value=\"#99\""));
    assert!(html.contains("id=\"go-number-error\">Ticket #99 was not found"));
    assert!(html.contains("Reported from this browser"));
    assert!(html.contains("href=\"/r/AbCdEfGhIjKlMnOpQr-_09\">Heating "), "{html}");
    assert!(!html.contains("Heating <off>"), "titles are escaped");
    assert!(html.contains("Closed"), "the reported ticket shows its status");
}

#[test]
fn the_thank_you_notice_gives_the_private_link_to_keep() {
    let parts = ShowParts {
        created: true,
        private_link: Some("http://127.0.0.1:8080/r/AbCdEfGhIjKlMnOpQr-_09".into()),
        ..ShowParts::default()
    };
    let html = build_show(&state(), &user(), &view(ticket("Lift"), vec![], false), parts).render().unwrap();
    assert!(html.contains("Thank you, your problem is reported as ticket #7."));
    assert!(html.contains("readonly value=\"http://127.0.0.1:8080/r/AbCdEfGhIjKlMnOpQr-_09\""), "{html}");
    assert!(html.contains("Keep this link"));
    let parts = ShowParts { created: true, ..ShowParts::default() };
    let html = build_show(&state(), &user(), &view(ticket("Lift"), vec![], false), parts).render().unwrap();
    assert!(!html.contains("private-link"), "no link when this browser did not report it");
}

#[test]
fn the_page_count_reads_in_each_language_with_its_plurals() {
    use crate::catalogue::Lang;
    let page = |page, page_count, total, total_exact| api::TicketPage {
        items: Vec::new(),
        next_cursor: None,
        prev_cursor: None,
        page,
        page_count,
        total,
        total_exact,
    };
    assert_eq!(pages_label(&page(Some(2), 7, 160, true), Lang::En), "Page 2 of 7 · 160 tickets");
    assert_eq!(pages_label(&page(None, 1, 1, true), Lang::En), "1 page · 1 ticket");
    assert_eq!(pages_label(&page(None, 3, 1234, false), Lang::En), "3 pages · about 1,234 tickets");
    assert_eq!(pages_label(&page(Some(1), 1, 1, true), Lang::It), "Pagina 1 di 1 · 1 ticket");
    assert_eq!(pages_label(&page(None, 2, 60, false), Lang::It), "2 pagine · circa 60 ticket");
    assert_eq!(pages_label(&page(None, 1, 1, true), Lang::De), "1 Seite · 1 Ticket");
    assert_eq!(pages_label(&page(Some(3), 2, 1234, false), Lang::De), "Seite 3 von 3 · etwa 1.234 Tickets");
}

#[test]
fn every_order_has_its_own_words_in_each_language() {
    use crate::catalogue::Lang;
    for lang in Lang::ALL {
        let mut labels: Vec<String> = SORTS.iter().map(|(_, name)| sort_label(name, lang)).collect();
        labels.sort();
        labels.dedup();
        assert_eq!(labels.len(), SORTS.len(), "{lang:?}: {labels:?}");
    }
    assert_eq!(sort_label("newest", Lang::En), "Newest first");
    assert_eq!(sort_label("least-recent", Lang::De), "Am längsten nicht geänderte zuerst");
    assert_eq!(sort_label("category-az", Lang::It), "Categoria, dalla A alla Z");
}
