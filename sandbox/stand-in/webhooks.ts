/**
 * Delivers the stand-in's webhooks to an app over HTTP, as GitHub does: a JSON POST with
 * `X-GitHub-Event`, `X-GitHub-Delivery` and the HMAC signatures `X-Hub-Signature-256` (and the
 * legacy SHA-1 one) made with the App's webhook secret.
 *
 * By default deliveries go out one at a time in the order they were sent, so a run reads like a
 * story; `concurrency` lets several go at once and `duplicate` delivers every webhook twice at
 * the same moment (GitHub redelivers, and two events can race). `idle()` resolves when nothing
 * is queued or in flight.
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
}

export class WebhookDeliverer {
  readonly deliveries: DeliveryRecord[] = [];
  private readonly queue: Queued[] = [];
  private inFlight = 0;
  private waiters: Array<() => void> = [];
  options: Required<DeliveryOptions>;
  /** How many API requests the stand-in has answered so far (set by the stand-in). */
  countRequests: (() => number) | null = null;

  constructor(
    private target: WebhookTarget | null,
    options: DeliveryOptions = {},
  ) {
    this.options = { concurrency: options.concurrency ?? 1, duplicate: options.duplicate ?? false };
  }

  get connected(): boolean {
    return this.target !== null;
  }

  connect(target: WebhookTarget | null): void {
    this.target = target;
  }

  setOptions(options: DeliveryOptions): void {
    this.options = { ...this.options, ...options };
    this.pump();
  }

  /** Queues a webhook (dropped when no app is connected, as for an App with no webhook URL). */
  send(event: WebhookEvent): void {
    if (!this.target) return;
    this.queue.push({ id: randomUUID(), event });
    setImmediate(() => this.pump());
  }

  /** Resolves when nothing is queued or being delivered. */
  idle(): Promise<void> {
    if (this.queue.length === 0 && this.inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  get pending(): number {
    return this.queue.length + this.inFlight;
  }

  private pump(): void {
    while (this.target && this.inFlight < this.options.concurrency && this.queue.length > 0) {
      const next = this.queue.shift() as Queued;
      const copies = this.options.duplicate ? 2 : 1;
      this.inFlight++;
      const target = this.target;
      void Promise.all(Array.from({ length: copies }, () => this.deliver(target, next))).finally(
        () => {
          this.inFlight--;
          this.pump();
          if (this.queue.length === 0 && this.inFlight === 0) {
            const waiters = this.waiters;
            this.waiters = [];
            for (const resolve of waiters) resolve();
          }
        },
      );
    }
  }

  private async deliver(target: WebhookTarget, { id, event }: Queued): Promise<void> {
    const body = JSON.stringify(event.payload);
    const started = performance.now();
    const requestsBefore = this.countRequests?.() ?? 0;
    const record: DeliveryRecord = {
      id,
      event: event.name,
      action: event.payload.action as string | undefined,
      status: 0,
      ms: 0,
    };
    try {
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
    this.deliveries.push(record);
  }
}
