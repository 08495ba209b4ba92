//! Merge patches: the tri-state [`Patch`] and the [`CustomerPatch`] sent by
//! [`Client::update_customer`](crate::Client::update_customer).
//!
//! Trustly removes a property sent as `null`, keeps one left out, and overwrites one sent with a
//! value. The generated client models optional properties as `Option<T>` and skips `None`, so it
//! can say "leave it" or "set it" but never "remove it". [`Patch<T>`] says all three.

use std::fmt;

use jiff::Timestamp;
use serde::de::{self, Deserializer};
use serde::ser::{SerializeMap, Serializer};
use serde::{Deserialize, Serialize};

use crate::customer::{Address, CustomData, DriverLicense, Vip};
use crate::ids::{ExternalId, MerchantId};
use crate::redact::{Redacted, RedactedOption};

/// One property of a merge patch: leave it, remove it, or set it.
///
/// On the wire: [`Patch::Unchanged`] is absent, [`Patch::Clear`] is `null`, [`Patch::Set`] is
/// the value. When deserializing a struct field marked `#[serde(default)]`, the same three
/// spellings read back as the same three states.
#[derive(Clone, PartialEq, Eq, Default)]
pub enum Patch<T> {
    /// Leave the property as it is (the property is not sent).
    #[default]
    Unchanged,
    /// Remove the property (sent as `null`).
    Clear,
    /// Set the property to this value.
    Set(T),
}

impl<T> Patch<T> {
    /// `true` for [`Patch::Unchanged`]: the property is left out of the body.
    pub fn is_unchanged(&self) -> bool {
        matches!(self, Patch::Unchanged)
    }

    /// The value being set, if any.
    pub fn as_set(&self) -> Option<&T> {
        match self {
            Patch::Set(value) => Some(value),
            _ => None,
        }
    }

    /// Maps the value of [`Patch::Set`].
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Patch<U> {
        match self {
            Patch::Unchanged => Patch::Unchanged,
            Patch::Clear => Patch::Clear,
            Patch::Set(value) => Patch::Set(f(value)),
        }
    }
}

impl<T> From<T> for Patch<T> {
    fn from(value: T) -> Self {
        Patch::Set(value)
    }
}

/// `Debug` never shows the value: a patch usually carries personal data.
impl<T> fmt::Debug for Patch<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Patch::Unchanged => f.write_str("Unchanged"),
            Patch::Clear => f.write_str("Clear"),
            Patch::Set(_) => f.debug_tuple("Set").field(&Redacted).finish(),
        }
    }
}

impl<T: Serialize> Serialize for Patch<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            // A containing struct skips this state; serialized on its own it can only be null.
            Patch::Unchanged | Patch::Clear => serializer.serialize_none(),
            Patch::Set(value) => value.serialize(serializer),
        }
    }
}

/// A present field reads as `Clear` (for `null`) or `Set`; an absent one needs
/// `#[serde(default)]` on the field to read as `Unchanged`.
impl<'de, T: Deserialize<'de>> Deserialize<'de> for Patch<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Ok(match Option::<T>::deserialize(deserializer)? {
            None => Patch::Clear,
            Some(value) => Patch::Set(value),
        })
    }
}

/// A merge patch for one customer, sent by [`Client::update_customer`](crate::Client::update_customer).
///
/// Every field defaults to "leave unchanged". `name`, `address`, `phone` and `email` are
/// required on a customer, so they can be replaced but not removed: they are `Option`s (absent
/// or a value) rather than [`Patch`]es. `customerId`, `createdAt` and `updatedAt` are assigned by
/// Trustly and cannot be patched.
///
/// `address` replaces the whole address: send every line the customer should keep.
///
/// ```
/// use trustly_customers::{CustomerPatch, Patch};
///
/// let patch = CustomerPatch {
///     phone: Some("+16505550000".into()),
///     tax_id: Patch::Clear,
///     ..CustomerPatch::default()
/// };
/// assert_eq!(
///     serde_json::to_string(&patch).unwrap(),
///     r#"{"phone":"+16505550000","taxId":null}"#
/// );
/// ```
///
/// Deserializing (for example a patch file) refuses unknown properties and `null` for the four
/// required ones, naming the property.
#[derive(Clone, Default, PartialEq)]
pub struct CustomerPatch {
    /// Full name.
    pub name: Option<String>,
    /// The whole address (replaces the stored one).
    pub address: Option<Address>,
    /// Phone number.
    pub phone: Option<String>,
    /// Email address.
    pub email: Option<String>,
    /// Tax id (SSN, SIN).
    pub tax_id: Patch<String>,
    /// Date of birth, `YYYY-MM-DD` recommended.
    pub date_of_birth: Patch<String>,
    /// The merchant's own id of the customer.
    pub external_id: Patch<ExternalId>,
    /// The merchant account's id.
    pub merchant_id: Patch<MerchantId>,
    /// When the customer first transacted with the merchant.
    pub enroll_date: Patch<Timestamp>,
    /// VIP tier.
    pub vip: Patch<Vip>,
    /// Currency of the customer.
    pub currency: Patch<String>,
    /// Balance of the customer with the merchant.
    pub balance: Patch<String>,
    /// Organization number, for business accounts.
    pub organization_number: Patch<String>,
    /// The customer's rank with the merchant.
    pub external_tier: Patch<String>,
    /// Identity of the customer that is unique across banks.
    pub person_id: Patch<String>,
    /// Merchant-specific data (replaces the stored object).
    pub custom_data: Patch<CustomData>,
    /// Driver licence.
    pub driver_license: Patch<DriverLicense>,
    /// National id.
    pub national_id: Patch<String>,
}

impl CustomerPatch {
    /// A patch that changes nothing.
    pub fn new() -> Self {
        Self::default()
    }

    /// `true` when the patch would send an empty object.
    pub fn is_empty(&self) -> bool {
        self == &Self::default()
    }
}

impl fmt::Debug for CustomerPatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CustomerPatch")
            .field("name", &RedactedOption::of(&self.name))
            .field("address", &self.address)
            .field("phone", &RedactedOption::of(&self.phone))
            .field("email", &RedactedOption::of(&self.email))
            .field("tax_id", &self.tax_id)
            .field("date_of_birth", &self.date_of_birth)
            .field("external_id", &Shown(&self.external_id))
            .field("merchant_id", &Shown(&self.merchant_id))
            .field("enroll_date", &Shown(&self.enroll_date))
            .field("vip", &Shown(&self.vip))
            .field("currency", &Shown(&self.currency))
            .field("balance", &Shown(&self.balance))
            .field("organization_number", &Shown(&self.organization_number))
            .field("external_tier", &Shown(&self.external_tier))
            .field("person_id", &self.person_id)
            .field("custom_data", &self.custom_data)
            .field("driver_license", &Shown(&self.driver_license))
            .field("national_id", &self.national_id)
            .finish()
    }
}

/// Debug of a patch whose value is not personal: the state and the value.
struct Shown<'a, T>(&'a Patch<T>);

impl<T: fmt::Debug> fmt::Debug for Shown<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Patch::Set(value) => f.debug_tuple("Set").field(value).finish(),
            other => other.fmt(f),
        }
    }
}

/// Epoch milliseconds for a timestamp inside a patch.
struct Millis<'a>(&'a Timestamp);

impl Serialize for Millis<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_i64(self.0.as_millisecond())
    }
}

impl Serialize for CustomerPatch {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        fn opt<M: SerializeMap, T: Serialize>(
            map: &mut M,
            key: &str,
            value: &Option<T>,
        ) -> Result<(), M::Error> {
            match value {
                Some(v) => map.serialize_entry(key, v),
                None => Ok(()),
            }
        }
        fn patch<M: SerializeMap, T: Serialize>(
            map: &mut M,
            key: &str,
            value: &Patch<T>,
        ) -> Result<(), M::Error> {
            match value {
                Patch::Unchanged => Ok(()),
                Patch::Clear => map.serialize_entry(key, &()),
                Patch::Set(v) => map.serialize_entry(key, v),
            }
        }
        opt(&mut map, "name", &self.name)?;
        opt(&mut map, "address", &self.address)?;
        opt(&mut map, "phone", &self.phone)?;
        opt(&mut map, "email", &self.email)?;
        patch(&mut map, "taxId", &self.tax_id)?;
        patch(&mut map, "dateOfBirth", &self.date_of_birth)?;
        patch(&mut map, "externalId", &self.external_id)?;
        patch(&mut map, "merchantId", &self.merchant_id)?;
        patch(
            &mut map,
            "enrollDate",
            &self.enroll_date.as_ref_patch().map(Millis),
        )?;
        patch(&mut map, "vip", &self.vip)?;
        patch(&mut map, "currency", &self.currency)?;
        patch(&mut map, "balance", &self.balance)?;
        patch(&mut map, "organizationNumber", &self.organization_number)?;
        patch(&mut map, "externalTier", &self.external_tier)?;
        patch(&mut map, "personId", &self.person_id)?;
        patch(&mut map, "customData", &self.custom_data)?;
        patch(&mut map, "driverLicense", &self.driver_license)?;
        patch(&mut map, "nationalId", &self.national_id)?;
        map.end()
    }
}

impl<T> Patch<T> {
    fn as_ref_patch(&self) -> Patch<&T> {
        match self {
            Patch::Unchanged => Patch::Unchanged,
            Patch::Clear => Patch::Clear,
            Patch::Set(v) => Patch::Set(v),
        }
    }
}

/// The wire form, used only to deserialize; `deny_unknown_fields` names an unknown property.
#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct WirePatch {
    #[serde(default, deserialize_with = "required_value::name")]
    name: Option<String>,
    #[serde(default, deserialize_with = "required_value::address")]
    address: Option<Address>,
    #[serde(default, deserialize_with = "required_value::phone")]
    phone: Option<String>,
    #[serde(default, deserialize_with = "required_value::email")]
    email: Option<String>,
    #[serde(default)]
    tax_id: Patch<String>,
    #[serde(default)]
    date_of_birth: Patch<String>,
    #[serde(default)]
    external_id: Patch<ExternalId>,
    #[serde(default)]
    merchant_id: Patch<MerchantId>,
    #[serde(default)]
    enroll_date: Patch<i64>,
    #[serde(default)]
    vip: Patch<Vip>,
    #[serde(default)]
    currency: Patch<String>,
    #[serde(default)]
    balance: Patch<String>,
    #[serde(default)]
    organization_number: Patch<String>,
    #[serde(default)]
    external_tier: Patch<String>,
    #[serde(default)]
    person_id: Patch<String>,
    #[serde(default)]
    custom_data: Patch<CustomData>,
    #[serde(default)]
    driver_license: Patch<DriverLicense>,
    #[serde(default)]
    national_id: Patch<String>,
}

/// Present-but-`null` is refused for the properties every customer must keep.
mod required_value {
    use super::*;

    fn refuse_null<'de, D: Deserializer<'de>, T: Deserialize<'de>>(
        deserializer: D,
        field: &str,
    ) -> Result<Option<T>, D::Error> {
        match Option::<T>::deserialize(deserializer)? {
            Some(value) => Ok(Some(value)),
            None => Err(de::Error::custom(format_args!(
                "`{field}` cannot be null: every customer must have one (leave it out to keep it)"
            ))),
        }
    }

    pub(super) fn name<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
        refuse_null(d, "name")
    }
    pub(super) fn address<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Address>, D::Error> {
        refuse_null(d, "address")
    }
    pub(super) fn phone<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
        refuse_null(d, "phone")
    }
    pub(super) fn email<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
        refuse_null(d, "email")
    }
}

impl<'de> Deserialize<'de> for CustomerPatch {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let w = WirePatch::deserialize(deserializer)?;
        let enroll_date = match w.enroll_date {
            Patch::Unchanged => Patch::Unchanged,
            Patch::Clear => Patch::Clear,
            Patch::Set(ms) => Patch::Set(Timestamp::from_millisecond(ms).map_err(|_| {
                de::Error::custom(format_args!(
                    "`enrollDate`: {ms} is not a timestamp in epoch milliseconds within range"
                ))
            })?),
        };
        Ok(CustomerPatch {
            name: w.name,
            address: w.address,
            phone: w.phone,
            email: w.email,
            tax_id: w.tax_id,
            date_of_birth: w.date_of_birth,
            external_id: w.external_id,
            merchant_id: w.merchant_id,
            enroll_date,
            vip: w.vip,
            currency: w.currency,
            balance: w.balance,
            organization_number: w.organization_number,
            external_tier: w.external_tier,
            person_id: w.person_id,
            custom_data: w.custom_data,
            driver_license: w.driver_license,
            national_id: w.national_id,
        })
    }
}
