/**
 * The URL as it may be shown (user and password replaced, password-like query values too), and
 * a function that blanks those secrets wherever else they turn up.
 */
export function redisSecrets(url: string): { redacted: string; scrub: (text: string) => string } {
  const secrets: string[] = [];
  let redacted: string;
  try {
    const parsed = new URL(url);
    if (parsed.password) secrets.push(parsed.password, decodeURIComponent(parsed.password));
    if (parsed.username || parsed.password) {
      parsed.username = "***";
      parsed.password = "";
    }
    for (const [name, value] of [...parsed.searchParams]) {
      if (/pass|auth|secret|token/i.test(name) && value) {
        secrets.push(value);
        parsed.searchParams.set(name, "***");
      }
    }
    redacted = parsed.toString();
  } catch {
    redacted = "(not a valid URL)";
    secrets.push(url);
  }
  const scrub = (text: string) =>
    secrets
      .filter((secret) => secret.length > 0)
      .reduce((result, secret) => result.split(secret).join("***"), text);
  return { redacted, scrub };
}
