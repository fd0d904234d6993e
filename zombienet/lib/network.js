// A local multi-validator network of allora-node processes (native, no containers): a chain
// spec generated from the `local` preset with N genesis validators and a short clock, nodes
// on free ports bootstrapped from the first one, and a guaranteed kill of everything started.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Keyring } from '@polkadot/keyring';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { nodeBinary, freePort, spawnNode } from '../../e2e/lib/node.js';

/** What each genesis validator bonds: the presets' 5 000 ALLO. */
export const GENESIS_BOND = 5000n * 10n ** 18n;

// Node key of the first node and its libp2p peer id (a fixed test key, as in the README).
const BOOT_KEY = '0000000000000000000000000000000000000000000000000000000000000001';
const BOOT_PEER = '12D3KooWEyoppNCUx8Yx66oV9fJnriXwCcXwDDUA2kj6vnc6iDEp';

/**
 * JSON with integers above 2^53 (balances in base units) kept exact: they are quoted with a
 * marker before parsing and unquoted after serialising.
 */
const BIG = '#big#';
function parseExact(text) {
  return JSON.parse(text.replace(/(?<=[:[,\s])(\d{16,})(?=[,\]}\s])/g, `"${BIG}$1"`));
}
function stringifyExact(value) {
  return JSON.stringify(value, null, 1).replace(new RegExp(`"${BIG}(\\d+)"`, 'g'), '$1');
}
/** An exact big integer for `stringifyExact`. */
export const big = (n) => `${BIG}${BigInt(n)}`;

/**
 * Writes a plain chain spec: the `local` preset with `validators` (dev names, e.g. 'Alice')
 * as the genesis validators (session keys //Name, 5 000 ALLO bonded each), `epochDuration`
 * blocks per session and `sessionsPerEra` sessions per era.
 */
export async function writeChainSpec(dir, { validators, epochDuration, sessionsPerEra }) {
  await cryptoWaitReady();
  const sr = new Keyring({ type: 'sr25519' });
  const ed = new Keyring({ type: 'ed25519' });
  const spec = parseExact(execFileSync(nodeBinary(), ['export-chain-spec', '--chain', 'local'], {
    maxBuffer: 64 * 1024 * 1024,
  }).toString());
  const patch = spec.genesis.runtimeGenesis.patch;
  const accounts = validators.map((name) => sr.addFromUri(`//${name}`).address);
  patch.session.keys = validators.map((name, i) => [accounts[i], accounts[i], {
    babe: sr.addFromUri(`//${name}`).address,
    grandpa: ed.addFromUri(`//${name}`).address,
  }]);
  patch.staking.stakers = accounts.map((a) => [a, a, big(GENESIS_BOND), 'Validator']);
  patch.timing = { epochDuration, sessionsPerEra };
  spec.name = 'Allora Zombienet';
  spec.id = 'allora_zombienet';
  spec.bootNodes = [];
  const path = join(dir, 'chain-spec.json');
  writeFileSync(path, stringifyExact(spec));
  return path;
}

/** Starts one node of the network; resolves once its RPC server listens. */
export async function startNode(network, name, { devKeys = true, basePath } = {}) {
  const [rpcPort, p2pPort, promPort] = [await freePort(), await freePort(), await freePort()];
  const first = network.nodes.size === 0 && !network.bootAddr;
  const args = [
    '--chain', network.spec,
    '--base-path', basePath || join(network.dir, name.toLowerCase()),
    '--name', name,
    '--validator',
    '--rpc-port', String(rpcPort),
    '--prometheus-port', String(promPort),
    '--listen-addr', `/ip4/127.0.0.1/tcp/${p2pPort}`,
    '--no-telemetry', '--no-mdns',
    '--rpc-methods', 'unsafe',
  ];
  // `--alice` style: the dev session keys of that name in the node's keystore.
  if (devKeys) args.push(`--${name.toLowerCase()}`);
  // A fixed, distinct network key per node (an authority refuses to start without one).
  const nodeKey = (network.nodes.size + 1).toString(16).padStart(64, '0');
  args.push('--node-key', nodeKey);
  if (first) {
    if (nodeKey !== BOOT_KEY) throw new Error('the first node must use the boot key');
    network.bootAddr = `/ip4/127.0.0.1/tcp/${p2pPort}/p2p/${BOOT_PEER}`;
  } else {
    args.push('--bootnodes', network.bootAddr);
  }
  return launch(network, name, args, rpcPort);
}

/** Restarts a killed node with its arguments, database and keystore. */
export function restartNode(network, node) {
  return launch(network, node.name, node.args, node.rpcPort);
}

async function launch(network, name, args, rpcPort) {
  const proc = await spawnNode(args, name);
  const node = {
    name, rpcPort, args,
    child: proc.child,
    url: `ws://127.0.0.1:${rpcPort}`,
    log: proc.log,
    /** Kills the process (SIGKILL: a crash, not a clean shutdown). */
    kill: () => proc.stop('SIGKILL'),
  };
  network.nodes.set(name, node);
  return node;
}

/** A network of `validators` (dev names) with a short clock; `stop()` kills every node. */
export async function startNetwork({ validators, epochDuration, sessionsPerEra }) {
  const dir = mkdtempSync(join(tmpdir(), 'allora-zombienet-'));
  const spec = await writeChainSpec(dir, { validators, epochDuration, sessionsPerEra });
  const network = { dir, spec, nodes: new Map() };
  network.stop = async () => {
    for (const n of network.nodes.values()) await n.kill();
    if (!process.env.ALLORA_ZOMBIENET_KEEP) rmSync(dir, { recursive: true, force: true });
  };
  try {
    for (const v of validators) await startNode(network, v);
  } catch (e) {
    await network.stop();
    throw e;
  }
  return network;
}
