//! [`Timestamp`]: the spec's `Timestamp` schema, epoch milliseconds on the wire.

use std::fmt;
use std::ops::Deref;

use serde::{Deserialize, Deserializer, Serialize, Serializer, de};

/// A point in time: a [`jiff::Timestamp`] that travels as integer milliseconds since the Unix
/// epoch, as every timestamp of the API does.
///
/// It dereferences to the `jiff::Timestamp`, and converts to and from it.
///
/// ```
/// use trustly_customers_api::Timestamp;
///
/// let t: Timestamp = serde_json::from_str("1555696836548").unwrap();
/// assert_eq!(t.to_string(), "2019-04-19T18:00:36.548Z");
/// assert_eq!(t.as_millisecond(), 1555696836548);
/// ```
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp(jiff::Timestamp);

impl Timestamp {
    /// The timestamp `ms` milliseconds after the Unix epoch, if within jiff's range.
    pub fn from_millisecond(ms: i64) -> Result<Timestamp, jiff::Error> {
        jiff::Timestamp::from_millisecond(ms).map(Timestamp)
    }

    /// The current time.
    pub fn now() -> Timestamp {
        Timestamp(jiff::Timestamp::now())
    }

    /// The `jiff::Timestamp`.
    pub fn into_inner(self) -> jiff::Timestamp {
        self.0
    }
}

impl Deref for Timestamp {
    type Target = jiff::Timestamp;
    fn deref(&self) -> &jiff::Timestamp {
        &self.0
    }
}

impl From<jiff::Timestamp> for Timestamp {
    fn from(ts: jiff::Timestamp) -> Self {
        Timestamp(ts)
    }
}

impl From<Timestamp> for jiff::Timestamp {
    fn from(ts: Timestamp) -> Self {
        ts.0
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

impl fmt::Debug for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

impl Serialize for Timestamp {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_i64(self.0.as_millisecond())
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
