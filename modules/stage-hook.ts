/**
 * The escape hatch, per stage: what a team adds to each stage stack beyond
 * the catalogue and the declared resources. main.ts hands both to every stage.
 *
 * - `extraStatements(config)`: extra IAM statements by workflow, for the stage
 *   in `config` only (a grant on `shop-prod-exports` never reaches dev's role).
 * - `stageHook(stack, config)`: add constructs of your own to the stage stack
 *   (each with `address(...)`, modules/addresses.ts), encrypted with
 *   `stack.stageKeyArn`; return `{ extraStatements }` to grant a workflow access to them.
 *
 * Example:
 *
 *   export const stageHook: StageHook = (stack, config) => {
 *     if (config.stage !== "prod") return;
 *     const exports = address(new S3Bucket(stack, "exports", { bucket: `shop-prod-exports` }), "exports");
 *     return { extraStatements: { "order-fulfilment": [{ actions: ["s3:PutObject"], resources: [`${exports.arn}/*`] }] } };
 *   };
 */
import type { ExtraStatements, StageHook } from "./stage-stack";
import type { StageConfig } from "../src/config/stage";

export const extraStatements = (_config: StageConfig): ExtraStatements => ({});

export const stageHook: StageHook = () => undefined;
