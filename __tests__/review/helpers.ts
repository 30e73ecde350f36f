import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadStageConfig } from "../../src/config/stage";
import { renderTemplate } from "../../src/render/render";
import { type Synth, type TerraformJson, synthFromJson } from "../../src/review/synth";

export const FIXTURE_DIR = join(__dirname, "fixtures");
export const FIXTURE_SYNTH = join(FIXTURE_DIR, "synth");

/** The fixture stack's JSON, fresh each call so tests can mutate it. */
export function fixtureJson(): TerraformJson & Record<string, unknown> {
  return JSON.parse(readFileSync(join(FIXTURE_SYNTH, "stacks", "my-app-dev", "cdk.tf.json"), "utf8"));
}

export function fixtureSynth(json: unknown = fixtureJson()): Synth {
  return synthFromJson(json, "fixture/cdk.tf.json", "my-app-dev");
}

export function tempDir(prefix = "review-test-"): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** A shipped template rendered with the default stage (no .env, no environment). */
export function renderShipped(workflow: string): Record<string, unknown> {
  const config = loadStageConfig({ cwd: tempDir(), env: {} });
  return renderTemplate(`workflows/${workflow}.asl.json.hbs`, config).definition;
}

/**
 * Reads a Mermaid flowchart back as "From --> To" lines between state names,
 * so tests say what the diagram shows rather than which ids it used.
 * Start/end markers of nested scopes are named after their subgraph.
 */
export function readDiagram(source: string): { edges: string[]; subgraphs: string[]; nodes: Record<string, string> } {
  const names: Record<string, string> = {};
  const subgraphs: string[] = [];
  const stack: string[] = [];
  const edges: string[] = [];
  const decode = (label: string) => label.split("<br/>")[0];
  for (const raw of source.split("\n").slice(1)) {
    const line = raw.trim();
    const sub = /^subgraph (\S+)\["([^"]*)"\]$/.exec(line);
    if (sub) {
      names[sub[1]] = decode(sub[2]);
      subgraphs.push(decode(sub[2]));
      stack.push(decode(sub[2]));
      continue;
    }
    if (line === "end") {
      stack.pop();
      continue;
    }
    const edge = /^(\S+) (-->|-\.->)(?:\|"([^"]*)"\|)? (\S+)$/.exec(line);
    if (edge) {
      edges.push(`${edge[1]} ${edge[2]}${edge[3] !== undefined ? `|${edge[3]}|` : ""} ${edge[4]}`);
      continue;
    }
    const node = /^(n\d+)(?:\(\(\(|\(\(|\(\[|\{\{|\[\/|\{|\[)"([^"]*)"/.exec(line);
    if (node) {
      const label = decode(node[2]);
      names[node[1]] = (label === "start" || label === "end") && stack.length > 0 ? `${label}@${stack[stack.length - 1]}` : label;
    }
  }
  const named = edges.map((e) => e.replace(/\b(n\d+(?:_b\d+)?)\b/g, (id) => names[id] ?? `?${id}`));
  return { edges: named, subgraphs, nodes: names };
}
