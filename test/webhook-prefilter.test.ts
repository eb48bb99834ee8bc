import { afterAll, beforeAll, beforeEach, describe, expect, it } from "@jest/globals";
import { createHmac } from "node:crypto";
import { createServer, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { sign } from "@octokit/webhooks-methods";
import { pino } from "pino";
import { createNodeMiddleware, Probot } from "probot";
import { routes } from "../src/index.js";
import { WEBHOOK_PATH } from "../src/composition/server.js";
import { createWebhookPrefilter } from "../src/adapters/http/webhook-prefilter.js";
import { routesReading } from "../src/handlers/routes.js";
import { testPrivateKey } from "../sandbox/harness/keys.js";
import { webhookExample } from "./support/webhook-examples.js";

const SECRET = "prefilter-secret";

interface Answer {
  status: number;
  body: string;
}

/** Probot with an app that records every event it is given, behind the given front. */
const startServer = async (prefiltered: boolean, received: string[], ignored: string[]) => {
  const probot = new Probot({
    appId: 1,
    privateKey: testPrivateKey(),
    secret: SECRET,
    log: pino({ level: "silent" }),
  });
  const middleware = await createNodeMiddleware(
    (app) => {
      app.onAny((context) => {
        const action = (context.payload as { action?: string }).action;
        received.push(action ? `${context.name}.${action}` : context.name);
        return Promise.resolve();
      });
    },
    { probot, webhooksPath: WEBHOOK_PATH },
  );
  const prefilter = createWebhookPrefilter({
    secret: SECRET,
    path: WEBHOOK_PATH,
    routes: routesReading(routes),
    metrics: { webhookIgnored: (event) => void ignored.push(event) },
  });
  const toProbot = (req: Parameters<typeof middleware>[0], res: Parameters<typeof middleware>[1]) =>
    void middleware(req, res, () => res.writeHead(404).end("not found"));
  const server = createServer((req, res) =>
    prefiltered ? prefilter(req, res, () => toProbot(req, res)) : toProbot(req, res),
  );
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}${WEBHOOK_PATH}` };
};

const post = async (
  url: string,
  event: string,
  body: string,
  headers: { signature?: string | null; contentType?: string } = {},
): Promise<Answer> => {
  const signature = headers.signature === undefined ? await sign(SECRET, body) : headers.signature;
  const response = await fetch(url, {
    method: "POST",
    headers: {
      "content-type": headers.contentType ?? "application/json",
      "x-github-event": event,
      "x-github-delivery": "delivery-1",
      ...(signature === null ? {} : { "x-hub-signature-256": signature }),
    },
    body,
  });
  return { status: response.status, body: await response.text() };
};

/** An issue_comment delivery sent as raw bytes, in `parts` 50 ms apart; resolves to the status. */
const postBytes = (url: string, signature: string, delivery: string, parts: Buffer[]): Promise<number> =>
  new Promise<number>((resolve, reject) => {
    const req = request(
      url,
      {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "x-github-event": "issue_comment",
          "x-github-delivery": delivery,
          "x-hub-signature-256": signature,
        },
      },
      (res) => {
        res.resume();
        res.on("end", () => resolve(res.statusCode ?? 0));
      },
    );
    req.on("error", reject);
    const send = (i: number): void => {
      const part = parts[i];
      if (part === undefined) return void req.end();
      req.write(part);
      setTimeout(() => send(i + 1), 50);
    };
    send(0);
  });

const comment = (text: string): string => {
  const payload = webhookExample<{
    comment: { body: string; user: { type: string } };
    sender: { type: string };
  }>("issue_comment", "created");
  payload.comment.body = text;
  payload.comment.user.type = "User";
  payload.sender.type = "User";
  // A GitHub App's deliveries name the installation (GitHub's examples are a repository hook's).
  return JSON.stringify({ ...payload, installation: { id: 1 } });
};

describe("the webhook pre-filter in front of Probot", () => {
  const received: string[] = [];
  const ignored: string[] = [];
  const bareReceived: string[] = [];
  let app: Awaited<ReturnType<typeof startServer>>;
  let bare: Awaited<ReturnType<typeof startServer>>;
  beforeAll(async () => {
    app = await startServer(true, received, ignored);
    bare = await startServer(false, bareReceived, []);
  });
  afterAll(async () => {
    for (const { server } of [app, bare])
      await new Promise<void>((resolve) => (server as Server).close(() => resolve()));
  });
  beforeEach(() => {
    received.length = 0;
    ignored.length = 0;
    bareReceived.length = 0;
  });

  it("answers a delivery no route acts on at once, without Probot, and counts it", async () => {
    const answers = [
      await post(app.url, "issue_comment", comment("LGTM, thanks! See /api/v1 for details.")),
      await post(app.url, "issues", JSON.stringify(webhookExample("issues", "opened"))),
      await post(app.url, "push", JSON.stringify(webhookExample("push"))),
    ];
    expect(answers).toEqual([
      { status: 200, body: "ok\n" },
      { status: 200, body: "ok\n" },
      { status: 200, body: "ok\n" },
    ]);
    expect(received).toEqual([]);
    expect(ignored).toEqual(["issue_comment.created", "issues.opened", "push"]);
  });

  it("answers a comment whose command GitHub does not show (code, HTML comment, quote) without Probot", async () => {
    for (const hidden of [
      "~~~\n```\n/deploy production\n```\n~~~",
      "Fine by me.\n\n<!--\n/deploy production\n-->",
      "> /deploy production",
    ])
      expect(await post(app.url, "issue_comment", comment(hidden))).toEqual({ status: 200, body: "ok\n" });
    expect(received).toEqual([]);
    expect(ignored).toEqual(["issue_comment.created", "issue_comment.created", "issue_comment.created"]);
  });

  it("hands a delivery a route accepts to Probot with its body unchanged (multi-byte text included)", async () => {
    const body = comment("Ready for the café ☕ release\r\n/release 1.2.0");
    const answer = await post(app.url, "issue_comment", body);
    // Probot verified the signature again over the body it was handed, and parsed it.
    expect(answer).toEqual({ status: 200, body: "ok\n" });
    expect(received).toEqual(["issue_comment.created"]);
    expect(ignored).toEqual([]);
  });

  it.each([
    ["signed with another secret", { signature: "sha256=" + "0".repeat(64) }],
    ["without a signature", { signature: null }],
    ["with a malformed signature", { signature: "sha256=zz" }],
    ["with a sha1-style signature", { signature: "sha1=0123456789abcdef0123456789abcdef01234567" }],
    ["sent as a form", { contentType: "application/x-www-form-urlencoded" }],
  ])("refuses a delivery %s exactly as Probot alone does, and processes nothing", async (_name, headers) => {
    for (const body of [comment("/release 1.2.0"), comment("no command here")]) {
      const answer = await post(app.url, "issue_comment", body, headers);
      const expected = await post(bare.url, "issue_comment", body, headers);
      expect(answer).toEqual(expected);
      expect(answer.status).toBeGreaterThanOrEqual(400);
      expect(answer.status).toBeLessThan(500);
    }
    expect(received).toEqual([]);
    expect(bareReceived).toEqual([]);
    expect(ignored).toEqual([]);
  });

  it("checks the signature over the bytes as sent: a body in several chunks, and an upper-case digest as Probot does", async () => {
    // Split inside the multi-byte characters: the digest is of the bytes, whatever the chunks.
    const body = Buffer.from(comment("Ready for the café ☕ release\r\n/release 1.2.0"));
    const signature = await sign(SECRET, body.toString("utf8"));
    const cut = body.indexOf("☕") + 1;
    const status = await postBytes(app.url, signature, "delivery-chunks", [
      body.subarray(0, cut),
      body.subarray(cut),
    ]);
    expect(status).toBe(200);
    expect(received).toEqual(["issue_comment.created"]);
    const upper = `sha256=${signature.slice("sha256=".length).toUpperCase()}`;
    const text = body.toString("utf8");
    const answer = await post(app.url, "issue_comment", text, { signature: upper });
    expect(answer).toEqual(await post(bare.url, "issue_comment", text, { signature: upper }));
    expect(answer.status).toBe(400);
    expect(received).toEqual(["issue_comment.created"]);
  });

  it("leaves a body that is not UTF-8 to Probot, which refuses it, even signed over its raw bytes", async () => {
    // 0xff never occurs in UTF-8 (https://encoding.spec.whatwg.org/#utf-8-decoder): Probot checks
    // the digest of the body as text, so it cannot match; the pre-filter must not accept it either.
    const text = comment("/release 1.2.0");
    const at = text.indexOf("/release");
    const body = Buffer.concat([
      Buffer.from(text.slice(0, at)),
      Buffer.from([0xff]),
      Buffer.from(text.slice(at)),
    ]);
    const signature = `sha256=${createHmac("sha256", SECRET).update(body).digest("hex")}`;
    const send = (url: string) => postBytes(url, signature, "delivery-not-utf8", [body]);
    const status = await send(app.url);
    expect(status).toBe(await send(bare.url));
    expect(status).toBe(400);
    expect(received).toEqual([]);
    expect(bareReceived).toEqual([]);
  });

  it("answers a signed body that is not a JSON object 400 with a fixed message, never the parser's", async () => {
    for (const body of ["{not json", "[1, 2]", "null", '"a string"', "1e999"]) {
      const answer = await post(app.url, "issue_comment", body);
      expect(answer).toEqual({
        status: 400,
        body: JSON.stringify({ error: "payload is not a JSON object" }),
      });
    }
    // Unsigned, it is Probot's refusal as ever: the signature is checked before the content.
    const unsigned = await post(app.url, "issue_comment", "{not json", { signature: null });
    expect(unsigned).toEqual(await post(bare.url, "issue_comment", "{not json", { signature: null }));
    expect(received).toEqual([]);
    expect(ignored).toEqual([]);
  });

  it("answers a signed delivery of an event no route listens to without parsing it; unsigned, Probot refuses it", async () => {
    expect(routes.some((r) => r.event.split(".")[0] === "create")).toBe(false);
    // Not even JSON: the body of an event nothing reads is never parsed.
    for (const body of [JSON.stringify(webhookExample("create")), "{not json"])
      expect(await post(app.url, "create", body)).toEqual({ status: 200, body: "ok\n" });
    expect(ignored).toEqual(["create", "create"]);
    const unsigned = await post(app.url, "create", "{}", { signature: null });
    expect(unsigned).toEqual(await post(bare.url, "create", "{}", { signature: null }));
    expect(unsigned.status).toBe(400);
    expect(received).toEqual([]);
    expect(ignored).toEqual(["create", "create"]);
  });

  it("answers a signed delivery a route would act on but without its repository or installation 400", async () => {
    const payload = JSON.parse(comment("/release 1.2.0")) as Record<string, unknown>;
    for (const drop of ["repository", "installation"]) {
      const body = JSON.stringify({
        ...payload,
        [drop]: undefined,
        installation: drop === "installation" ? null : { id: 1 },
      });
      const answer = await post(app.url, "issue_comment", body);
      expect(answer.status).toBe(400);
      expect(answer.body).toBe(
        JSON.stringify({ error: "payload lacks the repository or installation of the event" }),
      );
    }
    expect(received).toEqual([]);
  });

  it("leaves other paths and methods to Probot", async () => {
    const get = await fetch(app.url);
    const bareGet = await fetch(bare.url);
    expect({ status: get.status, body: await get.text() }).toEqual({
      status: bareGet.status,
      body: await bareGet.text(),
    });
    const elsewhere = await post(app.url.replace(WEBHOOK_PATH, "/elsewhere"), "push", "{}");
    expect(elsewhere).toEqual({ status: 404, body: "not found" });
    expect(ignored).toEqual([]);
  });
});
