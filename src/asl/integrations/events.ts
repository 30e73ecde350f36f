/** Amazon EventBridge: `events:putEvents`, on the bus of each entry. */

import { busArn } from "./arns";
import { DYNAMIC, type Integration, STATES_DOC, dynamicGrant, text } from "./core";

export const EVENTS_PUT_EVENTS: Integration = {
  id: "events:putEvents",
  patterns: ["", ".waitForTaskToken"],
  doc: `${STATES_DOC}/connect-eventbridge.html`,
  grants: (task) => {
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
  },
};
