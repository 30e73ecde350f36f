/**
 * Existing declared resources (workflows/resources.ts, `RESOURCE_<NAME>_ARN`)
 * as module variables. Each per-resource setting of the stage configuration is
 * one entry of RESOURCE_SETTINGS: its variable, validations, sentinel value and
 * the texts derived from the value that become expressions; a new per-resource
 * setting is one more entry.
 *
 * The ARN: `var.<name>_arn`, required (an ARN has no default that fits every
 * stage), validated with the project's own checks and messages
 * (src/config/resources.ts, parseResourceArn): the ARN itself, the service, the
 * account (empty region and account for S3) and the resource's shape as
 * `validation` blocks, each only when the ones before it pass, as the project
 * reports the first problem; the partition and the region, which the project
 * checks against REGION, as postconditions of `data.aws_region.current` (the
 * caller's provider), so they are reported after the others. The messages are
 * the project's, made from parseResourceArn's own text.
 */
import { RESOURCE_PART, SERVICE, parseResourceArn } from "../config/resources";
import type { StageConfig } from "../config/stage";
import { type DeclaredResource, resourceArnVariable } from "../../workflows/resources";
import { hclMessage, hclString } from "./hcl-text";
import type { Sentinel } from "./sentinel";
import { ModuleError } from "./transform";

const snake = (name: string) => name.replace(/-/g, "_");

/** `local.existing_resources.<name>`: the attributes templates and policies use, derived from the variables. */
export const existingLocal = (decl: DeclaredResource) => `local.existing_resources.${snake(decl.name)}`;

type Check = readonly [condition: string, message: string];

export interface SentinelValue {
  /** What the sentinel stage's configuration sets. */
  readonly value: string;
  /** Texts the stack holds because of it (the value first), and the expression each becomes. */
  readonly pieces: ReadonlyArray<readonly [string, string]>;
}

export interface ResourceSetting {
  /** A variable of every existing resource (the ARN); otherwise one only when every configured stage sets it (src/module/inputs.ts). */
  readonly always?: boolean;
  /** The stage configuration key, e.g. `RESOURCE_ORDERS_ARN`. */
  key(decl: DeclaredResource): string;
  /** The module variable, e.g. `orders_arn`. */
  variable(decl: DeclaredResource): string;
  description(decl: DeclaredResource): string;
  /** Its default as HCL, or undefined: required. */
  default(decl: DeclaredResource): string | undefined;
  validations(decl: DeclaredResource): Check[];
  /** Checks that need the caller's region or partition: postconditions of data.aws_region.current (`self` is the region). */
  regionChecks(decl: DeclaredResource): Check[];
  /** Attributes of local.existing_resources.<name> this setting derives (HCL expressions). */
  locals(decl: DeclaredResource): Record<string, string>;
  /** The value sentinel stage `index` gets (the n-th existing resource: `position`). */
  sentinel(decl: DeclaredResource, s: Sentinel, index: number, position: number): SentinelValue;
  /** What a configured stage sets (the example roots pass it). */
  stageValue(c: StageConfig, decl: DeclaredResource): string | undefined;
}

/** The whole ARN: `^(?:<field>:){5}` then the resource part's own pattern; group 1 is the name. */
export function arnPattern(decl: DeclaredResource): string {
  return `^(?:[^:]*:){5}${RESOURCE_PART[decl.kind].pattern.source.replace(/^\^/, "").replace(/\\\//g, "/")}`;
}

/**
 * The project's message for `arn` in `region`, its literal pieces turned into
 * expressions (`Received: "<arn>"` first). A piece the message lacks means
 * src/config/resources.ts changed its wording: said, not guessed.
 */
function projectMessage(decl: DeclaredResource, arn: string, region: string, pieces: ReadonlyArray<readonly [string, string]>, received: string): string {
  const message = parseResourceArn(decl, arn, region);
  if (typeof message !== "string") throw new ModuleError(`module: parseResourceArn accepted ${JSON.stringify(arn)} for resource "${decl.name}"; src/module/resource-variables.ts expects it to be refused. Update the probe.`);
  let text = message;
  const expressions: string[] = [];
  for (const [literal, expression] of [[JSON.stringify(arn), received] as const, ...pieces]) {
    if (!text.includes(literal)) throw new ModuleError(`module: the project's message for resource "${decl.name}" no longer holds ${JSON.stringify(literal)}: ${message}. Update src/module/resource-variables.ts to the new wording.`);
    text = text.split(literal).join(`@@${expressions.length}@@`);
    expressions.push(expression);
  }
  return hclMessage(text, expressions);
}

/** Each check only when the ones before it pass: the first problem is the one reported, as in the project. */
function guarded(checks: ReadonlyArray<readonly [string, string]>): Check[] {
  return checks.map(([condition, message], i) => {
    if (i === 0) return [condition, message] as const;
    const before = checks.slice(0, i).map(([c]) => `(${c})`).join(" && ");
    return [`!(${before}) || (${condition})`, message] as const;
  });
}

const PROBE_REGION = "us-east-1";
const PROBE_ACCOUNT = "123456789012";

export const ARN_SETTING: ResourceSetting = {
  always: true,
  key: (decl) => resourceArnVariable(decl.name),
  variable: (decl) => `${snake(decl.name)}_arn`,
  description: (decl) => `ARN of the existing ${decl.kind} "${decl.name}" (${resourceArnVariable(decl.name)}): ${RESOURCE_PART[decl.kind].shape}, in the provider's region and partition. ${decl.description}`,
  default: () => undefined,
  validations(decl) {
    const v = `var.${this.variable(decl)}`;
    const part = (i: number) => `try(split(":", ${v})[${i}], "")`;
    const received = `jsonencode(${v})`;
    const service = SERVICE[decl.kind];
    const checks: Array<readonly [string, string]> = [
      [`length(split(":", ${v})) >= 6 && split(":", ${v})[0] == "arn"`, projectMessage(decl, "NOTANARN", PROBE_REGION, [], received)],
      [`${part(2)} == ${hclString(service)}`, projectMessage(decl, `arn:aws:QQSERVICE:${PROBE_REGION}:${PROBE_ACCOUNT}:x`, PROBE_REGION, [["QQSERVICE", part(2)]], received)],
    ];
    if (decl.kind === "s3-bucket") {
      checks.push([`${part(3)} == "" && ${part(4)} == ""`, projectMessage(decl, `arn:aws:s3:QQREGION:QQACCOUNT:bucket`, PROBE_REGION, [], received)]);
    } else {
      checks.push([
        `can(regex("^[0-9]{12}$", ${part(4)}))`,
        projectMessage(decl, `arn:aws:${service}:${PROBE_REGION}:QQACCOUNT:x`, PROBE_REGION, [["QQACCOUNT", part(4)]], received),
      ]);
    }
    const shapeProbe = decl.kind === "s3-bucket" ? "arn:aws:s3:::QQ/SHAPE!" : `arn:aws:${service}:${PROBE_REGION}:${PROBE_ACCOUNT}:QQ/SHAPE!`;
    checks.push([`can(regex(${hclString(arnPattern(decl))}, ${v}))`, projectMessage(decl, shapeProbe, PROBE_REGION, [], received)]);
    return guarded(checks);
  },
  regionChecks(decl) {
    const v = `var.${this.variable(decl)}`;
    const part = (i: number) => `split(":", ${v})[${i}]`;
    const received = `jsonencode(${v})`;
    const service = SERVICE[decl.kind];
    const resource = decl.kind === "s3-bucket" ? ":bucket" : `${PROBE_ACCOUNT}:x`;
    const checks: Array<readonly [string, string]> = [
      [
        `${part(1)} == data.aws_partition.current.partition`,
        projectMessage(
          decl,
          `arn:QQPARTITION:${service}:${decl.kind === "s3-bucket" ? "" : PROBE_REGION}:${resource}`,
          PROBE_REGION,
          [
            [PROBE_REGION, "self.name"],
            ['"aws"', "jsonencode(data.aws_partition.current.partition)"],
            ["QQPARTITION", part(1)],
          ],
          received,
        ),
      ],
    ];
    if (decl.kind !== "s3-bucket") {
      checks.push([
        `${part(3)} == self.name`,
        projectMessage(decl, `arn:aws:${service}:QQREGION:${resource}`, PROBE_REGION, [[PROBE_REGION, "self.name"], ["QQREGION", part(3)]], received),
      ]);
    }
    return guarded(checks);
  },
  locals(decl) {
    const v = `var.${this.variable(decl)}`;
    const name = `regex(${hclString(arnPattern(decl))}, ${v})[0]`;
    const out: Record<string, string> = { name: `\${${name}}` };
    if (decl.kind !== "s3-bucket") out.account_id = `\${split(":", ${v})[4]}`;
    if (decl.kind === "sqs-queue") {
      out.url = `https://sqs.\${split(":", ${v})[3]}.\${split(":", ${v})[1] == "aws-cn" ? "amazonaws.com.cn" : "amazonaws.com"}/\${split(":", ${v})[4]}/\${${name}}`;
    }
    return out;
  },
  sentinel(decl, s, index, position) {
    const name = `${index === 0 ? "modres" : "altres"}-${decl.name}`;
    const account = `${index === 0 ? "7391" : "8462"}${String(position).padStart(8, "0")}`;
    const rest: Record<DeclaredResource["kind"], string> = {
      "dynamodb-table": `table/${name}`,
      "sns-topic": name,
      "sqs-queue": name,
      "s3-bucket": name,
      "event-bus": `event-bus/${name}`,
      secret: `secret:${name}-${index === 0 ? "Mq7Zx2" : "Rt4Wk8"}`,
      "eventbridge-connection": `connection/${name}/${index === 0 ? "0d1e2a3d-modres" : "0e1f2b3c-altres"}`,
    };
    const value = decl.kind === "s3-bucket" ? `arn:aws:s3:::${name}` : `arn:aws:${SERVICE[decl.kind]}:${s.region}:${account}:${rest[decl.kind]}`;
    const local = existingLocal(decl);
    const pieces: Array<readonly [string, string]> = [[value, `\${var.${this.variable(decl)}}`]];
    if (decl.kind === "sqs-queue") pieces.push([`https://sqs.${s.region}.amazonaws.com/${account}/${name}`, `\${${local}.url}`]);
    pieces.push([name, `\${${local}.name}`]);
    if (decl.kind !== "s3-bucket") pieces.push([account, `\${${local}.account_id}`]);
    return { value, pieces };
  },
  stageValue: (c, decl) => c.resources[decl.name]?.arn,
};

/** Every per-resource setting of an existing resource (one entry per `RESOURCE_<NAME>_...` key). */
export const RESOURCE_SETTINGS: readonly ResourceSetting[] = [ARN_SETTING];
