/** Amazon EventBridge: `events:putEvents`, on the bus of each entry. */

import { busArn } from "./arns";
import { DYNAMIC, type Grant, type Integration, STATES_DOC, type TaskView, dynamicGrant, text } from "./core";

/**
 * events:PutEvents on the bus of each entry's EventBusName (a name or an ARN;
 * the default bus when absent); one entry whose bus is computed at run time
 * makes it `*` with a warning. The optimized integration and the SDK call
 * (`aws-sdk:eventbridge:putEvents`, eventbridge.ts) take the same parameters,
 * in the API's PascalCase (`Entries[].EventBusName`), so both derive here.
 */
export function putEventsGrants(task: TaskView): Grant[] {
  const entries = task.field("Entries");
  if (entries === DYNAMIC) return [dynamicGrant(["events:PutEvents"], "Entries")];
  const buses = new Set<string>();
  let dynamic = false;
  for (const entry of Array.isArray(entries) ? entries : []) {
    const e = (entry ?? {}) as Record<string, unknown>;
    if ("EventBusName.$" in e || (typeof e.EventBusName === "string" && e.EventBusName.startsWith("{%"))) dynamic = true;
    else buses.add(busArn(text(e.EventBusName) ?? "default", task.arn));
  }
  if (dynamic) return [dynamicGrant(["events:PutEvents"], "Entries[].EventBusName")];
  if (buses.size === 0) buses.add(busArn("default", task.arn));
  return [{ actions: ["events:PutEvents"], resources: [...buses].sort(), reason: "put events on the bus in each entry's EventBusName (default bus when absent)" }];
}

export const EVENTS_PUT_EVENTS: Integration = {
  id: "events:putEvents",
  patterns: ["", ".waitForTaskToken"],
  doc: `${STATES_DOC}/connect-eventbridge.html`,
  grants: (task) => putEventsGrants(task),
};
