import { describe, expect, it } from "@jest/globals";
import fc from "fast-check";
import {
  type EnvironmentLock,
  parseLockMessage,
  renderLockMessage,
  renderLockRefusal,
} from "../../../src/domain/deploy/lock-message.js";

const lock: EnvironmentLock = {
  env: "production",
  holder: "oncall",
  reason: "incident 42: payments",
  since: "2026-01-01T10:00:00.000Z",
  kind: "manual",
};

describe("environment lock messages", () => {
  it("renders a message people can read and parses it back", () => {
    const text = renderLockMessage(lock);
    expect(text.split("\n")[0]).toBe("release-pilot lock: production");
    expect(text).toContain("holder: oncall\nreason: incident 42: payments\n");
    expect(parseLockMessage(text)).toEqual(lock);
  });

  it("round-trips any single-line reason", () => {
    fc.assert(
      fc.property(
        fc.string().filter((s) => !s.includes("\n") && s.trim() === s),
        fc.constantFrom("manual", "deploy" as const),
        (reason, kind) => {
          const l = { ...lock, reason, kind } as EnvironmentLock;
          expect(parseLockMessage(renderLockMessage(l))).toEqual(l);
        },
      ),
    );
  });

  it("folds a multi-line reason onto one line", () => {
    expect(parseLockMessage(renderLockMessage({ ...lock, reason: "a\n b" }))?.reason).toBe("a b");
  });

  it("rejects messages that are not locks", () => {
    expect(parseLockMessage("Merge branch main")).toBeUndefined();
    expect(parseLockMessage("release-pilot lock: x\n\nholder: a\nsince: t\nkind: other\n")).toBeUndefined();
    expect(parseLockMessage("release-pilot lock: x\n\nsince: t\nkind: manual\n")).toBeUndefined();
  });

  it("explains a refusal with who, why, since when and what to do", () => {
    const text = renderLockRefusal(lock, "production");
    expect(text).toContain("@oncall");
    expect(text).toContain("incident 42");
    expect(text).toContain("`/unlock production`");
    expect(renderLockRefusal({ ...lock, kind: "deploy" }, "production")).toContain("a deploy is running");
    expect(renderLockRefusal(undefined, "production")).toContain("try again");
  });
});
