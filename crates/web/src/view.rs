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

/// A coloured label: `slug` picks the CSS class, `label` is what people read (in the
/// request's language).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Badge {
    pub(crate) slug: &'static str,
    pub(crate) label: String,
}

/// The status as people read it, in the request's language ("Open", "Offen"); the domain
/// crate stays English, so the catalogues translate by slug (`status-name`).
pub(crate) fn status_name(status: Status) -> String {
    crate::language::current().t_with("status-name", &[("status", status.as_str().into())])
}

/// The category as people read it, in the request's language ("Technical IT", "IT-Technik"),
/// translated by slug (`category-name`).
pub(crate) fn category_name(category: Category) -> String {
    crate::language::current().t_with("category-name", &[("category", category.as_str().into())])
}

pub(crate) fn status_badge(status: Status) -> Badge {
    Badge { slug: status.as_str(), label: status_name(status) }
}

pub(crate) fn category_badge(category: Category) -> Badge {
    Badge { slug: category.as_str(), label: category_name(category) }
}

fn source_label(source: CategorySource) -> String {
    let key = match source {
        CategorySource::Auto => "source-auto",
        CategorySource::Staff => "source-staff",
        CategorySource::Import => "source-import",
    };
    crate::language::current().t(key)
}

/// The role in the request's language, capitalised as a label ("Helpdesk staff").
fn role_name(role: Role) -> String {
    crate::language::current().t(match role {
        Role::User => "role-user",
        Role::Staff => "role-staff",
    })
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
    /// What the form sends.
    pub(crate) value: &'static str,
    /// What people read, in the request's language.
    pub(crate) label: String,
    pub(crate) selected: bool,
}

/// The statuses as choices, with "any status" first (empty value), named in the request's
/// language.
pub(crate) fn status_choices(selected: Option<Status>) -> Vec<Choice> {
    let any = crate::language::current().t("list-any-status");
    let mut choices = vec![Choice { value: "", label: any, selected: selected.is_none() }];
    choices.extend(Status::ALL.into_iter().map(|s| Choice {
        value: s.as_str(),
        label: status_name(s),
        selected: selected == Some(s),
    }));
    choices
}

/// The categories as choices, named in the request's language; with `any`, an "any category"
/// choice (empty value) comes first.
pub(crate) fn category_choices(selected: Option<Category>, any: bool) -> Vec<Choice> {
    let mut choices = Vec::new();
    if any {
        let label = crate::language::current().t("list-any-category");
        choices.push(Choice { value: "", label, selected: selected.is_none() });
    }
    choices.extend(Category::ALL.into_iter().map(|c| Choice {
        value: c.as_str(),
        label: category_name(c),
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
    pub(crate) category_source: String,
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
    pub(crate) role_label: String,
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
            role_label: crate::language::current().t(match message.author_role {
                Role::User => "message-role-user",
                Role::Staff => "message-role-staff",
            }),
            name: message
                .author_name
                .clone()
                .unwrap_or_else(|| crate::language::current().t("message-anonymous")),
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
            value.parse::<Status>().map(status_name).unwrap_or_else(|_| value.to_owned())
        }
        EventKind::CategoryChanged => {
            value.parse::<Category>().map(category_name).unwrap_or_else(|_| value.to_owned())
        }
        _ => value.to_owned(),
    }
}

impl EventView {
    pub(crate) fn new(event: &Event, tz: &TimeZone) -> Self {
        let from = event.from.as_deref().map(|v| pretty_value(event.kind, v));
        let to = event.to.as_deref().map(|v| pretty_value(event.kind, v));
        let lang = crate::language::current();
        let one = |key: &str, name: &str, value: String| lang.t_with(key, &[(name, value.into())]);
        let what = match (event.kind, from, to) {
            (EventKind::Created, _, Some(to)) => one("event-created-status", "status", to.to_lowercase()),
            (EventKind::Created, _, None) => lang.t("event-created"),
            (EventKind::Edited, _, Some(fields)) => {
                let names: Vec<String> = fields
                    .split(',')
                    .map(|f| lang.t_with("event-field", &[("field", f.trim().into())]))
                    .collect();
                one("event-edited-fields", "fields", names.join(&lang.t("event-and")))
            }
            (EventKind::Edited, _, None) => lang.t("event-edited"),
            (EventKind::StatusChanged, Some(from), Some(to)) => {
                lang.t_with("event-status-moved", &[("from", from.into()), ("to", to.into())])
            }
            (EventKind::StatusChanged, _, to) => one("event-status-set", "to", to.unwrap_or_default()),
            (EventKind::CategoryChanged, Some(from), Some(to)) if from == to => {
                one("event-category-confirmed", "to", to)
            }
            (EventKind::CategoryChanged, Some(from), Some(to)) => {
                lang.t_with("event-category-changed", &[("from", from.into()), ("to", to.into())])
            }
            (EventKind::CategoryChanged, _, to) => one("event-category-set", "to", to.unwrap_or_default()),
            (EventKind::MessagePosted, _, _) => lang.t("event-message"),
        };
        let who = match &event.actor_name {
            Some(name) => lang.t_with(
                "event-who-named",
                &[("name", name.as_str().into()), ("role", event.actor_role.as_str().into())],
            ),
            None => role_name(event.actor_role),
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
