import type { TerraformStack } from "cdktf";
import { AwsProvider, type AwsProviderConfig } from "@cdktf/provider-aws/lib/provider";

/**
 * The aws provider versions a stack accepts: 6.25.0 (the version the
 * @cdktf/provider-aws bindings were generated for, so every argument the
 * constructs write exists) up to, not including, 7.0 (the provider makes
 * breaking changes only in major versions). cdktf would pin exactly 6.25.0,
 * which blocks users on a newer 6.x for no reason. README: "Provider version".
 */
export const AWS_PROVIDER_CONSTRAINT = "~> 6.25";

/** The stack's aws provider, with `required_providers` set to AWS_PROVIDER_CONSTRAINT instead of cdktf's exact pin. */
export function awsProvider(stack: TerraformStack, config: AwsProviderConfig): AwsProvider {
  const provider = new AwsProvider(stack, "aws", config);
  stack.addOverride("terraform.required_providers.aws.version", AWS_PROVIDER_CONSTRAINT);
  return provider;
}
