import { Construct } from "constructs";
import { DynamodbTable } from "@cdktf/provider-aws/lib/dynamodb-table";
import { address } from "./addresses";
import type { KeyAttribute } from "../workflows/resources";

export interface StageTableProps {
  /** Terraform address: `aws_dynamodb_table.<address>`. */
  readonly address: string;
  readonly name: string;
  readonly partitionKey: KeyAttribute;
  /** @default none */
  readonly sortKey?: KeyAttribute;
  readonly kmsKeyArn: string;
  /** @default none */
  readonly tags?: Record<string, string>;
}

/** A declared DynamoDB table: on-demand, encrypted with the stage key, point-in-time recovery on. */
export class StageTable extends Construct {
  readonly table: DynamodbTable;

  constructor(scope: Construct, id: string, props: StageTableProps) {
    super(scope, id);
    const keys = [props.partitionKey, ...(props.sortKey ? [props.sortKey] : [])];
    this.table = address(
      new DynamodbTable(this, "table", {
        name: props.name,
        billingMode: "PAY_PER_REQUEST",
        hashKey: props.partitionKey.name,
        rangeKey: props.sortKey?.name,
        attribute: keys.map((k) => ({ name: k.name, type: k.type })),
        serverSideEncryption: { enabled: true, kmsKeyArn: props.kmsKeyArn },
        pointInTimeRecovery: { enabled: true },
        tags: props.tags,
      }),
      props.address,
    );
  }
}
