/**
 * Several replicas of one App behind one webhook URL (`standIn.connectReplicas`): a routing
 * rule per delivery, the same delivery id and body for every copy, copies sent at the same
 * moment, and `pending` / `idle()` / `deliveries` counting every copy. Receivers are small local
 * HTTP servers that check the signature and hold each request until every copy has arrived.
 */
import { afterEach, beforeEach, describe, expect, it } from "@jest/globals";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { RepoHandle } from "../../sandbox/stand-in/people.js";
import { startStandIn, type StandIn } from "../../sandbox/stand-in/server.js";
import { sign, type RoutedDelivery, type WebhookTarget } from "../../sandbox/stand-in/webhooks.js";

const SECRET = "replica-secret";

interface Arrival {
  replica: number;
  headers: IncomingHttpHeaders;
  body: string;
  /** Copies of this delivery (any replica) that had arrived when this one did, itself included. */
  arrivedTogether: number;
  /** `standIn.webhooks.pending` when every expected copy had arrived (before any answer). */
  pendingWhenAllArrived?: number;
}

/**
 * Receivers that hold every request until `expected` copies of its delivery id have arrived
 * across all of them, then answer 202; after `holdMs` without that, they answer 408 — so copies
 * sent one after the other (the second only once the first was answered) show up as 408s.
 */
class Receivers {
  readonly arrivals: Arrival[] = [];
  private readonly servers: Server[] = [];
  private readonly held = new Map<string, Array<() => void>>();

  constructor(
    private readonly standIn: StandIn,
    private readonly expected: number,
    private readonly holdMs = 1_500,
  ) {}

  async start(count: number): Promise<void> {
    for (let replica = 0; replica < count; replica++) {
      const server = createServer((req, res) => {
        const chunks: Buffer[] = [];
        req.on("data", (c: Buffer) => chunks.push(c));
        req.on("end", () => {
          const body = Buffer.concat(chunks).toString("utf8");
          if (req.headers["x-hub-signature-256"] !== sign(SECRET, body).sha256) {
            res.writeHead(401).end("bad signature");
            return;
          }
          const id = String(req.headers["x-github-delivery"]);
          const waiting = this.held.get(id) ?? [];
          this.held.set(id, waiting);
          const arrival: Arrival = {
            replica,
            headers: req.headers,
            body,
            arrivedTogether: waiting.length + 1,
          };
          this.arrivals.push(arrival);
          const timer = setTimeout(
            () => res.writeHead(408).end("the other copy never came"),
            this.holdMs,
          );
          waiting.push(() => {
            clearTimeout(timer);
            if (!res.headersSent) res.writeHead(202).end();
          });
          if (waiting.length === this.expected) {
            arrival.pendingWhenAllArrived = this.standIn.webhooks.pending;
            for (const release of waiting) release();
          }
        });
      });
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
      this.servers.push(server);
    }
  }

  targets(): WebhookTarget[] {
    return this.servers.map((server) => ({
      url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/github/webhooks`,
      secret: SECRET,
      appId: 4242,
    }));
  }

  byReplica(replica: number): Arrival[] {
    return this.arrivals.filter((a) => a.replica === replica);
  }

  async close(): Promise<void> {
    for (const server of this.servers) {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  }
}

let standIn: StandIn;
let repo: RepoHandle;
let receivers: Receivers | null;

beforeEach(async () => {
  standIn = await startStandIn();
  await standIn.createRepo("acme", "shop");
  repo = new RepoHandle(standIn, "acme", "shop");
  receivers = null;
});

afterEach(async () => {
  await receivers?.close();
  await standIn.close();
});

async function delivered(): Promise<void> {
  await standIn.hub.flushed();
  await standIn.webhooks.idle();
}

describe("replicas behind one webhook URL", () => {
  it("delivers to the replicas the route names, one delivery id and body, both copies at once", async () => {
    receivers = new Receivers(standIn, 2);
    await receivers.start(3);
    const seen: RoutedDelivery[] = [];
    standIn.connectReplicas(receivers.targets(), {
      route: (delivery) => {
        seen.push(delivery);
        return [0, 2];
      },
    });
    repo.openIssue("quinn", { title: "Login crashes" });
    await delivered();

    expect(seen).toEqual([expect.objectContaining({ event: "issues", action: "opened", seq: 0 })]);
    expect(seen[0]?.payload).toMatchObject({ issue: { title: "Login crashes" } });
    expect(receivers.byReplica(0)).toHaveLength(1);
    expect(receivers.byReplica(1)).toHaveLength(0);
    expect(receivers.byReplica(2)).toHaveLength(1);
    const [first, second] = receivers.arrivals;
    expect(first?.headers["x-github-delivery"]).toMatch(/^[0-9a-f-]{36}$/);
    expect(second?.headers["x-github-delivery"]).toBe(first?.headers["x-github-delivery"]);
    expect(second?.body).toBe(first?.body);
    expect(second?.headers["x-github-event"]).toBe("issues");
    expect(second?.headers["x-github-hook-installation-target-id"]).toBe("4242");
    // Concurrent: the second copy arrived while the first was still held (and both got 202).
    expect(receivers.arrivals.map((a) => a.arrivedTogether).sort()).toEqual([1, 2]);
    expect(second?.pendingWhenAllArrived).toBe(2);
    expect(
      standIn.webhooks.deliveries.map((d) => [d.replica, d.status, d.event, d.action]).sort(),
    ).toEqual([
      [0, 202, "issues", "opened"],
      [2, 202, "issues", "opened"],
    ]);
    expect(new Set(standIn.webhooks.deliveries.map((d) => d.id)).size).toBe(1);
    expect(standIn.webhooks.pending).toBe(0);
    expect(standIn.problems()).toEqual([]);
  });

  it("delivers to every replica when the route names all three, and by default", async () => {
    receivers = new Receivers(standIn, 3);
    await receivers.start(3);
    standIn.connectReplicas(receivers.targets(), { route: () => [2, 1, 0] });
    repo.openIssue("quinn", { title: "one" });
    await delivered();
    expect([0, 1, 2].map((r) => receivers?.byReplica(r).length)).toEqual([1, 1, 1]);
    expect(new Set(receivers.arrivals.map((a) => a.headers["x-github-delivery"])).size).toBe(1);
    expect(receivers.arrivals.map((a) => a.arrivedTogether).sort()).toEqual([1, 2, 3]);
    expect(receivers.arrivals.find((a) => a.arrivedTogether === 3)?.pendingWhenAllArrived).toBe(3);
    expect(standIn.webhooks.deliveries.map((d) => [d.replica, d.status]).sort()).toEqual([
      [0, 202],
      [1, 202],
      [2, 202],
    ]);

    standIn.connectReplicas(receivers.targets());
    repo.openIssue("quinn", { title: "two" });
    await delivered();
    expect([0, 1, 2].map((r) => receivers?.byReplica(r).length)).toEqual([2, 2, 2]);
    expect(standIn.webhooks.deliveries.every((d) => d.status === 202)).toBe(true);
    expect(standIn.problems()).toEqual([]);
  });

  it("routes each delivery by its own rule (seq), keeps their order, and counts every copy", async () => {
    receivers = new Receivers(standIn, 1);
    await receivers.start(3);
    standIn.connectReplicas(receivers.targets(), { route: ({ seq }) => [seq % 3] });
    for (const title of ["a", "b", "c", "d"]) repo.openIssue("quinn", { title });
    await standIn.hub.flushed();
    expect(standIn.webhooks.pending).toBe(4);
    await standIn.webhooks.idle();
    const titles = (replica: number) =>
      receivers?.byReplica(replica).map((a) => JSON.parse(a.body).issue.title);
    expect([titles(0), titles(1), titles(2)]).toEqual([["a", "d"], ["b"], ["c"]]);
    expect(standIn.webhooks.deliveries.map((d) => d.replica)).toEqual([0, 1, 2, 0]);
  });

  it("reports a route that names a replica that does not exist or throws, and drops a delivery routed nowhere", async () => {
    receivers = new Receivers(standIn, 1);
    await receivers.start(2);
    standIn.connectReplicas(receivers.targets(), {
      route: ({ seq }) => {
        if (seq === 2) throw new Error("no rule for this one");
        return seq === 0 ? [] : [1, 5];
      },
    });
    repo.openIssue("quinn", { title: "nowhere" });
    repo.openIssue("quinn", { title: "partly" });
    repo.openIssue("quinn", { title: "thrown" });
    await delivered();
    expect(receivers.arrivals.map((a) => [a.replica, JSON.parse(a.body).issue.title])).toEqual([
      [1, "partly"],
    ]);
    expect(standIn.webhooks.pending).toBe(0);
    expect(standIn.problems()).toEqual([
      "webhook route named replica 5 for delivery 1 (issues.opened); there are 2",
      "webhook route threw for delivery 2 (issues.opened): no rule for this one",
    ]);
  });

  it("keeps connectApp the one-replica case: no replica in the records, duplicate still twice", async () => {
    receivers = new Receivers(standIn, 2);
    await receivers.start(1);
    const [target] = receivers.targets();
    standIn.connectApp(target ?? null, { duplicate: true });
    repo.openIssue("quinn", { title: "twice" });
    await delivered();
    expect(receivers.arrivals).toHaveLength(2);
    expect(receivers.arrivals[1]?.pendingWhenAllArrived).toBe(2);
    expect(standIn.webhooks.deliveries.map((d) => [d.status, "replica" in d])).toEqual([
      [202, false],
      [202, false],
    ]);
  });
});
