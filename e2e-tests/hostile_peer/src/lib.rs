//! hostile_peer: what an attacker (or a compromised peer owner) could wire where a carechain
//! peer belongs. It answers every peer message of the four interfaces according to a stored
//! [`Behaviour`]: honestly-shaped "permitted", a *reverted* "permitted", a trap, an endless
//! loop, an oversized reply, bytes that decode as nothing, or a call back into its caller (a
//! cycle). The attack tests check that every misbehaviour maps to the caller's typed
//! "unavailable" error and never to permission.
//!
//! Storage is one `Lazy` cell under its own key, and the root cell is kept as whatever bytes
//! it holds, so the same code also runs when another contract's code is swapped to it with
//! `set_code_hash` (carechain's contracts keep their admin record and counters in the root):
//! with no cell of its own, it says "permitted".
#![cfg_attr(not(feature = "std"), no_std, no_main)]

#[ink::contract]
pub mod hostile_peer {
    use carechain_shared::traits::{ConsentCheck, EmergencyAccess, RecordAnchoring, ResearchConsents};
    use carechain_shared::{
        AccessDecision, Actor, AnchorId, AnchoringError, BatchId, BatchSummary, ConsentId, DataCategories, GrantId,
        GrantRefusal, Hash32, Purpose, ResearchTerms,
    };
    use ink::env::ReturnFlags;
    use ink::prelude::vec::Vec;
    use ink::storage::{traits::ManualKey, Lazy};

    /// How the next peer call is answered.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
    #[ink::scale_derive(Encode, Decode, TypeInfo)]
    #[cfg_attr(feature = "std", derive(ink::storage::traits::StorageLayout))]
    pub enum Behaviour {
        /// A well-formed "permitted" (a grant, a consent, an anchor id).
        #[default]
        Permit,
        /// The encoding of "permitted", returned with the revert flag.
        RevertPermit,
        /// Traps.
        Trap,
        /// Loops until its gas runs out.
        BurnGas,
        /// Returns this many bytes (a valid answer followed by padding).
        Oversized(u32),
        /// Returns bytes that decode as no answer.
        Garbage,
        /// Calls back into its caller before answering, as a contract wired into a cycle would:
        /// the runtime refuses the re-entry by trapping this peer's frame.
        Reenter,
    }

    /// Whatever the root cell holds, carried as it is: a contract swapped to this code keeps
    /// its root (admin record, counters) byte for byte, and a fresh instance holds none. Its
    /// type information says `Vec<u8>` though it is encoded without a length: a test fixture's
    /// metadata is never read.
    #[derive(Debug, Default)]
    #[ink::scale_derive(TypeInfo)]
    #[cfg_attr(feature = "std", derive(ink::storage::traits::StorageLayout))]
    pub struct ForeignRoot(Vec<u8>);

    impl ink::scale::Encode for ForeignRoot {
        fn size_hint(&self) -> usize {
            self.0.len()
        }

        fn encode_to<O: ink::scale::Output + ?Sized>(&self, dest: &mut O) {
            dest.write(&self.0);
        }
    }

    impl ink::scale::Decode for ForeignRoot {
        fn decode<I: ink::scale::Input>(input: &mut I) -> Result<Self, ink::scale::Error> {
            let len = input.remaining_len()?.ok_or("the root cell's length is unknown")?;
            let mut bytes = ink::prelude::vec![0u8; len];
            input.read(&mut bytes)?;
            Ok(Self(bytes))
        }
    }

    #[ink(storage)]
    pub struct HostilePeer {
        root: ForeignRoot,
        behaviour: Lazy<Behaviour, ManualKey<0x0BAD_0001>>,
    }

    #[allow(clippy::new_without_default)]
    impl HostilePeer {
        /// Deploys answering "permitted".
        #[ink(constructor)]
        pub fn new() -> Self {
            Self { root: ForeignRoot::default(), behaviour: Lazy::new() }
        }

        /// Chooses how the next calls are answered (anyone: it is a test fixture).
        #[ink(message)]
        pub fn set_behaviour(&mut self, behaviour: Behaviour) {
            self.behaviour.set(&behaviour);
        }

        /// Answers with `permit` as the current behaviour says.
        fn answer<T: ink::scale::Encode>(&self, permit: T) -> T {
            let ok = |t: &T| Ok::<&T, ink::LangError>(t).encode_to_vec();
            match self.behaviour.get().unwrap_or_default() {
                Behaviour::Permit => permit,
                Behaviour::RevertPermit => {
                    ink::env::return_value(ReturnFlags::REVERT, &Ok::<&T, ink::LangError>(&permit))
                }
                Behaviour::Trap => panic!("hostile peer traps"),
                Behaviour::BurnGas => loop {
                    let _ = ink::env::block_number::<ink::env::DefaultEnvironment>();
                },
                Behaviour::Oversized(len) => {
                    let mut bytes = ok(&permit);
                    bytes.resize(usize::try_from(len).unwrap_or(0), 0xAB);
                    ink::env::return_value(ReturnFlags::empty(), &RawBytes(bytes))
                }
                Behaviour::Garbage => {
                    ink::env::return_value(ReturnFlags::empty(), &RawBytes(Vec::from([0xFF, 0xFF, 0xFF])))
                }
                Behaviour::Reenter => {
                    use ink::env::call::{build_call, ExecutionInput, Selector};
                    // Any message will do: the runtime refuses the call before the caller runs.
                    let _ = build_call::<ink::env::DefaultEnvironment>()
                        .call(self.env().caller())
                        .exec_input(ExecutionInput::new(Selector::new([0; 4])))
                        .returns::<()>()
                        .try_invoke();
                    permit
                }
            }
        }
    }

    /// Bytes written as they are (no length prefix), so a reply can be any size or shape.
    struct RawBytes(Vec<u8>);

    impl ink::scale::Encode for RawBytes {
        fn size_hint(&self) -> usize {
            self.0.len()
        }
        fn encode_to<W: ink::scale::Output + ?Sized>(&self, dest: &mut W) {
            dest.write(&self.0);
        }
    }

    trait EncodeToVec {
        fn encode_to_vec(&self) -> Vec<u8>;
    }
    impl<T: ink::scale::Encode> EncodeToVec for T {
        fn encode_to_vec(&self) -> Vec<u8> {
            ink::scale::Encode::encode(self)
        }
    }

    impl EmergencyAccess for HostilePeer {
        /// Claims an active grant.
        #[ink(message)]
        fn active_emergency_grant(
            &self,
            _patient: AccountId,
            _accessor: AccountId,
            _c: DataCategories,
        ) -> Option<GrantId> {
            self.answer(Some(7))
        }
    }

    impl ConsentCheck for HostilePeer {
        /// Claims a consent permits.
        #[ink(message)]
        fn check_access(
            &self,
            _patient: AccountId,
            _accessor: AccountId,
            _c: DataCategories,
            _p: Purpose,
        ) -> AccessDecision {
            self.answer(AccessDecision::PermittedByConsent(7))
        }
    }

    impl RecordAnchoring for HostilePeer {
        /// Claims the document is anchored.
        #[ink(message)]
        fn anchor_document(
            &mut self,
            _content_hash: Hash32,
            _on_behalf_of: AccountId,
        ) -> Result<AnchorId, AnchoringError> {
            self.answer(Ok(7))
        }

        /// Claims any proof is good.
        #[ink(message)]
        fn verify_inclusion(
            &self,
            batch_id: BatchId,
            leaf_data: Hash32,
            _index: u64,
            _path: Vec<Hash32>,
        ) -> Result<BatchSummary, AnchoringError> {
            self.answer(Ok(BatchSummary {
                batch_id,
                issuer: self.env().caller(),
                root: leaf_data,
                leaf_count: 1,
                metadata_hash: leaf_data,
                anchored_at: 0,
            }))
        }
    }

    impl ResearchConsents for HostilePeer {
        /// Claims every caller is the patient.
        #[ink(message)]
        fn acting_for(&self, _patient: AccountId, _account: AccountId) -> Option<Actor> {
            self.answer(Some(Actor::Patient))
        }

        /// Claims the consent was created.
        #[ink(message)]
        fn grant_research_consent(
            &mut self,
            _patient: AccountId,
            _acting: AccountId,
            _terms: ResearchTerms,
            _document_hash: Hash32,
        ) -> Result<ConsentId, GrantRefusal> {
            self.answer(Ok(7))
        }
    }
}
