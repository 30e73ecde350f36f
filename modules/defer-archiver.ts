/**
 * cdktf loads `archiver` (and its streams) as soon as it is required, about
 * 60 ms of a default-stage synthesis (node --cpu-prof on the compiled app),
 * but uses it only to zip a directory asset. Every asset here is a FILE (the
 * handler zips are built by src/build), so the module is never called. Put a
 * stand-in in the require cache that loads the real module on first use:
 * nothing changes for a team that adds a directory asset, it just pays the
 * load then. Imported first by modules/app.ts, before cdktf. SYNTH_FULL=1
 * (cdktf's own synthesis, which `npm run bench:synth` measures against)
 * leaves the eager load as it was.
 */
if (process.env.SYNTH_FULL !== "1") {
  try {
    const { createRequire, Module } = require("node:module") as typeof import("node:module");
    // cdktf ships its own copy (a bundled dependency): resolve it as cdktf's files do.
    const id = createRequire(require.resolve("cdktf")).resolve("archiver");
    if (!require.cache[id]) {
      const load = (): ((...args: unknown[]) => unknown) => {
        delete require.cache[id];
        return require(id) as (...args: unknown[]) => unknown;
      };
      const standIn = Object.assign((...args: unknown[]) => load()(...args), {
        // archiver's other exports (create, registerFormat, isRegisteredFormat) load it as well.
        create: (...args: unknown[]) => (load() as unknown as { create: (...a: unknown[]) => unknown }).create(...args),
        registerFormat: (...args: unknown[]) => (load() as unknown as { registerFormat: (...a: unknown[]) => unknown }).registerFormat(...args),
        isRegisteredFormat: (...args: unknown[]) => (load() as unknown as { isRegisteredFormat: (...a: unknown[]) => unknown }).isRegisteredFormat(...args),
      });
      const stub = new Module(id);
      stub.filename = id;
      stub.loaded = true;
      stub.exports = standIn;
      require.cache[id] = stub;
    }
  } catch {
    // cdktf's layout changed: it loads archiver as before.
  }
}
export {};
