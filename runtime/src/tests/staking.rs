//! Validators by stake through the runtime (issue 13): the genesis validator, a new validator
//! that bonds, sets keys and validates, a nominator, era rewards paid from the validator pot
//! with nothing minted, a validator that chills, and a slash that is deferred, cancelled by
//! governance or applied to the ecosystem account.

use super::ext_for_preset;
use crate::*;
use codec::Encode;
use frame_support::{
	assert_noop, assert_ok,
	traits::{fungible::Inspect, Get, Hooks},
};
use pallet_staking::{RewardDestination, ValidatorPrefs};
use sp_core::Pair;
use sp_keyring::Sr25519Keyring::{Alice, Bob, Charlie, Dave};
use sp_runtime::Perbill;
use sp_staking::offence::{OffenceDetails, OnOffenceHandler};

/// One block of what this test needs: the timestamp, the emission (which fills the pot),
/// Alice's era points as the author, staking's start of an era.
fn block() {
	let n = System::block_number() + 1;
	System::set_block_number(n);
	pallet_timestamp::Now::<Runtime>::put(u64::from(n) * SLOT_DURATION);
	Emissions::on_initialize(n);
	<Staking as pallet_authorship::EventHandler<AccountId, BlockNumber>>::note_author(
		Alice.to_account_id(),
	);
	Staking::on_finalize(n);
}

/// A session of three blocks, then its rotation (what BABE's epoch change triggers).
fn session() {
	for _ in 0..3 {
		block();
	}
	Session::rotate_session();
}

/// Runs sessions until `era` is active.
fn until_era(era: u32) {
	while active_era() < era {
		session();
	}
}

fn active_era() -> u32 {
	pallet_staking::ActiveEra::<Runtime>::get().map(|e| e.index).unwrap_or_default()
}

fn signed(k: sp_keyring::Sr25519Keyring) -> RuntimeOrigin {
	RuntimeOrigin::signed(k.to_account_id())
}

fn free(k: sp_keyring::Sr25519Keyring) -> Balance {
	Balances::balance(&k.to_account_id())
}

/// The development chain with a keystore, so session keys can be generated and proven.
fn dev_ext() -> sp_io::TestExternalities {
	let mut ext = ext_for_preset(sp_genesis_builder::DEV_RUNTIME_PRESET);
	ext.register_extension(sp_keystore::KeystoreExt::new(
		sp_keystore::testing::MemoryKeystore::new(),
	));
	ext.execute_with(|| block());
	ext
}

/// A bond as an election exposes it: through the vote weight and back, at today's issuance.
fn exposed(bond: Balance) -> Balance {
	use sp_staking::currency_to_vote::{CurrencyToVote, U128CurrencyToVote};
	let issuance = Balances::total_issuance();
	U128CurrencyToVote::to_currency(U128CurrencyToVote::to_vote(bond, issuance).into(), issuance)
}

/// `k` sets new session keys (generated in the keystore, with their ownership proof).
fn set_session_keys(k: sp_keyring::Sr25519Keyring) {
	let generated = SessionKeys::generate(&k.to_account_id().encode(), None);
	assert_ok!(Session::set_keys(signed(k), generated.keys, generated.proof.encode()));
}

/// `k` bonds `bond`, sets session keys and validates with a 10 % commission.
fn validates(k: sp_keyring::Sr25519Keyring, bond: Balance) {
	assert_ok!(Staking::bond(signed(k), bond, RewardDestination::Stash));
	set_session_keys(k);
	let prefs = ValidatorPrefs { commission: Perbill::from_percent(10), blocked: false };
	assert_ok!(Staking::validate(signed(k), prefs));
}

/// Charlie bonds, sets session keys (with their ownership proof) and validates.
fn charlie_validates() {
	validates(Charlie, 2_000 * ALLO);
}

/// The validators of the session after the next rotation, sorted.
fn next_validators() -> Vec<AccountId> {
	let mut next: Vec<AccountId> =
		pallet_session::QueuedKeys::<Runtime>::get().into_iter().map(|(v, _)| v).collect();
	next.sort();
	next
}

#[test]
fn more_candidates_than_seats_elect_the_best_backed_candidates_with_keys() {
	dev_ext().execute_with(|| {
		// Two seats, four candidates: Alice (5 000 at genesis), Bob 2 000, Charlie 3 000, and
		// Dave 9 000 without session keys.
		assert_ok!(Staking::set_validator_count(RuntimeOrigin::root(), 2));
		validates(Bob, 2_000 * ALLO);
		validates(Charlie, 3_000 * ALLO);
		// Staking accepts `validate` without keys (it cannot check them; keys may follow),
		// but a stash without keys is no candidate: it would win a seat it cannot fill.
		assert_ok!(Staking::bond(signed(Dave), 9_000 * ALLO, RewardDestination::Stash));
		assert_ok!(Staking::validate(signed(Dave), ValidatorPrefs::default()));
		assert_eq!(pallet_staking::Validators::<Runtime>::count(), 4);
		until_era(1);
		let mut winners: Vec<AccountId> =
			pallet_staking::ErasStakersOverview::<Runtime>::iter_key_prefix(1).collect();
		winners.sort();
		let mut expected = vec![Alice.to_account_id(), Charlie.to_account_id()];
		expected.sort();
		assert_eq!(winners, expected, "the two best-backed candidates with keys");
		session();
		let mut current = Session::validators();
		current.sort();
		assert_eq!(current, expected);
		// With keys, Dave is a candidate at the next election and takes the best-backed seat.
		set_session_keys(Dave);
		until_era(2);
		let mut winners: Vec<AccountId> =
			pallet_staking::ErasStakersOverview::<Runtime>::iter_key_prefix(2).collect();
		winners.sort();
		let mut expected = vec![Alice.to_account_id(), Dave.to_account_id()];
		expected.sort();
		assert_eq!(winners, expected);
		assert_eq!(next_validators(), expected);
	});
}

#[test]
fn bad_staking_and_session_input_gets_named_errors_and_changes_nothing() {
	dev_ext().execute_with(|| {
		let alice = Alice.to_account_id();
		assert_ok!(Staking::bond(signed(Bob), 100 * ALLO, RewardDestination::Stash));
		// More targets than the quota (16).
		let targets = vec![sp_runtime::MultiAddress::Id(alice.clone()); 17];
		assert_noop!(
			Staking::nominate(signed(Bob), targets),
			pallet_staking::Error::<Runtime>::TooManyTargets
		);
		// Keys another validator already uses (same seed: the same keys, a valid proof).
		let seed = || Some(b"//AlloraStakingTestKeys".to_vec());
		let charlies = SessionKeys::generate(&Charlie.to_account_id().encode(), seed());
		let (keys, proof) = (charlies.keys.clone(), charlies.proof.encode());
		assert_ok!(Session::set_keys(signed(Charlie), keys, proof));
		let bobs = SessionKeys::generate(&Bob.to_account_id().encode(), seed());
		assert_eq!(bobs.keys, charlies.keys);
		assert_noop!(
			Session::set_keys(signed(Bob), bobs.keys, bobs.proof.encode()),
			pallet_session::Error::<Runtime>::DuplicatedKey
		);
		// Keys with a proof made for another account.
		let fresh = SessionKeys::generate(&Charlie.to_account_id().encode(), None);
		assert_noop!(
			Session::set_keys(signed(Bob), fresh.keys, fresh.proof.encode()),
			pallet_session::Error::<Runtime>::InvalidProof
		);
		// Unbonding without a bond.
		assert_noop!(
			Staking::unbond(signed(Dave), ALLO),
			pallet_staking::Error::<Runtime>::NotController
		);
	});
}

#[test]
fn unbonding_more_than_bonded_unbonds_exactly_the_bond() {
	dev_ext().execute_with(|| {
		let bob = Bob.to_account_id();
		let bond = 100 * ALLO;
		assert_ok!(Staking::bond(signed(Bob), bond, RewardDestination::Stash));
		let free_before = free(Bob);
		// pallet-staking caps the request at the active bond: "more than bonded" is "all".
		assert_ok!(Staking::unbond(signed(Bob), Balance::MAX));
		let ledger = pallet_staking::Ledger::<Runtime>::get(&bob).expect("still bonded");
		assert_eq!((ledger.active, ledger.total), (0, bond));
		let unlocking: Vec<(Balance, u32)> =
			ledger.unlocking.iter().map(|c| (c.value, c.era)).collect();
		assert_eq!(unlocking, vec![(bond, configs::BondingDuration::get())]);
		// Nothing is released before the bonding duration: the stake stays held.
		assert_eq!(free(Bob), free_before);
		assert_ok!(Staking::withdraw_unbonded(signed(Bob), 0));
		assert_eq!(free(Bob), free_before);
		assert_eq!(pallet_staking::Ledger::<Runtime>::get(&bob).map(|l| l.total), Some(bond));
	});
}

/// Two different BABE headers at the current slot, both sealed with Alice's BABE key.
fn babe_equivocation(
	sealed_by: &sp_consensus_babe::AuthorityPair,
) -> sp_consensus_babe::EquivocationProof<Header> {
	use sp_consensus_babe::digests::{CompatibleDigestItem, PreDigest, SecondaryPlainPreDigest};
	use sp_runtime::{traits::Header as _, Digest, DigestItem};
	let slot = pallet_babe::CurrentSlot::<Runtime>::get();
	let header = |state: u8| {
		let pre = PreDigest::SecondaryPlain(SecondaryPlainPreDigest { authority_index: 0, slot });
		let mut header = Header::new(
			System::block_number(),
			Default::default(),
			sp_core::H256::repeat_byte(state),
			System::parent_hash(),
			Digest { logs: vec![<DigestItem as CompatibleDigestItem>::babe_pre_digest(pre)] },
		);
		let seal = sealed_by.sign(header.hash().as_ref());
		header.digest_mut().push(<DigestItem as CompatibleDigestItem>::babe_seal(seal));
		header
	};
	sp_consensus_babe::EquivocationProof {
		slot,
		offender: alice_babe().public(),
		first_header: header(1),
		second_header: header(2),
	}
}

/// Alice's BABE key of the development chain.
fn alice_babe() -> sp_consensus_babe::AuthorityPair {
	sp_consensus_babe::AuthorityPair::from_string("//Alice", None).expect("the dev key")
}

/// Alice's key-ownership proof for her BABE key in the current session.
fn alice_babe_membership() -> sp_session::MembershipProof {
	use frame_support::traits::KeyOwnerProofSystem;
	Historical::prove((sp_consensus_babe::KEY_TYPE, alice_babe().public())).expect("a validator")
}

#[test]
fn babe_equivocation_reports_with_wrong_proofs_are_refused_and_change_nothing() {
	dev_ext().execute_with(|| {
		// Headers sealed by another key than the offender's.
		let bob = sp_consensus_babe::AuthorityPair::from_string("//Bob", None).expect("key");
		let forged = babe_equivocation(&bob);
		assert_noop!(
			Babe::report_equivocation_unsigned(
				RuntimeOrigin::none(),
				Box::new(forged),
				alice_babe_membership()
			),
			pallet_babe::Error::<Runtime>::InvalidEquivocationProof
		);
		// The same header twice is no equivocation.
		let mut same = babe_equivocation(&alice_babe());
		same.second_header = same.first_header.clone();
		assert_noop!(
			Babe::report_equivocation_unsigned(
				RuntimeOrigin::none(),
				Box::new(same),
				alice_babe_membership()
			),
			pallet_babe::Error::<Runtime>::InvalidEquivocationProof
		);
		// A real equivocation with a tampered key-ownership proof.
		let mut tampered = alice_babe_membership();
		tampered.trie_nodes.clear();
		assert_noop!(
			Babe::report_equivocation_unsigned(
				RuntimeOrigin::none(),
				Box::new(babe_equivocation(&alice_babe())),
				tampered
			),
			pallet_babe::Error::<Runtime>::InvalidKeyOwnershipProof
		);
		assert!(unapplied().is_empty());
	});
}

/// Alice's active bond.
fn alices_bond() -> Balance {
	pallet_staking::Ledger::<Runtime>::get(Alice.to_account_id()).expect("bonded").active
}

/// After one reported equivocation of Alice, the only validator: one offender of one validator
/// is slashed 100 % (min((3k/n)², 1)) of her era-0 exposure, queued for the era the deferral
/// ends, and nothing is taken yet (her bond is still `bonded`). Returns the era it applies at.
fn alices_whole_exposure_slash_is_deferred(bonded: Balance) -> u32 {
	let alice = Alice.to_account_id();
	let queued: Vec<(u32, usize)> = unapplied().into_iter().filter(|(_, n)| *n > 0).collect();
	assert_eq!(queued, vec![(configs::SlashDeferDuration::get() + 1, 1)]);
	let (apply_at, _) = queued[0];
	let slash = &pallet_staking::UnappliedSlashes::<Runtime>::get(apply_at)[0];
	assert_eq!(slash.validator, alice);
	assert_eq!(
		slash.own,
		pallet_staking::ErasStakersOverview::<Runtime>::get(0, &alice).expect("exposed").own
	);
	assert_eq!(alices_bond(), bonded);
	apply_at
}

#[test]
fn a_reported_babe_equivocation_queues_a_deferred_slash_that_governance_cancels() {
	dev_ext().execute_with(|| {
		let bonded = alices_bond();
		let report = || {
			Babe::report_equivocation_unsigned(
				RuntimeOrigin::none(),
				Box::new(babe_equivocation(&alice_babe())),
				alice_babe_membership(),
			)
		};
		assert_ok!(report());
		assert_eq!(pallet_offences::Reports::<Runtime>::iter().count(), 1);
		// Reported once only.
		assert_noop!(report(), pallet_babe::Error::<Runtime>::DuplicateOffenceReport);
		let apply_at = alices_whole_exposure_slash_is_deferred(bonded);
		// Governance cancels it: nothing is ever taken.
		assert_ok!(Staking::cancel_deferred_slash(RuntimeOrigin::root(), apply_at, vec![0]));
		assert!(unapplied().iter().all(|(_, n)| *n == 0));
	});
}

/// Alice's GRANDPA key of the development chain.
fn alice_grandpa() -> sp_consensus_grandpa::AuthorityPair {
	sp_consensus_grandpa::AuthorityPair::from_string("//Alice", None).expect("the dev key")
}

/// Alice's key-ownership proof for her GRANDPA key in the current session.
fn alice_grandpa_membership() -> sp_session::MembershipProof {
	use frame_support::traits::KeyOwnerProofSystem;
	Historical::prove((sp_consensus_grandpa::KEY_TYPE, alice_grandpa().public()))
		.expect("a validator")
}

/// Two prevotes in round 1 of `set_id` for the blocks named by `targets`, as Alice's, signed by
/// `signer`.
fn prevotes(
	signer: &sp_consensus_grandpa::AuthorityPair,
	set_id: sp_consensus_grandpa::SetId,
	targets: [u8; 2],
) -> sp_consensus_grandpa::EquivocationProof<Hash, BlockNumber> {
	let round = 1;
	let prevote = |target: u8| {
		let vote = finality_grandpa::Prevote {
			target_hash: sp_core::H256::repeat_byte(target),
			target_number: System::block_number(),
		};
		let message = finality_grandpa::Message::Prevote(vote.clone());
		let payload = sp_consensus_grandpa::localized_payload(round, set_id, &message);
		(vote, signer.sign(&payload))
	};
	sp_consensus_grandpa::EquivocationProof::new(
		set_id,
		sp_consensus_grandpa::Equivocation::Prevote(finality_grandpa::Equivocation {
			round_number: round,
			identity: alice_grandpa().public(),
			first: prevote(targets[0]),
			second: prevote(targets[1]),
		}),
	)
}

/// Two prevotes for different blocks in round 1 of `set_id`, as Alice's, signed by `signer`.
fn grandpa_equivocation(
	signer: &sp_consensus_grandpa::AuthorityPair,
	set_id: sp_consensus_grandpa::SetId,
) -> sp_consensus_grandpa::EquivocationProof<Hash, BlockNumber> {
	prevotes(signer, set_id, [1, 2])
}

/// Reports `proof` with `membership` as a block author's unsigned report does.
fn report_grandpa(
	proof: sp_consensus_grandpa::EquivocationProof<Hash, BlockNumber>,
	membership: sp_session::MembershipProof,
) -> frame_support::dispatch::DispatchResultWithPostInfo {
	Grandpa::report_equivocation_unsigned(RuntimeOrigin::none(), Box::new(proof), membership)
}

#[test]
fn grandpa_equivocation_reports_with_wrong_proofs_are_refused_and_change_nothing() {
	dev_ext().execute_with(|| {
		let set_id = pallet_grandpa::CurrentSetId::<Runtime>::get();
		// Votes signed by another key than the offender's.
		let bob = sp_consensus_grandpa::AuthorityPair::from_string("//Bob", None).expect("key");
		assert_noop!(
			report_grandpa(grandpa_equivocation(&bob, set_id), alice_grandpa_membership()),
			pallet_grandpa::Error::<Runtime>::InvalidEquivocationProof
		);
		// The same vote twice is no equivocation.
		assert_noop!(
			report_grandpa(prevotes(&alice_grandpa(), set_id, [1, 1]), alice_grandpa_membership()),
			pallet_grandpa::Error::<Runtime>::InvalidEquivocationProof
		);
		// Votes of a set that never existed.
		assert_noop!(
			report_grandpa(
				grandpa_equivocation(&alice_grandpa(), set_id + 7),
				alice_grandpa_membership()
			),
			pallet_grandpa::Error::<Runtime>::InvalidEquivocationProof
		);
		// A real equivocation with a tampered key-ownership proof, and with Alice's BABE
		// key's proof in place of her GRANDPA key's.
		let mut tampered = alice_grandpa_membership();
		tampered.trie_nodes.clear();
		assert_noop!(
			report_grandpa(grandpa_equivocation(&alice_grandpa(), set_id), tampered),
			pallet_grandpa::Error::<Runtime>::InvalidKeyOwnershipProof
		);
		assert_noop!(
			report_grandpa(grandpa_equivocation(&alice_grandpa(), set_id), alice_babe_membership()),
			pallet_grandpa::Error::<Runtime>::InvalidKeyOwnershipProof
		);
		assert!(unapplied().is_empty());
		assert_eq!(pallet_offences::Reports::<Runtime>::iter().count(), 0);
	});
}

#[test]
fn a_reported_grandpa_equivocation_queues_a_deferred_slash_once() {
	dev_ext().execute_with(|| {
		let bonded = alices_bond();
		let set_id = pallet_grandpa::CurrentSetId::<Runtime>::get();
		let report = || {
			report_grandpa(
				grandpa_equivocation(&alice_grandpa(), set_id),
				alice_grandpa_membership(),
			)
		};
		assert_ok!(report());
		assert_eq!(pallet_offences::Reports::<Runtime>::iter().count(), 1);
		assert_noop!(report(), pallet_grandpa::Error::<Runtime>::DuplicateOffenceReport);
		alices_whole_exposure_slash_is_deferred(bonded);
	});
}

/// A small deterministic generator (xorshift64) for the randomised tests.
struct Rng(u64);
impl Rng {
	fn below(&mut self, n: u64) -> u64 {
		self.0 ^= self.0 << 13;
		self.0 ^= self.0 >> 7;
		self.0 ^= self.0 << 17;
		self.0 % n
	}
}

#[test]
fn every_era_pays_exactly_what_the_pot_received_over_random_era_lengths_and_emissions() {
	for seed in [1u64, 7, 42, 1_000_003] {
		dev_ext().execute_with(|| {
			let mut rng = Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
			let alice = Alice.to_account_id();
			let pot = Emissions::validator_pot();
			assert_ok!(Staking::bond(signed(Bob), 1_000 * ALLO, RewardDestination::Stash));
			assert_ok!(Staking::nominate(signed(Bob), vec![alice.clone().into()]));
			let mut era = active_era();
			let mut received: Balance = 0;
			let mut checked = 0;
			while checked < 4 {
				// A random block emission for the session, 0.001 to 1 000 ALLO.
				let emission = (1 + Balance::from(rng.below(1_000_000))) * MILLI_ALLO;
				pallet_emissions::Emission::<Runtime>::mutate(|e| {
					e.block_emission = emission;
					e.pending = false;
				});
				// A session of 1 to 8 blocks: eras of random length.
				for _ in 0..=rng.below(8) {
					let before = Balances::balance(&pot);
					block();
					let into_pot = Balances::balance(&pot) - before;
					// The validators' quarter of the block emission (v = 0.25, spec 8.2).
					assert!(into_pot.abs_diff(emission / 4) <= 1, "{into_pot} of {emission}");
					received += into_pot;
				}
				Session::rotate_session();
				if active_era() == era {
					continue;
				}
				// Era `era` ended in this rotation: its payout is what the pot received in it.
				let payout = pallet_staking::ErasValidatorReward::<Runtime>::get(era);
				if era >= 1 {
					assert_eq!(payout, Some(received), "era {era}, seed {seed}");
					checked += 1;
				}
				// Claims in between (random) move the pot, never the next era's payout.
				if era >= 1 && rng.below(2) == 0 {
					assert_ok!(Staking::payout_stakers(signed(Charlie), alice.clone(), era));
				}
				received = 0;
				era = active_era();
			}
			assert!(Balances::total_issuance() < pallet_emissions::HARD_CAP);
			Emissions::do_try_state().expect("the pot covers every claim still possible");
		});
	}
}

#[test]
fn the_genesis_validator_is_elected_by_its_stake() {
	dev_ext().execute_with(|| {
		let alice = Alice.to_account_id();
		assert_eq!(active_era(), 0);
		assert_eq!(Session::validators(), vec![alice.clone()]);
		// Exposures are the bond through the vote weight (`U128CurrencyToVote`) and back.
		let exposure = exposed(genesis_config_presets::GENESIS_VALIDATOR_BOND);
		assert!(genesis_config_presets::GENESIS_VALIDATOR_BOND - exposure < ALLO / 1_000_000);
		assert_eq!(
			pallet_staking::ErasStakersOverview::<Runtime>::get(0, &alice).map(|e| e.total),
			Some(exposure)
		);
		assert_eq!(pallet_staking::ValidatorCount::<Runtime>::get(), 10);
		// The validators' stake counts in the emission's N_staked.
		assert_eq!(<configs::ActiveEraStake as Get<u128>>::get(), exposure);
		// Below the minimum bond nobody can validate.
		assert_ok!(Staking::bond(signed(Bob), 999 * ALLO, RewardDestination::Stash));
		assert_noop!(
			Staking::validate(signed(Bob), ValidatorPrefs::default()),
			pallet_staking::Error::<Runtime>::InsufficientBond
		);
	});
}

#[test]
fn a_new_validator_is_elected_at_the_next_era_and_leaves_after_chilling() {
	dev_ext().execute_with(|| {
		let charlie = Charlie.to_account_id();
		charlie_validates();
		// Not before the next era.
		session();
		assert!(!Session::validators().contains(&charlie));
		until_era(1);
		// The set of era 1 takes effect at its first session.
		session();
		assert!(Session::validators().contains(&charlie), "elected: {:?}", Session::validators());
		assert_eq!(Session::validators().len(), 2);
		assert_ok!(Staking::chill(signed(Charlie)));
		until_era(2);
		session();
		assert!(!Session::validators().contains(&charlie));
		assert_eq!(Session::validators(), vec![Alice.to_account_id()]);
	});
}

#[test]
fn era_rewards_are_the_pot_paid_by_points_and_stake_and_nothing_is_minted() {
	dev_ext().execute_with(|| {
		let alice = Alice.to_account_id();
		// Bob nominates Alice with 1 000 ALLO (rewards to his free balance).
		assert_ok!(Staking::bond(signed(Bob), 1_000 * ALLO, RewardDestination::Stash));
		assert_ok!(Staking::nominate(signed(Bob), vec![alice.clone().into()]));
		until_era(1);
		// Era 1 is the first with Bob in Alice's exposure.
		let pot = Emissions::validator_pot();
		let pot_at_era_1 = Emissions::validator_pot_available();
		let outstanding_before = Emissions::validator_rewards_outstanding();
		until_era(2);
		let era_1 = pallet_staking::ErasValidatorReward::<Runtime>::get(1).expect("era 1 paid");
		assert!(era_1 > 0);
		// The era's payout is the pot's uncommitted part at the era's end: at least what was
		// uncommitted when it started (exactly what the pot received in it: the randomised test
		// below).
		assert!(era_1 >= pot_at_era_1.saturating_sub(outstanding_before));
		assert_eq!(
			Emissions::validator_rewards_outstanding(),
			outstanding_before + era_1,
			"era 1 committed on top of era 0's unclaimed payout"
		);
		let issuance = Balances::total_issuance();
		let pot_balance = Balances::balance(&pot);
		let total = |a: &AccountId| {
			<Balances as frame_support::traits::fungible::Inspect<_>>::total_balance(a)
		};
		// Alice's genesis rewards compound into her bond (`Staked`), Bob's are free.
		let (alice_before, bob_before) = (total(&alice), free(Bob));
		assert_ok!(Staking::payout_stakers(signed(Charlie), alice.clone(), 1));
		let to_alice = total(&alice) - alice_before;
		let to_bob = free(Bob) - bob_before;
		assert!(to_alice > 0 && to_bob > 0);
		// Alice is the only author: the whole era goes to her exposure, by stake (0 % commission
		// at genesis): Bob has 1 000 of 6 000.
		assert_eq!(to_bob, Perbill::from_rational(1_000u32, 6_000) * era_1);
		let dust = era_1 - to_alice - to_bob;
		// Perbill rounding only (three products of ≤ 1e-9 relative error each).
		assert!(dust <= 3 * (era_1 / 1_000_000_000) + 3, "rounding only: {dust}");
		// Paid out of the pot; total issuance unchanged; never above the hard cap.
		assert_eq!(Balances::balance(&pot), pot_balance - to_alice - to_bob);
		assert_eq!(Balances::total_issuance(), issuance);
		assert!(Balances::total_issuance() < pallet_emissions::HARD_CAP);
		// A second claim pays nothing.
		let again = Staking::payout_stakers(signed(Charlie), alice.clone(), 1);
		assert_eq!(
			again.map_err(|e| e.error),
			Err(pallet_staking::Error::<Runtime>::AlreadyClaimed.into())
		);
		assert_eq!(total(&alice), alice_before + to_alice);
		Emissions::do_try_state().unwrap();
	});
}

/// Alice's offence in the active era, slashing `fraction` of her exposure.
fn offence(fraction: Perbill) {
	let alice = Alice.to_account_id();
	let details = OffenceDetails { offender: (alice, ()), reporters: vec![] };
	let session = Session::current_index();
	<Staking as OnOffenceHandler<AccountId, (AccountId, ()), frame_support::weights::Weight>>::on_offence(
		&[details],
		&[fraction],
		session,
	);
}

fn unapplied() -> Vec<(u32, usize)> {
	pallet_staking::UnappliedSlashes::<Runtime>::iter().map(|(era, s)| (era, s.len())).collect()
}

#[test]
fn slashes_are_deferred_cancellable_by_governance_and_go_to_the_ecosystem() {
	dev_ext().execute_with(|| {
		let alice = Alice.to_account_id();
		let eco = configs::EcosystemAccount::get();
		until_era(1);
		offence(Perbill::from_percent(10));
		let queued = unapplied();
		assert_eq!(queued.len(), 1, "deferred, not applied: {queued:?}");
		let (apply_at, _) = queued[0];
		// `pallet-staking` applies it at the start of era offence + deferral + 1.
		assert_eq!(apply_at, 1 + configs::SlashDeferDuration::get() + 1);
		// Only governance cancels.
		assert_noop!(
			Staking::cancel_deferred_slash(signed(Bob), apply_at, vec![0]),
			sp_runtime::DispatchError::BadOrigin
		);
		assert_ok!(Staking::cancel_deferred_slash(RuntimeOrigin::root(), apply_at, vec![0]));
		assert!(unapplied().iter().all(|(_, n)| *n == 0));

		// A second offence in a later era is applied when its deferral ends.
		until_era(2);
		offence(Perbill::from_percent(10));
		let (apply_at, _) = *unapplied().iter().find(|(_, n)| *n > 0).expect("queued");
		let bonded = pallet_staking::Ledger::<Runtime>::get(&alice).expect("bonded").active;
		until_era(apply_at - 1);
		// The rotation that starts era `apply_at` applies the slash: compare around it.
		let (eco_before, issuance) = loop {
			for _ in 0..3 {
				block();
			}
			let around = (Balances::balance(&eco), Balances::total_issuance());
			Session::rotate_session();
			if active_era() == apply_at {
				break around;
			}
		};
		let slashed = System::events()
			.iter()
			.find_map(|r| match &r.event {
				RuntimeEvent::Staking(pallet_staking::Event::Slashed { staker, amount })
					if *staker == alice =>
				{
					Some(*amount)
				},
				_ => None,
			})
			.expect("slashed");
		let own =
			pallet_staking::ErasStakersOverview::<Runtime>::get(2, &alice).expect("exposed").own;
		assert_eq!(slashed, Perbill::from_percent(10) * own);
		let after = pallet_staking::Ledger::<Runtime>::get(&alice).expect("bonded").active;
		assert!(bonded - after <= slashed);
		// Moved to the ecosystem account (whose balance the emission pays out first), not
		// burned: the total issuance did not change.
		assert_eq!(Balances::balance(&eco), eco_before + slashed);
		assert_eq!(Balances::total_issuance(), issuance);
	});
}

/// A test network's genesis (`pallet-timing`): 10-block epochs and 2-session eras, with the
/// same runtime. BABE reports the short epoch to the node; staking starts eras every 2 sessions.
#[test]
fn a_test_network_genesis_sets_short_epochs_and_eras() {
	use sp_consensus_babe::runtime_decl_for_babe_api::BabeApiV2;
	let patch = genesis_config_presets::get_preset(&sp_genesis_builder::PresetId::from(
		sp_genesis_builder::LOCAL_TESTNET_RUNTIME_PRESET,
	))
	.expect("preset");
	let mut patch: serde_json::Value = serde_json::from_slice(&patch).expect("JSON");
	super::merge(
		&mut patch,
		serde_json::json!({ "timing": { "epochDuration": 10, "sessionsPerEra": 2 } }),
	);
	let mut config = serde_json::to_value(RuntimeGenesisConfig::default()).expect("default");
	super::merge(&mut config, patch);
	let mut ext = sp_io::TestExternalities::new_empty();
	ext.execute_with(|| {
		frame_support::genesis_builder_helper::build_state::<RuntimeGenesisConfig>(
			serde_json::to_vec(&config).expect("serializes"),
		)
		.expect("builds");
		assert_eq!(Runtime::configuration().epoch_length, 10);
		assert_eq!(<configs::SessionsPerEra as Get<u32>>::get(), 2);
		block();
		assert_eq!(active_era(), 0);
		session();
		session();
		assert_eq!(active_era(), 1, "an era is two sessions");
	});
	// The committed presets keep an hour and six sessions.
	dev_ext().execute_with(|| {
		assert_eq!(Runtime::configuration().epoch_length, u64::from(EPOCH_DURATION_IN_BLOCKS));
		assert_eq!(<configs::SessionsPerEra as Get<u32>>::get(), 6);
	});
}

/// What `who` holds under fast-unstake's reserve.
fn fast_unstake_deposit(who: &AccountId) -> Balance {
	use frame_support::traits::NamedReservableCurrency;
	Balances::reserved_balance_named(&configs::FastUnstakeReserveId::get(), who)
}

/// Fast-unstake's idle work of one block, with the whole block's weight to spend.
fn fast_unstake_idle() {
	let max = <Runtime as frame_system::Config>::BlockWeights::get().max_block;
	FastUnstake::on_idle(System::block_number(), max);
}

fn fast_unstake_events() -> Vec<pallet_fast_unstake::Event<Runtime>> {
	System::events()
		.into_iter()
		.filter_map(|r| match r.event {
			RuntimeEvent::FastUnstake(e) => Some(e),
			_ => None,
		})
		.collect()
}

#[test]
fn an_unexposed_stash_fast_unstakes_and_gets_its_deposit_back() {
	dev_ext().execute_with(|| {
		let bob = Bob.to_account_id();
		// One era checked per block from genesis; no election is ever "ongoing" between blocks.
		assert_eq!(pallet_fast_unstake::ErasToCheckPerBlock::<Runtime>::get(), 1);
		assert!(!<Staking as sp_staking::StakingInterface>::election_ongoing());
		let before = free(Bob);
		assert_ok!(Staking::bond(signed(Bob), 100 * ALLO, RewardDestination::Stash));
		assert_ok!(Staking::nominate(signed(Bob), vec![Alice.to_account_id().into()]));
		assert_ok!(FastUnstake::register_fast_unstake(signed(Bob)));
		// Chilled, fully unbonding, the deposit held under fast-unstake's reserve.
		assert_eq!(fast_unstake_deposit(&bob), configs::FastUnstakeDeposit::get());
		assert!(pallet_staking::Nominators::<Runtime>::get(&bob).is_none());
		// Bad input changes nothing: queued twice, or without a bond.
		assert_noop!(
			FastUnstake::register_fast_unstake(signed(Bob)),
			pallet_fast_unstake::Error::<Runtime>::AlreadyQueued
		);
		assert_noop!(
			FastUnstake::register_fast_unstake(signed(Charlie)),
			pallet_fast_unstake::Error::<Runtime>::NotController
		);
		// Era 0 (the only one) is checked in one block, the stash leaves in the next.
		fast_unstake_idle();
		fast_unstake_idle();
		assert!(fast_unstake_events().contains(&pallet_fast_unstake::Event::Unstaked {
			stash: bob.clone(),
			result: Ok(())
		}));
		assert!(pallet_staking::Ledger::<Runtime>::get(&bob).is_none());
		assert_eq!(fast_unstake_deposit(&bob), 0);
		// Everything back except the fees (none here: calls dispatched directly).
		assert_eq!(free(Bob), before);
	});
}

#[test]
fn an_exposed_stash_loses_its_deposit_to_the_ecosystem_and_nothing_is_burned() {
	dev_ext().execute_with(|| {
		let bob = Bob.to_account_id();
		assert_ok!(Staking::bond(signed(Bob), 100 * ALLO, RewardDestination::Stash));
		assert_ok!(Staking::nominate(signed(Bob), vec![Alice.to_account_id().into()]));
		// Elected behind Alice for era 1: exposed.
		until_era(1);
		assert!(<Staking as sp_staking::StakingInterface>::is_exposed_in_era(&bob, &1));
		let ecosystem = Balances::balance(&configs::EcosystemAccount::get());
		let issuance = Balances::total_issuance();
		assert_ok!(FastUnstake::register_fast_unstake(signed(Bob)));
		for _ in 0..3 {
			fast_unstake_idle();
		}
		let deposit = configs::FastUnstakeDeposit::get();
		assert!(fast_unstake_events().contains(&pallet_fast_unstake::Event::Slashed {
			stash: bob.clone(),
			amount: deposit
		}));
		assert_eq!(fast_unstake_deposit(&bob), 0);
		assert_eq!(Balances::balance(&configs::EcosystemAccount::get()), ecosystem + deposit);
		assert_eq!(Balances::total_issuance(), issuance);
		// Still bonded and unbonding the normal way.
		assert!(pallet_staking::Ledger::<Runtime>::get(&bob).is_some());
	});
}

#[test]
fn a_vesting_stash_loses_its_deposit_to_the_ecosystem_and_keeps_its_schedule() {
	dev_ext().execute_with(|| {
		// Dave's whole balance vests far in the future: all of it is frozen by the vesting lock.
		let dave = AccountId::from([7u8; 32]);
		let locked = 1_100 * ALLO;
		let schedule = pallet_vesting::VestingInfo::new(locked, ALLO, 1_000_000);
		assert_ok!(Vesting::vested_transfer(signed(Alice), dave.clone().into(), schedule));
		assert_eq!(frame_system::Account::<Runtime>::get(&dave).data.frozen, locked);
		// Stake and the deposit may overlap the freeze (held and reserved funds stay his).
		let dave_signed = RuntimeOrigin::signed(dave.clone());
		assert_ok!(Staking::bond(dave_signed.clone(), 1_000 * ALLO, RewardDestination::Stash));
		assert_ok!(Staking::nominate(dave_signed.clone(), vec![Alice.to_account_id().into()]));
		until_era(1);
		assert!(<Staking as sp_staking::StakingInterface>::is_exposed_in_era(&dave, &1));
		let ecosystem = Balances::balance(&configs::EcosystemAccount::get());
		let issuance = Balances::total_issuance();
		assert_ok!(FastUnstake::register_fast_unstake(dave_signed));
		let deposit = configs::FastUnstakeDeposit::get();
		assert_eq!(fast_unstake_deposit(&dave), deposit);
		for _ in 0..3 {
			fast_unstake_idle();
		}
		// Exposed: the deposit is slashed through the freeze into the ecosystem account.
		assert!(fast_unstake_events().contains(&pallet_fast_unstake::Event::Slashed {
			stash: dave.clone(),
			amount: deposit
		}));
		assert_eq!(fast_unstake_deposit(&dave), 0);
		assert_eq!(Balances::balance(&configs::EcosystemAccount::get()), ecosystem + deposit);
		assert_eq!(Balances::total_issuance(), issuance);
		assert_eq!(Balances::total_balance(&dave), locked - deposit);
		// The vesting schedule and its lock are untouched; the bond unbonds the normal way.
		let schedules = pallet_vesting::Vesting::<Runtime>::get(&dave).map(|v| v.into_inner());
		assert_eq!(schedules, Some(vec![schedule]));
		assert_eq!(frame_system::Account::<Runtime>::get(&dave).data.frozen, locked);
		let ledger = pallet_staking::Ledger::<Runtime>::get(&dave);
		assert_eq!(ledger.map(|l| (l.active, l.total)), Some((0, 1_000 * ALLO)));
	});
}

#[test]
fn fast_unstake_is_added_to_an_existing_chain_once() {
	use frame_support::traits::{GetStorageVersion, OnRuntimeUpgrade, StorageVersion};
	dev_ext().execute_with(|| {
		// A chain that started before fast-unstake: no storage version, nothing checked.
		StorageVersion::new(0).put::<FastUnstake>();
		pallet_fast_unstake::ErasToCheckPerBlock::<Runtime>::kill();
		configs::AddFastUnstake::on_runtime_upgrade();
		assert_eq!(FastUnstake::on_chain_storage_version(), FastUnstake::in_code_storage_version());
		assert_eq!(pallet_fast_unstake::ErasToCheckPerBlock::<Runtime>::get(), 1);
		// Governance's later choice survives the next upgrade; its bound is enforced.
		assert_ok!(FastUnstake::control(RuntimeOrigin::root(), 4));
		assert_noop!(
			FastUnstake::control(RuntimeOrigin::root(), 5),
			pallet_fast_unstake::Error::<Runtime>::CallNotAllowed
		);
		configs::AddFastUnstake::on_runtime_upgrade();
		assert_eq!(pallet_fast_unstake::ErasToCheckPerBlock::<Runtime>::get(), 4);
	});
}

#[test]
fn an_active_validator_without_nominators_cannot_fast_unstake() {
	dev_ext().execute_with(|| {
		let alice = Alice.to_account_id();
		// Alice validates on her own stake: elected in era 0 with no nominator pages.
		assert!(pallet_staking::ErasStakersOverview::<Runtime>::contains_key(0, &alice));
		assert!(!<Staking as sp_staking::StakingInterface>::is_exposed_in_era(&alice, &0));
		assert!(<configs::FastUnstakeStaking as sp_staking::StakingInterface>::is_exposed_in_era(
			&alice, &0
		));
		assert_ok!(FastUnstake::register_fast_unstake(signed(Alice)));
		for _ in 0..3 {
			fast_unstake_idle();
		}
		// Exposed: she keeps her bond in the normal unbonding (still slashable), and the
		// deposit goes to the ecosystem account.
		assert!(fast_unstake_events().contains(&pallet_fast_unstake::Event::Slashed {
			stash: alice.clone(),
			amount: configs::FastUnstakeDeposit::get()
		}));
		assert!(pallet_staking::Ledger::<Runtime>::get(&alice).is_some());
	});
}
