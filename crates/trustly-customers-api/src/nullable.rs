//! [`Nullable`]: the type of every optional property the spec marks `nullable`.

use std::fmt;
use std::ops::Deref;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// An optional property the spec marks `nullable`: left out, `null`, or a value.
///
/// Trustly reads the three differently: a property left out stays as it was, `null` removes
/// it, and a value sets it. A plain `Option` would have to make `null` and "left out" the same
/// thing, so nothing could ever be removed.
///
/// On the wire: [`Nullable::Absent`] is not sent (a field of this type is skipped when
/// absent), [`Nullable::Null`] is `null`, [`Nullable::Value`] is the value. Reading a response,
/// an absent property is `Absent` and `null` is `Null`; both mean "no value", which is what
/// [`Nullable::value`] says.
///
/// ```
/// use trustly_customers_api::Nullable;
///
/// let tax_id: Nullable<String> = "012345678".to_owned().into();
/// assert_eq!(tax_id.as_deref(), Some("012345678"));
/// assert_eq!(Nullable::<String>::Null.value(), None);
/// assert_eq!(serde_json::to_string(&Nullable::<u8>::Null).unwrap(), "null");
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Nullable<T> {
    /// Not present: not sent, and the server keeps what it has.
    #[default]
    Absent,
    /// `null`: the server removes the property.
    Null,
    /// A value.
    Value(T),
}

impl<T> Nullable<T> {
    /// `true` when the property is left out. Fields of this type are skipped when this holds.
    pub fn is_absent(&self) -> bool {
        matches!(self, Nullable::Absent)
    }

    /// `true` for an explicit `null`.
    pub fn is_null(&self) -> bool {
        matches!(self, Nullable::Null)
    }

    /// The value, if there is one (absent and `null` both have none).
    pub fn value(&self) -> Option<&T> {
        match self {
            Nullable::Value(value) => Some(value),
            _ => None,
        }
    }

    /// The value, owned, if there is one.
    pub fn into_value(self) -> Option<T> {
        match self {
            Nullable::Value(value) => Some(value),
            _ => None,
        }
    }

    /// The value through [`Deref`]: `Option<&str>` for a `Nullable<String>`.
    pub fn as_deref(&self) -> Option<&T::Target>
    where
        T: Deref,
    {
        self.value().map(Deref::deref)
    }

    /// Maps the value, keeping absent and `null` as they are.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Nullable<U> {
        match self {
            Nullable::Absent => Nullable::Absent,
            Nullable::Null => Nullable::Null,
            Nullable::Value(value) => Nullable::Value(f(value)),
        }
    }
}

impl<T> From<T> for Nullable<T> {
    fn from(value: T) -> Self {
        Nullable::Value(value)
    }
}

impl<T: fmt::Debug> fmt::Debug for Nullable<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Nullable::Absent => f.write_str("Absent"),
            Nullable::Null => f.write_str("Null"),
            Nullable::Value(value) => f.debug_tuple("Value").field(value).finish(),
        }
    }
}

/// Serializing [`Nullable::Absent`] is an error, not `null`: absent has no JSON of its own,
/// and writing `null` in its place would tell the server to remove the property. A field of
/// this type must be skipped when absent (`#[serde(skip_serializing_if =
/// "Nullable::is_absent")]`, which every generated type has); a type that forgets it fails to
/// serialize instead of deleting data.
impl<T: Serialize> Serialize for Nullable<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Nullable::Absent => Err(serde::ser::Error::custom(
                "an absent Nullable has no JSON: skip the field when absent \
                 (#[serde(skip_serializing_if = \"Nullable::is_absent\")])",
            )),
            Nullable::Null => serializer.serialize_none(),
            Nullable::Value(value) => value.serialize(serializer),
        }
    }
}

/// A present property reads as `Null` or `Value`; an absent one needs `#[serde(default)]` on
/// the field (which the generated types have) to read as `Absent`.
impl<'de, T: Deserialize<'de>> Deserialize<'de> for Nullable<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Ok(match Option::<T>::deserialize(deserializer)? {
            None => Nullable::Null,
            Some(value) => Nullable::Value(value),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::Nullable;
    use serde::Serialize;
    use serde_json::json;

    #[test]
    fn each_state_answers_for_itself_only() {
        let states = [Nullable::Absent, Nullable::Null, Nullable::Value(7)];
        let answers: Vec<_> = states
            .iter()
            .map(|s| (s.is_absent(), s.is_null(), s.value().copied()))
            .collect();
        assert_eq!(
            answers,
            [
                (true, false, None),
                (false, true, None),
                (false, false, Some(7))
            ]
        );
        let owned: Vec<_> = states.into_iter().map(Nullable::into_value).collect();
        assert_eq!(owned, [None, None, Some(7)]);
        let text = Nullable::Value(String::from("a"));
        assert_eq!(text.as_deref(), Some("a"));
        assert_eq!(Nullable::<String>::Null.as_deref(), None);
    }

    #[derive(Serialize)]
    struct Skipped {
        #[serde(skip_serializing_if = "Nullable::is_absent")]
        tax_id: Nullable<String>,
    }

    #[derive(Serialize)]
    struct NotSkipped {
        tax_id: Nullable<String>,
    }

    #[test]
    fn absent_is_left_out_null_is_null_and_a_value_is_the_value() {
        let json = |tax_id| serde_json::to_value(Skipped { tax_id }).unwrap();
        assert_eq!(json(Nullable::Absent), json!({}));
        assert_eq!(json(Nullable::Null), json!({"tax_id": null}));
        assert_eq!(json("1".to_owned().into()), json!({"tax_id": "1"}));
    }

    #[test]
    fn absent_in_a_field_that_is_not_skipped_fails_rather_than_sending_null() {
        // `null` would remove the property on the server: a struct that forgets the skip
        // attribute must not be able to send it.
        let e = serde_json::to_string(&NotSkipped {
            tax_id: Nullable::Absent,
        })
        .unwrap_err();
        assert!(e.to_string().contains("skip_serializing_if"), "{e}");
        assert_eq!(
            serde_json::to_string(&NotSkipped {
                tax_id: Nullable::Null
            })
            .unwrap(),
            r#"{"tax_id":null}"#
        );
    }
}
