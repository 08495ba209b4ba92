//! Operations built from the generated ones, for what a payments backend asks most often.

use tracing::{Instrument, field};
use trustly_customers_api::types::{Customer, CustomerId, ExternalId};

use crate::client::Client;
use crate::error::{Error, ErrorKind};
use crate::generated::{CustomerPatch, NewCustomer};

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

    /// Changes some properties of a customer, the way Trustly documents it: reads the
    /// customer ([`Client::get_customer`]), makes the changes of `patch` on the record
    /// ([`CustomerPatch::apply_to`]), and sends the whole record back
    /// ([`Client::replace_customer`]). The server's own properties (`readOnly`) are left out;
    /// a property the patch removes is sent as `null`.
    ///
    /// Two requests, each retried on its own as the policy allows (both are safe to repeat).
    /// They are one span in the trace, `trustly_customers.update`, whose `requests` field
    /// counts the requests made (2, or 1 when the read fails), with a `trustly_customers.call`
    /// span under it for each.
    ///
    /// A patch that changes nothing ([`CustomerPatch::is_empty`]) sends no write: the record
    /// read is returned as it is (a write would still move its `updatedAt`).
    ///
    /// Nothing guards against another writer between the read and the write: Trustly offers
    /// no version or `ETag` for a customer, so the later write wins, and this one sends back
    /// every other property as it read it. Properties the spec does not describe are not
    /// read, so they are not sent back either (the server keeps a property left out).
    pub async fn update_customer(
        &self,
        customer_id: &CustomerId,
        patch: &CustomerPatch,
    ) -> Result<Customer, Error> {
        let span = tracing::info_span!(
            target: "trustly_customers",
            "trustly_customers.update",
            operation = "update_customer",
            requests = field::Empty,
        );
        async move {
            let read = self.get_customer(customer_id).await;
            let span = tracing::Span::current();
            let current = read.inspect_err(|_| {
                span.record("requests", 1);
            })?;
            if patch.is_empty() {
                span.record("requests", 1);
                return Ok(current);
            }
            span.record("requests", 2);
            let record = patch.apply_to(NewCustomer::from(current));
            self.replace_customer(customer_id, &record).await
        }
        .instrument(span)
        .await
    }
}
