//! Customer records: [`Customer`] as returned, [`NewCustomer`] as sent to create or update, and
//! the parts they share.
//!
//! These are hand-written rather than the generated types because they need what the generator
//! cannot give: date-time timestamps, required fields in constructors, `Debug` that hides
//! personal data, and strict decoding of what a caller sends next to lenient decoding of what
//! the server returns.

use std::fmt;

use jiff::Timestamp;
use serde::de::IgnoredAny;
use serde::{Deserialize, Serialize};

use crate::ids::{CustomerId, ExternalId, MerchantId};
use crate::redact::{Redacted, RedactedOption};

/// Timestamps travel as integer milliseconds since the Unix epoch.
pub(crate) mod epoch_ms {
    use jiff::Timestamp;
    use serde::{Deserialize, Deserializer, Serializer, de};

    pub(crate) fn serialize<S: Serializer>(
        value: &Option<Timestamp>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        match value {
            Some(ts) => serializer.serialize_i64(ts.as_millisecond()),
            None => serializer.serialize_none(),
        }
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Option<Timestamp>, D::Error> {
        match Option::<i64>::deserialize(deserializer)? {
            None => Ok(None),
            Some(ms) => Timestamp::from_millisecond(ms).map(Some).map_err(|_| {
                de::Error::custom(format_args!(
                    "{ms} is not a timestamp in epoch milliseconds within range"
                ))
            }),
        }
    }
}

/// A VIP tier: how low-risk the customer is for the merchant, 1 being the first.
///
/// Trustly's schema says string, its guides send integers; both are accepted and sent back as
/// they came.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Vip {
    /// A numeric tier, such as `2`.
    Tier(i64),
    /// A tier spelled as a string, such as `"2"` or `"gold"`.
    Named(String),
}

impl fmt::Display for Vip {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Vip::Tier(n) => write!(f, "{n}"),
            Vip::Named(s) => f.write_str(s),
        }
    }
}

impl From<i64> for Vip {
    fn from(tier: i64) -> Self {
        Vip::Tier(tier)
    }
}

/// Merchant-specific data kept with a customer: any JSON object, returned as stored.
///
/// Its contents are the merchant's and may be personal: `Debug` shows only how many keys it has.
#[derive(Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct CustomData(serde_json::Map<String, serde_json::Value>);

impl CustomData {
    /// An empty object.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets `key` to `value`, returning `self` for chaining.
    pub fn with(mut self, key: impl Into<String>, value: impl Into<serde_json::Value>) -> Self {
        self.0.insert(key.into(), value.into());
        self
    }

    /// Sets `key` to `value`, returning the previous value.
    pub fn insert(
        &mut self,
        key: impl Into<String>,
        value: impl Into<serde_json::Value>,
    ) -> Option<serde_json::Value> {
        self.0.insert(key.into(), value.into())
    }

    /// The value under `key`.
    pub fn get(&self, key: &str) -> Option<&serde_json::Value> {
        self.0.get(key)
    }

    /// The whole object.
    pub fn as_map(&self) -> &serde_json::Map<String, serde_json::Value> {
        &self.0
    }

    /// The whole object, owned.
    pub fn into_map(self) -> serde_json::Map<String, serde_json::Value> {
        self.0
    }
}

impl From<serde_json::Map<String, serde_json::Value>> for CustomData {
    fn from(map: serde_json::Map<String, serde_json::Value>) -> Self {
        Self(map)
    }
}

impl fmt::Debug for CustomData {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "CustomData({} keys, {})",
            self.0.len(),
            crate::redact::REDACTED
        )
    }
}

/// A driver licence: number and issuing state. The number is personal data and never shown
/// by `Debug`.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DriverLicense {
    /// Licence number.
    pub number: String,
    /// Two-letter code of the issuing state, such as `CA`.
    pub state: String,
}

impl DriverLicense {
    /// A licence with its number and issuing state (both required by the API).
    pub fn new(number: impl Into<String>, state: impl Into<String>) -> Self {
        Self {
            number: number.into(),
            state: state.into(),
        }
    }
}

impl fmt::Debug for DriverLicense {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DriverLicense")
            .field("number", &Redacted)
            .field("state", &self.state)
            .finish()
    }
}

/// A mailing or billing address. Only the country is required.
///
/// `Debug` hides the street lines and the zip; city, state and country are shown.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Address {
    /// First line (street address or PO box).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address1: Option<String>,
    /// Second line (apartment, suite or unit).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address2: Option<String>,
    /// City, district, town or village.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub city: Option<String>,
    /// State, province or region code, such as `CA`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state: Option<String>,
    /// ZIP or postal code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub zip: Option<String>,
    /// Two-letter ISO 3166-1 alpha-2 country code, such as `US`.
    pub country: String,
}

impl Address {
    /// An address with only its (required) country.
    pub fn new(country: impl Into<String>) -> Self {
        Self {
            address1: None,
            address2: None,
            city: None,
            state: None,
            zip: None,
            country: country.into(),
        }
    }

    /// Sets the first street line.
    pub fn address1(mut self, line: impl Into<String>) -> Self {
        self.address1 = Some(line.into());
        self
    }

    /// Sets the second street line.
    pub fn address2(mut self, line: impl Into<String>) -> Self {
        self.address2 = Some(line.into());
        self
    }

    /// Sets the city.
    pub fn city(mut self, city: impl Into<String>) -> Self {
        self.city = Some(city.into());
        self
    }

    /// Sets the state, province or region code.
    pub fn state(mut self, state: impl Into<String>) -> Self {
        self.state = Some(state.into());
        self
    }

    /// Sets the ZIP or postal code.
    pub fn zip(mut self, zip: impl Into<String>) -> Self {
        self.zip = Some(zip.into());
        self
    }
}

impl fmt::Debug for Address {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Address")
            .field("address1", &RedactedOption::of(&self.address1))
            .field("address2", &RedactedOption::of(&self.address2))
            .field("city", &self.city)
            .field("state", &self.state)
            .field("zip", &RedactedOption::of(&self.zip))
            .field("country", &self.country)
            .finish()
    }
}

/// A customer record as returned by the API.
///
/// Decoding is lenient, as a response must be read even from a newer or quirkier server:
/// unknown properties are ignored, `null` reads as absent, `vip` may be a string or an integer,
/// and `dateOfBirth` is kept in whatever spelling it came. The four properties every customer
/// has (`name`, `address`, `phone`, `email`) are required.
///
/// `Debug` hides the personal data (name, email, phone, street lines, zip, tax id, national
/// id, person id, date of birth, licence number, custom data) and shows only whether each is
/// present.
#[derive(Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Customer {
    /// Trustly's id of the customer. Always present on records Trustly returns.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer_id: Option<CustomerId>,
    /// The merchant's own id of the customer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub external_id: Option<ExternalId>,
    /// The merchant account's id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub merchant_id: Option<MerchantId>,
    /// Full name.
    pub name: String,
    /// Address.
    pub address: Address,
    /// Phone number.
    pub phone: String,
    /// Email address.
    pub email: String,
    /// Tax id (SSN, SIN); Trustly may return it masked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tax_id: Option<String>,
    /// Date of birth, as stored.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date_of_birth: Option<String>,
    /// When the record was created.
    #[serde(default, with = "epoch_ms", skip_serializing_if = "Option::is_none")]
    pub created_at: Option<Timestamp>,
    /// When the record was last updated.
    #[serde(default, with = "epoch_ms", skip_serializing_if = "Option::is_none")]
    pub updated_at: Option<Timestamp>,
    /// When the customer first transacted with the merchant.
    #[serde(default, with = "epoch_ms", skip_serializing_if = "Option::is_none")]
    pub enroll_date: Option<Timestamp>,
    /// VIP tier.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vip: Option<Vip>,
    /// Currency.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub currency: Option<String>,
    /// Balance with the merchant.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub balance: Option<String>,
    /// Organization number, for business accounts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organization_number: Option<String>,
    /// The customer's rank with the merchant.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub external_tier: Option<String>,
    /// Identity unique across banks.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub person_id: Option<String>,
    /// Merchant-specific data.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub custom_data: Option<CustomData>,
    /// Driver licence.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub driver_license: Option<DriverLicense>,
    /// National id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub national_id: Option<String>,
}

impl fmt::Debug for Customer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Customer")
            .field("customer_id", &self.customer_id)
            .field("external_id", &self.external_id)
            .field("merchant_id", &self.merchant_id)
            .field("name", &Redacted)
            .field("address", &self.address)
            .field("phone", &Redacted)
            .field("email", &Redacted)
            .field("tax_id", &RedactedOption::of(&self.tax_id))
            .field("date_of_birth", &RedactedOption::of(&self.date_of_birth))
            .field("created_at", &self.created_at)
            .field("updated_at", &self.updated_at)
            .field("enroll_date", &self.enroll_date)
            .field("vip", &self.vip)
            .field("currency", &self.currency)
            .field("balance", &self.balance)
            .field("organization_number", &self.organization_number)
            .field("external_tier", &self.external_tier)
            .field("person_id", &RedactedOption::of(&self.person_id))
            .field("custom_data", &self.custom_data)
            .field("driver_license", &self.driver_license)
            .field("national_id", &RedactedOption::of(&self.national_id))
            .finish()
    }
}

/// The body of a create-or-update: a customer as the merchant sends it.
///
/// The four required properties go in [`NewCustomer::new`], so leaving one out is a compile
/// error; the rest are setters. Naming the customer with [`NewCustomer::customer_id`] or
/// [`NewCustomer::external_id`] makes the request update that customer if it exists, and makes
/// it safe to retry (see [`RetryPolicy`](crate::RetryPolicy)).
///
/// `Deserialize` (for example from a file) is strict: an unknown property is refused, naming
/// it. `createdAt` and `updatedAt` are accepted and ignored, so a customer read with a GET can
/// be edited and sent back; Trustly assigns both.
#[derive(Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NewCustomer {
    name: String,
    address: Address,
    phone: String,
    email: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    customer_id: Option<CustomerId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    external_id: Option<ExternalId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    merchant_id: Option<MerchantId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    tax_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    date_of_birth: Option<String>,
    #[serde(default, with = "epoch_ms", skip_serializing_if = "Option::is_none")]
    enroll_date: Option<Timestamp>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    vip: Option<Vip>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    currency: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    balance: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    organization_number: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    external_tier: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    person_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    custom_data: Option<CustomData>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    driver_license: Option<DriverLicense>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    national_id: Option<String>,
    // Read-only on the server: accepted when reading a body back, never sent.
    #[serde(default, skip_serializing)]
    created_at: Option<IgnoredAny>,
    #[serde(default, skip_serializing)]
    updated_at: Option<IgnoredAny>,
}

macro_rules! setters {
    ($($(#[$doc:meta])* $field:ident: $ty:ty;)*) => {
        $(
            $(#[$doc])*
            pub fn $field(mut self, value: impl Into<$ty>) -> Self {
                self.$field = Some(value.into());
                self
            }
        )*
    };
}

impl NewCustomer {
    /// A customer with the four properties the API requires.
    pub fn new(
        name: impl Into<String>,
        address: Address,
        phone: impl Into<String>,
        email: impl Into<String>,
    ) -> Self {
        Self {
            name: name.into(),
            address,
            phone: phone.into(),
            email: email.into(),
            customer_id: None,
            external_id: None,
            merchant_id: None,
            tax_id: None,
            date_of_birth: None,
            enroll_date: None,
            vip: None,
            currency: None,
            balance: None,
            organization_number: None,
            external_tier: None,
            person_id: None,
            custom_data: None,
            driver_license: None,
            national_id: None,
            created_at: None,
            updated_at: None,
        }
    }

    setters! {
        /// Names an existing customer by Trustly's id: the request updates it.
        customer_id: CustomerId;
        /// The merchant's own id; names the customer to update if one has it.
        external_id: ExternalId;
        /// The merchant account's id.
        merchant_id: MerchantId;
        /// Tax id (SSN, SIN).
        tax_id: String;
        /// Date of birth, `YYYY-MM-DD` recommended.
        date_of_birth: String;
        /// When the customer first transacted with the merchant.
        enroll_date: Timestamp;
        /// VIP tier.
        vip: Vip;
        /// Currency.
        currency: String;
        /// Balance with the merchant.
        balance: String;
        /// Organization number, for business accounts.
        organization_number: String;
        /// The customer's rank with the merchant.
        external_tier: String;
        /// Identity unique across banks.
        person_id: String;
        /// Merchant-specific data.
        custom_data: CustomData;
        /// Driver licence.
        driver_license: DriverLicense;
        /// National id.
        national_id: String;
    }

    /// Full name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Address.
    pub fn address(&self) -> &Address {
        &self.address
    }

    /// The customer id naming the record to update, if set.
    pub fn customer_id_ref(&self) -> Option<&CustomerId> {
        self.customer_id.as_ref()
    }

    /// The external id, if set.
    pub fn external_id_ref(&self) -> Option<&ExternalId> {
        self.external_id.as_ref()
    }

    /// `true` when the body names its customer (by `customerId` or `externalId`), which makes
    /// a create-or-update an update of that customer, safe to repeat. An empty id names no one
    /// (a server may read it as absent and create a customer each time).
    pub fn names_its_customer(&self) -> bool {
        self.customer_id
            .as_ref()
            .is_some_and(|id| !id.as_str().is_empty())
            || self
                .external_id
                .as_ref()
                .is_some_and(|id| !id.as_str().is_empty())
    }
}

impl fmt::Debug for NewCustomer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("NewCustomer")
            .field("customer_id", &self.customer_id)
            .field("external_id", &self.external_id)
            .field("merchant_id", &self.merchant_id)
            .field("name", &Redacted)
            .field("address", &self.address)
            .field("phone", &Redacted)
            .field("email", &Redacted)
            .field("tax_id", &RedactedOption::of(&self.tax_id))
            .field("date_of_birth", &RedactedOption::of(&self.date_of_birth))
            .field("enroll_date", &self.enroll_date)
            .field("vip", &self.vip)
            .field("currency", &self.currency)
            .field("balance", &self.balance)
            .field("organization_number", &self.organization_number)
            .field("external_tier", &self.external_tier)
            .field("person_id", &RedactedOption::of(&self.person_id))
            .field("custom_data", &self.custom_data)
            .field("driver_license", &self.driver_license)
            .field("national_id", &RedactedOption::of(&self.national_id))
            .finish()
    }
}
