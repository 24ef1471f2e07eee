//! The campusdesk domain: what a ticket is and the rules it obeys, with no I/O.
//!
//! - [`Status`] and its state machine ([`Status::transition`]): `open -> active -> closed`.
//! - [`Category`], [`CategorySource`], [`Role`].
//! - Validated text newtypes ([`Title`], [`Description`], [`MessageBody`], [`AuthorName`]) that
//!   parse untrusted input once, so the rest of the code holds only valid values.
//! - The records the services exchange: [`Ticket`], [`Message`], [`Event`].
//! - A reporter's e-mail address check ([`parse_address`]).
//!
//! All instants are [`jiff::Timestamp`] values, i.e. UTC; they serialise as RFC 3339 strings.

mod email;
mod records;
mod reporter;
mod status;
mod text;

pub use email::{AddressError, MAX_ADDRESS_BYTES, parse_address};
pub use records::{Actor, Attachment, Event, EventKind, Message, Ticket};
pub use reporter::{REPORTER_TOKEN_CHARS, is_reporter_token};
pub use status::{
    Category, CategorySource, ParseEnumError, Role, Status, TransitionError, UNDO_CLOSE_WINDOW,
};
pub use text::{AuthorName, Description, MessageBody, TextError, Title, classifier_input, is_blank};
