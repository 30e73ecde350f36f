import { runDefinition } from "../../src/executor/index";
import { formatDuration, formatVisits, stateVisits } from "../../src/executor/summary";

describe("states visited", () => {
  test("durations on the virtual clock, retries, caught and failed states, nested states included", async () => {
    let calls = 0;
    const def = {
      StartAt: "W",
      States: {
        W: { Type: "Wait", Seconds: 90, Next: "T" },
        T: {
          Type: "Task",
          Resource: "arn:aws:lambda:us-east-1:1:function:f",
          Retry: [{ ErrorEquals: ["States.ALL"], IntervalSeconds: 2 }],
          Next: "P",
        },
        P: {
          Type: "Parallel",
          Branches: [{ StartAt: "Bad", States: { Bad: { Type: "Fail", Error: "X" } } }],
          Catch: [{ ErrorEquals: ["States.ALL"], Next: "End" }],
          Next: "End",
        },
        End: { Type: "Fail", Error: "Done" },
      },
    };
    const r = await runDefinition(def, {}, {
      startTime: "2024-01-01T00:00:00Z",
      lambdas: { f: () => (++calls < 2 ? Promise.reject(new Error("once")) : "ok") },
    });
    expect(stateVisits(r.history)).toEqual([
      { name: "W", type: "Wait", durationMs: 90_000, outcome: "ok", retries: 0 },
      { name: "T", type: "Task", durationMs: 2_000, outcome: "retried", retries: 1 },
      { name: "P", type: "Parallel", durationMs: 0, outcome: "caught", retries: 0 },
      { name: "Bad", type: "Fail", durationMs: undefined, outcome: "failed", retries: 0 },
      { name: "End", type: "Fail", durationMs: undefined, outcome: "failed", retries: 0 },
    ]);
    expect(formatVisits(stateVisits(r.history)).split("\n")[0]).toBe("#  state  type      duration    result");
  });

  test.each([
    [undefined, "-"],
    [250, "250 ms"],
    [2000, "2 s"],
    [1500, "1.500 s"],
    [90_000, "1 min 30 s"],
    [7_200_000, "2 h 0 min"],
  ])("formatDuration(%p) = %p", (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});
