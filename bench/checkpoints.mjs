// `npm run bench:checkpoints`: what each hostile checkpoint (test/fixtures/checkpoints/hostile/,
// written by scripts/hostile-checkpoints.mjs) costs `rnn-lens inspect`, against the targets for a
// file up to 1 MB: at most 2 s and 300 MB peak, and a one-line refusal (exit 1) where one is due.
//   node bench/checkpoints.mjs [--cli path/to/cli.js] [--out file.json] [--timeout 30]
// Each file runs in a child process of its own under a 30 s limit and a 3 GB address-space cap
// (`ulimit -v`), so a hang or a blow-up is recorded as "timeout" or "OOM" instead of taking the
// machine down. Wall time and peak RSS come from /usr/bin/time when it is there, else from a
// wrapper that reads process.resourceUsage() when the CLI exits. --cli runs another build (an
// older one, to compare). Numbers are reported, never asserted; results also go to
// out/bench/checkpoints.json.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const DIR = join(root, 'test', 'fixtures', 'checkpoints', 'hostile');
const TARGET_S = 2;
const TARGET_MB = 300;
const MEMORY_CAP_KB = 3_000_000;

const args = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] ? args[i + 1] : fallback;
};
const CLI = resolve(opt('--cli', join(root, 'dist', 'cli.js')));
const OUT = resolve(opt('--out', join(root, 'out', 'bench', 'checkpoints.json')));
const TIMEOUT_S = Number(opt('--timeout', '30'));

if (!existsSync(CLI)) {
  console.error(`${CLI} is missing: run \`node esbuild.mjs\` first`);
  process.exit(1);
}
if (!existsSync(join(DIR, 'cases.json'))) {
  console.error(`${DIR}/cases.json is missing: run \`node scripts/hostile-checkpoints.mjs\``);
  process.exit(1);
}
const { cases } = JSON.parse(readFileSync(join(DIR, 'cases.json'), 'utf8'));
const TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : null;

// Without /usr/bin/time: a wrapper that runs the CLI in-process and reports its own peak RSS.
const WRAPPER = join(tmpdir(), 'rnn-lens-bench-rss.cjs');
if (!TIME) {
  writeFileSync(WRAPPER, `const t0 = Date.now();
process.on('exit', () => process.stderr.write('\\n@@bench ' + ((Date.now() - t0) / 1000) + ' ' + process.resourceUsage().maxRSS + '\\n'));
process.argv.splice(1, 1);
require(process.argv[1]);
`);
}

const sh = (s) => `'${s.replace(/'/g, "'\\''")}'`;

function runOne(file) {
  const target = join(DIR, file);
  const cmd = TIME
    ? `ulimit -v ${MEMORY_CAP_KB}; exec ${TIME} -f '@@bench %e %M' ${sh(process.execPath)} ${sh(CLI)} inspect ${sh(target)}`
    : `ulimit -v ${MEMORY_CAP_KB}; exec ${sh(process.execPath)} ${sh(WRAPPER)} ${sh(CLI)} inspect ${sh(target)}`;
  const t0 = performance.now();
  const r = spawnSync('bash', ['-c', cmd], { encoding: 'utf8', timeout: TIMEOUT_S * 1000, killSignal: 'SIGKILL', maxBuffer: 256 * 1024 * 1024 });
  const wall = (performance.now() - t0) / 1000;
  const stderr = r.stderr ?? '';
  const m = /@@bench ([\d.]+) (\d+)/.exec(stderr);
  const errLines = stderr.split('\n').filter((l) => l !== '' && !l.startsWith('@@bench') && !/^Command (exited|terminated)/.test(l));
  const timedOut = r.error?.code === 'ETIMEDOUT' || (r.signal === 'SIGKILL' && wall >= TIMEOUT_S - 0.5);
  const oom = !timedOut && (/heap out of memory|Allocation failed|Cannot allocate|RangeError: Array buffer allocation failed|std::bad_alloc/i.test(stderr) || r.signal === 'SIGABRT' || r.status === 134);
  const stack = /\n\s+at /.test(stderr);
  const outcome = timedOut ? 'timeout' : oom ? 'OOM' : `exit ${r.status ?? r.signal}`;
  const first = (errLines.find((l) => l.startsWith('rnn-lens: ')) ?? errLines[0] ?? (r.stdout ?? '').split('\n').find((l) => /recurrent layer/.test(l)) ?? '').slice(0, 160);
  return {
    file, size: statSync(target).size,
    seconds: m && !timedOut ? Number(m[1]) : wall,
    peakMB: m ? Number(m[2]) / 1024 : null,
    outcome, code: r.status, stderrLines: errLines.length, stack, first,
  };
}

console.log(`\nrnn-lens inspect on hostile checkpoints (node ${process.version}, ${cpus().length} CPUs, load average ${loadavg()[0].toFixed(1)})`);
console.log(`CLI: ${relative(process.cwd(), CLI) || CLI}; limit ${TIMEOUT_S} s and ${MEMORY_CAP_KB / 1e6} GB address space per file\n`);
const rows = [];
for (const c of cases) {
  const r = runOne(c.file);
  r.expect = c.expect;
  rows.push(r);
  process.stderr.write('.');
}
process.stderr.write('\n');

const fmtS = (r) => (r.outcome === 'timeout' ? `>${TIMEOUT_S} s` : `${r.seconds.toFixed(2)} s`);
const fmtMB = (r) => (r.peakMB === null ? 'n/a' : `${r.peakMB.toFixed(0)} MB`);
const ok = (r) => r.outcome !== 'timeout' && r.outcome !== 'OOM' && r.seconds <= TARGET_S && (r.peakMB ?? 0) <= TARGET_MB;
console.log('| file | size | time | peak RSS | target (≤ 2 s, ≤ 300 MB) | outcome | stderr lines | first line |');
console.log('| --- | --- | --- | --- | --- | --- | --- | --- |');
for (const r of rows) {
  const text = r.first.replace(/\|/g, '\\|');
  console.log(`| ${r.file} | ${(r.size / 1024).toFixed(1)} KiB | ${fmtS(r)} | ${fmtMB(r)} | ${ok(r) ? 'ok' : 'NOT MET'} | ${r.outcome}${r.stack ? ', stack trace' : ''} | ${r.stderrLines} | ${text} |`);
}
const met = rows.filter(ok).length;
console.log(`\n${met} of ${rows.length} within the targets; ${rows.filter((r) => r.outcome === 'timeout').length} timeouts, ${rows.filter((r) => r.outcome === 'OOM').length} OOM, ${rows.filter((r) => r.stack).length} stack traces`);
mkdirSync(dirname(OUT), { recursive: true });
writeFileSync(OUT, `${JSON.stringify({ cli: CLI, node: process.version, targets: { seconds: TARGET_S, peakMB: TARGET_MB }, rows }, null, 2)}\n`);
console.log(`wrote ${relative(process.cwd(), OUT) || OUT}`);
