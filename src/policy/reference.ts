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
  properties?: Record<string, Node>;
  required?: string[];
}

export function renderPolicyReference(schema: Node, example: Record<string, unknown>): string {
  const out: string[] = [];
  for (const [section, node] of Object.entries(schema.properties ?? {})) {
    out.push(
      `#### \`${section}\``,
      "",
      node.description ?? "",
      "",
      "| Key | Type | Default | Example | Meaning |",
      "|---|---|---|---|---|",
    );
    rows(`${section}`, node, example[section], out);
    out.push("");
  }
  return out.join("\n").trimEnd();
}

function rows(path: string, node: Node, example: unknown, out: string[]): void {
  for (const [key, child] of Object.entries(node.properties ?? {})) {
    const childPath = `${path}.${key}`;
    const childExample = pick(example, key);
    const required = node.required?.includes(key);
    const isObjectList = child.type === "array" && child.items?.type === "object";
    out.push(
      `| \`${childPath}\` | ${typeOf(child)} | ${required ? "required" : child.default === undefined ? "—" : code(child.default)} | ${childExample === undefined ? "" : code(childExample)} | ${escape(child.description ?? "")} |`,
    );
    if (child.type === "object") rows(childPath, child, childExample, out);
    if (isObjectList)
      rows(
        `${childPath}[]`,
        child.items as Node,
        Array.isArray(childExample) ? childExample[0] : undefined,
        out,
      );
  }
}

function pick(value: unknown, key: string): unknown {
  return value && typeof value === "object" && !Array.isArray(value)
    ? (value as Record<string, unknown>)[key]
    : undefined;
}

function typeOf(node: Node): string {
  if (node.enum) return `one of ${node.enum.map((v) => `\`${String(v)}\``).join(", ")}`;
  if (node.type === "array")
    return node.items?.type === "object"
      ? "list of mappings"
      : `list of ${node.items?.type ?? "values"}s`;
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
