/**
 * Starts moto's AWS API server on a free loopback port for integration tests,
 * in its own process group so `stop()` ends it and any children (no orphans).
 */

import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";

export interface MotoServer {
  readonly endpoint: string;
  stop(): Promise<void>;
}

/** Whether `python3 -m moto.server` can run here; the reason when it cannot. */
export function motoAvailability(): { available: true } | { available: false; reason: string } {
  const probe = spawnSync("python3", ["-c", "import moto.server"], { encoding: "utf8", timeout: 30_000 });
  if (probe.error) return { available: false, reason: `python3 not runnable: ${probe.error.message}` };
  if (probe.status !== 0) {
    const last = probe.stderr.trim().split("\n").pop() ?? "";
    return { available: false, reason: `moto is not installed (${last}). Install it with: python3 -m pip install "moto[server]"` };
  }
  return { available: true };
}

/** A port the OS reports free right now (bind port 0, read it, release it). */
export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolvePort(address.port) : reject(new Error("no port assigned"))));
    });
  });
}

export async function startMoto(timeoutMs = 30_000): Promise<MotoServer> {
  const port = await freePort();
  const child = spawn("python3", ["-m", "moto.server", "-H", "127.0.0.1", "-p", String(port)], {
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString("utf8")).slice(-4000);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  let exited = false;
  child.on("exit", () => (exited = true));

  const endpoint = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (exited) throw new Error(`moto.server exited before answering on ${endpoint}. Its output:\n${output}`);
    try {
      await fetch(`${endpoint}/moto-api/`, { signal: AbortSignal.timeout(1000) });
      break;
    } catch {
      if (Date.now() > deadline) {
        await stopProcessGroup(child);
        throw new Error(`moto.server did not answer on ${endpoint} within ${timeoutMs} ms. Its output:\n${output}`);
      }
      await new Promise((r) => setTimeout(r, 150));
    }
  }
  return { endpoint, stop: () => stopProcessGroup(child) };
}

async function stopProcessGroup(child: ChildProcess): Promise<void> {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((r) => child.once("exit", () => r()));
  const signal = (sig: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, sig);
    } catch {
      // Already gone.
    }
  };
  signal("SIGTERM");
  const timer = new Promise<"timeout">((r) => setTimeout(() => r("timeout"), 5000).unref());
  if ((await Promise.race([exited, timer])) === "timeout") {
    signal("SIGKILL");
    await exited;
  }
}
