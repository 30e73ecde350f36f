/**
 * AWS regions by partition: the one list REGION and STATE_REGION are checked against.
 *
 * Source: the partitions table shipped in @aws-sdk/core 3.981.0
 * (dist-es/submodules/client/util-endpoints/lib/aws/partitions.js, the SDK's
 * partitions.json), copied on 2026-12-02, without the pseudo-regions
 * ("aws-global", "aws-cn-global", ...). When AWS opens a region, add it here
 * (or copy the table again from a newer SDK) and update the date above.
 */
export const REGIONS_BY_PARTITION: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  "aws": {
    "af-south-1": "Africa (Cape Town)",
    "ap-east-1": "Asia Pacific (Hong Kong)",
    "ap-east-2": "Asia Pacific (Taipei)",
    "ap-northeast-1": "Asia Pacific (Tokyo)",
    "ap-northeast-2": "Asia Pacific (Seoul)",
    "ap-northeast-3": "Asia Pacific (Osaka)",
    "ap-south-1": "Asia Pacific (Mumbai)",
    "ap-south-2": "Asia Pacific (Hyderabad)",
    "ap-southeast-1": "Asia Pacific (Singapore)",
    "ap-southeast-2": "Asia Pacific (Sydney)",
    "ap-southeast-3": "Asia Pacific (Jakarta)",
    "ap-southeast-4": "Asia Pacific (Melbourne)",
    "ap-southeast-5": "Asia Pacific (Malaysia)",
    "ap-southeast-6": "Asia Pacific (New Zealand)",
    "ap-southeast-7": "Asia Pacific (Thailand)",
    "ca-central-1": "Canada (Central)",
    "ca-west-1": "Canada West (Calgary)",
    "eu-central-1": "Europe (Frankfurt)",
    "eu-central-2": "Europe (Zurich)",
    "eu-north-1": "Europe (Stockholm)",
    "eu-south-1": "Europe (Milan)",
    "eu-south-2": "Europe (Spain)",
    "eu-west-1": "Europe (Ireland)",
    "eu-west-2": "Europe (London)",
    "eu-west-3": "Europe (Paris)",
    "il-central-1": "Israel (Tel Aviv)",
    "me-central-1": "Middle East (UAE)",
    "me-south-1": "Middle East (Bahrain)",
    "me-west-1": "Middle East (Saudi Arabia)",
    "mx-central-1": "Mexico (Central)",
    "sa-east-1": "South America (Sao Paulo)",
    "sa-west-1": "South America (Chile)",
    "us-east-1": "US East (N. Virginia)",
    "us-east-2": "US East (Ohio)",
    "us-west-1": "US West (N. California)",
    "us-west-2": "US West (Oregon)",
  },
  "aws-cn": {
    "cn-north-1": "China (Beijing)",
    "cn-northwest-1": "China (Ningxia)",
  },
  "aws-eusc": {
    "eusc-de-east-1": "AWS European Sovereign Cloud (Germany)",
  },
  "aws-iso": {
    "us-iso-east-1": "US ISO East",
    "us-iso-west-1": "US ISO WEST",
  },
  "aws-iso-b": {
    "us-isob-east-1": "US ISOB East (Ohio)",
    "us-isob-west-1": "US ISOB West",
  },
  "aws-iso-e": {
    "eu-isoe-west-1": "EU ISOE West",
  },
  "aws-iso-f": {
    "us-isof-east-1": "US ISOF EAST",
    "us-isof-south-1": "US ISOF SOUTH",
  },
  "aws-us-gov": {
    "us-gov-east-1": "AWS GovCloud (US-East)",
    "us-gov-west-1": "AWS GovCloud (US-West)",
  },
};

/** Every region, each with its partition. */
const PARTITION_OF: ReadonlyMap<string, string> = new Map(
  Object.entries(REGIONS_BY_PARTITION).flatMap(([partition, regions]) => Object.keys(regions).map((r): [string, string] => [r, partition])),
);

export const ALL_REGIONS: readonly string[] = [...PARTITION_OF.keys()];

/** The partition of a region (`aws`, `aws-cn`, `aws-us-gov`, ...), or undefined for an unknown region. */
export function partitionOf(region: string): string | undefined {
  return PARTITION_OF.get(region);
}

/** The known region closest to `value` (edit distance; the first listed wins a tie). */
export function closestRegion(value: string): string {
  let best = ALL_REGIONS[0]!;
  let bestDistance = Infinity;
  for (const region of ALL_REGIONS) {
    const d = editDistance(value.toLowerCase(), region);
    if (d < bestDistance) {
      best = region;
      bestDistance = d;
    }
  }
  return best;
}

export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length]!;
}
