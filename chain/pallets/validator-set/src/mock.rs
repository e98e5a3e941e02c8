use crate as pallet_validator_set;
use frame_support::{derive_impl, traits::ConstU32};
use sp_runtime::BuildStorage;

type Block = frame_system::mocking::MockBlock<Test>;

frame_support::construct_runtime!(
    pub enum Test {
        System: frame_system,
        ValidatorSet: pallet_validator_set,
    }
);

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
    type Block = Block;
}

/// Accounts below 90 have registered session keys; 90 and above have not.
pub struct KeysRegistered;
impl frame_support::traits::Contains<u64> for KeysRegistered {
    fn contains(who: &u64) -> bool {
        *who < 90
    }
}

impl pallet_validator_set::Config for Test {
    type RuntimeEvent = RuntimeEvent;
    type GovernanceOrigin = frame_system::EnsureRoot<u64>;
    type HasSessionKeys = KeysRegistered;
    type MaxValidators = ConstU32<5>;
    type MinValidators = ConstU32<1>;
}

/// A chain whose genesis validators are `validators`, at block 1 (events are recorded from 1).
pub fn new_test_ext(validators: Vec<u64>) -> sp_io::TestExternalities {
    let mut storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
    pallet_validator_set::GenesisConfig::<Test> { validators }.assimilate_storage(&mut storage).unwrap();
    let mut ext = sp_io::TestExternalities::new(storage);
    ext.execute_with(|| System::set_block_number(1));
    ext
}
