#!/usr/bin/env node
// The installable command: `sfn-workflows <command> [options]` (`npx sfn-workflows --help`).
// The project is TypeScript (CommonJS) run without a build step: register tsx's
// loaders (tsx is a dependency) for this process, then hand over to src/cli/main.ts.
import { createRequire } from "node:module";
import { register as registerCjs } from "tsx/cjs/api";
import { register as registerEsm } from "tsx/esm/api";

registerCjs();
registerEsm();
const { main, processIo } = createRequire(import.meta.url)("../src/cli/main.ts");
process.exitCode = await main(process.argv.slice(2), processIo());
