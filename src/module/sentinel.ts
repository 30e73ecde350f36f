/**
 * The module is made from a synthesis of the stage stack for a sentinel stage:
 * values no real configuration uses and no template text contains by accident,
 * so every place they show up in the synthesized JSON is a place the stage's
 * setting went, and can become a Terraform expression (src/module/transform.ts).
 *
 * Two sentinels, different in every setting: the module built from each must be
 * the same, or some output depends on the stage in a way the module cannot
 * express (build.ts). The team's own stage variables and the existing declared
 * resources get their sentinel values from src/module/inputs.ts (a team
 * variable's must pass its rule, so they are found by aligning the two
 * syntheses, align.ts, rather than by their text). Each sentinel rolls out
 * every workflow (ROLLOUT_<WORKFLOW>), a step with two routes, so the aliases
 * are found as src/deploy/rollout.ts makes them (src/module/rollouts.ts).
 */
import { WORKFLOWS } from "../catalogue";
import { type Rollout, rolloutVariable } from "../deploy/rollout";

export interface Sentinel {
  readonly projectName: string;
  readonly stage: string;
  readonly region: string;
  readonly owner: string;
  readonly logLevel: string;
  readonly logRetentionDays: number;
  readonly logExecutionData: boolean;
  readonly lambdaReservedConcurrency: number;
  readonly alarmEmail: string;
  /** The rollout step of every workflow: neither 0 nor 100, so the alias has both routes. */
  readonly rollout: Rollout;
}

export const SENTINELS: readonly [Sentinel, Sentinel] = [
  {
    projectName: "modproj",
    stage: "modstage",
    region: "ap-southeast-4",
    owner: "modowner-x9",
    logLevel: "WARN",
    logRetentionDays: 2192,
    logExecutionData: false,
    lambdaReservedConcurrency: 7,
    alarmEmail: "modalarm@example.invalid",
    rollout: { previousVersion: 3, weight: 37 },
  },
  {
    projectName: "altproj",
    stage: "altstage",
    region: "eu-south-2",
    owner: "altowner-q7",
    logLevel: "ERROR",
    logRetentionDays: 3653,
    logExecutionData: true,
    lambdaReservedConcurrency: 9,
    alarmEmail: "altalarm@example.invalid",
    rollout: { previousVersion: 5, weight: 61 },
  },
];

/** The ROLLOUT_* setting for every workflow: the sentinel's step. */
export function rolloutEnv(rollout: Rollout, workflows: readonly string[] = WORKFLOWS.map((w) => w.name)): Record<string, string> {
  return Object.fromEntries(workflows.map((w) => [rolloutVariable(w), `previous=${rollout.previousVersion},weight=${rollout.weight}`]));
}

/** The environment that synthesizes the sentinel stage (every configuration key set, so no .env value leaks in). */
export function sentinelEnv(s: Sentinel): Record<string, string> {
  return {
    PROJECT_NAME: s.projectName,
    STAGE: s.stage,
    REGION: s.region,
    OWNER: s.owner,
    LOG_LEVEL: s.logLevel,
    LOG_RETENTION_DAYS: String(s.logRetentionDays),
    SFN_LOG_EXECUTION_DATA: String(s.logExecutionData),
    LAMBDA_RESERVED_CONCURRENCY: String(s.lambdaReservedConcurrency),
    ALARM_EMAIL: s.alarmEmail,
    STATE_BACKEND: "local",
    ...rolloutEnv(s.rollout),
  };
}

/** The sentinel strings that must not survive the transformation anywhere. */
export function sentinelStrings(s: Sentinel): string[] {
  return [s.projectName, s.stage, s.region, s.owner, s.alarmEmail];
}
