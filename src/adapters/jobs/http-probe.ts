/**
 * The Probe port over fetch: GET with a timeout, 2xx is healthy. The URL comes from a
 * repository's config, so the request follows the operator's outbound rules (no loopback,
 * link-local or private address unless allowed, each redirect hop checked), and a failure is told
 * in a fixed phrase, never the error's text.
 */
import type { Probe } from "../../ports/deployments.js";
import {
  describeOutboundError,
  describeStatus,
  guardedFetch,
  type OutboundRules,
} from "../outbound/guarded-fetch.js";

export const httpProbe = (outbound: OutboundRules, timeoutMs = 5000): Probe => {
  const doFetch = guardedFetch(outbound);
  return async (url) => {
    try {
      const response = await doFetch(url, { signal: AbortSignal.timeout(timeoutMs), redirect: "follow" });
      await response.arrayBuffer(); // drain, so the socket is released
      return response.ok
        ? { ok: true, status: response.status }
        : { ok: false, detail: describeStatus(response.status) };
    } catch (e) {
      return { ok: false, detail: describeOutboundError(e) };
    }
  };
};
