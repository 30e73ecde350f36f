/** HTTPS APIs: `http:invoke`, authorized on the state machine, through an EventBridge connection. */

import { arnOf, known, stateMachineArn } from "./arns";
import { type Condition, DYNAMIC, type Grant, type Integration, STATES_DOC, type TaskView, dynamicGrant, target } from "./core";

/**
 * Where an HTTP Task names its EventBridge connection: `InvocationConfig.ConnectionArn`
 * (recommended by AWS, for public and private APIs) or `Authentication.ConnectionArn`
 * (kept for backwards compatibility); call-https-apis.html, "HTTP Task fields". The
 * permissions AWS lists for the Task are the same either way, so either gets the same
 * grants; a Task giving both gets both connections' grants.
 */
export const HTTP_CONNECTION_FIELDS = ["InvocationConfig.ConnectionArn", "Authentication.ConnectionArn"] as const;

/** The connection's credentials and the Secrets Manager secret EventBridge keeps them in, for every connection the HTTP Task names. */
function connectionGrants(task: TaskView): Grant[] {
  const secretActions = ["secretsmanager:DescribeSecret", "secretsmanager:GetSecretValue"];
  const given = HTTP_CONNECTION_FIELDS.map((field) => ({ field, value: target(task, field) })).filter((c) => c.value !== undefined);
  const dynamic = given.filter((c) => c.value === DYNAMIC).map((c) => c.field);
  // Arguments computed as a whole make every field dynamic: one pair of grants, naming the fields once.
  const dynamicField = dynamic.join(" or ");
  const grants: Grant[] = [];
  if (dynamic.length > 0) {
    grants.push(
      dynamicGrant(["events:RetrieveConnectionCredentials"], dynamicField, [arnOf(task.arn, "events", "connection/*")]),
      dynamicGrant(secretActions, dynamicField, [arnOf(task.arn, "secretsmanager", "secret:events!connection/*")]),
    );
  }
  const seen = new Set<string>();
  for (const { field, value } of given) {
    if (typeof value !== "string") continue;
    const connectionArn = known(value, task.arn) ?? value;
    if (seen.has(connectionArn)) continue;
    seen.add(connectionArn);
    // arn:aws:events:<region>:<account>:connection/<name>/<uuid>: the connection's secret is events!connection/<name>/<uuid>-suffix.
    const parsed = /^arn:[^:]+:events:([^:]*):([^:]*):connection\/([^/]+)(?:\/.*)?$/.exec(connectionArn);
    const secret = parsed
      ? arnOf(task.arn, "secretsmanager", `secret:events!connection/${parsed[3]}/*`, parsed[1], parsed[2])
      : arnOf(task.arn, "secretsmanager", "secret:events!connection/*");
    grants.push(
      { actions: ["events:RetrieveConnectionCredentials"], resources: [connectionArn], reason: `read the credentials of the EventBridge connection in ${field}` },
      { actions: secretActions, resources: [secret], reason: "the connection keeps its credentials in this Secrets Manager secret, which EventBridge manages" },
    );
  }
  return grants;
}

export const HTTP_INVOKE: Integration = {
  id: "http:invoke",
  patterns: [""],
  doc: `${STATES_DOC}/call-https-apis.html`,
  grants: (task) => {
    const method = target(task, "Method");
    const endpoint = target(task, "ApiEndpoint");
    const conditions: Condition[] = [];
    if (typeof method === "string") conditions.push({ test: "StringEquals", variable: "states:HTTPMethod", values: [method] });
    if (typeof endpoint === "string") conditions.push({ test: "StringLike", variable: "states:HTTPEndpoint", values: [endpoint] });
    const dynamicFields = [method === DYNAMIC ? "Method" : "", endpoint === DYNAMIC ? "ApiEndpoint" : ""].filter(Boolean);
    const invoke: Grant = {
      actions: ["states:InvokeHTTPEndpoint"],
      resources: [stateMachineArn(task.arn)],
      conditions,
      reason: "call the HTTPS endpoint in ApiEndpoint with the Method (the conditions pin both)",
      ...(dynamicFields.length > 0
        ? { warning: `states:InvokeHTTPEndpoint: ${dynamicFields.join(" and ")} computed at run time, so the grant is not limited to one ${dynamicFields.map((f) => (f === "Method" ? "method" : "endpoint")).join(" or ")}. Fix: give them literally.` }
        : {}),
    };
    return [invoke, ...connectionGrants(task)];
  },
};
