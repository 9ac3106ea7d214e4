/**
 * A GraphQL request checked like a REST one: its document must validate against GitHub's
 * published schema (`@octokit/graphql-schema`) and its variables must be a JSON object.
 */
import { validate } from "@octokit/graphql-schema";

export function checkGraphqlRequest(body: unknown): string[] {
  let parsed: unknown = body;
  if (typeof body === "string") {
    try {
      parsed = JSON.parse(body);
    } catch {
      return ["GraphQL request body is not JSON"];
    }
  }
  const request = parsed as { query?: unknown; variables?: unknown } | null;
  if (!request || typeof request.query !== "string") return ["GraphQL request has no `query`"];
  if (
    request.variables !== undefined &&
    (typeof request.variables !== "object" || request.variables === null)
  )
    return ["GraphQL `variables` must be an object"];
  try {
    return validate(request.query).map((e) => `GraphQL: ${e.message}`);
  } catch (error) {
    return [`GraphQL document does not parse: ${String(error)}`];
  }
}
