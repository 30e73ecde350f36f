/**
 * The review's cost section: per workflow, what its example execution bills
 * on the base and on this synthesis, and per 1,000 executions, with the
 * difference. Problems (no example, an example that fails on one side) are
 * said in the row and listed under the table with the error.
 */

import { type ExecutionCost, STEP_FUNCTIONS_PRICES } from "../executor/cost";
import { type DocBlock, type Text, code, h, list, p, strong, table } from "./document";
import { type ExampleCostRow, type ExampleRun } from "./example-cost";

const money = (usd: number) => `$${usd.toFixed(6)}`;

/** What one execution is billed for: `4 state transitions (1 retry)`, `1 request, 100 ms x 64 MB`. */
export function billed(c: ExecutionCost): string {
  if (c.type === "EXPRESS") return `1 request, ${c.billedDurationMs} ms x ${c.billedMemoryMb} MB`;
  const retries = c.retries > 0 ? ` (${c.retries} retr${c.retries === 1 ? "y" : "ies"})` : "";
  return `${c.stateTransitions} state transition${c.stateTransitions === 1 ? "" : "s"}${retries}`;
}

function runText(r: ExampleRun | undefined, what: "billed" | "usd"): string {
  if (!r || r.kind === "absent") return "none";
  if (r.kind === "failed") return "example failed";
  if (what === "usd") return money(r.cost.usdPer1000Executions);
  return billed(r.cost) + (r.childExecutions > 0 ? ` + ${r.childExecutions} child execution${r.childExecutions === 1 ? "" : "s"}` : "");
}

/** `+$0.025000 (+33.3%)`, `no change`, or why there is no difference. */
export function difference(before: ExampleRun | undefined, after: ExampleRun): string {
  if (!before || before.kind === "absent") return after.kind === "absent" ? "" : "new workflow";
  if (after.kind === "absent") return "workflow removed";
  if (before.kind !== "ran" || after.kind !== "ran") return "unknown (see below)";
  const b = before.cost.usdPer1000Executions;
  const diff = after.cost.usdPer1000Executions - b;
  if (Math.abs(diff) < 1e-9) return "no change";
  const sign = diff > 0 ? "+" : "-";
  return `${sign}${money(Math.abs(diff))}` + (b > 0 ? ` (${sign}${((Math.abs(diff) / b) * 100).toFixed(1)}%)` : "");
}

/** The section; `baseLabel` when the review compares with a base. */
export function costSection(rows: readonly ExampleCostRow[], baseLabel?: string): DocBlock[] {
  const prices = STEP_FUNCTIONS_PRICES;
  const out: DocBlock[] = [
    h(2, "Cost per 1,000 executions"),
    p([
      "Each workflow's example execution (",
      code("workflows/examples/<workflow>.json"),
      baseLabel ? `), run by the local executor on the definition of ${baseLabel} and on this synthesis's,` : "), run by the local executor on this synthesis's definition,",
      ` with this working tree's handlers and the example's mocks, priced at AWS's ${prices.region} list prices read on ${prices.date} (`,
      code(prices.source),
      "). Standard: state transitions, retries included, at $0.025 per 1,000. Express: $1.00 per million requests plus the duration " +
        "(virtual time rounded up to 100 ms; handler run time is not measured) x 64 MB at $0.06 per GB-hour. Not included: the free tier, " +
        "monthly volume tiers, Lambda and other services' charges; child executions a state starts bill as executions of their own workflow (see its row).",
    ]),
  ];
  if (rows.length === 0) return [...out, p("This stack has no aws_sfn_state_machine.")];
  const withBase = baseLabel !== undefined;
  const arrow = (r: ExampleCostRow, what: "billed" | "usd") => (withBase ? `${runText(r.before, what)} → ${runText(r.after, what)}` : runText(r.after, what));
  out.push(
    table(
      ["Workflow", "Type", withBase ? "Billed per execution (before → after)" : "Billed per execution", withBase ? "$ per 1,000 executions (before → after)" : "$ per 1,000 executions", ...(withBase ? ["Difference"] : [])],
      rows.map((r): Text[] => {
        if (r.problem !== undefined) return [[code(r.workflow)], r.type, r.problem, "", ...(withBase ? [""] : [])];
        return [[code(r.workflow)], r.type, arrow(r, "billed"), arrow(r, "usd"), ...(withBase ? [difference(r.before, r.after)] : [])];
      }),
    ),
  );
  const failures = rows.flatMap((r): Text[] => [
    ...(r.before?.kind === "failed" ? [[code(r.workflow), ` on ${baseLabel}: the example (`, code(r.file), `) failed: ${r.before.error}`] as Text] : []),
    ...(r.after.kind === "failed" ? [[code(r.workflow), ` on this synthesis: the example (`, code(r.file), `) failed: ${r.after.error}`] as Text] : []),
  ]);
  if (failures.length > 0) out.push(p([strong("Examples that failed"), " (no cost is shown for that side):"]), list(failures));
  return out;
}
