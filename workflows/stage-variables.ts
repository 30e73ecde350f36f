/**
 * Stage variables of the team's own: declared once here (name, rule,
 * default), set per stage in `stages/<stage>.env` (committed), `.env`,
 * `.env.<stage>` (local, ignored) or the environment, validated up front, and
 * available in templates by name: `{{PAYMENT_MODE}}`,
 * `{{#if (eq PAYMENT_MODE "live")}} ... {{/if}}`.
 *
 * Values go into the definition's JSON text as they are: a rule admits only
 * what is safe there (no quote, backslash or control character, whatever the rule).
 */

export interface StageVariable {
  /** UPPER_SNAKE_CASE, not one of the built-in settings. */
  readonly name: string;
  readonly description: string;
  /** The allowed values, or a pattern the whole value must match. */
  readonly rule: readonly string[] | RegExp;
  /** Used when no stage sets it; must pass the rule. */
  readonly default: string;
}

export const STAGE_VARIABLES: readonly StageVariable[] = [
  {
    name: "PAYMENT_MODE",
    description: "Which payment provider environment the stage charges against; announced with every fulfilled order.",
    rule: ["sandbox", "live"],
    default: "sandbox",
  },
];
