import { HclWriteError, writeHcl } from "../../src/hcl/write";
import { canonicalJson, isCanonicalJson } from "../../src/hcl/json";
import { escapeTerraformTemplate, escapeTerraformTemplates, unescapeTerraformTemplate } from "../../src/hcl/escape";
import { blockPaths } from "../../src/hcl/blocks";

const resource = (type: string, body: Record<string, unknown>) => writeHcl({ resource: { [type]: { x: body } } } as never);

describe("layout (what terraform fmt makes of it)", () => {
  test("aligned = in a run of one-line attributes; a multi-line value breaks the run", () => {
    expect(resource("aws_sqs_queue", { name: "q", visibility_timeout_seconds: 30, tags: { a: "1", "managed-by": "x" }, fifo_queue: false })).toBe(
      [
        'resource "aws_sqs_queue" "x" {',
        '  name                       = "q"',
        "  visibility_timeout_seconds = 30",
        "  tags = {",
        '    a            = "1"',
        '    "managed-by" = "x"',
        "  }",
        "  fifo_queue = false",
        "}",
        "",
      ].join("\n"),
    );
  });

  test("blocks come after the attributes, each set off by a blank line; an empty body is {}", () => {
    const text = writeHcl({
      data: { aws_caller_identity: { me: {} } },
      resource: { aws_lambda_function: { f: { function_name: "f", tracing_config: { mode: "Active" }, environment: { variables: { A: "1" } } } } },
    } as never);
    expect(text).toBe(
      [
        'data "aws_caller_identity" "me" {}',
        "",
        'resource "aws_lambda_function" "f" {',
        '  function_name = "f"',
        "",
        "  tracing_config {",
        '    mode = "Active"',
        "  }",
        "",
        "  environment {",
        "    variables = {",
        '      A = "1"',
        "    }",
        "  }",
        "}",
        "",
      ].join("\n"),
    );
  });

  test("lists: short lists of scalars inline, others one item per line with a trailing comma", () => {
    const long = Array.from({ length: 6 }, (_, i) => `logs:SomeRatherLongAction${i}`);
    const text = writeHcl({ data: { aws_iam_policy_document: { d: { statement: [{ actions: ["a:B"], resources: long }] } } } } as never);
    expect(text).toContain('    actions = ["a:B"]\n    resources = [\n      "logs:SomeRatherLongAction0",\n');
    expect(text).toContain('      "logs:SomeRatherLongAction5",\n    ]\n');
  });
});

describe("blocks and attributes (blocks.ts)", () => {
  test("schema blocks become blocks, arrays of them repeated blocks; maps stay attributes", () => {
    const text = writeHcl({
      provider: { aws: [{ region: "us-east-1", default_tags: [{ tags: { Owner: "me" } }] }] },
      data: { aws_iam_policy_document: { d: { statement: [{ sid: "A", principals: [{ identifiers: ["x"], type: "Service" }] }, { sid: "B" }] } } },
    } as never);
    expect(text).toContain('  default_tags {\n    tags = {\n      Owner = "me"\n    }\n  }');
    expect(text).toContain('  statement {\n    sid = "A"\n\n    principals {\n      identifiers = ["x"]\n      type        = "Service"\n    }\n  }\n\n  statement {\n    sid = "B"\n  }');
  });

  test("the table comes from the provider schema, plus Terraform's meta-blocks", () => {
    const lambda = blockPaths("resource", "aws_lambda_function")!;
    expect([...lambda]).toEqual(expect.arrayContaining(["dead_letter_config", "environment", "tracing_config", "logging_config", "lifecycle"]));
    expect(lambda.has("tags")).toBe(false);
    expect(blockPaths("data", "aws_iam_policy_document")!.has("statement.principals")).toBe(true);
    expect(blockPaths("resource", "aws_not_a_type")).toBeUndefined();
  });

  test("a type the table does not know is a clear error, not a guess", () => {
    expect(() => resource("aws_not_a_type", { a: { b: 1 } })).toThrow(HclWriteError);
    expect(() => resource("aws_not_a_type", { a: 1 })).toThrow(/aws_not_a_type.*Regenerate src\/hcl\/aws-blocks\.json with scripts\/hcl-block-table\.ts/);
  });

  test("terraform block: backend with its label, required_providers as attribute objects", () => {
    expect(writeHcl({ terraform: { backend: { s3: { bucket: "b", use_lockfile: true } }, required_providers: { aws: { source: "aws", version: "6.25.0" } } } } as never)).toBe(
      [
        "terraform {",
        '  backend "s3" {',
        '    bucket       = "b"',
        "    use_lockfile = true",
        "  }",
        "",
        "  required_providers {",
        "    aws = {",
        '      source  = "aws"',
        '      version = "6.25.0"',
        "    }",
        "  }",
        "}",
        "",
      ].join("\n"),
    );
  });

  test("depends_on, lifecycle, moved and outputs: references written bare", () => {
    const text = writeHcl({
      resource: { aws_sqs_queue: { q: { name: "q", depends_on: ["aws_iam_role.r"], lifecycle: { prevent_destroy: true, ignore_changes: ["tags"] } } } },
      output: { arn: { description: "d", value: "${aws_sqs_queue.q.arn}" } },
      moved: [{ from: "aws_sqs_queue.old", to: "aws_sqs_queue.q" }],
    } as never);
    expect(text).toContain('  name = "q"\n\n  depends_on = [aws_iam_role.r]\n\n  lifecycle {\n    prevent_destroy = true\n    ignore_changes  = [tags]\n  }');
    expect(text).toContain('output "arn" {\n  description = "d"\n  value       = aws_sqs_queue.q.arn\n}');
    expect(text).toContain("moved {\n  from = aws_sqs_queue.old\n  to   = aws_sqs_queue.q\n}");
    expect(() => writeHcl({ moved: [{ from: "not a reference", to: "aws_x.y" }] } as never)).toThrow(/moved from: expected references/);
  });

  test("labelled blocks in a list (provisioners)", () => {
    const text = resource("aws_sqs_queue", { name: "q", provisioner: [{ "local-exec": { command: "echo hi" } }, { "local-exec": { command: "echo bye" } }] });
    expect(text).toContain('  provisioner "local-exec" {\n    command = "echo hi"\n  }\n\n  provisioner "local-exec" {\n    command = "echo bye"\n  }');
  });

  test("dynamic blocks: after the attributes, for_each and iterator bare, content with its nested blocks; a name that is no block is refused", () => {
    const text = resource("aws_sfn_alias", {
      dynamic: { routing_configuration: { for_each: '${local.routes["a-b"]}', iterator: "route", content: { state_machine_version_arn: "${route.value.arn}", weight: "${route.value.weight}" } } },
      name: "dev",
    });
    expect(text).toBe(
      [
        'resource "aws_sfn_alias" "x" {',
        '  name = "dev"',
        "",
        '  dynamic "routing_configuration" {',
        '    for_each = local.routes["a-b"]',
        "    iterator = route",
        "",
        "    content {",
        "      state_machine_version_arn = route.value.arn",
        "      weight                    = route.value.weight",
        "    }",
        "  }",
        "}",
        "",
      ].join("\n"),
    );
    const nested = resource("aws_lambda_function", { function_name: "f", dynamic: { environment: { for_each: "${var.e}", content: { variables: { A: "1" } } } } });
    expect(nested).toContain('  dynamic "environment" {\n    for_each = var.e\n\n    content {\n      variables = {\n        A = "1"\n      }\n    }\n  }');
    expect(() => resource("aws_sqs_queue", { dynamic: { tag: { for_each: "${var.x}", content: {} } } })).toThrow('dynamic.tag: "tag" is not a block of this resource');
    expect(() => resource("aws_sfn_alias", { dynamic: { routing_configuration: { content: {} } } })).toThrow(/needs for_each and a content object/);
    expect(() => resource("aws_sfn_alias", { dynamic: { routing_configuration: { for_each: "${var.x}", iterator: "a.b", content: {} } } })).toThrow(/the iterator must be a name/);
  });

  test("an unsupported top-level key is named", () => {
    expect(() => writeHcl({ module: {} } as never, "stacks/s/cdk.tf.json")).toThrow('stacks/s/cdk.tf.json: the HCL writer does not support the top-level "module"');
  });
});

describe("strings", () => {
  const value = (v: unknown) => resource("aws_sqs_queue", { policy: v }).split("\n").slice(1, -2).join("\n");

  test("one interpolation becomes the bare reference; anything more stays a template", () => {
    expect(value("${aws_kms_key.k.arn}")).toBe("  policy = aws_kms_key.k.arn");
    expect(value("${aws_kms_key.k.arn}:*")).toBe('  policy = "${aws_kms_key.k.arn}:*"');
    // terraform fmt unwraps an attribute that is one interpolation, whatever the expression; not inside lists or objects.
    expect(value("${upper(var.x)}")).toBe("  policy = upper(var.x)");
    expect(value(["${upper(var.x)}"])).toBe('  policy = ["${upper(var.x)}"]');
  });

  test('escapes: $${ and %%{ carried over exactly; ", \\ and newlines escaped as HCL wants; quotes inside an interpolation untouched', () => {
    expect(value('say "$${HOME}" %%{if} \\ done')).toBe('  policy = "say \\"$${HOME}\\" %%{if} \\\\ done"');
    expect(value("a\tb\u0001")).toBe('  policy = "a\\tb\\u0001"');
    expect(value('x ${lookup(m, "k")} y')).toBe('  policy = "x ${lookup(m, "k")} y"');
  });

  test("JSON text written the way jsonencode writes it becomes jsonencode({...})", () => {
    const json = canonicalJson({ b: ["${aws_sqs_queue.q.arn}"], a: { "x.$": 1 } });
    expect(value(json)).toBe(["  policy = jsonencode({", "    a = {", '      "x.$" = 1', "    }", "    b = [aws_sqs_queue.q.arn]", "  })"].join("\n"));
  });

  test("other JSON text spanning lines becomes an indented heredoc, chomp()ed when it has no final newline", () => {
    expect(value('{\n  "B": 1,\n  "A": "$${x}"\n}')).toBe(['  policy = chomp(<<-EOT', "    {", '      "B": 1,', '      "A": "$${x}"', "    }", "  EOT", "  )"].join("\n"));
    expect(value('{\n  "B": 1\n}\n')).toBe(["  policy = <<-EOT", "    {", '      "B": 1', "    }", "  EOT"].join("\n"));
    // A line named like the marker picks another marker.
    expect(value("a\nEOT\n")).toContain("<<-EOT1\n");
  });

  test("one-line JSON that jsonencode would write differently stays a quoted string", () => {
    expect(value('{"b":1,"a":2}')).toBe('  policy = "{\\"b\\":1,\\"a\\":2}"');
    expect(value('{"a":"${f(x)}"}')).toBe('  policy = "{\\"a\\":\\"${f(x)}\\"}"');
  });
});

describe("canonicalJson: what jsonencode writes", () => {
  test("sorted keys, compact, Go's HTML-safe escapes", () => {
    expect(canonicalJson({ b: 1, a: [true, null, "x<y>&\u2028"], "é": 0.5, Z: "\n\"\\" })).toBe('{"Z":"\\n\\"\\\\","a":[true,null,"x\\u003cy\\u003e\\u0026\\u2028"],"b":1,"é":0.5}');
    expect(isCanonicalJson('{"a":1,"b":2}')).toBe(true);
    expect(isCanonicalJson('{"b":1,"a":2}')).toBe(false);
    expect(isCanonicalJson('{"a": 1}')).toBe(false);
    expect(isCanonicalJson('{"a":"<"}')).toBe(false);
    expect(isCanonicalJson('{"a":1e21}')).toBe(false);
    expect(() => canonicalJson(1e21)).toThrow(RangeError);
  });
});

describe("escapeTerraformTemplate", () => {
  test("data text is escaped; cdktf token markers stay references", () => {
    expect(escapeTerraformTemplate("echo ${HOME} %{if} $${x} ${TfToken[TOKEN.12]}")).toBe("echo $${HOME} %%{if} $$${x} ${TfToken[TOKEN.12]}");
    expect(escapeTerraformTemplate("no braces $ % {}")).toBe("no braces $ % {}");
  });

  test("Terraform's un-escaping gives the original back", () => {
    for (const text of ["${HOME}", "%{if}", "$${x}", "%%{y}", "$$$${z}", "a$b%c{d}", "${", "$"]) {
      expect(unescapeTerraformTemplate(escapeTerraformTemplate(text))).toBe(text);
    }
  });

  test("deep: keys and values of a JSON value", () => {
    expect(escapeTerraformTemplates({ "${k}": ["%{v}", 1, null] })).toEqual({ "$${k}": ["%%{v}", 1, null] });
  });
});
