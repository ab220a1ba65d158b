// Hosts on one machine, for the tests of jobs across hosts (issue #13, docs/hosts-design.md "Tests:
// hosts on one machine"). Each host is a long-lived holder process (`unshare`) in namespaces of its
// own: network (its own interfaces and ports), UTS (its own host name), mount (its own tmpfs on /tmp,
// propagation private, and its own /proc) and PID (its own process numbers: a pid read on one host
// means nothing on another, as on real hosts). The hosts' `eth0`s are veth pairs plugged into a
// bridge that lives in a network namespace of its own, so the machine's own network is never touched
// (no link, route or named namespace is added to it). Addresses come from 192.0.2.0/24 (TEST-NET-1, a
// documentation range that leads nowhere). Commands run on a host through `nsenter` into its holder.
//
// What it may touch: it starts `unshare` and `nsenter` processes and ends them, and nothing else.
// Ending a holder ends its host: the kernel kills every process of a PID namespace when its first
// process exits, and frees the namespaces and their links with the last one. A holder also ends
// when its stdin closes, so a test runner killed with -9 leaves no host behind, and nothing is named
// on the machine, so a leftover can never collide with the next run.
//
// The folders every host shares live outside /tmp (each host has its own): `shared` is a scratch
// folder under the checkout's .tmp/, as the other tests use (test/helpers/build.mjs scratch); the
// checkout, node and its modules are seen by every host at the same paths.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT, scratch } from './build.mjs';
import { killGroup } from './process-group.mjs';
import { collect, WAIT_MS } from './socket.mjs';

/** The hosts' network: host i (from 0) gets `192.0.2.${i + 1}`. */
export const SUBNET = '192.0.2.0/24';
const PREFIX = '192.0.2.';

/** The namespaces a host has; `nsenter` enters them all. */
const HOST_NS = ['--net', '--uts', '--mount', '--pid'];

function onPath(cmd) {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' }).status === 0;
}

let support;
/**
 * Why this machine cannot make hosts (undefined when it can): the commands are missing, or a probe
 * that makes every kind of namespace, a tmpfs, a veth pair and a bridge fails (not root, no
 * CAP_SYS_ADMIN / CAP_NET_ADMIN, a seccomp filter, no veth module). Probed once per process.
 */
export function hostsUnsupported() {
  if (support !== undefined) return support || undefined;
  if (process.platform !== 'linux') return (support = `namespaces need Linux (this is ${process.platform})`);
  for (const [cmd, pkg] of [
    ['ip', 'iproute2'],
    ['unshare', 'util-linux'],
    ['nsenter', 'util-linux'],
  ]) {
    if (!onPath(cmd)) return (support = `\`${cmd}\` is not installed (Debian package ${pkg})`);
  }
  const probe = spawnSync(
    'unshare',
    [
      ...HOST_NS,
      '--fork',
      '--mount-proc',
      '--propagation',
      'private',
      'sh',
      '-ec',
      'hostname ts-pdb-probe; mount -t tmpfs tmpfs /tmp; ip link set lo up; ' +
        'ip link add probe-a type veth peer name probe-b; ip link add probe-br type bridge; ip link set probe-a master probe-br',
    ],
    { encoding: 'utf8', timeout: WAIT_MS },
  );
  if (probe.status !== 0) {
    const why = (probe.stderr || probe.error?.message || `exit ${probe.status}`).trim().split('\n')[0];
    return (support = `cannot make namespaces here (${process.getuid?.() === 0 ? 'as root' : 'not root'}): ${why}`);
  }
  support = '';
  return undefined;
}

/** Runs `cmd` to its end; throws with its stderr when it fails. */
function must(cmd, args) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: WAIT_MS });
  if (r.status !== 0)
    throw new Error(`hosts: \`${cmd} ${args.join(' ')}\` failed (${r.status ?? r.signal}): ${r.stderr || r.error?.message}`);
  return r.stdout;
}

/** The pids of the processes whose network namespace is `netns` (as `readlink /proc/PID/ns/net` shows it, `net:[N]`). */
export function processesInNetns(netns) {
  const pids = [];
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      if (fs.readlinkSync(`/proc/${name}/ns/net`) === netns) pids.push(Number(name));
    } catch {
      /* gone meanwhile, or a kernel thread */
    }
  }
  return pids;
}

function childrenOf(pid) {
  const kids = [];
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${name}/stat`, 'utf8');
      if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === pid) kids.push(Number(name));
    } catch {
      /* gone meanwhile */
    }
  }
  return kids;
}

/**
 * Starts a holder: `unshare` with `args` running `script` (sh), which prints `ready` once set up
 * and then reads its stdin until it closes. Resolves to the holder's process (`unshare`) and the pid
 * of the process inside the namespaces (the shell: `unshare --fork` runs it as a child).
 */
/**
 * The shell lines that give a host its own /tmp, keeping the checkout seen at its path when it lives
 * under /tmp (a CI clone in /tmp/...): the new tmpfs is first mounted on a stand-in folder (`/mnt`,
 * or another that exists), the checkout is bound into it at its place, and the tmpfs with the
 * checkout inside is then moved onto /tmp. (A mount of the hidden original after the fact cannot be
 * made: its mount belongs to the machine's namespace.)
 */
function privateTmpScript() {
  const rel = path.relative('/tmp', ROOT);
  if (rel.startsWith('..') || path.isAbsolute(rel)) return 'mount -t tmpfs -o mode=1777 tmpfs /tmp';
  const stage = ['/mnt', '/media', '/srv', '/opt'].find((d) => fs.existsSync(d));
  assert.ok(stage, 'hosts: the checkout is under /tmp and no stand-in folder (/mnt, /media, /srv, /opt) exists');
  const q = (p) => `'${p.replace(/'/g, `'\\''`)}'`;
  return [
    `mount -t tmpfs -o mode=1777 tmpfs ${stage}`,
    `mkdir -p ${q(path.join(stage, rel))}`,
    `mount --rbind ${q(ROOT)} ${q(path.join(stage, rel))}`,
    `mount --move ${stage} /tmp`,
  ].join('\n');
}

async function startHolder(args, script, what) {
  const child = spawn('unshare', [...args, 'sh', '-ec', `${script}\necho ready\nread line || true`], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const out = collect(child.stdout, `${what} (stdout)`);
  const err = collect(child.stderr, `${what} (stderr)`);
  const ended = new Promise((resolve) => child.on('close', (code, signal) => resolve(code ?? signal)));
  const code = await Promise.race([out.until(/^ready$/m).then(() => undefined), ended]);
  if (code !== undefined) throw new Error(`hosts: ${what} did not start (${code}): ${err.text.trim()}`);
  const forked = args.includes('--fork');
  const inner = forked ? childrenOf(child.pid)[0] : child.pid;
  if (!inner) throw new Error(`hosts: ${what} has no process inside its namespaces`);
  return { child, inner, ended, err };
}

/**
 * Makes hosts for the test `t`: `names` (each a host name, a-z, 0-9 and `-`, up to 12 characters),
 * in that order, host i at `192.0.2.${i + 1}`. They are removed when the test ends (`t.after`), pass
 * or fail, and by `teardown()` before that.
 *
 * Where the machine cannot make namespaces, the test is skipped with the reason (`t.skip`) and the
 * result is undefined; under CI=true (.ci/run runs as root, where it can) the test fails instead.
 *
 * @param {import('node:test').TestContext} t
 * @param {{ names?: string[] }} [options] default `['alpha', 'beta']`
 * @returns {Promise<undefined | { hosts: Host[], byName: Record<string, Host>, shared: string,
 *   bridge: { pid: number, netns: string }, teardown(): Promise<void> }>}
 *   `shared`: a fresh folder under the checkout's .tmp/ that every host sees (a shared registry,
 *   the job's project).
 *
 * A `Host`: `{ name, address, pid, netns, spawn, run }`
 * - `name`: its host name (`os.hostname()` there); `address`: its IPv4 address on the bridge;
 *   `pid`: the machine's pid of the process holding its namespaces; `netns`: `net:[N]`.
 * - `spawn(cmd, args, opts)`: a ChildProcess running `cmd` on the host. opts: `cwd` (default the
 *   checkout), `env` (default process.env), `stdio` (default all pipes). The process is `nsenter`,
 *   which runs `cmd` as its child in a process group of its own: `child.kill()` reaches nsenter
 *   only; `killGroup(child, signal)` (process-group.mjs) reaches both. Pids the command prints are
 *   the host's own (to signal it, `host.run('kill', ['-9', pid])`).
 * - `run(cmd, args, opts)`: spawns and waits; resolves to `{ code, signal, stdout, stderr }` whatever
 *   the exit code; opts as spawn's plus `input` (written to stdin, then closed; default: stdin
 *   closed) and `timeout` (ms, default WAIT_MS: then the group is killed and the promise rejects
 *   with what was seen).
 */
export async function makeHosts(t, { names = ['alpha', 'beta'] } = {}) {
  const why = hostsUnsupported();
  if (why) {
    if (process.env.CI) assert.fail(`hosts: ${why}; CI runs as root and can make them (.ci/run installs iproute2 and util-linux)`);
    t.skip(why);
    return undefined;
  }
  for (const name of names) assert.match(name, /^[a-z][a-z0-9-]{0,11}$/, `hosts: bad host name ${JSON.stringify(name)}`);
  assert.equal(new Set(names).size, names.length, 'hosts: names must differ');
  assert.ok(names.length >= 1 && names.length <= 250, 'hosts: 1 to 250 hosts');

  const holders = [];
  const started = new Set();
  let tornDown;
  const teardown = () =>
    (tornDown ??= (async () => {
      for (const child of started) killGroup(child);
      for (const h of holders) {
        h.child.stdin.destroy();
        // The shell inside is its PID namespace's first process: SIGKILL ends it and the kernel ends
        // every process of the host with it; unshare, its parent, reaps it and exits.
        try {
          process.kill(h.inner, 'SIGKILL');
        } catch {
          /* already gone */
        }
      }
      await Promise.all(holders.map((h) => h.ended));
      // The namespaces go with their last process (nsenter children in the middle of exiting, too).
      const deadline = Date.now() + WAIT_MS;
      for (const h of holders) {
        while (h.netns && processesInNetns(h.netns).length > 0) {
          if (Date.now() > deadline) throw new Error(`hosts: processes still in ${h.what}: ${processesInNetns(h.netns).join(', ')}`);
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
      }
    })());
  t.after(teardown);

  // The bridge: a network namespace with one bridge, into which every host's veth is plugged.
  const bridge = await startHolder(['--net'], 'ip link set lo up\nip link add br0 type bridge\nip link set br0 up', 'the bridge');
  bridge.netns = fs.readlinkSync(`/proc/${bridge.inner}/ns/net`);
  holders.push({ ...bridge, what: 'the bridge' });
  const inBridge = (...args) => must('nsenter', ['--target', String(bridge.inner), '--net', 'ip', ...args]);

  const hosts = [];
  for (const [i, name] of names.entries()) {
    const address = PREFIX + (i + 1);
    const h = await startHolder(
      [...HOST_NS, '--fork', '--mount-proc', '--propagation', 'private'],
      // Its own host name, its own /tmp (sticky and writable by all, as a real /tmp), loopback up.
      `hostname ${name}\n${privateTmpScript()}\nip link set lo up`,
      `host ${name}`,
    );
    const netns = fs.readlinkSync(`/proc/${h.inner}/ns/net`);
    holders.push({ ...h, netns, what: `host ${name}` });
    // The pair is made in the bridge's namespace with its other end sent straight into the host's,
    // so no link ever appears on the machine itself. (Names are per namespace: no collisions.)
    inBridge('link', 'add', `v-${name}`, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', String(h.inner));
    inBridge('link', 'set', `v-${name}`, 'master', 'br0', 'up');
    const inHost = ['nsenter', '--target', String(h.inner), '--net', 'ip'];
    must(inHost[0], [...inHost.slice(1), 'addr', 'add', `${address}/24`, 'dev', 'eth0']);
    must(inHost[0], [...inHost.slice(1), 'link', 'set', 'eth0', 'up']);

    const host = {
      name,
      address,
      pid: h.inner,
      netns,
      spawn(cmd, args = [], { cwd = ROOT, env = process.env, stdio = ['pipe', 'pipe', 'pipe'] } = {}) {
        assert.ok(!tornDown, `hosts: ${name} is torn down`);
        const child = spawn('nsenter', ['--target', String(h.inner), ...HOST_NS, `--wd=${cwd}`, '--', cmd, ...args], {
          detached: true,
          cwd,
          env,
          stdio,
        });
        started.add(child);
        child.on('close', () => started.delete(child));
        return child;
      },
      run(cmd, args = [], { input, timeout = WAIT_MS, ...opts } = {}) {
        const child = host.spawn(cmd, args, opts);
        let stdout = '';
        let stderr = '';
        child.stdout?.setEncoding('utf8').on('data', (d) => (stdout += d));
        child.stderr?.setEncoding('utf8').on('data', (d) => (stderr += d));
        child.stdin?.on('error', () => {}).end(input);
        return new Promise((resolve, reject) => {
          const timer = setTimeout(() => {
            killGroup(child);
            reject(
              new Error(`${name}: \`${cmd} ${args.join(' ')}\` still running after ${timeout} ms; stdout:\n${stdout}\nstderr:\n${stderr}`),
            );
          }, timeout);
          child.on('error', (e) => {
            clearTimeout(timer);
            reject(e);
          });
          child.on('close', (code, signal) => {
            clearTimeout(timer);
            resolve({ code, signal, stdout, stderr });
          });
        });
      },
    };
    hosts.push(host);
  }
  return {
    hosts,
    byName: Object.fromEntries(hosts.map((h) => [h.name, h])),
    shared: scratch('hosts-shared-'),
    bridge: { pid: bridge.inner, netns: bridge.netns },
    teardown,
  };
}
