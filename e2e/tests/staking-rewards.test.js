// A nominator's era reward through Polkadot.js, as the Staking tab of Polkadot.js Apps claims
// it: Bob bonds and nominates Alice on a development chain with short eras (the dev chain spec
// with `timing: { epochDuration: 10, sessionsPerEra: 2 }` in its genesis, sealed every 500 ms:
// an era is 20 blocks, 10 s), is exposed behind her, and after the era ends claims it with
// `staking.payoutStakers`. The era's payout is what the validator pot committed to it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiPromise, WsProvider, Keyring } from '@polkadot/api';
import { nodeBinary, startDevNode } from '../lib/node.js';
import { sendOk, sendAndWait, freeAt, until } from '../lib/chain.js';

const ALLO = 10n ** 18n;
let dir;
let node;
let api;
let keyring;

/** The dev chain spec with short sessions and eras (text edit: its balances exceed 2^53). */
function shortEraDevSpec() {
  const spec = execFileSync(nodeBinary(), ['build-spec', '--chain', 'dev'], {
    maxBuffer: 64 << 20,
    stdio: ['ignore', 'pipe', 'ignore'],
  }).toString();
  const timing = /"timing":\s*\{/g;
  assert.equal(spec.match(timing)?.length, 1, 'one timing section in the dev genesis');
  return spec.replace(timing, '"timing": { "epochDuration": 10, "sessionsPerEra": 2,');
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'allora-e2e-spec-'));
  const path = join(dir, 'dev-short-eras.json');
  writeFileSync(path, shortEraDevSpec());
  node = await startDevNode(['--chain', path, '--dev-block-time', '500']);
  api = await ApiPromise.create({ provider: new WsProvider(node.url), noInitWarn: true, throwOnConnect: true });
  keyring = new Keyring({ type: 'sr25519', ss58Format: 7000 });
});

after(async () => {
  if (api) await api.disconnect();
  if (node) await node.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Polls `check` every 500 ms (blocks come every second here) until it is truthy. */
const poll = (check, what) => until(check, what, 120_000, 500);

const activeEra = async () => (await api.query.staking.activeEra()).unwrap().index.toNumber();

test('a nominator nominates Alice and claims its share of an era reward from the pot', async () => {
  const alice = keyring.addFromUri('//Alice');
  const bob = keyring.addFromUri('//Bob');
  // Short eras: ten-block epochs, two sessions per era.
  assert.equal((await api.call.babeApi.configuration()).epochLength.toNumber(), 10);

  await sendOk(api, api.tx.utility.batchAll([
    api.tx.staking.bond(1000n * ALLO, 'Stash'),
    api.tx.staking.nominate([alice.address]),
  ]), bob);

  // The first era with Bob behind Alice, then its end.
  const era = await poll(async () => {
    const e = await activeEra();
    const page = await api.query.staking.erasStakersPaged(e, alice.address, 0);
    return page.isSome && page.unwrap().others.some((o) => o.who.toString() === bob.address) ? e : null;
  }, 'Bob exposed behind Alice');
  await poll(async () => (await api.query.staking.erasValidatorReward(era)).isSome, `era ${era} to end`);
  const payout = (await api.query.staking.erasValidatorReward(era)).unwrap().toBigInt();
  assert.ok(payout > 0n, 'the era has a payout');
  // The validator pot committed exactly this to the era.
  const commitments = await api.query.emissions.validatorEraCommitments();
  const commitment = commitments.find((c) => c.era.toNumber() === era);
  assert.ok(commitment, `a commitment for era ${era}`);
  assert.equal(commitment.committed.toBigInt(), payout);

  const overview = (await api.query.staking.erasStakersOverview(era, alice.address)).unwrap();
  const page = (await api.query.staking.erasStakersPaged(era, alice.address, 0)).unwrap();
  const bobStake = page.others.find((o) => o.who.toString() === bob.address).value.toBigInt();
  const total = overview.total.toBigInt();
  const points = await api.query.staking.erasRewardPoints(era);
  const alicePoints = [...points.individual.entries()].find(([v]) => v.toString() === alice.address);
  assert.ok(alicePoints && alicePoints[1].toNumber() > 0, 'Alice authored in the era');

  // Bob claims (anyone may): Alice's page of the era is paid.
  const before = await freeAt(api, bob.address);
  const { events, blockHash } = await sendOk(api, api.tx.staking.payoutStakers(alice.address, era), bob);
  const rewarded = events
    .filter(({ event }) => api.events.staking.Rewarded.is(event))
    .map(({ event }) => ({ stash: event.data.stash.toString(), amount: event.data.amount.toBigInt() }));
  const toBob = rewarded.find((r) => r.stash === bob.address)?.amount ?? 0n;
  const sum = rewarded.reduce((s, r) => s + r.amount, 0n);
  // Alice is the only author and takes no commission (genesis): the era's payout is shared
  // by stake; Bob's share is his stake's, up to Perbill rounding.
  const expected = (payout * bobStake) / total;
  assert.ok(toBob > 0n, 'Bob is paid');
  const diff = toBob > expected ? toBob - expected : expected - toBob;
  assert.ok(diff <= payout / 1_000_000_000n + 1n, `Bob got ${toBob}, his share is ${expected}`);
  assert.ok(sum <= payout && payout - sum <= payout / 100_000_000n + 10n, `paid ${sum} of ${payout}`);
  // Into his free balance (reward destination Stash), minus the claim's fee.
  const fee = events.find(({ event }) => api.events.transactionPayment.TransactionFeePaid.is(event))
    .event.data[1].toBigInt();
  assert.equal(await freeAt(api, bob.address, blockHash), before - fee + toBob);
  // The claim is recorded: a second one is refused with staking's error.
  assert.deepEqual((await api.query.staking.claimedRewards(era, alice.address)).toJSON(), [0]);
  const again = await sendAndWait(api, api.tx.staking.payoutStakers(alice.address, era), bob);
  assert.ok(again.dispatchError?.isModule);
  assert.equal(api.registry.findMetaError(again.dispatchError.asModule).name, 'AlreadyClaimed');
});
