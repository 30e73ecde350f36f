/**
 * A local folder standing for Amazon S3 (`<s3Dir>/<bucket>/<key>`), for a
 * distributed Map's ItemReader and ResultWriter:
 *
 * - ItemReader `arn:aws:states:::s3:getObject` with ReaderConfig.InputType
 *   JSON (an array), JSONL (one value a line), CSV (header row or given
 *   headers, every value a string, as AWS reads CSV) or MANIFEST (an S3
 *   inventory manifest.json: its CSV data files, each row an item with the
 *   inventory's Bucket and Key); `arn:aws:states:::s3:listObjectsV2` (items
 *   `{Etag, Key, LastModified, Size, StorageClass}`); MaxItems/MaxItemsPath.
 * - ResultWriter `arn:aws:states:::s3:putObject`: `<Prefix>/<map run id>/`
 *   gets manifest.json and SUCCEEDED_0.json / FAILED_0.json / PENDING_0.json
 *   (only the non-empty ones; the manifest lists every status), and the state
 *   result is `{MapRunArn, ResultWriterDetails: {Bucket, Key}}`.
 *
 * A reader problem (no such object, content not of the InputType) is
 * `States.ItemReaderFailed`; a writer problem `States.ResultWriterFailed`.
 */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import { StatesError } from "./errors";
import type { EvalContext } from "./eval-context";

type Json = any;

function readerFailed(message: string): StatesError {
  return new StatesError("States.ItemReaderFailed", message);
}

/** `<s3Dir>/<bucket>/<key>`, refusing keys that climb out of the bucket. */
export function localObjectPath(s3Dir: string, bucket: string, key: string): string {
  const root = resolve(s3Dir, bucket);
  const path = resolve(root, key);
  if (path !== root && !path.startsWith(root + sep)) throw readerFailed(`The key ${JSON.stringify(key)} leaves bucket ${bucket}.`);
  return path;
}

function needS3Dir(ec: EvalContext, what: string): string {
  const dir = ec.exec.setup.s3Dir;
  if (!dir) {
    throw new StatesError(
      "States.Runtime",
      `Map state '${ec.state.name}' has ${what === "ItemReader" ? "an" : "a"} ${what}: the local executor needs a folder standing for S3 (the s3Dir option, or --s3-dir on npm run exec; objects at <dir>/<bucket>/<key>).`,
    );
  }
  return dir;
}

/** The ItemReader's or ResultWriter's Parameters (JSONPath) / Arguments (JSONata), evaluated against the Map's input. */
async function resourceParameters(ec: EvalContext, holder: Record<string, Json>, effective: Json, field: string): Promise<Record<string, Json>> {
  const raw = holder[ec.ql.parametersField] ?? holder.Parameters ?? holder.Arguments;
  if (raw === undefined) return {};
  const v = await ec.ql.payload(ec, raw, effective, `${field}.${ec.ql.parametersField}`);
  return v && typeof v === "object" ? v : {};
}

export async function readItems(ec: EvalContext, effective: Json): Promise<Json[]> {
  const reader = ec.def.ItemReader as Record<string, Json>;
  const resource = String(reader.Resource ?? "");
  const config: Record<string, Json> = reader.ReaderConfig ?? {};
  const params = await resourceParameters(ec, reader, effective, "ItemReader");
  const maxField = await ec.ql.field(ec, config, "MaxItems", effective);
  let maxItems: number | undefined;
  if (maxField !== undefined) {
    const v = typeof maxField.value === "string" && /^\d+$/.test(maxField.value) ? Number(maxField.value) : maxField.value;
    if (typeof v !== "number" || !Number.isInteger(v) || v < 0) {
      throw new StatesError("States.Runtime", `The MaxItems${maxField.from === "path" ? "Path" : ""} field has value ${JSON.stringify(maxField.value)}, which is not a non-negative integer.`);
    }
    // AWS: 0 (or absent) means no limit; at most 100,000,000.
    if (v > 0) maxItems = Math.min(v, 100_000_000);
  }
  const dir = needS3Dir(ec, "ItemReader");
  const bucket = params.Bucket;
  if (typeof bucket !== "string" || bucket === "") throw readerFailed(`ItemReader of '${ec.state.name}': Parameters need a Bucket.`);
  let items: Json[];
  const action = /^arn:[^:]+:states:::s3:([A-Za-z0-9]+)$/.exec(resource)?.[1];
  if (action === "listObjectsV2") {
    items = listObjects(dir, bucket, typeof params.Prefix === "string" ? params.Prefix : "");
  } else if (action === "getObject") {
    const key = params.Key;
    if (typeof key !== "string" || key === "") throw readerFailed(`ItemReader of '${ec.state.name}': Parameters need a Key.`);
    const inputType = config.InputType ?? "JSON";
    if (inputType === "MANIFEST") items = readManifest(dir, bucket, key);
    else items = parseObject(readObject(dir, bucket, key), inputType, config, `s3://${bucket}/${key}`);
  } else {
    throw new StatesError("States.Runtime", `not supported by the local executor: ItemReader resource ${resource} at ${ec.state.path} (supported: arn:aws:states:::s3:getObject, arn:aws:states:::s3:listObjectsV2)`);
  }
  return maxItems !== undefined ? items.slice(0, maxItems) : items;
}

function readObject(dir: string, bucket: string, key: string): string {
  const path = localObjectPath(dir, bucket, key);
  if (!existsSync(path) || !statSync(path).isFile()) {
    throw readerFailed(`Attempting to read s3://${bucket}/${key}: The specified key does not exist. (Service: S3, Status Code: 404) (locally: ${path})`);
  }
  return readFileSync(path, "utf8");
}

function parseObject(text: string, inputType: string, config: Record<string, Json>, where: string): Json[] {
  if (inputType === "JSON") {
    let v: Json;
    try {
      v = JSON.parse(text);
    } catch (e) {
      throw readerFailed(`${where} is not valid JSON: ${(e as Error).message}`);
    }
    if (!Array.isArray(v)) throw readerFailed(`${where}: the ItemReader expects a JSON array, got ${v === null ? "null" : typeof v}.`);
    return v;
  }
  if (inputType === "JSONL") {
    const out: Json[] = [];
    const lines = text.split(/\r?\n/);
    for (let i = 0; i < lines.length; i++) {
      if (lines[i].trim() === "") continue;
      try {
        out.push(JSON.parse(lines[i]));
      } catch (e) {
        throw readerFailed(`${where} line ${i + 1} is not valid JSON: ${(e as Error).message}`);
      }
    }
    return out;
  }
  if (inputType === "CSV") return csvItems(text, config, where);
  throw readerFailed(`ReaderConfig.InputType ${JSON.stringify(inputType)} is not one of CSV, JSON, JSONL, MANIFEST.`);
}

const DELIMITERS: Record<string, string> = { COMMA: ",", PIPE: "|", SEMICOLON: ";", SPACE: " ", TAB: "\t" };

/** CSV rows as objects keyed by the headers; every value a string (AWS does not convert types). */
function csvItems(text: string, config: Record<string, Json>, where: string): Json[] {
  const delimiter = DELIMITERS[config.CSVDelimiter ?? "COMMA"];
  if (delimiter === undefined) throw readerFailed(`ReaderConfig.CSVDelimiter ${JSON.stringify(config.CSVDelimiter)} is not one of ${Object.keys(DELIMITERS).join(", ")}.`);
  const rows = parseCsv(text, delimiter);
  let headers: string[];
  const location = config.CSVHeaderLocation ?? "FIRST_ROW";
  if (location === "GIVEN") {
    if (!Array.isArray(config.CSVHeaders) || config.CSVHeaders.some((h: unknown) => typeof h !== "string")) {
      throw readerFailed(`ReaderConfig.CSVHeaderLocation GIVEN needs CSVHeaders, an array of strings.`);
    }
    headers = config.CSVHeaders;
  } else if (location === "FIRST_ROW") {
    const first = rows.shift();
    if (!first) return [];
    headers = first;
  } else {
    throw readerFailed(`ReaderConfig.CSVHeaderLocation ${JSON.stringify(location)} is not FIRST_ROW or GIVEN.`);
  }
  return rows.map((row, i) => {
    if (row.length > headers.length) throw readerFailed(`${where} row ${i + 1} has ${row.length} fields, more than the ${headers.length} headers.`);
    const item: Record<string, string> = {};
    headers.forEach((h, j) => {
      const v = row[j] ?? "";
      if (h === "__proto__") Object.defineProperty(item, h, { value: v, enumerable: true, writable: true, configurable: true });
      else item[h] = v;
    });
    return item;
  });
}

/** RFC 4180: quoted fields with "" for a quote, delimiters and line breaks inside quotes; blank lines skipped. */
export function parseCsv(text: string, delimiter = ","): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  let sawAny = false;
  const endRow = () => {
    row.push(field);
    if (!(row.length === 1 && row[0] === "" && !sawAny)) rows.push(row);
    row = [];
    field = "";
    sawAny = false;
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else field += c;
    } else if (c === '"') {
      quoted = true;
      sawAny = true;
    } else if (c === delimiter) {
      row.push(field);
      field = "";
      sawAny = true;
    } else if (c === "\n" || c === "\r") {
      if (c === "\r" && text[i + 1] === "\n") i++;
      endRow();
    } else {
      field += c;
      sawAny = true;
    }
  }
  if (field !== "" || row.length > 0 || sawAny) endRow();
  if (text.charCodeAt(0) === 0xfeff && rows[0]) rows[0][0] = rows[0][0].replace(/^\uFEFF/, "");
  return rows;
}

/** ListObjectsV2 of the local bucket folder: every file under Prefix, in key order. */
function listObjects(dir: string, bucket: string, prefix: string): Json[] {
  const root = resolve(dir, bucket);
  if (!existsSync(root)) throw readerFailed(`Attempting to list s3://${bucket}/${prefix}: The specified bucket does not exist. (Service: S3, Status Code: 404) (locally: ${root})`);
  const keys: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else keys.push(relative(root, p).split(sep).join("/"));
    }
  };
  walk(root);
  return keys
    .filter((k) => k.startsWith(prefix))
    .sort()
    .map((Key) => {
      const p = join(root, Key);
      const st = statSync(p);
      return {
        Etag: `"${createHash("md5").update(readFileSync(p)).digest("hex")}"`,
        Key,
        LastModified: Math.floor(st.mtimeMs / 1000),
        Size: st.size,
        StorageClass: "STANDARD",
      };
    });
}

/**
 * An S3 inventory manifest.json: `fileFormat` CSV, `fileSchema` the column
 * names, `files[].key` the data files (in the manifest's bucket folder; gzip
 * is not read locally: keep them uncompressed). Each row is an item keyed by
 * the schema's names, as AWS gives them.
 */
function readManifest(dir: string, bucket: string, key: string): Json[] {
  let manifest: Json;
  try {
    manifest = JSON.parse(readObject(dir, bucket, key));
  } catch (e) {
    if (e instanceof StatesError) throw e;
    throw readerFailed(`s3://${bucket}/${key} is not a valid S3 inventory manifest (JSON): ${(e as Error).message}`);
  }
  if (manifest?.fileFormat !== "CSV") throw readerFailed(`s3://${bucket}/${key}: only CSV inventories are read (fileFormat ${JSON.stringify(manifest?.fileFormat)}).`);
  const headers = String(manifest.fileSchema ?? "")
    .split(",")
    .map((s: string) => s.trim());
  const items: Json[] = [];
  for (const f of Array.isArray(manifest.files) ? manifest.files : []) {
    const text = readObject(dir, bucket, String(f.key).replace(/\.gz$/, ""));
    items.push(...csvItems(text, { CSVHeaderLocation: "GIVEN", CSVHeaders: headers }, `s3://${bucket}/${f.key}`));
  }
  return items;
}

/** One child execution's record, as the result files hold it. */
export interface ChildRecord {
  readonly index: number;
  readonly status: "SUCCEEDED" | "FAILED" | "PENDING";
  readonly input: Json;
  readonly output?: Json;
  readonly error?: string;
  readonly cause?: string;
  readonly startMs?: number;
  readonly stopMs?: number;
}

export interface MapRun {
  readonly arn: string;
  readonly id: string;
  /** ARN prefix of the child executions: `arn:...:execution:<machine>/<map label>:<id>`. */
  readonly childPrefix: string;
  /** `arn:...:stateMachine:<machine>/<map label>`. */
  readonly childMachineArn: string;
}

export function mapRunFor(ec: EvalContext, id: string): MapRun {
  const { region, accountId, executionContext } = ec.exec.setup;
  const machine = String(executionContext.StateMachine.Name);
  const label = typeof ec.def.Label === "string" ? ec.def.Label : ec.state.name;
  return {
    arn: `arn:aws:states:${region}:${accountId}:mapRun:${machine}/${label}:${id}`,
    id,
    childPrefix: `arn:aws:states:${region}:${accountId}:execution:${machine}/${label}:${id}`,
    childMachineArn: `arn:aws:states:${region}:${accountId}:stateMachine:${machine}/${label}:${id}`,
  };
}

/** The WriterConfig transformation of the results kept in the state's output (no Resource: nothing exported). */
export function transformResults(records: ChildRecord[], writerConfig: Record<string, Json> | undefined): Json[] {
  const t = writerConfig?.Transformation ?? "COMPACT";
  const out: Json[] = [];
  for (const r of records) {
    if (r.status !== "SUCCEEDED") out.push({ Error: r.error, Cause: r.cause });
    else if (t === "FLATTEN" && Array.isArray(r.output)) out.push(...r.output);
    else out.push(r.output);
  }
  return out;
}

/** Writes the manifest and result files; returns the Map's result `{MapRunArn, ResultWriterDetails}`. */
export async function writeResults(ec: EvalContext, effective: Json, run: MapRun, records: ChildRecord[]): Promise<Json> {
  const writer = ec.def.ResultWriter as Record<string, Json>;
  const params = await resourceParameters(ec, writer, effective, "ResultWriter");
  const dir = needS3Dir(ec, "ResultWriter");
  const bucket = params.Bucket;
  if (typeof bucket !== "string" || bucket === "") throw new StatesError("States.ResultWriterFailed", `ResultWriter of '${ec.state.name}': Parameters need a Bucket.`);
  let prefix = typeof params.Prefix === "string" ? params.Prefix : "";
  if (prefix !== "" && !prefix.endsWith("/")) prefix += "/";
  const base = `${prefix}${run.id}/`;
  const jsonl = writer.WriterConfig?.OutputType === "JSONL";
  const transformation = writer.WriterConfig?.Transformation ?? "NONE";
  const files: Record<"FAILED" | "PENDING" | "SUCCEEDED", Json[]> = { FAILED: [], PENDING: [], SUCCEEDED: [] };
  for (const status of ["SUCCEEDED", "FAILED", "PENDING"] as const) {
    const rows = records.filter((r) => r.status === status).map((r) => resultRow(r, run, transformation));
    if (rows.length === 0) continue;
    const entries = status === "SUCCEEDED" && transformation === "FLATTEN" ? rows.flatMap((r) => (Array.isArray(r) ? r : [r])) : rows;
    const key = `${base}${status}_0.json${jsonl ? "l" : ""}`;
    const body = jsonl ? entries.map((e) => JSON.stringify(e)).join("\n") + "\n" : JSON.stringify(entries);
    put(dir, bucket, key, body);
    files[status].push({ Key: key, Size: Buffer.byteLength(body, "utf8") });
  }
  const manifestKey = `${base}manifest.json`;
  put(dir, bucket, manifestKey, JSON.stringify({ DestinationBucket: bucket, MapRunArn: run.arn, ResultFiles: files }));
  return { MapRunArn: run.arn, ResultWriterDetails: { Bucket: bucket, Key: manifestKey } };
}

function resultRow(r: ChildRecord, run: MapRun, transformation: string): Json {
  if (r.status === "SUCCEEDED" && transformation !== "NONE") return r.output;
  const name = `${String(r.index).padStart(8, "0")}-local`;
  const row: Record<string, Json> = {
    ExecutionArn: `${run.childPrefix}:${name}`,
    Input: JSON.stringify(r.input ?? null),
    InputDetails: { Included: true },
    Name: name,
  };
  if (r.status === "SUCCEEDED") {
    row.Output = JSON.stringify(r.output ?? null);
    row.OutputDetails = { Included: true };
  }
  if (r.status === "FAILED") {
    if (r.error !== undefined) row.Error = r.error;
    if (r.cause !== undefined) row.Cause = r.cause;
  }
  row.RedriveCount = 0;
  row.RedriveStatus = "NOT_REDRIVABLE";
  row.RedriveStatusReason = r.status === "SUCCEEDED" ? "Execution is SUCCEEDED and cannot be redriven" : "Execution is part of a Map Run and can be redriven by redriving the parent";
  if (r.startMs !== undefined) row.StartDate = new Date(r.startMs).toISOString();
  row.StateMachineArn = run.childMachineArn;
  row.Status = r.status;
  if (r.stopMs !== undefined) row.StopDate = new Date(r.stopMs).toISOString();
  return row;
}

function put(dir: string, bucket: string, key: string, body: string): void {
  try {
    const path = localObjectPath(dir, bucket, key);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, body);
  } catch (e) {
    throw new StatesError("States.ResultWriterFailed", `Writing s3://${bucket}/${key} failed: ${(e as Error).message}`);
  }
}
