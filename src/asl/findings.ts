/**
 * The lint's output type and its one-line rendering. Kept free of rule logic so
 * that the renderer, the CLI and the synth path all print findings the same way.
 */

export type Severity = 'error' | 'warning';

export interface Finding {
  /** Stable rule code, e.g. `SFN102`; documented in src/asl/README.md. */
  code: string;
  severity: Severity;
  /** The workflow file the definition came from (template or plain JSON). */
  file: string;
  /** Dotted path of the state or field, e.g. `States.ProcessItems.ItemProcessor.States.ProcessItem`; empty for the definition root. */
  path: string;
  /** What is wrong, the received value where useful, and `(fix: ...)`. */
  message: string;
}

/** One line per finding, e.g. `error SFN102 workflows/map.asl.json.hbs States.X: message (fix: ...)`. */
export function formatFinding(f: Finding): string {
  return `${f.severity} ${f.code} ${f.file} ${f.path === '' ? '(root)' : f.path}: ${f.message}`;
}

/** Errors first, then by file and path, so output is stable across runs and rule order. */
export function sortFindings(findings: Finding[]): Finding[] {
  const rank = (s: Severity): number => (s === 'error' ? 0 : 1);
  return [...findings].sort(
    (a, b) =>
      rank(a.severity) - rank(b.severity) ||
      a.file.localeCompare(b.file) ||
      a.path.localeCompare(b.path) ||
      a.code.localeCompare(b.code) ||
      a.message.localeCompare(b.message),
  );
}

export function hasErrors(findings: readonly Finding[]): boolean {
  return findings.some((f) => f.severity === 'error');
}
