// Governance on the dev chain through Polkadot.js, as a token holder does it in Apps'
// Governance tab: Alice notes a preimage of topics.updateParams, submits it on the parameters
// track and places the decision deposit; Bob and Charlie vote with conviction; it confirms and
// enacts, and topics.params() shows the new value. A second referendum that Bob and Charlie
// vote down is rejected and changes nothing. The dev preset divides governance periods by
// 14 400 (a day is a block), and the chain runs in the fast development mode (a block every
// second, each final at once), so this takes about half a minute. The referendum test on the
// normal BABE + GRANDPA dev chain is upgrade.test.js.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ApiPromise, WsProvider, Keyring } from '@polkadot/api';
import { startDevNode } from '../lib/node.js';
import { sendOk, until, propose } from '../lib/chain.js';

const ALLO = 10n ** 18n;
let node;
let api;
let alice;
let bob;
let charlie;

before(async () => {
  node = await startDevNode(['--dev-block-time', '1000']);
  api = await ApiPromise.create({ provider: new WsProvider(node.url), noInitWarn: true, throwOnConnect: true });
  const keyring = new Keyring({ type: 'sr25519', ss58Format: 7000 });
  alice = keyring.addFromUri('//Alice');
  bob = keyring.addFromUri('//Bob');
  charlie = keyring.addFromUri('//Charlie');
});

after(async () => {
  if (api) await api.disconnect();
  if (node) await node.stop();
});

/** Sends `tx`; fails with the decoded module error if it failed. */
const ok = (tx, signer) => sendOk(api, tx, signer);

/** A referendum on the parameters track (preimage, submission, decision deposit by Alice). */
const proposeParameters = (call) => propose(api, call, { Origins: 'Parameters' }, alice);

function vote(index, aye, balance, conviction) {
  return api.tx.convictionVoting.vote(index, { Standard: { vote: { aye, conviction }, balance } });
}

test('a parameters referendum passes with conviction votes and changes topics.params; a rejected one changes nothing', async () => {
  const before = (await api.query.topics.params()).createTopicFee.toBigInt();
  const passing = before + 1n;
  const failing = before + 2n;
  const yes = await proposeParameters(api.tx.topics.updateParams({ createTopicFee: passing }));
  const no = await proposeParameters(api.tx.topics.updateParams({ createTopicFee: failing }));
  assert.ok((await api.query.referenda.referendumInfoFor(yes)).unwrap().isOngoing);

  await ok(vote(yes, true, 500_000n * ALLO, 'Locked1x'), bob);
  await ok(vote(yes, true, 400_000n * ALLO, 'Locked3x'), charlie);
  await ok(vote(no, false, 500_000n * ALLO, 'Locked1x'), bob);
  await ok(vote(no, false, 400_000n * ALLO, 'None'), charlie);

  // Bob's vote locks his ALLO with conviction voting's lock.
  const locks = await api.query.balances.locks(bob.address);
  assert.ok(locks.some((l) => l.id.toUtf8() === 'pyconvot' && l.amount.toBigInt() === 500_000n * ALLO));

  await until(async () => (await api.query.referenda.referendumInfoFor(yes)).unwrap().isApproved, 'approval');
  await until(
    async () => (await api.query.topics.params()).createTopicFee.toBigInt() === passing,
    'enactment',
  );
  await until(async () => !(await api.query.referenda.referendumInfoFor(no)).unwrap().isOngoing, 'the second decision');
  assert.ok((await api.query.referenda.referendumInfoFor(no)).unwrap().isRejected);
  assert.equal((await api.query.topics.params()).createTopicFee.toBigInt(), passing);
});
