/**
 * AWS's own rules for the values the stage configuration passes to AWS, so a
 * value AWS or Terraform would reject is reported before synthesis. Each
 * check returns undefined when the value is accepted, else the rule it breaks
 * (worded to follow the variable name: "OWNER <rule>. Received: ...").
 */

import { ALL_REGIONS, closestRegion, partitionOf } from "./regions";

/**
 * Tag values (the AWS tagging API's pattern `^([\p{L}\p{Z}\p{N}_.:/=+\-@]*)$`,
 * at most 256 Unicode characters; the `aws:` prefix is reserved for AWS).
 */
const TAG_VALUE_CHARS = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;
export const TAG_VALUE_MAX = 256;

export function tagValueRule(value: string): string | undefined {
  const length = [...value].length;
  if (length > TAG_VALUE_MAX) return `is ${length} characters long; an AWS tag value allows at most ${TAG_VALUE_MAX}`;
  const bad = [...value].filter((c) => !TAG_VALUE_CHARS.test(c));
  if (bad.length > 0) {
    const shown = [...new Set(bad)].map((c) => JSON.stringify(c)).join(", ");
    return `may use only letters, digits, spaces and _ . : / = + - @ (the AWS tag value character set); found ${shown}`;
  }
  if (/^aws:/i.test(value)) return `must not start with "aws:" (reserved by AWS in tag values)`;
  return undefined;
}

/** A region of one of AWS's partitions (src/config/regions.ts), with the closest one suggested otherwise. */
export function regionRule(value: string): string | undefined {
  if (partitionOf(value)) return undefined;
  return `must be an AWS region, one of the ${ALL_REGIONS.length} listed in src/config/regions.ts (closest: "${closestRegion(value)}")`;
}

/**
 * S3 general purpose bucket naming rules: 3-63 characters of a-z, 0-9, '.'
 * and '-'; begins and ends with a letter or digit; no two adjacent periods;
 * not shaped like an IP address; none of the reserved prefixes and suffixes.
 */
const BUCKET_PREFIXES = ["xn--", "sthree-", "amzn-s3-demo-"];
const BUCKET_SUFFIXES = ["-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3"];

export function bucketNameRule(value: string): string | undefined {
  const base = "must be an S3 bucket name";
  if (value.length < 3 || value.length > 63) return `${base}: 3 to 63 characters (it has ${value.length})`;
  if (!/^[a-z0-9.-]+$/.test(value)) return `${base}: only lower-case letters, digits, '.' and '-'`;
  if (!/^[a-z0-9].*[a-z0-9]$/.test(value)) return `${base}: it must begin and end with a letter or digit`;
  if (value.includes("..")) return `${base}: no two adjacent periods`;
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(value)) return `${base}: it must not be formatted as an IP address`;
  const prefix = BUCKET_PREFIXES.find((p) => value.startsWith(p));
  if (prefix) return `${base}: the prefix "${prefix}" is reserved`;
  const suffix = BUCKET_SUFFIXES.find((s) => value.endsWith(s));
  if (suffix) return `${base}: the suffix "${suffix}" is reserved`;
  return undefined;
}

/** DynamoDB table names: 3-255 characters of a-z, A-Z, 0-9, '_', '-' and '.'. */
export function dynamoTableNameRule(value: string): string | undefined {
  if (/^[A-Za-z0-9_.-]{3,255}$/.test(value)) return undefined;
  return "must be a DynamoDB table name: 3 to 255 characters of a-z, A-Z, 0-9, '_', '-' and '.'";
}

/**
 * A KMS key as Terraform's S3 backend and the KMS API take it: a key id
 * (UUID, or `mrk-` + 32 hex digits for a multi-Region key), a key ARN, an
 * alias name (`alias/...`) or an alias ARN. ARNs must name a known region.
 */
const KEY_ID = "(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|mrk-[0-9a-f]{32})";
const ALIAS = "alias/[A-Za-z0-9/_-]+";
const KMS_FORMS = [
  new RegExp(`^${KEY_ID}$`),
  new RegExp(`^${ALIAS}$`),
  new RegExp(`^arn:(aws[a-z-]*):kms:([a-z0-9-]+):\\d{12}:(?:key/${KEY_ID}|${ALIAS})$`),
];

export function kmsKeyRule(value: string): string | undefined {
  const rule =
    "must be a KMS key id (1234abcd-12ab-34cd-56ef-1234567890ab), key ARN (arn:aws:kms:<region>:<account>:key/<id>), alias name (alias/<name>) or alias ARN (arn:aws:kms:<region>:<account>:alias/<name>)";
  if (value.length > 2048 || !KMS_FORMS.some((re) => re.test(value))) return rule;
  if (value.startsWith("alias/") && value.length > 256) return `${rule}; an alias name has at most 256 characters`;
  const arn = /^arn:(aws[a-z-]*):kms:([a-z0-9-]+):/.exec(value);
  if (arn) {
    const [, partition, region] = arn;
    if (partitionOf(region!) === undefined) return `${rule}; the ARN's region "${region}" is not an AWS region`;
    if (partitionOf(region!) !== partition) return `${rule}; region ${region} is in partition "${partitionOf(region!)}", not "${partition}"`;
  }
  return undefined;
}

/**
 * Lambda's default account concurrency quota, and what AWS keeps unreserved:
 * reserved concurrency across the account's functions may total at most
 * quota - 100 (PutFunctionConcurrency fails beyond that).
 */
export const DEFAULT_ACCOUNT_CONCURRENCY = 1000;
export const UNRESERVED_MINIMUM = 100;

/**
 * A warning when the stage's functions reserve more concurrency than an
 * account on the default quota can grant; undefined when it fits. The number
 * of functions is known at synthesis, so the stack calls this with the
 * reserved concurrency of each function it creates.
 */
export function reservedConcurrencyWarning(
  reservations: readonly number[],
  accountConcurrency: number = DEFAULT_ACCOUNT_CONCURRENCY,
): string | undefined {
  const total = reservations.reduce((n, r) => n + r, 0);
  const available = accountConcurrency - UNRESERVED_MINIMUM;
  if (total <= available) return undefined;
  const distinct = [...new Set(reservations)];
  const figure =
    distinct.length === 1
      ? `${reservations.length} functions x ${distinct[0]} = ${total}`
      : `${reservations.length} functions reserve ${total} in all`;
  return (
    `LAMBDA_RESERVED_CONCURRENCY: ${figure} reserved concurrent executions, more than the ${available} an account on the default quota can reserve ` +
    `(${accountConcurrency} concurrent executions, of which AWS keeps ${UNRESERVED_MINIMUM} unreserved). ` +
    `Lower LAMBDA_RESERVED_CONCURRENCY to at most ${Math.floor(available / Math.max(1, reservations.length))}, or raise the account's Lambda concurrency quota first (Service Quotas).`
  );
}
