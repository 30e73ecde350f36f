/**
 * `sfn-workflows test-state`: one state of a catalogued workflow through
 * testState, and the response printed for people (src/cli/commands/test-state.ts
 * parses the flags and reads the files).
 */
import { prepareWorkflow } from "./workflow";
import { TestStateResponse, testState } from "./test-state";
import type { InspectionLevel } from "./test-state-request";

type Json = any;

export interface WorkflowTestStateArgs {
  readonly workflow: string;
  readonly state: string;
  readonly input: Json;
  readonly mock?: Json;
  readonly variables?: Json;
  readonly context?: Json;
  readonly stateConfiguration?: Json;
  readonly inspectionLevel?: InspectionLevel;
  readonly stage?: string;
  readonly cwd?: string;
}

/** One state of a catalogued workflow, rendered for a stage, with its real handlers. */
export async function testWorkflowState(args: WorkflowTestStateArgs): Promise<TestStateResponse> {
  const prepared = await prepareWorkflow(args.workflow, { stage: args.stage, cwd: args.cwd });
  let mock = args.mock;
  // The API's mock.result is a JSON string; on the command line a JSON value is accepted too.
  if (mock && typeof mock === "object" && mock.result !== undefined && typeof mock.result !== "string") mock = { ...mock, result: JSON.stringify(mock.result) };
  return testState(
    {
      definition: prepared.definition,
      stateName: args.state,
      input: JSON.stringify(args.input),
      mock,
      variables: args.variables === undefined ? undefined : JSON.stringify(args.variables),
      context: args.context === undefined ? undefined : JSON.stringify(args.context),
      stateConfiguration: args.stateConfiguration,
      inspectionLevel: args.inspectionLevel,
    },
    { resolveHandler: prepared.resolveHandler, region: prepared.region, stateMachineName: prepared.stateMachineName }
  );
}

/** The response for people: status, next state, output or error, and the inspection data one step per line. */
export function formatTestState(r: TestStateResponse): string {
  const lines = [`Status:     ${r.status}`];
  if (r.nextState !== undefined) lines.push(`Next state: ${r.nextState}`);
  if (r.error !== undefined) lines.push(`Error:      ${r.error}`);
  if (r.cause !== undefined) lines.push(`Cause:      ${r.cause}`);
  if (r.output !== undefined) lines.push(`Output:     ${r.output}`);
  const d = r.inspectionData;
  if (d) {
    lines.push("", "Inspection data:");
    for (const [k, v] of Object.entries(d)) lines.push(`  ${k.padEnd(20)} ${typeof v === "string" ? v : JSON.stringify(v)}`);
  }
  return lines.join("\n");
}
