// The same app written the naive way: the provider's barrel import (`import * as aws from
// "@cdktf/provider-aws"`) loads every resource class of the provider (about 390 MB of JS).
// The stack built afterwards is the same one main.ts builds, so the difference measured
// is exactly the cost of the barrel.
import * as aws from "@cdktf/provider-aws";

if (typeof aws.provider.AwsProvider !== "function") throw new Error("barrel import failed");
require("../../main");
