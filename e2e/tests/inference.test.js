// A worker's path from nothing to a counted inference on the dev chain, through Polkadot.js
// only: governance shortens the minimum epoch, Alice creates a topic, three workers register,
// a reputer stakes and a delegator delegates (which activates the topic), the workers submit
// inferences and forecasts in the window, and the network inference is read through the
// `allora_networkInference` RPC and through `api.call.inferenceApi`. Then the reputer reports
// the round's losses, the chain settles it, and regrets and scores are read through
// `api.call.reputationApi`. In the same block the round is paid from newly emitted ALLO:
// workers' balances, the reputer's stake and the delegator's claimable reward grow by exactly
// what `api.call.emissionsApi.lastRewards` reports, and total issuance stays below the cap.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ApiPromise, WsProvider, Keyring } from '@polkadot/api';
import { startDevNode } from '../lib/node.js';
import { sendAndWait, sendOk, freeAt } from '../lib/chain.js';

const SCALE = 10n ** 18n;
/** A decimal string as the raw i128 of the chain's 18-decimal fixed point. */
const fx = (s) => {
  const [int, frac = ''] = s.split('.');
  const sign = int.startsWith('-') ? -1n : 1n;
  return sign * (BigInt(int.replace('-', '')) * SCALE + BigInt((frac + '0'.repeat(18)).slice(0, 18)));
};
/** The decimal string of a raw fixed-point value, as the RPC prints it. */
const show = (raw) => {
  const v = BigInt(raw);
  const neg = v < 0n;
  const a = neg ? -v : v;
  const frac = (a % SCALE).toString().padStart(18, '0').replace(/0+$/, '');
  return `${neg ? '-' : ''}${a / SCALE}${frac ? '.' + frac : ''}`;
};

let node;
let api;
let provider;
let alice, bob, charlie, dave, eve, ferdie;

before(async () => {
  // The fast development mode (a block every 2 s): the test waits for several epochs.
  node = await startDevNode(['--dev-block-time', '2000'], { keepAs: 'inference' });
  provider = new WsProvider(node.url);
  api = await ApiPromise.create({ provider, noInitWarn: true, throwOnConnect: true });
  const keyring = new Keyring({ type: 'sr25519', ss58Format: 7000 });
  [alice, bob, charlie, dave, eve, ferdie] = ['//Alice', '//Bob', '//Charlie', '//Dave', '//Eve', '//Ferdie']
    .map((u) => keyring.addFromUri(u));
});

after(async () => {
  if (api) await api.disconnect();
  if (node) await node.stop();
});

/** Resolves with the first value of `probe()` (called at each new block) that is not undefined. */
function untilBlock(probe, timeoutMs = 180_000) {
  return new Promise((resolve, reject) => {
    let unsub = () => {};
    const timer = setTimeout(() => { unsub(); reject(new Error('condition not reached in time')); }, timeoutMs);
    api.rpc.chain.subscribeNewHeads(async (header) => {
      try {
        const value = await probe(header);
        if (value !== undefined) { clearTimeout(timer); unsub(); resolve(value); }
      } catch (e) { clearTimeout(timer); unsub(); reject(e); }
    }).then((u) => { unsub = u; });
  });
}

const ok = (tx, signer) => sendOk(api, tx, signer);

function moduleError(dispatchError) {
  const { section, name, docs } = api.registry.findMetaError(dispatchError.asModule);
  return `${section}.${name}`;
}

test('a worker goes from nothing to a counted inference, readable by RPC and runtime API', async () => {
  // Governance (sudo on the dev chain) allows short epochs for this test.
  await ok(api.tx.sudo.sudo(api.tx.topics.updateParams({ minEpochLength: 4 })), alice);
  assert.equal((await api.query.topics.params()).minEpochLength.toNumber(), 4);

  const topicId = (await api.query.topics.nextTopicId()).toNumber();
  const config = {
    metadata: 'ETH/USD in 1h', lossMethod: 'mse',
    epochLength: 6, groundTruthLag: 6, workerSubmissionWindow: 4,
    pNorm: fx('3'), alphaRegret: fx('0.1'), allowNegative: false, epsilon: fx('0.01'),
    meritSortitionAlpha: fx('0.1'), activeInfererQuantile: fx('0.2'),
    activeForecasterQuantile: fx('0.2'), activeReputerQuantile: fx('0.2'),
    // Bounded inputs: prices between 0 and 100 000, log10-losses between -30 and 30.
    inferenceRange: { min: fx('0'), max: fx('100000') },
    lossRange: { min: fx('-30'), max: fx('30') },
  };
  const created = await ok(api.tx.topics.createTopic(config), alice);
  assert.ok(created.events.some(({ event }) => api.events.topics.TopicCreated.is(event)));

  // Three workers register in parallel. Without stake the topic's weight is 0: inactive.
  await Promise.all([bob, charlie, dave].map((w) => ok(api.tx.inference.registerWorker(topicId), w)));
  assert.ok((await api.call.inferenceApi.topicInfo(topicId)).unwrap().nextEpochEnd.isNone);
  // A reputer stakes (held on its account) and a delegator delegates: the topic activates.
  await ok(api.tx.stake.registerReputer(topicId), eve);
  await ok(api.tx.stake.addStake(topicId, 100_000n * SCALE), eve);
  await ok(api.tx.stake.delegateStake(topicId, eve.address, 50_000n * SCALE), ferdie);
  assert.equal((await api.query.stake.topicStake(topicId)).toBigInt(), 150_000n * SCALE);
  // Two holds: the registration deposit (1 ALLO) and the stake.
  const holds = await api.query.balances.holds(eve.address);
  const held = (reason) => holds.find((h) => h.id.toString().includes(reason));
  assert.ok(held('ReputerStake'), holds.toString());
  assert.equal(held('ReputerStake').amount.toBigInt(), 100_000n * SCALE);
  assert.equal(held('RegistrationDeposit').amount.toBigInt(), 1n * SCALE);
  const repStake = await api.call.stakeApi.reputerStake(topicId, eve.address);
  assert.equal(repStake.registered.isTrue, true);
  assert.equal(repStake.own.toBigInt(), 100_000n * SCALE);
  assert.equal(repStake.delegated.toBigInt(), 50_000n * SCALE);
  const placement = await api.call.stakeApi.delegation(topicId, ferdie.address, eve.address);
  assert.equal(placement.amount.toBigInt(), 50_000n * SCALE);
  assert.equal((await api.call.stakeApi.topicStake(topicId)).toBigInt(), 150_000n * SCALE);
  const info = (await api.call.inferenceApi.topicInfo(topicId)).unwrap();
  assert.equal(info.workers.toNumber(), 3);
  assert.ok(info.nextEpochEnd.isSome, 'the topic is active');

  // Wait for the epoch end: worker nonce N opens.
  const nonce = await untilBlock(async () => {
    const open = await api.call.inferenceApi.openNonces(topicId);
    return open.workerNonces.length > 0 ? open.workerNonces[0].toNumber() : undefined;
  });

  // Bad payloads, sent together so that the window (4 blocks) stays open for the good ones: a
  // forecast about an unregistered account fails with an error naming the element, and values
  // outside the topic's declared ranges are refused before they reach the math.
  const stranger = new Keyring({ type: 'sr25519' }).addFromUri('//Stranger').address;
  const [bad, absurd, wild] = await Promise.all([
    sendAndWait(api, api.tx.inference.submitWorkerPayload(
      topicId, nonce, fx('1'), [{ inferer: charlie.address, value: fx('0.1') }, { inferer: stranger, value: fx('0.2') }],
    ), bob),
    sendAndWait(api, api.tx.inference.submitWorkerPayload(topicId, nonce, fx('1000000000000000'), null), charlie),
    sendAndWait(api, api.tx.inference.submitWorkerPayload(
      topicId, nonce, null, [{ inferer: charlie.address, value: fx('100000000000') }],
    ), dave),
  ]);
  assert.equal(moduleError(bad.dispatchError), 'inference.ForecastInfererNotRegistered');
  assert.equal(api.registry.findMetaError(bad.dispatchError.asModule).name, 'ForecastInfererNotRegistered');
  assert.equal(moduleError(absurd.dispatchError), 'inference.InferenceOutOfRange');
  assert.equal(moduleError(wild.dispatchError), 'inference.ForecastLossOutOfRange');

  // The three payloads, signed by the workers themselves, in the window.
  const payloads = [
    [bob, '100.5', [{ inferer: charlie.address, value: fx('0.4') }, { inferer: dave.address, value: fx('0.9') }]],
    [charlie, '101', [{ inferer: bob.address, value: fx('0.2') }]],
    [dave, '98', null],
  ];
  const results = await Promise.all(payloads.map(([w, v, f]) =>
    ok(api.tx.inference.submitWorkerPayload(topicId, nonce, fx(v), f), w)));
  for (const { events } of results) {
    assert.ok(events.some(({ event }) => api.events.inference.InferenceSubmitted.is(event)));
  }

  // After the window closes the latest network inference is stored and served.
  const latest = await untilBlock(async () => {
    const t = (await api.call.inferenceApi.topicInfo(topicId)).unwrap();
    return t.latestInference.isSome ? t.latestInference.unwrap() : undefined;
  });
  assert.equal(latest.nonce.toNumber(), nonce);
  // No network loss yet: the combined value is the median of the three inferences.
  assert.equal(show(latest.combinedValue.toString()), '100.5');

  const byApi = await api.call.inferenceApi.networkInference(topicId, null);
  assert.ok(byApi.isOk, byApi.toString());
  const bundle = byApi.asOk;
  assert.equal(bundle.nonce.toNumber(), nonce);
  assert.equal(bundle.mode.toString(), 'NoNetworkLoss');
  assert.equal(show(bundle.combinedValue.toString()), '100.5');
  assert.equal(bundle.infererValues.length, 3);

  const byRpc = await provider.send('allora_networkInference', [topicId, null, null]);
  assert.equal(byRpc.topicId, topicId);
  assert.equal(byRpc.nonce, nonce);
  assert.equal(byRpc.mode, 'NoNetworkLoss');
  assert.equal(byRpc.combinedValue, '100.5');
  const rpcInferers = Object.fromEntries(byRpc.infererValues);
  for (const [w, v] of payloads) {
    const key = Object.keys(rpcInferers).find((k) => api.createType('AccountId', k).eq(w.address));
    assert.ok(key, `inferer ${w.address} in the RPC answer`);
    assert.equal(rpcInferers[key], v);
  }
  for (const [i, [who, raw]] of bundle.infererValues.entries()) {
    assert.ok(api.createType('AccountId', byRpc.infererValues[i][0]).eq(who));
    assert.equal(byRpc.infererValues[i][1], show(raw.toString()));
  }
  // Before any network loss (spec 4.7) the bundle holds the inferences and their median only.
  assert.deepEqual(byRpc.forecasterValues, []);
  assert.equal(bundle.forecasterValues.length, 0);
  // The forecasts were counted: the snapshot holds both (Dave sent none).
  const round = (await api.query.inference.rounds(topicId, nonce)).unwrap();
  assert.equal(round.inferers.toNumber(), 3);
  assert.equal(round.forecasters.toNumber(), 2);

  const nonces = await provider.send('allora_openNonces', [topicId, null]);
  assert.ok(nonces.reputerNonces.includes(nonce), 'reputer nonce opened at the window close');
  const rpcInfo = await provider.send('allora_topicInfo', [topicId, null]);
  assert.equal(rpcInfo.workers, 3);
  // What a person expects to read: text as text, accounts in the chain's ss58 format (7000).
  assert.equal(rpcInfo.topic.config.metadata, 'ETH/USD in 1h');
  assert.equal(rpcInfo.topic.config.lossMethod, 'mse');
  assert.equal(rpcInfo.topic.creator, alice.address);
  assert.ok([bob, charlie, dave].some((w) => w.address === byRpc.infererValues[0][0]), byRpc.infererValues[0][0]);
  assert.equal(rpcInfo.latestInference.combinedValue, '100.5');

  // An unknown topic is a clear RPC error.
  await assert.rejects(provider.send('allora_networkInference', [999, null, null]), /TopicNotFound/);

  // The reputer's turn: once the ground truth is known, in [N + G, N + 2G], Eve reports the
  // losses of nonce N's network values; the reputer API tells her what is open.
  const open = await api.call.reputationApi.reputerNonces(topicId);
  const status = open.find((s) => s.nonce.toNumber() === nonce);
  assert.ok(status, 'reputer nonce listed by the reputation API');
  assert.equal(status.windowOpens.toNumber(), nonce + 6);
  assert.equal(status.windowCloses.toNumber(), nonce + 12);
  await untilBlock(async (h) => (h.number.toNumber() >= nonce + 6 ? true : undefined));
  // Nonce N was synthesised in the median mode (no network loss yet): its network inference
  // has the combined, naive and inferer values only, and a bundle may judge only those.
  const none = {
    forecasterValues: [], oneOutInfererValues: [], oneOutForecasterValues: [],
    oneInForecasterValues: [], oneOutInfererForecasterValues: [],
  };
  const medianLosses = {
    ...none,
    combinedValue: fx('-2'),
    naiveValue: fx('-1.9'),
    infererValues: [[bob.address, fx('-2.2')], [charlie.address, fx('-1.8')], [dave.address, fx('-2.5')]],
  };
  // A loss for an account that is not a worker of the nonce is refused with a named error,
  // and so is a loss of a value the nonce's network inference never produced.
  const wrong = await sendAndWait(api, api.tx.reputation.submitLossBundle(topicId, nonce, {
    ...medianLosses, infererValues: [[bob.address, fx('-2.2')], [ferdie.address, fx('-1')]],
  }), eve);
  assert.equal(moduleError(wrong.dispatchError), 'reputation.UnknownWorker');
  const phantom = await sendAndWait(api, api.tx.reputation.submitLossBundle(topicId, nonce, {
    ...medianLosses, oneOutInfererValues: [[bob.address, fx('-1.9')]],
  }), eve);
  assert.equal(moduleError(phantom.dispatchError), 'reputation.ValueNotProduced');
  const sent = await ok(api.tx.reputation.submitLossBundle(topicId, nonce, medianLosses), eve);
  assert.ok(sent.events.some(({ event }) => api.events.reputation.LossBundleSubmitted.is(event)));

  // At the first epoch end at or after N + 2G the nonce is queued, the next block settles it.
  // The settlement keeps the network losses and regrets; the reward step is skipped, with its
  // reason, because a median round gives no inferer a one-out score (spec README decision 10).
  const first = await untilBlock(async () => {
    const r = await api.call.reputationApi.latestRound(topicId);
    return r.isSome ? r.unwrap() : undefined;
  });
  assert.equal(first.nonce.toNumber(), nonce);
  assert.ok(first.closedAt.toNumber() > nonce + 12);
  assert.equal(show(first.networkLosses.combinedValue.toString()), '-2');
  assert.equal(first.infererScores.length, 0);
  assert.equal(first.reputers.length, 0);
  const firstEvents = await (await api.at(await api.rpc.chain.getBlockHash(first.closedAt.toNumber()))).query.system.events();
  const skipped = firstEvents.find(({ event }) => api.events.emissions.RewardsSkipped.is(event));
  assert.ok(skipped, 'RewardsSkipped in the settlement block');
  assert.equal(skipped.event.data.reason.toString(), 'NoScoredInferers');
  // Regrets R_j = α(ℓ − ℓ_j) + (1 − α)·0 with α = 0.1 (spec 5.4): Bob 0.02, Dave 0.05.
  const scoreOf = (list, who) => show(list.find(([a]) => a.eq(who.address))[1].toString());
  const firstRegrets = (await api.call.reputationApi.regrets(topicId)).unwrap();
  assert.equal(firstRegrets.inferer.length, 3);
  assert.equal(scoreOf(firstRegrets.inferer, bob), '0.02');
  assert.equal(scoreOf(firstRegrets.inferer, dave), '0.05');
  assert.equal(firstRegrets.forecaster.length, 0);
  assert.equal((await api.call.reputationApi.listeningCoefficients(topicId)).length, 0);

  // The next round the workers send closes after that settlement: a network loss exists and
  // the initial regret is 0, so it is synthesised in the all-new mode (spec 4.7 case 4), which
  // produces every value list.
  const next = await untilBlock(async () => {
    const open = await api.call.inferenceApi.openNonces(topicId);
    const n = open.workerNonces.map((x) => x.toNumber()).find((x) => x > first.closedAt.toNumber() - 2);
    return n;
  });
  await Promise.all(payloads.map(([w, v, f]) => ok(api.tx.inference.submitWorkerPayload(topicId, next, fx(v), f), w)));
  const nextLatest = await untilBlock(async () => {
    const t = (await api.call.inferenceApi.topicInfo(topicId)).unwrap();
    return t.latestInference.isSome && t.latestInference.unwrap().nonce.toNumber() === next
      ? t.latestInference.unwrap() : undefined;
  });
  assert.equal(nextLatest.mode.toString(), 'AllNew');
  const nextRound = (await api.query.inference.rounds(topicId, next)).unwrap();
  assert.equal(nextRound.produced.oneOutInferer.isTrue, true);
  assert.equal(nextRound.produced.oneInForecaster.isTrue, true);

  await untilBlock(async (h) => (h.number.toNumber() >= next + 6 ? true : undefined));
  const losses = {
    combinedValue: fx('-2'),
    naiveValue: fx('-1.9'),
    infererValues: [[bob.address, fx('-2.2')], [charlie.address, fx('-1.8')], [dave.address, fx('-2.5')]],
    forecasterValues: [[bob.address, fx('-2.1')], [charlie.address, fx('-1.95')]],
    oneOutInfererValues: [[bob.address, fx('-1.9')], [charlie.address, fx('-2.05')], [dave.address, fx('-1.7')]],
    oneOutForecasterValues: [[bob.address, fx('-1.98')], [charlie.address, fx('-2.02')]],
    oneInForecasterValues: [[bob.address, fx('-1.95')], [charlie.address, fx('-1.92')]],
    oneOutInfererForecasterValues: [
      [bob.address, charlie.address, fx('-2.1')],
      [bob.address, dave.address, fx('-2')],
      [charlie.address, bob.address, fx('-1.9')],
    ],
  };
  await ok(api.tx.reputation.submitLossBundle(topicId, next, losses), eve);

  const settled = await untilBlock(async () => {
    const r = (await api.call.reputationApi.latestRound(topicId)).unwrap();
    return r.nonce.toNumber() === next ? r : undefined;
  });
  assert.ok(settled.closedAt.toNumber() > next + 12);
  // One reputer: the network losses are its losses, its score is 1/ε_reputer (spec 5.6).
  assert.equal(show(settled.networkLosses.combinedValue.toString()), '-2');
  assert.equal(settled.reputers.length, 1);
  const judge = settled.reputers[0];
  assert.ok(judge.reputer.eq(eve.address));
  assert.equal(judge.stake.toBigInt(), 150_000n * SCALE);
  assert.equal(show(judge.score.toString()), '100');
  // Inferer scores T_j = ℓ⁻_j − ℓ (spec 6.2): Bob 0.1, Charlie −0.05, Dave 0.3.
  assert.equal(scoreOf(settled.infererScores, bob), '0.1');
  assert.equal(scoreOf(settled.infererScores, charlie), '-0.05');
  assert.equal(scoreOf(settled.infererScores, dave), '0.3');
  // Regrets R_j = α(ℓ − ℓ_j) + (1 − α)·R_j: Bob 0.02 + 0.018, Dave 0.05 + 0.045; the
  // forecasters' first regrets start from the initial regret 0: Bob 0.1 · 0.1.
  const regrets = (await api.call.reputationApi.regrets(topicId)).unwrap();
  assert.equal(regrets.inferer.length, 3);
  assert.equal(scoreOf(regrets.inferer, bob), '0.038');
  assert.equal(scoreOf(regrets.inferer, dave), '0.095');
  assert.equal(regrets.forecaster.length, 2);
  assert.equal(scoreOf(regrets.forecaster, bob), '0.01');
  const coefficients = await api.call.reputationApi.listeningCoefficients(topicId);
  assert.equal(coefficients.length, 1);
  assert.ok(coefficients[0][0].eq(eve.address));

  // The round was paid in its settlement block from the emission (spec 6.7-6.8, 8.2).
  const blockHash = await api.rpc.chain.getBlockHash(settled.closedAt.toNumber());
  const parent = (await api.rpc.chain.getHeader(blockHash)).parentHash;
  const at = await api.at(blockHash);
  const before = await api.at(parent);
  const paidRound = (await at.call.emissionsApi.lastRewards(topicId)).unwrap();
  assert.equal(paidRound.nonce.toNumber(), next);
  assert.equal(paidRound.paidAt.toNumber(), settled.closedAt.toNumber());
  const topicReward = paidRound.topicReward.toBigInt();
  assert.ok(topicReward > 0n, 'a positive topic reward');
  assert.equal(paidRound.paid.toBigInt() + paidRound.dust.toBigInt(), topicReward);
  assert.equal(paidRound.inferers.length, 3);
  assert.equal(paidRound.forecasters.length, 2);
  assert.equal(paidRound.reputers.length, 1);
  const earned = (who) => [...paidRound.inferers, ...paidRound.forecasters]
    .filter((a) => a.who.eq(who.address))
    .reduce((sum, a) => sum + a.paid.toBigInt(), 0n);
  for (const w of [bob, charlie, dave]) {
    const gained = (await freeAt(api, w.address, blockHash)) - (await freeAt(api, w.address, parent));
    assert.ok(earned(w) > 0n, `worker ${w.address} earned a reward`);
    assert.equal(gained, earned(w), `worker ${w.address}'s balance grew by its reward`);
  }
  // Eve's share compounds into her stake; Ferdie's delegated third waits for his claim.
  const eveReward = paidRound.reputers[0];
  assert.ok(eveReward.who.eq(eve.address));
  const toDelegators = eveReward.delegators.toBigInt();
  assert.equal(toDelegators, eveReward.reward.toBigInt() * 50n / 150n);
  const stakeNow = (await at.call.stakeApi.reputerStake(topicId, eve.address)).own.toBigInt();
  const stakeBefore = (await before.call.stakeApi.reputerStake(topicId, eve.address)).own.toBigInt();
  assert.equal(stakeNow - stakeBefore, eveReward.paid.toBigInt() - toDelegators);
  const claimable = (await at.call.stakeApi.delegation(topicId, ferdie.address, eve.address)).pendingReward.toBigInt();
  assert.ok(claimable > 0n && claimable <= toDelegators, `claimable ${claimable} of ${toDelegators}`);
  const claimed = await ok(api.tx.stake.claimDelegatorReward(topicId, eve.address), ferdie);
  const paidOut = claimed.events.find(({ event }) => api.events.stake.DelegatorRewardPaid.is(event));
  assert.ok(paidOut, 'DelegatorRewardPaid');
  assert.ok(paidOut.event.data.amount.toBigInt() >= claimable);

  // The emission is running and below every cap. It was calculated at block 1 from the stake
  // that existed then, Alice's genesis validator bond (5 000 ALLO, exposed through the vote
  // weight: 5 000 ALLO less ~1.4e-14), capped at 0.02 a month per staked token: 0.02 · 5 000 /
  // 432 000 ALLO a block; the next recalculation is monthly. Topic fees and transaction fees (never burned: they go to the
  // ecosystem account) are spent before anything is minted (spec 8.2), so the mint so far is
  // at most the emission of the blocks since then.
  const emission = await at.call.emissionsApi.emission();
  assert.ok(emission.state.blockEmission.toBigInt() > 0n);
  assert.equal(emission.state.pending.isTrue, false);
  const supply = await at.call.emissionsApi.supply();
  assert.equal(supply.maxSupply.toBigInt(), 10n ** 27n);
  assert.ok(supply.totalIssuance.toBigInt() < supply.maxSupply.toBigInt());
  assert.equal((await at.query.balances.totalIssuance()).toBigInt(), supply.totalIssuance.toBigInt());
  const capped = 5_000n * SCALE * 2n / 100n / 432_000n;
  const blockEmission = emission.state.blockEmission.toBigInt();
  assert.ok(blockEmission <= capped && capped - blockEmission < capped / 1_000_000_000n, `block emission ${blockEmission} vs ${capped}`);
  const blocksSince = BigInt((await at.query.system.number()).toNumber());
  assert.ok(supply.ecosystemMinted.toBigInt() <= blocksSince * emission.state.blockEmission.toBigInt(), 'minted at most the emission');
  assert.equal(supply.ecosystemMinted.toBigInt() + supply.ecosystemRemaining.toBigInt(), 359_500_000n * SCALE);
  assert.ok(supply.validatorPot.toBigInt() > 0n);
});
