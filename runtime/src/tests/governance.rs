//! Governance by referenda through the runtime (issue 14), on the development preset (every
//! governance period divided by 14 400: a day is a block): a referendum on each track from
//! submission to enactment, rejected, cancelled and wrong-track referenda that change nothing,
//! conviction locks, the technical committee's whitelist, and bad input.

use super::ext_for_preset;
use crate::{configs::track_ids, *};
use codec::Encode;
use frame_support::{
	assert_noop, assert_ok,
	dispatch::GetDispatchInfo,
	traits::{fungible::Inspect, schedule::DispatchTime, Bounded, Hooks},
};
use pallet_conviction_voting::{AccountVote, Conviction, Vote};
use pallet_governance_origins::Origin as Track;
use pallet_referenda::ReferendumInfo;
use sp_keyring::Sr25519Keyring::{self, Alice, Bob, Charlie, Dave, Eve};
use sp_runtime::{
	traits::{BlakeTwo256, Hash},
	DispatchError, MultiAddress,
};

/// One block of what governance needs: the scheduler (enactments and referenda alarms) and the
/// treasury's spend period.
fn block() {
	let n = System::block_number() + 1;
	System::set_block_number(n);
	Scheduler::on_initialize(n);
	Treasury::on_initialize(n);
}

fn run_blocks(count: u32) {
	for _ in 0..count {
		block();
	}
}

fn signed(k: Sr25519Keyring) -> RuntimeOrigin {
	RuntimeOrigin::signed(k.to_account_id())
}

fn dev_ext() -> sp_io::TestExternalities {
	let mut ext = ext_for_preset(sp_genesis_builder::DEV_RUNTIME_PRESET);
	ext.execute_with(block);
	ext
}

/// Alice notes `call` as a preimage (holding its deposit) and gets its bounded reference.
fn note(call: &RuntimeCall) -> Bounded<RuntimeCall, BlakeTwo256> {
	note_bytes(call.encode())
}

fn note_bytes(bytes: Vec<u8>) -> Bounded<RuntimeCall, BlakeTwo256> {
	let hash = BlakeTwo256::hash(&bytes);
	let len = bytes.len() as u32;
	assert_ok!(Preimage::note_preimage(signed(Alice), bytes));
	Bounded::Lookup { hash, len }
}

/// Alice submits `proposal` on the track of `origin` and places its decision deposit.
fn submit_bounded(origin: OriginCaller, proposal: Bounded<RuntimeCall, BlakeTwo256>) -> u32 {
	let index = pallet_referenda::ReferendumCount::<Runtime>::get();
	assert_ok!(Referenda::submit(
		signed(Alice),
		Box::new(origin),
		proposal,
		DispatchTime::After(0)
	));
	assert_ok!(Referenda::place_decision_deposit(signed(Alice), index));
	index
}

fn submit(origin: OriginCaller, call: RuntimeCall) -> u32 {
	submit_bounded(origin, note(&call))
}

fn track(t: Track) -> OriginCaller {
	OriginCaller::Origins(t)
}

fn root() -> OriginCaller {
	OriginCaller::system(frame_system::RawOrigin::Root)
}

fn vote(who: Sr25519Keyring, index: u32, aye: bool, balance: Balance, conviction: Conviction) {
	let vote = AccountVote::Standard { vote: Vote { aye, conviction }, balance };
	assert_ok!(ConvictionVoting::vote(signed(who), index, vote));
}

/// Bob and Charlie vote aye with 500 000 ALLO each at 1x conviction.
fn ayes(index: u32) {
	vote(Bob, index, true, 500_000 * ALLO, Conviction::Locked1x);
	vote(Charlie, index, true, 500_000 * ALLO, Conviction::Locked1x);
}

fn info(index: u32) -> pallet_referenda::ReferendumInfoOf<Runtime, ()> {
	pallet_referenda::ReferendumInfoFor::<Runtime>::get(index).expect("referendum exists")
}

fn approved(index: u32) -> bool {
	matches!(info(index), ReferendumInfo::Approved(..))
}

/// Runs blocks until referendum `index` is no longer ongoing (at most `bound` blocks).
fn until_decided(index: u32, bound: u32) {
	for _ in 0..bound {
		if !matches!(info(index), ReferendumInfo::Ongoing(..)) {
			return;
		}
		block();
	}
	panic!("referendum {index} still ongoing after {bound} blocks");
}

/// The results of the enactments dispatched so far (named scheduler tasks; the referenda's
/// own alarms are anonymous), errors without their message.
fn dispatch_results() -> Vec<Result<(), DispatchError>> {
	System::events()
		.into_iter()
		.filter_map(|r| match r.event {
			RuntimeEvent::Scheduler(pallet_scheduler::Event::Dispatched {
				result,
				id: Some(_),
				..
			}) => Some(result.map_err(|e| e.stripped())),
			_ => None,
		})
		.collect()
}

fn fee_update(fee: u128) -> RuntimeCall {
	let update = pallet_topics::ParamsUpdate { create_topic_fee: Some(fee), ..Default::default() };
	RuntimeCall::Topics(pallet_topics::Call::update_params { update: Box::new(update) })
}

fn validator_count(count: u32) -> RuntimeCall {
	RuntimeCall::Staking(pallet_staking::Call::set_validator_count { new: count })
}

#[test]
fn the_development_chain_divides_governance_time_and_production_keeps_it() {
	use pallet_referenda::TracksInfo as _;
	dev_ext().execute_with(|| {
		let parameters =
			configs::TracksInfo::info(track_ids::PARAMETERS).expect("the parameters track");
		assert_eq!(parameters.decision_period, 14);
		assert_eq!(parameters.prepare_period, 1);
		assert_eq!(parameters.confirm_period, 1);
	});
	ext_for_preset(sp_genesis_builder::LOCAL_TESTNET_RUNTIME_PRESET).execute_with(|| {
		let root = configs::TracksInfo::info(track_ids::ROOT).expect("the root track");
		assert_eq!(root.decision_period, 28 * DAYS);
		assert_eq!(root.decision_deposit, 100_000 * ALLO);
		assert_eq!(configs::TracksInfo::tracks().count(), 8);
		assert!(configs::TracksInfo::check_integrity().is_ok());
		let names: Vec<_> = configs::TRACKS.iter().map(|t| t.info.name[0]).collect();
		assert_eq!(names.len(), 8);
	});
}

#[test]
fn each_origin_maps_to_its_own_track_and_signed_origins_to_none() {
	use pallet_referenda::TracksInfo as _;
	let t = configs::TracksInfo::track_for;
	assert_eq!(t(&root()), Ok(track_ids::ROOT));
	assert_eq!(t(&track(Track::Parameters)), Ok(track_ids::PARAMETERS));
	assert_eq!(t(&track(Track::StakingAdmin)), Ok(track_ids::STAKING_ADMIN));
	assert_eq!(t(&track(Track::Treasurer)), Ok(track_ids::TREASURER));
	assert_eq!(t(&track(Track::SmallSpender)), Ok(track_ids::SMALL_SPENDER));
	assert_eq!(t(&track(Track::WhitelistedCaller)), Ok(track_ids::WHITELISTED_CALLER));
	assert_eq!(t(&track(Track::ReferendumCanceller)), Ok(track_ids::REFERENDUM_CANCELLER));
	assert_eq!(t(&track(Track::ReferendumKiller)), Ok(track_ids::REFERENDUM_KILLER));
	let signed = OriginCaller::system(frame_system::RawOrigin::Signed(Alice.to_account_id()));
	assert_eq!(t(&signed), Err(()));
}

#[test]
fn a_parameters_referendum_changes_the_network_parameters_when_it_passes() {
	dev_ext().execute_with(|| {
		let before = Topics::params().create_topic_fee;
		let index = submit(track(Track::Parameters), fee_update(before + 1));
		ayes(index);
		until_decided(index, 40);
		assert!(approved(index));
		// Enacted after the (scaled) minimum enactment period.
		run_blocks(3);
		assert_eq!(dispatch_results(), vec![Ok(())]);
		assert_eq!(Topics::params().create_topic_fee, before + 1);
		// Both deposits come back once it is over.
		let alice = Alice.to_account_id();
		let reserved = Balances::reserved_balance(&alice);
		assert_ok!(Referenda::refund_submission_deposit(signed(Eve), index));
		assert_ok!(Referenda::refund_decision_deposit(signed(Eve), index));
		assert_eq!(
			Balances::reserved_balance(&alice),
			reserved - configs::SubmissionDeposit::get() - 5_000 * ALLO
		);
	});
}

#[test]
fn a_rejected_referendum_changes_nothing() {
	dev_ext().execute_with(|| {
		let before = Topics::params();
		let index = submit(track(Track::Parameters), fee_update(1));
		vote(Bob, index, false, 500_000 * ALLO, Conviction::Locked1x);
		vote(Charlie, index, true, 100_000 * ALLO, Conviction::None);
		until_decided(index, 40);
		assert!(matches!(info(index), ReferendumInfo::Rejected(..)));
		run_blocks(5);
		assert!(dispatch_results().is_empty());
		assert_eq!(Topics::params(), before);
	});
}

#[test]
fn a_cancelled_referendum_changes_nothing_and_refunds_its_deposits() {
	dev_ext().execute_with(|| {
		let before = Topics::params();
		let index = submit(track(Track::Parameters), fee_update(1));
		ayes(index);
		run_blocks(2);
		// Only Root or a passed `referendum_canceller` referendum may cancel.
		assert_noop!(Referenda::cancel(signed(Bob), index), DispatchError::BadOrigin);
		assert_ok!(Referenda::cancel(RuntimeOrigin::root(), index));
		assert!(matches!(info(index), ReferendumInfo::Cancelled(..)));
		run_blocks(20);
		assert!(dispatch_results().is_empty());
		assert_eq!(Topics::params(), before);
		assert_ok!(Referenda::refund_decision_deposit(signed(Eve), index));
	});
}

#[test]
fn a_call_on_the_wrong_track_fails_with_the_origin_error_and_changes_nothing() {
	dev_ext().execute_with(|| {
		// Setting the validator count needs the staking admin track, not the parameters one.
		let index = submit(track(Track::Parameters), validator_count(20));
		ayes(index);
		until_decided(index, 40);
		assert!(approved(index));
		run_blocks(3);
		assert_eq!(dispatch_results(), vec![Err(DispatchError::BadOrigin)]);
		assert_eq!(pallet_staking::ValidatorCount::<Runtime>::get(), 10);
		// pallet-staking keeps the validator count Root-only: not even the staking admin track
		// may set it (the root or whitelisted-caller track does).
		let index = submit(track(Track::StakingAdmin), validator_count(21));
		ayes(index);
		// What the staking admin track may do (`AdminOrigin`): e.g. the minimum commission.
		let commission = RuntimeCall::Staking(pallet_staking::Call::set_min_commission {
			new: sp_runtime::Perbill::from_percent(5),
		});
		let admin = submit(track(Track::StakingAdmin), commission);
		ayes(admin);
		until_decided(index, 40);
		until_decided(admin, 40);
		assert!(approved(index) && approved(admin));
		run_blocks(3);
		let results = dispatch_results();
		assert_eq!(results.iter().filter(|r| r.is_ok()).count(), 1);
		assert_eq!(results.iter().filter(|r| **r == Err(DispatchError::BadOrigin)).count(), 2);
		assert_eq!(pallet_staking::ValidatorCount::<Runtime>::get(), 10);
		assert_eq!(
			pallet_staking::MinCommission::<Runtime>::get(),
			sp_runtime::Perbill::from_percent(5)
		);
	});
}

#[test]
fn treasury_spends_are_paid_within_the_track_limit_and_refused_above_it() {
	dev_ext().execute_with(|| {
		let dave = Dave.to_account_id();
		let treasury = Treasury::account_id();
		assert_eq!(treasury, genesis_config_presets::allocation_account(b"allo/fnd"));
		let pot = Balances::free_balance(&treasury);
		let spend = |amount: Balance| {
			RuntimeCall::Treasury(pallet_treasury::Call::spend {
				asset_kind: Box::new(()),
				amount,
				beneficiary: Box::new(MultiAddress::Id(dave.clone())),
				valid_from: None,
			})
		};
		// Above the small spender's 100 000 ALLO: enacted, refused, nothing approved.
		let index = submit(track(Track::SmallSpender), spend(100_001 * ALLO));
		ayes(index);
		until_decided(index, 60);
		assert!(approved(index));
		run_blocks(3);
		let refused: DispatchError =
			pallet_treasury::Error::<Runtime>::InsufficientPermission.into();
		assert_eq!(dispatch_results(), vec![Err(refused.stripped())]);
		assert_eq!(pallet_treasury::SpendCount::<Runtime>::get(), 0);
		// Within it: approved, then paid out by anyone.
		let index = submit(track(Track::SmallSpender), spend(100_000 * ALLO));
		ayes(index);
		until_decided(index, 60);
		assert!(approved(index));
		run_blocks(3);
		assert_eq!(pallet_treasury::SpendCount::<Runtime>::get(), 1);
		let before = Balances::free_balance(&dave);
		assert_ok!(Treasury::payout(signed(Eve), 0));
		assert_eq!(Balances::free_balance(&dave), before + 100_000 * ALLO);
		assert_eq!(Balances::free_balance(&treasury), pot - 100_000 * ALLO);
		// Nobody spends without a referendum.
		assert_noop!(
			Treasury::spend(
				signed(Alice),
				Box::new(()),
				ALLO,
				Box::new(MultiAddress::Id(dave.clone())),
				None
			),
			DispatchError::BadOrigin
		);
	});
}

#[test]
fn a_root_referendum_authorizes_and_applies_a_runtime_upgrade() {
	dev_ext().execute_with(|| {
		let code = b"a new runtime".to_vec();
		let hash = BlakeTwo256::hash(&code);
		let call = RuntimeCall::System(frame_system::Call::authorize_upgrade_without_checks {
			code_hash: hash,
		});
		// Root's decision deposit is 100 000 ALLO; only Root's track may authorize an upgrade.
		let proposal = note(&call);
		let wrong = submit_bounded(track(Track::Parameters), proposal.clone());
		let index = submit_bounded(root(), proposal);
		ayes(wrong);
		ayes(index);
		until_decided(index, 60);
		until_decided(wrong, 60);
		assert!(approved(index));
		run_blocks(3);
		let results = dispatch_results();
		assert!(results.contains(&Ok(())));
		assert!(results.contains(&Err(DispatchError::BadOrigin)));
		assert!(System::events().iter().any(|r| r.event
			== RuntimeEvent::System(frame_system::Event::UpgradeAuthorized {
				code_hash: hash,
				check_version: false
			})));
		// Anyone may then apply the authorized code (unsigned, free when it is the right one).
		assert_ok!(System::apply_authorized_upgrade(RuntimeOrigin::none(), code.clone()));
		assert_eq!(sp_io::storage::get(sp_core::storage::well_known_keys::CODE), Some(code.into()));
		assert!(System::events().iter().any(|r| matches!(
			r.event,
			RuntimeEvent::System(frame_system::Event::CodeUpdated { .. })
		)));
	});
}

#[test]
fn conviction_locks_outlast_the_referendum_and_are_released_after_their_period() {
	dev_ext().execute_with(|| {
		let bob = Bob.to_account_id();
		let index = submit(track(Track::Parameters), fee_update(7));
		// 3x conviction: locked for 4 vote-locking periods (7 days each, 7 blocks here).
		vote(Bob, index, true, 200_000 * ALLO, Conviction::Locked3x);
		vote(Charlie, index, true, 500_000 * ALLO, Conviction::Locked1x);
		let locked = |who: &AccountId| {
			pallet_balances::Locks::<Runtime>::get(who)
				.iter()
				.filter(|l| l.id == *b"pyconvot")
				.map(|l| l.amount)
				.sum::<Balance>()
		};
		assert_eq!(locked(&bob), 200_000 * ALLO);
		until_decided(index, 40);
		let ended = System::block_number();
		let class = track_ids::PARAMETERS;
		assert_ok!(ConvictionVoting::remove_vote(signed(Bob), Some(class), index));
		assert_ok!(ConvictionVoting::unlock(signed(Eve), class, MultiAddress::Id(bob.clone())));
		// Still locked: the winning side's conviction lock runs from the referendum's end.
		assert_eq!(locked(&bob), 200_000 * ALLO);
		run_blocks(4 * 7 - 2);
		assert_ok!(ConvictionVoting::unlock(signed(Eve), class, MultiAddress::Id(bob.clone())));
		assert_eq!(locked(&bob), 200_000 * ALLO, "released early at {}", System::block_number());
		while System::block_number() <= ended + 4 * 7 {
			block();
		}
		assert_ok!(ConvictionVoting::unlock(signed(Eve), class, MultiAddress::Id(bob.clone())));
		assert_eq!(locked(&bob), 0);
	});
}

#[test]
fn the_technical_committee_whitelists_and_a_whitelisted_caller_referendum_dispatches_as_root() {
	dev_ext().execute_with(|| {
		let call = validator_count(30);
		let hash = BlakeTwo256::hash_of(&call);
		// One member cannot whitelist alone.
		assert_noop!(Whitelist::whitelist_call(signed(Alice), hash), DispatchError::BadOrigin);
		// Two of the three members can.
		let whitelist =
			RuntimeCall::Whitelist(pallet_whitelist::Call::whitelist_call { call_hash: hash });
		let len = whitelist.encoded_size() as u32;
		assert_ok!(TechnicalCommittee::propose(signed(Alice), 2, Box::new(whitelist.clone()), len));
		let proposal = BlakeTwo256::hash_of(&whitelist);
		assert_ok!(TechnicalCommittee::vote(signed(Alice), proposal, 0, true));
		assert_ok!(TechnicalCommittee::vote(signed(Bob), proposal, 0, true));
		assert_ok!(TechnicalCommittee::close(
			signed(Charlie),
			proposal,
			0,
			whitelist.get_dispatch_info().call_weight,
			len
		));
		assert!(pallet_whitelist::WhitelistedCall::<Runtime>::contains_key(hash));
		let dispatch = RuntimeCall::Whitelist(
			pallet_whitelist::Call::dispatch_whitelisted_call_with_preimage {
				call: Box::new(call),
			},
		);
		let index = submit(track(Track::WhitelistedCaller), dispatch);
		ayes(index);
		until_decided(index, 60);
		assert!(approved(index));
		run_blocks(3);
		assert_eq!(pallet_staking::ValidatorCount::<Runtime>::get(), 30);
		assert!(!pallet_whitelist::WhitelistedCall::<Runtime>::contains_key(hash));
	});
}

#[test]
fn bad_votes_deposits_and_preimages_are_refused_or_change_nothing() {
	dev_ext().execute_with(|| {
		let before = Topics::params();
		let index = submit(track(Track::Parameters), fee_update(3));
		// More than the free balance.
		let bob_total = Balances::total_balance(&Bob.to_account_id());
		let too_much = AccountVote::Standard {
			vote: Vote { aye: true, conviction: Conviction::Locked1x },
			balance: bob_total + 1,
		};
		assert_noop!(
			ConvictionVoting::vote(signed(Bob), index, too_much),
			pallet_conviction_voting::Error::<Runtime>::InsufficientFunds
		);
		// A second vote replaces the first.
		vote(Bob, index, true, 100_000 * ALLO, Conviction::Locked1x);
		vote(Bob, index, true, 300_000 * ALLO, Conviction::Locked2x);
		let ReferendumInfo::Ongoing(status) = info(index) else { panic!("ongoing") };
		assert_eq!(status.tally.ayes, 600_000 * ALLO);
		assert_eq!(status.tally.support, 300_000 * ALLO);
		assert_ok!(Referenda::cancel(RuntimeOrigin::root(), index));
		// A decision deposit from an account that cannot pay it.
		let poor = AccountId::from([7u8; 32]);
		assert_ok!(Balances::transfer_allow_death(
			signed(Alice),
			MultiAddress::Id(poor.clone()),
			ALLO
		));
		let index2 = pallet_referenda::ReferendumCount::<Runtime>::get();
		assert_ok!(Referenda::submit(
			signed(Alice),
			Box::new(track(Track::Parameters)),
			note(&fee_update(4)),
			DispatchTime::After(0)
		));
		assert!(Referenda::place_decision_deposit(RuntimeOrigin::signed(poor), index2).is_err());
		let ReferendumInfo::Ongoing(status) = info(index2) else { panic!("ongoing") };
		assert!(status.decision_deposit.is_none());
		// A preimage that does not decode: it passes, but nothing is dispatched.
		let garbage = submit_bounded(track(Track::Parameters), note_bytes(vec![0xff; 40]));
		ayes(garbage);
		until_decided(garbage, 40);
		assert!(approved(garbage));
		run_blocks(3);
		assert!(System::events().iter().any(|r| matches!(
			r.event,
			RuntimeEvent::Scheduler(pallet_scheduler::Event::CallUnavailable { .. })
		)));
		assert!(dispatch_results().is_empty());
		assert_eq!(Topics::params().create_topic_fee, before.create_topic_fee);
	});
}
