//! Helpers for the contracts' off-chain unit tests (std only: never part of a contract build).
//! `refused!` generates one `#[ink::test]` per (message, role) that asserts the exact error,
//! that no event was emitted, and that the contract's readable state did not change.
#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

use ink::env::test::{self, EmittedEvent};
use ink::env::DefaultEnvironment as Env;
use ink::primitives::AccountId;
use ink::scale::Decode;

pub fn set_caller(who: AccountId) {
    test::set_caller::<Env>(who);
}

pub fn set_time(ms: u64) {
    test::set_block_timestamp::<Env>(ms);
}

pub fn emitted() -> Vec<EmittedEvent> {
    test::recorded_events().collect()
}

/// The `n`-th event from the end (0 = the last), decoded as `E`.
pub fn nth_last_event<E: Decode>(n: usize) -> E {
    let all = emitted();
    let event = all.iter().rev().nth(n).expect("that many events");
    E::decode(&mut &event.data[..]).expect("decodes as the expected event")
}

pub fn last_event<E: Decode>() -> E {
    nth_last_event(0)
}

/// Runs `call` as `who` on a fresh fixture and asserts it refused with `expected`, emitted
/// nothing and left `fingerprint` (everything the getters expose) unchanged.
pub fn assert_refused<C, F, T: core::fmt::Debug, E: core::fmt::Debug + PartialEq>(
    fixture: (C, F),
    fingerprint: impl Fn(&C, &F) -> Vec<u8>,
    who: AccountId,
    expected: E,
    call: impl FnOnce(&mut C, &F) -> Result<T, E>,
) {
    let (mut contract, fx) = fixture;
    let before = fingerprint(&contract, &fx);
    let n_events = emitted().len();
    set_caller(who);
    assert_eq!(call(&mut contract, &fx).map(|_| ()).unwrap_err(), expected);
    assert_eq!(emitted().len(), n_events, "a refused call emitted an event");
    assert_eq!(fingerprint(&contract, &fx), before, "a refused call changed state");
}

/// `refused! { setup, fingerprint, Error; name: role => Variant, |c, fx| c.message(..); … }`:
/// `setup()` returns (contract, fixture); `fx.role` is the caller; the expected error may be
/// written as a bare variant of `Error`.
#[macro_export]
macro_rules! refused {
    ($setup:path, $fingerprint:path, $error:ident; $($name:ident: $role:ident => $err:expr, |$c:ident, $fx:ident| $call:expr;)*) => {$(
        #[ink::test]
        fn $name() {
            let fixture = $setup();
            let who = fixture.1.$role;
            #[allow(unused_imports)]
            let expected = { use $error::*; $err };
            $crate::testing::assert_refused(fixture, $fingerprint, who, expected, |$c, $fx| $call);
        }
    )*};
}
