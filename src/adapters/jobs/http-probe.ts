/** The Probe port over fetch: GET with a timeout, 2xx is healthy. */
import type { Probe } from "../../ports/deployments.js";

export const httpProbe =
  (timeoutMs = 5000): Probe =>
  async (url) => {
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs), redirect: "follow" });
      await response.arrayBuffer(); // drain, so the socket is released
      return response.ok
        ? { ok: true, status: response.status }
        : { ok: false, detail: `answered ${response.status}` };
    } catch (e) {
      return {
        ok: false,
        detail: e instanceof Error ? (e.cause instanceof Error ? e.cause.message : e.message) : String(e),
      };
    }
  };
