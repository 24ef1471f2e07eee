//! The period of the unclosed analysis, with the one set of limits the analytics service, its
//! client and the web UI's form all use.

use std::fmt;
use std::str::FromStr;

use jiff::SignedDuration;

/// The unit a [`Period`] was given in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PeriodUnit {
    /// `hours=N`, 1 to 8760.
    Hours,
    /// `days=N` (24 hours each), 1 to 3650.
    Days,
}

impl PeriodUnit {
    /// The query parameter name: `hours` or `days`.
    pub fn as_str(self) -> &'static str {
        match self {
            PeriodUnit::Hours => "hours",
            PeriodUnit::Days => "days",
        }
    }

    /// The largest amount accepted: 8760 hours (one year) or 3650 days (ten years).
    pub fn max(self) -> u32 {
        match self {
            PeriodUnit::Hours => 8760,
            PeriodUnit::Days => 3650,
        }
    }
}

impl fmt::Display for PeriodUnit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How far back the unclosed analysis (`GET /api/v1/analytics/unclosed`) looks: 1 to 8760 hours, or 1 to 3650 days of 24 hours.
///
/// Parse it from the query string of `GET /api/v1/analytics/unclosed` with [`str::parse`]
/// (`"hours=24"`, `"days=7"`), or build it with [`Period::new`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    unit: PeriodUnit,
    amount: u32,
}

impl Period {
    /// A period of `amount` `unit`s. Errors: [`PeriodError::OutOfRange`] unless
    /// `1 <= amount <= unit.max()`.
    pub fn new(unit: PeriodUnit, amount: u32) -> Result<Period, PeriodError> {
        if (1..=unit.max()).contains(&amount) {
            Ok(Period { unit, amount })
        } else {
            Err(PeriodError::OutOfRange { unit, value: amount.to_string() })
        }
    }

    /// The unit it was given in.
    pub fn unit(self) -> PeriodUnit {
        self.unit
    }

    /// The amount, in [`Period::unit`]s.
    pub fn amount(self) -> u32 {
        self.amount
    }

    /// Its length in hours (a day is 24 hours).
    pub fn total_hours(self) -> u32 {
        match self.unit {
            PeriodUnit::Hours => self.amount,
            PeriodUnit::Days => self.amount * 24,
        }
    }

    /// Its length as a duration.
    pub fn duration(self) -> SignedDuration {
        SignedDuration::from_hours(i64::from(self.total_hours()))
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}={}", self.unit, self.amount)
    }
}

impl FromStr for Period {
    type Err = PeriodError;

    /// Parses a URL query string holding exactly one of `hours=N` (1 to 8760) or `days=N`
    /// (1 to 3650), e.g. `"days=7"`. Any other parameter, a repeated one, or both at once is an
    /// error; see [`PeriodError`].
    fn from_str(query: &str) -> Result<Period, PeriodError> {
        let mut found: Option<(PeriodUnit, &str)> = None;
        for pair in query.split('&').filter(|p| !p.is_empty()) {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            let unit = match name {
                "hours" => PeriodUnit::Hours,
                "days" => PeriodUnit::Days,
                other => return Err(PeriodError::UnknownParameter { name: other.to_owned() }),
            };
            if found.is_some() {
                return Err(PeriodError::MoreThanOne);
            }
            found = Some((unit, value));
        }
        let (unit, value) = found.ok_or(PeriodError::Missing)?;
        let amount = value
            .trim()
            .parse::<u32>()
            .map_err(|_| PeriodError::OutOfRange { unit, value: value.to_owned() })?;
        Period::new(unit, amount)
    }
}

/// Why a period could not be parsed. The messages are sentences for the person who sent the
/// query and say what is accepted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PeriodError {
    /// Neither `hours` nor `days` was given.
    #[error("say how far back to look: hours=N (1 to 8760) or days=N (1 to 3650)")]
    Missing,
    /// `hours` and `days` both, or one of them twice.
    #[error("give exactly one period, either hours=N (1 to 8760) or days=N (1 to 3650), not several")]
    MoreThanOne,
    /// A query parameter other than `hours` and `days`.
    #[error("unknown query parameter {name:?}; give the period as hours=N (1 to 8760) or days=N (1 to 3650)")]
    UnknownParameter {
        /// The parameter's name as sent.
        name: String,
    },
    /// The amount is not a whole number in the accepted range.
    #[error("{unit} must be a whole number from 1 to {max}, not {value:?}", max = unit.max())]
    OutOfRange {
        /// The unit given.
        unit: PeriodUnit,
        /// The value as sent.
        value: String,
    },
}

impl PeriodError {
    /// The query parameter at fault: `hours`, `days`, the unknown name, or `period` when the
    /// problem is the combination.
    pub fn field(&self) -> &str {
        match self {
            PeriodError::Missing | PeriodError::MoreThanOne => "period",
            PeriodError::UnknownParameter { name } => name,
            PeriodError::OutOfRange { unit, .. } => unit.as_str(),
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn periods_parse_from_the_query_string() {
        assert_eq!("hours=24".parse::<Period>().unwrap(), Period::new(PeriodUnit::Hours, 24).unwrap());
        let week: Period = "days=7".parse().unwrap();
        assert_eq!((week.unit(), week.amount(), week.total_hours()), (PeriodUnit::Days, 7, 168));
        assert_eq!(week.duration(), SignedDuration::from_hours(168));
        assert_eq!("hours=8760".parse::<Period>().unwrap().total_hours(), 8760);
        assert_eq!("days=3650".parse::<Period>().unwrap().amount(), 3650);
        assert_eq!("days=1".parse::<Period>().unwrap().to_string(), "days=1");
    }

    #[test]
    fn bad_periods_say_what_is_accepted() {
        let err = |q: &str| q.parse::<Period>().unwrap_err();
        assert_eq!(err(""), PeriodError::Missing);
        assert_eq!(err("hours=1&days=1"), PeriodError::MoreThanOne);
        assert_eq!(err("hours=1&hours=2"), PeriodError::MoreThanOne);
        assert_eq!(err("weeks=2"), PeriodError::UnknownParameter { name: "weeks".into() });
        assert_eq!(err("hours=0").field(), "hours");
        assert!(matches!(err("hours=8761"), PeriodError::OutOfRange { unit: PeriodUnit::Hours, .. }));
        assert!(matches!(err("days=3651"), PeriodError::OutOfRange { unit: PeriodUnit::Days, .. }));
        assert!(matches!(err("days=-1"), PeriodError::OutOfRange { .. }));
        assert!(matches!(err("days="), PeriodError::OutOfRange { .. }));
        assert_eq!(err("hours=abc").to_string(), "hours must be a whole number from 1 to 8760, not \"abc\"");
        assert_eq!(err("days=0").to_string(), "days must be a whole number from 1 to 3650, not \"0\"");
        assert_eq!(
            err("").to_string(),
            "say how far back to look: hours=N (1 to 8760) or days=N (1 to 3650)"
        );
    }
}
