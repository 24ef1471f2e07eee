//! Template filters (askama looks them up as `filters::NAME` where a template is derived, so
//! each page module that shows user text has `use crate::view::filters;`).
//!
//! [`linkify`]: user-written text (titles, descriptions, messages) with its web and e-mail
//! addresses turned into safe links, everything else escaped.

// `askama::filter_fn` declares the filter's helper items `pub`.
#![allow(unreachable_pub)]

use askama::Values;
use askama::filters::Safe;

/// The `rel` of every link made from user text: no access to this page from the opened one,
/// no ranking credit, marked as user-generated content.
pub(crate) const USER_LINK_REL: &str = "noopener nofollow ugc";

/// The address schemes that become links (ASCII, matched case-insensitively); anything else
/// (`javascript:`, `data:`, `file:` …) stays plain text.
const SCHEMES: [&str; 3] = ["https://", "http://", "mailto:"];

/// `{{ text|linkify }}`: `text` as HTML, escaped, with each `http://`, `https://` and
/// `mailto:` address in it made a link (see [`linkify_html`]). The result is marked safe, so
/// askama does not escape it a second time.
///
/// Errors: none (the `Result` is askama's filter signature).
#[askama::filter_fn]
pub(crate) fn linkify(text: impl ToString, _: &dyn Values) -> askama::Result<Safe<String>> {
    Ok(Safe(linkify_html(&text.to_string())))
}

/// `text` as escaped HTML in which every web or e-mail address is an
/// `<a href="…" rel="noopener nofollow ugc">…</a>` whose text is the address itself.
///
/// An address starts with `http://`, `https://` or `mailto:` (any letter case) at the start of
/// the text or after a character that is not a letter or digit, and runs to the next
/// whitespace, `<`, `>`, `"`, `'` or backtick. Trailing punctuation (`.` `,` `;` `:` `!` `?`)
/// and closing brackets without an opening one inside the address are left out, so "see
/// (https://x.org/a)." links only `https://x.org/a`. A scheme with nothing usable after it
/// stays text. Both the link text and the `href` are HTML-escaped; nothing of the input can
/// open an element or leave the attribute.
pub(crate) fn linkify_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    let mut rest = text;
    let mut previous: Option<char> = None;
    while !rest.is_empty() {
        let at_boundary = previous.is_none_or(|c| !c.is_alphanumeric());
        if at_boundary && let Some(len) = address_len(rest) {
            let (address, after) = rest.split_at(len);
            out.push_str("<a href=\"");
            escape_into(&mut out, address);
            out.push_str("\" rel=\"");
            out.push_str(USER_LINK_REL);
            out.push_str("\">");
            escape_into(&mut out, address);
            out.push_str("</a>");
            previous = address.chars().next_back();
            rest = after;
            continue;
        }
        let Some(c) = rest.chars().next() else { break };
        escape_into(&mut out, &rest[..c.len_utf8()]);
        previous = Some(c);
        rest = &rest[c.len_utf8()..];
    }
    out
}

/// The length in bytes of the address `text` starts with, if it starts with one worth a link.
fn address_len(text: &str) -> Option<usize> {
    let scheme =
        SCHEMES.iter().find(|s| text.get(..s.len()).is_some_and(|head| head.eq_ignore_ascii_case(s)))?;
    let end = text
        .find(|c: char| c.is_whitespace() || c.is_control() || "<>\"'`".contains(c))
        .unwrap_or(text.len());
    let mut candidate = &text[..end];
    // Drop trailing punctuation and unbalanced closing brackets, one at a time.
    while let Some(last) = candidate.chars().next_back() {
        let unbalanced = match last {
            ')' => candidate.matches('(').count() < candidate.matches(')').count(),
            ']' => candidate.matches('[').count() < candidate.matches(']').count(),
            '}' => candidate.matches('{').count() < candidate.matches('}').count(),
            '.' | ',' | ';' | ':' | '!' | '?' | '*' => true,
            _ => false,
        };
        if !unbalanced {
            break;
        }
        candidate = &candidate[..candidate.len() - last.len_utf8()];
    }
    let after_scheme = &candidate[scheme.len()..];
    let usable = if *scheme == "mailto:" {
        after_scheme
            .split_once('@')
            .is_some_and(|(user, host)| !user.is_empty() && host.chars().any(char::is_alphanumeric))
    } else {
        after_scheme.chars().next().is_some_and(char::is_alphanumeric)
    };
    usable.then_some(candidate.len())
}

/// Appends `text` with `&`, `<`, `>`, `"` and `'` escaped (safe in element text and in a
/// double-quoted attribute).
fn escape_into(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::linkify_html;

    fn link(address: &str) -> String {
        format!("<a href=\"{address}\" rel=\"noopener nofollow ugc\">{address}</a>")
    }

    #[test]
    fn web_and_mail_addresses_become_links() {
        assert_eq!(
            linkify_html("See https://campus.example/wifi for help"),
            format!("See {} for help", link("https://campus.example/wifi"))
        );
        assert_eq!(linkify_html("http://a.b"), link("http://a.b"));
        assert_eq!(linkify_html("HTTPS://A.B/X"), link("HTTPS://A.B/X"));
        assert_eq!(
            linkify_html("write to mailto:it@campus.example"),
            format!("write to {}", link("mailto:it@campus.example"))
        );
        assert_eq!(
            linkify_html("line one\nhttps://x.org\nline three"),
            format!("line one\n{}\nline three", link("https://x.org"))
        );
    }

    #[test]
    fn trailing_punctuation_is_not_part_of_the_link() {
        assert_eq!(linkify_html("Look at https://x.org/a."), format!("Look at {}.", link("https://x.org/a")));
        assert_eq!(linkify_html("https://x.org/a, then"), format!("{}, then", link("https://x.org/a")));
        assert_eq!(linkify_html("(see https://x.org/a)."), format!("(see {}).", link("https://x.org/a")));
        assert_eq!(
            linkify_html("https://en.wikipedia.org/wiki/Rust_(language)!"),
            format!("{}!", link("https://en.wikipedia.org/wiki/Rust_(language)"))
        );
        assert_eq!(linkify_html("https://x.org/?a=1;"), format!("{};", link("https://x.org/?a=1")));
    }

    #[test]
    fn other_schemes_stay_escaped_text() {
        assert_eq!(linkify_html("javascript:alert(1)"), "javascript:alert(1)");
        assert_eq!(linkify_html("JaVaScRiPt:alert(document.cookie)"), "JaVaScRiPt:alert(document.cookie)");
        assert_eq!(
            linkify_html("data:text/html,<script>x</script>"),
            "data:text/html,&lt;script&gt;x&lt;/script&gt;"
        );
        assert_eq!(linkify_html("ftp://x.org file://etc"), "ftp://x.org file://etc");
        // A scheme glued to a word is not an address (and nothing empty becomes a link).
        assert_eq!(linkify_html("xhttp://a.b"), "xhttp://a.b");
        assert_eq!(
            linkify_html("http:// and https://. and mailto:nobody"),
            "http:// and https://. and mailto:nobody"
        );
    }

    #[test]
    fn quotes_and_angle_brackets_never_leave_the_link() {
        assert_eq!(
            linkify_html("http://x\"onmouseover=alert(1)//"),
            format!("{}&quot;onmouseover=alert(1)//", link("http://x"))
        );
        assert_eq!(
            linkify_html("https://x.org/<script>"),
            format!("{}&lt;script&gt;", link("https://x.org/"))
        );
        assert_eq!(linkify_html("https://x.org/a'b"), format!("{}&#39;b", link("https://x.org/a")));
        assert_eq!(
            linkify_html("https://x.org/?a=1&b=2"),
            "<a href=\"https://x.org/?a=1&amp;b=2\" rel=\"noopener nofollow ugc\">https://x.org/?a=1&amp;b=2</a>"
        );
        assert_eq!(linkify_html("<b>&amp;</b>"), "&lt;b&gt;&amp;amp;&lt;/b&gt;");
        // A link inside a javascript: URL links only the web address.
        assert_eq!(linkify_html("javascript:https://x.org"), format!("javascript:{}", link("https://x.org")));
    }

    #[test]
    fn long_and_unicode_addresses_are_kept_whole() {
        let long = format!("https://x.org/{}", "a".repeat(3_000));
        assert_eq!(linkify_html(&long), link(&long));
        assert_eq!(
            linkify_html("→https://bücher.example/straße ok"),
            format!("→{} ok", link("https://bücher.example/straße"))
        );
        assert_eq!(
            linkify_html("日本https://x.org"),
            "日本https://x.org",
            "a scheme glued to letters of any script stays text"
        );
        assert_eq!(linkify_html("é"), "é");
        assert_eq!(linkify_html(""), "");
    }
}
