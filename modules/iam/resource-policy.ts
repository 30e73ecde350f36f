import { canonicalJson } from "../../src/hcl/json";
import type { Statement } from "./statement";

/**
 * A resource policy as a JSON string (Terraform interpolations inside stay
 * valid JSON). Used for the KMS key policy: checkov's identity-policy rules
 * (CKV_AWS_109/111/356) would read `kms:*` on `*` in a policy-document data
 * source as an over-broad identity grant, while in a key policy `*` means
 * "this key" and root access is what keeps the key manageable. Written as
 * jsonencode would (sorted keys), so the HCL copy reads `jsonencode({...})`.
 */
export function resourcePolicyJson(statements: readonly Statement[]): string {
  return canonicalJson({
    Version: "2012-10-17",
    Statement: statements.map((s) => {
      const conditions: Record<string, Record<string, string[]>> = {};
      for (const c of s.conditions ?? []) {
        conditions[c.test] = { ...conditions[c.test], [c.variable]: [...c.values] };
      }
      const principals: Record<string, string[]> = {};
      for (const p of s.principals ?? []) principals[p.type] = [...(principals[p.type] ?? []), ...p.identifiers];
      return {
        Sid: s.sid,
        Effect: s.effect ?? "Allow",
        ...(s.principals ? { Principal: principals } : {}),
        Action: [...s.actions],
        Resource: s.resources.length === 1 ? s.resources[0] : [...s.resources],
        ...(s.conditions?.length ? { Condition: conditions } : {}),
      };
    }),
  });
}
