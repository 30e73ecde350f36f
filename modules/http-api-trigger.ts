import { Construct } from "constructs";
import { Apigatewayv2Api } from "@cdktf/provider-aws/lib/apigatewayv2-api";
import { Apigatewayv2Authorizer } from "@cdktf/provider-aws/lib/apigatewayv2-authorizer";
import { Apigatewayv2Integration } from "@cdktf/provider-aws/lib/apigatewayv2-integration";
import { Apigatewayv2Route } from "@cdktf/provider-aws/lib/apigatewayv2-route";
import { Apigatewayv2Stage } from "@cdktf/provider-aws/lib/apigatewayv2-stage";
import { address } from "./addresses";
import { canonicalJson } from "../src/hcl/json";
import { EncryptedLogGroup } from "./encrypted-log-group";
import { ServiceRole } from "./iam/service-role";

/** Who may call the route: IAM (SigV4-signed requests) or a JWT issuer. */
export type HttpAuthorization = { readonly type: "iam" } | { readonly type: "jwt"; readonly issuer: string; readonly audience: readonly string[] };

export interface HttpApiTriggerProps {
  /**
   * Base of the addresses (snake_case, unique in the stack), e.g. `order_processing_http`: the API,
   * its stage, route, integration, authorizer and role are `<address>`, the access log group `<address>_access`.
   */
  readonly address: string;
  readonly apiName: string;
  readonly description: string;
  /** `POST /orders`. */
  readonly routeKey: string;
  /** Standard workflows start asynchronously (StartExecution, the response is the execution ARN); Express ones synchronously (StartSyncExecution, the response holds the output). */
  readonly workflowType: "STANDARD" | "EXPRESS";
  readonly authorization: HttpAuthorization;
  /** The stage alias ARN: the only thing the integration may start. */
  readonly aliasArn: string;
  readonly roleName: string;
  readonly accessLogGroupName: string;
  readonly logRetentionDays: number;
  readonly kmsKeyArn: string;
  readonly accountId: string;
  /** Steady-state requests per second of the route. */
  readonly throttlingRateLimit: number;
  /** Burst of requests above the rate. */
  readonly throttlingBurstLimit: number;
  /** @default none */
  readonly tags?: Record<string, string>;
}

/** Access log fields (API Gateway's $context variables), one JSON object per request. */
const ACCESS_LOG_FORMAT = canonicalJson({
  requestId: "$context.requestId",
  ip: "$context.identity.sourceIp",
  caller: "$context.identity.caller",
  requestTime: "$context.requestTime",
  routeKey: "$context.routeKey",
  status: "$context.status",
  responseLength: "$context.responseLength",
  integrationError: "$context.integrationErrorMessage",
  integrationStatus: "$context.integration.status",
});

/**
 * An HTTP API route that starts the workflow through its stage alias: the
 * request body becomes the execution input, callers authenticate with IAM by
 * default (or a JWT authorizer), the stage throttles and writes access logs
 * to an encrypted log group, and the integration's role may start only the alias.
 */
export class HttpApiTrigger extends Construct {
  readonly api: Apigatewayv2Api;
  readonly stage: Apigatewayv2Stage;
  readonly route: Apigatewayv2Route;

  constructor(scope: Construct, id: string, props: HttpApiTriggerProps) {
    super(scope, id);
    const sync = props.workflowType === "EXPRESS";
    const action = sync ? "states:StartSyncExecution" : "states:StartExecution";
    this.api = address(
      new Apigatewayv2Api(this, "api", {
        name: props.apiName,
        description: props.description,
        protocolType: "HTTP",
        tags: props.tags,
      }),
      props.address,
    );
    const logs = new EncryptedLogGroup(this, "access-logs", {
      address: `${props.address}_access`,
      name: props.accessLogGroupName,
      retentionDays: props.logRetentionDays,
      kmsKeyArn: props.kmsKeyArn,
      tags: props.tags,
    });
    const role = new ServiceRole(this, "role", {
      address: props.address,
      roleName: props.roleName,
      service: "apigateway.amazonaws.com",
      sourceAccount: props.accountId,
      description: `Lets HTTP API ${props.apiName} start its workflow`,
      statements: [{ sid: "StartThroughTheAlias", actions: [action], resources: [props.aliasArn] }],
      tags: props.tags,
    });
    const integration = new Apigatewayv2Integration(this, "integration", {
      apiId: this.api.id,
      description: `${action} on the stage alias`,
      integrationType: "AWS_PROXY",
      integrationSubtype: sync ? "StepFunctions-StartSyncExecution" : "StepFunctions-StartExecution",
      credentialsArn: role.role.arn,
      // AWS service integrations only take payload format 1.0.
      payloadFormatVersion: "1.0",
      requestParameters: { StateMachineArn: props.aliasArn, Input: "$request.body" },
      dependsOn: [role.attachment],
    });
    address(integration, props.address);
    const authorizer =
      props.authorization.type === "jwt"
        ? new Apigatewayv2Authorizer(this, "authorizer", {
            apiId: this.api.id,
            name: `${props.apiName}-jwt`,
            authorizerType: "JWT",
            identitySources: ["$request.header.Authorization"],
            jwtConfiguration: { issuer: props.authorization.issuer, audience: [...props.authorization.audience] },
          })
        : undefined;
    if (authorizer) address(authorizer, props.address);
    this.route = new Apigatewayv2Route(this, "route", {
      apiId: this.api.id,
      routeKey: props.routeKey,
      target: `integrations/${integration.id}`,
      authorizationType: authorizer ? "JWT" : "AWS_IAM",
      authorizerId: authorizer?.id,
    });
    address(this.route, props.address);
    this.stage = new Apigatewayv2Stage(this, "stage", {
      apiId: this.api.id,
      name: "$default",
      autoDeploy: true,
      accessLogSettings: { destinationArn: logs.logGroup.arn, format: ACCESS_LOG_FORMAT },
      defaultRouteSettings: {
        throttlingRateLimit: props.throttlingRateLimit,
        throttlingBurstLimit: props.throttlingBurstLimit,
        detailedMetricsEnabled: true,
      },
      tags: props.tags,
    });
    address(this.stage, props.address);
  }
}
