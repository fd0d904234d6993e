// A runtime upgrade through a referendum on a live dev chain: Alice notes a preimage of
// system.authorizeUpgrade(hash of the new wasm) and submits it on the root track, Bob and
// Charlie vote for it; once enacted, Alice submits system.applyAuthorizedUpgrade(code). The new
// runtime (this runtime built with the `upgrade-test` feature: spec_version + 1 and a migration
// that writes a marker) reports its spec_version, the chain keeps producing and finalizing
// blocks, and the storage the migration wrote reads back. The wasm comes from
// $ALLORA_UPGRADE_WASM (scripts/build-upgrade-test-wasm.sh, run by the test command).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { ApiPromise, WsProvider, Keyring } from '@polkadot/api';
import { blake2AsHex } from '@polkadot/util-crypto';
import { stringToHex, u8aToHex } from '@polkadot/util';
import { startDevNode } from '../lib/node.js';
import { sendOk, waitForFinalized, until, propose } from '../lib/chain.js';

const ALLO = 10n ** 18n;
let node;
let api;
let alice;
let bob;
let charlie;
let code;

before(async () => {
  const path = process.env.ALLORA_UPGRADE_WASM;
  if (!path || !existsSync(path)) {
    throw new Error(`the upgrade wasm ($ALLORA_UPGRADE_WASM=${path}) is missing: run bash scripts/build-upgrade-test-wasm.sh`);
  }
  code = readFileSync(path);
  node = await startDevNode();
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

const ok = (tx, signer) => sendOk(api, tx, signer, 120_000);

test('a root referendum upgrades the runtime of a live chain; it keeps finalizing and the migration ran', async () => {
  const before = (await api.rpc.state.getRuntimeVersion()).specVersion.toNumber();
  const codeHash = blake2AsHex(code, 256);

  const index = await propose(api, api.tx.system.authorizeUpgrade(codeHash), { system: 'Root' }, alice, 120_000);
  for (const voter of [bob, charlie]) {
    await ok(api.tx.convictionVoting.vote(index, { Standard: { vote: { aye: true, conviction: 'Locked1x' }, balance: 500_000n * ALLO } }), voter);
  }

  // Enacted: the upgrade is authorized for exactly this code.
  await until(async () => {
    const auth = await api.query.system.authorizedUpgrade();
    return auth.isSome && auth.unwrap().codeHash.toHex() === codeHash;
  }, 'the authorized upgrade', 420_000);
  await ok(api.tx.system.applyAuthorizedUpgrade(u8aToHex(code)), alice);

  await until(async () => (await api.rpc.state.getRuntimeVersion()).specVersion.toNumber() === before + 1, 'the new spec_version', 420_000);
  // The chain keeps producing and finalizing blocks on the new runtime.
  const head = (await api.rpc.chain.getHeader()).number.toNumber();
  await waitForFinalized(api, head + 3, 120_000);
  // The upgrade's migration ran once, at the first block of the new runtime.
  const marker = await api.rpc.state.getStorage(stringToHex(':allora:upgrade-test'));
  // SCALE-encoded u32 (little-endian), read back as the new spec_version.
  assert.equal(api.createType('u32', marker.unwrap()).toNumber(), before + 1);
  assert.equal((await api.query.system.lastRuntimeUpgrade()).unwrap().specVersion.toNumber(), before + 1);
});
