import type { RequestRecord } from "../sandbox/github/index.js";

const WRITE = new Set(["POST", "PATCH", "PUT", "DELETE"]);

/** The bot's API calls of one step, as readable lines: writes in full, reads summed up. */
export const describeCalls = (requests: readonly RequestRecord[]): string[] => {
  const fromApp = requests.filter((r) => r.fromApp && !r.path.startsWith("/_sandbox/"));
  const writes = fromApp
    .filter((r) => WRITE.has(r.method) && !r.path.includes("/access_tokens"))
    .map((r) => `${r.method} ${r.path.replace(/^\/repos\/[^/]+\/[^/]+/, "")} → ${r.status}`);
  const reads = fromApp.length - writes.length;
  return [...writes, `${reads} reads, ${fromApp.length} API calls in all`];
};
