//! The shape of a reporter's private token (issue 11): the ticket service hands one out per
//! ticket; the store, the ticket service and the web UI all recognise it by this one rule.

/// Characters of a reporter token: 128 random bits in base64url without padding.
pub const REPORTER_TOKEN_CHARS: usize = 22;

/// Whether `text` has the shape of a reporter token ([`REPORTER_TOKEN_CHARS`] base64url
/// characters, `A-Z a-z 0-9 - _`). Anything else is no token, so a lookup can answer "not
/// found" without asking the database.
pub fn is_reporter_token(text: &str) -> bool {
    text.len() == REPORTER_TOKEN_CHARS
        && text.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_base64url_of_the_right_length_is_token_shaped() {
        assert!(is_reporter_token("AbCdEfGhIjKlMnOpQr-_09"));
        assert!(!is_reporter_token("AbCdEfGhIjKlMnOpQr-_0"), "too short");
        assert!(!is_reporter_token("AbCdEfGhIjKlMnOpQr-_09x"), "too long");
        assert!(!is_reporter_token("AbCdEfGhIjKlMnOpQr+/09"), "standard base64 is not base64url");
        assert!(!is_reporter_token("AbCdEfGhIjKlMnOpQr-_é"), "not ASCII");
    }
}
