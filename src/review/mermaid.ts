/**
 * Draws an ASL definition as a Mermaid flowchart for pull-request comments
 * (GitHub renders ```mermaid blocks) and the HTML page.
 *
 * Node ids are generated (`n1`, `n2`, ...) so that no state name can break the
 * syntax; every label goes through `mermaidText`, which turns the characters
 * Mermaid treats specially into its `#code;` entities.
 */

import { type JsonObject, type Scope, type StateRef, childScopes, isObject, scopeStates, transitions } from "../asl/graph";

const ENTITIES: Record<string, string> = {
  "#": "#35;",
  '"': "#quot;",
  "<": "#lt;",
  ">": "#gt;",
  "&": "#amp;",
  "`": "#96;",
  "|": "#124;",
  ";": "#59;",
  "[": "#91;",
  "]": "#93;",
  "{": "#123;",
  "}": "#125;",
};

const MAX_LABEL = 90;

function rank(field: string): number {
  if (field.startsWith("Choices")) return 0;
  if (field === "Default") return 1;
  if (field === "Next") return 2;
  return 3;
}

/** Label text safe inside Mermaid's `"..."`: special characters become entities, whitespace collapses, long text is cut. */
export function mermaidText(text: string): string {
  const flat = text.replace(/\s+/g, " ").trim();
  const cut = flat.length > MAX_LABEL ? `${flat.slice(0, MAX_LABEL - 1)}…` : flat;
  return cut.replace(/[#"<>&`|;[\]{}]/g, (c) => ENTITIES[c]);
}

const OPERATORS: Array<[RegExp, string]> = [
  [/GreaterThanEquals/, ">="],
  [/LessThanEquals/, "<="],
  [/GreaterThan/, ">"],
  [/LessThan/, "<"],
  [/Equals/, "=="],
  [/Matches/, "matches"],
];

/** One Choice rule as readable text: `$.orderType == "premium"`, `not ($.x is present)`, a JSONata Condition as written. */
export function choiceCondition(rule: JsonObject): string {
  if (typeof rule.Condition === "string") return rule.Condition;
  if (Array.isArray(rule.And)) return rule.And.filter(isObject).map((r) => `(${choiceCondition(r)})`).join(" and ");
  if (Array.isArray(rule.Or)) return rule.Or.filter(isObject).map((r) => `(${choiceCondition(r)})`).join(" or ");
  if (isObject(rule.Not)) return `not (${choiceCondition(rule.Not)})`;
  const variable = typeof rule.Variable === "string" ? rule.Variable : "?";
  const key = Object.keys(rule).find((k) => k !== "Variable" && k !== "Next" && k !== "Comment");
  if (key === undefined) return variable;
  const value = rule[key];
  const is = /^Is(.+)$/.exec(key);
  if (is) {
    const what = is[1] === "Present" ? "present" : is[1] === "Null" ? "null" : `a ${is[1].toLowerCase()}`;
    return `${variable} is ${value === false ? "not " : ""}${what}`;
  }
  const op = OPERATORS.find(([re]) => re.test(key))?.[1] ?? key;
  const shown = key.endsWith("Path") ? String(value) : JSON.stringify(value);
  return `${variable} ${op} ${shown}`;
}

/** A short second line for a node: what the state does. */
function detail(state: JsonObject, options: DiagramOptions): string | undefined {
  switch (state.Type) {
    case "Task": {
      const resource = typeof state.Resource === "string" ? state.Resource : "";
      const params = isObject(state.Parameters) ? state.Parameters : isObject(state.Arguments) ? state.Arguments : {};
      const fn = resource.startsWith("arn:aws:states:::lambda:invoke") ? params.FunctionName : resource.includes("lambda") ? resource : undefined;
      if (typeof fn === "string") return `λ ${options.functionName?.(fn) ?? shortName(fn)}`;
      const integration = /^arn:aws:states:::(.+)$/.exec(resource);
      return integration ? integration[1] : undefined;
    }
    case "Wait":
      if (typeof state.Seconds === "number") return `wait ${state.Seconds} s`;
      if (typeof state.SecondsPath === "string") return `wait ${state.SecondsPath} s`;
      if (typeof state.Timestamp === "string") return `until ${state.Timestamp}`;
      if (typeof state.TimestampPath === "string") return `until ${state.TimestampPath}`;
      return "wait";
    case "Pass":
    case "Choice":
    case "Succeed":
    case "Fail":
      return String(state.Type).toLowerCase();
    default:
      return undefined;
  }
}

/** `arn:aws:lambda:...:function:name` -> `name`; `${aws_lambda_function.x.arn}` -> `x`. */
function shortName(value: string): string {
  const ref = /^\$\{[a-z0-9_]+\.([^.}]+)\.[a-z_]+\}/.exec(value);
  if (ref) return ref[1];
  return value.split(":").filter((s) => s !== "" && s !== "*").pop() ?? value;
}

function nodeLabel(ref: StateRef, options: DiagramOptions): string {
  const extra = detail(ref.state, options);
  return extra ? `${mermaidText(ref.name)}<br/><small>${mermaidText(extra)}</small>` : mermaidText(ref.name);
}

/** Node shape per state type: Choice a rhombus, Succeed/Fail a stadium, Wait a hexagon, Pass a parallelogram. */
function shape(type: unknown, label: string): string {
  switch (type) {
    case "Choice":
      return `{"${label}"}`;
    case "Succeed":
    case "Fail":
      return `(["${label}"])`;
    case "Wait":
      return `{{"${label}"}}`;
    case "Pass":
      return `[/"${label}"/]`;
    default:
      return `["${label}"]`;
  }
}

const CLASS_STYLES = {
  fail: "fill:#fde2e1,stroke:#c0392b,color:#7b1d14",
  succeed: "fill:#e3f6e8,stroke:#2e7d32,color:#1b4d20",
  choice: "fill:#fff6d6,stroke:#b7950b",
  terminal: "fill:#333,stroke:#333,color:#fff",
};

/**
 * States in the order a reader follows them: breadth first from StartAt along
 * transitions (choices, default, next, catches), then any unreachable ones in
 * declaration order. Independent of JSON key order, so a definition printed
 * with sorted keys draws the same diagram as its template.
 */
function walkOrder(scope: Scope, refs: StateRef[]): StateRef[] {
  const byName = new Map(refs.map((r) => [r.name, r]));
  const seen = new Set<string>();
  const queue = typeof scope.node.StartAt === "string" && byName.has(scope.node.StartAt) ? [scope.node.StartAt] : [];
  while (queue.length > 0) {
    const name = queue.shift() as string;
    if (seen.has(name)) continue;
    seen.add(name);
    const ordered = transitions((byName.get(name) as StateRef).state).sort((a, b) => rank(a.field) - rank(b.field));
    for (const t of ordered) if (byName.has(t.target) && !seen.has(t.target)) queue.push(t.target);
  }
  return [...[...seen].map((n) => byName.get(n) as StateRef), ...refs.filter((r) => !seen.has(r.name))];
}

export interface DiagramOptions {
  /** Flowchart direction. @default "TD" */
  readonly direction?: "TD" | "LR";
  /** Names a Lambda function from its FunctionName value (e.g. a `${aws_lambda_function.x.arn}` reference). @default the value's last ARN segment */
  readonly functionName?: (value: string) => string | undefined;
}

/** The Mermaid flowchart of a definition: states, transitions, Choice conditions, dashed Catch edges, Parallel/Map as subgraphs. */
export function mermaidDiagram(definition: JsonObject, options: DiagramOptions = {}): string {
  const language = definition.QueryLanguage === "JSONata" ? "JSONata" : "JSONPath";
  const lines: string[] = [`flowchart ${options.direction ?? "TD"}`];
  const edges: string[] = [];
  const classes: Record<"fail" | "succeed" | "choice" | "terminal", string[]> = { fail: [], succeed: [], choice: [], terminal: [] };
  let counter = 0;
  const nextId = () => `n${++counter}`;

  /** Declares the scope's states (nested scopes as subgraphs) and queues its edges; returns the ids of its states by name. */
  const renderScope = (scope: Scope, indent: string, top: boolean): void => {
    const refs = walkOrder(scope, scopeStates(scope, language));
    const startId = nextId();
    const ids = new Map<string, string>();
    for (const ref of refs) ids.set(ref.name, nextId());
    const endId = nextId();
    lines.push(`${indent}${startId}(("${top ? "Start" : "start"}"))`);
    classes.terminal.push(startId);
    let needsEnd = false;

    for (const ref of refs) {
      const id = ids.get(ref.name) as string;
      const children = childScopes(ref);
      if (ref.state.Type === "Parallel" || ref.state.Type === "Map") {
        const kind =
          ref.state.Type === "Map"
            ? `Map${typeof ref.state.MaxConcurrency === "number" && ref.state.MaxConcurrency > 0 ? `, at most ${ref.state.MaxConcurrency} at a time` : ""}`
            : `Parallel, ${children.length} branches`;
        lines.push(`${indent}subgraph ${id}["${mermaidText(`${ref.name} (${kind})`)}"]`);
        lines.push(`${indent}  direction TB`);
        children.forEach((child, i) => {
          if (ref.state.Type === "Parallel") {
            lines.push(`${indent}  subgraph ${id}_b${i}["${mermaidText(`Branch ${i + 1}`)}"]`);
            lines.push(`${indent}    direction TB`);
            renderScope(child, `${indent}    `, false);
            lines.push(`${indent}  end`);
          } else {
            renderScope(child, `${indent}  `, false);
          }
        });
        lines.push(`${indent}end`);
      } else {
        lines.push(`${indent}${id}${shape(ref.state.Type, nodeLabel(ref, options))}`);
        if (ref.state.Type === "Fail") classes.fail.push(id);
        if (ref.state.Type === "Succeed") classes.succeed.push(id);
        if (ref.state.Type === "Choice") classes.choice.push(id);
      }
    }

    const startAt = typeof scope.node.StartAt === "string" ? ids.get(scope.node.StartAt) : undefined;
    if (startAt) edges.push(`${startId} --> ${startAt}`);
    for (const ref of refs) {
      const id = ids.get(ref.name) as string;
      const choices = Array.isArray(ref.state.Choices) ? ref.state.Choices : [];
      const catches = Array.isArray(ref.state.Catch) ? ref.state.Catch : [];
      // Choice rules first, in rule order, then Default: the order in which Step Functions evaluates them.
      const ordered = transitions(ref.state).sort((a, b) => rank(a.field) - rank(b.field));
      for (const t of ordered) {
        const target = ids.get(t.target);
        // An unknown target is the lint's to report; drawing it would invent a state.
        if (!target) continue;
        const choice = /^Choices\[(\d+)\]/.exec(t.field);
        const caught = /^Catch\[(\d+)\]/.exec(t.field);
        if (choice) {
          const rule = choices[Number(choice[1])];
          edges.push(`${id} -->|"${mermaidText(isObject(rule) ? choiceCondition(rule) : "?")}"| ${target}`);
        } else if (caught) {
          const catcher = catches[Number(caught[1])];
          const errors = isObject(catcher) && Array.isArray(catcher.ErrorEquals) ? catcher.ErrorEquals.join(", ") : "?";
          edges.push(`${id} -.->|"${mermaidText(`catch ${errors}`)}"| ${target}`);
        } else if (t.field === "Default") {
          edges.push(`${id} -->|"${mermaidText("default")}"| ${target}`);
        } else {
          edges.push(`${id} --> ${target}`);
        }
      }
      if (ref.state.End === true || ref.state.Type === "Succeed" || ref.state.Type === "Fail") {
        edges.push(`${id} --> ${endId}`);
        needsEnd = true;
      }
    }
    if (needsEnd) {
      lines.push(`${indent}${endId}((("${top ? "End" : "end"}")))`);
      classes.terminal.push(endId);
    }
  };

  renderScope({ path: "", kind: "machine", node: definition }, "  ", true);
  lines.push(...edges.map((e) => `  ${e}`));
  for (const [name, ids] of Object.entries(classes) as Array<[keyof typeof CLASS_STYLES, string[]]>) {
    if (ids.length > 0) lines.push(`  classDef ${name} ${CLASS_STYLES[name]}`, `  class ${ids.join(",")} ${name}`);
  }
  return lines.join("\n");
}
