//! A customer as the store keeps it: its JSON text, in an allocation of exactly its length,
//! and what identifies it (its `customerId` and `externalId`), read from that text without
//! building the rest.

use axum::body::Bytes;
use serde::de::{self, Deserialize, Deserializer, MapAccess, Visitor};

use crate::generated::schemas::customer;

/// A record as the store keeps it: its JSON text in an allocation of exactly its length.
///
/// Serializing grows its buffer by doubling, so a 400-byte record comes out of `to_vec` in a
/// 512-byte allocation, a 600-byte one in 1,024, and `Bytes::from(Vec)` keeps all of it for as
/// long as the record is stored. A record read from the data file is exact: without this, each
/// update after a restart would swap an exact record for an inflated one, and the emulator's
/// memory would climb back by up to the record's size per customer updated.
pub(crate) fn stored_form(mut json: Vec<u8>) -> Bytes {
    json.shrink_to_fit();
    Bytes::from(json)
}

/// The `externalId` of a stored record, if it has one.
pub(crate) fn external_id(record: &[u8]) -> Option<String> {
    serde_json::from_slice::<Identity>(record).ok()?.external_id
}

/// What identifies a stored record, its [`customer::CUSTOMER_ID`] and
/// [`customer::EXTERNAL_ID`], read without building the rest.
///
/// Deserialized by hand, as `#[derive(Deserialize)]` would with `#[serde(rename = ...)]`
/// (which takes only a literal): a key is compared where it lies, the other properties are
/// skipped unbuilt, a repeated property is an error.
pub(crate) struct Identity {
    pub(crate) customer_id: Option<String>,
    pub(crate) external_id: Option<String>,
}

impl<'de> Deserialize<'de> for Identity {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(IdentityVisitor)
    }
}

struct IdentityVisitor;

impl<'de> Visitor<'de> for IdentityVisitor {
    type Value = Identity;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a customer object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Identity, A::Error> {
        let (mut customer_id, mut external_id) = (None, None);
        while let Some(key) = map.next_key::<IdentityKey>()? {
            let (slot, name) = match key {
                IdentityKey::CustomerId => (&mut customer_id, customer::CUSTOMER_ID),
                IdentityKey::ExternalId => (&mut external_id, customer::EXTERNAL_ID),
                IdentityKey::Other => {
                    map.next_value::<de::IgnoredAny>()?;
                    continue;
                }
            };
            if slot.is_some() {
                return Err(de::Error::duplicate_field(name));
            }
            *slot = Some(map.next_value::<Option<String>>()?);
        }
        Ok(Identity {
            customer_id: customer_id.flatten(),
            external_id: external_id.flatten(),
        })
    }
}

/// A property name of a stored record, as far as [`Identity`] reads it.
enum IdentityKey {
    CustomerId,
    ExternalId,
    Other,
}

impl<'de> Deserialize<'de> for IdentityKey {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl Visitor<'_> for KeyVisitor {
            type Value = IdentityKey;

            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a property name")
            }

            fn visit_str<E: de::Error>(self, name: &str) -> Result<IdentityKey, E> {
                Ok(match name {
                    customer::CUSTOMER_ID => IdentityKey::CustomerId,
                    customer::EXTERNAL_ID => IdentityKey::ExternalId,
                    _ => IdentityKey::Other,
                })
            }
        }
        deserializer.deserialize_identifier(KeyVisitor)
    }
}
