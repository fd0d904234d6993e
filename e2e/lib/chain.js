// Small Polkadot.js helpers shared by the end-to-end tests.

import { blake2AsHex } from '@polkadot/util-crypto';

/** Resolves with the first finalized header whose number is >= n (rejects after timeoutMs). */
export function waitForFinalized(api, n, timeoutMs = 120_000) {
  return new Promise((resolve, reject) => {
    let unsub = () => {};
    const timer = setTimeout(() => { unsub(); reject(new Error(`no finalized block >= ${n} in ${timeoutMs} ms`)); }, timeoutMs);
    api.rpc.chain.subscribeFinalizedHeads((header) => {
      if (header.number.toNumber() >= n) { clearTimeout(timer); unsub(); resolve(header); }
    }).then((u) => { unsub = u; });
  });
}

/**
 * Signs and sends `tx`; resolves when it is in a block (or finalized) with { blockHash, events,
 * dispatchError }.
 * Rejects when the pool refuses it (invalid, e.g. the sender cannot pay the fee).
 */
export function sendAndWait(api, tx, signer, timeoutMs = 60_000) {
  return new Promise((resolve, reject) => {
    let unsub = () => {};
    const timer = setTimeout(() => { unsub(); reject(new Error('transaction not included in time')); }, timeoutMs);
    tx.signAndSend(signer, (result) => {
      const { status, events, dispatchError } = result;
      // A chain that finalizes each block at once (the fast development mode) may report a
      // transaction finalized without reporting it in a block first.
      if (status.isInBlock || status.isFinalized) {
        clearTimeout(timer); unsub();
        resolve({ blockHash: status.isInBlock ? status.asInBlock : status.asFinalized, events, dispatchError });
      } else if (status.isInvalid || status.isDropped || status.isUsurped) {
        clearTimeout(timer); unsub();
        reject(new Error(`transaction ${status.type}`));
      }
    }).then((u) => { unsub = u; }).catch((e) => { clearTimeout(timer); reject(e); });
  });
}

/** Sends `tx` like sendAndWait; throws, naming the decoded module error, when it failed. */
export async function sendOk(api, tx, signer, timeoutMs = 60_000) {
  const r = await sendAndWait(api, tx, signer, timeoutMs);
  if (r.dispatchError) {
    const e = r.dispatchError.isModule ? api.registry.findMetaError(r.dispatchError.asModule) : null;
    throw new Error(`${tx.method.section}.${tx.method.method} failed: ${e ? `${e.section}.${e.name}` : r.dispatchError.toString()}`);
  }
  return r;
}

/** The free balance of `who` at `blockHash` (or at the best block) as a BigInt. */
export async function freeAt(api, who, blockHash) {
  const at = blockHash ? await api.at(blockHash) : api;
  const { data } = await at.query.system.account(who);
  return data.free.toBigInt();
}

/**
 * Polls every `intervalMs` (3 s by default) until `check()` is truthy (resolves with it);
 * rejects after `timeoutMs`.
 */
export async function until(check, what, timeoutMs = 300_000, intervalMs = 3_000) {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/**
 * Notes `call` (a Polkadot.js call) as a preimage, submits it as a referendum on `track` (e.g.
 * `{ Origins: 'Parameters' }` or `{ system: 'Root' }`) and places the decision deposit, all
 * signed by `signer`; resolves with the referendum index.
 */
export async function propose(api, call, track, signer, timeoutMs = 60_000) {
  const encoded = call.method.toHex();
  await sendOk(api, api.tx.preimage.notePreimage(encoded), signer, timeoutMs);
  const lookup = { Lookup: { hash: blake2AsHex(encoded), len: (encoded.length - 2) / 2 } };
  const r = await sendOk(api, api.tx.referenda.submit(track, lookup, { After: 0 }), signer, timeoutMs);
  const submitted = r.events.find(({ event }) => api.events.referenda.Submitted.is(event));
  if (!submitted) throw new Error('no referenda.Submitted event');
  const index = submitted.event.data[0].toNumber();
  await sendOk(api, api.tx.referenda.placeDecisionDeposit(index), signer, timeoutMs);
  return index;
}
