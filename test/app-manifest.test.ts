import { describe, expect, it } from "@jest/globals";
import { readFileSync } from "node:fs";
import { parse } from "yaml";
import { subscribedEvents } from "../src/handlers/routes.js";
import { routes } from "../src/index.js";

const manifest = parse(readFileSync("app.yml", "utf8")) as {
  default_events: string[];
  default_permissions: Record<string, string>;
};

describe("app.yml", () => {
  it("subscribes to exactly the events the routing table handles", () => {
    expect([...manifest.default_events].sort()).toEqual(subscribedEvents(routes));
  });

  it("asks for the least permissions the release process needs", () => {
    expect(manifest.default_permissions).toEqual({
      contents: "write",
      pull_requests: "write",
      issues: "write",
      checks: "write",
      deployments: "write",
      actions: "write",
      statuses: "read",
      security_events: "read",
      vulnerability_alerts: "read",
      members: "read",
      metadata: "read",
    });
  });
});
