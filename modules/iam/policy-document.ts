import { Construct } from "constructs";
import { DataAwsIamPolicyDocument } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { address } from "../addresses";
import type { Statement } from "./statement";

/**
 * Renders statements as `data.aws_iam_policy_document.<name>`: checkov can then
 * analyse the policy (a JSON string in the output comes out UNKNOWN to it).
 */
export function policyDocument(scope: Construct, id: string, name: string, statements: readonly Statement[]): DataAwsIamPolicyDocument {
  const document = new DataAwsIamPolicyDocument(scope, id, {
    statement: statements.map((s) => ({
      sid: s.sid,
      effect: s.effect ?? "Allow",
      actions: [...s.actions],
      // Trust policies name no resource: an empty list would render as `resources = []`.
      resources: s.resources.length > 0 ? [...s.resources] : undefined,
      principals: s.principals?.map((p) => ({ type: p.type, identifiers: [...p.identifiers] })),
      condition: s.conditions?.map((c) => ({ test: c.test, variable: c.variable, values: [...c.values] })),
    })),
  });
  return address(document, name);
}
