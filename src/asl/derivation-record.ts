/**
 * The derivation's options as plain JSON: the stage stack records them beside
 * each state machine in the synthesized stack (under its `//` comment key,
 * which Terraform ignores), and the review reads them back (src/review/derivation.ts),
 * so both derive from exactly the same context (escape hatch, references, keys).
 */

import { isObject } from "./graph";
import type { DeriveOptions, ExtraStatement } from "./iam";

/** Where the record sits in a synthesized `aws_sfn_state_machine`: under its `//` (comment) key, which Terraform ignores. */
export const DERIVATION_KEY = "iam_derivation";

export interface DerivationRecord {
  readonly arn: { readonly partition?: string; readonly region?: string; readonly accountId?: string; readonly stateMachineName?: string };
  readonly functionArns: readonly string[];
  readonly references: Readonly<Record<string, string>>;
  readonly encryptionKeys: Readonly<Record<string, string>>;
  readonly extraStatements: readonly ExtraStatement[];
}

export function derivationRecord(options: DeriveOptions): DerivationRecord {
  return {
    arn: { ...options.arn },
    functionArns: [...(options.functionArns ?? [])].sort(),
    references: { ...options.references },
    encryptionKeys: { ...options.encryptionKeys },
    extraStatements: (options.extraStatements ?? []).map((s) => ({
      actions: [...s.actions],
      resources: [...s.resources],
      ...(s.covers ? { covers: [...s.covers] } : {}),
      ...(s.reason ? { reason: s.reason } : {}),
    })),
  };
}

/** Reads a DerivationRecord back (as found in a synthesized stack); undefined when it is not one. */
export function deriveOptionsFromRecord(record: unknown, workflow: string, file: string): DeriveOptions | undefined {
  if (!isObject(record) || !isObject(record.arn)) return undefined;
  const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : []);
  const dict = (v: unknown): Record<string, string> =>
    isObject(v) ? Object.fromEntries(Object.entries(v).filter((e): e is [string, string] => typeof e[1] === "string")) : {};
  const arn = dict(record.arn);
  const extras = Array.isArray(record.extraStatements) ? record.extraStatements.filter(isObject) : [];
  return {
    workflow,
    file,
    arn,
    functionArns: strings(record.functionArns),
    references: dict(record.references),
    encryptionKeys: dict(record.encryptionKeys),
    extraStatements: extras.map((s) => ({
      actions: strings(s.actions),
      resources: strings(s.resources),
      covers: strings(s.covers),
      ...(typeof s.reason === "string" ? { reason: s.reason } : {}),
    })),
  };
}
