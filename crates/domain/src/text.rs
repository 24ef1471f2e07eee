//! Validated free text: parse once at the edge, hold only valid values afterwards.
//!
//! Limits are counted in Unicode scalar values (`char`s) after trimming surrounding white space.
//! Text made only of white space and invisible characters ([`is_blank`]) counts as empty.

use std::fmt;

use serde::{Deserialize, Serialize};
use unicode_general_category::{GeneralCategory, get_general_category};

/// Why a piece of text was refused. The message is a sentence meant for the person who typed it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TextError {
    /// Empty, or only white space and invisible characters ([`is_blank`]).
    #[error("{field} must not be empty")]
    Empty {
        /// The field's name as shown to people ("title", "description", ...).
        field: &'static str,
    },
    /// Longer than the field allows.
    #[error("{field} is {len} characters long; at most {max} are allowed")]
    TooLong {
        /// The field's name.
        field: &'static str,
        /// Length of the trimmed input, in characters.
        len: usize,
        /// The limit, in characters.
        max: usize,
    },
    /// Holds a control character other than newline, carriage return or tab.
    #[error("{field} contains a control character that cannot be stored")]
    ControlCharacter {
        /// The field's name.
        field: &'static str,
    },
}

impl TextError {
    /// The field the error is about.
    pub fn field(&self) -> &'static str {
        match self {
            TextError::Empty { field }
            | TextError::TooLong { field, .. }
            | TextError::ControlCharacter { field } => field,
        }
    }
}

/// Whether `c` shows nothing on its own: white space, a format character (Unicode category
/// `Cf`: zero-width space, zero-width joiner, byte order mark, direction marks, ...), or one of
/// the other default-ignorable fillers (combining grapheme joiner, Hangul fillers, Khmer
/// inherent vowels, Mongolian and other variation selectors).
fn is_invisible(c: char) -> bool {
    c.is_whitespace()
        || get_general_category(c) == GeneralCategory::Format
        || matches!(
            c,
            '\u{034F}'
                | '\u{115F}'
                | '\u{1160}'
                | '\u{17B4}'
                | '\u{17B5}'
                | '\u{180B}'..='\u{180F}'
                | '\u{3164}'
                | '\u{FE00}'..='\u{FE0F}'
                | '\u{FFA0}'
                | '\u{E0100}'..='\u{E01EF}'
        )
}

/// Whether `text` is blank: empty, or only white space and invisible characters (zero-width
/// space, zero-width joiner, byte order mark, any other format character `Cf`, ...), so a
/// person would see nothing.
pub fn is_blank(text: &str) -> bool {
    text.chars().all(is_invisible)
}

fn parse_text(raw: &str, field: &'static str, max: usize, allow_newlines: bool) -> Result<String, TextError> {
    let trimmed = raw.trim();
    if is_blank(trimmed) {
        return Err(TextError::Empty { field });
    }
    let len = trimmed.chars().count();
    if len > max {
        return Err(TextError::TooLong { field, len, max });
    }
    let bad = |c: char| c.is_control() && !(allow_newlines && matches!(c, '\n' | '\r' | '\t'));
    if trimmed.chars().any(bad) {
        return Err(TextError::ControlCharacter { field });
    }
    Ok(trimmed.to_owned())
}

/// The text the classifier reads for a ticket: its title, a line break, its description
/// (`title + "\n" + description`), as given. Built here and only here, so that what the model is
/// asked at creation and import, what a staff correction teaches it, and what the report form's
/// live hint and the staff page's explanation show are the same text.
pub fn classifier_input(title: &str, description: &str) -> String {
    let mut text = String::with_capacity(title.len() + 1 + description.len());
    text.push_str(title);
    text.push('\n');
    text.push_str(description);
    text
}

macro_rules! text_type {
    ($(#[$doc:meta])* $name:ident, $field:literal, $max:expr, $newlines:expr) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[serde(try_from = "String", into = "String")]
        pub struct $name(String);

        impl $name {
            /// Longest accepted value, in characters, after trimming.
            pub const MAX_CHARS: usize = $max;

            /// Trims `raw` and checks it. Errors: [`TextError`] when empty, too long or holding
            /// control characters.
            pub fn parse(raw: &str) -> Result<Self, TextError> {
                parse_text(raw, $field, $max, $newlines).map(Self)
            }

            /// The text.
            pub fn as_str(&self) -> &str {
                &self.0
            }

            /// The text, owned.
            pub fn into_inner(self) -> String {
                self.0
            }
        }

        impl TryFrom<String> for $name {
            type Error = TextError;
            fn try_from(value: String) -> Result<Self, Self::Error> {
                Self::parse(&value)
            }
        }

        impl From<$name> for String {
            fn from(value: $name) -> String {
                value.0
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

text_type!(
    /// A ticket's short title: 1 to 120 characters, one line.
    Title, "title", 120, false
);
text_type!(
    /// A ticket's description: 1 to 5,000 characters, newlines allowed.
    Description, "description", 5_000, true
);
text_type!(
    /// A message in a ticket's thread: 1 to 5,000 characters, newlines allowed.
    MessageBody, "message", 5_000, true
);
text_type!(
    /// A display name someone chose: 1 to 60 characters, one line. Not an identity: no login.
    AuthorName, "name", 60, false
);

impl AuthorName {
    /// Parses an optional display name: empty or blank input ([`is_blank`]) means "no name"
    /// (`Ok(None)`).
    ///
    /// Errors: [`TextError::TooLong`] or [`TextError::ControlCharacter`].
    pub fn parse_optional(raw: Option<&str>) -> Result<Option<Self>, TextError> {
        match raw.map(str::trim) {
            None => Ok(None),
            Some(s) if is_blank(s) => Ok(None),
            Some(s) => Self::parse(s).map(Some),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trims_and_keeps_inner_newlines() {
        let d = Description::parse("  The lift is stuck.\nFloor 3.  ").unwrap();
        assert_eq!(d.as_str(), "The lift is stuck.\nFloor 3.");
    }

    #[test]
    fn refuses_blank_text() {
        assert_eq!(Description::parse(" \n\t "), Err(TextError::Empty { field: "description" }));
        assert_eq!(Description::parse("").unwrap_err().to_string(), "description must not be empty");
    }

    #[test]
    fn invisible_characters_alone_are_blank() {
        // Zero-width space, zero-width joiner, BOM, word joiner, a direction mark, a soft
        // hyphen, a Hangul filler: nothing a person could read.
        for raw in ["\u{200B}", "\u{200D}\u{200D}", " \u{FEFF} ", "\u{2060}\n\u{200E}", "\u{AD}", "\u{3164}"]
        {
            assert_eq!(Description::parse(raw), Err(TextError::Empty { field: "description" }), "{raw:?}");
            assert_eq!(Title::parse(raw), Err(TextError::Empty { field: "title" }), "{raw:?}");
        }
        assert_eq!(AuthorName::parse_optional(Some("\u{200B}")), Ok(None));
        // Invisible characters inside real text are kept as typed.
        assert_eq!(MessageBody::parse("ok\u{200D}!").unwrap().as_str(), "ok\u{200D}!");
        assert!(Title::parse("\u{200B}Wifi").is_ok());
    }

    #[test]
    fn limits_count_characters_not_bytes() {
        let ok = "é".repeat(Title::MAX_CHARS);
        assert!(Title::parse(&ok).is_ok());
        let long = "é".repeat(Title::MAX_CHARS + 1);
        assert_eq!(
            Title::parse(&long).unwrap_err().to_string(),
            "title is 121 characters long; at most 120 are allowed"
        );
    }

    #[test]
    fn titles_are_one_line() {
        assert_eq!(Title::parse("a\nb"), Err(TextError::ControlCharacter { field: "title" }));
        assert!(MessageBody::parse("a\nb").is_ok());
    }

    #[test]
    fn optional_name_may_be_blank() {
        assert_eq!(AuthorName::parse_optional(Some("  ")), Ok(None));
        assert_eq!(AuthorName::parse_optional(None), Ok(None));
        assert_eq!(AuthorName::parse_optional(Some(" Ana ")).unwrap().unwrap().as_str(), "Ana");
    }

    #[test]
    fn deserialising_validates() {
        let err = serde_json::from_str::<Title>("\"   \"").unwrap_err();
        assert!(err.to_string().contains("title must not be empty"));
    }
}
