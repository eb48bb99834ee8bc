import { describe, expect, it } from "@jest/globals";
import fc from "fast-check";
import { MAX_COMMENT_LENGTH } from "../../../src/domain/commands/command-lines.js";
import { parseCommand } from "../../../src/domain/commands/parse-command.js";
import { commandSpecs } from "../../../src/domain/commands/command-specs.js";

const command = (body: string) => {
  const result = parseCommand(body);
  if (result.kind !== "command") throw new Error(`expected a command, got ${JSON.stringify(result)}`);
  return result.command;
};
const error = (body: string) => {
  const result = parseCommand(body);
  if (result.kind !== "error") throw new Error(`expected an error, got ${JSON.stringify(result)}`);
  return result.message;
};

describe("parseCommand", () => {
  it.each([
    ["/release 1.2.0", { name: "release", target: { kind: "exact", version: "1.2.0" } }],
    ["/release v1.3.0-rc.1", { name: "release", target: { kind: "exact", version: "1.3.0-rc.1" } }],
    ["/release minor", { name: "release", target: { kind: "bump", bump: "minor" } }],
    ["/release minor --pre rc", { name: "release", target: { kind: "bump", bump: "minor" }, pre: "rc" }],
    ["/release --pre=beta", { name: "release", target: { kind: "auto" }, pre: "beta" }],
    ["/release", { name: "release", target: { kind: "auto" } }],
    ["/release --from 3f2c1ab", { name: "release", target: { kind: "auto" }, from: "3f2c1ab" }],
    [
      "/release minor --from release/1.4",
      { name: "release", target: { kind: "bump", bump: "minor" }, from: "release/1.4" },
    ],
    [
      "/release 2.0.0 --from=v1.9.0",
      { name: "release", target: { kind: "exact", version: "2.0.0" }, from: "v1.9.0" },
    ],
    ["/deploy staging", { name: "deploy", env: "staging" }],
    ["/deploy production 1.2.0", { name: "deploy", env: "production", version: "1.2.0" }],
    ["/rollback production", { name: "rollback", env: "production" }],
    ["/rollback production --revision 3", { name: "rollback", env: "production", revision: 3 }],
    // A revision the cluster may not have is the planner's to answer ("unable to find …").
    ["/rollback production --revision 99999", { name: "rollback", env: "production", revision: 99999 }],
    ["/rollback production 1.1.0", { name: "rollback", env: "production", version: "1.1.0" }],
    [
      "/canary production 1.2.0 --weight 10%",
      { name: "canary", env: "production", version: "1.2.0", weight: 10 },
    ],
    [
      "/canary production 1.2.0 --replicas 2",
      { name: "canary", env: "production", version: "1.2.0", replicas: 2 },
    ],
    ["/promote production", { name: "promote", env: "production" }],
    ["/abort production", { name: "abort", env: "production" }],
    [
      "/scale production bankchurn 10",
      { name: "scale", env: "production", service: "bankchurn", replicas: 10 },
    ],
    ["/lock production investigating p99", { name: "lock", env: "production", reason: "investigating p99" }],
    ["/lock staging", { name: "lock", env: "staging", reason: "" }],
    ["/unlock production", { name: "unlock", env: "production" }],
    ["/status", { name: "status" }],
    ["/status production", { name: "status", env: "production" }],
    ["/checklist", { name: "checklist" }],
    ["/ship", { name: "ship" }],
    ["/SHIP", { name: "ship" }],
    ["/revert v1.2.0", { name: "revert", version: "1.2.0" }],
    ["/help", { name: "help" }],
    ["/help deploy", { name: "help", topic: "deploy" }],
    ["/HELP /Deploy", { name: "help", topic: "deploy" }],
  ])("%s", (body, expected) => {
    expect(command(body)).toEqual(expected);
  });

  it("finds a command at the start of any line, ignoring surrounding prose and CRLF", () => {
    expect(command("Ready to ship.\r\n/release patch\r\nThanks!")).toEqual({
      name: "release",
      target: { kind: "bump", bump: "patch" },
    });
  });

  it.each([
    "Please /release 1.2.0",
    " /release 1.2.0",
    "> /release 1.2.0",
    "see /docs/release.md",
    "```\n/release 1.2.0\n```",
    "",
  ])("finds no command in %j", (body) => {
    expect(parseCommand(body)).toEqual({ kind: "none" });
  });

  it.each([
    ["/release 1.2.0; rm -rf /", "too many arguments"],
    ["/release 1.2", "is not a SemVer version"],
    ["/release 01.2.0", "is not a SemVer version"],
    ["/release 1.2.0 --pre rc", "`--pre` goes with"],
    ["/release minor --pre", "`--pre` needs a value"],
    ["/release minor --force", "unknown option `--force`"],
    ["/release --from", "`--from` needs a value (ref)"],
    ["/release --from HEAD~3", "`HEAD~3` is not a branch, tag or commit SHA"],
    ["/release --from main^", "is not a branch, tag or commit SHA"],
    ["/release --from o:main", "is not a branch, tag or commit SHA"],
    ["/release --from a..b", "is not a branch, tag or commit SHA"],
    ["/release --from -rf", "is not a branch, tag or commit SHA"],
    ["/release --from feature/.hidden", "is not a branch, tag or commit SHA"],
    ["/release --from refs.lock", "is not a branch, tag or commit SHA"],
    ["/release --from x`<img>@all", "``x`<img>@all`` is not a branch, tag or commit SHA"],
    [`/release --from ${"a".repeat(300)}`, "is not a branch, tag or commit SHA"],
    ["/release --from v1 --from v2", "`--from` is given twice"],
    ["/deploy", "missing argument"],
    ["/deploy ../../etc", "is not an environment name"],
    ["/deploy refs/heads/main", "is not an environment name"],
    ["/deploy Production", "is not an environment name"],
    ["/rollback production 1.1.0 --revision 2", "not both"],
    ["/rollback production --revision 0", "1 or more"],
    ["/rollback production --revision 12345678901234567890", "must be at most 2147483647"],
    ["/rollback production --revision 3rd", "must be a whole number"],
    ["/canary production 1.2.0 --weight 150%", "from 1% to 100%"],
    ["/canary production 1.2.0 --weight 5% --replicas 1", "not both"],
    ["/scale production bankchurn lots", "must be a whole number"],
    ["/scale production ../x 3", "is not a service name"],
    ["/help frobnicate", "there is no command"],
    ["/checklist now", "too many arguments"],
    ["/ship it", "too many arguments (`it`). Usage: `/ship`"],
    ["/release 1.2.0\n/deploy staging", "one command a comment"],
  ])("%j is refused with a reason", (body, reason) => {
    const message = error(body);
    expect(message).toContain(reason);
  });

  it("names the usage in every argument error", () => {
    expect(error("/deploy")).toContain("Usage: `/deploy <env> [version]`");
  });

  it("lists the known commands for an unknown one", () => {
    const message = error("/launch it");
    expect(message).toContain("`/launch` is not a command");
    for (const spec of commandSpecs) expect(message).toContain(`\`/${spec.name}\``);
  });

  it("never echoes control characters or backticks back", () => {
    const message = error("/deploy a\u0007`b\u202e");
    expect(message.includes("\u0007") || message.includes("\u202e")).toBe(false);
    expect(message.match(/`/g)?.length ?? 0).toBeGreaterThan(0);
    expect(message).not.toContain("a\u0007`b");
  });

  it("refuses an over-long command line", () => {
    expect(error(`/lock production ${"x".repeat(600)}`)).toContain("longer than 500");
  });
});

describe("parseCommand on hostile input (property-based)", () => {
  const verbs = commandSpecs.map((spec) => `/${spec.name}`);
  const hostile = fc.oneof(
    fc.string({ unit: "binary", maxLength: 300 }),
    fc.constantFrom(
      "../",
      "refs/heads/main",
      "; rm -rf /",
      "$(id)",
      "`id`",
      "\u0000",
      "\u202e",
      "%2e%2e/",
      "--pre",
    ),
    fc.stringMatching(/^[-a-z0-9.%/]{0,40}$/),
  );
  const commandLike = fc
    .tuple(fc.constantFrom(...verbs, "/x", "/"), fc.array(hostile, { maxLength: 6 }))
    .map(([verb, words]) => [verb, ...words].join(" "));

  it("never throws and returns a typed result", () => {
    fc.assert(
      fc.property(fc.oneof(commandLike, fc.string({ unit: "binary", maxLength: 2000 })), (body) => {
        const result = parseCommand(body);
        expect(["none", "command", "error"]).toContain(result.kind);
      }),
      { numRuns: 2000 },
    );
  });

  it("only lets validated values through: environments, versions and services are safe names", () => {
    fc.assert(
      fc.property(commandLike, (body) => {
        const result = parseCommand(body);
        if (result.kind !== "command") return;
        const c = result.command as Record<string, unknown>;
        if (typeof c.env === "string") expect(c.env).toMatch(/^[a-z][a-z0-9-]{0,39}$/);
        if (typeof c.service === "string") expect(c.service).toMatch(/^[A-Za-z][A-Za-z0-9_.-]*$/);
        if (typeof c.version === "string") expect(c.version).toMatch(/^\d+\.\d+\.\d+[-+0-9A-Za-z.]*$/);
        if (typeof c.reason === "string") expect(c.reason).not.toMatch(/[\p{Cc}\p{Cf}]/u);
      }),
      { numRuns: 2000 },
    );
  });

  it("finds a command in a comment as long as GitHub allows (65,536 characters)", () => {
    const body = `${"lorem ipsum ".repeat(2_700)}\n/release 1.2.0\n${"x".repeat(32_000)}`;
    expect(body.length).toBeLessThanOrEqual(MAX_COMMENT_LENGTH);
    expect(parseCommand(body)).toEqual({
      kind: "command",
      command: { name: "release", target: { kind: "exact", version: "1.2.0" } },
    });
  });

  it("finds none in a longer comment, which GitHub refuses to store (1 MB)", () => {
    const body = `${"lorem ipsum ".repeat(100_000)}\n/release 1.2.0\n${"x".repeat(100_000)}`;
    expect(parseCommand(body)).toEqual({ kind: "none" });
  });
});
