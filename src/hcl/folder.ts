/**
 * The HCL copy of every synthesized stack: `<outdir>/hcl/<stack>/cdk.tf`,
 * written from `<outdir>/stacks/<stack>/cdk.tf.json`, in a folder of its own
 * (Terraform loads every .tf and .tf.json of a folder: both side by side would
 * declare everything twice). The stack's `assets/` are hard-linked beside it
 * (copied where links fail), so relative Lambda `filename`s resolve the same
 * and the HCL folder plans exactly like the JSON folder.
 */
import { copyFileSync, linkSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { writeHcl } from "./write";

/** Writes the HCL copy of every stack under `outdir/stacks`; returns the stack names. */
export function writeHclCopies(outdir: string): string[] {
  const stacks = readdirSync(join(outdir, "stacks"), { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
  for (const stack of stacks) {
    const from = join(outdir, "stacks", stack);
    const to = join(outdir, "hcl", stack);
    mkdirSync(to, { recursive: true });
    const tf = JSON.parse(readFileSync(join(from, "cdk.tf.json"), "utf8"));
    writeFileSync(join(to, "cdk.tf"), writeHcl(tf, `stacks/${stack}/cdk.tf.json`));
    for (const entry of readdirSync(from, { withFileTypes: true })) {
      if (entry.isDirectory()) linkTree(join(from, entry.name), join(to, entry.name));
      // HCL files beside the JSON (moved.tf) are already HCL: they belong to both copies.
      else if (entry.name.endsWith(".tf")) copyFileSync(join(from, entry.name), join(to, entry.name));
    }
  }
  return stacks;
}

/** Mirrors a folder with hard links (same bytes, no extra space), or copies where the filesystem refuses. */
function linkTree(from: string, to: string): void {
  mkdirSync(to, { recursive: true });
  for (const entry of readdirSync(from, { withFileTypes: true })) {
    const source = join(from, entry.name);
    const target = join(to, entry.name);
    if (entry.isDirectory()) linkTree(source, target);
    else {
      try {
        linkSync(source, target);
      } catch {
        copyFileSync(source, target);
      }
    }
  }
}
