import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { Aspects, type IAspect, type ISynthesisSession, TerraformDataSource, TerraformResource, TerraformStack } from "cdktf";
import type { IConstruct } from "constructs";
import { AddressError, addressMessages } from "../src/errors";

/**
 * Terraform addresses chosen from what a block is (`aws_sfn_state_machine.order_processing`),
 * not from where its construct sits: cdktf's default is a hash of the construct path
 * (`order-processing_state-machine_99488600`), unreadable in a plan, and any refactor
 * of the construct tree renames it, which Terraform plans as destroy and create.
 *
 * Every construct in modules/ takes an address base and names its blocks from it with
 * address(); at synthesis an aspect checks that every resource and data source of the
 * stack was named, that no two share an address (an error, never a silent suffix),
 * and collects the `moved` blocks from the old hashed addresses, which synthesis
 * writes to `moved.tf` beside the stack's `cdk.tf.json`.
 *
 * Why a file of its own, in HCL: checkov (3.3.30) cannot parse a `moved` block in
 * Terraform JSON and then skips the whole cdk.tf.json (0 checks, exit 0), so moved
 * blocks inside it would silently switch off every security scan of the stack.
 * Terraform reads `moved.tf` with `cdk.tf.json` as one configuration. cdktf's own
 * moveFromId() writes them into the JSON and also makes every synthesis run
 * `terraform version`, failing where Terraform is not installed.
 */

/**
 * Write `moved` blocks from cdktf's hashed addresses (as the construct tree stood at
 * a6466f8) to the explicit ones. One release only: set to false (and delete
 * __tests__/modules/fixtures/addresses-a6466f8.json with the two tests that read it)
 * once every deployed stage and the bootstrap stack have applied once with them
 * (modules/README.md, Addresses).
 */
export const MOVED_FROM_HASHED_ADDRESSES = true;

type Block = TerraformResource | TerraformDataSource;

/** A Terraform `moved` block: the object at `from` in the state now belongs to `to`. */
export interface Moved {
  readonly from: string;
  readonly to: string;
}

/** The file beside cdk.tf.json that holds the moved blocks. */
export const MOVED_FILE = "moved.tf";

interface Named {
  /** cdktf's hashed logical id, from the construct path at the time of naming. */
  readonly hashed: string;
  readonly name: string;
}

const named = new WeakMap<Block, Named>();
const checked = new WeakSet<TerraformStack>();
const movedByStack = new WeakMap<TerraformStack, readonly Moved[]>();

const SNAKE_CASE = /^[a-z][a-z0-9]*(_[a-z0-9]+)*$/;

/**
 * snake_case of the parts joined by `_`: `snake("order-processing", "dlq")` is
 * `order_processing_dlq`; camelCase and any other separator become `_` too.
 */
export function snake(...parts: readonly string[]): string {
  return parts
    .filter((p) => p !== "")
    .join("_")
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .replace(/[^A-Za-z0-9]+/g, "_")
    .toLowerCase();
}

/**
 * Gives a resource or data source its Terraform name (`<type>.<name>`), a
 * snake_case name chosen by the construct that creates it. Returns the block.
 */
export function address<T extends Block>(block: T, name: string): T {
  const stack = TerraformStack.of(block);
  if (!SNAKE_CASE.test(name)) {
    throw new AddressError(addressMessages.notSnakeCase(stack.node.id, block.node.path, block.terraformResourceType, name));
  }
  checkAddresses(stack);
  // Before the override: getLogicalId is cdktf's path-based scheme, i.e. the address this block had until now.
  named.set(block, { hashed: stack.getLogicalId(block), name });
  block.overrideLogicalId(name);
  return block;
}

/** The Terraform address of a block: `aws_x.name` or `data.aws_x.name`. */
export function addressOf(block: Block): string {
  const kind = TerraformDataSource.isTerraformDataSource(block) ? `data.${block.terraformResourceType}` : block.terraformResourceType;
  return `${kind}.${block.friendlyUniqueId}`;
}

/**
 * Checks the stack's addresses when it is synthesized (and writes the moved
 * blocks). address() turns it on for any stack it is used in; the stacks call
 * it too, so a stack whose blocks were all left unnamed is still checked.
 */
export function checkAddresses(stack: TerraformStack): void {
  if (checked.has(stack)) return;
  checked.add(stack);
  Aspects.of(stack).add(new AddressCheck(stack));
  // After cdktf's own synthesis of the stack (aspects invoked, folder written), add moved.tf to the folder.
  const synthesizer = stack.synthesizer;
  stack.synthesizer = {
    synthesize(session: ISynthesisSession): void {
      synthesizer.synthesize(session);
      const moved = movedBlocks(stack);
      if (moved.length > 0) writeFileSync(join(session.outdir, session.manifest.forStack(stack).workingDirectory, MOVED_FILE), movedTf(moved));
    },
  };
}

/** The stack's moved blocks, sorted by target; known once the stack has been synthesized (its aspects invoked). */
export function movedBlocks(stack: TerraformStack): readonly Moved[] {
  return movedByStack.get(stack) ?? [];
}

/** Moved blocks in HCL, laid out as `terraform fmt` writes them. */
export function movedTf(moved: readonly Moved[]): string {
  const header = [
    "# Moves every resource from the address cdktf derived from its construct path (a hash) to the",
    "# address chosen for it (modules/addresses.ts), so that Terraform renames instead of replacing.",
    "# Remove once every deployed stage has applied once with them (modules/README.md, Addresses).",
  ];
  return [...header, ...moved.map((m) => `\nmoved {\n  from = ${m.from}\n  to   = ${m.to}\n}`)].join("\n") + "\n";
}

class AddressCheck implements IAspect {
  constructor(private readonly stack: TerraformStack) {}

  visit(node: IConstruct): void {
    // Once per synthesis, at the stack itself: the whole tree exists by then.
    if (node !== this.stack) return;
    const stack = this.stack;
    const byAddress = new Map<string, string[]>();
    const moved: Moved[] = [];
    for (const child of stack.node.findAll()) {
      if (!TerraformResource.isTerraformResource(child) && !TerraformDataSource.isTerraformDataSource(child)) continue;
      const block = child as Block;
      if (TerraformStack.of(block) !== stack) continue;
      const entry = named.get(block);
      if (!entry || block.friendlyUniqueId !== entry.name) {
        throw new AddressError(addressMessages.missing(stack.node.id, block.node.path, block.terraformResourceType, stack.getLogicalId(block)));
      }
      const addr = addressOf(block);
      byAddress.set(addr, [...(byAddress.get(addr) ?? []), block.node.path]);
      // Terraform has no moved blocks for data sources: they hold no state.
      if (MOVED_FROM_HASHED_ADDRESSES && TerraformResource.isTerraformResource(block) && entry.hashed !== entry.name) {
        moved.push({ from: `${block.terraformResourceType}.${entry.hashed}`, to: addr });
      }
    }
    for (const [addr, paths] of byAddress) {
      if (paths.length > 1) throw new AddressError(addressMessages.collision(stack.node.id, addr, paths));
    }
    movedByStack.set(stack, moved.sort((a, b) => a.to.localeCompare(b.to)));
  }
}
