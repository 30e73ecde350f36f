/**
 * Declared resources (workflows/resources.ts) for one stage: which are created
 * and which are existing (RESOURCE_<NAME>_ARN), their ARNs validated up front,
 * and the values templates get for them in local runs.
 */
import {
  type DeclaredResource,
  EXISTING_ONLY,
  RESOURCES,
  RESOURCE_ATTRIBUTES,
  type ResourceAttribute,
  type ResourceKind,
  resourceArnVariable,
  resourceKmsKeyVariable,
} from "../../workflows/resources";
import { LOCAL_ACCOUNT_ID, type NameParts, prefix } from "./naming";
import { partitionOf } from "./regions";

/** An existing resource of a stage, from its ARN (RESOURCE_<NAME>_ARN) and, when given, its key's (RESOURCE_<NAME>_KMS_KEY_ARN). */
export interface ExistingResource {
  readonly arn: string;
  readonly name: string;
  readonly region: string;
  readonly accountId: string;
  /** The customer-managed KMS key that encrypts it. @default none (AWS owned or AWS managed key: no KMS grant needed) */
  readonly kmsKeyArn?: string;
}

export const SERVICE: Readonly<Record<ResourceKind, string>> = {
  "dynamodb-table": "dynamodb",
  "sns-topic": "sns",
  "sqs-queue": "sqs",
  "s3-bucket": "s3",
  "event-bus": "events",
  secret: "secretsmanager",
  "eventbridge-connection": "events",
};

/** The resource part of the ARN, by kind: a pattern whose group 1 is the name, and the shape shown in messages. */
export const RESOURCE_PART: Readonly<Record<ResourceKind, { pattern: RegExp; shape: string }>> = {
  "dynamodb-table": { pattern: /^table\/([A-Za-z0-9_.-]{3,255})$/, shape: "arn:<partition>:dynamodb:<region>:<account>:table/<name>" },
  "sns-topic": { pattern: /^([A-Za-z0-9_-]{1,256}(?:\.fifo)?)$/, shape: "arn:<partition>:sns:<region>:<account>:<name>" },
  "sqs-queue": { pattern: /^([A-Za-z0-9_-]{1,80}(?:\.fifo)?)$/, shape: "arn:<partition>:sqs:<region>:<account>:<name>" },
  "s3-bucket": { pattern: /^([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])$/, shape: "arn:<partition>:s3:::<bucket>" },
  "event-bus": { pattern: /^event-bus\/([A-Za-z0-9._\-/]{1,256})$/, shape: "arn:<partition>:events:<region>:<account>:event-bus/<name>" },
  secret: { pattern: /^secret:([A-Za-z0-9/_+=.@-]{1,512})-[A-Za-z0-9]{6}$/, shape: "arn:<partition>:secretsmanager:<region>:<account>:secret:<name>-<6 characters>" },
  "eventbridge-connection": { pattern: /^connection\/([A-Za-z0-9_.-]{1,64})\/[A-Za-z0-9-]{1,64}$/, shape: "arn:<partition>:events:<region>:<account>:connection/<name>/<id>" },
};

/**
 * Checks an existing resource's ARN against the stage: partition (that of
 * REGION), service, region (REGION; S3 bucket ARNs have none), a 12-digit
 * account (none for S3) and the resource shape. Returns the problem or the resource.
 */
export function parseResourceArn(decl: DeclaredResource, arn: string, region: string): ExistingResource | string {
  const variable = resourceArnVariable(decl.name);
  const shape = RESOURCE_PART[decl.kind].shape;
  const bad = (what: string) => `${variable} ${what} (resource "${decl.name}" is a ${decl.kind}: ${shape}). Received: ${JSON.stringify(arn)}`;
  const parts = arn.split(":");
  if (parts.length < 6 || parts[0] !== "arn") return bad("must be an ARN");
  const [, partition, service, arnRegion, account] = parts;
  const rest = parts.slice(5).join(":");
  const expectedPartition = partitionOf(region);
  if (expectedPartition && partition !== expectedPartition) return bad(`must be in the partition of REGION ${region} ("${expectedPartition}"), not "${partition}"`);
  if (service !== SERVICE[decl.kind]) return bad(`must be an ARN of the "${SERVICE[decl.kind]}" service, not "${service}"`);
  if (decl.kind === "s3-bucket") {
    if (arnRegion !== "" || account !== "") return bad("must have empty region and account fields, as S3 bucket ARNs do");
  } else {
    if (arnRegion !== region) return bad(`must be in REGION ${region} (the stage's state machines call it there), not "${arnRegion}"`);
    if (!/^\d{12}$/.test(account)) return bad(`must have a 12-digit account id, not "${account}"`);
  }
  const match = RESOURCE_PART[decl.kind].pattern.exec(rest);
  if (!match) return bad("must name a resource of this shape, with a name AWS accepts");
  return { arn, name: match[1], region, accountId: account };
}

const KEY_ID = /^(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|mrk-[0-9a-f]{32})$/;

/**
 * Checks the customer-managed key of an existing resource: a KMS key ARN
 * (`arn:<partition>:kms:<region>:<account>:key/<id>`, not an alias) in the
 * partition of REGION and in the resource's region (REGION; any region of the
 * partition for a bucket, whose ARN does not say where it is), with a 12-digit
 * account (another account's key is fine). Returns the problem or the key ARN.
 */
export function parseResourceKmsKey(decl: DeclaredResource, key: string, region: string): { kmsKeyArn: string } | string {
  const variable = resourceKmsKeyVariable(decl.name);
  const shape = "arn:<partition>:kms:<region>:<account>:key/<key id>";
  const bad = (what: string, fix: string) => `${variable} ${what} (resource "${decl.name}" is a ${decl.kind} encrypted with that key: ${shape}). Received: ${JSON.stringify(key)}. Fix: ${fix}.`;
  const describe = `aws kms describe-key --key-id ${/^[\x21-\x7e]{1,300}$/.test(key) ? key : "<key>"} --query KeyMetadata.Arn`;
  const parts = key.split(":");
  if (parts.length !== 6 || parts[0] !== "arn") {
    const why = /^(alias\/|[0-9a-f]{8}-|mrk-)/.test(key) ? "must be the key's full ARN, not a key id or alias name" : "must be a KMS key ARN";
    return bad(why, `give the key ARN (${describe})`);
  }
  const [, partition, service, keyRegion, account, resource] = parts;
  const expectedPartition = partitionOf(region);
  if (service !== "kms") return bad(`must be an ARN of the "kms" service, not "${service}"`, "give the ARN of the KMS key that encrypts the resource");
  if (expectedPartition && partition !== expectedPartition) return bad(`must be in the partition of REGION ${region} ("${expectedPartition}"), not "${partition}"`, "give a key of the stage's partition");
  if (decl.kind === "s3-bucket") {
    if (partitionOf(keyRegion) !== partition) return bad(`must name a region of partition "${partition}" (that of REGION ${region}), not "${keyRegion}"`, "give the key in the bucket's region");
  } else if (keyRegion !== region) {
    return bad(`must be in REGION ${region}, the region of the ${decl.kind} (a KMS key encrypts only resources of its own region), not "${keyRegion}"`, "give the key that encrypts the resource");
  }
  if (!/^\d{12}$/.test(account)) return bad(`must have a 12-digit account id, not "${account}"`, "copy the key ARN from the KMS console or describe-key");
  if (resource.startsWith("alias/")) {
    return bad(
      "names an alias, which IAM cannot scope a permission to (KMS authorizes each request against the key ARN the alias points to, so a grant on the alias ARN allows nothing)",
      `give the key ARN instead (${describe})`,
    );
  }
  if (!resource.startsWith("key/") || !KEY_ID.test(resource.slice(4))) return bad("must end in key/<key id> (a UUID, or mrk- and 32 hex digits for a multi-Region key)", "copy the key ARN from the KMS console or describe-key");
  return { kmsKeyArn: key };
}

/**
 * The existing declared resources of a stage: RESOURCE_<NAME>_ARN and
 * RESOURCE_<NAME>_KMS_KEY_ARN of each declared resource, checked up front.
 * Problems are added to `problems`; a resource given with no problem is returned by name.
 */
export function existingResources(
  pick: (key: string) => string | undefined,
  c: { projectName: string; stage: string; region: string; namesValid: boolean },
  problems: string[],
  declared: readonly DeclaredResource[] = RESOURCES,
): Record<string, ExistingResource> {
  const resources: Record<string, ExistingResource> = {};
  for (const decl of declared) {
    const variable = resourceArnVariable(decl.name);
    const raw = pick(variable);
    const key = pick(resourceKmsKeyVariable(decl.name));
    if (raw === undefined) {
      if (decl.existing) problems.push(`${variable} must give the ARN of the existing ${decl.kind} "${decl.name}" (workflows/resources.ts marks it existing: true). Received: ""`);
      else if (c.namesValid) {
        const created = createdResourceName(c, decl, "123456789012");
        if (created.length > RESOURCE_NAME_LIMITS[decl.kind]) {
          problems.push(`PROJECT_NAME, STAGE and resource "${decl.name}" make "${created}" ${created.length} characters long; a ${decl.kind} name allows at most ${RESOURCE_NAME_LIMITS[decl.kind]}. Shorten one of them by ${created.length - RESOURCE_NAME_LIMITS[decl.kind]}.`);
        }
      }
      if (key !== undefined && !decl.existing) {
        problems.push(
          `${resourceKmsKeyVariable(decl.name)} names a KMS key for resource "${decl.name}", which this stage creates (no ${variable}) and encrypts with the stage key. Received: ${JSON.stringify(key)}. Fix: remove it, or set ${variable} to use an existing ${decl.kind}.`,
        );
      }
      continue;
    }
    const parsed = parseResourceArn(decl, raw, c.region);
    if (typeof parsed === "string") {
      problems.push(parsed);
      continue;
    }
    if (key === undefined) {
      resources[decl.name] = parsed;
      continue;
    }
    const kms = parseResourceKmsKey(decl, key, c.region);
    if (typeof kms === "string") problems.push(kms);
    else resources[decl.name] = { ...parsed, ...kms };
  }
  return resources;
}

/** The values of a resource's attributes, from its ARN parts (created resources use the stage's values). */
export function resourceValues(
  kind: ResourceKind,
  r: { partition: string; region: string; accountId: string; name: string },
): Record<ResourceAttribute, string | undefined> {
  const arn =
    kind === "s3-bucket"
      ? `arn:${r.partition}:s3:::${r.name}`
      : `arn:${r.partition}:${SERVICE[kind]}:${r.region}:${r.accountId}:${kind === "dynamodb-table" ? "table/" : kind === "event-bus" ? "event-bus/" : ""}${r.name}`;
  const domain = r.partition === "aws-cn" ? "amazonaws.com.cn" : "amazonaws.com";
  return { arn, name: r.name, url: kind === "sqs-queue" ? `https://sqs.${r.region}.${domain}/${r.accountId}/${r.name}` : undefined };
}

/** The name the stage stack gives a created resource (buckets end with the account id: bucket names are global). */
export function createdResourceName(c: NameParts, decl: DeclaredResource, accountId: string): string {
  return decl.kind === "s3-bucket" ? `${prefix(c)}-${decl.name}-${accountId}` : `${prefix(c)}-${decl.name}`;
}

/** What a template gets for a resource in local runs and lint: the existing ARN's values, or the created resource's with account 123456789012. */
export function localResourceValue(
  c: NameParts & { region: string; resources: Readonly<Record<string, ExistingResource>> },
  decl: DeclaredResource,
  attribute: ResourceAttribute,
): string | undefined {
  const existing = c.resources[decl.name];
  const partition = partitionOf(c.region) ?? "aws";
  const values = existing
    ? resourceValues(decl.kind, { partition, region: existing.region, accountId: existing.accountId, name: existing.name })
    : resourceValues(decl.kind, { partition, region: c.region, accountId: LOCAL_ACCOUNT_ID, name: createdResourceName(c, decl, LOCAL_ACCOUNT_ID) });
  return existing && attribute === "arn" ? existing.arn : values[attribute];
}

/** Problems in the declarations themselves. */
export function resourceDeclarationProblems(resources: readonly DeclaredResource[] = RESOURCES): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const r of resources) {
    if (!/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/.test(r.name)) {
      problems.push(`workflows/resources.ts: resource name "${r.name}" must be kebab-case (a-z, 0-9, single hyphens), since it becomes part of AWS names.`);
    }
    if (seen.has(r.name)) problems.push(`workflows/resources.ts: resource name "${r.name}" appears twice.`);
    if (EXISTING_ONLY.includes(r.kind) && r.existing !== true) {
      problems.push(`workflows/resources.ts: resource "${r.name}" is a ${r.kind}, which the stage stack never creates: mark it existing: true and give each stage its ARN in ${resourceArnVariable(r.name)}.`);
    }
    if (!RESOURCE_ATTRIBUTES[r.kind]) problems.push(`workflows/resources.ts: resource "${r.name}" has kind "${r.kind}"; use one of ${Object.keys(RESOURCE_ATTRIBUTES).join(", ")}.`);
    seen.add(r.name);
  }
  return problems;
}

/** AWS name limits of created resources. */
export const RESOURCE_NAME_LIMITS: Readonly<Record<ResourceKind, number>> = {
  "dynamodb-table": 255,
  "sns-topic": 256,
  "sqs-queue": 76, // the dead-letter queue adds "-dlq" to the 80-character limit
  "s3-bucket": 63,
  "event-bus": 256,
  secret: 512,
  "eventbridge-connection": 64,
};
