//! RFC 9457 "Problem Details for HTTP APIs" bodies.

use reqwest::StatusCode;
use serde::{Deserialize, Serialize};

/// Media type of a problem body (RFC 9457, section 3).
pub const PROBLEM_CONTENT_TYPE: &str = "application/problem+json";

/// An error body as defined by RFC 9457: `type`, `title`, `status`, `detail`, plus the
/// extension member `field` naming the input field at fault, when there is one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Problem {
    /// A URI reference naming the problem type; `about:blank` when the status says it all.
    #[serde(rename = "type", default = "about_blank")]
    pub kind: String,
    /// A short summary of the problem type, e.g. "Invalid input".
    pub title: String,
    /// The HTTP status code (a number on the wire).
    #[serde(with = "status_number")]
    #[schema(value_type = u16, minimum = 100, maximum = 599)]
    pub status: StatusCode,
    /// A sentence for the person: what went wrong and how to fix it.
    #[serde(default)]
    pub detail: String,
    /// Extension: the request field at fault (`title`, `description`, `version`, ...).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

fn about_blank() -> String {
    "about:blank".to_owned()
}

impl Problem {
    /// A problem of type `about:blank` with the given status, title and detail.
    pub fn new(status: StatusCode, title: impl Into<String>, detail: impl Into<String>) -> Self {
        Problem { kind: about_blank(), title: title.into(), status, detail: detail.into(), field: None }
    }

    /// The same problem, naming the field at fault.
    pub fn with_field(mut self, field: impl Into<String>) -> Self {
        self.field = Some(field.into());
        self
    }
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.detail.is_empty() {
            write!(f, "{} ({})", self.title, self.status.as_u16())
        } else {
            f.write_str(&self.detail)
        }
    }
}

/// `status` as the JSON number RFC 9457 specifies; a number that is no HTTP status (not 100 to
/// 999) is refused when reading.
mod status_number {
    use reqwest::StatusCode;
    use serde::{Deserialize, Deserializer, Serializer};

    pub(super) fn serialize<S: Serializer>(status: &StatusCode, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_u16(status.as_u16())
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<StatusCode, D::Error> {
        let number = u16::deserialize(deserializer)?;
        StatusCode::from_u16(number).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn the_status_is_a_number_on_the_wire() {
        let problem = Problem::new(StatusCode::CONFLICT, "Conflict", "reload").with_field("version");
        let json = serde_json::to_string(&problem).unwrap();
        assert!(json.contains("\"status\":409"), "{json}");
        assert_eq!(serde_json::from_str::<Problem>(&json).unwrap(), problem);
        let odd = r#"{"title":"x","status":42}"#;
        assert!(serde_json::from_str::<Problem>(odd).is_err());
    }
}
