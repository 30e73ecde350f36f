import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  bucketNameRule,
  dynamoTableNameRule,
  kmsKeyRule,
  regionRule,
  reservedConcurrencyWarning,
  tagValueRule,
} from "../../src/config/aws-rules";
import { ALL_REGIONS, closestRegion, partitionOf, REGIONS_BY_PARTITION } from "../../src/config/regions";
import { loadStageConfig } from "../../src/config/stage";
import { ConfigError } from "../../src/errors";

const TAG_RULE = "may use only letters, digits, spaces and _ . : / = + - @ (the AWS tag value character set)";

/** The problems loadStageConfig reports for this environment (no .env files). */
function problems(env: Record<string, string>): string[] {
  try {
    loadStageConfig({ cwd: mkdtempSync(join(tmpdir(), "rules-")), env });
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe("OWNER: the AWS tag value rules", () => {
  test.each([
    ["platform-team"],
    ["John Doe abc123"],
    ["José Müller"],
    ["ops@example.com"],
    ["team/a:b=c+d_e.f"],
    ["数据团队"],
    ["x".repeat(256)],
    ["é".repeat(256)],
  ])("accepted: %j", (owner) => {
    expect(problems({ OWNER: owner })).toEqual([]);
  });

  test.each<[string, string]>([
    ["a\nb", `OWNER ${TAG_RULE}; found "\\n". Received: "a\\nb"`],
    ['say "hi"', `OWNER ${TAG_RULE}; found "\\"". Received: "say \\"hi\\""`],
    ["it's", `OWNER ${TAG_RULE}; found "'". Received: "it's"`],
    ["<script>alert(1)</script>", `OWNER ${TAG_RULE}; found "<", ">", "(", ")". Received: "<script>alert(1)</script>"`],
    ["a\u0000b", `OWNER ${TAG_RULE}; found "\\u0000". Received: "a\\u0000b"`],
    ["team 🚀", `OWNER ${TAG_RULE}; found "🚀". Received: "team 🚀"`],
    ["a\tb", `OWNER ${TAG_RULE}; found "\\t". Received: "a\\tb"`],
    ["aws:owner", `OWNER must not start with "aws:" (reserved by AWS in tag values). Received: "aws:owner"`],
    ["x".repeat(257), `OWNER is 257 characters long; an AWS tag value allows at most 256. Received: "${"x".repeat(257)}"`],
    ["   ", `OWNER must not be empty (it becomes the Owner tag). Received: "   "`],
  ])("rejected: %j", (owner, message) => {
    expect(problems({ OWNER: owner })).toEqual([message]);
  });

  test("length counts characters, not UTF-16 units", () => {
    expect(tagValueRule("𝒜".repeat(256))).toBeUndefined();
    expect(tagValueRule("𝒜".repeat(257))).toBe("is 257 characters long; an AWS tag value allows at most 256");
  });
});

describe("REGION and STATE_REGION: the regions of AWS's partitions", () => {
  test("the list is kept in one place, by partition", () => {
    expect(Object.keys(REGIONS_BY_PARTITION)).toEqual(expect.arrayContaining(["aws", "aws-cn", "aws-us-gov"]));
    expect(ALL_REGIONS).toEqual(expect.arrayContaining(["us-east-1", "eu-west-3", "ap-southeast-2", "cn-north-1", "us-gov-west-1"]));
    expect(partitionOf("us-gov-east-1")).toBe("aws-us-gov");
    expect(partitionOf("us-east-99")).toBeUndefined();
  });

  test("us-east-99 is rejected with the closest valid region", () => {
    expect(problems({ REGION: "us-east-99" })).toEqual([
      `REGION must be an AWS region, one of the ${ALL_REGIONS.length} listed in src/config/regions.ts (closest: "us-east-1"). Received: "us-east-99"`,
    ]);
    expect(closestRegion("eu-wset-1")).toBe("eu-west-1");
    expect(closestRegion("US-EAST-2")).toBe("us-east-2");
  });

  test.each(["eu-central-2", "il-central-1", "cn-northwest-1", "us-gov-west-1"])("%s is accepted", (region) => {
    expect(regionRule(region)).toBeUndefined();
    expect(problems({ REGION: region })).toEqual([]);
  });

  test("STATE_REGION must be a region, in REGION's partition", () => {
    const s3 = { STATE_BACKEND: "s3", STATE_BUCKET: "my-state" };
    expect(problems({ ...s3, STATE_REGION: "eu-west-9" })).toEqual([
      `STATE_REGION must be an AWS region, one of the ${ALL_REGIONS.length} listed in src/config/regions.ts (closest: "eu-west-1"). Received: "eu-west-9"`,
    ]);
    expect(problems({ ...s3, STATE_REGION: "cn-north-1" })).toEqual([
      `STATE_REGION must be in the same AWS partition as REGION (us-east-1 is in "aws", cn-north-1 in "aws-cn"). Received: "cn-north-1"`,
    ]);
    expect(problems({ ...s3, STATE_REGION: "eu-west-1" })).toEqual([]);
  });

  test("an unset STATE_REGION is REGION: a bad REGION is reported once", () => {
    expect(problems({ STATE_BACKEND: "s3", STATE_BUCKET: "my-state", REGION: "us-east-99" }).map((p) => p.split(" ")[0])).toEqual(["REGION"]);
  });
});

describe("STATE_BUCKET: S3 bucket naming rules", () => {
  const s3 = (bucket: string) => problems({ STATE_BACKEND: "s3", STATE_BUCKET: bucket });
  test.each(["my-app-tf-state", "abc", "a.b-c.d", "1bucket9", "x".repeat(63)])("accepted: %s", (bucket) => {
    expect(s3(bucket)).toEqual([]);
  });
  test.each<[string, string]>([
    ["ab", "3 to 63 characters (it has 2)"],
    ["x".repeat(64), "3 to 63 characters (it has 64)"],
    ["My-Bucket", "only lower-case letters, digits, '.' and '-'"],
    ["my_bucket", "only lower-case letters, digits, '.' and '-'"],
    ["-bucket", "it must begin and end with a letter or digit"],
    ["bucket.", "it must begin and end with a letter or digit"],
    ["my..bucket", "no two adjacent periods"],
    ["192.168.5.4", "it must not be formatted as an IP address"],
    ["xn--bucket", 'the prefix "xn--" is reserved'],
    ["sthree-bucket", 'the prefix "sthree-" is reserved'],
    ["amzn-s3-demo-bucket", 'the prefix "amzn-s3-demo-" is reserved'],
    ["bucket-s3alias", 'the suffix "-s3alias" is reserved'],
    ["bucket--ol-s3", 'the suffix "--ol-s3" is reserved'],
    ["bucket.mrap", 'the suffix ".mrap" is reserved'],
    ["bucket--x-s3", 'the suffix "--x-s3" is reserved'],
    ["bucket--table-s3", 'the suffix "--table-s3" is reserved'],
  ])("rejected: %s", (bucket, rule) => {
    expect(s3(bucket)).toEqual([`STATE_BUCKET must be an S3 bucket name: ${rule}. Received: ${JSON.stringify(bucket)}`]);
  });
  test("missing when STATE_BACKEND=s3", () => {
    expect(problems({ STATE_BACKEND: "s3" })).toEqual([`STATE_BUCKET must name the S3 bucket for Terraform state when STATE_BACKEND=s3. Received: ""`]);
  });
  test("the rule alone", () => expect(bucketNameRule("ok-bucket")).toBeUndefined());
});

describe("STATE_KMS_KEY_ID: key id, key ARN, alias name or alias ARN", () => {
  const KMS_RULE =
    "must be a KMS key id (1234abcd-12ab-34cd-56ef-1234567890ab), key ARN (arn:aws:kms:<region>:<account>:key/<id>), alias name (alias/<name>) or alias ARN (arn:aws:kms:<region>:<account>:alias/<name>)";
  const s3 = (key: string) => problems({ STATE_BACKEND: "s3", STATE_BUCKET: "my-state", STATE_KMS_KEY_ID: key });
  test.each([
    "1234abcd-12ab-34cd-56ef-1234567890ab",
    "mrk-1234abcd12ab34cd56ef1234567890ab",
    "arn:aws:kms:us-east-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
    "alias/terraform-state",
    "alias/aws/s3",
    "arn:aws:kms:us-east-2:111122223333:alias/terraform-state",
    "arn:aws-us-gov:kms:us-gov-west-1:111122223333:alias/state",
  ])("accepted: %s", (key) => {
    expect(s3(key)).toEqual([]);
  });
  test.each<[string, string]>([
    ["my-key", KMS_RULE],
    ["alias/bad name", KMS_RULE],
    ["1234ABCD-12AB-34CD-56EF-1234567890AB", KMS_RULE],
    ["arn:aws:kms:us-east-2:1111:key/1234abcd-12ab-34cd-56ef-1234567890ab", KMS_RULE],
    ["arn:aws:s3:::bucket", KMS_RULE],
    ["arn:aws:kms:us-east-99:111122223333:alias/state", `${KMS_RULE}; the ARN's region "us-east-99" is not an AWS region`],
    ["arn:aws:kms:cn-north-1:111122223333:alias/state", `${KMS_RULE}; region cn-north-1 is in partition "aws-cn", not "aws"`],
    [`alias/${"a".repeat(251)}`, `${KMS_RULE}; an alias name has at most 256 characters`],
  ])("rejected: %s", (key, rule) => {
    expect(s3(key)).toEqual([`STATE_KMS_KEY_ID ${rule}. Received: ${JSON.stringify(key)}`]);
    expect(kmsKeyRule(key)).toBe(rule);
  });
});

describe("STATE_LOCK_TABLE: DynamoDB table name rules", () => {
  const s3 = (table: string) => problems({ STATE_BACKEND: "s3", STATE_BUCKET: "my-state", STATE_LOCK_TABLE: table });
  test.each(["locks", "Terraform_Locks-1.a", "x".repeat(255)])("accepted: %s", (table) => {
    expect(s3(table)).toEqual([]);
  });
  test.each(["ab", "x".repeat(256), "my table", "locks/1", "tbl$"])("rejected: %s", (table) => {
    expect(s3(table)).toEqual([
      `STATE_LOCK_TABLE must be a DynamoDB table name: 3 to 255 characters of a-z, A-Z, 0-9, '_', '-' and '.'. Received: ${JSON.stringify(table)}`,
    ]);
    expect(dynamoTableNameRule(table)).toBeDefined();
  });
});

test("every problem of every variable at once", () => {
  expect(
    problems({ REGION: "us-east-99", OWNER: "a\nb", STATE_BACKEND: "s3", STATE_BUCKET: "B", STATE_REGION: "mars-1", STATE_KMS_KEY_ID: "k", STATE_LOCK_TABLE: "t" }).map((p) => p.split(" ")[0]),
  ).toEqual(["REGION", "OWNER", "STATE_BUCKET", "STATE_REGION", "STATE_KMS_KEY_ID", "STATE_LOCK_TABLE"]);
});

describe("reserved concurrency against the account's default quota", () => {
  test("fits: 16 functions x 10, or exactly 900 in all", () => {
    expect(reservedConcurrencyWarning(Array(16).fill(10))).toBeUndefined();
    expect(reservedConcurrencyWarning(Array(9).fill(100))).toBeUndefined();
  });

  test("16 functions x 1000 names the figure and the fix", () => {
    expect(reservedConcurrencyWarning(Array(16).fill(1000))).toBe(
      "LAMBDA_RESERVED_CONCURRENCY: 16 functions x 1000 = 16000 reserved concurrent executions, more than the 900 an account on the default quota can reserve " +
        "(1000 concurrent executions, of which AWS keeps 100 unreserved). " +
        "Lower LAMBDA_RESERVED_CONCURRENCY to at most 56, or raise the account's Lambda concurrency quota first (Service Quotas).",
    );
  });

  test("901 in all is one too many; mixed reservations are summed", () => {
    expect(reservedConcurrencyWarning([900, 1])).toMatch(/^LAMBDA_RESERVED_CONCURRENCY: 2 functions reserve 901 in all reserved concurrent executions, more than the 900 /);
    expect(reservedConcurrencyWarning([450, 450])).toBeUndefined();
  });

  test("a raised account quota is taken into account", () => {
    expect(reservedConcurrencyWarning(Array(16).fill(100), 5000)).toBeUndefined();
    expect(reservedConcurrencyWarning(Array(16).fill(100), 1000)).toContain("16 functions x 100 = 1600");
  });
});
