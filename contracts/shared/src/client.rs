//! Off-chain helpers for code that *calls* the contracts (the e2e harness, the deploy tool):
//! the contracts' own generated builders turned into call data, so nothing is encoded by hand.

use ink::env::call::utils::{ReturnType, Set, Unset};
use ink::env::call::{CreateBuilder, ExecutionInput, FromAccountId, LimitParamsV2};
use ink::env::DefaultEnvironment as Env;
use ink::primitives::{AccountId, Hash};
use ink::scale::Encode;

/// A constructor as a contract's `…Ref::new(..)` builds it.
pub type Constructor<C, Args, R> = CreateBuilder<
    Env,
    C,
    Unset<Hash>,
    Set<LimitParamsV2<Env>>,
    Unset<u128>,
    Set<ExecutionInput<Args>>,
    Unset<ink::env::call::state::Salt>,
    Set<ReturnType<R>>,
>;

/// The constructor's selector and arguments, as pallet-contracts expects them.
pub fn constructor_input<C, Args: Encode, R>(ctor: Constructor<C, Args, R>) -> Vec<u8> {
    ctor.endowment(0).code_hash(Hash::from([0u8; 32])).salt_bytes(Vec::<u8>::new()).params().exec_input().encode()
}

/// The call builder of a deployed contract, e.g. `builder::<ConsentRegistry>(address)`.
pub fn builder<C>(address: AccountId) -> <C as ink::codegen::ContractCallBuilder>::Type
where
    C: ink::codegen::ContractCallBuilder,
    <C as ink::codegen::ContractCallBuilder>::Type: FromAccountId<Env>,
{
    <<C as ink::codegen::ContractCallBuilder>::Type as FromAccountId<Env>>::from_account_id(address)
}

/// pallet-contracts' code hash: BLAKE2-256 of the Wasm.
pub fn code_hash(wasm: &[u8]) -> [u8; 32] {
    let mut out = [0u8; 32];
    ink::env::hash_bytes::<ink::env::hash::Blake2x256>(wasm, &mut out);
    out
}
