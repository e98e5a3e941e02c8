//! Call data for the contracts, made by the contracts' own generated builders so nothing is
//! encoded by hand — for every off-chain caller: the deploy tool, the audit tools, the e2e
//! harness on the sandbox and on a node, and the benchmark.

use ink::env::call::utils::{ReturnType, Set, Unset};
use ink::env::call::{Call, CallBuilder, CreateBuilder, ExecutionInput, FromAccountId, LimitParamsV2};
use ink::env::DefaultEnvironment as Env;
use ink::primitives::{AccountId, Hash};
use scale::{Decode, Encode};

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

/// A message as a contract's generated call builder makes it, e.g. `reg.check_access(..)`
/// (the type ink_e2e calls `CallBuilderFinal`).
pub type Message<Args, R> = CallBuilder<Env, Set<Call<Env>>, Set<ExecutionInput<Args>>, Set<ReturnType<R>>>;

/// The constructor's selector and arguments, as pallet-contracts expects them.
pub fn constructor_input<C, Args: Encode, R>(ctor: Constructor<C, Args, R>) -> Vec<u8> {
    ctor.endowment(0).code_hash(Hash::from([0u8; 32])).salt_bytes(Vec::<u8>::new()).params().exec_input().encode()
}

/// The contract a message goes to and its input (selector and arguments).
pub fn message_input<Args: Encode + Clone, R>(msg: &Message<Args, R>) -> (AccountId, Vec<u8>) {
    let params = msg.clone().params();
    (*params.callee(), params.exec_input().encode())
}

/// Why a message's output is not a value of its return type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OutputError {
    /// ink!'s dispatcher refused the input (`LangError`): no such selector, e.g. another contract.
    Lang(String),
    /// The output does not decode as the message's return type.
    Decode(String),
}

/// A message's output (ink!'s `MessageResult` encoding) as its return type.
pub fn decode_output<R: Decode>(bytes: &[u8]) -> Result<R, OutputError> {
    match ink::MessageResult::<R>::decode(&mut &bytes[..]) {
        Ok(Ok(value)) => Ok(value),
        Ok(Err(lang)) => Err(OutputError::Lang(format!("{lang:?}"))),
        Err(e) => Err(OutputError::Decode(format!("{e:?}"))),
    }
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
