// The dev chain, end to end, through the real Polkadot.js client: it finalizes blocks, reports
// ALLO with 18 decimals, executes a transfer with the right fee, and refuses to overdraw.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ApiPromise, WsProvider, Keyring } from '@polkadot/api';
import { u8aConcat, u8aEq, stringToU8a } from '@polkadot/util';
import { startDevNode } from '../lib/node.js';
import { waitForFinalized, sendAndWait, freeAt } from '../lib/chain.js';

const ALLO = 10n ** 18n;
let node;
let api;
let keyring;

before(async () => {
  node = await startDevNode();
  api = await ApiPromise.create({ provider: new WsProvider(node.url), noInitWarn: true, throwOnConnect: true });
  keyring = new Keyring({ type: 'sr25519', ss58Format: 7000 });
});

after(async () => {
  if (api) await api.disconnect();
  if (node) await node.stop();
});

test('the dev chain produces and finalizes blocks', async () => {
  const header = await waitForFinalized(api, 2);
  assert.ok(header.number.toNumber() >= 2);
});

test('system_properties reports ALLO with 18 decimals and the ss58 prefix', async () => {
  const props = await api.rpc.system.properties();
  assert.deepEqual(props.tokenSymbol.unwrap().toJSON(), ['ALLO']);
  assert.deepEqual(props.tokenDecimals.unwrap().toJSON(), [18]);
  assert.equal(props.ss58Format.unwrap().toNumber(), 7000);
  assert.equal(api.registry.chainDecimals[0], 18);
  assert.equal(api.registry.chainTokens[0], 'ALLO');
  assert.equal((await api.rpc.system.chain()).toString(), 'Allora Development');
});

test('a transfer from Alice to Bob moves the amount and charges the reported fee', async () => {
  const alice = keyring.addFromUri('//Alice');
  const bob = keyring.addFromUri('//Bob');
  const amount = 12n * ALLO + 345n;

  const tx = api.tx.balances.transferKeepAlive(bob.address, amount);
  const estimate = (await tx.paymentInfo(alice)).partialFee.toBigInt();

  const { blockHash, events, dispatchError } = await sendAndWait(api, tx, alice);
  assert.equal(dispatchError, undefined);

  const header = await api.rpc.chain.getHeader(blockHash);
  const parent = header.parentHash;
  const [aliceBefore, bobBefore] = [await freeAt(api, alice.address, parent), await freeAt(api, bob.address, parent)];
  const [aliceAfter, bobAfter] = [await freeAt(api, alice.address, blockHash), await freeAt(api, bob.address, blockHash)];

  const feeEvent = events.find(({ event }) => api.events.transactionPayment.TransactionFeePaid.is(event));
  assert.ok(feeEvent, 'TransactionFeePaid event');
  const [who, actualFee, tip] = feeEvent.event.data;
  assert.equal(who.toString(), alice.address);
  const fee = actualFee.toBigInt();
  assert.equal(tip.toBigInt(), 0n);

  const transfer = events.find(({ event }) => api.events.balances.Transfer.is(event));
  assert.ok(transfer, 'Transfer event');
  assert.equal(transfer.event.data[2].toBigInt(), amount);

  assert.equal(bobAfter - bobBefore, amount);
  assert.equal(aliceBefore - aliceAfter, amount + fee);
  // The fee is not burned: the ecosystem account (PalletId "allo/eco") receives it, and the
  // emission pays it out to the network's participants before minting anything.
  const eco = u8aConcat(stringToU8a('modl'), stringToU8a('allo/eco'), new Uint8Array(20));
  const deposit = events.find(({ event }) => api.events.balances.Deposit.is(event)
    && u8aEq(event.data[0], eco));
  assert.ok(deposit, 'the fee is deposited in the ecosystem account');
  assert.equal(deposit.event.data[1].toBigInt(), fee);
  // One base extrinsic costs 0.01 ALLO at multiplier 1; a transfer costs about that plus bytes.
  assert.ok(fee > ALLO / 1000n && fee < ALLO, `fee ${fee} within (0.001, 1) ALLO`);
  // The fee multiplier may move by a tiny step between the estimate and the block.
  const diff = fee > estimate ? fee - estimate : estimate - fee;
  assert.ok(diff * 100n <= estimate, `fee ${fee} close to the estimate ${estimate}`);
});

test('a transfer larger than the balance fails with the balances error and moves nothing', async () => {
  const dave = keyring.addFromUri('//Dave');
  const eve = keyring.addFromUri('//Eve');
  const daveBalance = await freeAt(api, dave.address);
  const tx = api.tx.balances.transferAllowDeath(eve.address, daveBalance * 2n);

  const { blockHash, events, dispatchError } = await sendAndWait(api, tx, dave);
  assert.ok(dispatchError, 'the transfer must fail');
  // pallet-balances implements transfers through the fungible traits: an overdraft is
  // `TokenError::FundsUnavailable`, emitted by the balances pallet's ExtrinsicFailed.
  assert.ok(dispatchError.isToken, `unexpected error ${dispatchError.toString()}`);
  assert.equal(dispatchError.asToken.type, 'FundsUnavailable');
  assert.ok(events.some(({ event }) => api.events.system.ExtrinsicFailed.is(event)));
  assert.ok(!events.some(({ event }) => api.events.balances.Transfer.is(event)));

  const parent = (await api.rpc.chain.getHeader(blockHash)).parentHash;
  const fee = events.find(({ event }) => api.events.transactionPayment.TransactionFeePaid.is(event))
    .event.data[1].toBigInt();
  assert.equal(await freeAt(api, eve.address, blockHash), await freeAt(api, eve.address, parent));
  // Only the fee for including the failed call left Dave's account.
  assert.equal((await freeAt(api, dave.address, parent)) - (await freeAt(api, dave.address, blockHash)), fee);
});

test('a transfer from an account that cannot pay the fee is refused by the pool', async () => {
  const pauper = keyring.addFromUri('//AlloraE2eNobody');
  const bob = keyring.addFromUri('//Bob');
  const bobBefore = await freeAt(api, bob.address);
  await assert.rejects(
    sendAndWait(api, api.tx.balances.transferKeepAlive(bob.address, ALLO), pauper),
    /Inability to pay some fees|1010/,
  );
  assert.equal(await freeAt(api, pauper.address), 0n);
  assert.equal(await freeAt(api, bob.address), bobBefore);
});

test('staking as Polkadot.js Apps sees it: Alice validates, Bob bonds and nominates her', async () => {
  const alice = keyring.addFromUri('//Alice');
  const bob = keyring.addFromUri('//Bob');
  // The genesis validator: bonded, validating, elected for the active era.
  const active = (await api.query.staking.activeEra()).unwrap().index.toNumber();
  const validators = (await api.query.session.validators()).map((v) => v.toString());
  assert.deepEqual(validators, [alice.address]);
  const ledger = (await api.query.staking.ledger(alice.address)).unwrap();
  assert.equal(ledger.active.toBigInt(), 5000n * ALLO);
  assert.ok((await api.query.staking.validators.entries()).some(([k]) => k.args[0].toString() === alice.address));
  const overview = (await api.query.staking.erasStakersOverview(active, alice.address)).unwrap();
  assert.ok(overview.total.toBigInt() > 4999n * ALLO);
  assert.equal((await api.query.staking.validatorCount()).toNumber(), 10);
  assert.equal((await api.query.staking.minValidatorBond()).toBigInt(), 1000n * ALLO);
  // The runtime API the Staking tab calls.
  assert.equal((await api.call.stakingApi.nominationsQuota(100n * ALLO)).toNumber(), 16);
  assert.equal((await api.call.stakingApi.erasStakersPageCount(active, alice.address)).toNumber(), 1);

  // Bob bonds 100 ALLO and nominates Alice in one batch.
  const tx = api.tx.utility.batchAll([
    api.tx.staking.bond(100n * ALLO, 'Stash'),
    api.tx.staking.nominate([alice.address]),
  ]);
  const { events, dispatchError } = await sendAndWait(api, tx, bob);
  assert.equal(dispatchError, undefined);
  assert.ok(events.some(({ event }) => api.events.staking.Bonded.is(event)));
  const nominations = (await api.query.staking.nominators(bob.address)).unwrap();
  assert.deepEqual(nominations.targets.map((t) => t.toString()), [alice.address]);
  // Below the nominator minimum (10 ALLO) nomination is refused with its error.
  const eve = keyring.addFromUri('//Eve');
  const small = api.tx.utility.batchAll([
    api.tx.staking.bond(ALLO, 'Stash'),
    api.tx.staking.nominate([alice.address]),
  ]);
  const refused = await sendAndWait(api, small, eve);
  assert.ok(refused.dispatchError && refused.dispatchError.isModule);
  assert.equal(api.registry.findMetaError(refused.dispatchError.asModule).name, 'InsufficientBond');
  assert.ok((await api.query.staking.nominators(eve.address)).isNone);
});
