/**
 * Terraform reads `${...}` (interpolation) and `%{...}` (template directive) in
 * every string of the .tf.json and .tf files it loads. Text that comes from a
 * template, the stage configuration or a handler path is data, not Terraform:
 * it must reach Terraform as `$${` and `%%{`, which Terraform turns back into
 * `${` and `%{`.
 *
 * cdktf tokens are the one exception: references the project makes on purpose
 * (a function ARN inserted by the `{{lambda}}` helper) appear in the text as
 * `${TfToken[TOKEN.n]}` markers until cdktf resolves them into `${aws_x.y.arn}`,
 * so they are left alone here.
 */

/** A cdktf token marker, as it appears in a string before resolution. */
const TOKEN = /\$\{TfToken\[[A-Za-z0-9_.]+\]\}/y;

/**
 * Escapes `${` as `$${` and `%{` as `%%{` everywhere except in cdktf token
 * markers. Already-escaped text is escaped again on purpose: `$${x}` in a
 * template is meant literally too, so Terraform must see `$$${x}`.
 */
export function escapeTerraformTemplate(text: string): string {
  if (!text.includes("{")) return text;
  let out = "";
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === "$" || c === "%") {
      if (c === "$") {
        TOKEN.lastIndex = i;
        const token = TOKEN.exec(text);
        if (token) {
          out += token[0];
          i += token[0].length;
          continue;
        }
      }
      // A run of the same sign before `{`: Terraform un-escapes only the pair right before the brace.
      if (text[i + 1] === "{") {
        out += c + c + "{";
        i += 2;
        continue;
      }
    }
    out += c;
    i += 1;
  }
  return out;
}

/** What Terraform makes of a template literal without interpolations: `$${` -> `${`, `%%{` -> `%{`. */
export function unescapeTerraformTemplate(text: string): string {
  return text.replace(/([$%])\1\{/g, "$1{");
}

/** Applies escapeTerraformTemplate to every string (keys included) of a JSON value. */
export function escapeTerraformTemplates<T>(value: T): T {
  if (typeof value === "string") return escapeTerraformTemplate(value) as T;
  if (Array.isArray(value)) return value.map((v) => escapeTerraformTemplates(v)) as T;
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [escapeTerraformTemplate(k), escapeTerraformTemplates(v)])) as T;
  }
  return value;
}
