/**
 * Look-ups in the workflow catalogue (workflows/catalogue.ts holds only the
 * data): by name, with an unknown name reported as a project error.
 */
import { WORKFLOWS, type WorkflowSpec } from "../workflows/catalogue";
import { UnknownWorkflowError } from "./errors";

export { WORKFLOWS };
export type { WorkflowSpec };

export function workflowNames(): string[] {
  return WORKFLOWS.map((w) => w.name);
}

/** The workflow called `name`, or undefined. */
export function findWorkflow(name: string): WorkflowSpec | undefined {
  return WORKFLOWS.find((w) => w.name === name);
}

/** The workflow called `name`; an unknown name is an error that lists the known ones. */
export function getWorkflow(name: string): WorkflowSpec {
  const found = findWorkflow(name);
  if (!found) throw new UnknownWorkflowError(name, workflowNames());
  return found;
}
