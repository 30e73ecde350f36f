import { setup } from "./workflow-coverage";
export default setup;
