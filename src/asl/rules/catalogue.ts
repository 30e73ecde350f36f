import type { Severity } from '../findings';

/**
 * Every rule code with its severity and a one-line title, in one table so the
 * severity of a code cannot drift between rules, and the README and tests can
 * be checked against it.
 */
export const RULES = {
  SFN000: { severity: 'error', title: 'no definition: the file cannot be read, rendered or parsed as a JSON object' },
  SFN001: { severity: 'error', title: 'schema violation reported by asl-validator' },
  SFN002: { severity: 'error', title: 'duplicate state names (asl-validator)' },
  SFN003: { severity: 'error', title: 'scope without a terminal state' },
  SFN004: { severity: 'error', title: 'state needs exactly one of End and Next (asl-validator)' },
  SFN005: { severity: 'error', title: 'both "name" and "name.$" in one object' },
  SFN006: { severity: 'error', title: 'mutually exclusive fields used together (asl-validator)' },
  SFN100: { severity: 'error', title: 'StartAt missing or naming no state of its scope' },
  SFN101: { severity: 'error', title: 'state unreachable from its scope StartAt' },
  SFN102: { severity: 'error', title: 'Next/Default/Choice/Catch target does not exist' },
  SFN103: { severity: 'error', title: 'transition out of a Parallel branch or Map processor' },
  SFN104: { severity: 'error', title: 'Choice state without Choices' },
  SFN110: { severity: 'error', title: 'Pass Result with ".$" keys (Result is static)' },
  SFN111: { severity: 'error', title: '".$" key whose value is not a path or intrinsic function' },
  SFN112: { severity: 'error', title: 'illegal escape in an intrinsic function string' },
  SFN120: { severity: 'error', title: 'lambda:invoke Task without FunctionName' },
  SFN121: { severity: 'warning', title: 'Lambda Task without Retry on Lambda transient errors' },
  SFN122: { severity: 'warning', title: 'Task without TimeoutSeconds in a Standard workflow' },
  SFN123: { severity: 'error', title: 'Credentials without RoleArn' },
  SFN124: { severity: 'error', title: 'HeartbeatSeconds not below TimeoutSeconds' },
  SFN125: { severity: 'warning', title: 'Task target chosen at run time (IAM cannot be scoped)' },
  SFN130: { severity: 'error', title: 'States.ALL not alone and last in Retry' },
  SFN131: { severity: 'error', title: 'States.ALL not alone and last in Catch' },
  SFN132: { severity: 'error', title: 'Retry IntervalSeconds below 1' },
  SFN133: { severity: 'error', title: 'Retry BackoffRate below 1' },
  SFN134: { severity: 'error', title: 'Retry MaxAttempts below 0' },
  SFN140: { severity: 'error', title: 'Wait without exactly one of Seconds/Timestamp/SecondsPath/TimestampPath' },
  SFN141: { severity: 'error', title: 'Wait Timestamp not an RFC 3339 date-time' },
  SFN150: { severity: 'warning', title: 'Map uses the deprecated Iterator' },
  SFN151: { severity: 'error', title: 'Map MaxConcurrency below 0' },
  SFN152: { severity: 'error', title: 'Map ToleratedFailurePercentage outside 0..100' },
  SFN160: { severity: 'error', title: 'Express workflow uses a .sync integration' },
  SFN161: { severity: 'error', title: 'Express workflow uses a .waitForTaskToken integration' },
  SFN162: { severity: 'error', title: 'Express workflow waits longer than five minutes' },
  SFN163: { severity: 'error', title: 'Express workflow TimeoutSeconds above 300' },
  SFN164: { severity: 'error', title: 'Express workflow uses an activity' },
  SFN170: { severity: 'error', title: 'JSONPath-only field in a JSONata state' },
  SFN171: { severity: 'error', title: 'JSONata-only field in a JSONPath state' },
  SFN172: { severity: 'error', title: 'state QueryLanguage JSONPath in a JSONata state machine' },
  SFN173: { severity: 'error', title: 'JSONata expression that does not parse' },
  SFN180: { severity: 'warning', title: '${Name} placeholder where an ARN or name is expected' },
} as const satisfies Record<string, { severity: Severity; title: string }>;

export type RuleCode = keyof typeof RULES;
