//! The message catalogues: every sentence a person reads on a page, in each language the web UI
//! speaks, as Project Fluent files under `locales/<code>/main.ftl` (embedded in the binary),
//! and the formatting of dates and numbers for that language.
//!
//! [`Lang::t`] looks a message up by its id (`menu-tickets`); [`Lang::t_with`] fills in
//! variables (`{ $zone }`); a number given as a variable is written with the language's
//! thousands separator ("12,345" / "12.345"). A message missing from a catalogue falls back to
//! English, and one missing from English too shows its id, never an empty string (and the
//! tests below keep both from happening). How to add a string or a language:
//! `locales/README.md`.

use std::sync::LazyLock;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use jiff::Timestamp;
use jiff::tz::TimeZone;
use unic_langid::LanguageIdentifier;

/// A language of the web UI.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) enum Lang {
    /// English, the default and the fallback of every message.
    #[default]
    En,
    /// Italian.
    It,
    /// German.
    De,
}

impl Lang {
    /// Every language, in the order the footer's switcher offers them.
    pub(crate) const ALL: [Lang; 3] = [Lang::En, Lang::It, Lang::De];

    /// The BCP 47 code: `en`, `it` or `de` (the `lang` attribute and the cookie's value).
    pub(crate) fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::It => "it",
            Lang::De => "de",
        }
    }

    /// The language's name in itself ("Italiano"), as the switcher shows it.
    pub(crate) fn native_name(self) -> &'static str {
        match self {
            Lang::En => "English",
            Lang::It => "Italiano",
            Lang::De => "Deutsch",
        }
    }

    /// The language of `code` (`en`, `it`, `de`; exact), if the web UI speaks it.
    pub(crate) fn parse(code: &str) -> Option<Lang> {
        Lang::ALL.into_iter().find(|l| l.code() == code)
    }

    /// The catalogue's text.
    fn source(self) -> &'static str {
        match self {
            Lang::En => include_str!("../locales/en/main.ftl"),
            Lang::It => include_str!("../locales/it/main.ftl"),
            Lang::De => include_str!("../locales/de/main.ftl"),
        }
    }

    /// The digit group separator of numbers of four digits and more ("12,345" / "12.345").
    fn thousands(self) -> char {
        match self {
            Lang::En => ',',
            Lang::It | Lang::De => '.',
        }
    }

    /// `x` with one decimal and the language's decimal mark: 12.5 -> "12.5" (en), "12,5" (it,
    /// de). Used for hours on the dashboard; no digit grouping (hours stay below thousands in
    /// practice, and a grouped decimal reads worse than a plain one).
    pub(crate) fn one_decimal(self, x: f64) -> String {
        let text = format!("{x:.1}");
        match self {
            Lang::En => text,
            Lang::It | Lang::De => text.replace('.', ","),
        }
    }

    fn bundle(self) -> &'static FluentBundle<FluentResource> {
        &BUNDLES[self as usize]
    }

    /// The message `key`, variables left out. See [`Lang::t_with`].
    pub(crate) fn t(self, key: &str) -> String {
        self.t_with(key, &[])
    }

    /// The message `key` with its variables (`("zone", "Europe/Rome".into())`); numbers
    /// (`FluentValue::from(3)`) select plural forms and are written with the language's
    /// thousands separator. Falls back to English, then to `key` itself (logged).
    pub(crate) fn t_with(self, key: &str, args: &[(&str, FluentValue<'_>)]) -> String {
        let mut fluent_args = FluentArgs::new();
        for (name, value) in args {
            fluent_args.set(*name, value.clone());
        }
        for lang in [self, Lang::En] {
            let bundle = lang.bundle();
            if let Some(pattern) = bundle.get_message(key).and_then(|m| m.value()) {
                let mut errors = Vec::new();
                let text = bundle.format_pattern(pattern, Some(&fluent_args), &mut errors);
                if !errors.is_empty() {
                    tracing::warn!(key, lang = lang.code(), ?errors, "a message did not format cleanly");
                }
                return text.into_owned();
            }
        }
        tracing::warn!(key, "a message is in no catalogue");
        key.to_owned()
    }

    /// Why typed text was refused ([`domain::TextError`]), as a sentence in this language:
    /// "The name is 61 characters long; at most 60 are allowed."
    pub(crate) fn text_error(self, err: &domain::TextError) -> String {
        use domain::TextError;
        let field = FluentValue::from(err.field());
        match err {
            TextError::Empty { .. } => self.t_with("text-empty", &[("field", field)]),
            TextError::TooLong { len, max, .. } => self.t_with(
                "text-too-long",
                &[("field", field), ("len", FluentValue::from(*len)), ("max", FluentValue::from(*max))],
            ),
            TextError::ControlCharacter { .. } => self.t_with("text-control", &[("field", field)]),
        }
    }

    /// The sentence for a reporter address the report form refuses ([`domain::parse_address`]).
    pub(crate) fn address_error(self, err: &domain::AddressError) -> String {
        use domain::AddressError;
        match err {
            AddressError::TooLong => {
                self.t_with("address-too-long", &[("max", FluentValue::from(domain::MAX_ADDRESS_BYTES))])
            }
            AddressError::Malformed(address) => {
                self.t_with("address-malformed", &[("address", FluentValue::from(address.as_str()))])
            }
        }
    }

    /// `n` with the language's thousands separator: 12345 -> "12,345" (en), "12.345" (it, de).
    pub(crate) fn number(self, n: i64) -> String {
        group_digits(&n.to_string(), self.thousands())
    }

    /// `ts` in the campus time zone `tz`, by the language's `datetime` pattern: "21 Nov 2026,
    /// 10:14" / "21 nov 2026, 10:14" / "21. Nov. 2026, 10:14" (24-hour clock).
    pub(crate) fn format_time(self, ts: Timestamp, tz: &TimeZone) -> String {
        let local = ts.to_zoned(tz.clone());
        self.t_with(
            "datetime",
            &[
                ("day", local.day().to_string().into()),
                ("month", FluentValue::from(local.month())),
                ("year", local.year().to_string().into()),
                ("time", local.strftime("%H:%M").to_string().into()),
            ],
        )
    }
}

/// `digits` (an optional `-` and ASCII digits) with `separator` between groups of three.
fn group_digits(digits: &str, separator: char) -> String {
    let (sign, digits) = digits.strip_prefix('-').map_or(("", digits), |rest| ("-", rest));
    let mut out = String::from(sign);
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(separator);
        }
        out.push(digit);
    }
    out
}

/// How a bundle writes a variable: whole numbers with the language's separator; anything else
/// as Fluent would.
fn write_value(value: &FluentValue<'_>, lang: Lang) -> Option<String> {
    match value {
        FluentValue::Number(n) if n.value.fract() == 0.0 && n.value.abs() < 1e15 => {
            // Whole and within i64's exact range, so the cast is lossless.
            #[allow(clippy::cast_possible_truncation)]
            let whole = n.value as i64;
            Some(lang.number(whole))
        }
        _ => None,
    }
}

fn write_en<M>(value: &FluentValue<'_>, _: &M) -> Option<String> {
    write_value(value, Lang::En)
}

fn write_it<M>(value: &FluentValue<'_>, _: &M) -> Option<String> {
    write_value(value, Lang::It)
}

fn write_de<M>(value: &FluentValue<'_>, _: &M) -> Option<String> {
    write_value(value, Lang::De)
}

/// One bundle per language, in [`Lang::ALL`] order, built on first use. A catalogue that does
/// not parse is a build mistake the tests catch; its good messages still load.
static BUNDLES: LazyLock<[FluentBundle<FluentResource>; 3]> = LazyLock::new(|| Lang::ALL.map(bundle_of));

fn bundle_of(lang: Lang) -> FluentBundle<FluentResource> {
    let id: LanguageIdentifier = lang.code().parse().unwrap_or_default();
    let mut bundle = FluentBundle::new_concurrent(vec![id]);
    // Pages are HTML with `dir="auto"` where text may run right to left; Unicode isolation marks
    // around every variable would only get in the way of copying and searching.
    bundle.set_use_isolating(false);
    bundle.set_formatter(Some(match lang {
        Lang::En => write_en,
        Lang::It => write_it,
        Lang::De => write_de,
    }));
    let resource = FluentResource::try_new(lang.source().to_owned()).unwrap_or_else(|(partial, errors)| {
        tracing::error!(lang = lang.code(), ?errors, "a message catalogue has mistakes");
        partial
    });
    if let Err(errors) = bundle.add_resource(resource) {
        tracing::error!(lang = lang.code(), ?errors, "a message catalogue repeats a message");
    }
    bundle
}

/// The message ids a catalogue defines (lines `id = ...`; terms `-id` are private to it).
#[cfg(test)]
fn keys(source: &str) -> Vec<&str> {
    source
        .lines()
        .filter(|line| line.starts_with(|c: char| c.is_ascii_lowercase()))
        .filter_map(|line| line.split_once('=').map(|(id, _)| id.trim()))
        .collect()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn every_catalogue_parses_and_has_every_english_message() {
        for lang in Lang::ALL {
            assert!(FluentResource::try_new(lang.source().to_owned()).is_ok(), "{lang:?} parses");
        }
        let english = keys(Lang::En.source());
        assert!(english.len() > 50, "the English catalogue is read: {}", english.len());
        for lang in [Lang::It, Lang::De] {
            let missing: Vec<_> = english.iter().filter(|k| !lang.bundle().has_message(k)).collect();
            assert!(missing.is_empty(), "{lang:?} lacks {missing:?}");
            let extra: Vec<_> = keys(lang.source()).into_iter().filter(|k| !english.contains(k)).collect();
            assert!(extra.is_empty(), "{lang:?} has messages English lacks: {extra:?}");
        }
    }

    /// The message ids named in templates and code: `t("id"`, `t_with("id"`, `t1("id"`,
    /// `t2("id"`, `script_text("id"`.
    fn used_keys(text: &str) -> Vec<String> {
        let mut found = Vec::new();
        for call in [".t(\"", ".t_with(\"", ".t1(\"", ".t2(\"", ".script_text(\""] {
            for (at, _) in text.match_indices(call) {
                let rest = &text[at + call.len()..];
                if let Some(end) = rest.find('"') {
                    found.push(rest[..end].to_owned());
                }
            }
        }
        found
    }

    fn files(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                files(&path, out);
            } else {
                out.push(path);
            }
        }
    }

    #[test]
    fn every_message_used_by_a_template_or_handler_is_in_english() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut paths = Vec::new();
        files(&root.join("templates"), &mut paths);
        files(&root.join("src"), &mut paths);
        let mut used = 0;
        // This module's own tests look up a missing message on purpose.
        for path in paths.into_iter().filter(|p| !p.ends_with("catalogue.rs")) {
            let text = std::fs::read_to_string(&path).unwrap();
            for key in used_keys(&text) {
                used += 1;
                assert!(
                    Lang::En.bundle().has_message(&key),
                    "{} uses {key:?}, not in English",
                    path.display()
                );
            }
        }
        assert!(used > 50, "templates are scanned: {used} uses");
    }

    #[test]
    fn a_missing_message_falls_back_to_english_then_to_its_id() {
        assert_eq!(Lang::De.t("menu-tickets"), "Tickets");
        assert_eq!(Lang::It.t("no-such-message"), "no-such-message");
        assert!(!Lang::It.t("footer-language").is_empty());
    }

    #[test]
    fn dates_and_numbers_follow_the_language() {
        let tz = TimeZone::get("Europe/Rome").unwrap();
        let ts: Timestamp = "2026-11-30T13:05:00Z".parse().unwrap();
        assert_eq!(Lang::En.format_time(ts, &tz), "30 Nov 2026, 14:05");
        assert_eq!(Lang::It.format_time(ts, &tz), "30 nov 2026, 14:05");
        assert_eq!(Lang::De.format_time(ts, &tz), "30. Nov. 2026, 14:05");
        let may: Timestamp = "2026-05-02T07:00:00Z".parse().unwrap();
        assert_eq!(Lang::De.format_time(may, &tz), "2. Mai 2026, 09:00");
        assert_eq!(Lang::En.number(1_234_567), "1,234,567");
        assert_eq!(Lang::De.number(12_345), "12.345");
        assert_eq!(Lang::It.number(-1000), "-1.000");
        assert_eq!(Lang::En.number(999), "999");
        assert_eq!(
            Lang::En.t_with("tickets-count", &[("count", FluentValue::from(12_345))]),
            "12,345 tickets"
        );
        assert_eq!(Lang::De.t_with("tickets-count", &[("count", FluentValue::from(1))]), "1 Ticket");
        assert_eq!(Lang::It.t_with("tickets-count", &[("count", FluentValue::from(2))]), "2 ticket");
        let long = domain::TextError::TooLong { field: "name", len: 1234, max: 60 };
        assert_eq!(Lang::En.text_error(&long), "The name is 1,234 characters long; at most 60 are allowed.");
        assert_eq!(Lang::De.text_error(&long), "Der Name ist 1.234 Zeichen lang; erlaubt sind höchstens 60.");
    }

    #[test]
    fn statuses_categories_and_hours_read_in_each_language() {
        let status = |lang: Lang, slug: &str| lang.t_with("status-name", &[("status", slug.into())]);
        assert_eq!(status(Lang::En, "active"), "Active");
        assert_eq!(status(Lang::It, "active"), "In lavorazione");
        assert_eq!(status(Lang::De, "closed"), "Geschlossen");
        let short = |lang: Lang, slug: &str| lang.t_with("category-short", &[("category", slug.into())]);
        assert_eq!(short(Lang::En, "facility"), "Facility");
        assert_eq!(short(Lang::De, "facility"), "Gebäude");
        assert_eq!(Lang::En.one_decimal(12.25), "12.2");
        assert_eq!(Lang::De.one_decimal(5.5), "5,5");
        assert_eq!(Lang::It.one_decimal(30.0), "30,0");
        let month =
            [("day", FluentValue::from("21")), ("month", FluentValue::from(11)), ("year", "2026".into())];
        assert_eq!(Lang::En.t_with("month-year", &month), "Nov 2026");
        assert_eq!(Lang::De.t_with("day-month", &month), "21. Nov.");
        assert_eq!(Lang::It.t_with("day-month", &month), "21 nov");
    }

    #[test]
    fn codes_read_what_they_write() {
        for lang in Lang::ALL {
            assert_eq!(Lang::parse(lang.code()), Some(lang));
        }
        assert_eq!(Lang::parse("fr"), None);
    }
}
