import { choiceCondition, mermaidDiagram, mermaidText } from "../../src/review/mermaid";
import { readDiagram, renderShipped } from "./helpers";

describe("diagrams of the shipped workflows", () => {
  test("order processing: the happy path, a dashed Catch edge from every Task to HandleError, Fail marked as an end", () => {
    const d = readDiagram(mermaidDiagram(renderShipped("order-processing")));
    expect(d.edges).toEqual([
      "Start --> ValidateOrder",
      "ValidateOrder --> ProcessPayment",
      "ValidateOrder -.->|catch States.ALL| HandleError",
      "ProcessPayment --> UpdateInventory",
      "ProcessPayment -.->|catch States.ALL| HandleError",
      "HandleError --> OrderFailed",
      "UpdateInventory -.->|catch States.ALL| HandleError",
      "UpdateInventory --> End",
      "OrderFailed --> End",
    ]);
  });

  test("parallel: one subgraph for the state holding one subgraph per branch, each with its own start and end", () => {
    const source = mermaidDiagram(renderShipped("parallel"));
    const d = readDiagram(source);
    expect(d.subgraphs).toEqual(["ParallelProcessing (Parallel, 2 branches)", "Branch 1", "Branch 2"]);
    expect(d.edges).toEqual([
      "start@Branch 1 --> ProcessA",
      "ProcessA --> end@Branch 1",
      "start@Branch 2 --> ProcessB",
      "ProcessB --> end@Branch 2",
      "Start --> ParallelProcessing (Parallel, 2 branches)",
      "ParallelProcessing (Parallel, 2 branches) --> CombineResults",
      "CombineResults --> End",
    ]);
    // The branches are declared inside the Parallel subgraph, not beside it.
    const lines = source.split("\n").map((l) => l.trim());
    const open = lines.findIndex((l) => l.startsWith("subgraph") && l.includes("ParallelProcessing"));
    const branch = lines.findIndex((l) => l.includes('["Branch 2"]'));
    const processB = lines.findIndex((l) => l.includes('"ProcessB'));
    const combine = lines.findIndex((l) => l.includes('"CombineResults'));
    expect(open).toBeLessThan(branch);
    expect(branch).toBeLessThan(processB);
    expect(lines.slice(processB, combine).filter((l) => l === "end")).toHaveLength(2);
  });

  test("map: the item processor is a subgraph labelled with the concurrency limit", () => {
    const d = readDiagram(mermaidDiagram(renderShipped("map")));
    expect(d.subgraphs).toEqual(["ProcessItems (Map, at most 5 at a time)"]);
    expect(d.edges).toEqual([
      "start@ProcessItems (Map, at most 5 at a time) --> ProcessItem",
      "ProcessItem --> end@ProcessItems (Map, at most 5 at a time)",
      "Start --> ProcessItems (Map, at most 5 at a time)",
      "ProcessItems (Map, at most 5 at a time) --> End",
    ]);
  });

  test("choice: each branch labelled with its condition (escaped quotes), then the default", () => {
    const source = mermaidDiagram(renderShipped("choice"));
    expect(readDiagram(source).edges).toEqual([
      "Start --> CheckCondition",
      "CheckCondition -->|$.orderType == #quot;premium#quot;| PremiumProcessing",
      "CheckCondition -->|default| StandardProcessing",
      "PremiumProcessing --> End",
      "StandardProcessing --> End",
    ]);
    expect(source).toMatch(/^ {2}n\d+\{"CheckCondition<br\/><small>choice<\/small>"\}$/m);
  });

  test("error handling: two Catch edges labelled with their error names, in Catch order", () => {
    const d = readDiagram(mermaidDiagram(renderShipped("error-handling")));
    expect(d.edges.filter((e) => e.includes("-.->"))).toEqual([
      "ValidateInput -.->|catch CustomError.ValidationFailed| HandleValidationError",
      "ValidateInput -.->|catch States.ALL| HandleGenericError",
    ]);
  });

  test("a Task shows the function it invokes", () => {
    expect(mermaidDiagram(renderShipped("sequential"))).toContain('["Step1<br/><small>λ my-app-dev-normalize-record</small>"]');
  });
});

describe("escaping", () => {
  test.each([
    ['say "hi"', "say #quot;hi#quot;"],
    ["#1 <b>", "#35;1 #lt;b#gt;"],
    ["a|b;c", "a#124;b#59;c"],
    ["[x]{y}", "#91;x#93;#123;y#125;"],
    ["`code` & more", "#96;code#96; #amp; more"],
    ["two\nlines", "two lines"],
  ])("%j -> %j", (input, expected) => {
    expect(mermaidText(input)).toBe(expected);
  });

  test("hostile state names never reach the syntax: ids are generated, labels are entity-escaped", () => {
    const name = 'Check "VIP" <customer> #1 [a] {b} (c) | d; e & f';
    const source = mermaidDiagram({
      StartAt: name,
      States: {
        [name]: { Type: "Choice", Choices: [{ Variable: "$.tier", StringEquals: 'gold"]', Next: "end -->" }], Default: "end -->" },
        "end -->": { Type: "Succeed" },
      },
    });
    for (const line of source.split("\n").slice(1)) {
      // Every quoted label is free of the characters that would end it or start markup.
      for (const label of line.match(/"[^"]*"/g) ?? []) {
        const text = label.slice(1, -1).replace(/<br\/><small>|<\/small>/g, "").replace(/#\w+;/g, "");
        expect(text).not.toMatch(/[<>"`|;[\]{}#]/);
      }
      expect(line).toMatch(/^\s+(n\d+|class|classDef|subgraph|end$)/);
    }
    expect(source).toContain("Check #quot;VIP#quot; #lt;customer#gt; #35;1 #91;a#93; #123;b#125; (c) #124; d#59; e #amp; f");
  });

  test("long labels are cut", () => {
    expect(mermaidText("x".repeat(200))).toHaveLength(90);
  });
});

describe("choice conditions", () => {
  test.each([
    [{ Variable: "$.n", NumericGreaterThanEquals: 10 }, "$.n >= 10"],
    [{ Variable: "$.a", StringEqualsPath: "$.b" }, "$.a == $.b"],
    [{ Variable: "$.x", IsPresent: false }, "$.x is not present"],
    [{ Variable: "$.x", IsNull: true }, "$.x is null"],
    [{ Not: { Variable: "$.s", StringMatches: "a*" } }, 'not ($.s matches "a*")'],
    [{ And: [{ Variable: "$.a", BooleanEquals: true }, { Variable: "$.b", NumericLessThan: 3 }] }, "($.a == true) and ($.b < 3)"],
    [{ Or: [{ Variable: "$.a", TimestampGreaterThan: "2024-01-01T00:00:00Z" }] }, '($.a > "2024-01-01T00:00:00Z")'],
    [{ Condition: "{% $states.input.n > 1 %}" }, "{% $states.input.n > 1 %}"],
  ])("%j", (rule, text) => {
    expect(choiceCondition(rule as Record<string, unknown>)).toBe(text);
  });
});
