/**
 * `npm run bench:synth -- --baseline <folder>`: this checkout against an
 * earlier one (a clone or worktree of another commit, its own `npm ci` done),
 * each run in its own process, the two alternating round by round so load
 * drifts hit both; medians of wall and CPU seconds (user + system of the
 * process and its children, from /usr/bin/time) and peak memory of the largest process.
 *   1. the default stage as a user runs it: the synth command of each checkout
 *      (render, lint, bundles from the warm cache, JSON and the HCL copy),
 *      `npm run synth`'s command line without npm;
 *   2. the synthetic catalogue at 100 workflows x 3 stages, JSON only, each
 *      checkout's scripts/bench/synthetic-app.ts run as that checkout's
 *      synthesis runs its app (compiled, from the code cache, where it has
 *      that; else by its own tsx).
 * The stacks are not the same (this checkout may synthesize more resources
 * per workflow); the resource counts are printed beside the figures.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface Sample {
  seconds: number;
  cpuSeconds: number;
  maxRssMb: number;
}

interface Side {
  label: string;
  root: string;
}

function resources(out: string): number {
  let n = 0;
  const stacks = join(out, "stacks");
  for (const stack of readdirSync(stacks)) {
    const tf = JSON.parse(readFileSync(join(stacks, stack, "cdk.tf.json"), "utf8")) as { resource?: Record<string, Record<string, unknown>> };
    n += Object.values(tf.resource ?? {}).reduce((k, byName) => k + Object.keys(byName).length, 0);
  }
  return n;
}

function timed(cwd: string, argv: string[], env: Record<string, string>): { sample: Sample; resources: number } {
  const out = mkdtempSync(join(tmpdir(), "bench-baseline-"));
  try {
    const child = spawnSync("/usr/bin/time", ["-f", "__TIME__ %e %U %S %M", ...argv.map((a) => a.replace("{out}", out))], {
      cwd,
      env: { ...process.env, STAGES: "", STAGE: "", CDKTF_OUTDIR: out, ...env },
      encoding: "utf8",
      maxBuffer: 64 * 1024 * 1024,
    });
    const m = /__TIME__ ([\d.]+) ([\d.]+) ([\d.]+) (\d+)/.exec(child.stderr);
    if (child.status !== 0 || !m) throw new Error(`${argv.join(" ")} in ${cwd} failed (${child.status}):\n${child.stderr.slice(-2000)}`);
    return { sample: { seconds: Number(m[1]), cpuSeconds: Number(m[2]) + Number(m[3]), maxRssMb: Number(m[4]) / 1024 }, resources: resources(out) };
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

/** The synth command line of a checkout: the installable command if it has one, else its tsx entry. */
function synthCommand(root: string): string[] {
  if (existsSync(join(root, "bin", "sfn-workflows.mjs"))) return [process.execPath, "bin/sfn-workflows.mjs", "synth", "--out", "{out}"];
  return [process.execPath, join(root, "node_modules", "tsx", "dist", "cli.mjs"), "src/cli/synth.ts", "--out", "{out}"];
}

/**
 * The synthetic app as the checkout's synthesis runs an app: compiled and run
 * from its code cache where the checkout has that (as `npm run synth` runs
 * main.ts), else through tsx.
 */
function syntheticCommand(root: string): string[] {
  const tsx = join(root, "node_modules", "tsx", "dist", "cli.mjs");
  const runner = join(root, "src", "cli", "run-with-code-cache.cjs");
  if (!existsSync(runner)) return [process.execPath, tsx, "scripts/bench/synthetic-app.ts"];
  const compile = spawnSync(process.execPath, [tsx, "-e", 'require("./src/cli/compile-app").compileApp("scripts/bench/synthetic-app.ts").then((f) => process.stdout.write(f))'], { cwd: root, encoding: "utf8" });
  if (compile.status !== 0) throw new Error(`compiling the synthetic app in ${root} failed:\n${compile.stderr}`);
  return [process.execPath, runner, compile.stdout.trim()];
}

const mid = (xs: number[]) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export function againstBaseline(baseline: string, here: string, runs: number, show: (label: string, s: Sample) => void): void {
  if (!existsSync(join(baseline, "node_modules"))) throw new Error(`--baseline ${baseline}: no node_modules there; run npm ci in it first`);
  const sides: Side[] = [
    { label: "baseline", root: baseline },
    { label: "this checkout", root: here },
  ];
  const points: Array<[string, (root: string) => string[], Record<string, string>]> = [
    ["default stage, synth command (JSON + HCL)", synthCommand, {}],
    ["synthetic 100 workflows x 3 stages (JSON)", syntheticCommand, { WORKFLOWS: "100" }],
  ];
  console.log(`\nagainst the baseline ${baseline}, alternating rounds, median of ${runs}:`);
  for (const [label, command, env] of points) {
    const argv = new Map(sides.map((side) => [side.label, command(side.root)]));
    for (const side of sides) timed(side.root, argv.get(side.label)!, env); // warm caches (tsx, handler bundles, code cache)
    const samples = new Map<string, Sample[]>(sides.map((s) => [s.label, []]));
    const counts = new Map<string, number>();
    for (let i = 0; i < runs; i += 1) {
      for (const side of i % 2 === 0 ? sides : sides.slice().reverse()) {
        const r = timed(side.root, argv.get(side.label)!, env);
        samples.get(side.label)!.push(r.sample);
        counts.set(side.label, r.resources);
      }
    }
    const med = (l: string): Sample => ({ seconds: mid(samples.get(l)!.map((s) => s.seconds)), cpuSeconds: mid(samples.get(l)!.map((s) => s.cpuSeconds)), maxRssMb: mid(samples.get(l)!.map((s) => s.maxRssMb)) });
    const [b, h] = [med("baseline"), med("this checkout")];
    show(`${label}, baseline (${counts.get("baseline")} resources)`, b);
    show(`${label}, this checkout (${counts.get("this checkout")} resources)`, h);
    const pct = (x: number, y: number) => (((x - y) / x) * 100).toFixed(0);
    console.log(`  faster by ${pct(b.seconds, h.seconds)}% wall, ${pct(b.cpuSeconds, h.cpuSeconds)}% CPU (target: at least 20%)`);
  }
}
