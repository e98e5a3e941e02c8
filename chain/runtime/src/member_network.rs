//! Keeps a removed member node able to hear of its readmission.
//!
//! pallet-node-authorization's offchain worker tells each node to sync only with the peers the
//! chain lists for it — and lists none for a node that is not (or no longer) a member. A member
//! node that imports its own removal therefore refuses every peer, and when the council admits it
//! again it never hears of it: the partition outlives the decision that ended it. This worker
//! runs after node authorization's: on a node the chain does not list, it lets the node reach
//! the member nodes again (and accept anyone). That widens nothing on the members' side: every
//! member node still syncs with member nodes only, so an outsider or a removed member still gets
//! no peer from them until the council lists it.

pub use pallet::*;

#[frame_support::pallet]
pub mod pallet {
    use alloc::vec::Vec;
    use codec::Decode;
    use frame_support::pallet_prelude::*;
    use frame_system::pallet_prelude::*;
    use sp_core::OpaquePeerId;

    #[pallet::config]
    pub trait Config: frame_system::Config + pallet_node_authorization::Config {}

    #[pallet::pallet]
    pub struct Pallet<T>(_);

    #[pallet::hooks]
    impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
        fn offchain_worker(_now: BlockNumberFor<T>) {
            let Ok(state) = sp_io::offchain::network_state() else { return };
            let Ok(me) = Vec::<u8>::decode(&mut &state.peer_id.0[..]) else { return };
            let members = pallet_node_authorization::WellKnownNodes::<T>::get();
            if !members.contains(&OpaquePeerId(me)) {
                sp_io::offchain::set_authorized_nodes(members.into_iter().collect(), false);
            }
        }
    }
}
