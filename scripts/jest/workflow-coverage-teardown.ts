import { teardown } from "./workflow-coverage";
export default teardown;
