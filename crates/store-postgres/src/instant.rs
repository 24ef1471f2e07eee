//! [`PgInstant`]: how a [`jiff::Timestamp`] travels to and from a PostgreSQL `TIMESTAMPTZ`
//! column, exactly to the microsecond.
//!
//! PostgreSQL's binary format for `TIMESTAMPTZ` is a big-endian `int8` counting microseconds
//! since 2000-01-01T00:00:00Z (PostgreSQL manual, "Date/Time Types", and `timestamp_send` in the
//! server source), so the conversion is one integer shift with no rounding. sqlx's own
//! `TIMESTAMPTZ` support needs its `chrono` or `time` feature; campusdesk uses jiff.

use jiff::Timestamp;
use sqlx::encode::IsNull;
use sqlx::error::BoxDynError;
use sqlx::postgres::types::Oid;
use sqlx::postgres::{PgArgumentBuffer, PgHasArrayType, PgTypeInfo, PgValueFormat, PgValueRef};
use sqlx::{Decode, Encode, Postgres, Type};

/// Microseconds from the Unix epoch to PostgreSQL's epoch, 2000-01-01T00:00:00Z.
const PG_EPOCH_MICROS: i64 = 946_684_800_000_000;

/// The type OID of `timestamptz` (`SELECT 'timestamptz'::regtype::oid`; fixed in `pg_type`).
const TIMESTAMPTZ_OID: Oid = Oid(1184);

/// The type OID of `timestamptz[]` (`SELECT 'timestamptz[]'::regtype::oid`; fixed in `pg_type`).
const TIMESTAMPTZ_ARRAY_OID: Oid = Oid(1185);

/// A UTC instant stored in a `TIMESTAMPTZ` column (microsecond resolution).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct PgInstant(pub(crate) Timestamp);

impl Type<Postgres> for PgInstant {
    fn type_info() -> PgTypeInfo {
        PgTypeInfo::with_oid(TIMESTAMPTZ_OID)
    }
}

/// Arrays of instants, for the batched inserts of a restore (`UNNEST($1::timestamptz[])`).
impl PgHasArrayType for PgInstant {
    fn array_type_info() -> PgTypeInfo {
        PgTypeInfo::with_oid(TIMESTAMPTZ_ARRAY_OID)
    }
}

impl Encode<'_, Postgres> for PgInstant {
    fn encode_by_ref(&self, buf: &mut PgArgumentBuffer) -> Result<IsNull, BoxDynError> {
        // jiff's range (years -9999..=9999) in microseconds is far inside i64: no overflow.
        let micros = self.0.as_microsecond() - PG_EPOCH_MICROS;
        Encode::<Postgres>::encode(micros, buf)
    }

    fn size_hint(&self) -> usize {
        std::mem::size_of::<i64>()
    }
}

impl<'r> Decode<'r, Postgres> for PgInstant {
    fn decode(value: PgValueRef<'r>) -> Result<Self, BoxDynError> {
        match value.format() {
            PgValueFormat::Binary => {
                let since_pg_epoch = <i64 as Decode<Postgres>>::decode(value)?;
                let micros = since_pg_epoch
                    .checked_add(PG_EPOCH_MICROS)
                    .ok_or("a TIMESTAMPTZ of infinity is not a valid instant")?;
                Ok(PgInstant(Timestamp::from_microsecond(micros)?))
            }
            // Only the simple query protocol returns text; PostgreSQL writes e.g.
            // "2026-11-21 08:00:00.123456+00", which jiff parses once the space is a 'T'.
            PgValueFormat::Text => {
                let text = value.as_str()?.replacen(' ', "T", 1);
                Ok(PgInstant(text.parse::<Timestamp>()?))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_postgres_epoch_is_2000_01_01_utc() {
        let epoch: Timestamp = "2000-01-01T00:00:00Z".parse().expect("a valid instant");
        assert_eq!(epoch.as_microsecond(), PG_EPOCH_MICROS);
    }
}
