//! The same contracts through ink_e2e's own `runtime_only` sandbox backend, as dApp teams
//! using ink_e2e would test against them. The client is made by hand rather than by
//! `#[ink_e2e::test]`, whose expansion builds every contract with ink_e2e's builder (dependencies
//! resolved afresh from crates.io): it gets the builds of the committed lock instead.

use carechain_shared::traits::ConsentCheck;
use carechain_shared::*;
use consent_registry::consent_registry::{ConsentRegistry, ConsentRegistryRef};
use ink_e2e::ContractsBackend;

type E2EResult<T> = Result<T, Box<dyn std::error::Error>>;

/// ink_e2e's `runtime_only` client, as `#[ink_e2e::test(backend(runtime_only))]` makes it.
type Client = ink_e2e::SandboxClient<ink::primitives::AccountId, ink::primitives::Hash, ink_e2e::DefaultSandbox>;

/// Runs `test` on ink_e2e's sandbox client holding the debug builds of every contract.
fn with_client<F, Fut>(test: F) -> E2EResult<()>
where
    F: FnOnce(Client) -> Fut,
    Fut: std::future::Future<Output = E2EResult<()>>,
{
    let client = ink_e2e::SandboxClient::new(carechain_e2e::build::contracts("").into_values());
    ink_e2e::tokio::runtime::Builder::new_current_thread().enable_all().build()?.block_on(test(client))
}

#[test]
fn grant_and_check_through_ink_e2e() -> E2EResult<()> {
    with_client(grant_and_check)
}

async fn grant_and_check(mut client: Client) -> E2EResult<()> {
    let mut ctor = ConsentRegistryRef::new();
    let registry = client.instantiate("consent_registry", &ink_e2e::alice(), &mut ctor).submit().await?;
    let mut call = registry.call_builder::<ConsentRegistry>();
    let bob = ink_e2e::account_id(ink_e2e::AccountKeyring::Bob);
    let charlie = ink_e2e::account_id(ink_e2e::AccountKeyring::Charlie);

    // This backend stamps blocks with wall-clock *seconds* (about 1.8e9 today): a period
    // ending at 1e10 is in force for it, and still shorter than the ten-year maximum in ms.
    let grant = call.grant_consent(
        bob,
        charlie,
        DataCategories::ALLERGIES,
        PurposeSet::of(Purpose::Treatment),
        0,
        10_000_000_000,
        [7; 32],
    );
    let consent_id = client.call(&ink_e2e::bob(), &grant).submit().await?.return_value().expect("grant");

    let check = call.check_access(bob, charlie, DataCategories::ALLERGIES, Purpose::Treatment);
    let decision = client.call(&ink_e2e::alice(), &check).dry_run().await?.return_value();
    assert_eq!(decision, AccessDecision::PermittedByConsent(consent_id));

    let check = call.check_access(bob, charlie, DataCategories::GENOMICS, Purpose::Treatment);
    let decision = client.call(&ink_e2e::alice(), &check).dry_run().await?.return_value();
    assert_eq!(decision, AccessDecision::Denied(DenyReason::NoConsent));
    Ok(())
}
