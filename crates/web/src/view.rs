//! Presentation: turns domain records into the plain strings and flags templates show, and
//! formats UTC instants in the campus time zone ("21 Nov 2026, 10:14").

pub(crate) mod filters;

use crate::attachments::AttachmentView;
use domain::{Category, CategorySource, Event, EventKind, Message, Role, Status, Ticket};
use jiff::Timestamp;
use jiff::tz::TimeZone;

/// `ts` in the campus time zone `tz`, in the language of the request being answered
/// ([`crate::language::current`]): "21 Nov 2026, 10:14" in English (day without padding,
/// 24-hour clock), "21 nov 2026, 10:14" in Italian, "21. Nov. 2026, 10:14" in German.
pub(crate) fn format_time(ts: Timestamp, tz: &TimeZone) -> String {
    crate::language::current().format_time(ts, tz)
}

/// An instant ready for a `<time>` element: machine-readable RFC 3339 (UTC) and the text shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct When {
    /// RFC 3339 in UTC, for the `datetime` attribute.
    pub(crate) iso: String,
    /// Campus-time text, see [`format_time`].
    pub(crate) text: String,
}

impl When {
    pub(crate) fn new(ts: Timestamp, tz: &TimeZone) -> Self {
        When { iso: ts.to_string(), text: format_time(ts, tz) }
    }
}

/// A coloured label: `slug` picks the CSS class, `label` is what people read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Badge {
    pub(crate) slug: &'static str,
    pub(crate) label: &'static str,
}

pub(crate) fn status_label(status: Status) -> &'static str {
    match status {
        Status::Open => "Open",
        Status::Active => "Active",
        Status::Closed => "Closed",
    }
}

pub(crate) fn status_badge(status: Status) -> Badge {
    Badge { slug: status.as_str(), label: status_label(status) }
}

pub(crate) fn category_badge(category: Category) -> Badge {
    Badge { slug: category.as_str(), label: category.label() }
}

pub(crate) fn role_label(role: Role) -> &'static str {
    match role {
        Role::User => "Campus user",
        Role::Staff => "Helpdesk staff",
    }
}

fn source_label(source: CategorySource) -> &'static str {
    match source {
        CategorySource::Auto => "set automatically",
        CategorySource::Staff => "set by staff",
        CategorySource::Import => "imported",
    }
}

/// A 0.0–1.0 confidence (or share) as a whole percentage rounded DOWN, e.g. 0.597 -> "59%".
///
/// Floored, not rounded, so an automatic category just below the "please check" cut-off
/// ([`classifier::UNCERTAIN_BELOW`], 0.7) never reads "70%" next to the mark. The tiny
/// tolerance keeps exact values that binary floating point stores a hair low (0.29 * 100 =
/// 28.999…) at their own percent. Every page shows confidence through this function.
pub(crate) fn percent(confidence: f64) -> String {
    let hundredths = (confidence * 100.0 + 1e-9).floor().clamp(0.0, 100.0);
    format!("{hundredths:.0}%")
}

/// An option of a `<select>` or a radio group.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Choice {
    pub(crate) value: &'static str,
    pub(crate) label: &'static str,
    pub(crate) selected: bool,
}

/// The statuses as choices, with "any status" first (empty value).
pub(crate) fn status_choices(selected: Option<Status>) -> Vec<Choice> {
    let mut choices = vec![Choice { value: "", label: "Any status", selected: selected.is_none() }];
    choices.extend(Status::ALL.into_iter().map(|s| Choice {
        value: s.as_str(),
        label: status_label(s),
        selected: selected == Some(s),
    }));
    choices
}

/// The categories as choices; with `any`, an "any category" choice (empty value) comes first.
pub(crate) fn category_choices(selected: Option<Category>, any: bool) -> Vec<Choice> {
    let mut choices = Vec::new();
    if any {
        choices.push(Choice { value: "", label: "Any category", selected: selected.is_none() });
    }
    choices.extend(Category::ALL.into_iter().map(|c| Choice {
        value: c.as_str(),
        label: c.label(),
        selected: selected == Some(c),
    }));
    choices
}

/// One line of the ticket list.
#[derive(Debug, Clone)]
pub(crate) struct TicketRow {
    pub(crate) id: i64,
    pub(crate) title: String,
    pub(crate) category: Badge,
    pub(crate) status: Badge,
    pub(crate) please_check: bool,
    pub(crate) message_count: i64,
    pub(crate) opened: When,
    pub(crate) updated: When,
}

impl TicketRow {
    pub(crate) fn new(ticket: &Ticket, tz: &TimeZone) -> Self {
        TicketRow {
            id: ticket.id,
            title: ticket.title.clone(),
            category: category_badge(ticket.category),
            status: status_badge(ticket.status),
            please_check: ticket.needs_check,
            message_count: ticket.message_count,
            opened: When::new(ticket.opened_at, tz),
            updated: When::new(ticket.updated_at, tz),
        }
    }
}

/// Everything the ticket page states about a ticket.
#[derive(Debug, Clone)]
pub(crate) struct TicketFacts {
    pub(crate) id: i64,
    pub(crate) title: String,
    pub(crate) description: String,
    pub(crate) status: Badge,
    pub(crate) category: Badge,
    pub(crate) category_source: &'static str,
    pub(crate) confidence: String,
    pub(crate) please_check: bool,
    pub(crate) opened: When,
    pub(crate) updated: When,
    pub(crate) closed: Option<When>,
}

impl TicketFacts {
    pub(crate) fn new(ticket: &Ticket, tz: &TimeZone) -> Self {
        TicketFacts {
            id: ticket.id,
            title: ticket.title.clone(),
            description: ticket.description.clone(),
            status: status_badge(ticket.status),
            category: category_badge(ticket.category),
            category_source: source_label(ticket.category_source),
            confidence: percent(ticket.category_confidence),
            please_check: ticket.needs_check,
            opened: When::new(ticket.opened_at, tz),
            updated: When::new(ticket.updated_at, tz),
            closed: ticket.closed_at.map(|t| When::new(t, tz)),
        }
    }
}

/// One message of a thread.
#[derive(Debug, Clone)]
pub(crate) struct MessageView {
    pub(crate) id: i64,
    pub(crate) role_slug: &'static str,
    pub(crate) role_label: &'static str,
    pub(crate) name: String,
    pub(crate) at: When,
    pub(crate) body: String,
    /// The files that came with the message.
    pub(crate) attachments: Vec<AttachmentView>,
}

impl MessageView {
    /// The same message with its files.
    /// A thread's messages, oldest first as given, each with the files of `files` that came
    /// with it, served under `base` (see [`crate::attachments::FILES`]).
    pub(crate) fn thread(
        messages: &[Message],
        files: &[domain::Attachment],
        base: &str,
        tz: &TimeZone,
    ) -> Vec<Self> {
        messages
            .iter()
            .map(|m| MessageView::new(m, tz).with_attachments(AttachmentView::of(files, Some(m.id), base)))
            .collect()
    }

    pub(crate) fn with_attachments(mut self, attachments: Vec<AttachmentView>) -> Self {
        self.attachments = attachments;
        self
    }

    pub(crate) fn new(message: &Message, tz: &TimeZone) -> Self {
        MessageView {
            id: message.id,
            role_slug: message.author_role.as_str(),
            role_label: match message.author_role {
                Role::User => "Campus user",
                Role::Staff => "Helpdesk",
            },
            name: message.author_name.clone().unwrap_or_else(|| "Anonymous".to_owned()),
            at: When::new(message.created_at, tz),
            body: message.body.clone(),
            attachments: Vec::new(),
        }
    }
}

/// One line of the staff activity list.
#[derive(Debug, Clone)]
pub(crate) struct EventView {
    pub(crate) at: When,
    pub(crate) who: String,
    pub(crate) what: String,
}

fn pretty_value(kind: EventKind, value: &str) -> String {
    match kind {
        EventKind::StatusChanged => {
            value.parse::<Status>().map(|s| status_label(s).to_owned()).unwrap_or_else(|_| value.to_owned())
        }
        EventKind::CategoryChanged => {
            value.parse::<Category>().map(|c| c.label().to_owned()).unwrap_or_else(|_| value.to_owned())
        }
        _ => value.to_owned(),
    }
}

impl EventView {
    pub(crate) fn new(event: &Event, tz: &TimeZone) -> Self {
        let from = event.from.as_deref().map(|v| pretty_value(event.kind, v));
        let to = event.to.as_deref().map(|v| pretty_value(event.kind, v));
        let what = match (event.kind, from, to) {
            (EventKind::Created, _, Some(to)) => {
                format!("reported the ticket (status {})", to.to_lowercase())
            }
            (EventKind::Created, _, None) => "reported the ticket".to_owned(),
            (EventKind::Edited, _, Some(fields)) => format!("edited the {}", fields.replace(',', " and ")),
            (EventKind::Edited, _, None) => "edited the ticket".to_owned(),
            (EventKind::StatusChanged, Some(from), Some(to)) => format!("moved it from {from} to {to}"),
            (EventKind::StatusChanged, _, to) => format!("set the status to {}", to.unwrap_or_default()),
            (EventKind::CategoryChanged, Some(from), Some(to)) if from == to => {
                format!("confirmed the category {to}")
            }
            (EventKind::CategoryChanged, Some(from), Some(to)) => {
                format!("changed the category from {from} to {to}")
            }
            (EventKind::CategoryChanged, _, to) => format!("set the category to {}", to.unwrap_or_default()),
            (EventKind::MessagePosted, _, _) => "posted a message".to_owned(),
        };
        let who = match &event.actor_name {
            Some(name) => format!("{name} ({})", role_label(event.actor_role).to_lowercase()),
            None => role_label(event.actor_role).to_owned(),
        };
        EventView { at: When::new(event.at, tz), who, what }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn times_are_shown_in_the_campus_zone() {
        let tz = TimeZone::get("Europe/Berlin").unwrap();
        let ts: Timestamp = "2026-11-21T09:14:03Z".parse().unwrap();
        assert_eq!(format_time(ts, &tz), "21 Nov 2026, 10:14");
        // Summer time: UTC+2.
        let ts: Timestamp = "2026-07-01T22:30:00Z".parse().unwrap();
        assert_eq!(format_time(ts, &tz), "2 Jul 2026, 00:30");
        let when = When::new(ts, &tz);
        assert_eq!(when.iso, "2026-07-01T22:30:00Z");
    }

    #[test]
    fn confidence_is_a_whole_percentage() {
        assert_eq!(percent(0.934), "93%");
        assert_eq!(percent(1.0), "100%");
        assert_eq!(percent(0.0), "0%");
        assert_eq!(percent(0.29), "29%", "exact values are not pushed down by float error");
        assert_eq!(percent(0.58), "58%");
    }

    #[test]
    fn a_confidence_just_below_the_check_cut_off_never_reads_the_cut_off() {
        assert_eq!(percent(0.597), "59%");
        assert_eq!(percent(0.5999), "59%");
        assert_eq!(percent(0.999), "99%", "only a certain category reads 100%");
        let mut ticket = facts_ticket();
        ticket.category_confidence = classifier::UNCERTAIN_BELOW - 0.0003;
        ticket.needs_check = true;
        let facts = TicketFacts::new(&ticket, &TimeZone::UTC);
        assert!(facts.please_check);
        assert_eq!(facts.confidence, "69%");
    }

    fn facts_ticket() -> Ticket {
        Ticket {
            id: 1,
            title: "Lift".into(),
            description: "Stuck".into(),
            category: Category::Facility,
            category_source: CategorySource::Auto,
            category_confidence: 0.9,
            category_terms: Vec::new(),
            needs_check: false,
            status: Status::Open,
            opened_at: "2026-11-21T09:14:03Z".parse().unwrap(),
            updated_at: "2026-11-21T09:14:03Z".parse().unwrap(),
            closed_at: None,
            version: 1,
            message_count: 0,
        }
    }

    #[test]
    fn a_confirmed_category_reads_as_a_confirmation_in_the_activity() {
        let event = Event {
            id: 1,
            ticket_id: 1,
            kind: EventKind::CategoryChanged,
            actor_role: Role::Staff,
            actor_name: Some("Ana".into()),
            from: Some("it".into()),
            to: Some("it".into()),
            at: "2026-11-21T09:14:03Z".parse().unwrap(),
        };
        let view = EventView::new(&event, &TimeZone::UTC);
        assert_eq!(view.what, "confirmed the category Technical IT");
        assert_eq!(view.who, "Ana (helpdesk staff)");
        let event = Event { from: Some("facility".into()), ..event };
        assert_eq!(
            EventView::new(&event, &TimeZone::UTC).what,
            "changed the category from Facility management to Technical IT"
        );
    }

    #[test]
    fn choices_mark_the_selected_value() {
        let choices = category_choices(Some(Category::It), true);
        assert_eq!(choices.len(), 4);
        assert!(choices.iter().filter(|c| c.selected).all(|c| c.value == "it"));
        assert!(status_choices(None)[0].selected);
    }
}
