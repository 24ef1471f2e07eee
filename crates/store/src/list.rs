//! The ticket list's order and position: [`TicketSort`] (which field, which direction) and
//! [`TicketCursor`] (where a page starts or ends, in that order), with the cursor's opaque text
//! form that the ticket service hands out.

use std::fmt;
use std::str::FromStr;

use domain::{Category, Status, Ticket};
use jiff::Timestamp;

/// The field a ticket list is ordered by. Every order breaks ties by `opened_at`, then `id`,
/// in the same direction as the field, so the order is total and keyset paging is exact.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
pub enum SortField {
    /// When the ticket was opened (`opened_at`).
    #[default]
    Opened,
    /// When the ticket last changed (`updated_at`).
    Updated,
    /// The status's name, in alphabetical order (`active`, `closed`, `open`).
    Status,
    /// The category's name, in alphabetical order (`facility`, `it`, `services`).
    Category,
}

impl SortField {
    /// Every field, in the order a sort menu lists them.
    pub const ALL: [SortField; 4] =
        [SortField::Opened, SortField::Updated, SortField::Status, SortField::Category];

    /// The field's name in the sort syntax (`opened`, `updated`, `status`, `category`).
    pub fn as_str(self) -> &'static str {
        match self {
            SortField::Opened => "opened",
            SortField::Updated => "updated",
            SortField::Status => "status",
            SortField::Category => "category",
        }
    }
}

/// The order of a ticket list: a field and a direction. The default is the newest opened
/// ticket first (`-opened`).
///
/// Text form ([`FromStr`], [`fmt::Display`]): the field's name (`opened`, `updated`, `status`,
/// `category`) for ascending order, with a leading `-` for descending order, e.g. `-updated`
/// (most recently changed first) or `status` (`active`, `closed`, `open`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct TicketSort {
    /// The field ordered by.
    pub field: SortField,
    /// `true`: highest value first (newest, or Z to A).
    pub descending: bool,
}

impl Default for TicketSort {
    fn default() -> Self {
        TicketSort { field: SortField::Opened, descending: true }
    }
}

impl TicketSort {
    /// The same field in the other direction.
    pub fn reversed(self) -> Self {
        TicketSort { descending: !self.descending, ..self }
    }
}

impl fmt::Display for TicketSort {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.descending { "-" } else { "" };
        write!(f, "{sign}{}", self.field.as_str())
    }
}

/// Why a sort text was refused: a sentence naming the orders there are.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "the sort order {0:?} is unknown; use opened, updated, status or category, with a leading - for \
     the reverse order (for example -opened, the newest first)"
)]
pub struct UnknownSort(pub String);

impl FromStr for TicketSort {
    type Err = UnknownSort;

    /// Reads the text form (surrounding white space ignored, names in any letter case).
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let trimmed = text.trim();
        let (descending, name) = match trimmed.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, trimmed),
        };
        let field = SortField::ALL
            .into_iter()
            .find(|field| field.as_str().eq_ignore_ascii_case(name))
            .ok_or_else(|| UnknownSort(text.to_owned()))?;
        Ok(TicketSort { field, descending })
    }
}

/// The value of the sort field of one ticket, beyond `opened_at` and `id` (which every order
/// uses as tie-breakers).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortKey {
    /// Ordered by `opened_at` alone.
    Opened,
    /// The ticket's `updated_at`.
    Updated(Timestamp),
    /// The ticket's status.
    Status(Status),
    /// The ticket's category.
    Category(Category),
}

impl SortKey {
    /// The key of `ticket` for ordering by `field`.
    pub fn of(ticket: &Ticket, field: SortField) -> Self {
        match field {
            SortField::Opened => SortKey::Opened,
            SortField::Updated => SortKey::Updated(ticket.updated_at),
            SortField::Status => SortKey::Status(ticket.status),
            SortField::Category => SortKey::Category(ticket.category),
        }
    }

    /// The field this key is a value of.
    pub fn field(self) -> SortField {
        match self {
            SortKey::Opened => SortField::Opened,
            SortKey::Updated(_) => SortField::Updated,
            SortKey::Status(_) => SortField::Status,
            SortKey::Category(_) => SortField::Category,
        }
    }
}

/// Position in a ticket list: a ticket's place in the list's order, and which side of it the
/// page lies on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TicketCursor {
    /// The order the position is in; a cursor fits only a list in this order.
    pub sort: TicketSort,
    /// The sort field's value of the ticket at the position.
    pub key: SortKey,
    /// `opened_at` of the ticket at the position (tie-breaker).
    pub opened_at: Timestamp,
    /// `id` of the ticket at the position (last tie-breaker).
    pub id: i64,
    /// `false`: the page starts just after this ticket (a "next" cursor); `true`: the page
    /// ends just before it (a "previous" cursor).
    pub backwards: bool,
    /// The number (from 1) of the page this cursor leads to, when known.
    pub page: Option<u32>,
}

impl TicketCursor {
    /// The cursor at `ticket` in the order `sort`.
    pub fn at(ticket: &Ticket, sort: TicketSort, backwards: bool, page: Option<u32>) -> Self {
        TicketCursor {
            sort,
            key: SortKey::of(ticket, sort.field),
            opened_at: ticket.opened_at,
            id: ticket.id,
            backwards,
            page,
        }
    }

    /// Whether the cursor fits a list ordered by `sort`.
    pub fn fits(&self, sort: TicketSort) -> bool {
        self.sort == sort && self.key.field() == sort.field
    }

    /// Encodes the cursor as an opaque token:
    /// `"<n|p><sort>.<page or empty>.<key or empty>.<opened_at µs since epoch>.<id>"`.
    pub fn encode(&self) -> String {
        let way = if self.backwards { 'p' } else { 'n' };
        let page = self.page.map(|n| n.to_string()).unwrap_or_default();
        let key = match self.key {
            SortKey::Opened => String::new(),
            SortKey::Updated(at) => at.as_microsecond().to_string(),
            SortKey::Status(status) => status.as_str().to_owned(),
            SortKey::Category(category) => category.as_str().to_owned(),
        };
        format!("{way}{}.{page}.{key}.{}.{}", self.sort, self.opened_at.as_microsecond(), self.id)
    }

    /// Decodes [`TicketCursor::encode`]'s output, and the older form
    /// `"<opened_at µs>.<id>"` (a next cursor, newest first); `None` for anything else.
    pub fn decode(token: &str) -> Option<Self> {
        let parts: Vec<&str> = token.split('.').collect();
        let micros = |text: &str| Timestamp::from_microsecond(text.parse().ok()?).ok();
        match parts[..] {
            [opened_at, id] => Some(TicketCursor {
                sort: TicketSort::default(),
                key: SortKey::Opened,
                opened_at: micros(opened_at)?,
                id: id.parse().ok()?,
                backwards: false,
                page: None,
            }),
            [head, page, key, opened_at, id] => {
                let backwards = match head.get(..1)? {
                    "n" => false,
                    "p" => true,
                    _ => return None,
                };
                let sort: TicketSort = head.get(1..)?.parse().ok()?;
                let key = match sort.field {
                    SortField::Opened if key.is_empty() => SortKey::Opened,
                    SortField::Opened => return None,
                    SortField::Updated => SortKey::Updated(micros(key)?),
                    SortField::Status => SortKey::Status(key.parse().ok()?),
                    SortField::Category => SortKey::Category(key.parse().ok()?),
                };
                let page = if page.is_empty() { None } else { Some(page.parse().ok().filter(|n| *n > 0)?) };
                Some(TicketCursor {
                    sort,
                    key,
                    opened_at: micros(opened_at)?,
                    id: id.parse().ok()?,
                    backwards,
                    page,
                })
            }
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorts_read_and_print_the_same() {
        for text in ["opened", "-opened", "updated", "-updated", "status", "-status", "category", "-category"]
        {
            assert_eq!(text.parse::<TicketSort>().unwrap().to_string(), text);
        }
        assert_eq!(" -Status ".parse::<TicketSort>().unwrap().to_string(), "-status");
        let refused = "priority".parse::<TicketSort>().unwrap_err().to_string();
        assert!(refused.contains("use opened, updated, status or category"), "{refused}");
        assert!("--opened".parse::<TicketSort>().is_err());
        assert_eq!(TicketSort::default().to_string(), "-opened");
    }

    #[test]
    fn cursors_survive_their_token() {
        let at = Timestamp::from_second(1_700_000_000).unwrap();
        let keys = [
            SortKey::Opened,
            SortKey::Updated(at),
            SortKey::Status(Status::Active),
            SortKey::Category(Category::It),
        ];
        for (key, backwards) in keys.into_iter().zip([false, true, false, true]) {
            let sort = TicketSort { field: key.field(), descending: backwards };
            let cursor = TicketCursor { sort, key, opened_at: at, id: 7, backwards, page: Some(3) };
            assert_eq!(TicketCursor::decode(&cursor.encode()), Some(cursor), "{}", cursor.encode());
        }
        let old = TicketCursor::decode("1700000000000000.9").unwrap();
        assert!(old.fits(TicketSort::default()) && !old.backwards && old.page.is_none());
        for bad in ["", "x", "nstatus..nope.1.2", "q-opened...1.2", "n-opened.0..1.2", "n-opened..5.1.2"] {
            assert_eq!(TicketCursor::decode(bad), None, "{bad}");
        }
    }
}
