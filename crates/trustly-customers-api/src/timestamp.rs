//! [`Timestamp`]: the spec's `Timestamp` schema, epoch milliseconds on the wire.
//!
//! It holds the milliseconds itself instead of wrapping a date-time library: a timestamp here is
//! read, compared, printed and sent back, which needs no time zones or calendars beyond UTC's.
//! That keeps a date-time crate out of every application's first build (about seven seconds of
//! compiling); the `jiff` feature adds conversions for applications that use jiff.

use std::fmt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Deserializer, Serialize, Serializer, de};

/// A point in time: integer milliseconds since the Unix epoch, as every timestamp of the API
/// travels, from 0000-01-01T00:00:00Z (RFC 3339 writes no earlier year) to
/// 9999-12-30T22:00:00Z (the latest instant `jiff::Timestamp` holds, so that the conversion
/// cannot fail).
///
/// It prints as RFC 3339 in UTC, converts to and from [`SystemTime`], and, with the `jiff`
/// feature, to and from `jiff::Timestamp`.
///
/// ```
/// use trustly_customers_api::Timestamp;
///
/// let t: Timestamp = serde_json::from_str("1555696836548").unwrap();
/// assert_eq!(t.to_string(), "2019-04-19T18:00:36.548Z");
/// assert_eq!(t.as_millisecond(), 1555696836548);
/// ```
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp(i64);

/// A millisecond count outside [`Timestamp::MIN`]..=[`Timestamp::MAX`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OutOfRange(pub i64);

impl fmt::Display for OutOfRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} milliseconds from the Unix epoch is outside 0000-01-01T00:00:00Z..=9999-12-30T22:00:00Z",
            self.0
        )
    }
}

impl std::error::Error for OutOfRange {}

impl Timestamp {
    /// The earliest: 0000-01-01T00:00:00Z.
    pub const MIN: Timestamp = Timestamp(-62_167_219_200_000);
    /// The latest: 9999-12-30T22:00:00Z.
    pub const MAX: Timestamp = Timestamp(253_402_207_200_000);

    /// The timestamp `ms` milliseconds after the Unix epoch, if within [`MIN`](Self::MIN)..=[`MAX`](Self::MAX).
    pub fn from_millisecond(ms: i64) -> Result<Timestamp, OutOfRange> {
        if (Self::MIN.0..=Self::MAX.0).contains(&ms) {
            Ok(Timestamp(ms))
        } else {
            Err(OutOfRange(ms))
        }
    }

    /// Milliseconds since the Unix epoch, as sent on the wire.
    pub fn as_millisecond(&self) -> i64 {
        self.0
    }

    /// The current time, to the millisecond.
    pub fn now() -> Timestamp {
        Timestamp::try_from(SystemTime::now()).unwrap_or(Timestamp::MAX)
    }
}

impl From<Timestamp> for SystemTime {
    fn from(ts: Timestamp) -> SystemTime {
        let magnitude = Duration::from_millis(ts.0.unsigned_abs());
        if ts.0 >= 0 {
            UNIX_EPOCH + magnitude
        } else {
            UNIX_EPOCH - magnitude
        }
    }
}

/// Truncates to the millisecond; fails outside [`Timestamp::MIN`]..=[`Timestamp::MAX`].
impl TryFrom<SystemTime> for Timestamp {
    type Error = OutOfRange;
    fn try_from(time: SystemTime) -> Result<Timestamp, OutOfRange> {
        let ms = match time.duration_since(UNIX_EPOCH) {
            Ok(after) => i64::try_from(after.as_millis()).unwrap_or(i64::MAX),
            // Before the epoch: round toward the past, as truncation of a negative count does.
            Err(e) => {
                let before = e.duration();
                let ms = i64::try_from(before.as_millis()).unwrap_or(i64::MAX);
                let partial = before.subsec_nanos() % 1_000_000 != 0;
                -ms - i64::from(partial)
            }
        };
        Timestamp::from_millisecond(ms)
    }
}

#[cfg(feature = "jiff")]
impl From<Timestamp> for jiff::Timestamp {
    fn from(ts: Timestamp) -> jiff::Timestamp {
        jiff::Timestamp::from_millisecond(ts.0)
            .expect("Timestamp::MIN..=Timestamp::MAX is within jiff's range")
    }
}

/// Truncates to the millisecond; fails outside [`Timestamp::MIN`]..=[`Timestamp::MAX`].
#[cfg(feature = "jiff")]
impl TryFrom<jiff::Timestamp> for Timestamp {
    type Error = OutOfRange;
    fn try_from(ts: jiff::Timestamp) -> Result<Timestamp, OutOfRange> {
        Timestamp::from_millisecond(ts.as_millisecond())
    }
}

/// RFC 3339 in UTC: `2019-04-19T18:00:36.548Z`, with the fraction only when it is not zero
/// (`…36.5Z` for 500 ms, `…36Z` for none).
impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let days = self.0.div_euclid(86_400_000);
        let in_day = self.0.rem_euclid(86_400_000);
        let (year, month, day) = civil_from_days(days);
        let (hour, minute) = (in_day / 3_600_000, in_day / 60_000 % 60);
        let (second, milli) = (in_day / 1000 % 60, in_day % 1000);
        write!(
            f,
            "{year:04}-{month:02}-{day:02}T{hour:02}:{minute:02}:{second:02}"
        )?;
        if milli != 0 {
            let fraction = format!("{milli:03}");
            write!(f, ".{}", fraction.trim_end_matches('0'))?;
        }
        f.write_str("Z")
    }
}

impl fmt::Debug for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

/// (year, month, day) of the proleptic Gregorian calendar, `days` after 1970-01-01: the
/// era-based conversion, exact for every day of the years 0000 to 9999.
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097); // day of the era, 0..=146096
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365; // year of the era
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100); // day of the year, from March
    let mp = (5 * doy + 2) / 153; // month, from March
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

impl Serialize for Timestamp {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_i64(self.0)
    }
}

impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let ms = i64::deserialize(deserializer)?;
        Timestamp::from_millisecond(ms).map_err(|_| {
            de::Error::custom(format_args!(
                "{ms} is not a timestamp in epoch milliseconds within range"
            ))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prints_rfc_3339_in_utc() {
        for (ms, text) in [
            (0, "1970-01-01T00:00:00Z"),
            (1_555_696_836_548, "2019-04-19T18:00:36.548Z"),
            (1_555_696_836_500, "2019-04-19T18:00:36.5Z"),
            (1_555_696_836_050, "2019-04-19T18:00:36.05Z"),
            (951_782_400_000, "2000-02-29T00:00:00Z"),
            (-1, "1969-12-31T23:59:59.999Z"),
            (Timestamp::MIN.0, "0000-01-01T00:00:00Z"),
            (Timestamp::MAX.0, "9999-12-30T22:00:00Z"),
            (253_402_207_199_999, "9999-12-30T21:59:59.999Z"),
        ] {
            assert_eq!(
                Timestamp::from_millisecond(ms).unwrap().to_string(),
                text,
                "{ms}"
            );
        }
    }

    #[test]
    fn refuses_what_rfc_3339_cannot_write() {
        assert_eq!(
            Timestamp::from_millisecond(Timestamp::MIN.0 - 1),
            Err(OutOfRange(Timestamp::MIN.0 - 1))
        );
        assert!(Timestamp::from_millisecond(Timestamp::MAX.0 + 1).is_err());
        assert!(serde_json::from_str::<Timestamp>("253402207200001").is_err());
    }

    #[test]
    fn system_time_round_trips_and_truncates_toward_the_past() {
        for ms in [
            0,
            1,
            -1,
            1_555_696_836_548,
            -86_400_001,
            Timestamp::MIN.0,
            Timestamp::MAX.0,
        ] {
            let t = Timestamp::from_millisecond(ms).unwrap();
            assert_eq!(Timestamp::try_from(SystemTime::from(t)), Ok(t), "{ms}");
        }
        let half_ms = Duration::from_micros(500);
        assert_eq!(
            Timestamp::try_from(UNIX_EPOCH + half_ms)
                .unwrap()
                .as_millisecond(),
            0
        );
        assert_eq!(
            Timestamp::try_from(UNIX_EPOCH - half_ms)
                .unwrap()
                .as_millisecond(),
            -1
        );
        let now = Timestamp::now().as_millisecond();
        assert!(now > 1_700_000_000_000, "{now}");
    }
}
