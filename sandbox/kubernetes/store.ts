/**
 * The fake cluster's etcd: objects by kind/namespace/name, one resourceVersion counter, an event
 * log (so a watch can resume from any resourceVersion) and the live watchers.
 */
import { randomUUID } from "node:crypto";
import type { Kind, Workload } from "./objects.js";
import type { Selector } from "./selectors.js";

export type EventType = "ADDED" | "MODIFIED" | "DELETED";

export interface WatchEvent {
  type: EventType;
  object: Workload;
  rv: number;
}

export interface Watcher {
  kind: Kind;
  namespace: string | undefined;
  matches: Selector;
  send(type: EventType, object: Workload): void;
}

const key = (kind: Kind, ns: string, name: string): string => `${kind}/${ns}/${name}`;
const snapshot = (w: Workload): Workload => structuredClone(w);

export class Store {
  private readonly objects = new Map<string, Workload>();
  private readonly log: WatchEvent[] = [];
  private readonly watchers = new Set<Watcher>();
  private rv = 1;
  /** The newest resourceVersion compacted away: a watch from it or before is answered 410. */
  private compactedThrough = 0;
  private readonly now: () => Date;

  /**
   * `maxEvents` bounds the event log as etcd compaction bounds the API server's history
   * (https://kubernetes.io/docs/reference/using-api/api-concepts/#efficient-detection-of-changes:
   * "the server only keeps a limited history of changes").
   */
  constructor(
    now: () => Date,
    private readonly maxEvents = 10_000,
  ) {
    this.now = now;
  }

  get resourceVersion(): string {
    return String(this.rv);
  }

  get(kind: Kind, ns: string, name: string): Workload | undefined {
    const w = this.objects.get(key(kind, ns, name));
    return w && snapshot(w);
  }

  list(kind: Kind, ns: string | undefined, matches: Selector = () => true): Workload[] {
    return [...this.objects.values()]
      .filter((w) => w.kind === kind && (ns === undefined || w.metadata.namespace === ns) && matches(w))
      .sort((a, b) =>
        (a.metadata.namespace + a.metadata.name).localeCompare(b.metadata.namespace + b.metadata.name),
      )
      .map(snapshot);
  }

  /** Insert a new object: uid, creationTimestamp, generation 1, fresh resourceVersion. */
  create(w: Workload): Workload {
    const obj = snapshot(w);
    obj.metadata.uid = randomUUID();
    obj.metadata.creationTimestamp = this.now().toISOString();
    obj.metadata.generation = 1;
    return this.write("ADDED", obj);
  }

  /** Replace a stored object (caller has handled generation and preconditions). */
  update(w: Workload): Workload {
    return this.write("MODIFIED", snapshot(w));
  }

  delete(kind: Kind, ns: string, name: string): Workload | undefined {
    const k = key(kind, ns, name);
    const old = this.objects.get(k);
    if (!old) return undefined;
    this.objects.delete(k);
    old.metadata.resourceVersion = String(++this.rv);
    this.publish("DELETED", old);
    return snapshot(old);
  }

  /**
   * Events after `rv` for a resuming watch: "gone" when that history was compacted away (the
   * server answers 410 Gone), "future" for a resourceVersion the server has not reached.
   */
  eventsSince(rv: number): WatchEvent[] | "gone" | "future" {
    if (rv > this.rv) return "future";
    if (rv < this.compactedThrough) return "gone";
    return this.log.filter((e) => e.rv > rv);
  }

  /** The oldest resourceVersion a watch may still resume from. */
  get oldestResumable(): number {
    return this.compactedThrough;
  }

  addWatcher(w: Watcher): () => void {
    this.watchers.add(w);
    return () => this.watchers.delete(w);
  }

  private write(type: EventType, obj: Workload): Workload {
    obj.metadata.resourceVersion = String(++this.rv);
    this.objects.set(key(obj.kind, obj.metadata.namespace, obj.metadata.name), obj);
    this.publish(type, obj);
    return snapshot(obj);
  }

  private publish(type: EventType, obj: Workload): void {
    const copy = snapshot(obj);
    this.log.push({ type, object: copy, rv: this.rv });
    if (this.log.length > this.maxEvents) {
      const dropped = this.log.splice(0, this.log.length - this.maxEvents);
      // Resuming from the last dropped event's version still works: only later events are needed.
      this.compactedThrough = dropped.at(-1)!.rv;
    }
    for (const w of this.watchers) {
      if (
        w.kind === obj.kind &&
        (w.namespace === undefined || w.namespace === obj.metadata.namespace) &&
        w.matches(obj)
      )
        w.send(type, snapshot(copy));
    }
  }
}
