import { posix } from "node:path";
import { LocalBackend, S3Backend, type TerraformStack } from "cdktf";
import type { BackendConfig } from "../src/config/stage";

/**
 * How deep a stack's folder sits below the project (cdktf.out/stacks/<stack>,
 * and cdktf.out/hcl/<stack> for the HCL copy): Terraform resolves a local
 * backend path from there, and the state must live outside cdktf.out, which
 * every synthesis replaces.
 */
const STACK_DIR_DEPTH = 3;

/**
 * Points the stack's Terraform state at the configured backend. Local: a path
 * relative to the stack folder that lands in the project root, one file per
 * stage (cdktf's default would write an absolute path). S3: encrypted, with S3
 * native locking (cdktf 0.21's S3Backend has no use_lockfile, hence the override).
 */
export function configureBackend(stack: TerraformStack, backend: BackendConfig): void {
  if (backend.type === "local") {
    if (posix.isAbsolute(backend.path)) {
      throw new Error(`The local state path must be relative to the project so the output stays portable. Received: "${backend.path}".`);
    }
    new LocalBackend(stack, { path: posix.join(...Array<string>(STACK_DIR_DEPTH).fill(".."), backend.path) });
    return;
  }
  const s3 = new S3Backend(stack, {
    bucket: backend.bucket,
    key: backend.key,
    region: backend.region,
    encrypt: true,
    kmsKeyId: backend.kmsKeyId,
    dynamodbTable: backend.dynamodbTable,
  });
  s3.addOverride("use_lockfile", true);
}
