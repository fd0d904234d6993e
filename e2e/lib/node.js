// Starts and stops an allora-node for a test: free ports, a temporary base path, and a
// guaranteed kill (also when the test fails or the runner is interrupted).
import { spawn } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';

/** The release node binary: $ALLORA_NODE, else $CARGO_TARGET_DIR/release/allora-node. */
export function nodeBinary() {
  if (process.env.ALLORA_NODE) return process.env.ALLORA_NODE;
  const target = process.env.CARGO_TARGET_DIR || join(homedir(), '.cache', 'allora-target');
  const bin = join(target, 'release', 'allora-node');
  if (!existsSync(bin)) {
    throw new Error(`allora-node not found at ${bin}: build it with cargo build --release -p allora-node`);
  }
  return bin;
}

/** A TCP port that is free on 127.0.0.1 right now. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

const running = new Set();
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, () => { for (const n of running) n.kill('SIGKILL'); process.exit(1); });
}
process.on('exit', () => { for (const n of running) n.kill('SIGKILL'); });

/**
 * Spawns `allora-node` with `args`, keeps its last output, and resolves once its RPC server
 * listens (rejects after 60 s or if it exits, killing it). The process is killed when the test
 * runner exits; `stop(signal)` stops it (SIGINT: clean shutdown, SIGKILL: a crash).
 */
export async function spawnNode(args, label) {
  const child = spawn(nodeBinary(), args, { stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  let log = '';
  const onData = (d) => { log += d.toString(); if (log.length > 400_000) log = log.slice(-200_000); };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  const proc = {
    child,
    log: () => log,
    async stop(signal = 'SIGINT') {
      running.delete(child);
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill(signal);
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        await exited;
        clearTimeout(timer);
      }
    },
  };
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${label} did not start RPC in 60 s:\n${log.slice(-4000)}`)), 60_000);
    const check = () => { if (/Running JSON-RPC server/.test(log)) { clearTimeout(timer); resolve(); } };
    child.stdout.on('data', check);
    child.stderr.on('data', check);
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`${label} exited with ${code}:\n${log.slice(-4000)}`)); });
  }).catch(async (e) => { await proc.stop('SIGKILL'); throw e; });
  return proc;
}

/**
 * Starts `allora-node --dev` on free ports; resolves once its RPC server listens. With
 * `$ALLORA_E2E_KEEP_CHAINS` set, a node started with `keepAs` keeps its chain in
 * `$ALLORA_E2E_KEEP_CHAINS/<keepAs>` after it stops (the try-runtime step replays it).
 */
export async function startDevNode(extraArgs = [], { keepAs } = {}) {
  const [rpcPort, p2pPort, promPort] = [await freePort(), await freePort(), await freePort()];
  const keepDir = process.env.ALLORA_E2E_KEEP_CHAINS;
  const keep = Boolean(keepDir && keepAs);
  let basePath;
  if (keep) {
    basePath = join(keepDir, keepAs);
    rmSync(basePath, { recursive: true, force: true });
    mkdirSync(basePath, { recursive: true });
  } else {
    basePath = mkdtempSync(join(tmpdir(), 'allora-e2e-'));
  }
  const args = [
    '--dev', '--base-path', basePath,
    '--rpc-port', String(rpcPort),
    '--prometheus-port', String(promPort),
    '--no-telemetry', '--no-mdns', '--listen-addr', `/ip4/127.0.0.1/tcp/${p2pPort}`,
    ...extraArgs,
  ];
  let proc;
  try {
    proc = await spawnNode(args, 'node');
  } catch (e) {
    if (!keep) rmSync(basePath, { recursive: true, force: true });
    throw e;
  }
  return {
    child: proc.child, rpcPort, promPort, basePath,
    url: `ws://127.0.0.1:${rpcPort}`,
    log: proc.log,
    async stop() {
      await proc.stop('SIGINT');
      if (!keep) rmSync(basePath, { recursive: true, force: true });
    },
  };
}
