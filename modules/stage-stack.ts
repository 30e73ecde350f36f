import { Construct } from "constructs";
import { DefaultTokenResolver, StringConcat, TerraformOutput, TerraformStack, Tokenization } from "cdktf";
import { DataAwsCallerIdentity } from "@cdktf/provider-aws/lib/data-aws-caller-identity";
import { DataAwsPartition } from "@cdktf/provider-aws/lib/data-aws-partition";
import { DERIVATION_KEY, derivationRecord } from "../src/asl/derivation-record";
import { type DeriveOptions, type ExtraStatement, type PermissionRow, derivePermissions, permissionFindings } from "../src/asl/iam";
import type { Finding } from "../src/asl/findings";
import { reservedConcurrencyWarning } from "../src/config/aws-rules";
import { names, prefix } from "../src/config/naming";
import { escapeTerraformTemplate as tfText, escapeTerraformTemplates } from "../src/hcl/escape";
import { type Json, canonicalJson } from "../src/hcl/json";
import { BRIDGE_HANDLER } from "../src/config/handlers";
import type { StageConfig } from "../src/config/stage";
import { type RenderedWorkflow, renderWorkflow } from "../src/render/render";
import { WORKFLOWS, type WorkflowSpec } from "../workflows/catalogue";
import { RESOURCES, type DeclaredResource } from "../workflows/resources";
import { ConfigError, ProjectError } from "../src/errors";
import { DeclaredResources } from "./declared-resources";
import { QueueEventsPolicy } from "./queue-events-policy";
import { address, checkAddresses, snake } from "./addresses";
import { AlarmTopic } from "./alarm-topic";
import { type HandlerPackager, sharedPackager } from "./assets/handler-packages";
import { EncryptedQueue } from "./encrypted-queue";
import { EventBridgeTrigger } from "./eventbridge-trigger";
import { HandlerFunction } from "./handler-function";
import { QueueDepthAlarm } from "./queue-depth-alarm";
import { SqsTrigger } from "./sqs-trigger";
import { StageDashboard } from "./stage-dashboard";
import { StageEventBus } from "./stage-event-bus";
import { StageKey } from "./stage-key";
import { configureBackend } from "./state-backend";
import { WorkflowAlarms } from "./workflow-alarms";
import { ExecutionNotifications } from "./execution-notifications";
import { HttpApiTrigger } from "./http-api-trigger";
import { ScheduleTrigger } from "./schedule-trigger";
import { StateMachineAlias } from "./state-machine-alias";
import { aliasDescription, aliasRoutes } from "../src/deploy/rollout";
import { WorkflowStateMachine } from "./workflow-state-machine";
import { awsProvider } from "./aws-provider";

/** Extra statements by workflow name. */
export type ExtraStatements = Readonly<Record<string, readonly ExtraStatement[]>>;

/** What a stage hook may hand back. */
export interface StageAdditions {
  /** Added to the workflows' roles, beside StageStackProps.extraStatements. */
  readonly extraStatements?: ExtraStatements;
}

/** See StageStackProps.stageHook. */
export type StageHook = (stack: StageStack, config: StageConfig) => StageAdditions | void;

export interface StageStackProps {
  readonly config: StageConfig;
  /** @default WORKFLOWS (workflows/catalogue.ts) */
  readonly workflows?: readonly WorkflowSpec[];
  /**
   * The escape hatch: extra statements for a workflow's execution role, by
   * workflow name, given for this stage. A statement whose `covers` lists an
   * ASL Resource lets a Task that the IAM table does not know through (see
   * modules/README.md). A function of the stage configuration is called with
   * this stack's config, so a grant on one stage's resource never reaches another.
   * @default {}
   */
  readonly extraStatements?: ExtraStatements | ((config: StageConfig) => ExtraStatements);
  /**
   * The one place a team adds its own constructs to a stage stack: called once
   * while the stack is built, after the provider, the stage key, the alarm
   * topic and the declared resources exist and before the workflows are
   * rendered; what it returns as extraStatements is added to the roles.
   * Everything it creates needs an `address(...)` (modules/addresses.ts).
   * @default none
   */
  readonly stageHook?: StageHook;
  /** The declared resources templates may reference. @default RESOURCES (workflows/resources.ts) */
  readonly resources?: readonly DeclaredResource[];
  /** Bundles handlers; share one across stacks so each handler is bundled once. @default sharedPackager() */
  readonly packager?: HandlerPackager;
  /** Lambda timeout of every handler function and the SQS bridge. @default 30 */
  readonly functionTimeoutSeconds?: number;
}

/**
 * One stage: its key, alarm topic, event bus, functions (exactly those the
 * templates reference), and per catalogued workflow the state machine, role,
 * log group, alarms and triggers; a dashboard and the outputs.
 */
export class StageStack extends TerraformStack {
  readonly config: StageConfig;
  /** Per workflow: the rendered definition and the derived permissions. */
  readonly rendered: ReadonlyArray<{ readonly workflow: RenderedWorkflow; readonly permissions: readonly PermissionRow[] }>;
  /** Lint warnings of every workflow (errors stop synthesis). */
  readonly findings: readonly Finding[];
  private readonly functions = new Map<string, HandlerFunction>();
  private readonly functionArnTokens = new Map<string, string>();
  private readonly packager: HandlerPackager;
  private readonly key: StageKey;
  /** The declared resources (workflows/resources.ts) of this stage. */
  readonly declaredResources: DeclaredResources;
  private readonly functionsDlq: EncryptedQueue;
  /** Terraform references to this stack's account id and partition, for constructs a stage hook adds. */
  readonly accountId: string;
  readonly partition: string;
  /** The ARN of the stage's alarm topic. */
  readonly alarmTopicArn: string;
  private readonly timeout: number;

  constructor(scope: Construct, id: string, props: StageStackProps) {
    super(scope, id);
    // Every resource and data source is named after what it is (modules/addresses.ts), checked at synthesis.
    checkAddresses(this);
    const config = (this.config = props.config);
    this.packager = props.packager ?? sharedPackager();
    this.timeout = props.functionTimeoutSeconds ?? 30;
    const workflows = props.workflows ?? WORKFLOWS;

    awsProvider(this, {
      region: config.region,
      defaultTags: [
        {
          // The seed's keys (Owner, env = project, stage) plus what a cost report groups by.
          tags: { Owner: tfText(config.owner), env: config.projectName, stage: config.stage, project: config.projectName, "managed-by": "cdktf" },
        },
      ],
    });
    configureBackend(this, config.backend);
    const identity = address(new DataAwsCallerIdentity(this, "identity"), "current");
    const partition = address(new DataAwsPartition(this, "partition"), "current");
    this.accountId = identity.accountId;
    this.partition = partition.partition;

    this.key = new StageKey(this, "key", {
      address: "stage",
      aliasName: names.keyAlias(config),
      description: `Encrypts ${prefix(config)}: state machines, logs, queues, alarms, Lambda environments`,
      accountId: this.accountId,
      partition: this.partition,
      region: config.region,
    });
    const topic = new AlarmTopic(this, "alarms", { address: "alarms", name: names.alarmTopic(config), kmsKeyArn: this.key.arn, accountId: this.accountId, email: config.alarmEmail && tfText(config.alarmEmail) });
    const topicArn = topic.topic.arn;
    this.functionsDlq = new EncryptedQueue(this, "functions-dlq", { address: "functions_dlq", name: names.functionsDeadLetterQueue(config), kmsKeyArn: this.key.arn });
    const queueNames: string[] = [names.functionsDeadLetterQueue(config)];
    new QueueDepthAlarm(this, "functions-dlq-alarm", { address: "functions_dlq", queueName: queueNames[0], topicArn, what: "asynchronous Lambda invocations that failed" });

    const needsBus = workflows.some((w) => w.triggers.some((t) => t.kind === "eventbridge"));
    const bus = needsBus ? new StageEventBus(this, "event-bus", { address: "stage", name: names.eventBus(config), accountId: this.accountId, partition: this.partition }) : undefined;

    const resources = props.resources ?? RESOURCES;
    const declared = new Construct(this, "resources");
    const declaredResources = (this.declaredResources = new DeclaredResources(declared, "declared", { config, resources, kmsKeyArn: this.key.arn, accountId: this.accountId, partition: this.partition }));
    this.alarmTopicArn = topicArn;
    const given = typeof props.extraStatements === "function" ? props.extraStatements(config) : props.extraStatements ?? {};
    const added = props.stageHook?.(this, config)?.extraStatements ?? {};
    const extraStatements: Record<string, ExtraStatement[]> = {};
    for (const source of [given, added]) {
      for (const [workflow, statements] of Object.entries(source)) (extraStatements[workflow] ??= []).push(...statements);
    }
    const unknownWorkflows = Object.keys(extraStatements).filter((w) => !workflows.some((spec) => spec.name === w));
    if (unknownWorkflows.length > 0) {
      throw new ConfigError([
        `extraStatements names workflows this stage does not have: ${unknownWorkflows.join(", ")}. Known workflows: ${workflows.map((w) => w.name).join(", ")}. Fix the name in the extraStatements or stageHook given to the stage stack (main.ts).`,
      ]);
    }
    queueNames.push(...declaredResources.queueNames);
    const workflowNames = workflows.map((w) => w.name);
    // Built, not read from the sibling's resource: a workflow may start itself or a workflow defined after it without a cycle.
    const stateMachineArn = (workflow: string) => `arn:${this.partition}:states:${config.region}:${this.accountId}:stateMachine:${names.stateMachine(config, workflow)}`;

    const rendered: Array<{ workflow: RenderedWorkflow; permissions: PermissionRow[]; findings: Finding[] }> = [];
    const stateMachines: Array<{ name: string; arn: string }> = [];
    // Declared queues that execution notifications go to, with the rules that send to each (one policy per queue).
    const notifiedQueues = new Map<string, string[]>();
    for (const spec of workflows) {
      const scope = new Construct(this, spec.name);
      const base = snake(spec.name);
      const tags = { workflow: spec.name };
      const tokens = new Set<string>();
      const workflow = renderWorkflow(spec, config, {
        functionArn: (handler) => {
          // One token per function: every read of .arn makes a new token, and two tokens for one ARN list it twice in the policy.
          const arn = this.functionArnTokens.get(handler) ?? this.functionFor(handler).function.arn;
          this.functionArnTokens.set(handler, arn);
          tokens.add(arn);
          return arn;
        },
        accountId: () => this.accountId,
        partition: () => this.partition,
        region: () => config.region,
        stateMachineArn,
        resource: (decl, attribute) => declaredResources.value(decl.name, attribute),
        workflows: workflowNames,
        resources,
      });
      const name = names.stateMachine(config, spec.name);
      const derivation: DeriveOptions = {
        workflow: spec.name,
        file: spec.template,
        arn: { partition: this.partition, region: config.region, accountId: this.accountId, stateMachineName: name },
        functionArns: tokens,
        references: declaredResources.references,
        encryptionKeys: declaredResources.encryptionKeys,
        extraStatements: extraStatements[spec.name],
      };
      const permissions = derivePermissions(workflow.definition, derivation);
      // Warnings name resources by their Terraform reference (`${aws_s3_bucket.receipts.arn}`), not by an unresolved token.
      const findings = permissionFindings(permissions, spec.template).map((f) => ({ ...f, message: readable(this, f.message) }));
      rendered.push({ workflow, permissions, findings });
      const machine = new WorkflowStateMachine(scope, "state-machine", {
        address: base,
        name,
        roleName: names.stateMachineRole(config, spec.name),
        type: spec.type,
        definitionJson: workflow.json,
        permissions,
        logGroupName: names.stateMachineLogGroup(config, spec.name),
        logRetentionDays: config.logRetentionDays,
        logExecutionData: config.logExecutionData,
        kmsKeyArn: this.key.arn,
        accountId: this.accountId,
        partition: this.partition,
        region: config.region,
        tags,
      });
      // The review derives again from the synthesized stack: record exactly what this derivation was given.
      machine.stateMachine.addOverride(`//.${DERIVATION_KEY}`, derivationRecord(derivation));
      const arn = machine.stateMachine.arn;
      stateMachines.push({ name, arn });
      new WorkflowAlarms(scope, "alarms", { address: base, stateMachineName: name, stateMachineArn: arn, topicArn, tags });
      new TerraformOutput(this, `${underscores(spec.name)}_state_machine_arn`, { value: arn, description: tfText(`ARN of the ${spec.name} state machine (${spec.type}): ${spec.description}`) });
      const rollout = config.rollouts[spec.name];
      const alias = new StateMachineAlias(scope, "alias", {
        address: base,
        name: names.alias(config),
        stateMachineArn: arn,
        currentVersionArn: machine.stateMachine.stateMachineVersionArn,
        routes: aliasRoutes(rollout),
        description: aliasDescription(config.stage, rollout),
      });
      // Every trigger starts executions through the alias, so a rollout or a rollback is one change of routing.
      const aliasArn = alias.alias.arn;
      new TerraformOutput(this, `${underscores(spec.name)}_alias_arn`, { value: aliasArn, description: `Start ${spec.name} executions here (the ${config.stage} alias).` });
      if (spec.notifications) {
        const queue = spec.notifications.queue === undefined ? undefined : notificationQueue(spec.name, spec.notifications.queue, resources, config);
        const notifications = new ExecutionNotifications(scope, "notifications", {
          address: `${base}_notifications`,
          ruleName: names.notificationsRule(config, spec.name),
          stateMachineName: name,
          stateMachineArn: arn,
          statuses: spec.notifications.statuses,
          target: queue ? { kind: "queue", arn: declaredResources.value(queue, "arn") } : { kind: "topic", arn: topicArn },
          tags,
        });
        if (queue) notifiedQueues.set(queue, [...(notifiedQueues.get(queue) ?? []), notifications.rule.arn]);
      }

      spec.triggers.forEach((trigger, index) => {
        const suffix = spec.triggers.filter((t) => t.kind === trigger.kind).length > 1 ? `-${index}` : "";
        const triggerBase = snake(spec.name, suffix);
        if (trigger.kind === "eventbridge" && bus) {
          const dlqName = names.eventsDeadLetterQueue(config, spec.name) + suffix;
          new EventBridgeTrigger(scope, `eventbridge${suffix}`, {
            address: triggerBase,
            ruleName: `${name}${suffix}`,
            description: tfText(`Starts ${name} on ${JSON.stringify(trigger.pattern)}`),
            eventBusName: bus.bus.name,
            pattern: trigger.pattern,
            stateMachineArn: aliasArn,
            roleName: names.eventsRole(config, spec.name) + suffix,
            deadLetterQueueName: dlqName,
            kmsKeyArn: this.key.arn,
            accountId: this.accountId,
            tags,
          });
          queueNames.push(dlqName);
          new QueueDepthAlarm(scope, `eventbridge${suffix}-dlq-alarm`, { address: `${triggerBase}_events_dlq`, queueName: dlqName, topicArn, what: "events EventBridge could not deliver to the state machine", tags });
        }
        if (trigger.kind === "sqs") {
          const queueName = names.queue(config, spec.name) + suffix;
          const dlqName = names.deadLetterQueue(config, spec.name + suffix);
          const functionName = names.bridgeFunction(config, spec.name) + suffix;
          const sqs = new SqsTrigger(scope, `sqs${suffix}`, {
            address: triggerBase,
            queueName,
            deadLetterQueueName: dlqName,
            stateMachineArn: aliasArn,
            kmsKeyArn: this.key.arn,
            batchSize: trigger.batchSize,
            maxReceiveCount: trigger.maxReceiveCount,
            bridge: {
              functionName,
              roleName: names.bridgeRole(config, spec.name) + suffix,
              package: this.packager.get(BRIDGE_HANDLER),
              entryPoint: this.packager.get(BRIDGE_HANDLER).lambdaHandler,
              description: `Starts ${name} for each message of ${queueName}`,
              logGroupName: names.lambdaLogGroup(functionName),
              logRetentionDays: config.logRetentionDays,
              kmsKeyArn: this.key.arn,
              deadLetterQueueArn: this.functionsDlq.queue.arn,
              // An SQS event source mapping needs a maximum concurrency of at least 2, and no more than the reserved concurrency.
              reservedConcurrency: Math.max(2, config.lambdaReservedConcurrency),
              environment: this.environment(),
              timeoutSeconds: this.timeout,
              tags: { ...tags, handler: BRIDGE_HANDLER },
            },
            tags,
          });
          queueNames.push(queueName, dlqName);
          new QueueDepthAlarm(scope, `sqs${suffix}-dlq-alarm`, { address: `${triggerBase}_dlq`, queueName: dlqName, topicArn, what: "messages that failed to start an execution maxReceiveCount times", tags });
          new TerraformOutput(this, `${underscores(spec.name)}_queue_url${underscores(suffix)}`, { value: sqs.queue.queue.url, description: `Send a message here to start ${name} (one execution per message).` });
        }
        if (trigger.kind === "schedule") {
          const dlqName = names.scheduleDeadLetterQueue(config, spec.name) + suffix;
          new ScheduleTrigger(scope, `schedule${suffix}`, {
            address: `${triggerBase}_schedule`,
            name: names.schedule(config, spec.name) + suffix,
            description: tfText(`Starts ${name} (${config.stage} alias) on ${trigger.expression}`),
            expression: trigger.expression,
            timezone: trigger.timezone ?? "UTC",
            flexibleWindowMinutes: trigger.flexibleWindowMinutes ?? 0,
            input: canonicalJson(escapeTerraformTemplates((trigger.input ?? {}) as Json)),
            maximumRetryAttempts: trigger.maximumRetryAttempts ?? 3,
            maximumEventAgeSeconds: trigger.maximumEventAgeSeconds ?? 3600,
            aliasArn,
            roleName: names.scheduleRole(config, spec.name) + suffix,
            deadLetterQueueName: dlqName,
            kmsKeyArn: this.key.arn,
            accountId: this.accountId,
            tags,
          });
          queueNames.push(dlqName);
          new QueueDepthAlarm(scope, `schedule${suffix}-dlq-alarm`, { address: `${triggerBase}_schedule_dlq`, queueName: dlqName, topicArn, what: "scheduled starts EventBridge Scheduler could not deliver", tags });
        }
        if (trigger.kind === "http") {
          const api = new HttpApiTrigger(scope, `http${suffix}`, {
            address: `${triggerBase}_http`,
            apiName: names.httpApi(config, spec.name) + suffix,
            description: tfText(`${trigger.route} starts ${name} (${config.stage} alias)`),
            routeKey: tfText(trigger.route),
            workflowType: spec.type,
            authorization: trigger.authorization ?? { type: "iam" },
            aliasArn,
            roleName: names.httpApiRole(config, spec.name) + suffix,
            accessLogGroupName: names.httpApiAccessLogGroup(config, spec.name) + suffix,
            logRetentionDays: config.logRetentionDays,
            kmsKeyArn: this.key.arn,
            accountId: this.accountId,
            throttlingRateLimit: trigger.throttlingRateLimit ?? 50,
            throttlingBurstLimit: trigger.throttlingBurstLimit ?? 100,
            tags,
          });
          new TerraformOutput(this, `${underscores(spec.name)}_http_endpoint${underscores(suffix)}`, {
            value: api.stage.invokeUrl,
            description: `${trigger.route} on this endpoint starts ${name} (${trigger.authorization?.type === "jwt" ? "JWT" : "SigV4-signed IAM"} authorization).`,
          });
        }
      });
    }
    for (const [queue, ruleArns] of notifiedQueues) {
      new QueueEventsPolicy(declared, `${queue}-events-policy`, {
        address: snake(queue),
        queueUrl: declaredResources.value(queue, "url"),
        queueArn: declaredResources.value(queue, "arn"),
        ruleArns,
      });
    }
    this.rendered = rendered;
    // Every function reserves concurrency from the account's pool: warn before AWS refuses the apply.
    const bridges = workflows.flatMap((w) => w.triggers.filter((t) => t.kind === "sqs")).length;
    const reservations = [
      ...[...this.functions.keys()].map(() => config.lambdaReservedConcurrency),
      ...Array.from({ length: bridges }, () => Math.max(2, config.lambdaReservedConcurrency)),
    ];
    const quota = reservedConcurrencyWarning(reservations);
    const quotaFindings: Finding[] = quota ? [{ code: "CFG002", severity: "warning", file: config.sources.join(", ") || "(environment)", path: "LAMBDA_RESERVED_CONCURRENCY", message: quota }] : [];
    // Configuration warnings (a key nobody declared) are reported with the lint warnings.
    const configWarnings: Finding[] = (config.warnings ?? []).map((message) => ({ code: "CFG001", severity: "warning", file: message.split(":")[0], path: "", message }));
    this.findings = [...configWarnings, ...rendered.flatMap((r) => [...r.workflow.findings, ...r.findings]), ...quotaFindings];

    const functionNames = [...this.functions.values()].map((f) => f.function.functionName);
    new StageDashboard(this, "dashboard", { address: "stage", name: names.stack(config), region: config.region, stateMachines, functionNames, queueNames });
    if (bus) new TerraformOutput(this, "event_bus_name", { value: bus.bus.name, description: "Put events here (PutEvents) to trigger the EventBridge-triggered workflows." });
    new TerraformOutput(this, "alarm_topic_arn", { value: topicArn, description: "SNS topic that receives every alarm of this stage; subscribe on-call here." });
  }

  /** The ARN of the stage's customer-managed KMS key: encrypt what a stage hook adds with it. */
  get stageKeyArn(): string {
    return this.key.arn;
  }

  /** The handler's function, created on first use so exactly the referenced handlers get one. */
  functionFor(handler: string): HandlerFunction {
    const existing = this.functions.get(handler);
    if (existing) return existing;
    const config = this.config;
    const functionName = names.lambdaFunction(config, handler);
    const fn = new HandlerFunction(this, `function-${handler}`, {
      address: snake(handler),
      functionName,
      roleName: names.lambdaRole(config, handler),
      package: this.packager.get(handler),
      entryPoint: this.packager.get(handler).lambdaHandler,
      description: tfText(`handlers/${handler}.ts`),
      logGroupName: names.lambdaLogGroup(functionName),
      logRetentionDays: config.logRetentionDays,
      kmsKeyArn: this.key.arn,
      deadLetterQueueArn: this.functionsDlq.queue.arn,
      reservedConcurrency: config.lambdaReservedConcurrency,
      environment: this.environment(),
      timeoutSeconds: this.timeout,
      tags: { handler },
    });
    this.functions.set(handler, fn);
    return fn;
  }

  private environment(): Record<string, string> {
    return { LOG_LEVEL: this.config.logLevel, PROJECT_NAME: this.config.projectName, STAGE: this.config.stage };
  }
}

/** A message with its tokens shown as the Terraform expressions they stand for. */
function readable(scope: Construct, message: string): string {
  if (!Tokenization.isResolvable(message) && !message.includes("${TfToken[")) return message;
  return String(Tokenization.resolve(message, { scope, resolver: new DefaultTokenResolver(new StringConcat()) }));
}

/** Output names keep their historical form (`-` to `_`), independent of the address scheme. */
function underscores(value: string): string {
  return value.replace(/-/g, "_");
}

/** The declared queue a workflow's notifications go to: created by this stack, so its policy can let the rule send. */
function notificationQueue(workflow: string, queue: string, resources: readonly DeclaredResource[], config: StageConfig): string {
  const decl = resources.find((r) => r.name === queue);
  const queues = resources.filter((r) => r.kind === "sqs-queue").map((r) => r.name);
  if (!decl || decl.kind !== "sqs-queue") {
    throw new ProjectError(
      `workflows/catalogue.ts: workflow "${workflow}" sends its notifications to queue "${queue}", which workflows/resources.ts does not declare as an sqs-queue. Declared queues: ${queues.join(", ") || "none"}. Declare it there or fix the name.`,
    );
  }
  if (decl.existing || config.resources[queue]) {
    throw new ProjectError(
      `workflows/catalogue.ts: workflow "${workflow}" sends its notifications to queue "${queue}", which stage ${config.stage} gives as an existing queue (RESOURCE_${queue.toUpperCase().replace(/-/g, "_")}_ARN); this stack cannot set that queue's policy. Let the stack create the queue, or send the notifications to the alarm topic (leave out "queue").`,
    );
  }
  return queue;
}
