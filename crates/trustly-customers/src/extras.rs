//! Operations built from the generated ones, for what a payments backend asks most often.

use trustly_customers_api::types::{Customer, ExternalId};

use crate::client::Client;
use crate::error::{Error, ErrorKind};
use crate::generated::NewCustomer;

impl Client {
    /// The customer with this external id, or `None`: "List customers" filtered by it.
    ///
    /// An empty list and a 404 both mean "none", so this works with a server that answers
    /// either way. Only a customer whose `externalId` is this one counts: a server (or a proxy)
    /// that ignored the filter and answered with other customers must not make this return
    /// someone else, whom a caller would then update.
    pub async fn find_customer_by_external_id(
        &self,
        external_id: &ExternalId,
    ) -> Result<Option<Customer>, Error> {
        match self.list_customers(None, Some(external_id)).await {
            Ok(customers) => Ok(customers
                .into_iter()
                .find(|c| c.external_id.value() == Some(external_id))),
            Err(e) if e.kind() == ErrorKind::NotFound => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// Creates the customer with this external id, or updates it if it exists: "Create or
    /// update a customer" naming it in the query, so it is safe to retry.
    pub async fn upsert_customer_by_external_id(
        &self,
        external_id: &ExternalId,
        customer: &NewCustomer,
    ) -> Result<Customer, Error> {
        self.create_or_update_customer(Some(external_id), customer)
            .await
    }
}
