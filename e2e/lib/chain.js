// Small Polkadot.js helpers shared by the end-to-end tests.

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
