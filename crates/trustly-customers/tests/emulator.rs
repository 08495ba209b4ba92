//! End to end against the local emulator: the client and the server agree on the API.

use serde_json::json;
use trustly_customers::test_util::LocalEmulator;
use trustly_customers::{
    Address, Client, Credentials, CustomerId, CustomerPatch, DriverLicense, ErrorKind, ExternalId,
    NewCustomer, Nullable, Vip,
};
mod common;

use common::custom_data;

fn joe() -> NewCustomer {
    NewCustomer::new(
        "Joe User",
        Address::new("US")
            .address1("2000 Broadway St")
            .city("Redwood City")
            .state("CA")
            .zip("94063"),
        "+16505551212",
        "joe.user@mail.com",
    )
}

#[tokio::test]
async fn create_get_update_list_round_trip() {
    let emulator = LocalEmulator::start().await;
    let client = emulator.client();
    let new = joe()
        .external_id(ExternalId::from("4567890"))
        .tax_id("012345678")
        .vip(2)
        .driver_license(DriverLicense::new("A1234567", "CA"))
        .custom_data(custom_data(json!({"segment": "b2c"})));
    let created = client.create_or_update_customer(None, &new).await.unwrap();
    let id = created.customer_id.clone().unwrap();
    assert!(created.created_at.is_some() && created.updated_at.is_some());
    assert_eq!(created.vip, Nullable::Value(Vip::Int64(2)));

    let fetched = client.get_customer(&id).await.unwrap();
    assert_eq!(fetched, created);

    let patch = CustomerPatch::new()
        .clear_tax_id()
        .clear_custom_data()
        .external_tier("Gold")
        .phone("+16505550000");
    let updated = client.update_customer(&id, &patch).await.unwrap();
    // Removed: the emulator, like Trustly, sends back no property for them.
    assert_eq!(updated.tax_id, Nullable::Absent);
    assert_eq!(updated.custom_data, Nullable::Absent);
    assert_eq!(updated.external_tier.as_deref(), Some("Gold"));
    assert_eq!(updated.phone, "+16505550000");
    // Left out, so kept.
    assert_eq!(updated.email, "joe.user@mail.com");
    assert_eq!(updated.driver_license, created.driver_license);

    let all = client.list_customers(None, None).await.unwrap();
    assert_eq!(all.len(), 1);
    let by_ext = client
        .list_customers(None, Some(&ExternalId::from("4567890")))
        .await
        .unwrap();
    assert_eq!(by_ext[0].customer_id, Some(id.clone()));
    let by_id = client.list_customers(Some(&id), None).await.unwrap();
    assert_eq!(by_id.len(), 1);
    emulator.shutdown().await.expect("every change is saved");
}

#[tokio::test]
async fn upsert_by_external_id_updates_the_same_customer() {
    let emulator = LocalEmulator::start().await;
    let client = emulator.client();
    let ext = ExternalId::from("ext-1");
    let a = client
        .upsert_customer_by_external_id(&ext, &joe())
        .await
        .unwrap();
    let b = client
        .upsert_customer_by_external_id(&ext, &joe().tax_id("999"))
        .await
        .unwrap();
    assert_eq!(a.customer_id, b.customer_id);
    assert_eq!(b.tax_id.as_deref(), Some("999"));
    assert_eq!(
        client
            .find_customer_by_external_id(&ext)
            .await
            .unwrap()
            .unwrap()
            .customer_id,
        a.customer_id
    );
    assert!(
        client
            .find_customer_by_external_id(&ExternalId::from("none"))
            .await
            .unwrap()
            .is_none()
    );
}

#[tokio::test]
async fn errors_from_the_emulator_have_the_right_kinds() {
    let emulator = LocalEmulator::start().await;
    let client = emulator.client();
    let e = client
        .get_customer(&CustomerId::from("nope"))
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::NotFound);
    assert!(!e.api_errors().is_empty());

    let e = client
        .update_customer(&CustomerId::from("nope"), &CustomerPatch::new())
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::NotFound);

    // An empty name violates the spec's minLength: a 400 naming the field.
    let bad = NewCustomer::new("", Address::new("US"), "1", "e@x");
    let e = client
        .create_or_update_customer(None, &bad)
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Rejected);
    assert_eq!(e.status(), Some(400));
    assert!(
        e.api_errors().iter().any(|d| d.message.contains("/name")),
        "{:?}",
        e.api_errors()
            .iter()
            .map(|d| &d.message)
            .collect::<Vec<_>>()
    );

    let wrong = Client::builder(Credentials::new(emulator.server().access_id(), "wrong-key"))
        .base_url(&emulator.base_url())
        .build()
        .unwrap();
    let e = wrong.list_customers(None, None).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Unauthorized);
    assert_eq!(
        e.codes().collect::<Vec<_>>(),
        [trustly_customers::ErrorCode::ACCESS_CONTROL]
    );
    assert!(!e.to_string().contains("wrong-key"));
}

#[tokio::test]
async fn the_generated_client_shares_the_credentials() {
    let emulator = LocalEmulator::start().await;
    let client = emulator.client();
    let created = client
        .create_or_update_customer(None, &joe())
        .await
        .unwrap();
    let raw = client
        .api()
        .get_customer(created.customer_id.as_ref().unwrap())
        .await
        .unwrap();
    assert_eq!(raw.into_inner().customer.name, "Joe User");
}
