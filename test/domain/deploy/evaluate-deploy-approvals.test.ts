import { describe, expect, it } from "@jest/globals";
import {
  approvingUsers,
  evaluateDeployApprovals,
  renderApprovalsRefusal,
} from "../../../src/domain/deploy/evaluate-deploy-approvals.js";

const at = (minute: number) => `2026-01-01T10:${String(minute).padStart(2, "0")}:00Z`;

describe("the deploy approvals gate", () => {
  it("counts each person's latest decisive review: a comment keeps an approval, a change request or a dismissal takes it back", () => {
    const reviews = [
      { user: "Alice", state: "APPROVED", submittedAt: at(1) },
      { user: "alice", state: "COMMENTED", submittedAt: at(2) },
      { user: "bob", state: "APPROVED", submittedAt: at(1) },
      { user: "bob", state: "CHANGES_REQUESTED", submittedAt: at(3) },
      { user: "carol", state: "APPROVED", submittedAt: at(2) },
      { user: "carol", state: "DISMISSED", submittedAt: at(4) },
      { user: "dave", state: "CHANGES_REQUESTED", submittedAt: at(1) },
      { user: "dave", state: "APPROVED", submittedAt: at(5) },
      { user: "erin", state: "PENDING" },
    ];
    expect(approvingUsers(reviews).sort()).toEqual(["alice", "dave"]);
  });

  it("needs distinct people with write access or more; two approvals by one person count once", () => {
    const reviews = [
      { user: "alice", state: "APPROVED", submittedAt: at(1) },
      { user: "alice", state: "APPROVED", submittedAt: at(2) },
      { user: "reader", state: "APPROVED", submittedAt: at(3) },
    ];
    const permissions = { alice: "maintain", reader: "read" } as const;
    expect(evaluateDeployApprovals({ reviews, permissions, need: 2 })).toEqual({
      ok: false,
      need: 2,
      approvers: ["alice"],
      withoutAccess: ["reader"],
    });
    expect(evaluateDeployApprovals({ reviews, permissions, need: 1 }).ok).toBe(true);
    expect(
      evaluateDeployApprovals({ reviews, permissions: { ...permissions, reader: "write" }, need: 2 }).ok,
    ).toBe(true);
  });

  it("says which PR, how many approvals it has and needs, who may approve, and that rollback stays open", () => {
    const text = renderApprovalsRefusal(
      "production",
      "1.2.0",
      { number: 12, url: "https://github.example/pull/12" },
      { ok: false, need: 2, approvers: ["alice"], withoutAccess: ["reader"] },
    );
    expect(text).toContain("`production` needs **2** approving reviews");
    expect(text).toContain("[#12](https://github.example/pull/12) has **1** (@alice)");
    expect(text).toContain("**write** access or more");
    expect(text).toContain("Not counted (no write access): @reader");
    expect(text).toContain("`/rollback production` is not gated");
  });
});
