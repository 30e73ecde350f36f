import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runDefinition, runWorkflow } from "../../src/executor";
import { parseCsv } from "../../src/executor/s3-local";

const FIXTURES = join(__dirname, "fixtures", "s3");
let s3Dir: string;
beforeEach(() => {
  s3Dir = mkdtempSync(join(tmpdir(), "s3-local-"));
  cpSync(FIXTURES, s3Dir, { recursive: true });
});
afterEach(() => rmSync(s3Dir, { recursive: true, force: true }));

const put = (bucket: string, key: string, body: string) => {
  mkdirSync(join(s3Dir, bucket, key, ".."), { recursive: true });
  writeFileSync(join(s3Dir, bucket, key), body);
};
const readJson = (bucket: string, key: string) => JSON.parse(readFileSync(join(s3Dir, bucket, key), "utf8"));

const distributed = (reader: Record<string, unknown>, extra: Record<string, unknown> = {}, processor: Record<string, unknown> = { P: { Type: "Pass", End: true } }) => ({
  StartAt: "M",
  States: {
    M: {
      Type: "Map",
      ItemReader: reader,
      ItemProcessor: { ProcessorConfig: { Mode: "DISTRIBUTED", ExecutionType: "STANDARD" }, StartAt: Object.keys(processor)[0], States: processor },
      ...extra,
      End: true,
    },
  },
});

describe("the shipped batch-import workflow (Distributed Map with ItemReader and ResultWriter)", () => {
  test("runs from the fixture CSV and writes AWS's manifest and result files", async () => {
    const r = await runWorkflow("batch-import", {}, { s3Dir, startTime: "2024-06-01T00:00:00Z" });
    expect(r.status).toBe("SUCCEEDED");
    const out = r.output as { import: { MapRunArn: string; ResultWriterDetails: { Bucket: string; Key: string } } };
    expect(out.import.MapRunArn).toMatch(/^arn:aws:states:us-east-1:123456789012:mapRun:my-app-dev-batch-import\/ImportRows:[0-9a-f-]{36}$/);
    const runId = out.import.MapRunArn.split(":").at(-1);
    expect(out.import.ResultWriterDetails).toEqual({ Bucket: "my-app-dev-imports", Key: `results/${runId}/manifest.json` });
    const manifest = readJson("my-app-dev-imports", out.import.ResultWriterDetails.Key);
    expect(manifest).toEqual({
      DestinationBucket: "my-app-dev-imports",
      MapRunArn: out.import.MapRunArn,
      ResultFiles: { FAILED: [], PENDING: [], SUCCEEDED: [{ Key: `results/${runId}/SUCCEEDED_0.json`, Size: expect.any(Number) }] },
    });
    expect(readdirSync(join(s3Dir, "my-app-dev-imports", "results", runId!)).sort()).toEqual(["SUCCEEDED_0.json", "manifest.json"]);
    const succeeded = readJson("my-app-dev-imports", `results/${runId}/SUCCEEDED_0.json`);
    expect(succeeded).toHaveLength(3);
    // CSV values are strings (AWS does not convert types): the handler sees quantity "2", so it prices nothing.
    expect(JSON.parse(succeeded[1].Input)).toEqual({ item: { sku: "B-2", quantity: "1", unitPrice: "120", note: "with, a comma" }, index: 1 });
    expect(JSON.parse(succeeded[2].Output)).toEqual({ sku: "C-3", quantity: "5", unitPrice: "0.5", note: 'a "quoted" word', index: 2, status: "PROCESSED" });
    expect(succeeded[0]).toMatchObject({ Status: "SUCCEEDED", InputDetails: { Included: true }, OutputDetails: { Included: true }, RedriveCount: 0 });
    expect(succeeded[0].ExecutionArn).toMatch(/^arn:aws:states:us-east-1:123456789012:execution:my-app-dev-batch-import\/ImportRows:/);
  });

  test("a missing object is States.ItemReaderFailed; no s3Dir is a clear States.Runtime", async () => {
    rmSync(join(s3Dir, "my-app-dev-imports", "incoming", "rows.csv"));
    const r = await runWorkflow("batch-import", {}, { s3Dir });
    expect(r.status).toBe("FAILED");
    expect(r.error).toBe("States.ItemReaderFailed");
    expect(r.cause).toContain("s3://my-app-dev-imports/incoming/rows.csv");
    const none = await runWorkflow("batch-import", {});
    expect(none.error).toBe("States.Runtime");
    expect(none.cause).toContain("s3Dir");
  });
});

describe("ItemReader", () => {
  test("JSON, JSON Lines, CSV with given headers and a delimiter, MaxItems and MaxItemsPath", async () => {
    put("b", "items.json", JSON.stringify([{ a: 1 }, { a: 2 }, { a: 3 }]));
    put("b", "items.jsonl", '{"a":1}\n\n{"a":2}\n[3]\n');
    put("b", "items.csv", "x|1\ny|2\n");
    const json = await runDefinition(distributed({ Resource: "arn:aws:states:::s3:getObject", ReaderConfig: { InputType: "JSON", MaxItems: 2 }, Parameters: { Bucket: "b", Key: "items.json" } }), {}, { s3Dir });
    expect(json.output).toEqual([{ a: 1 }, { a: 2 }]);
    const jsonl = await runDefinition(distributed({ Resource: "arn:aws:states:::s3:getObject", ReaderConfig: { InputType: "JSONL", MaxItemsPath: "$.max" }, Parameters: { Bucket: "b", "Key.$": "$.key" } }), { key: "items.jsonl", max: 0 }, { s3Dir });
    expect(jsonl.output).toEqual([{ a: 1 }, { a: 2 }, [3]]);
    const csv = await runDefinition(distributed({ Resource: "arn:aws:states:::s3:getObject", ReaderConfig: { InputType: "CSV", CSVHeaderLocation: "GIVEN", CSVHeaders: ["name", "n"], CSVDelimiter: "PIPE" }, Parameters: { Bucket: "b", Key: "items.csv" } }), {}, { s3Dir });
    expect(csv.output).toEqual([{ name: "x", n: "1" }, { name: "y", n: "2" }]);
    const notArray = await runDefinition(distributed({ Resource: "arn:aws:states:::s3:getObject", Parameters: { Bucket: "b", Key: "items.jsonl" } }), {}, { s3Dir });
    expect(notArray.error).toBe("States.ItemReaderFailed");
  });

  test("listObjectsV2 gives {Etag, Key, LastModified, Size, StorageClass} under the Prefix", async () => {
    put("b", "in/one.txt", "hello");
    put("b", "in/sub/two.txt", "");
    put("b", "other/x.txt", "x");
    const r = await runDefinition(distributed({ Resource: "arn:aws:states:::s3:listObjectsV2", Parameters: { Bucket: "b", Prefix: "in/" } }), {}, { s3Dir });
    const items = r.output as Array<Record<string, unknown>>;
    expect(items.map((i) => i.Key)).toEqual(["in/one.txt", "in/sub/two.txt"]);
    expect(items[0]).toEqual({ Etag: '"5d41402abc4b2a76b9719d911017c592"', Key: "in/one.txt", LastModified: expect.any(Number), Size: 5, StorageClass: "STANDARD" });
  });

  test("an S3 inventory manifest: its CSV data files, rows keyed by fileSchema", async () => {
    put("inv", "m/manifest.json", JSON.stringify({ sourceBucket: "src", fileFormat: "CSV", fileSchema: "Bucket, Key, Size", files: [{ key: "m/data/1.csv" }, { key: "m/data/2.csv" }] }));
    put("inv", "m/data/1.csv", "src,a.txt,10\n");
    put("inv", "m/data/2.csv", "src,b.txt,20\n");
    const r = await runDefinition(distributed({ Resource: "arn:aws:states:::s3:getObject", ReaderConfig: { InputType: "MANIFEST" }, Parameters: { Bucket: "inv", Key: "m/manifest.json" } }), {}, { s3Dir });
    expect(r.output).toEqual([{ Bucket: "src", Key: "a.txt", Size: "10" }, { Bucket: "src", Key: "b.txt", Size: "20" }]);
  });

  test("CSV parsing: quotes, doubled quotes, CRLF, line breaks inside quotes", () => {
    expect(parseCsv('a,b\r\n"x, y","say ""hi"""\n"multi\nline",2\n')).toEqual([["a", "b"], ["x, y", 'say "hi"'], ["multi\nline", "2"]]);
  });
});

describe("ItemBatcher", () => {
  test("MaxItemsPerBatch, MaxInputBytesPerBatch and BatchInput (items under Items)", async () => {
    put("b", "n.json", JSON.stringify(["aaaa", "bbbb", "cccc", "dddd", "eeee"]));
    const reader = { Resource: "arn:aws:states:::s3:getObject", Parameters: { Bucket: "b", Key: "n.json" } };
    const byCount = await runDefinition(distributed(reader, { ItemBatcher: { MaxItemsPerBatch: 2, BatchInput: { "job.$": "$.job" } } }), { job: "j1" }, { s3Dir });
    expect(byCount.output).toEqual([
      { BatchInput: { job: "j1" }, Items: ["aaaa", "bbbb"] },
      { BatchInput: { job: "j1" }, Items: ["cccc", "dddd"] },
      { BatchInput: { job: "j1" }, Items: ["eeee"] },
    ]);
    // {"Items":[]} is 12 bytes, "aaaa" 6, each further item 7 with its comma: 12 + 6 + 7 = 25 fits, a third does not.
    const byBytes = await runDefinition(distributed(reader, { ItemBatcher: { MaxInputBytesPerBatch: 25 } }), {}, { s3Dir });
    expect(byBytes.output).toEqual([{ Items: ["aaaa", "bbbb"] }, { Items: ["cccc", "dddd"] }, { Items: ["eeee"] }]);
    expect(JSON.stringify({ Items: ["aaaa", "bbbb"] }).length).toBe(25);
  });
});

describe("ResultWriter and tolerated failures", () => {
  const failing = { P: { Type: "Choice", Choices: [{ Variable: "$.bad", BooleanEquals: true, Next: "Boom" }], Default: "Ok" }, Ok: { Type: "Pass", End: true }, Boom: { Type: "Fail", Error: "Row.Bad", Cause: "bad row" } };
  const rows = [{ id: 1, bad: false }, { id: 2, bad: true }, { id: 3, bad: false }, { id: 4, bad: false }];

  test("tolerated failures go to FAILED_0.json; the Map succeeds", async () => {
    put("b", "rows.json", JSON.stringify(rows));
    const def = distributed(
      { Resource: "arn:aws:states:::s3:getObject", Parameters: { Bucket: "b", Key: "rows.json" } },
      { ToleratedFailureCount: 1, ResultWriter: { Resource: "arn:aws:states:::s3:putObject", Parameters: { Bucket: "out", Prefix: "runs/" } } },
      failing,
    );
    const r = await runDefinition(def, {}, { s3Dir });
    expect(r.status).toBe("SUCCEEDED");
    const { Key } = (r.output as { ResultWriterDetails: { Key: string } }).ResultWriterDetails;
    const manifest = readJson("out", Key);
    expect(manifest.ResultFiles.FAILED).toHaveLength(1);
    const failed = readJson("out", manifest.ResultFiles.FAILED[0].Key);
    expect(failed).toEqual([expect.objectContaining({ Status: "FAILED", Error: "Row.Bad", Cause: "bad row", Input: '{"id":2,"bad":true}' })]);
    expect(failed[0].Output).toBeUndefined();
    expect(readJson("out", manifest.ResultFiles.SUCCEEDED[0].Key)).toHaveLength(3);
  });

  test("over the threshold: States.ExceedToleratedFailureThreshold, and what never ran is PENDING", async () => {
    put("b", "rows.json", JSON.stringify(rows));
    const def = distributed(
      { Resource: "arn:aws:states:::s3:getObject", Parameters: { Bucket: "b", Key: "rows.json" } },
      { MaxConcurrency: 1, ToleratedFailureCount: 0, ResultWriter: { Resource: "arn:aws:states:::s3:putObject", Parameters: { Bucket: "out", Prefix: "runs" } } },
      failing,
    );
    const r = await runDefinition(def, {}, { s3Dir });
    expect(r).toMatchObject({ status: "FAILED", error: "States.ExceedToleratedFailureThreshold" });
    const runDir = readdirSync(join(s3Dir, "out", "runs"))[0];
    const manifest = readJson("out", `runs/${runDir}/manifest.json`);
    expect(readJson("out", manifest.ResultFiles.SUCCEEDED[0].Key)).toHaveLength(1);
    expect(readJson("out", manifest.ResultFiles.FAILED[0].Key)).toHaveLength(1);
    expect(readJson("out", manifest.ResultFiles.PENDING[0].Key).map((p: { Input: string }) => JSON.parse(p.Input).id)).toEqual([3, 4]);
  });

  test("WriterConfig alone formats the output without exporting (FLATTEN)", async () => {
    put("b", "pairs.json", JSON.stringify([[1, 2], [3]]));
    const def = distributed({ Resource: "arn:aws:states:::s3:getObject", Parameters: { Bucket: "b", Key: "pairs.json" } }, { ResultWriter: { WriterConfig: { Transformation: "FLATTEN", OutputType: "JSON" } } });
    expect((await runDefinition(def, {}, { s3Dir })).output).toEqual([1, 2, 3]);
  });
});
