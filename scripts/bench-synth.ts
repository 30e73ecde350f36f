/**
 * `npm run bench:synth`: wall time, CPU time and peak memory of synthesizing,
 * each run in its own process, median of several runs. Each entry is compiled
 * once with esbuild and run on plain node with its code cache, as `npm run
 * synth` does (no cdktf CLI, no tsx hooks). CPU time is printed beside wall
 * time because a loaded machine inflates wall time; the load average is printed too.
 *   1. the app (main.ts, deep imports) on the default stage, handler bundles cached and cold;
 *   2. the same app with the provider's barrel import, and the ratio;
 *   3. a synthetic catalogue of 25, 50 and 100 workflows x 3 stages (linearity);
 *   4. the default stage and 100 x 3 with cdktf's own App.synth() (SYNTH_FULL=1: cdktf
 *      loaded from node_modules as it is, its preparation pass and its eager archiver
 *      load included, no code cache: synthesis as it was before src/build/cdktf-compile.ts
 *      and modules/app.ts) against ours, runs interleaved so load drifts hit both.
 *   5. with `--baseline <folder>` (a checkout of an earlier commit, npm ci done there):
 *      only this checkout against that one (scripts/bench/against-baseline.ts).
 * Options: RUNS=<n> (default 3).
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { REPO_ROOT } from "../src/config/handlers";
import { CODE_CACHE_RUNNER, compileApp } from "../src/cli/compile-app";
import { againstBaseline } from "./bench/against-baseline";

interface Sample {
  seconds: number;
  cpuSeconds: number;
  maxRssMb: number;
}

const RUNS = Number(process.env.RUNS ?? "3");

/** Each entry compiled as `npm run synth` compiles it (run with the code cache), and with cdktf as it is (SYNTH_FULL=1, plain node). */
const compiled = new Map<string, { ours: string; asIs: string }>();

function runOnce(entry: string, env: Record<string, string> = {}): Sample {
  const app = compiled.get(entry);
  if (!app) throw new Error(`${entry} was not compiled`);
  const command = env.SYNTH_FULL === "1" ? [app.asIs] : [CODE_CACHE_RUNNER, app.ours];
  const out = mkdtempSync(join(tmpdir(), "bench-synth-"));
  try {
    const started = process.hrtime.bigint();
    const child = spawnSync(process.execPath, ["--require", join(REPO_ROOT, "scripts/bench/rusage.cjs"), ...command], {
      cwd: REPO_ROOT,
      env: { ...process.env, STAGES: "", STAGE: "", ...env, CDKTF_OUTDIR: out },
      encoding: "utf8",
      maxBuffer: 64 * 1024 * 1024,
    });
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    if (child.status !== 0) throw new Error(`${entry} failed (${child.status}):\n${child.stderr}`);
    const usage = /__BENCH_RUSAGE__ (\d+) ([\d.]+)/.exec(child.stderr);
    if (!usage) throw new Error(`${entry}: no resource usage report`);
    return { seconds, cpuSeconds: Number(usage[2]), maxRssMb: Number(usage[1]) / 1024 };
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

function median(entry: string, env: Record<string, string> = {}, runs = RUNS): Sample {
  const samples = Array.from({ length: runs }, () => runOnce(entry, env));
  const pick = (f: (s: Sample) => number) => samples.map(f).sort((a, b) => a - b)[Math.floor(samples.length / 2)];
  return { seconds: pick((s) => s.seconds), cpuSeconds: pick((s) => s.cpuSeconds), maxRssMb: pick((s) => s.maxRssMb) };
}

const show = (label: string, s: Sample) =>
  console.log(`${label.padEnd(44)} wall ${s.seconds.toFixed(2).padStart(6)} s  cpu ${s.cpuSeconds.toFixed(2).padStart(6)} s  ${s.maxRssMb.toFixed(0).padStart(5)} MB`);

async function main(): Promise<void> {
  const at = process.argv.indexOf("--baseline");
  if (at >= 0) {
    const baseline = process.argv[at + 1];
    if (!baseline) throw new Error("--baseline needs a folder: a checkout of the earlier commit with npm ci done");
    console.log(`node ${process.version}, ${cpus().length} CPUs, load average ${loadavg()[0].toFixed(1)}`);
    againstBaseline(resolve(baseline), REPO_ROOT, Math.max(RUNS, 5), show);
    console.log(`load average at the end: ${loadavg()[0].toFixed(1)}`);
    return;
  }
  for (const entry of ["main.ts", "scripts/bench/synthetic-app.ts"]) compiled.set(entry, { ours: await compileApp(entry), asIs: await compileApp(entry, { cdktfAsIs: true }) });
  // The barrel import loads every provider class from node_modules, as an app written that way would.
  const naiveApp = await compileApp("scripts/bench/naive-main.ts", { cdktfAsIs: true });
  compiled.set("scripts/bench/naive-main.ts", { ours: naiveApp, asIs: naiveApp });
  const load = () => loadavg()[0].toFixed(1);
  console.log(`node ${process.version}, ${cpus().length} CPUs, load average ${load()}; median of ${RUNS} runs, each in its own process (compiled app on plain node, no cdktf CLI)\n`);
  runOnce("main.ts"); // warm tsx's transform cache and the bundle cache, as a developer's second synth would be
  const deep = median("main.ts");
  show("default stage, deep imports", deep);
  show("default stage, deep imports, cold bundles", median("main.ts", { SYNTH_NO_CACHE: "1" }));
  const naive = median("scripts/bench/naive-main.ts");
  show("default stage, barrel import (naive)", naive);
  console.log(`ratio naive / deep: time ${(naive.seconds / deep.seconds).toFixed(1)}x, memory ${(naive.maxRssMb / deep.maxRssMb).toFixed(1)}x`);
  console.log(`targets: < 1.5 s and < 300 MB -> ${deep.seconds < 1.5 && deep.maxRssMb < 300 ? "met" : "NOT met"}; ratio >= 5 -> ${naive.seconds / deep.seconds >= 5 ? "met" : "NOT met"}\n`);

  const points: Array<[number, Sample]> = [];
  for (const n of [25, 50, 100]) {
    const s = median("scripts/bench/synthetic-app.ts", { WORKFLOWS: String(n) }, Math.min(RUNS, 2));
    points.push([n, s]);
    show(`synthetic: ${n} workflows x 3 stages`, s);
  }
  const [[n1, a], [, b], [n3, c]] = points;
  const slope = (c.seconds - a.seconds) / (n3 - n1);
  const predicted50 = a.seconds + slope * (50 - n1);
  console.log(`marginal cost ${(slope * 1000).toFixed(0)} ms per workflow (3 stages); 50-workflow point ${b.seconds.toFixed(2)} s vs ${predicted50.toFixed(2)} s on the 25-100 line (${(((b.seconds - predicted50) / predicted50) * 100).toFixed(0)}%)`);
  console.log(`target: 100 x 3 < 15 s -> ${c.seconds < 15 ? "met" : "NOT met"}`);

  console.log("\nours (cdktf compiled in with its additions, code cache, no preparation pass) against cdktf as it is, interleaved runs:");
  for (const [label, entry, env] of [
    ["default stage", "main.ts", {}],
    ["synthetic: 100 workflows x 3 stages", "scripts/bench/synthetic-app.ts", { WORKFLOWS: "100" }],
  ] as const) {
    const ours: Sample[] = [];
    const full: Sample[] = [];
    for (let i = 0; i < RUNS; i += 1) {
      ours.push(runOnce(entry, env));
      full.push(runOnce(entry, { ...env, SYNTH_FULL: "1" }));
    }
    const mid = (samples: Sample[], f: (s: Sample) => number) => samples.map(f).sort((x, y) => x - y)[Math.floor(samples.length / 2)];
    const summary = (samples: Sample[]): Sample => ({ seconds: mid(samples, (s) => s.seconds), cpuSeconds: mid(samples, (s) => s.cpuSeconds), maxRssMb: mid(samples, (s) => s.maxRssMb) });
    const [o, f] = [summary(ours), summary(full)];
    show(`${label}, ours`, o);
    show(`${label}, cdktf's App.synth()`, f);
    const pct = (x: number, y: number) => (((x - y) / x) * 100).toFixed(0);
    console.log(`  ours faster by ${pct(f.seconds, o.seconds)}% wall, ${pct(f.cpuSeconds, o.cpuSeconds)}% CPU (target: at least 20%; the output is byte-identical: __tests__/cli/synth.test.ts, __tests__/main/app.test.ts)`);
  }
  console.log(`\nload average at the end: ${load()}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
