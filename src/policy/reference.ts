/**
 * The README's policy reference, generated from the JSON Schema (itself generated from the zod
 * schema) and the example policy: one row per key with its type, default, example and meaning.
 */
interface Node {
  type?: string;
  description?: string;
  default?: unknown;
  enum?: unknown[];
  minimum?: number;
  maximum?: number;
  items?: Node;
  /** A value of one of several forms, e.g. a string or a mapping. */
  anyOf?: Node[];
  properties?: Record<string, Node>;
  required?: string[];
}

export function renderPolicyReference(schema: Node, example: Record<string, unknown>): string {
  const out: string[] = [];
  for (const [section, node] of Object.entries(schema.properties ?? {})) {
    out.push(
      `#### \`${section}\``,
      "",
      // A section's own description; a single value says it in its row.
      ...(node.properties ? [node.description ?? "", ""] : []),
      "| Key | Type | Default | Example | Meaning |",
      "|---|---|---|---|---|",
    );
    if (node.properties) rows(`${section}`, node, example[section], out);
    // A top-level key that is a value, not a section: its own row.
    else out.push(row(section, node, false, example[section]));
    out.push("");
  }
  return out.join("\n").trimEnd();
}

function rows(path: string, node: Node, example: unknown, out: string[]): void {
  for (const [key, child] of Object.entries(node.properties ?? {})) {
    const childPath = `${path}.${key}`;
    const childExample = pick(example, key);
    const required = node.required?.includes(key);
    const listed = child.type === "array" ? mappingOf(child.items) : undefined;
    out.push(row(childPath, child, required === true, childExample));
    if (child.type === "object") rows(childPath, child, childExample, out);
    if (listed)
      rows(
        `${childPath}[]`,
        listed,
        Array.isArray(childExample) ? childExample.find(isMapping) : undefined,
        out,
      );
  }
}

function row(path: string, node: Node, required: boolean, example: unknown): string {
  const fallback = required ? "required" : node.default === undefined ? "—" : code(node.default);
  return `| \`${path}\` | ${typeOf(node)} | ${fallback} | ${example === undefined ? "" : code(example)} | ${escape(node.description ?? "")} |`;
}

/** The mapping form of a list's items: the items themselves, or their mapping alternative. */
function mappingOf(items: Node | undefined): Node | undefined {
  if (items?.type === "object") return items;
  return items?.anyOf?.find((n) => n.type === "object");
}

function isMapping(value: unknown): boolean {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function pick(value: unknown, key: string): unknown {
  return value && typeof value === "object" && !Array.isArray(value)
    ? (value as Record<string, unknown>)[key]
    : undefined;
}

function typeOf(node: Node): string {
  if (node.enum) return `one of ${node.enum.map((v) => `\`${String(v)}\``).join(", ")}`;
  if (node.type === "array") {
    const forms = node.items?.anyOf ?? [node.items ?? {}];
    return `list of ${forms.map((n) => (n.type === "object" ? "mappings" : `${n.type ?? "value"}s`)).join(" or ")}`;
  }
  if (node.type === "integer") return `integer ${node.minimum ?? ""}–${node.maximum ?? ""}`;
  if (node.type === "object") return "mapping";
  return node.type ?? "any";
}

function code(value: unknown): string {
  return `\`${escape(JSON.stringify(value))}\``;
}

function escape(text: string): string {
  return text.replace(/\|/g, "\\|");
}
