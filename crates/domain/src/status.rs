//! Status state machine, categories, category sources and roles.

use std::fmt;
use std::str::FromStr;

use jiff::{SignedDuration, Timestamp};
use serde::{Deserialize, Serialize};

/// How long after closing a ticket staff may undo the closing, unless the ticket service is
/// configured otherwise: 5 minutes.
pub const UNDO_CLOSE_WINDOW: SignedDuration = SignedDuration::from_secs(5 * 60);

/// Where a ticket is in its life: `open -> active -> closed`.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, utoipa::ToSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Reported, nobody from the helpdesk has taken it yet.
    Open,
    /// A staff member is working on it.
    Active,
    /// Resolved; only staff see it from now on.
    Closed,
}

/// Why a status transition was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum TransitionError {
    /// Only helpdesk staff may change a ticket's status (HTTP 403).
    #[error("only helpdesk staff may change a ticket's status")]
    NotStaff,
    /// The move is not one of `open -> active` or `active -> closed` (HTTP 409).
    #[error(
        "a ticket that is {from} cannot become {to}; allowed moves are open -> active and active -> closed"
    )]
    NotAllowed {
        /// The ticket's status now.
        from: Status,
        /// The status asked for.
        to: Status,
    },
    /// An undo of closing on a ticket that is not closed (HTTP 409), for example a second undo.
    #[error("ticket is {status}, not closed, so there is no closing to undo")]
    NotClosed {
        /// The ticket's status now.
        status: Status,
    },
    /// An undo of closing after its window has passed (HTTP 409).
    #[error(
        "a closing can be undone for {} only; this ticket was closed at {closed_at}, so it stays closed",
        minutes(*window)
    )]
    UndoWindowPassed {
        /// When the ticket was closed (UTC).
        closed_at: Timestamp,
        /// How long an undo was allowed.
        window: SignedDuration,
    },
}

/// `window` in words: "5 minutes", "1 minute", "30 seconds".
fn minutes(window: SignedDuration) -> String {
    match window.as_secs() {
        1 => "1 second".to_owned(),
        60 => "1 minute".to_owned(),
        secs if secs > 0 && secs % 60 == 0 => format!("{} minutes", secs / 60),
        secs => format!("{secs} seconds"),
    }
}

impl Status {
    /// All statuses, in life-cycle order.
    pub const ALL: [Status; 3] = [Status::Open, Status::Active, Status::Closed];

    /// The wire and database name: `open`, `active` or `closed`.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Open => "open",
            Status::Active => "active",
            Status::Closed => "closed",
        }
    }

    /// The one status this one may move to, if any (`open -> active -> closed`).
    pub fn next(self) -> Option<Status> {
        match self {
            Status::Open => Some(Status::Active),
            Status::Active => Some(Status::Closed),
            Status::Closed => None,
        }
    }

    /// Checks that `role` may move a ticket from `self` to `to` and returns `to`.
    ///
    /// Errors: [`TransitionError::NotStaff`] for a campus user (checked first, so a user learns
    /// nothing about the ticket), [`TransitionError::NotAllowed`] for any move other than
    /// `open -> active` and `active -> closed` (including a move to the same status).
    pub fn transition(self, to: Status, role: Role) -> Result<Status, TransitionError> {
        if role != Role::Staff {
            return Err(TransitionError::NotStaff);
        }
        if self.next() == Some(to) { Ok(to) } else { Err(TransitionError::NotAllowed { from: self, to }) }
    }

    /// Checks that `role` may undo the closing of a ticket in status `self`, closed at
    /// `closed_at`, at `now`, when undoing is allowed for `window` after closing (the ticket
    /// service's setting, [`UNDO_CLOSE_WINDOW`] by default), and returns the status the ticket
    /// goes back to: `active`. The state machine itself stays `open -> active -> closed`: this is
    /// the one way back, and only right after closing.
    ///
    /// Errors, in this order: [`TransitionError::NotStaff`] for a campus user,
    /// [`TransitionError::NotClosed`] when the ticket is not closed (a second undo),
    /// [`TransitionError::UndoWindowPassed`] when `now` is more than `window` after `closed_at`
    /// (a closed ticket with no `closed_at` counts as closed long ago).
    pub fn undo_close(
        self,
        closed_at: Option<Timestamp>,
        now: Timestamp,
        window: SignedDuration,
        role: Role,
    ) -> Result<Status, TransitionError> {
        if role != Role::Staff {
            return Err(TransitionError::NotStaff);
        }
        if self != Status::Closed {
            return Err(TransitionError::NotClosed { status: self });
        }
        match closed_at {
            Some(closed_at) if now.duration_since(closed_at) <= window => Ok(Status::Active),
            _ => Err(TransitionError::UndoWindowPassed {
                closed_at: closed_at.unwrap_or(Timestamp::UNIX_EPOCH),
                window,
            }),
        }
    }

    /// Until when the closing of a ticket closed at `closed_at` may be undone, given the
    /// `window` (UTC); `None` when the ticket is not closed.
    pub fn undo_close_until(self, closed_at: Option<Timestamp>, window: SignedDuration) -> Option<Timestamp> {
        if self != Status::Closed {
            return None;
        }
        closed_at.and_then(|at| at.checked_add(window).ok())
    }

    /// Whether a campus user (not staff) may see a ticket in this status: open and active only.
    pub fn visible_to(self, role: Role) -> bool {
        role == Role::Staff || self != Status::Closed
    }
}

/// What a ticket is about. Assigned automatically at creation; staff may correct it.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, utoipa::ToSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Category {
    /// Facility management: buildings, lifts, heating, cleaning, rooms, grounds.
    Facility,
    /// Technical IT: network, accounts, computers, printers, software, AV equipment.
    It,
    /// Service complaints: canteen, library desk, administration, transport, staff conduct.
    Services,
}

impl Category {
    /// All categories in display order.
    pub const ALL: [Category; 3] = [Category::Facility, Category::It, Category::Services];

    /// The wire and database name: `facility`, `it` or `services`.
    pub fn as_str(self) -> &'static str {
        match self {
            Category::Facility => "facility",
            Category::It => "it",
            Category::Services => "services",
        }
    }

    /// The name shown to people: "Facility management", "Technical IT", "Services".
    pub fn label(self) -> &'static str {
        match self {
            Category::Facility => "Facility management",
            Category::It => "Technical IT",
            Category::Services => "Services",
        }
    }

    /// Position in [`Category::ALL`]; handy for per-category arrays.
    pub fn index(self) -> usize {
        self as usize
    }
}

/// Who set a ticket's category.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum CategorySource {
    /// The classifier, at creation.
    Auto,
    /// A staff member corrected it.
    Staff,
    /// Given in an imported CSV file.
    Import,
}

impl CategorySource {
    /// The wire and database name: `auto`, `staff` or `import`.
    pub fn as_str(self) -> &'static str {
        match self {
            CategorySource::Auto => "auto",
            CategorySource::Staff => "staff",
            CategorySource::Import => "import",
        }
    }
}

/// Who is acting. Declared, not authenticated: campusdesk has no login by requirement.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// A campus member (student, lecturer, employee) reporting problems.
    #[default]
    User,
    /// Helpdesk staff, who triage, transition and close tickets.
    Staff,
}

impl Role {
    /// The wire name: `user` or `staff`.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::User => "user",
            Role::Staff => "staff",
        }
    }
}

/// A string that names none of an enum's values.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{value:?} is not a valid {kind}; expected one of: {expected}")]
pub struct ParseEnumError {
    /// What was being parsed ("status", "category", ...).
    pub kind: &'static str,
    /// The rejected input.
    pub value: String,
    /// The accepted values, comma separated.
    pub expected: &'static str,
}

macro_rules! str_enum {
    ($ty:ty, $kind:literal, $expected:literal, [$($variant:expr),+]) => {
        impl FromStr for $ty {
            type Err = ParseEnumError;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                let s = s.trim();
                [$($variant),+]
                    .into_iter()
                    .find(|v| v.as_str().eq_ignore_ascii_case(s))
                    .ok_or_else(|| ParseEnumError { kind: $kind, value: s.to_owned(), expected: $expected })
            }
        }
        impl fmt::Display for $ty {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

str_enum!(Status, "status", "open, active, closed", [Status::Open, Status::Active, Status::Closed]);
str_enum!(
    Category,
    "category",
    "facility, it, services",
    [Category::Facility, Category::It, Category::Services]
);
str_enum!(
    CategorySource,
    "category source",
    "auto, staff, import",
    [CategorySource::Auto, CategorySource::Staff, CategorySource::Import]
);
str_enum!(Role, "role", "user, staff", [Role::User, Role::Staff]);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn staff_moves_forward_one_step_only() {
        assert_eq!(Status::Open.transition(Status::Active, Role::Staff), Ok(Status::Active));
        assert_eq!(Status::Active.transition(Status::Closed, Role::Staff), Ok(Status::Closed));
        for from in Status::ALL {
            for to in Status::ALL {
                let allowed =
                    matches!((from, to), (Status::Open, Status::Active) | (Status::Active, Status::Closed));
                assert_eq!(from.transition(to, Role::Staff).is_ok(), allowed, "{from} -> {to}");
            }
        }
    }

    #[test]
    fn staff_may_undo_a_closing_within_the_window_and_only_once() {
        let closed_at: Timestamp = "2026-11-30T10:00:00Z".parse().unwrap();
        let window = UNDO_CLOSE_WINDOW;
        let at = |s: &str| s.parse::<Timestamp>().unwrap();
        assert_eq!(
            Status::Closed.undo_close(Some(closed_at), at("2026-11-30T10:05:00Z"), window, Role::Staff),
            Ok(Status::Active),
            "the last second of the window still counts"
        );
        let late =
            Status::Closed.undo_close(Some(closed_at), at("2026-11-30T10:05:01Z"), window, Role::Staff);
        assert_eq!(late, Err(TransitionError::UndoWindowPassed { closed_at, window }));
        assert_eq!(
            late.unwrap_err().to_string(),
            "a closing can be undone for 5 minutes only; this ticket was closed at 2026-11-30T10:00:00Z, so it stays closed"
        );
        // After an undo the ticket is active: a second undo finds nothing to undo.
        assert_eq!(
            Status::Active.undo_close(None, closed_at, window, Role::Staff),
            Err(TransitionError::NotClosed { status: Status::Active })
        );
        assert_eq!(
            Status::Closed.undo_close(Some(closed_at), closed_at, window, Role::User),
            Err(TransitionError::NotStaff)
        );
        // An imported closed ticket without a closing time cannot be undone.
        assert!(Status::Closed.undo_close(None, closed_at, window, Role::Staff).is_err());
        assert_eq!(
            Status::Closed.undo_close_until(Some(closed_at), window),
            Some(at("2026-11-30T10:05:00Z"))
        );
        assert_eq!(Status::Active.undo_close_until(Some(closed_at), window), None);
    }

    #[test]
    fn windows_read_as_words() {
        assert_eq!(minutes(SignedDuration::from_secs(60)), "1 minute");
        assert_eq!(minutes(SignedDuration::from_secs(600)), "10 minutes");
        assert_eq!(minutes(SignedDuration::from_secs(90)), "90 seconds");
        assert_eq!(minutes(SignedDuration::from_secs(1)), "1 second");
        assert_eq!(minutes(SignedDuration::from_secs(0)), "0 seconds");
    }

    #[test]
    fn users_may_not_transition_at_all() {
        for from in Status::ALL {
            for to in Status::ALL {
                assert_eq!(from.transition(to, Role::User), Err(TransitionError::NotStaff));
            }
        }
    }

    #[test]
    fn refusal_says_what_is_allowed() {
        let err = Status::Open.transition(Status::Closed, Role::Staff).unwrap_err();
        assert_eq!(
            err.to_string(),
            "a ticket that is open cannot become closed; allowed moves are open -> active and active -> closed"
        );
    }

    #[test]
    fn users_never_see_closed_tickets() {
        assert!(Status::Open.visible_to(Role::User));
        assert!(Status::Active.visible_to(Role::User));
        assert!(!Status::Closed.visible_to(Role::User));
        assert!(Status::Closed.visible_to(Role::Staff));
    }

    #[test]
    fn enums_parse_case_insensitively_and_reject_unknowns() {
        assert_eq!("Active".parse::<Status>(), Ok(Status::Active));
        assert_eq!(" it ".parse::<Category>(), Ok(Category::It));
        let err = "urgent".parse::<Status>().unwrap_err();
        assert_eq!(
            err.to_string(),
            "\"urgent\" is not a valid status; expected one of: open, active, closed"
        );
    }
}
