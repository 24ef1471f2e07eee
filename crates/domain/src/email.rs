//! A reporter's e-mail address (issue 11): the one check the ticket service applies to
//! `reporter_email` and the web UI applies to the report form first, so the form shows a
//! malformed address together with its other field errors.

use lettre::Address;

/// Longest reporter address accepted, in bytes (RFC 5321's limit on a forward path).
pub const MAX_ADDRESS_BYTES: usize = 254;

/// Why [`parse_address`] refused an address. Its `Display` is the sentence the form and the
/// ticket service's 422 problem show.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AddressError {
    /// Longer than [`MAX_ADDRESS_BYTES`] bytes (after trimming).
    #[error("the e-mail address may be at most {MAX_ADDRESS_BYTES} characters long")]
    TooLong,
    /// Not an e-mail address (`local@domain`); holds the trimmed text.
    #[error("\"{0}\" is not an e-mail address; write it like name@campus.example, or leave the field empty")]
    Malformed(String),
}

/// The reporter's address as given: trimmed; `None` when blank.
///
/// Errors: [`AddressError::TooLong`] beyond [`MAX_ADDRESS_BYTES`], [`AddressError::Malformed`]
/// when it is not an e-mail address.
pub fn parse_address(raw: &str) -> Result<Option<String>, AddressError> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(None);
    }
    if raw.len() > MAX_ADDRESS_BYTES {
        return Err(AddressError::TooLong);
    }
    match raw.parse::<Address>() {
        Ok(address) => Ok(Some(address.to_string())),
        Err(_) => Err(AddressError::Malformed(raw.to_owned())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_are_checked_and_blank_means_none() {
        assert_eq!(parse_address("  ana@campus.example "), Ok(Some("ana@campus.example".into())));
        assert_eq!(parse_address("   "), Ok(None));
        for bad in ["ana", "ana@", "@campus.example", "ana campus@x.example", "a@b@c"] {
            let err = parse_address(bad).expect_err(bad).to_string();
            assert!(err.contains("is not an e-mail address"), "{err}");
        }
        let long = format!("{}@campus.example", "a".repeat(250));
        assert!(parse_address(&long).expect_err("too long").to_string().contains("at most 254"));
    }
}
