// The fast development mode: `allora-node --dev --dev-block-time 250` seals a block every
// 250 ms with BABE digests, one slot (6 s of chain time) per block, each block final at once;
// transactions are included as on the normal dev chain.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ApiPromise, WsProvider, Keyring } from '@polkadot/api';
import { startDevNode } from '../lib/node.js';
import { sendOk } from '../lib/chain.js';

let node;
let api;

before(async () => {
  node = await startDevNode(['--dev-block-time', '250']);
  api = await ApiPromise.create({ provider: new WsProvider(node.url), noInitWarn: true, throwOnConnect: true });
});

after(async () => {
  if (api) await api.disconnect();
  if (node) await node.stop();
});

test('blocks come every 250 ms, each one slot later and final at once', async () => {
  const started = Date.now();
  const start = (await api.rpc.chain.getHeader()).number.toNumber();
  // 40 blocks: four minutes on the normal dev chain, about ten seconds here.
  let best = start;
  while (best < start + 40) {
    assert.ok(Date.now() - started < 40_000, `only ${best - start} blocks in 40 s`);
    await new Promise((r) => setTimeout(r, 500));
    best = (await api.rpc.chain.getHeader()).number.toNumber();
  }
  const finalized = (await api.rpc.chain.getHeader(await api.rpc.chain.getFinalizedHead())).number.toNumber();
  assert.ok(finalized >= best - 1, `finalized ${finalized}, best ${best}`);

  // Chain time: one slot (6 000 ms) per block, slot numbers consecutive.
  const at = async (n) => api.at(await api.rpc.chain.getBlockHash(n));
  const [a, b] = [await at(best - 1), await at(best)];
  assert.equal((await b.query.timestamp.now()).toNumber() - (await a.query.timestamp.now()).toNumber(), 6000);
  assert.equal((await b.query.babe.currentSlot()).toNumber() - (await a.query.babe.currentSlot()).toNumber(), 1);

  // A transfer is included and final within a couple of blocks.
  const keyring = new Keyring({ type: 'sr25519', ss58Format: 7000 });
  const [alice, bob] = [keyring.addFromUri('//Alice'), keyring.addFromUri('//Bob')];
  const before = (await api.query.system.account(bob.address)).data.free.toBigInt();
  await sendOk(api, api.tx.balances.transferKeepAlive(bob.address, 10n ** 18n), alice);
  const afterFree = (await api.query.system.account(bob.address)).data.free.toBigInt();
  assert.equal(afterFree - before, 10n ** 18n);
});
