// Validators by stake on a real network (issue 13): four genesis validators on one machine with
// 6-block sessions and 2-session eras (pallet-timing), driven with Polkadot.js.
//   1. they produce and finalize blocks;
//   2. one is killed: the other three keep finalizing (3 of 4 > 2/3); it restarts from its
//      database and catches up to the finalized block;
//   3. a fifth node bonds, sets keys (with their ownership proof) and validates through
//      extrinsics; it is elected at the next era and authors blocks; after `chill` it leaves the
//      set at the following era;
//   4. era rewards: `payoutStakers` pays validators and nominators exactly the era's payout
//      from the validator pot; the payout block mints nothing beyond the emission; total
//      issuance stays below 10^27.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ApiPromise, WsProvider, Keyring } from '@polkadot/api';
import { u8aToHex } from '@polkadot/util';
import { startNetwork, startNode, restartNode } from '../lib/network.js';
import { sendAndWait } from '../../e2e/lib/chain.js';

const ALLO = 10n ** 18n;
const EPOCH = 6;
const SESSIONS_PER_ERA = 2;
// Seconds per era (6 s blocks), for bounding waits.
const ERA_S = EPOCH * SESSIONS_PER_ERA * 6;

let network;
const apis = new Map();
const providers = new Map();
let keyring;

async function api(name) {
  if (!apis.has(name)) {
    const provider = new WsProvider(network.nodes.get(name).url);
    providers.set(name, provider);
    apis.set(name, await ApiPromise.create({ provider, noInitWarn: true, throwOnConnect: true }));
  }
  return apis.get(name);
}

async function dropApi(name) {
  const a = apis.get(name);
  apis.delete(name);
  if (a) await a.disconnect();
}

const finalized = async (a) => (await a.rpc.chain.getHeader(await a.rpc.chain.getFinalizedHead())).number.toNumber();
const best = async (a) => (await a.rpc.chain.getHeader()).number.toNumber();
const activeEra = async (a) => (await a.query.staking.activeEra()).unwrap().index.toNumber();
const sessionValidators = async (a) => (await a.query.session.validators()).map((v) => v.toString());

/** Polls `check` every second until it returns a truthy value; fails after `seconds`. */
async function waitFor(what, seconds, check) {
  const deadline = Date.now() + seconds * 1000;
  let last;
  while (Date.now() < deadline) {
    try {
      last = await check();
      if (last) return last;
    } catch (e) { last = e; }
    await new Promise((r) => setTimeout(r, 1000));
  }
  throw new Error(`timed out after ${seconds} s waiting for ${what} (last: ${last})`);
}

before(async () => {
  network = await startNetwork({
    validators: ['Alice', 'Bob', 'Charlie', 'Dave'],
    epochDuration: EPOCH,
    sessionsPerEra: SESSIONS_PER_ERA,
  });
  // Addresses in the chain's ss58 format (7000), as the API prints them.
  keyring = new Keyring({ type: 'sr25519', ss58Format: 7000 });
});

after(async () => {
  for (const name of [...apis.keys()]) await dropApi(name);
  if (network) await network.stop();
});

test('four validators produce and finalize blocks', async () => {
  for (const name of ['Alice', 'Bob', 'Charlie', 'Dave']) {
    const a = await api(name);
    await waitFor(`${name} to finalize block 3`, 120, async () => (await finalized(a)) >= 3);
  }
  const a = await api('Alice');
  assert.equal((await sessionValidators(a)).length, 4);
  assert.equal((await a.call.babeApi.configuration()).epochLength.toNumber(), EPOCH);
  // Ferdie nominates Alice now, so later eras pay a nominator too.
  const ferdie = keyring.addFromUri('//Ferdie');
  const { dispatchError } = await sendAndWait(a, a.tx.utility.batchAll([
    a.tx.staking.bond(1000n * ALLO, 'Stash'),
    a.tx.staking.nominate([keyring.addFromUri('//Alice').address]),
  ]), ferdie);
  assert.equal(dispatchError, undefined);
});

test('with one validator killed the other three finalize; it restarts from its database and catches up', async () => {
  const dave = network.nodes.get('Dave');
  await dropApi('Dave');
  await dave.kill();
  const a = await api('Alice');
  const f0 = await finalized(a);
  // 3 of 4 GRANDPA voters are more than 2/3: finality goes on.
  await waitFor('finality without Dave', 90, async () => (await finalized(a)) >= f0 + 4);
  const target = await finalized(a);
  await restartNode(network, dave);
  const d = await api('Dave');
  await waitFor('Dave to catch up to the finalized block', 120, async () => (await finalized(d)) >= target);
  assert.ok((await best(d)) >= target);
});

test('a fifth node bonds, sets keys and validates: elected at the next era, it authors; after chill it leaves', async () => {
  const eve = keyring.addFromUri('//Eve');
  // A node without dev keys: its keys are generated in its keystore, with the proof that Eve
  // owns them, as an operator does with author_rotateKeysWithOwner.
  await startNode(network, 'Eve', { devKeys: false });
  await api('Eve');
  const generated = await providers.get('Eve').send('author_rotateKeysWithOwner', [u8aToHex(eve.publicKey)]);
  const a = await api('Alice');
  const { dispatchError } = await sendAndWait(a, a.tx.utility.batchAll([
    a.tx.staking.bond(2000n * ALLO, 'Stash'),
    a.tx.session.setKeys(generated.keys, generated.proof),
    a.tx.staking.validate({ commission: 50_000_000, blocked: false }),
  ]), eve);
  assert.equal(dispatchError, undefined, dispatchError && dispatchError.toString());
  const registeredIn = await activeEra(a);
  assert.ok(!(await sessionValidators(a)).includes(eve.address));

  // Elected at the next election: in the set once the next era starts (at most two eras).
  await waitFor('Eve in the validator set', 3 * ERA_S, async () => (await sessionValidators(a)).includes(eve.address));
  assert.ok((await activeEra(a)) > registeredIn);
  // It authors: blocks by Eve earn her era points (20 per block, pallet-authorship).
  await waitFor('a block authored by Eve', 2 * ERA_S, async () => {
    const points = (await a.query.staking.erasRewardPoints(await activeEra(a))).individual;
    return [...points.entries()].some(([v, p]) => v.toString() === eve.address && p.toNumber() > 0);
  });

  const chilled = await sendAndWait(a, a.tx.staking.chill(), eve);
  assert.equal(chilled.dispatchError, undefined);
  const chilledIn = await activeEra(a);
  await waitFor('Eve out of the validator set', 3 * ERA_S, async () => !(await sessionValidators(a)).includes(eve.address));
  assert.ok((await activeEra(a)) > chilledIn);
});

test('era rewards: payoutStakers pays the era payout from the pot and mints nothing', async () => {
  const a = await api('Alice');
  const alice = keyring.addFromUri('//Alice').address;
  const ferdie = keyring.addFromUri('//Ferdie');
  // An ended era in which Ferdie was exposed behind Alice and Alice authored blocks (a
  // validator without era points is paid nothing, and neither are its nominators: with four
  // validators and twelve slots an era, Alice authors none in about 3 % of eras).
  const era = await waitFor('an ended era with a nominator', 4 * ERA_S, async () => {
    const ended = (await activeEra(a)) - 1;
    if (ended < 1) return false;
    const page = await a.query.staking.erasStakersPaged(ended, alice, 0);
    if (!(page.isSome && page.unwrap().others.some((o) => o.who.toString() === ferdie.address))) return false;
    const points = (await a.query.staking.erasRewardPoints(ended)).individual;
    return [...points.entries()].some(([v, p]) => v.toString() === alice && p.toNumber() > 0) ? ended : false;
  });
  const payout = (await a.query.staking.erasValidatorReward(era)).unwrap().toBigInt();
  assert.ok(payout > 0n);
  // The pot committed exactly this to the era.
  const commitments = (await a.query.emissions.validatorEraCommitments()).toJSON();
  const commitment = commitments.find((c) => c.era === era);
  assert.ok(commitment, `a commitment for era ${era}: ${JSON.stringify(commitments)}`);
  assert.equal(BigInt(commitment.committed), payout);

  const points = (await a.query.staking.erasRewardPoints(era)).individual;
  const paid = [...points.keys()].map((v) => v.toString());
  assert.ok(paid.length >= 3, `validators with points: ${paid}`);
  const { blockHash, events, dispatchError } = await sendAndWait(
    a, a.tx.utility.batchAll(paid.map((v) => a.tx.staking.payoutStakers(v, era))), ferdie);
  assert.equal(dispatchError, undefined, dispatchError && dispatchError.toString());
  const rewarded = events.filter(({ event }) => a.events.staking.Rewarded.is(event));
  const sum = rewarded.reduce((s, { event }) => s + event.data.amount.toBigInt(), 0n);
  assert.ok(rewarded.some(({ event }) => event.data.stash.toString() === ferdie.address), 'the nominator is paid');
  // Paid + rounding remainder = the era's payout (Perbill rounding: a few parts per 10^9).
  assert.ok(sum <= payout);
  assert.ok(payout - sum <= payout / 100_000_000n + 10n, `remainder ${payout - sum} of ${payout}`);

  // The payout block changed the issuance only by what the emission minted in it.
  const header = await a.rpc.chain.getHeader(blockHash);
  const parent = header.parentHash;
  const at = await a.at(blockHash);
  const atParent = await a.at(parent);
  const issuance = (await at.query.balances.totalIssuance()).toBigInt();
  const issuanceBefore = (await atParent.query.balances.totalIssuance()).toBigInt();
  const minted = (await at.query.emissions.ecosystemMinted()).toBigInt()
    - (await atParent.query.emissions.ecosystemMinted()).toBigInt();
  assert.equal(issuance - issuanceBefore, minted);
  assert.ok(issuance < 10n ** 27n);
});
