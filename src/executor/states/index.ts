/** One handler per state type. */
import { runPass } from "./pass";
import { runTask } from "./task";
import { runChoice } from "./choice";
import { runWait } from "./wait";
import { runSucceed } from "./succeed";
import { runFail } from "./fail";
import { runParallel } from "./parallel";
import { runMap } from "./map";

export const STATE_HANDLERS = {
  Pass: runPass,
  Task: runTask,
  Choice: runChoice,
  Wait: runWait,
  Succeed: runSucceed,
  Fail: runFail,
  Parallel: runParallel,
  Map: runMap,
};
