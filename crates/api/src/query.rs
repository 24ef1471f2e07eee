//! Query strings of the two services' APIs: the one way they are read ([`parse_query`], serde
//! over `serde_urlencoded`, as axum's `Query` does) and the one set of sentences a refusal gets
//! ([`QueryError`]). The query types themselves refuse parameters they do not name
//! (`#[serde(deny_unknown_fields)]`); [`NoQuery`] is the query of an endpoint that takes none.
//!
//! Values are read by [`optional`] and [`optional_whole_number`]: an empty or blank value counts
//! as absent (HTML forms send empty fields), and a value that does not parse is refused with a
//! sentence.

use std::fmt;
use std::str::FromStr;

use percent_encoding::percent_decode;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer, Serialize};

/// The query of an endpoint that takes no query parameters: any parameter is refused with
/// [`QueryError::UnknownParameter`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NoQuery {}

/// Why a query string was refused. Every variant says which parameter ([`QueryError::parameter`])
/// and, as its `Display`, a sentence for the person who sent it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum QueryError {
    /// A parameter the endpoint does not take.
    #[error("unknown query parameter {name:?}; {}", Accepted(accepted))]
    UnknownParameter {
        /// The parameter's name as sent.
        name: String,
        /// The parameters the endpoint takes, in the order the endpoint lists them.
        accepted: Vec<String>,
    },
    /// A parameter given more than once.
    #[error("the query parameter {name:?} is given more than once; give it once")]
    Repeated {
        /// The parameter's name.
        name: String,
    },
    /// A value that does not parse (`message` says why), or a query string that cannot be read
    /// at all (`name` is `None` then).
    #[error("{}", invalid_sentence(name.as_deref(), message))]
    Invalid {
        /// The parameter at fault, when one is.
        name: Option<String>,
        /// What is wrong, in words.
        message: String,
    },
}

impl QueryError {
    /// The parameter at fault (for the problem's `field`), if one is.
    pub fn parameter(&self) -> Option<&str> {
        match self {
            QueryError::UnknownParameter { name, .. } | QueryError::Repeated { name } => Some(name),
            QueryError::Invalid { name, .. } => name.as_deref(),
        }
    }

    /// Reads serde's words for an error at `path` (`"."` when it is not inside one parameter).
    ///
    /// serde words the two errors of a struct's keys the same way in every format: "unknown
    /// field" with the name in backticks and the accepted names after "expected" (from
    /// `deny_unknown_fields`), and "duplicate field" with the name in backticks. They become the
    /// variants that name the parameter; the unit tests below pin that wording.
    fn from_serde(path: &str, message: String) -> QueryError {
        if let Some(rest) = message.strip_prefix("unknown field `") {
            let end =
                ["`, expected ", "`, there are no fields"].iter().filter_map(|tail| rest.find(tail)).min();
            if let Some(end) = end {
                let accepted = rest[end..].split('`').skip(2).step_by(2).map(str::to_owned).collect();
                return QueryError::UnknownParameter { name: rest[..end].to_owned(), accepted };
            }
        }
        if let Some(name) = message.strip_prefix("duplicate field `").and_then(|rest| rest.strip_suffix('`'))
        {
            return QueryError::Repeated { name: name.to_owned() };
        }
        let name = (path != "." && !path.is_empty()).then(|| path.to_owned());
        QueryError::Invalid { name, message }
    }
}

/// The sentence of [`QueryError::Invalid`].
fn invalid_sentence(name: Option<&str>, message: &str) -> String {
    match name {
        Some(name) => format!("the query parameter {name:?} is invalid: {message}"),
        None => format!("the query string cannot be read: {message}"),
    }
}

/// The list of accepted parameters, as the end of a sentence.
struct Accepted<'a>(&'a [String]);

impl fmt::Display for Accepted<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            [] => f.write_str("this endpoint takes no query parameters"),
            [only] => write!(f, "this endpoint takes only {only}"),
            [first @ .., last] => write!(f, "this endpoint takes {} and {last}", first.join(", ")),
        }
    }
}

/// Reads `query` (the part of the URL after `?`, without the `?`; empty when there is none)
/// into `T`.
///
/// Errors: [`QueryError`], naming the parameter at fault: one `T` does not take (when `T`
/// refuses unknown fields), one given twice, or a value `T` cannot read.
pub fn parse_query<T: DeserializeOwned>(query: &str) -> Result<T, QueryError> {
    if let Some(name) = field_with_invalid_utf8(query.as_bytes()) {
        return Err(QueryError::Invalid {
            name: Some(name),
            message: "it holds bytes that are not valid UTF-8 once percent-decoded".to_owned(),
        });
    }
    let deserializer = serde_urlencoded::Deserializer::new(form_urlencoded::parse(query.as_bytes()));
    serde_path_to_error::deserialize(deserializer)
        .map_err(|err| QueryError::from_serde(&err.path().to_string(), err.into_inner().to_string()))
}

/// The name of the first field of a url-encoded string (a query string or a form body) whose
/// name or value is not valid UTF-8 once percent-decoded, with replacement characters in the
/// name; `None` when all are text. Readers that decode leniently (`form_urlencoded`,
/// `serde_urlencoded`) would turn such bytes into U+FFFD; callers refuse them instead.
pub fn field_with_invalid_utf8(encoded: &[u8]) -> Option<String> {
    encoded.split(|b| *b == b'&').find_map(|pair| {
        let mut halves = pair.splitn(2, |b| *b == b'=');
        let name: Vec<u8> = percent_decode(halves.next().unwrap_or_default()).collect();
        let value: Vec<u8> = percent_decode(halves.next().unwrap_or_default()).collect();
        let bad = std::str::from_utf8(&name).is_err() || std::str::from_utf8(&value).is_err();
        bad.then(|| String::from_utf8_lossy(&name).replace('+', " "))
    })
}

/// For `#[serde(default, deserialize_with = "api::query::optional")]` on an `Option<T>` query
/// parameter: missing, empty or blank is `None`; otherwise the value, without surrounding white
/// space, parsed with `T`'s [`FromStr`].
///
/// Errors: the parse error's sentence (so `T::Err` should be one, as the domain's are).
pub fn optional<'de, D, T>(deserializer: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: FromStr,
    T::Err: fmt::Display,
{
    non_blank(deserializer, |_, err: T::Err| err.to_string())
}

/// As [`optional`], for a number type (`u32`, `i64`, ...), whose standard parse errors do not
/// say what was expected.
///
/// Errors: "`VALUE` is not a whole number" (also for one out of the type's range).
pub fn optional_whole_number<'de, D, T>(deserializer: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: FromStr,
{
    non_blank(deserializer, |value, _| format!("{value:?} is not a whole number"))
}

/// Reads an optional value: blank is `None`, anything else is parsed, a failure worded by
/// `sentence(value, error)`.
fn non_blank<'de, D, T>(
    deserializer: D,
    sentence: impl FnOnce(&str, T::Err) -> String,
) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: FromStr,
{
    let raw = Option::<String>::deserialize(deserializer)?;
    let Some(value) = raw.as_deref().map(str::trim).filter(|v| !v.is_empty()) else {
        return Ok(None);
    };
    value.parse::<T>().map(Some).map_err(|err| serde::de::Error::custom(sentence(value, err)))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn invalid_utf8_is_found_in_names_and_values() {
        assert_eq!(field_with_invalid_utf8(b"title=Caf%C3%A9&description=ok+%E2%9C%93"), None);
        assert_eq!(field_with_invalid_utf8(b"title=ok&description=bad%FF%FE"), Some("description".into()));
        assert_eq!(field_with_invalid_utf8(b"title=raw\xff"), Some("title".into()));
        assert!(field_with_invalid_utf8(b"%C3=x").is_some());
        let err = parse_query::<NoQuery>("q=%FF").unwrap_err();
        assert_eq!(err.parameter(), Some("q"));
        assert!(err.to_string().contains("not valid UTF-8"), "{err}");
    }

    #[derive(Debug, PartialEq, Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Page {
        #[serde(default, deserialize_with = "optional_whole_number")]
        limit: Option<u32>,
        #[serde(default, deserialize_with = "optional")]
        q: Option<String>,
    }

    #[test]
    fn known_parameters_are_read_and_blank_ones_are_absent() {
        assert_eq!(parse_query::<Page>("").unwrap(), Page { limit: None, q: None });
        assert_eq!(
            parse_query::<Page>("limit=5&q=lift+B").unwrap(),
            Page { limit: Some(5), q: Some("lift B".into()) }
        );
        assert_eq!(parse_query::<Page>("limit=&q=%20").unwrap(), Page { limit: None, q: None });
        assert_eq!(parse_query::<NoQuery>("").unwrap(), NoQuery {});
    }

    #[test]
    fn unknown_parameters_are_named_with_what_is_taken() {
        let err = parse_query::<Page>("limit=5&stauts=open").unwrap_err();
        assert_eq!(err.parameter(), Some("stauts"));
        assert_eq!(err.to_string(), "unknown query parameter \"stauts\"; this endpoint takes limit and q");
        let err = parse_query::<NoQuery>("months=3").unwrap_err();
        assert_eq!(err, QueryError::UnknownParameter { name: "months".into(), accepted: Vec::new() });
        assert_eq!(
            err.to_string(),
            "unknown query parameter \"months\"; this endpoint takes no query parameters"
        );
    }

    #[test]
    fn repeated_and_unreadable_values_are_named() {
        let err = parse_query::<Page>("limit=1&limit=2").unwrap_err();
        assert_eq!(err, QueryError::Repeated { name: "limit".into() });
        let err = parse_query::<Page>("limit=ten").unwrap_err();
        assert_eq!(err.parameter(), Some("limit"));
        assert_eq!(
            err.to_string(),
            "the query parameter \"limit\" is invalid: \"ten\" is not a whole number"
        );
        let err = parse_query::<Page>("limit=-1").unwrap_err();
        assert!(err.to_string().ends_with("\"-1\" is not a whole number"), "{err}");
    }
}
