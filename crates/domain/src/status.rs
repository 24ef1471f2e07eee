//! Status state machine, categories, category sources and roles.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

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
