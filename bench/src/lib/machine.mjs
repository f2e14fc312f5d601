// Machine facts and CPU accounting. The benchmark box is shared (other sessions run on the same
// 2 cores), so every result records load averages and CPU time next to wall time.
import { readFileSync } from 'node:fs';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { RESULTS_DIR } from './resolve.mjs';

const CLK_TCK = 100; // USER_HZ on Linux (getconf CLK_TCK)

export function machineFacts() {
  const cpus = os.cpus();
  return {
    hostname: os.hostname(),
    nproc: os.availableParallelism ? os.availableParallelism() : cpus.length,
    cpuModel: cpus[0]?.model ?? 'unknown',
    memGiB: +(os.totalmem() / 2 ** 30).toFixed(1),
    kernel: os.release(),
    node: process.version,
    loadavg: os.loadavg().map((v) => +v.toFixed(2)),
  };
}

/** CPU seconds (user + system) a live process has used so far, from /proc; undefined if gone. */
export function procCpuSeconds(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name, which is in parentheses and may hold spaces.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const utime = Number(fields[11]);
    const stime = Number(fields[12]);
    return (utime + stime) / CLK_TCK;
  } catch {
    return undefined;
  }
}

/** Whole-machine CPU counters (seconds busy and total across all cores) from /proc/stat. */
export function systemCpu() {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0];
  const v = line.trim().split(/\s+/).slice(1).map(Number);
  const idle = (v[3] ?? 0) + (v[4] ?? 0); // idle + iowait
  const total = v.slice(0, 8).reduce((a, b) => a + b, 0);
  return { busy: (total - idle) / CLK_TCK, total: total / CLK_TCK };
}

/**
 * A measurement window: wall time, the whole machine's busy CPU seconds, and this process's CPU
 * time. `end(ownPids)` also attributes CPU to the given processes (measured with procCpuSeconds
 * before/after by the caller) so that "others" = machine busy − ours.
 */
export function startWindow() {
  const t0 = performance.now();
  const sys0 = systemCpu();
  const self0 = process.cpuUsage();
  const load0 = os.loadavg();
  return {
    end(oursCpuSeconds = 0) {
      const wall = (performance.now() - t0) / 1000;
      const sys1 = systemCpu();
      const self = process.cpuUsage(self0);
      const selfCpu = (self.user + self.system) / 1e6;
      const machineBusy = sys1.busy - sys0.busy;
      const machineCapacity = sys1.total - sys0.total;
      return {
        wallS: round(wall, 3),
        driverCpuS: round(selfCpu, 2),
        measuredCpuS: round(oursCpuSeconds, 2),
        machineBusyCpuS: round(machineBusy, 2),
        machineCapacityCpuS: round(machineCapacity, 2),
        // CPU seconds used by everything else on the box during the window (other sessions).
        otherCpuS: round(Math.max(0, machineBusy - oursCpuSeconds - selfCpu), 2),
        loadavgStart: load0.map((v) => round(v, 2)),
        loadavgEnd: os.loadavg().map((v) => round(v, 2)),
      };
    },
  };
}

export function round(v, digits = 3) {
  if (v === undefined || v === null || Number.isNaN(v)) return v;
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}

/** Prints the comparison table: metric, raw, pipeline, ratio, target, pass/fail. */
export function printTable(title, rows) {
  const header = ['metric', 'raw', 'pipeline', 'ratio', 'target', 'result'];
  const body = rows.map((r) => [
    r.metric,
    fmt(r.raw),
    fmt(r.pipeline),
    fmt(r.ratio),
    r.target ?? '',
    r.pass === undefined ? '' : r.pass ? 'PASS' : 'FAIL',
  ]);
  printMarkdownTable(title, header, body);
}

/** Prints `title`, then a Markdown table with padded columns (paste-able into docs/benchmarks.md). */
export function printMarkdownTable(title, header, body) {
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => String(b[i]).length)));
  const line = (cells) => `| ${cells.map((c, i) => String(c).padEnd(widths[i])).join(' | ')} |`;
  console.log(`\n${title}`);
  console.log(line(header));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const b of body) console.log(line(b));
  console.log('');
}

function fmt(v) {
  if (typeof v !== 'number') return v ?? '';
  if (Math.abs(v) >= 100) return v.toFixed(1);
  if (Math.abs(v) >= 10) return v.toFixed(2);
  return v.toFixed(3);
}

/** Writes `results/<name>-<timestamp>.json` and `results/<name>-latest.json`. */
export function writeResult(name, result) {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const json = `${JSON.stringify(result, null, 2)}\n`;
  const path = join(RESULTS_DIR, `${name}-${stamp}.json`);
  writeFileSync(path, json);
  writeFileSync(join(RESULTS_DIR, `${name}-latest.json`), json);
  return path;
}

/** Minimal `--name value` / `--flag` parser. */
export function parseArgs(argv, defaults) {
  const out = { ...defaults };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') continue; // pnpm passes the separator through
    if (!a.startsWith('--')) throw new Error(`unexpected argument ${a}`);
    let [key, inline] = a.slice(2).split('=', 2);
    if (
      key.startsWith('no-') &&
      typeof defaults[key.slice(3).replace(/-([a-z])/g, (_, c) => c.toUpperCase())] === 'boolean'
    ) {
      key = key.slice(3);
      inline = 'false';
    }
    const name = key.replace(/-([a-z])/g, (_, c) => c.toUpperCase());
    if (!(name in defaults))
      throw new Error(`unknown option --${key} (known: ${Object.keys(defaults).join(', ')})`);
    const def = defaults[name];
    let value = inline;
    if (value === undefined) {
      if (typeof def === 'boolean')
        value = argv[i + 1] === 'true' || argv[i + 1] === 'false' ? argv[++i] : 'true';
      else value = argv[++i];
    }
    out[name] = typeof def === 'number' ? Number(value) : typeof def === 'boolean' ? value === 'true' : value;
  }
  return out;
}
