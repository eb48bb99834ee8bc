// The baseline the bench compares the app with: a Probot app with no handlers at all, behind
// the same webhook middleware, path and secret, with a `/healthz` answering as the app's does.
// Plain JavaScript run by plain `node`, as the app's compiled `lib/` is, so neither side pays a
// loader's transform. Environment: APP_ID, PRIVATE_KEY, WEBHOOK_SECRET, PORT_FILE.
import { writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { createNodeMiddleware, Probot } from "probot";
import { pino } from "pino";

const probot = new Probot({
  appId: Number(process.env.APP_ID),
  privateKey: process.env.PRIVATE_KEY,
  secret: process.env.WEBHOOK_SECRET,
  log: pino({ level: process.env.LOG_LEVEL ?? "warn" }),
});
const middleware = await createNodeMiddleware(() => undefined, {
  probot,
  webhooksPath: "/api/github/webhooks",
});
const server = createServer((req, res) => {
  if (req.method === "GET" && req.url === "/healthz") {
    res.writeHead(200, { "content-type": "application/json" }).end('{"status":"ok"}');
    return;
  }
  void middleware(req, res);
});
server.listen(0, "127.0.0.1", () => {
  const address = server.address();
  if (process.env.PORT_FILE && address && typeof address === "object")
    writeFileSync(process.env.PORT_FILE, String(address.port));
});
process.on("SIGTERM", () => server.close(() => process.exit(0)));
