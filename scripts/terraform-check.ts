// `npm run terraform:check`: the logic lives in src/terraform/check.ts (tests import it from there).
import { main } from "../src/terraform/check";

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(`terraform:check failed: ${(error as Error).message}`);
    process.exitCode = 1;
  },
);
