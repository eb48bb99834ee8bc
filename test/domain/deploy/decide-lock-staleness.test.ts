import { describe, expect, it } from "@jest/globals";
import {
  decideLockStaleness,
  type LockEvidence,
  renderLockAge,
} from "../../../src/domain/deploy/decide-lock-staleness.js";
import type { EnvironmentLock } from "../../../src/domain/deploy/lock-message.js";

const lock = (over: Partial<EnvironmentLock> = {}): EnvironmentLock => ({
  env: "staging",
  holder: "dev",
  reason: "deploying 1.2.0",
  since: "2026-03-01T10:00:00.400Z",
  kind: "deploy",
  ...over,
});
// GitHub dates a Deployment to the second; the lock is taken a moment before it is created.
const record = (over: Partial<LockEvidence> = {}): LockEvidence => ({
  id: 41,
  createdAt: "2026-03-01T10:00:00Z",
  inFlight: false,
  state: "success",
  claim: "none",
  ...over,
});
const at = (iso: string) => new Date(iso);
const TTL = 11 * 60_000; // a 600 s timeout plus the claim's 60 s margin

describe("decideLockStaleness", () => {
  it("a concluded deploy whose lock was not given back is stale at once", () => {
    expect(decideLockStaleness(lock(), [record()], at("2026-03-01T10:02:00Z"), TTL)).toEqual({
      kind: "stale",
      why: "its deploy #41 concluded (success) but the lock was not given back",
    });
  });

  it("a deploy still finishing (claim held: replying, rolling back) is live", () => {
    expect(
      decideLockStaleness(
        lock(),
        [record({ state: "failure", claim: "held" })],
        at("2026-03-01T10:02:00Z"),
        TTL,
      ),
    ).toEqual({ kind: "live" });
  });

  it("a record in flight is live while its driver's claim holds, stale once it expired", () => {
    const flying = record({ inFlight: true, state: "in_progress", claim: "held" });
    expect(decideLockStaleness(lock(), [flying], at("2026-03-01T12:00:00Z"), TTL).kind).toBe("live");
    const expired = decideLockStaleness(
      lock(),
      [{ ...flying, claim: "expired" }],
      at("2026-03-01T12:00:00Z"),
      TTL,
    );
    expect(expired).toMatchObject({ kind: "stale" });
    expect(expired.kind === "stale" && expired.why).toContain("watch claim on its deploy #41 expired");
  });

  it("a record queued before its driver claimed it is live within one rollout's time", () => {
    const queued = record({ inFlight: true, state: "queued", claim: "none" });
    expect(decideLockStaleness(lock(), [queued], at("2026-03-01T10:05:00Z"), TTL).kind).toBe("live");
    expect(decideLockStaleness(lock(), [queued], at("2026-03-01T10:20:00Z"), TTL).kind).toBe("stale");
  });

  it("with no record of its run (planning, a canary): live within one rollout's time, stale after", () => {
    const older = record({ createdAt: "2026-02-27T09:00:00Z" });
    expect(decideLockStaleness(lock(), [older], at("2026-03-01T10:00:30Z"), TTL)).toEqual({ kind: "live" });
    expect(decideLockStaleness(lock(), [], at("2026-03-01T10:30:00Z"), TTL)).toEqual({
      kind: "stale",
      why: "its holder's time ran out (30 min, longer than any rollout here)",
    });
  });

  it("a lock taken by hand is never stale, however old", () => {
    expect(
      decideLockStaleness(lock({ kind: "manual" }), [record()], at("2027-01-01T00:00:00Z"), TTL),
    ).toEqual({ kind: "live" });
  });

  it("a lock whose date cannot be read is treated as old", () => {
    expect(decideLockStaleness(lock({ since: "yesterday" }), [], at("2026-03-01T10:00:00Z"), TTL).kind).toBe(
      "stale",
    );
  });
});

describe("renderLockAge", () => {
  it.each([
    ["2026-03-01T10:00:00Z", "for less than a minute"],
    ["2026-03-01T09:48:00Z", "for 12 min"],
    ["2026-03-01T07:55:00Z", "for 2 h 5 min"],
    ["2026-02-25T10:00:00Z", "for 4 days"],
    ["garbage", "for an unknown time"],
  ])("%s → %s", (since, text) => {
    expect(renderLockAge(since, at("2026-03-01T10:00:30Z"))).toBe(text);
  });
});
