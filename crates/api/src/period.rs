//! The period of the unclosed analysis, with the one set of limits the analytics service, its
//! client and the web UI's form all use, and its query string ([`PeriodQuery`]).

use std::fmt;
use std::str::FromStr;

use jiff::SignedDuration;
use serde::{Deserialize, Serialize};

use crate::query::{QueryError, parse_query};

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

impl FromStr for PeriodUnit {
    type Err = PeriodError;

    /// `hours` or `days`, as [`PeriodUnit::as_str`] writes them (surrounding white space is
    /// ignored). Errors: [`PeriodError::UnknownUnit`].
    fn from_str(unit: &str) -> Result<PeriodUnit, PeriodError> {
        [PeriodUnit::Hours, PeriodUnit::Days]
            .into_iter()
            .find(|u| u.as_str() == unit.trim())
            .ok_or_else(|| PeriodError::UnknownUnit { unit: unit.to_owned() })
    }
}

impl fmt::Display for PeriodUnit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How far back the unclosed analysis (`GET /api/v1/analytics/unclosed`) looks: 1 to 8760
/// hours, or 1 to 3650 days of 24 hours.
///
/// Read it from that endpoint's query string with [`str::parse`] (`"hours=24"`, `"days=7"`) or
/// from a [`PeriodQuery`] with [`Period::try_from`], or build it with [`Period::new`].
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

/// The query string of `GET /api/v1/analytics/unclosed`: exactly one of `hours=N` or
/// `days=N`. The amounts stay text until [`Period::try_from`] checks them, so a refusal can
/// quote what was sent. Unknown parameters are refused.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct PeriodQuery {
    /// `hours=N`, 1 to 8760.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[param(value_type = Option<u32>, minimum = 1, maximum = 8760, nullable = false)]
    pub hours: Option<String>,
    /// `days=N`, 1 to 3650.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[param(value_type = Option<u32>, minimum = 1, maximum = 3650, nullable = false)]
    pub days: Option<String>,
}

impl From<Period> for PeriodQuery {
    fn from(period: Period) -> PeriodQuery {
        let amount = Some(period.amount.to_string());
        match period.unit {
            PeriodUnit::Hours => PeriodQuery { hours: amount, days: None },
            PeriodUnit::Days => PeriodQuery { hours: None, days: amount },
        }
    }
}

impl TryFrom<PeriodQuery> for Period {
    type Error = PeriodError;

    /// Exactly one of `hours` and `days`, with a whole number in its range.
    fn try_from(query: PeriodQuery) -> Result<Period, PeriodError> {
        let (unit, value) = match (query.hours, query.days) {
            (Some(hours), None) => (PeriodUnit::Hours, hours),
            (None, Some(days)) => (PeriodUnit::Days, days),
            (None, None) => return Err(PeriodError::Missing),
            (Some(_), Some(_)) => return Err(PeriodError::MoreThanOne),
        };
        let amount = value
            .trim()
            .parse::<u32>()
            .map_err(|_| PeriodError::OutOfRange { unit, value: value.clone() })?;
        Period::new(unit, amount)
    }
}

impl FromStr for Period {
    type Err = PeriodError;

    /// Reads a URL query string holding exactly one of `hours=N` (1 to 8760) or `days=N`
    /// (1 to 3650), e.g. `"days=7"`, as a [`PeriodQuery`]. Any other parameter, a repeated
    /// one, or both at once is an error; see [`PeriodError`].
    fn from_str(query: &str) -> Result<Period, PeriodError> {
        Period::try_from(parse_query::<PeriodQuery>(query)?)
    }
}

impl From<QueryError> for PeriodError {
    fn from(err: QueryError) -> PeriodError {
        match err {
            QueryError::UnknownParameter { name, .. } => PeriodError::UnknownParameter { name },
            QueryError::Repeated { .. } => PeriodError::MoreThanOne,
            other @ QueryError::Invalid { .. } => PeriodError::Unreadable(other),
        }
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
    /// A unit other than `hours` and `days` (from a form that names the unit).
    #[error("the unit must be hours or days, not {unit:?}")]
    UnknownUnit {
        /// The unit as sent.
        unit: String,
    },
    /// The query string cannot be read at all.
    #[error(transparent)]
    Unreadable(QueryError),
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
    /// problem is the combination or the whole query string.
    pub fn field(&self) -> &str {
        match self {
            PeriodError::Missing | PeriodError::MoreThanOne | PeriodError::UnknownUnit { .. } => "period",
            PeriodError::UnknownParameter { name } => name,
            PeriodError::Unreadable(err) => err.parameter().unwrap_or("period"),
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
        assert_eq!("days=%207".parse::<Period>().unwrap().amount(), 7);
        assert_eq!(" hours".parse::<PeriodUnit>().unwrap(), PeriodUnit::Hours);
        assert!("weeks".parse::<PeriodUnit>().is_err());
        let query = PeriodQuery::from(week);
        assert_eq!(Period::try_from(query.clone()).unwrap(), week);
        assert_eq!(serde_urlencoded::to_string(&query).unwrap(), "days=7");
    }

    #[test]
    fn bad_periods_say_what_is_accepted() {
        let err = |q: &str| q.parse::<Period>().unwrap_err();
        assert_eq!(err(""), PeriodError::Missing);
        assert_eq!(err("hours=1&days=1"), PeriodError::MoreThanOne);
        assert_eq!(err("hours=1&hours=2"), PeriodError::MoreThanOne);
        assert_eq!(err("weeks=2"), PeriodError::UnknownParameter { name: "weeks".into() });
        assert_eq!(err("days=2&weeks=2").field(), "weeks");
        assert_eq!(err("days=1&days=1"), PeriodError::MoreThanOne);
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
