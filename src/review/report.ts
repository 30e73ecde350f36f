/**
 * Assembles the review of one stage as document blocks: plan summary, changes
 * against the base, one section per workflow, then the resource inventory.
 * Markdown and HTML are both printed from these blocks (document.ts).
 */

import { costSection } from "./cost-section";
import { type DocBlock, type Inline, type Text, code, h, list, p, strong, table } from "./document";
import { type ExampleCostRow } from "./example-cost";
import { readableArn } from "./derivation";
import { inventory } from "./inventory";
import { mermaidDiagram } from "./mermaid";
import { type PlanSummary } from "./plan";
import { type StateDiff, isEmptyStateDiff } from "./state-diff";
import { type Synth } from "./synth";
import { type BlockChange, type SynthDiff, isEmptyDiff } from "./synth-diff";
import { type WorkflowAnalysers, type WorkflowReview, functionNamer, reviewWorkflows } from "./workflows";

export interface ReviewInput {
  readonly stage: string;
  readonly synth: Synth;
  /** Shown as the source of the synthesis, e.g. `cdktf.out/stacks/my-app-dev/cdk.tf.json`. */
  readonly synthLabel: string;
  readonly base?: { readonly label: string; readonly diff: SynthDiff };
  readonly plan?: { readonly label: string; readonly summary: PlanSummary };
  readonly analysers?: WorkflowAnalysers;
  /** Each workflow's example execution priced on the base and on this synthesis (example-cost.ts). @default no cost section */
  readonly costs?: readonly ExampleCostRow[];
}

export interface Review {
  readonly title: string;
  readonly blocks: readonly DocBlock[];
  readonly workflows: readonly WorkflowReview[];
}

const joinCodes = (values: readonly string[], empty = "(none)"): Inline[] =>
  values.length === 0 ? [empty] : values.flatMap((v, i) => (i === 0 ? [code(v)] : [", ", code(v)]));

function planSection(label: string, plan: PlanSummary): DocBlock[] {
  const c = plan.counts;
  const out: DocBlock[] = [
    h(2, "Terraform plan"),
    p([
      `From ${label}`,
      plan.terraformVersion ? ` (Terraform ${plan.terraformVersion}, format ${plan.formatVersion})` : ` (format ${plan.formatVersion})`,
      ": ",
      strong(`${c.create} to create, ${c.update} to update, ${c.replace} to replace, ${c.delete} to delete`),
      c.forget > 0 ? `, ${c.forget} to forget` : "",
      `; ${c["no-op"]} unchanged, ${c.read} data reads.`,
    ]),
  ];
  if (plan.notes.length > 0) out.push(list(plan.notes));
  const risky = plan.changes.filter((ch) => ch.risks.length > 0).length;
  if (risky > 0) out.push(p([strong(`${risky} risky change(s)`), " (deletions, replacements, IAM) are listed first."]));
  if (plan.changes.length > 0) {
    out.push(
      table(
        ["Action", "Resource", "Risk", "Details"],
        plan.changes.map((ch) => [
          ch.action,
          [code(ch.address)],
          ch.risks.join("; "),
          [
            ...(ch.replacePaths.length > 0 ? ["forced by ", ...joinCodes(ch.replacePaths), ". "] : []),
            ...(ch.reason ? [`${ch.reason}. `] : []),
            ...(ch.attributes.length > 0 ? ["changes ", ...joinCodes(ch.attributes.slice(0, 12)), ch.attributes.length > 12 ? ` and ${ch.attributes.length - 12} more` : ""] : []),
          ],
        ]),
      ),
    );
  }
  if (plan.outputChanges.length > 0) out.push(p("Outputs:"), list(plan.outputChanges.map((o) => [code(o)])));
  return out;
}

function stateDiffItems(d: StateDiff): Text[] {
  return [
    ...d.added.map((s): Text => ["state added: ", code(s.path), ` (${s.type})`]),
    ...d.removed.map((s): Text => ["state removed: ", code(s.path), ` (${s.type})`]),
    ...d.changed.map((s): Text => ["state changed: ", code(s.path), " in ", ...joinCodes(s.fields)]),
    ...(d.machine.length > 0 ? [["machine fields changed: ", ...joinCodes(d.machine)] as Text] : []),
  ];
}

function changeDetails(c: BlockChange, synth: Synth): Inline[] {
  const out: Inline[] = [];
  if (c.movedFrom) out.push("renamed from ", code(c.movedFrom), ". ");
  if (c.replacedBy.length > 0) out.push(strong("replacement"), " (forced by ", ...joinCodes(c.replacedBy), "). ");
  if (c.statements) {
    out.push(...c.statements.added.flatMap((s): Inline[] => ["+ ", code(readableArn(synth, s)), " "]));
    out.push(...c.statements.removed.flatMap((s): Inline[] => ["− ", code(readableArn(synth, s)), " "]));
  }
  if (c.paths.length > 0 && !c.statements) out.push("changes ", ...joinCodes(c.paths.slice(0, 10)), c.paths.length > 10 ? ` and ${c.paths.length - 10} more` : "");
  return out;
}

/** How many renames the report lists one by one; the rest are counted. */
const RENAMES_LISTED = 20;

function renamedSection(diff: SynthDiff): DocBlock[] {
  const moved = diff.renamed.filter((r) => r.how === "moved").length;
  const data = diff.renamed.length - moved;
  const shown = diff.renamed.slice(0, RENAMES_LISTED);
  return [
    h(3, "Renamed"),
    p(
      `${moved} resource(s) renamed through moved blocks (moved.tf): Terraform moves them in the state, nothing is replaced for the new name` +
        (data > 0 ? `; ${data} data source(s) renamed (no state)` : "") +
        ". Compared under their new names below.",
    ),
    list([
      ...shown.map((r): Text => [code(r.from), " → ", code(r.to)]),
      ...(diff.renamed.length > shown.length ? [[`and ${diff.renamed.length - shown.length} more`] as Text] : []),
    ]),
  ];
}

function diffSection(label: string, diff: SynthDiff, synth: Synth): DocBlock[] {
  const out: DocBlock[] = [
    h(2, `Changes since ${label}`),
    p(
      `${diff.added.length} added, ${diff.removed.length} removed, ${diff.changed.length} changed` +
        (diff.renamed.length > 0 ? `, ${diff.renamed.length} renamed` : "") +
        " (compared block by block; terraform plan is the authority on what AWS will do).",
    ),
  ];
  if (isEmptyDiff(diff)) return [...out, p("No differences.")];
  if (diff.renamed.length > 0) out.push(...renamedSection(diff));
  const all = [...diff.removed, ...diff.changed, ...diff.added];
  const risky = all.filter((c) => c.iam || c.replacedBy.length > 0 || c.kind === "removed");
  if (risky.length > 0) {
    out.push(
      h(3, "IAM changes, replacements and removals"),
      table(
        ["Change", "Resource", "Details"],
        risky.map((c) => [c.kind === "changed" && c.replacedBy.length > 0 ? "replaced" : c.kind, [code(c.address)], changeDetails(c, synth)]),
      ),
    );
  }
  const rest = all.filter((c) => !risky.includes(c));
  if (rest.length > 0) {
    out.push(h(3, "Other changes"), table(["Change", "Resource", "Details"], rest.map((c) => [c.kind, [code(c.address)], changeDetails(c, synth)])));
  }
  const workflows = diff.changed.filter((c) => c.states && !isEmptyStateDiff(c.states));
  if (workflows.length > 0) {
    out.push(h(3, "Workflow definitions"));
    for (const c of workflows) out.push(p([code(c.address), ":"]), list(stateDiffItems(c.states as StateDiff)));
  }
  return out;
}

function workflowSection(w: WorkflowReview, synth: Synth): DocBlock[] {
  const out: DocBlock[] = [h(3, w.workflow, `workflow-${w.workflow}`)];
  if (w.spec) out.push(p(w.spec.description));
  out.push(
    list([
      ["Type: ", strong(w.type)],
      ["State machine: ", code(w.name), " (", code(w.address), ")"],
      ...(w.spec ? [["Template: ", code(w.spec.template)] as Text] : []),
    ]),
  );
  for (const problem of w.problems) out.push(p([strong("Problem:"), " ", problem]));
  if (w.definition) {
    out.push({ kind: "mermaid", title: w.workflow, source: mermaidDiagram(w.definition, { functionName: functionNamer(synth) }) });
  }
  out.push(h(4, "Triggers"), w.triggers.length > 0 ? list(w.triggers) : p("None: executions start only through StartExecution (API, SDK or another workflow)."));
  if (w.routing.length > 0) out.push(h(4, "Alias routing"), list(w.routing));
  out.push(h(4, "IAM permissions of the state machine role"));
  out.push(
    w.permissions.length > 0
      ? table(
          ["Effect", "Actions", "Resources", "Why"],
          w.permissions.map((r) => [
            r.effect,
            joinCodes(r.actions),
            [...joinCodes(r.resources.map((x) => readableArn(synth, x))), ...(r.conditions ? [" when ", ...joinCodes(r.conditions.map((c) => readableArn(synth, c)))] : [])],
            [r.why, r.sid ? ` (Sid ${r.sid})` : ""],
          ]),
        )
      : p("No policy statements found for the role."),
  );
  for (const problem of w.iamProblems) out.push(p([strong("IAM problem:"), " ", problem]));
  if (w.missing.length > 0) {
    out.push(
      p([strong("Missing permissions:"), " the definition needs these but no statement grants them (the execution will fail with AccessDenied):"]),
      list(w.missing.map((m): Text => [...joinCodes(m.actions), " on ", ...joinCodes(m.resources.map((x) => readableArn(synth, x))), ` for ${m.statePath}`])),
    );
  }
  out.push(
    h(4, "Alarms"),
    w.alarms.length > 0 ? table(["Alarm", "Condition"], w.alarms.map((a) => [[code(a.name)], a.condition])) : p("No alarms watch this workflow."),
  );
  out.push(
    h(4, "Lint"),
    w.findings.length > 0
      ? list(w.findings.map((f): Text => [`${f.severity} `, code(f.code), " ", code(f.path === "" ? "(root)" : f.path), `: ${f.message}`]))
      : p("No lint warnings."),
  );
  return out;
}

/** The whole review of one stage. */
export function buildReview(input: ReviewInput): Review {
  const { synth } = input;
  const workflows = reviewWorkflows(synth, input.analysers);
  const rows = inventory(synth);
  const total = rows.filter((r) => !r.type.startsWith("data.")).reduce((n, r) => n + r.count, 0);
  const title = `Infrastructure review: ${synth.stack} (stage ${input.stage})`;
  const blocks: DocBlock[] = [
    h(1, title),
    p([`${workflows.length} workflow(s), ${total} resource(s), read from `, code(input.synthLabel), "."]),
  ];
  if (input.plan) blocks.push(...planSection(input.plan.label, input.plan.summary));
  if (input.base) blocks.push(...diffSection(input.base.label, input.base.diff, synth));
  if (input.costs) blocks.push(...costSection(input.costs, input.base?.label));
  blocks.push(h(2, "Workflows"));
  if (workflows.length === 0) blocks.push(p("This stack has no aws_sfn_state_machine."));
  for (const w of workflows) blocks.push(...workflowSection(w, synth));
  blocks.push(
    h(2, "Resource inventory"),
    table(["Type", "Count", "Names"], rows.map((r) => [[code(r.type)], String(r.count), joinCodes(r.names)])),
  );
  return { title, blocks, workflows };
}
