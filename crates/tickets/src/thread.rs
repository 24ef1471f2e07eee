//! The one-line text format of a message in a ticket's thread, shared by the import CSV's
//! `thread` column and the demo seed file.
//!
//! One message per line:
//!
//! ```text
//! [2026-03-02T10:15:00Z] staff (Marco): The contractor replaced the sensor.
//! user: Thanks, it works again.
//! ```
//!
//! - an optional `[time]` in RFC 3339 with an offset (the demo seed has none);
//! - the author's role, `user` or `staff` (any case), optionally followed by a display name in
//!   parentheses;
//! - a colon, then the message body (one line; blank lines are skipped).

use domain::{Actor, AuthorName, MessageBody, Role};
use jiff::Timestamp;

/// One parsed thread line.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ThreadLine {
    /// The time given in brackets, if any (UTC).
    pub(crate) at: Option<Timestamp>,
    /// Who wrote it.
    pub(crate) author: Actor,
    /// The text.
    pub(crate) body: MessageBody,
}

/// Parses every non-blank line of `text`. Errors: a sentence naming the 1-based line number
/// within the thread and what is wrong with it.
pub(crate) fn parse_thread(text: &str) -> Result<Vec<ThreadLine>, String> {
    text.lines()
        .enumerate()
        .filter(|(_, line)| !line.trim().is_empty())
        .map(|(i, line)| parse_line(line).map_err(|e| format!("thread line {}: {e}", i + 1)))
        .collect()
}

fn parse_line(line: &str) -> Result<ThreadLine, String> {
    let mut rest = line.trim();
    let at = if let Some(after) = rest.strip_prefix('[') {
        let (time, tail) = after.split_once(']').ok_or("the time in brackets has no closing \"]\"")?;
        rest = tail.trim_start();
        Some(parse_time(time.trim()).map_err(|e| format!("the message time {e}"))?)
    } else {
        None
    };
    let role_end = rest.find(|c: char| !c.is_ascii_alphabetic()).unwrap_or(rest.len());
    let role: Role = rest[..role_end]
        .parse()
        .map_err(|_| "expected a message such as \"user: text\" or \"staff (Name): text\"".to_owned())?;
    rest = rest[role_end..].trim_start();
    let mut name = None;
    if let Some(after) = rest.strip_prefix('(') {
        let (raw_name, tail) = after.split_once(')').ok_or("the author's name has no closing \")\"")?;
        name = AuthorName::parse_optional(Some(raw_name)).map_err(|e| e.to_string())?;
        rest = tail.trim_start();
    }
    let body = rest.strip_prefix(':').ok_or("expected a colon after the author, as in \"staff: text\"")?;
    let body = MessageBody::parse(body).map_err(|e| e.to_string())?;
    Ok(ThreadLine { at, author: Actor { role, name }, body })
}

/// Parses an RFC 3339 instant that carries an offset (`Z` or `+02:00`) and converts it to UTC.
/// Errors: a phrase completing "the time ...".
pub(crate) fn parse_time(raw: &str) -> Result<Timestamp, String> {
    raw.parse::<Timestamp>().map_err(|_| {
        format!("{raw:?} is not an RFC 3339 time with an offset, such as 2026-03-02T10:15:00Z or 2026-03-02T11:15:00+01:00")
    })
}

/// Formats one message as a thread line with its time: `[time] role (Name): body`.
pub(crate) fn format_line(at: Timestamp, author: &Actor, body: &str) -> String {
    match &author.name {
        Some(name) => format!("[{at}] {} ({name}): {body}", author.role),
        None => format!("[{at}] {}: {body}", author.role),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn reads_roles_names_and_times() {
        let lines = parse_thread(
            "user: Lift is stuck\n\n[2026-03-02T11:15:00+01:00] Staff (Marco): On it: sending help\n",
        )
        .unwrap();
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[0].author.role, Role::User);
        assert_eq!(lines[0].at, None);
        assert_eq!(lines[1].author.role, Role::Staff);
        assert_eq!(lines[1].author.name.as_ref().unwrap().as_str(), "Marco");
        assert_eq!(lines[1].at.unwrap().to_string(), "2026-03-02T10:15:00Z");
        assert_eq!(lines[1].body.as_str(), "On it: sending help");
    }

    #[test]
    fn refuses_unknown_authors_and_missing_colons() {
        assert!(parse_thread("admin: hi").unwrap_err().starts_with("thread line 1:"));
        assert!(parse_thread("user: ok\nstaff hello").unwrap_err().starts_with("thread line 2:"));
        assert!(parse_thread("user:   ").unwrap_err().contains("must not be empty"));
        assert!(parse_thread("[yesterday] user: hi").unwrap_err().contains("RFC 3339"));
        assert!(parse_thread("[2026-03-02T10:15:00] user: hi").unwrap_err().contains("offset"));
    }

    #[test]
    fn formatted_lines_parse_back() {
        let at: Timestamp = "2026-01-05T08:00:00Z".parse().unwrap();
        let author = Actor { role: Role::Staff, name: AuthorName::parse_optional(Some("Ana")).unwrap() };
        let line = format_line(at, &author, "Fixed.");
        let parsed = parse_thread(&line).unwrap();
        assert_eq!(
            parsed[0],
            ThreadLine { at: Some(at), author, body: MessageBody::parse("Fixed.").unwrap() }
        );
    }
}
