//! Parsing stored strings back into domain values, shared by every backend.
//!
//! Backends store enums (category, category source, status, role, event kind) as their
//! `as_str()` names. Reading one back that does not parse means the database holds data no
//! campusdesk wrote: that is a [`StoreError::Backend`] naming the column, never a panic.

use std::str::FromStr;

use anyhow::{Context as _, anyhow};
use domain::EventKind;

use crate::StoreError;

/// Parses `raw`, read from column `column`, into `T` (a [`domain::Category`],
/// [`domain::CategorySource`], [`domain::Status`] or [`domain::Role`]).
///
/// Errors: [`StoreError::Backend`] saying the column is corrupt, with the parse error as cause.
pub fn text<T: FromStr>(raw: &str, column: &str) -> Result<T, StoreError>
where
    T::Err: std::error::Error + Send + Sync + 'static,
{
    raw.parse::<T>().with_context(|| format!("column {column} is corrupt")).map_err(StoreError::Backend)
}

/// Parses an event kind read from the `kind` column.
///
/// Errors: [`StoreError::Backend`] naming the unknown kind.
pub fn event_kind(raw: &str) -> Result<EventKind, StoreError> {
    EventKind::parse(raw)
        .ok_or_else(|| StoreError::backend(anyhow!("column kind holds unknown event {raw:?}")))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use domain::{Category, Status};

    use super::*;

    #[test]
    fn stored_names_parse_back() {
        assert_eq!(text::<Status>("closed", "status").unwrap(), Status::Closed);
        assert_eq!(text::<Category>(Category::It.as_str(), "category").unwrap(), Category::It);
        assert_eq!(event_kind(EventKind::MessagePosted.as_str()).unwrap(), EventKind::MessagePosted);
    }

    #[test]
    fn corrupt_values_are_backend_errors_naming_the_column() {
        let err = text::<Status>("half-open", "status").unwrap_err();
        assert!(matches!(&err, StoreError::Backend(e) if e.to_string().contains("column status")), "{err:?}");
        let err = event_kind("exploded").unwrap_err();
        assert!(format!("{err:?}").contains("exploded"), "{err:?}");
    }
}
