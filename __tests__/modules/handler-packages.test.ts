import { mkdtempSync, mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { inflateRawSync } from "node:zlib";
import { HandlerPackager } from "../../modules/assets/handler-packages";
import { deterministicZip } from "../../modules/assets/deterministic-zip";

/** A fake bundler that counts its calls and writes fixed files. */
function fakeBundle(calls: string[]) {
  return (handler: string, outDir: string) => {
    calls.push(handler);
    mkdirSync(outDir, { recursive: true });
    writeFileSync(join(outDir, "index.js"), `exports.handler = () => "${handler}";\n`);
    writeFileSync(join(outDir, "index.js.map"), "{}");
  };
}

describe("HandlerPackager", () => {
  test("bundles a handler once per process however often it is asked for", () => {
    const calls: string[] = [];
    const packager = new HandlerPackager(mkdtempSync(join(tmpdir(), "pkg-")), fakeBundle(calls), false);
    const first = packager.get("validate-order");
    expect(packager.get("validate-order")).toBe(first);
    expect(calls).toEqual(["validate-order"]);
    expect(first).toMatchObject({ lambdaHandler: "index.handler", assetHash: expect.stringMatching(/^[0-9A-F]{16}$/) });
    expect(new HandlerPackager(mkdtempSync(join(tmpdir(), "pkg-")), fakeBundle([]), false).get("sqs").lambdaHandler).toBe("index.processMessage");
  });

  test("a later process reuses the zip while the inputs are unchanged; SYNTH_NO_CACHE=1 rebuilds", () => {
    const dir = mkdtempSync(join(tmpdir(), "pkg-"));
    const calls: string[] = [];
    const a = new HandlerPackager(dir, fakeBundle(calls)).get("enrich-record");
    const b = new HandlerPackager(dir, fakeBundle(calls)).get("enrich-record");
    expect(calls).toEqual(["enrich-record"]);
    expect(b.sourceCodeHash).toBe(a.sourceCodeHash);
    process.env.SYNTH_NO_CACHE = "1";
    try {
      new HandlerPackager(dir, fakeBundle(calls)).get("enrich-record");
    } finally {
      delete process.env.SYNTH_NO_CACHE;
    }
    expect(calls).toEqual(["enrich-record", "enrich-record"]);
  });
});

describe("deterministicZip", () => {
  test("same entries in any order give the same bytes, with fixed timestamps and readable content", () => {
    const x = { name: "index.js", data: Buffer.from("exports.handler = 1;\n") };
    const y = { name: "index.js.map", data: Buffer.from("{}") };
    const zip = deterministicZip([x, y]);
    expect(deterministicZip([y, x]).equals(zip)).toBe(true);
    expect(zip.readUInt32LE(0)).toBe(0x04034b50);
    expect(zip.readUInt16LE(10)).toBe(0); // DOS time 00:00
    expect(zip.readUInt16LE(12)).toBe(33); // DOS date 1980-01-01
    const nameLength = zip.readUInt16LE(26);
    const compressed = zip.subarray(30 + nameLength, 30 + nameLength + zip.readUInt32LE(18));
    expect(zip.subarray(30, 30 + nameLength).toString()).toBe("index.js");
    expect(inflateRawSync(compressed).toString()).toBe("exports.handler = 1;\n");
  });
});
