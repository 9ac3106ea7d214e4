/**
 * Delivers the stand-in's webhooks to an app over HTTP, as GitHub does: a JSON POST with
 * `X-GitHub-Event`, `X-GitHub-Delivery` and the HMAC signatures `X-Hub-Signature-256` (and the
 * legacy SHA-1 one) made with the App's webhook secret.
 *
 * By default deliveries go out one at a time in the order they were sent, so a run reads like a
 * story; `concurrency` lets several go at once and `duplicate` delivers every webhook twice at
 * the same moment (GitHub redelivers, and two events can race). `idle()` resolves when nothing
 * is queued or in flight.
 *
 * Several replicas of one App can sit behind the webhook URL (`connectReplicas`): a `route`
 * rule picks, per delivery, which replicas receive it (default: all). Every copy of a delivery
 * carries the same `X-GitHub-Delivery` id and body — one delivery, sent to several places at
 * the same moment, as when a load balancer retries it or GitHub redelivers it.
 */
import { createHmac, randomUUID } from "node:crypto";
import type { WebhookEvent } from "./hub.js";

export interface DeliveryRecord {
  id: string;
  event: string;
  action: string | undefined;
  /** HTTP status of the app's answer, or 0 when the connection failed. */
  status: number;
  ms: number;
  error?: string;
  /** The answer's body, for 4xx/5xx. */
  answer?: string;
  /**
   * API requests the stand-in answered while this delivery was in flight: the delivery's own
   * cost when deliveries go one at a time and the app answers after its work.
   */
  requests?: number;
  /** Of those, the ones GitHub counts against the rate limit: all but the 304 answers. */
  counted?: number;
  /** The replica (index into `connectReplicas`' targets) this copy went to; unset for `connectApp`. */
  replica?: number;
}

export interface WebhookTarget {
  url: string;
  secret: string;
  /** `X-GitHub-Hook-Installation-Target-ID`: the App's id. */
  appId?: number;
  /** false when the app uses GitHub.com's URL layout (payload URLs follow it); default GHE's. */
  enterprise?: boolean;
}

export interface DeliveryOptions {
  /** Deliveries in flight at once (default 1: in order). */
  concurrency?: number;
  /** Deliver every webhook twice, both at once. */
  duplicate?: boolean;
}

/** What a replica routing rule sees of one delivery. */
export interface RoutedDelivery {
  /** `X-GitHub-Event`. */
  event: string;
  action?: string;
  payload: Record<string, unknown>;
  /** 0, 1, 2, … : the deliveries queued since the replicas were connected. */
  seq: number;
}

/** Which replicas (indexes into the targets) receive a delivery; [] drops it. */
export type ReplicaRoute = (delivery: RoutedDelivery) => readonly number[];

export interface ReplicaOptions extends DeliveryOptions {
  /** Default: every replica receives every delivery. */
  route?: ReplicaRoute;
}

export function sign(secret: string, body: string): { sha256: string; sha1: string } {
  return {
    sha256: `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`,
    sha1: `sha1=${createHmac("sha1", secret).update(body).digest("hex")}`,
  };
}

export function deliveryHeaders(
  event: string,
  id: string,
  body: string,
  target: Pick<WebhookTarget, "secret" | "appId">,
): Record<string, string> {
  const signature = sign(target.secret, body);
  return {
    "content-type": "application/json",
    "user-agent": "GitHub-Hookshot/stand-in",
    "x-github-event": event,
    "x-github-delivery": id,
    "x-github-hook-id": "1",
    "x-github-hook-installation-target-type": "integration",
    "x-github-hook-installation-target-id": String(target.appId ?? 0),
    "x-hub-signature-256": signature.sha256,
    "x-hub-signature": signature.sha1,
  };
}

interface Queued {
  id: string;
  event: WebhookEvent;
  /** Decided when the webhook is queued, by the route in force then. */
  replicas: number[];
}

export class WebhookDeliverer {
  readonly deliveries: DeliveryRecord[] = [];
  /** A routing rule that threw or named a replica that does not exist (the stand-in's `problems()`). */
  readonly routeErrors: string[] = [];
  private readonly queue: Queued[] = [];
  /** Deliveries in flight (what `concurrency` limits) and their copies (what `pending` counts). */
  private inFlight = 0;
  private copiesInFlight = 0;
  private waiters: Array<() => void> = [];
  private targets: WebhookTarget[] = [];
  private route: ReplicaRoute | null = null;
  /** Connected by `connectReplicas`: records name the replica. */
  private replicated = false;
  private seq = 0;
  options: Required<DeliveryOptions>;
  /** How many API requests the stand-in has answered so far (set by the stand-in). */
  countRequests: (() => number) | null = null;
  /** How many of them GitHub would count (all but 304s). */
  countCounted: (() => number) | null = null;

  constructor(target: WebhookTarget | null, options: DeliveryOptions = {}) {
    this.options = { concurrency: options.concurrency ?? 1, duplicate: options.duplicate ?? false };
    this.connect(target);
  }

  get connected(): boolean {
    return this.targets.length > 0;
  }

  /** One app behind the webhook URL (null: none, webhooks are dropped). */
  connect(target: WebhookTarget | null): void {
    this.targets = target ? [target] : [];
    this.route = null;
    this.replicated = false;
    this.seq = 0;
  }

  /**
   * Several replicas of one App behind the webhook URL: each delivery goes to the replicas
   * `route` names (default: all), every copy with the same delivery id and body, all at once.
   * An empty list disconnects, as `connect(null)` does.
   */
  connectReplicas(targets: readonly WebhookTarget[], route?: ReplicaRoute): void {
    this.targets = [...targets];
    this.route = route ?? null;
    this.replicated = targets.length > 0;
    this.seq = 0;
  }

  setOptions(options: DeliveryOptions): void {
    this.options = { ...this.options, ...options };
    this.pump();
  }

  /** Queues a webhook (dropped when no app is connected, as for an App with no webhook URL). */
  send(event: WebhookEvent): void {
    if (!this.connected) return;
    const replicas = this.routeOf(event);
    this.queue.push({ id: randomUUID(), event, replicas });
    setImmediate(() => this.pump());
  }

  /** Resolves when nothing is queued or being delivered. */
  idle(): Promise<void> {
    if (this.queue.length === 0 && this.inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Copies queued or being delivered (a delivery to two replicas counts twice). */
  get pending(): number {
    const perReplica = this.options.duplicate ? 2 : 1;
    const queued = this.queue.reduce((n, q) => n + q.replicas.length * perReplica, 0);
    return queued + this.copiesInFlight;
  }

  private routeOf(event: WebhookEvent): number[] {
    const seq = this.seq++;
    const all = this.targets.map((_, index) => index);
    if (!this.route) return all;
    const action = event.payload.action;
    const delivery: RoutedDelivery = {
      event: event.name,
      ...(typeof action === "string" ? { action } : {}),
      payload: event.payload,
      seq,
    };
    let chosen: readonly number[];
    try {
      chosen = this.route(delivery);
    } catch (error) {
      this.routeErrors.push(
        `webhook route threw for ${named(delivery)}: ${(error as Error).message}`,
      );
      return [];
    }
    if (!Array.isArray(chosen)) {
      this.routeErrors.push(`webhook route answered no list for ${named(delivery)}`);
      return [];
    }
    const valid: number[] = [];
    for (const index of chosen as unknown[]) {
      if (
        typeof index !== "number" ||
        !Number.isInteger(index) ||
        index < 0 ||
        index >= this.targets.length
      ) {
        this.routeErrors.push(
          `webhook route named replica ${String(index)} for ${named(delivery)}; there are ${this.targets.length}`,
        );
      } else if (!valid.includes(index)) valid.push(index);
    }
    return valid;
  }

  private pump(): void {
    while (this.connected && this.inFlight < this.options.concurrency && this.queue.length > 0) {
      const next = this.queue.shift() as Queued;
      const targets = this.targets;
      const perReplica = this.options.duplicate ? 2 : 1;
      const copies = next.replicas.flatMap((replica) =>
        Array.from({ length: perReplica }, () => replica),
      );
      this.inFlight++;
      this.copiesInFlight += copies.length;
      // Every copy starts now: replicas receive one delivery at the same moment.
      const sent = copies.map((replica) =>
        this.deliver(targets[replica], replica, next).finally(() => {
          this.copiesInFlight--;
        }),
      );
      void Promise.all(sent).finally(() => {
        this.inFlight--;
        this.pump();
        if (this.queue.length === 0 && this.inFlight === 0) {
          const waiters = this.waiters;
          this.waiters = [];
          for (const resolve of waiters) resolve();
        }
      });
    }
  }

  private async deliver(
    target: WebhookTarget | undefined,
    replica: number,
    { id, event }: Queued,
  ): Promise<void> {
    const body = JSON.stringify(event.payload);
    const started = performance.now();
    const requestsBefore = this.countRequests?.() ?? 0;
    const countedBefore = this.countCounted?.() ?? 0;
    const record: DeliveryRecord = {
      id,
      event: event.name,
      action: event.payload.action as string | undefined,
      status: 0,
      ms: 0,
      ...(this.replicated ? { replica } : {}),
    };
    try {
      // Reconnected to fewer replicas after the route chose this one.
      if (!target) throw new Error(`replica ${replica} is no longer connected`);
      const response = await fetch(target.url, {
        method: "POST",
        headers: deliveryHeaders(event.name, id, body, target),
        body,
      });
      record.status = response.status;
      const text = await response.text();
      if (response.status >= 400) record.answer = text.slice(0, 500);
    } catch (error) {
      record.error = (error as Error).message;
    }
    record.ms = performance.now() - started;
    if (this.countRequests) record.requests = this.countRequests() - requestsBefore;
    if (this.countCounted) record.counted = this.countCounted() - countedBefore;
    this.deliveries.push(record);
  }
}

function named(delivery: RoutedDelivery): string {
  return `delivery ${delivery.seq} (${delivery.event}${delivery.action ? `.${delivery.action}` : ""})`;
}
