/** What the security tests share: a captured log, a listening stand-in server, and what the app showed. */
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Writable } from "node:stream";
import { type Logger, pino } from "pino";
import { redactedPaths } from "../../src/adapters/log/logger.js";
import type { EndToEnd } from "../../sandbox/harness/e2e.js";

/** The app's log lines, with the production logger's redaction. */
export const captureLog = (): { log: Logger; lines: string[] } => {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  const log = pino({ level: "debug", redact: { paths: redactedPaths, censor: "[redacted]" } }, stream);
  return { log, lines };
};

export interface Listener {
  url: string;
  received: { method: string; url: string; headers: IncomingHttpHeaders; body: string }[];
  close(): Promise<void>;
}

/** A server an attacker controls: it records every request and answers 500 echoing the headers. */
export const startListener = async (): Promise<Listener> => {
  const received: Listener["received"] = [];
  const server: Server = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk: Buffer) => (body += chunk.toString()));
    req.on("end", () => {
      received.push({ method: req.method ?? "", url: req.url ?? "", headers: req.headers, body });
      res.writeHead(500, { "content-type": "application/json" });
      res.end(JSON.stringify({ error_code: "INTERNAL_ERROR", message: JSON.stringify(req.headers) }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${String(port)}`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
};

/** Every check run on a branch's commits and every comment on the given issues, as one text. */
export const everythingShown = async (
  e2e: EndToEnd,
  branches: string[],
  issues: number[],
): Promise<string> => {
  const parts: string[] = [];
  for (const branch of branches)
    for (const commit of await e2e.sandbox.commits(e2e.repo, branch))
      for (const run of e2e.sandbox.checkRuns(e2e.repo, commit.sha))
        parts.push(run.name, run.output.title ?? "", run.output.summary ?? "", run.output.text ?? "");
  for (const issue of issues) {
    const { body, comments } = e2e.sandbox.issue(e2e.repo, issue);
    parts.push(body ?? "", ...comments.map((c) => c.body));
  }
  return parts.join("\n");
};

/** A maintainer cuts 1.2.0: the release PR's number and head branch. */
export const openReleasePull = async (
  e2e: EndToEnd,
): Promise<{ issue: number; pull: number; branch: string }> => {
  const { sandbox, repo } = e2e;
  const issue = await sandbox.openIssue(repo, "maintainer", { title: "Release 1.2.0" });
  sandbox.comment(repo, issue, "maintainer", "/release 1.2.0");
  await e2e.settle({ timeoutMs: 60_000 });
  const found = sandbox.pulls(repo).find((p) => p.title === "Release v1.2.0");
  if (!found?.pull) throw new Error("no release PR");
  return { issue, pull: found.number, branch: found.pull.head };
};
