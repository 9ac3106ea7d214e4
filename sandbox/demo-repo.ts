/**
 * The demo repository `acme/shop` on the stand-in: a `main` line heading for 2.0, the release
 * lines `release/1.3` and `release/1.4` with their tags, the people of a small team (QA and Ops
 * groups, a release manager) and a policy with approvals, backports and a `deploy:` section.
 * Seeded before the app is connected, so it sends no webhooks.
 */
import { RepoHandle } from "./stand-in/people.js";
import type { StandIn } from "./stand-in/server.js";

export const OWNER = "acme";
export const REPO = "shop";

export const PEOPLE = {
  /** Developer: writes the hotfix; may not release. */
  dev: "dana",
  /** QA (team acme/qa). */
  qa: "quinn",
  /** Operations (team acme/ops). */
  ops: "olga",
  /** Release manager (team acme/release-managers, maintain permission). */
  releaser: "mia",
  /** Release captain: asked to review every backport. */
  captain: "rita",
  /** The deploy system reporting on deployments (a workflow on `deployment` events). */
  deployer: "acme-deployer[bot]",
} as const;

export const POLICY = `# hotfix-bot's policy for acme/shop
hotfix:
  branches: ["hotfix/*"]
  labels: ["hotfix"]
  targets: ["main", "release/*"]
  require_linked_issue: true
  blocking_labels: ["do-not-release"]
checks:
  required: ["build"]
approvals:
  invalidate_on_push: true
  distinct_approvers: true
  groups:
    - { name: QA, count: 1, teams: ["acme/qa"] }
    - { name: Operations, count: 1, teams: ["acme/ops"] }
release:
  allowed: { teams: ["acme/release-managers"], permission: maintain }
  merge_method: squash
  tag: "v{version}"
  lines: ["release/{major}.{minor}"]
backport:
  when: released
  branches: ["main", "release/*"]
  on_conflict: draft
  reviewers: ["rita"]
deploy:
  environments: { staging: staging, production: production }
  promote: auto
  required_contexts: []
  monitor:
    minutes: 60
    signals: { checks: ["smoke-test*"], labels: ["regression"] }
`;

const login = (returnLine: string) => `import type { Session, User } from "./session.js";

/** The signed-in user of a request. */
export function currentUser(session: Session | undefined): User {
  if (!session) throw new Error("not signed in");
${returnLine}
}
`;

export const LOGIN_V1 = login("  return session.user;");
/** 1.3 answers anonymous sessions differently: the hotfix will not apply cleanly there. */
export const LOGIN_V13 = login("  return session.user ?? anonymousUser();");
/** The hotfix: an expired session sends the user to sign in again instead of crashing. */
export const LOGIN_FIX_WRONG = login(
  '  if (session.expiresAt < Date.now() / 1000) throw new Error("session expired");\n  return session.user;',
);
/** Ongoing work on release/1.4 beside the hotfix: it changes the same file. */
export const LOGIN_LOGGED = login(
  '  console.info("session of", session.user.id);\n  return session.user;',
);
export const LOGIN_FIX = login(
  "  if (session.expiresAt < Date.now()) return redirectToSignIn();\n  return session.user;",
);

const cart = (
  body: string,
) => `export function total(items: { price: number; qty: number }[]): number {
${body}
}
`;

export interface Demo {
  repo: RepoHandle;
}

/** Creates acme/shop with its history, people and teams (and POLICY, unless given another). */
export async function seedDemo(standIn: StandIn, options: { policy?: string } = {}): Promise<Demo> {
  const hub = standIn.hub;
  hub.addUser(OWNER, { type: "Organization" });
  for (const [login, name] of [
    ["dana", "Dana Developer"],
    ["quinn", "Quinn QA"],
    ["olga", "Olga Ops"],
    ["mia", "Mia Maintainer"],
    ["rita", "Rita Release-Captain"],
  ]) {
    hub.addUser(login as string, { name: name as string, email: `${login}@acme.example` });
  }
  hub.addUser(PEOPLE.deployer, { type: "Bot" });
  hub.addTeam(OWNER, "qa", [PEOPLE.qa]);
  hub.addTeam(OWNER, "ops", [PEOPLE.ops]);
  hub.addTeam(OWNER, "release-managers", [PEOPLE.releaser]);

  await standIn.createRepo(OWNER, REPO);
  const repo = new RepoHandle(standIn, OWNER, REPO);
  repo.grant(PEOPLE.dev, "write");
  repo.grant(PEOPLE.qa, "write");
  repo.grant(PEOPLE.ops, "write");
  repo.grant(PEOPLE.releaser, "maintain");
  repo.grant(PEOPLE.captain, "write");

  const who = PEOPLE.releaser;
  await repo.push(
    "main",
    {
      "README.md": "# shop\n\nThe acme web shop.\n",
      "src/login.ts": LOGIN_V1,
      "src/cart.ts": cart("  return items.reduce((sum, i) => sum + i.price * i.qty, 0);"),
    },
    "Initial commit",
    who,
  );
  await repo.tag("v1.3.0", "main", who);
  await repo.branch("release/1.3", "main", who);
  await repo.push(
    "release/1.3",
    { "src/login.ts": LOGIN_V13 },
    "Let anonymous sessions through",
    who,
  );
  await repo.tag("v1.3.1", "release/1.3", who);

  await repo.push(
    "main",
    {
      "src/cart.ts": cart(
        "  const sum = items.reduce((s, i) => s + i.price * i.qty, 0);\n  return Math.round(sum);",
      ),
    },
    "Round cart totals",
    who,
  );
  await repo.tag("v1.4.0", "main", who);
  await repo.branch("release/1.4", "main", who);
  await repo.push(
    "release/1.4",
    {
      "src/cart.ts": cart(
        "  const sum = items.reduce((s, i) => s + i.price * i.qty, 0);\n  return Math.round(sum * 100) / 100;",
      ),
    },
    "Round cart totals to cents",
    who,
  );
  await repo.tag("v1.4.1", "release/1.4", who);
  await repo.push(
    "release/1.4",
    { "README.md": "# shop\n\nThe acme web shop, 1.4 line.\n" },
    "Docs for 1.4",
    who,
  );
  await repo.tag("v1.4.2", "release/1.4", who);

  await repo.push(
    "main",
    {
      "src/checkout.ts": "export const checkoutVersion = 2;\n",
      "src/cart.ts": cart(
        "  return items.reduce((s, i) => s + Math.round(i.price * i.qty * 100), 0) / 100;",
      ),
    },
    "2.0: new checkout",
    who,
  );
  await repo.tag("v2.0.0", "main", who);
  await repo.push(
    "main",
    { ".github/hotfix.yml": options.policy ?? POLICY },
    "Adopt hotfix-bot",
    who,
  );
  return { repo };
}
