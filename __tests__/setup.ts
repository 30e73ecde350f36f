// cdktf's jest matchers (toHaveResourceWithProperties, toHaveDataSourceWithProperties, ...).
import { Testing } from "cdktf";

Testing.setupJest();
