//! The same contracts through ink_e2e's own `runtime_only` sandbox backend, as dApp teams
//! using ink_e2e would test against them.

use carechain_shared::traits::ConsentCheck;
use carechain_shared::*;
use consent_registry::consent_registry::{ConsentRegistry, ConsentRegistryRef};
use ink_e2e::ContractsBackend;

type E2EResult<T> = Result<T, Box<dyn std::error::Error>>;

#[ink_e2e::test(backend(runtime_only(sandbox = ink_e2e::DefaultSandbox)))]
async fn grant_and_check_through_ink_e2e<Client: E2EBackend>(mut client: Client) -> E2EResult<()> {
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
