//! What a write changes and which events it records, decided once for every backend.
//!
//! Each function here is pure: given the ticket as read inside the write transaction (and the
//! actor and the instant), it returns the refusal ([`StoreError`]) or a plan: the new field
//! values, the event log entries to append and the category correction to record. A backend
//! only turns a plan into its own SQL, so the rules (version check, who may set a category,
//! what counts as a no-op edit, what the event log says) cannot drift between backends.

use domain::{Actor, Category, CategorySource, Description, EventKind, Role, Status, Ticket, Title};
use jiff::{SignedDuration, Timestamp};

use crate::{ImportedMessage, ImportedTicket, StoreError, TicketEdit};

/// One event log entry to append, as planned: the backend adds the ticket id and the row id.
#[derive(Debug, Clone, PartialEq)]
pub struct PlannedEvent {
    /// What happened.
    pub kind: EventKind,
    /// Who did it.
    pub actor: Actor,
    /// The value before (a status or category name), when known.
    pub from: Option<String>,
    /// The value after (a status, a category, `title,description`, or a message id).
    pub to: Option<String>,
    /// When (UTC).
    pub at: Timestamp,
}

/// The `created` event of a ticket the API creates: by `actor` at `now`, `to` = `open`.
pub fn created(actor: &Actor, now: Timestamp) -> PlannedEvent {
    PlannedEvent {
        kind: EventKind::Created,
        actor: actor.clone(),
        from: None,
        to: Some(Status::Open.as_str().into()),
        at: now,
    }
}

/// The `message_posted` event of message `message_id`, by `author` at `at` (`to` = the id).
pub fn message_posted(author: &Actor, message_id: i64, at: Timestamp) -> PlannedEvent {
    PlannedEvent {
        kind: EventKind::MessagePosted,
        actor: author.clone(),
        from: None,
        to: Some(message_id.to_string()),
        at,
    }
}

/// A category correction to record with an edit (see [`crate::Correction`], whose id and
/// ticket id the backend supplies).
#[derive(Debug, Clone, PartialEq)]
pub struct PlannedCorrection {
    /// The ticket's text after the edit: `title + "\n" + description`.
    pub text: String,
    /// The category before the edit.
    pub from_category: Category,
    /// The category staff set.
    pub to_category: Category,
    /// Where the replaced category came from.
    pub from_source: CategorySource,
    /// The staff member's display name, when given.
    pub actor_name: Option<String>,
    /// When (UTC).
    pub corrected_at: Timestamp,
}

/// What an edit writes: every `Some` field is set; `category` also sets `category_source` to
/// `staff` and `category_confidence` to 1.0; the version goes up by one and `updated_at`
/// becomes the edit's instant.
#[derive(Debug, Clone, PartialEq)]
pub struct EditPlan {
    /// New title, when it differs from the current one.
    pub title: Option<Title>,
    /// New description, when it differs from the current one.
    pub description: Option<Description>,
    /// New category, when it differs from the current one or its source is not yet `staff`.
    pub category: Option<Category>,
    /// The events to append, in order (`edited`, then `category_changed`).
    pub events: Vec<PlannedEvent>,
    /// The correction to record, when the category really changes.
    pub correction: Option<PlannedCorrection>,
}

/// Decides what `edit` by `actor` at `now` does to `before` (the ticket as read in the write
/// transaction).
///
/// Returns `Ok(None)` when the edit changes nothing (no write, no version bump, no event).
/// Errors: [`StoreError::VersionConflict`] when `edit.expected_version` is not `before.version`
/// (checked first), [`StoreError::Forbidden`] when a non-staff actor names a category.
pub fn edit(
    before: &Ticket,
    edit: TicketEdit,
    actor: &Actor,
    now: Timestamp,
) -> Result<Option<EditPlan>, StoreError> {
    if before.version != edit.expected_version {
        return Err(StoreError::VersionConflict { expected: edit.expected_version, current: before.version });
    }
    if edit.category.is_some() && actor.role != Role::Staff {
        return Err(StoreError::Forbidden("only helpdesk staff may change a ticket's category".into()));
    }
    let title = edit.title.filter(|t| t.as_str() != before.title);
    let description = edit.description.filter(|d| d.as_str() != before.description);
    // Staff confirming the classifier's category also counts: the source becomes `staff`.
    let category =
        edit.category.filter(|&c| c != before.category || before.category_source != CategorySource::Staff);
    if title.is_none() && description.is_none() && category.is_none() {
        return Ok(None);
    }
    let mut events = Vec::new();
    let fields: Vec<&str> = [title.as_ref().map(|_| "title"), description.as_ref().map(|_| "description")]
        .into_iter()
        .flatten()
        .collect();
    if !fields.is_empty() {
        events.push(PlannedEvent {
            kind: EventKind::Edited,
            actor: actor.clone(),
            from: None,
            to: Some(fields.join(",")),
            at: now,
        });
    }
    let mut correction = None;
    if let Some(category) = category {
        events.push(PlannedEvent {
            kind: EventKind::CategoryChanged,
            actor: actor.clone(),
            from: Some(before.category.as_str().into()),
            to: Some(category.as_str().into()),
            at: now,
        });
        if category != before.category {
            let title_after = title.as_ref().map_or(before.title.as_str(), Title::as_str);
            let description_after =
                description.as_ref().map_or(before.description.as_str(), Description::as_str);
            correction = Some(PlannedCorrection {
                text: domain::classifier_input(title_after, description_after),
                from_category: before.category,
                to_category: category,
                from_source: before.category_source,
                actor_name: actor.name.as_ref().map(|n| n.as_str().to_owned()),
                corrected_at: now,
            });
        }
    }
    Ok(Some(EditPlan { title, description, category, events, correction }))
}

/// What a status transition writes: the new status, `closed_at` (`Some(now)` when closing,
/// `None` otherwise) and `updated_at` = `now`; the version stays.
#[derive(Debug, Clone, PartialEq)]
pub struct TransitionPlan {
    /// The status after the transition.
    pub status: Status,
    /// `closed_at` after the transition.
    pub closed_at: Option<Timestamp>,
    /// The `status_changed` event (from the old status to the new one).
    pub event: PlannedEvent,
}

/// Decides the transition of `before` to `to` by `actor` at `now` (see [`Status::transition`]).
///
/// Errors: [`StoreError::Transition`] when the state machine refuses it.
pub fn transition(
    before: &Ticket,
    to: Status,
    actor: &Actor,
    now: Timestamp,
) -> Result<TransitionPlan, StoreError> {
    let to = before.status.transition(to, actor.role)?;
    Ok(status_plan(before.status, to, (to == Status::Closed).then_some(now), actor, now))
}

/// The [`TransitionPlan`] of a move from `from` to `to` by `actor` at `now`.
fn status_plan(
    from: Status,
    to: Status,
    closed_at: Option<Timestamp>,
    actor: &Actor,
    now: Timestamp,
) -> TransitionPlan {
    TransitionPlan {
        status: to,
        closed_at,
        event: PlannedEvent {
            kind: EventKind::StatusChanged,
            actor: actor.clone(),
            from: Some(from.as_str().into()),
            to: Some(to.as_str().into()),
            at: now,
        },
    }
}

/// Decides the undo of `before`'s closing by `actor` at `now`, allowed for `window` after
/// closing (see [`Status::undo_close`]): the ticket goes back to `active` with no `closed_at`,
/// and the event log gets a `status_changed` event from `closed` to `active`, so the log shows
/// who undid the closing and when.
///
/// Errors: [`StoreError::Transition`] when the ticket is not closed, the window has passed or
/// the actor is not staff.
pub fn undo_close(
    before: &Ticket,
    actor: &Actor,
    now: Timestamp,
    window: SignedDuration,
) -> Result<TransitionPlan, StoreError> {
    let to = before.status.undo_close(before.closed_at, now, window, actor.role)?;
    Ok(status_plan(before.status, to, None, actor, now))
}

/// Checks every imported ticket (see [`crate::check_imported`]) before anything is written.
///
/// Errors: [`StoreError::InvalidImport`] naming the first inconsistent row (1-based).
pub fn check_import(tickets: &[ImportedTicket]) -> Result<(), StoreError> {
    for (i, ticket) in tickets.iter().enumerate() {
        crate::check_imported(ticket).map_err(|message| StoreError::InvalidImport { row: i + 1, message })?;
    }
    Ok(())
}

/// What an imported ticket writes besides its own fields.
///
/// The event log says what is known and nothing more: `created` at `opened_at` (by the importing
/// actor, `to` = the status the ticket entered campusdesk with), `message_posted` for each
/// message (by its author, at its time; see [`message_posted`], once the message has its id)
/// and, for a closed ticket, `status_changed` to `closed` at `closed_at` with an unknown
/// (`None`) `from`, since the file does not say when it became active.
#[derive(Debug, Clone)]
pub struct ImportPlan<'a> {
    /// The latest of `opened_at`, `closed_at` and the messages' times.
    pub updated_at: Timestamp,
    /// How many messages the thread has.
    pub message_count: i64,
    /// The `created` event, appended first.
    pub created: PlannedEvent,
    /// The thread, oldest first (ties keep the file's order): insert each message, then append
    /// its `message_posted` event.
    pub thread: Vec<&'a ImportedMessage>,
    /// The `status_changed` event of a closed ticket, appended last.
    pub closed: Option<PlannedEvent>,
}

/// Plans the import of `ticket` by `actor` (see [`ImportPlan`]).
pub fn import<'a>(ticket: &'a ImportedTicket, actor: &Actor) -> ImportPlan<'a> {
    let last_message = ticket.messages.iter().map(|m| m.created_at).max();
    let updated_at = [Some(ticket.opened_at), ticket.closed_at, last_message]
        .into_iter()
        .flatten()
        .max()
        .unwrap_or(ticket.opened_at);
    let mut thread: Vec<_> = ticket.messages.iter().collect();
    thread.sort_by_key(|m| m.created_at);
    ImportPlan {
        updated_at,
        message_count: i64::try_from(ticket.messages.len()).unwrap_or(i64::MAX),
        created: PlannedEvent {
            kind: EventKind::Created,
            actor: actor.clone(),
            from: None,
            to: Some(ticket.status.as_str().into()),
            at: ticket.opened_at,
        },
        thread,
        closed: ticket.closed_at.map(|closed_at| PlannedEvent {
            kind: EventKind::StatusChanged,
            actor: actor.clone(),
            from: None,
            to: Some(Status::Closed.as_str().into()),
            at: closed_at,
        }),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use domain::{AuthorName, MessageBody, TransitionError};

    use super::*;

    fn at(seconds: i64) -> Timestamp {
        Timestamp::from_second(1_795_248_000 + seconds).unwrap()
    }

    fn ticket() -> Ticket {
        Ticket {
            id: 7,
            title: "Printer".into(),
            description: "It jams".into(),
            category: Category::It,
            category_source: CategorySource::Auto,
            category_confidence: 0.4,
            category_terms: Vec::new(),
            needs_check: false,
            status: Status::Open,
            opened_at: at(0),
            updated_at: at(0),
            closed_at: None,
            version: 3,
            message_count: 0,
        }
    }

    fn named_staff() -> Actor {
        Actor { role: Role::Staff, name: Some(AuthorName::parse("Ana").unwrap()) }
    }

    fn user() -> Actor {
        Actor { role: Role::User, name: None }
    }

    fn edit_of(version: i64) -> TicketEdit {
        TicketEdit { expected_version: version, ..TicketEdit::default() }
    }

    #[test]
    fn a_stale_version_is_a_conflict_before_anything_else() {
        let edit = TicketEdit { category: Some(Category::Facility), ..edit_of(2) };
        let err = super::edit(&ticket(), edit, &user(), at(5)).unwrap_err();
        assert!(matches!(err, StoreError::VersionConflict { expected: 2, current: 3 }), "{err:?}");
    }

    #[test]
    fn only_staff_may_name_a_category() {
        let edit = TicketEdit { category: Some(Category::It), ..edit_of(3) };
        let err = super::edit(&ticket(), edit, &user(), at(5)).unwrap_err();
        assert!(matches!(err, StoreError::Forbidden(_)), "{err:?}");
    }

    #[test]
    fn an_edit_repeating_the_current_values_is_a_no_op() {
        let mut confirmed = ticket();
        confirmed.category_source = CategorySource::Staff;
        let edit = TicketEdit {
            title: Some(Title::parse("Printer").unwrap()),
            description: Some(Description::parse("It jams").unwrap()),
            category: Some(Category::It),
            expected_version: 3,
        };
        assert_eq!(super::edit(&confirmed, edit, &named_staff(), at(5)).unwrap(), None);
    }

    #[test]
    fn staff_confirming_the_classifier_changes_the_source_without_a_correction() {
        let edit = TicketEdit { category: Some(Category::It), ..edit_of(3) };
        let plan = super::edit(&ticket(), edit, &named_staff(), at(5)).unwrap().unwrap();
        assert_eq!(plan.category, Some(Category::It));
        assert_eq!(plan.events.len(), 1);
        assert_eq!(plan.events[0].kind, EventKind::CategoryChanged);
        assert_eq!(plan.correction, None);
    }

    #[test]
    fn a_recategorising_edit_records_events_and_a_correction_with_the_new_text() {
        let edit = TicketEdit {
            title: Some(Title::parse("Door").unwrap()),
            category: Some(Category::Facility),
            ..edit_of(3)
        };
        let plan = super::edit(&ticket(), edit, &named_staff(), at(5)).unwrap().unwrap();
        assert_eq!(plan.description, None);
        let kinds: Vec<_> = plan.events.iter().map(|e| e.kind).collect();
        assert_eq!(kinds, [EventKind::Edited, EventKind::CategoryChanged]);
        assert_eq!(plan.events[0].to.as_deref(), Some("title"));
        assert_eq!(plan.events[1].from.as_deref(), Some(Category::It.as_str()));
        assert_eq!(plan.events[1].to.as_deref(), Some(Category::Facility.as_str()));
        let correction = plan.correction.unwrap();
        assert_eq!(correction.text, "Door\nIt jams");
        assert_eq!(correction.from_source, CategorySource::Auto);
        assert_eq!(correction.actor_name.as_deref(), Some("Ana"));
        assert_eq!(correction.corrected_at, at(5));
    }

    #[test]
    fn both_text_fields_are_named_in_the_edited_event() {
        let edit = TicketEdit {
            title: Some(Title::parse("Door").unwrap()),
            description: Some(Description::parse("Stuck").unwrap()),
            ..edit_of(3)
        };
        let plan = super::edit(&ticket(), edit, &user(), at(5)).unwrap().unwrap();
        assert_eq!(plan.events.len(), 1);
        assert_eq!(plan.events[0].to.as_deref(), Some("title,description"));
        assert_eq!(plan.correction, None);
    }

    #[test]
    fn closing_sets_closed_at_and_records_the_change() {
        let mut active = ticket();
        active.status = Status::Active;
        let plan = transition(&active, Status::Closed, &named_staff(), at(9)).unwrap();
        assert_eq!(plan.status, Status::Closed);
        assert_eq!(plan.closed_at, Some(at(9)));
        assert_eq!(plan.event.from.as_deref(), Some("active"));
        assert_eq!(plan.event.to.as_deref(), Some("closed"));
    }

    #[test]
    fn a_refused_transition_is_the_state_machines_error() {
        let mut closed = ticket();
        closed.status = Status::Closed;
        let refused: Result<Status, TransitionError> = Status::Closed.transition(Status::Active, Role::User);
        let err = transition(&closed, Status::Active, &user(), at(9)).unwrap_err();
        assert_eq!(refused.is_err(), matches!(err, StoreError::Transition(_)));
    }

    fn imported(status: Status, closed_at: Option<Timestamp>, messages: &[i64]) -> ImportedTicket {
        ImportedTicket {
            title: Title::parse("Old").unwrap(),
            description: Description::parse("From the file").unwrap(),
            category: Category::It,
            category_source: CategorySource::Import,
            category_confidence: 1.0,
            category_terms: Vec::new(),
            needs_check: false,
            status,
            opened_at: at(0),
            closed_at,
            messages: messages
                .iter()
                .map(|&s| ImportedMessage {
                    author: user(),
                    body: MessageBody::parse(&format!("at {s}")).unwrap(),
                    created_at: at(s),
                })
                .collect(),
        }
    }

    #[test]
    fn an_imported_closed_ticket_gets_created_and_closed_events_and_a_sorted_thread() {
        let ticket = imported(Status::Closed, Some(at(50)), &[90, 10]);
        let plan = import(&ticket, &Actor::staff());
        assert_eq!(plan.updated_at, at(90));
        assert_eq!(plan.message_count, 2);
        assert_eq!(plan.created.to.as_deref(), Some("closed"));
        assert_eq!(plan.created.at, at(0));
        let times: Vec<_> = plan.thread.iter().map(|m| m.created_at).collect();
        assert_eq!(times, [at(10), at(90)]);
        let closed = plan.closed.unwrap();
        assert_eq!((closed.from, closed.to.as_deref(), closed.at), (None, Some("closed"), at(50)));
    }

    #[test]
    fn an_imported_open_ticket_without_messages_was_last_updated_when_opened() {
        let ticket = imported(Status::Open, None, &[]);
        let plan = import(&ticket, &Actor::staff());
        assert_eq!(plan.updated_at, at(0));
        assert_eq!(plan.closed, None);
    }

    #[test]
    fn import_checks_name_the_bad_row() {
        let rows = [imported(Status::Open, None, &[]), imported(Status::Closed, None, &[])];
        let err = check_import(&rows).unwrap_err();
        assert!(matches!(err, StoreError::InvalidImport { row: 2, .. }), "{err:?}");
    }

    #[test]
    fn api_and_message_events_name_their_values() {
        assert_eq!(created(&user(), at(1)).to.as_deref(), Some("open"));
        let posted = message_posted(&user(), 42, at(2));
        assert_eq!((posted.kind, posted.to.as_deref()), (EventKind::MessagePosted, Some("42")));
    }
}
