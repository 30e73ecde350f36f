/**
 * Map (inline, and distributed without ItemReader/ResultWriter): items ->
 * ItemSelector per item -> ItemBatcher -> iterations (MaxConcurrency at a
 * time) -> tolerated failures -> the state's output processing.
 */
import { ExecutionStop, StatesError } from "../errors";
import type { EvalContext } from "../eval-context";
import type { StateOutcome } from "../compile";
import type { AbortToken, ChildOutcome, Frame } from "../execution";
import { BranchAborted } from "../execution";
import type { FieldValue } from "../query";
import { failDetails } from "./parallel";
import { randomUUID } from "node:crypto";
import { ChildRecord, mapRunFor, readItems, transformResults, writeResults } from "../s3-local";

type Json = any;

export async function runMap(ec: EvalContext): Promise<StateOutcome> {
  const { exec, frame, state } = ec;
  const d = ec.def;
  const ql = ec.ql;
  const effective = ql.effectiveInput(ec);
  const items = d.ItemReader !== undefined ? await readItems(ec, effective) : await ql.mapItems(ec, effective);

  const maxConcurrency = integerField(await ql.field(ec, d, "MaxConcurrency", effective), "MaxConcurrency", 0);
  if (maxConcurrency < 0) throw new StatesError("States.Runtime", `Expected non-negative integer for MaxConcurrency, got '${maxConcurrency}' instead.`);
  const count = await ql.field(ec, d, "ToleratedFailureCount", effective);
  const toleratedCount = integerField(count, "ToleratedFailureCount", 0);
  if (toleratedCount < 0) throw new StatesError("States.Runtime", "ToleratedFailureCount cannot be negative.");
  const percentage = await ql.field(ec, d, "ToleratedFailurePercentage", effective);
  const toleratedPercentage = floatField(percentage, "ToleratedFailurePercentage", 0);
  if (toleratedPercentage < 0 || toleratedPercentage > 100) throw new StatesError("States.Runtime", "ToleratedFailurePercentage must be between 0 and 100.");
  const tolerates = count !== undefined || percentage !== undefined;
  // The Map fails when either given threshold is exceeded; an absent one does not limit.
  const countLimit = count !== undefined ? toleratedCount : Infinity;
  const percentageLimit = percentage !== undefined ? toleratedPercentage : Infinity;

  // Iteration inputs: ItemSelector (Parameters in JSONPath's older form) per item, with $$.Map.Item set.
  const selectorField = d.ItemSelector !== undefined ? "ItemSelector" : ql.parametersField === "Parameters" && d.Parameters !== undefined ? "Parameters" : undefined;
  let inputs: Json[] = items;
  if (selectorField !== undefined) {
    const selector = d[selectorField];
    const base = ec.context;
    inputs = new Array(items.length);
    for (let i = 0; i < items.length; i++) {
      const itemContext = { Execution: base.Execution, StateMachine: base.StateMachine, State: base.State, Map: { Item: { Index: i, Value: items[i] } } };
      // Not size-checked here: each iteration's first state checks what it outputs.
      const selected = ql.payload(ec, selector, effective, selectorField, itemContext);
      inputs[i] = selected instanceof Promise ? await selected : selected;
    }
  }
  const batched = d.ItemBatcher !== undefined;
  if (batched) inputs = await batch(ec, inputs, effective);

  const { history } = exec.setup;
  history.add(frame.cursor, frame.time.now(), "MapStateStarted", { length: inputs.length });
  const frames: Frame[] = [];
  const results: Json[] = new Array(inputs.length);
  // Distributed Map with a ResultWriter: every child execution's record, for the result files.
  const writer: Record<string, Json> | undefined = d.ResultWriter;
  const records: ChildRecord[] | undefined = writer !== undefined ? new Array(inputs.length) : undefined;
  let failures = 0;
  const abort: AbortToken = { aborted: false, parent: frame.abort };
  // For redrive: what each iteration did; a redrive keeps the iterations that succeeded and resumes the others.
  const prior = frame.resumeChildren;
  frame.resumeChildren = undefined;
  const outcomes: ChildOutcome[] = new Array(inputs.length);
  frame.childOutcomes = outcomes;
  const runIteration = async (i: number): Promise<void> => {
    const before = prior?.[i];
    if (before && "output" in before) {
      outcomes[i] = before;
      results[i] = before.output;
      if (records) records[i] = { index: i, status: "SUCCEEDED", input: inputs[i], output: results[i] };
      return;
    }
    const child = exec.childFrame(frame, abort, { Index: i, Value: batched ? inputs[i] : items[i] });
    frames.push(child);
    const startMs = child.time.now();
    history.addState(child.cursor, startMs, "MapIterationStarted", state.name, i);
    try {
      try {
        results[i] = await exec.runMachine(state.processor!, inputs[i], child, before?.resume);
        outcomes[i] = { output: results[i] };
      } catch (err) {
        if (child.failedAt) outcomes[i] = { resume: child.failedAt };
        throw err;
      }
      if (records) records[i] = { index: i, status: "SUCCEEDED", input: inputs[i], output: results[i], startMs, stopMs: child.time.now() };
      history.addState(child.cursor, child.time.now(), "MapIterationSucceeded", state.name, i);
    } catch (err) {
      if (err instanceof BranchAborted) {
        history.addState(child.cursor, child.time.now(), "MapIterationAborted", state.name, i);
        throw err;
      }
      if (err instanceof ExecutionStop) throw err;
      history.addState(child.cursor, child.time.now(), "MapIterationFailed", state.name, i);
      failures++;
      const e = err as StatesError;
      if (records) records[i] = { index: i, status: "FAILED", input: inputs[i], error: e.error, cause: e.causeText, startMs, stopMs: child.time.now() };
      const tolerated = tolerates && failures <= countLimit && (failures * 100) / inputs.length <= percentageLimit;
      if (!tolerated) throw err;
      results[i] = { Error: e.error, Cause: e.causeText };
    }
  };
  const run = writer !== undefined ? mapRunFor(ec, randomUUID()) : undefined;
  /** Iterations never started (the run failed first) are PENDING in the result files. */
  const flushRecords = (): ChildRecord[] => {
    const all = records!;
    for (let i = 0; i < all.length; i++) all[i] ??= { index: i, status: "PENDING", input: inputs[i] };
    return all;
  };
  try {
    await runPool(inputs.length, maxConcurrency === 0 ? inputs.length : maxConcurrency, runIteration);
  } catch (err) {
    abort.aborted = true;
    exec.join(frame, frames);
    if (err instanceof ExecutionStop) throw err;
    // AWS exports what the Map Run did before it failed.
    if (writer?.Resource !== undefined) await writeResults(ec, effective, run!, flushRecords());
    history.add(frame.cursor, frame.time.now(), "MapStateFailed", failDetails(err));
    if (tolerates && err instanceof StatesError) throw new StatesError("States.ExceedToleratedFailureThreshold", "The specified tolerated failure threshold was exceeded");
    throw err;
  }
  exec.join(frame, frames);
  let mapResult: Json = results;
  if (writer !== undefined) {
    mapResult = writer.Resource !== undefined ? await writeResults(ec, effective, run!, flushRecords()) : transformResults(flushRecords(), writer.WriterConfig);
  }
  history.add(frame.cursor, frame.time.now(), "MapStateSucceeded");
  const output = ql.output(ec, mapResult, true);
  return ec.done(output instanceof Promise ? await output : output);
}

/** How AWS shows a rejected value inside its messages: strings as they are, anything else as compact JSON. */
function shown(v: Json): string {
  return typeof v === "string" ? v : JSON.stringify(v) ?? "null";
}

/** An integer Map field; read through a path, a numeric string such as "1" is taken as the number (as AWS does). */
function integerField(f: FieldValue | undefined, field: string, dflt: number): number {
  if (f === undefined) return dflt;
  let v = f.value;
  if (f.from === "path" && typeof v === "string" && /^\s*-?\d+\s*$/.test(v)) v = Number(v);
  if (typeof v === "number" && Number.isInteger(v)) return v;
  if (f.from === "path") throw new StatesError("States.Runtime", `The ${field}Path field refers to value "${shown(f.value)}" which is not a valid integer: ${f.text}`);
  if (f.from === "expression") {
    throw new StatesError(
      "States.QueryEvaluationError",
      `The JSONata expression '${f.text}' specified for the field '${field}' returned an unexpected result type. Expected 'integer', but was '${typeof v === "number" ? "number" : v === null ? "null" : Array.isArray(v) ? "array" : typeof v}' for value: ${JSON.stringify(v)}`,
    );
  }
  throw new StatesError("States.Runtime", `The ${field} field has value ${JSON.stringify(v)} which is not a valid integer`);
}

/** A percentage Map field: any number; through a path, a numeric string is taken as the number. */
function floatField(f: FieldValue | undefined, field: string, dflt: number): number {
  if (f === undefined) return dflt;
  let v = f.value;
  if (f.from === "path" && typeof v === "string" && v.trim() !== "" && Number.isFinite(Number(v))) v = Number(v);
  if (typeof v === "number" && Number.isFinite(v)) return v;
  if (f.from === "path") throw new StatesError("States.Runtime", `The ${field}Path field refers to value "${shown(f.value)}" which is not a valid float: ${f.text}`);
  throw new StatesError("States.Runtime", `${field} must be between 0 and 100.`);
}

async function batch(ec: EvalContext, items: Json[], effective: Json): Promise<Json[]> {
  const ql = ec.ql;
  const b = ec.def.ItemBatcher as Record<string, Json>;
  const maxItems = (await ql.field(ec, b, "MaxItemsPerBatch", effective))?.value;
  const size = maxItems === undefined ? items.length || 1 : (maxItems as number);
  if (!Number.isInteger(size) || size <= 0) throw new StatesError("States.Runtime", `MaxItemsPerBatch must be a positive integer. Received: ${JSON.stringify(maxItems)}`);
  const maxBytesField = await ql.field(ec, b, "MaxInputBytesPerBatch", effective);
  const maxBytes = maxBytesField === undefined ? MAX_BATCH_BYTES : maxBytesField.value;
  if (!Number.isInteger(maxBytes) || maxBytes <= 0 || maxBytes > MAX_BATCH_BYTES) {
    throw new StatesError("States.Runtime", `MaxInputBytesPerBatch must be a positive integer of at most ${MAX_BATCH_BYTES} bytes. Received: ${JSON.stringify(maxBytes)}`);
  }
  const batchInput = b.BatchInput !== undefined ? await ql.payload(ec, b.BatchInput, effective, "BatchInput") : undefined;
  const batches: Json[] = [];
  // Size of {"BatchInput":...,"Items":[...]} as UTF-8 JSON: the envelope, then each item and its comma.
  const envelope = bytes(batchInput === undefined ? { Items: [] } : { BatchInput: batchInput, Items: [] });
  let current: Json[] = [];
  let currentBytes = envelope;
  const flush = () => {
    if (current.length === 0) return;
    const one: Record<string, Json> = {};
    if (batchInput !== undefined) one.BatchInput = batchInput;
    one.Items = current;
    batches.push(one);
    current = [];
    currentBytes = envelope;
  };
  for (const item of items) {
    const itemBytes = bytes(item) + (current.length > 0 ? 1 : 0);
    if (current.length > 0 && (current.length >= size || currentBytes + itemBytes > maxBytes)) flush();
    const added = bytes(item) + (current.length > 0 ? 1 : 0);
    if (current.length === 0 && envelope + added > maxBytes) {
      throw new StatesError("States.Runtime", `An item of ${bytes(item)} bytes does not fit in a batch of MaxInputBytesPerBatch ${maxBytes} bytes.`);
    }
    current.push(item);
    currentBytes += added;
  }
  flush();
  return batches;
}

/** AWS's ceiling for MaxInputBytesPerBatch: 256 KiB. */
const MAX_BATCH_BYTES = 262_144;

function bytes(v: Json): number {
  return Buffer.byteLength(JSON.stringify(v) ?? "null", "utf8");
}

/** Runs `count` iterations with at most `limit` in flight; stops starting new ones after the first failure. */
async function runPool(count: number, limit: number, run: (i: number) => Promise<void>): Promise<void> {
  if (count === 0) return;
  let next = 0;
  let failed = false;
  const worker = async () => {
    while (!failed && next < count) {
      const i = next++;
      try {
        await run(i);
      } catch (err) {
        failed = true;
        throw err;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, count) }, worker));
}
