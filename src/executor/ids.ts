/**
 * UUID-v4-shaped ids for request ids and default execution names: a random
 * block drawn once per process and a counter. Unique within a process (and,
 * by the random block, across processes), and much cheaper than a random
 * UUID per call, which an execution of three Lambda tasks would need four of.
 */
import { randomUUID } from "node:crypto";

const BASE = randomUUID().slice(8);
const HEX_BYTE = Array.from({ length: 256 }, (_, i) => (i + 0x100).toString(16).slice(1));
let counter = Math.floor(Math.random() * 0x1000000);

export function localUuid(): string {
  const c = (counter = (counter + 1) >>> 0);
  return HEX_BYTE[c >>> 24] + HEX_BYTE[(c >>> 16) & 0xff] + HEX_BYTE[(c >>> 8) & 0xff] + HEX_BYTE[c & 0xff] + BASE;
}
