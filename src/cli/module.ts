/** `npm run module`: see src/module/cli.ts. */
import { runModuleCommand } from "../module/cli";

process.exitCode = runModuleCommand(process.argv.slice(2));
