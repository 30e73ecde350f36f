/** Amazon S3 as a distributed Map reads its items (ItemReader) and writes its results (ResultWriter). */

import { bucketArn } from "./arns";
import { DYNAMIC, type Grant, type Integration, STATES_DOC, type TaskView, dynamicGrant, literalPrefix, target } from "./core";

/** The bucket and prefix of a distributed Map's ResultWriter or an S3 ItemReader: `bucket/prefix/*`, or the whole bucket when the prefix is dynamic. */
function objectsUnder(task: TaskView, actions: string[], keyField: "Key" | "Prefix", reason: string): Grant[] {
  const bucket = target(task, "Bucket");
  if (bucket === undefined) return [];
  if (bucket === DYNAMIC) return [dynamicGrant(actions, "Bucket")];
  const base = bucketArn(bucket, task.arn);
  const key = target(task, keyField);
  if (key === DYNAMIC) {
    // A key built from a literal start (`States.Format('in/{}', ...)`) stays under it.
    return [dynamicGrant(actions, keyField, [`${base}/${literalPrefix(task.expression?.(keyField))}*`])];
  }
  if (keyField === "Key") return [{ actions, resources: [`${base}/${key ?? "*"}`], reason }];
  const prefix = key === undefined ? "" : key.replace(/\/+$/, "");
  return [{ actions, resources: [prefix ? `${base}/${prefix}/*` : `${base}/*`], reason }];
}

export const S3_GET_OBJECT: Integration = {
  id: "s3:getObject",
  patterns: [""],
  places: ["ItemReader"],
  doc: `${STATES_DOC}/input-output-itemreader.html`,
  grants: (task) => objectsUnder(task, ["s3:GetObject"], "Key", "a distributed Map reads its items from this object"),
};

export const S3_LIST_OBJECTS_V2: Integration = {
  id: "s3:listObjectsV2",
  patterns: [""],
  places: ["ItemReader"],
  doc: `${STATES_DOC}/input-output-itemreader.html`,
  grants: (task) => {
    const bucket = target(task, "Bucket");
    if (bucket === undefined) return [];
    if (bucket === DYNAMIC) return [dynamicGrant(["s3:ListBucket"], "Bucket")];
    const prefix = target(task, "Prefix");
    const list: Grant = { actions: ["s3:ListBucket"], resources: [bucketArn(bucket, task.arn)], reason: "a distributed Map lists the objects of this bucket" };
    if (typeof prefix !== "string") return [list];
    return [{ ...list, conditions: [{ test: "StringLike", variable: "s3:prefix", values: [`${prefix}*`] }], reason: "a distributed Map lists the objects under Prefix in this bucket" }];
  },
};

export const S3_PUT_OBJECT: Integration = {
  id: "s3:putObject",
  patterns: [""],
  places: ["ResultWriter"],
  doc: `${STATES_DOC}/input-output-resultwriter.html`,
  grants: (task) =>
    objectsUnder(
      task,
      ["s3:AbortMultipartUpload", "s3:GetObject", "s3:ListMultipartUploadParts", "s3:PutObject"],
      "Prefix",
      "a distributed Map writes its results (in multipart uploads) under this bucket and Prefix",
    ),
};
