//! Validators by stake on a real network (issue 13): four genesis validators on one machine,
//! spawned by zombienet-sdk, with 6-block sessions and 2-session eras (`pallet-timing`'s
//! genesis fields in the generated chain spec; same binary and runtime as production).
//!   1. they produce and finalize blocks;
//!   2. one is killed: the other three keep finalizing (3 of 4 > 2/3); it restarts from its
//!      database and catches up to the finalized block;
//!   3. a fifth node bonds, sets keys (with their ownership proof) and validates through
//!      extrinsics; it is elected at the next era and authors blocks; after `chill` it leaves
//!      the set at the following era, and is paid for an era it authored in;
//!   4. era rewards: `payout_stakers` pays validators and the nominator exactly the era's
//!      payout from the validator pot; the issuance moves only by what the emission minted;
//!      total issuance stays below 10^27.
//!
//! One network serves the four steps in order (each needs the chain the previous one left).

use allora_client::chain::{allora, keypair, params, Account, AccountId, Chain};
use allora_zombienet::{best_number, finalized_number, wait_for, Clock, TestNetwork, ALLO};

type R<T = ()> = Result<T, String>;

const CLOCK: Clock = Clock { epoch_duration: 6, sessions_per_era: 2 };

fn s(e: impl std::fmt::Display) -> String {
	e.to_string()
}

fn ensure(ok: bool, what: impl FnOnce() -> String) -> R {
	if ok {
		Ok(())
	} else {
		Err(what())
	}
}

fn dev(name: &str) -> R<Account> {
	Ok(Account::new(keypair(&format!("//{name}"))?))
}

type StakingCall = allora::runtime_types::pallet_staking::pallet::pallet::Call;
type EraCommitment = allora::runtime_types::pallet_emissions::types::EraCommitment;

fn staking(call: StakingCall) -> allora::Call {
	allora::Call::Staking(call)
}

/// The chain's state at one block.
type At<C> = subxt::client::ClientAtBlock<allora_client::chain::Config, C>;

/// A storage entry at a block, decoded (the entry's default where it is unset).
async fn read<C, A>(at: &At<C>, entry: A, keys: A::KeyParts) -> R<A::Value>
where
	C: subxt::client::OnlineClientAtBlockT<allora_client::chain::Config>,
	A: subxt::storage::Address,
{
	at.storage().fetch(entry, keys).await.map_err(s)?.decode().map_err(s)
}

/// A storage entry at a block, decoded, or `None` where it is unset.
async fn try_read<C, A>(at: &At<C>, entry: A, keys: A::KeyParts) -> R<Option<A::Value>>
where
	C: subxt::client::OnlineClientAtBlockT<allora_client::chain::Config>,
	A: subxt::storage::Address,
{
	match at.storage().try_fetch(entry, keys).await.map_err(s)? {
		Some(value) => value.decode().map(Some).map_err(s),
		None => Ok(None),
	}
}

async fn active_era(chain: &Chain) -> R<u32> {
	let at = chain.at_best().await?;
	let era = try_read(&at, allora::storage().staking().active_era(), ()).await?;
	Ok(era.ok_or("no active era")?.index)
}

async fn session_validators(chain: &Chain) -> R<Vec<AccountId>> {
	read(&chain.at_best().await?, allora::storage().session().validators(), ()).await
}

/// Whether `who` has era points in `points` (it authored a block of that era).
fn earned_points(points: &[(AccountId, u32)], who: &AccountId) -> bool {
	points.iter().any(|(v, p)| v == who && *p > 0)
}

/// The era points of each validator in `era`.
async fn era_points(chain: &Chain, era: u32) -> R<Vec<(AccountId, u32)>> {
	let at = chain.at_best().await?;
	Ok(read(&at, allora::storage().staking().eras_reward_points(), (era,)).await?.individual)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn validators_by_stake_on_a_four_validator_network() -> R {
	let mut network = TestNetwork::start(&["Alice", "Bob", "Charlie", "Dave"], CLOCK).await?;
	let outcome = scenario(&mut network).await;
	if let Err(e) = &outcome {
		eprintln!("FAILED: {e}\n{}", network.log_tails(30));
	}
	let stopped = network.stop().await;
	outcome?;
	stopped
}

async fn scenario(network: &mut TestNetwork) -> R {
	four_validators_produce_and_finalize(network).await?;
	eprintln!("step 1 passed: four validators produce and finalize blocks");
	a_killed_validator_restarts_and_catches_up(network).await?;
	eprintln!("step 2 passed: three of four keep finalizing; the killed one caught up");
	let eve_paid_era = a_new_operator_validates_then_chills(network).await?;
	eprintln!("step 3 passed: Eve elected, authored, left after chill, paid");
	era_rewards_pay_the_pot(network, eve_paid_era).await?;
	eprintln!("step 4 passed: era payouts equal the pot's commitment");
	Ok(())
}

/// Step 1; Ferdie also nominates Alice, so later eras pay a nominator.
async fn four_validators_produce_and_finalize(network: &TestNetwork) -> R {
	for name in ["alice", "bob", "charlie", "dave"] {
		let chain = network.chain(name).await?;
		wait_for(&format!("{name} to finalize block 3"), 120, || {
			let chain = chain.clone();
			async move { Ok(finalized_number(&chain).await? >= 3) }
		})
		.await?;
	}
	let alice = network.chain("alice").await?;
	let validators = session_validators(&alice).await?;
	ensure(validators.len() == 4, || format!("session validators: {validators:?}"))?;
	let at = alice.at_best().await?;
	let babe = at
		.runtime_apis()
		.call(allora::runtime_apis().babe_api().configuration())
		.await
		.map_err(s)?;
	ensure(babe.epoch_length == CLOCK.epoch_duration, || {
		format!("BABE epoch length {} instead of {}", babe.epoch_length, CLOCK.epoch_duration)
	})?;
	let ferdie = dev("Ferdie")?;
	let nominate = allora::tx().utility().batch_all(vec![
		staking(StakingCall::bond {
			value: 1_000 * ALLO,
			payee: allora::runtime_types::pallet_staking::RewardDestination::Stash,
		}),
		staking(StakingCall::nominate {
			targets: vec![subxt::utils::MultiAddress::Id(dev("Alice")?.id)],
		}),
	]);
	ferdie.submit(&alice, &nominate).await.map_err(|e| format!("Ferdie nominating: {e}"))?;
	Ok(())
}

/// Step 2.
async fn a_killed_validator_restarts_and_catches_up(network: &TestNetwork) -> R {
	network.kill("dave").await?;
	let alice = network.chain("alice").await?;
	let before = finalized_number(&alice).await?;
	// 3 of 4 GRANDPA voters are more than 2/3: finality goes on.
	wait_for("finality without Dave", 90, || {
		let alice = alice.clone();
		async move { Ok(finalized_number(&alice).await? >= before + 4) }
	})
	.await?;
	let target = finalized_number(&alice).await?;
	network.restart("dave").await?;
	let dave = network.chain("dave").await?;
	wait_for("Dave to catch up to the finalized block", 120, || {
		let dave = dave.clone();
		async move { Ok(finalized_number(&dave).await? >= target) }
	})
	.await?;
	let best = best_number(&dave).await?;
	ensure(best >= target, || format!("Dave's best block {best} is below {target}"))
}

/// Step 3; returns the era Eve was paid for.
async fn a_new_operator_validates_then_chills(network: &mut TestNetwork) -> R<u32> {
	let era_s = CLOCK.era_seconds();
	let eve = dev("Eve")?;
	// A node without dev keys: its keys are generated in its keystore with the proof that Eve
	// owns them, as an operator does with author_rotateKeysWithOwner.
	network.add_validator_without_keys("eve").await?;
	let eve_node = network.chain("eve").await?;
	let owner = format!("0x{}", hex_of(&eve.id.0));
	let generated = eve_node.request("author_rotateKeysWithOwner", params![owner]).await?;
	let keys = bytes_of(&generated["keys"])?;
	let proof = bytes_of(&generated["proof"])?;
	// The SCALE encoding of the runtime's session keys: BABE's then GRANDPA's public key.
	let key = |range: std::ops::Range<usize>| -> R<[u8; 32]> {
		keys.get(range)
			.and_then(|k| <[u8; 32]>::try_from(k).ok())
			.ok_or_else(|| format!("session keys of {} bytes, not 64", keys.len()))
	};
	let keys = allora::runtime_types::allora_runtime::opaque::SessionKeys {
		babe: allora::runtime_types::sp_consensus_babe::app::Public(key(0..32)?),
		grandpa: allora::runtime_types::sp_consensus_grandpa::app::Public(key(32..64)?),
	};
	let alice = network.chain("alice").await?;
	let register = allora::tx().utility().batch_all(vec![
		staking(StakingCall::bond {
			value: 2_000 * ALLO,
			payee: allora::runtime_types::pallet_staking::RewardDestination::Stash,
		}),
		allora::Call::Session(allora::runtime_types::pallet_session::pallet::Call::set_keys {
			keys,
			proof,
		}),
		staking(StakingCall::validate {
			prefs: allora::runtime_types::pallet_staking::ValidatorPrefs {
				commission: allora::runtime_types::sp_arithmetic::per_things::Perbill(50_000_000),
				blocked: false,
			},
		}),
	]);
	eve.submit(&alice, &register).await.map_err(|e| format!("Eve registering: {e}"))?;
	let registered_in = active_era(&alice).await?;
	let in_set = session_validators(&alice).await?.contains(&eve.id);
	ensure(!in_set, || "Eve is in the set before an election".into())?;

	// Elected at the next election: in the set once the next era starts (at most two eras).
	wait_for("Eve in the validator set", 3 * era_s, || {
		let (alice, id) = (alice.clone(), eve.id.clone());
		async move { Ok(session_validators(&alice).await?.contains(&id)) }
	})
	.await?;
	let era = active_era(&alice).await?;
	ensure(era > registered_in, || {
		format!("Eve in the set in era {era}, registered in {registered_in}")
	})?;
	// It authors: blocks by Eve earn her era points (20 per block, pallet-authorship), in any
	// era since she joined. One of five BABE authorities claims a slot with probability about
	// 1/4 (primary, c = 1/4, or the slot's secondary author), so 2 eras (24 slots) without one
	// of her blocks happen once in a few hundred runs (a CI run saw it); 5 eras (60 slots) leave
	// about 1 in 10^6.
	let joined = era;
	wait_for("a block authored by Eve", 5 * era_s, || {
		let (alice, id) = (alice.clone(), eve.id.clone());
		async move {
			for e in joined..=active_era(&alice).await? {
				if earned_points(&era_points(&alice, e).await?, &id) {
					return Ok(true);
				}
			}
			Ok(false)
		}
	})
	.await?;

	eve.submit(&alice, &allora::tx().staking().chill())
		.await
		.map_err(|e| format!("Eve chilling: {e}"))?;
	let chilled_in = active_era(&alice).await?;
	wait_for("Eve out of the validator set", 3 * era_s, || {
		let (alice, id) = (alice.clone(), eve.id.clone());
		async move { Ok(!session_validators(&alice).await?.contains(&id)) }
	})
	.await?;
	let era = active_era(&alice).await?;
	ensure(era > chilled_in, || format!("Eve left in era {era}, chilled in {chilled_in}"))?;

	// A paid validator: Eve claims an ended era she authored in.
	let mut authored = None;
	for e in registered_in + 1..era {
		if earned_points(&era_points(&alice, e).await?, &eve.id) {
			authored = Some(e);
			break;
		}
	}
	let authored = authored.ok_or("no ended era with Eve's era points")?;
	let events = eve
		.submit(&alice, &allora::tx().staking().payout_stakers(eve.id.clone(), authored))
		.await
		.map_err(|e| format!("Eve's payout: {e}"))?;
	let mut paid = 0u128;
	for rewarded in events.find::<allora::staking::events::Rewarded>() {
		let rewarded = rewarded.map_err(s)?;
		if rewarded.stash == eve.id {
			paid = paid.checked_add(rewarded.amount).ok_or("Eve's payout overflows u128")?;
		}
	}
	ensure(paid > 0, || format!("Eve was not paid for era {authored}"))?;
	// Step 4 compares the pot between finalized blocks: this payout is finalized first.
	wait_for("Eve's payout in a finalized block", 120, || {
		let (chain, id) = (alice.clone(), eve.id.clone());
		async move {
			let at = chain.api.at_current_block().await.map_err(s)?;
			let claimed =
				read(&at, allora::storage().staking().claimed_rewards(), (authored, id)).await?;
			Ok(!claimed.is_empty())
		}
	})
	.await?;
	Ok(authored)
}

/// Step 4, for an era after `claimed` (whose payout to Eve step 3 claimed already: the events
/// here must add up to a whole era's payout).
async fn era_rewards_pay_the_pot(network: &TestNetwork, claimed: u32) -> R {
	let era_s = CLOCK.era_seconds();
	let alice_chain = network.chain("alice").await?;
	let alice = dev("Alice")?.id;
	let ferdie = dev("Ferdie")?;
	// An ended era in which Ferdie was exposed behind Alice and Alice authored blocks (a
	// validator without era points is paid nothing, and neither are its nominators).
	let mut found = None;
	let deadline = std::time::Instant::now() + std::time::Duration::from_secs(4 * era_s);
	while found.is_none() {
		if std::time::Instant::now() > deadline {
			return Err("no ended era with Ferdie exposed behind a rewarded Alice".into());
		}
		let ended = active_era(&alice_chain).await?.saturating_sub(1);
		if ended > claimed && exposed(&alice_chain, ended, &alice, &ferdie.id).await? {
			let points = era_points(&alice_chain, ended).await?;
			if earned_points(&points, &alice) {
				found = Some((ended, points));
			}
		}
		tokio::time::sleep(std::time::Duration::from_secs(2)).await;
	}
	let Some((era, points)) = found else { return Err("unreachable".into()) };

	// Everything below is read at finalized blocks, so the block before the payout is an
	// ancestor of the one after it; the era's end must be finalized first.
	wait_for("the era's end to be finalized", 120, || {
		let chain = alice_chain.clone();
		async move {
			let at = chain.api.at_current_block().await.map_err(s)?;
			let reward =
				try_read(&at, allora::storage().staking().eras_validator_reward(), (era,)).await?;
			Ok(reward.is_some())
		}
	})
	.await?;
	let before = alice_chain.api.at_current_block().await.map_err(s)?;
	let payout = try_read(&before, allora::storage().staking().eras_validator_reward(), (era,))
		.await?
		.ok_or_else(|| format!("no payout recorded for era {era}"))?;
	ensure(payout > 0, || format!("era {era} has no payout"))?;
	// The pot committed exactly this to the era.
	let commitments =
		read(&before, allora::storage().emissions().validator_era_commitments(), ()).await?;
	let commitment = commitments
		.0
		.iter()
		.find(|c| c.era == era)
		.ok_or_else(|| format!("no commitment for era {era}"))?;
	ensure(commitment.committed == payout, || {
		format!(
			"era {era}: committed {} paid {} payout {payout}",
			commitment.committed, commitment.paid
		)
	})?;
	let paid_before = paid_sum(&commitments.0);
	let issuance_before = issuance_and_minted(&before).await?;

	let paid_validators: Vec<AccountId> = points.iter().map(|(v, _)| v.clone()).collect();
	ensure(paid_validators.len() >= 3, || format!("validators with points: {paid_validators:?}"))?;
	let calls = paid_validators
		.iter()
		.map(|v| staking(StakingCall::payout_stakers { validator_stash: v.clone(), era }))
		.collect();
	let events = ferdie
		.submit(&alice_chain, &allora::tx().utility().batch_all(calls))
		.await
		.map_err(|e| format!("payouts: {e}"))?;
	let mut sum = 0u128;
	let mut nominator_paid = false;
	for rewarded in events.find::<allora::staking::events::Rewarded>() {
		let rewarded = rewarded.map_err(s)?;
		sum = sum.checked_add(rewarded.amount).ok_or("the payouts overflow u128")?;
		nominator_paid |= rewarded.stash == ferdie.id;
	}
	ensure(nominator_paid, || "the nominator is not paid".into())?;
	// Paid + rounding remainder = the era's payout (Perbill rounding: a few parts per 10^9).
	let remainder = payout.checked_sub(sum);
	ensure(remainder.is_some_and(|r| r <= payout / 100_000_000 + 10), || {
		format!("paid {sum} of the era's {payout}")
	})?;

	// Once the payouts are in a finalized block (the one they were first included in may be
	// retracted by a fork; the pool includes them again): the pot recorded what it paid, and
	// the issuance moved only by what the emission minted since before the payouts.
	// Payouts are attributed to the oldest commitments first (FIFO), so the pot's record of
	// what was paid grows by exactly what the events paid, whichever eras it counts it in
	// (none of the chain's eras left the 85-era claim window yet).
	wait_for("the payouts in a finalized block", 120, || {
		let chain = alice_chain.clone();
		async move {
			let at = chain.api.at_current_block().await.map_err(s)?;
			Ok(paid_total(&at).await? != paid_before)
		}
	})
	.await?;
	let after = alice_chain.api.at_current_block().await.map_err(s)?;
	let paid_after = paid_total(&after).await?;
	ensure(paid_after.checked_sub(paid_before) == Some(sum), || {
		format!("the pot recorded {paid_before} -> {paid_after} paid, the events {sum}")
	})?;
	let issuance_after = issuance_and_minted(&after).await?;
	let issued = issuance_after.0.checked_sub(issuance_before.0);
	let minted = issuance_after.1.checked_sub(issuance_before.1);
	ensure(issued.is_some() && issued == minted, || {
		format!("issuance {issuance_before:?} -> {issuance_after:?}: not moved by the mint alone")
	})?;
	ensure(issuance_after.0 < 10u128.pow(27), || format!("issuance {}", issuance_after.0))
}

/// Whether `nominator` is in `validator`'s first exposure page of `era`.
async fn exposed(chain: &Chain, era: u32, validator: &AccountId, nominator: &AccountId) -> R<bool> {
	let at = chain.at_best().await?;
	let page = try_read(
		&at,
		allora::storage().staking().eras_stakers_paged(),
		(era, validator.clone(), 0),
	)
	.await?;
	Ok(page.is_some_and(|page| page.others.iter().any(|o| o.who == *nominator)))
}

/// What `payout_stakers` has paid from the pot, over every era still claimable, at a block.
async fn paid_total<C>(at: &At<C>) -> R<u128>
where
	C: subxt::client::OnlineClientAtBlockT<allora_client::chain::Config>,
{
	let commitments =
		read(at, allora::storage().emissions().validator_era_commitments(), ()).await?;
	Ok(paid_sum(&commitments.0))
}

/// The sum of what the pot's era commitments record as paid.
fn paid_sum(commitments: &[EraCommitment]) -> u128 {
	commitments.iter().map(|c| c.paid).fold(0u128, u128::saturating_add)
}

/// Total issuance and the emission's cumulative mint at a block.
async fn issuance_and_minted<C>(at: &At<C>) -> R<(u128, u128)>
where
	C: subxt::client::OnlineClientAtBlockT<allora_client::chain::Config>,
{
	let issuance = read(at, allora::storage().balances().total_issuance(), ()).await?;
	let minted = read(at, allora::storage().emissions().ecosystem_minted(), ()).await?;
	Ok((issuance, minted))
}

fn hex_of(bytes: &[u8]) -> String {
	bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn bytes_of(value: &serde_json::Value) -> R<Vec<u8>> {
	let hex = value.as_str().ok_or_else(|| format!("not a hex string: {value}"))?;
	let hex = hex.trim_start_matches("0x");
	(0..hex.len())
		.step_by(2)
		.map(|i| {
			hex.get(i..i + 2)
				.and_then(|b| u8::from_str_radix(b, 16).ok())
				.ok_or_else(|| format!("bad hex: {hex}"))
		})
		.collect()
}
