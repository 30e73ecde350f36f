/**
 * EventBridge rules and targets called through `aws-sdk:eventbridge:<action>`
 * (and the older `aws-sdk:cloudwatchevents:<action>`). IAM authorizes the rule
 * actions (DeleteRule, DescribeRule, DisableRule, EnableRule,
 * ListTargetsByRule, PutRule, PutTargets, RemoveTargets) on the RULE, whose
 * ARN is `arn:<partition>:events:<region>:<account>:rule/<rule>` on the
 * default bus and `...:rule/<bus>/<rule>` on any other; ListRules,
 * ListRuleNamesByTarget, PutPermission, RemovePermission and ListEventBuses
 * on no resource (`*`). Source: the Service
 * Authorization Reference (EVENTBRIDGE_IAM_DOC: the actions table gives their
 * resource types, the resource types table the ARN formats).
 *
 * The bus is still what the call reads: a bus with a customer-managed key
 * needs kms:Decrypt on it (kms.ts), so each grant names it in `touches`.
 * Passing a role (PutRule's RoleArn, a target's RoleArn, which EventBridge
 * assumes to reach the target) needs iam:PassRole on that role (PASS_ROLE_DOC).
 *
 * PutEvents takes the optimized integration's parameters (`Entries[].EventBusName`)
 * and derives as it does (integrations/events.ts). DescribeEventBus,
 * DeleteEventBus and UpdateEventBus name their bus in `Name`: IAM authorizes them
 * on the event-bus resource.
 */

import { type ArnContext, DYNAMIC, type Grant, type TaskView, arnOf, busArn, dynamicGrant, literalPrefix, target, text } from "./integrations";
import { putEventsGrants } from "./integrations/events";

export const EVENTBRIDGE_IAM_DOC = "https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazoneventbridge.html";
export const PASS_ROLE_DOC = "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_passrole.html";

/** SDK action -> the parameter that names its rule. */
export const RULE_NAME_FIELD: Readonly<Record<string, "Name" | "Rule">> = {
  deleteRule: "Name",
  describeRule: "Name",
  disableRule: "Name",
  enableRule: "Name",
  putRule: "Name",
  listTargetsByRule: "Rule",
  putTargets: "Rule",
  removeTargets: "Rule",
};

/**
 * Bus calls whose bus is in `Name` (a name or an ARN): IAM authorizes them on the
 * event-bus resource. DescribeEventBus without Name describes the default bus.
 */
const BUS_NAME_CALLS = new Set(["describeEventBus", "deleteEventBus", "updateEventBus"]);

/**
 * Calls AWS defines on no resource, so only `*` authorizes them: listing rules
 * (though they read the rules of one bus, kept as what the call touches),
 * PutPermission and RemovePermission (they change the policy of the bus in
 * EventBusName, yet a grant on that bus would not match), ListEventBuses.
 */
const NO_RESOURCE = new Set(["listRules", "listRuleNamesByTarget", "putPermission", "removePermission", "listEventBuses"]);

/** The service EventBridge passes a target's or a rule's role to. */
const PASSED_TO = { test: "StringEquals", variable: "iam:PassedToService", values: ["events.amazonaws.com"] };

interface Bus {
  /** The bus's ARN, for the KMS derivation; undefined when not known at synthesis. */
  readonly arn?: string;
  /** The start of its rules' ARNs: `arn:...:rule/` (default bus) or `arn:...:rule/<bus>/`. */
  readonly rules: string;
}

const BUS_ARN = /^arn:([^:]+):events:([^:]*):([^:]*):event-bus\/(.+)$/;

/** A bus given by ARN: its rules live in its partition, region and account. */
function busFromArn(arn: string): Bus | undefined {
  const m = BUS_ARN.exec(arn);
  if (!m) return undefined;
  const [, partition, region, account, name] = m;
  return { arn, rules: `arn:${partition}:events:${region}:${account}:rule/${name === "default" ? "" : `${name}/`}` };
}

/**
 * The bus in EventBusName (a name or an ARN; the default bus when absent). A
 * value the context maps to a declared bus's ARN is the bus's name when it is
 * not that ARN itself; when it is the ARN (a Terraform reference), the name is
 * the other value mapped to the same ARN. Undefined when the name cannot be known.
 */
function busOf(value: string | undefined, arn: ArnContext): Bus | undefined {
  if (value === undefined || value === "default") return { arn: busArn("default", arn), rules: arnOf(arn, "events", "rule/") };
  const literal = busFromArn(value);
  if (literal) return literal;
  const ref = arn.references?.[value];
  if (ref) {
    const declared = busFromArn(ref);
    if (declared) return declared;
    const name = ref === value ? Object.keys(arn.references ?? {}).find((k) => k !== value && arn.references?.[k] === ref && !k.startsWith("https://")) : value;
    return name === undefined ? undefined : { arn: ref, rules: arnOf(arn, "events", `rule/${name}/`) };
  }
  if (value.startsWith("arn:")) return undefined;
  return { arn: busArn(value, arn), rules: arnOf(arn, "events", `rule/${value}/`) };
}

/** The rule's ARN (a wildcard where a part is computed at run time), the bus it touches, and why it is broad. */
function ruleGrant(task: TaskView, actions: readonly string[], field: "Name" | "Rule"): Grant[] | undefined {
  const rule = target(task, field);
  if (rule === undefined) return undefined;
  const ruleName = rule === DYNAMIC ? `${literalPrefix(task.expression?.(field))}*` : rule;
  const busValue = target(task, "EventBusName");
  if (busValue === DYNAMIC) {
    // On the default bus (`rule/<rule>`) or any other (`rule/<bus>/<rule>`).
    const resources = rule === DYNAMIC ? [arnOf(task.arn, "events", "rule/*")] : [arnOf(task.arn, "events", `rule/${ruleName}`), arnOf(task.arn, "events", `rule/*/${ruleName}`)];
    return [{ ...dynamicGrant(actions, rule === DYNAMIC ? `${field} and EventBusName` : "EventBusName", resources), doc: EVENTBRIDGE_IAM_DOC }];
  }
  const bus = busOf(busValue, task.arn);
  if (bus === undefined) {
    // Not computed at run time (SFN125 says nothing), so this warning is the only one.
    const why = `EventBusName ${busValue} is an ARN whose bus name is not known at synthesis`;
    return [
      {
        actions,
        resources: [arnOf(task.arn, "events", `rule/*/${ruleName}`)],
        reason: `${why}: granted on the rule on any custom bus`,
        warning: `${actions.join(", ")}: ${why}, so the rule is granted on any custom bus. Fix: give the bus's name.`,
        doc: EVENTBRIDGE_IAM_DOC,
      },
    ];
  }
  const touches = bus.arn ? [bus.arn] : [];
  const on = busValue === undefined ? "the default bus" : "the bus in EventBusName";
  if (rule === DYNAMIC) return [{ ...dynamicGrant(actions, field, [`${bus.rules}${ruleName}`]), touches, doc: EVENTBRIDGE_IAM_DOC }];
  return [{ actions, resources: [`${bus.rules}${ruleName}`], reason: `on the rule in ${field} on ${on}: IAM authorizes rule actions on the rule, not the bus`, touches, doc: EVENTBRIDGE_IAM_DOC }];
}

/** iam:PassRole on each role the call hands EventBridge: PutRule's RoleArn, every target's RoleArn. */
function passRoleGrants(task: TaskView, action: string): Grant[] {
  const roles = new Set<string>();
  const dynamic: string[] = [];
  const isExpression = (v: unknown) => typeof v === "string" && v.trim().startsWith("{%");
  if (action === "putRule") {
    const role = target(task, "RoleArn");
    if (role === DYNAMIC) dynamic.push("RoleArn");
    else if (role !== undefined) roles.add(task.arn.references?.[role] ?? role);
  }
  if (action === "putTargets") {
    const targets = task.field("Targets");
    if (targets === DYNAMIC) dynamic.push("Targets");
    for (const t of Array.isArray(targets) ? targets : []) {
      const entry = (t ?? {}) as Record<string, unknown>;
      if ("RoleArn.$" in entry || isExpression(entry.RoleArn)) dynamic.push("Targets[].RoleArn");
      else {
        const role = text(entry.RoleArn);
        if (role) roles.add(task.arn.references?.[role] ?? role);
      }
    }
  }
  const grants: Grant[] = [];
  if (roles.size > 0) {
    grants.push({ actions: ["iam:PassRole"], resources: [...roles].sort(), conditions: [PASSED_TO], reason: "EventBridge assumes this role (the rule's or a target's), so the caller must pass it", doc: PASS_ROLE_DOC });
  }
  if (dynamic.length > 0) {
    const field = [...new Set(dynamic)].join(" and ");
    const roleWildcard = `arn:${task.arn.partition}:iam::${task.arn.accountId}:role/*`;
    grants.push({ ...dynamicGrant(["iam:PassRole"], field, [roleWildcard]), conditions: [PASSED_TO], doc: PASS_ROLE_DOC });
  }
  return grants;
}

/** The bus a bus call names in `Name`; undefined when absent (except DescribeEventBus: the default bus). */
function busByName(task: TaskView, actions: readonly string[], action: string): Grant[] | undefined {
  const name = target(task, "Name");
  if (name === DYNAMIC) return [{ ...dynamicGrant(actions, "Name"), doc: EVENTBRIDGE_IAM_DOC }];
  if (name === undefined && action !== "describeEventBus") return undefined;
  const reason = name === undefined ? "on the default bus, which DescribeEventBus describes when Name is absent" : "on the bus in Name";
  return [{ actions, resources: [busArn(name ?? "default", task.arn)], reason, doc: EVENTBRIDGE_IAM_DOC }];
}

/**
 * The grants of an EventBridge SDK call, or undefined to fall back to the bus
 * in EventBusName (the other actions), or to `*` when no rule applies.
 */
export function eventBridgeGrants(task: TaskView, actions: readonly string[], action: string): Grant[] | undefined {
  // The same parameters as the optimized events:putEvents integration, so the same grants.
  if (action === "putEvents") return putEventsGrants(task).map((g) => ({ ...g, doc: EVENTBRIDGE_IAM_DOC }));
  if (BUS_NAME_CALLS.has(action)) return busByName(task, actions, action);
  const field = RULE_NAME_FIELD[action];
  if (field) {
    const rule = ruleGrant(task, actions, field);
    return rule ? [...rule, ...passRoleGrants(task, action)] : undefined;
  }
  if (NO_RESOURCE.has(action)) {
    // ListEventBuses reads no bus; the others take EventBusName (the default bus when absent).
    const busValue = target(task, "EventBusName");
    const bus = busValue === DYNAMIC || action === "listEventBuses" ? undefined : busOf(busValue, task.arn);
    return [{ actions, resources: ["*"], reason: `aws-sdk:eventbridge:${action}: AWS defines no resource for ${actions.join(", ")}, so it is granted on "*"`, touches: bus?.arn ? [bus.arn] : [], doc: EVENTBRIDGE_IAM_DOC }];
  }
  // TagResource, UntagResource, ListTagsForResource: the rule or bus in ResourceARN.
  const resourceArn = target(task, "ResourceARN");
  if (typeof resourceArn === "string") return [{ actions, resources: [task.arn.references?.[resourceArn] ?? resourceArn], reason: "on the resource in ResourceARN", doc: EVENTBRIDGE_IAM_DOC }];
  if (resourceArn === DYNAMIC) return [dynamicGrant(actions, "ResourceARN")];
  const bus = target(task, "EventBusName");
  if (bus === undefined) return undefined;
  if (bus === DYNAMIC) return [dynamicGrant(actions, "EventBusName")];
  return [{ actions, resources: [busArn(bus, task.arn)], reason: "on the bus in EventBusName" }];
}
