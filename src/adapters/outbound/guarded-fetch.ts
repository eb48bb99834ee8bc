/**
 * fetch for requests made on a repository's behalf (MLflow, deploy health checks), with the
 * operator's outbound rules: unless `outbound.allowPrivateAddresses` is set, no request reaches a
 * loopback, link-local (cloud metadata) or private address (see refused-address.ts).
 *
 * Every address a host name resolves to is checked inside the connection's own DNS lookup
 * (undici's `connect.lookup`, handed to net.connect / tls.connect), and the socket connects to
 * the address that was checked: a DNS answer that changes between a check and the connection
 * (DNS rebinding) cannot slip through. IP literals skip DNS, so they are checked before the
 * request. Redirects are followed by hand (`redirect: "manual"`), each hop checked the same way,
 * and only for GET and HEAD (the Fetch standard turns a redirected POST into a GET).
 */
import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from "node:dns";
import { isIP } from "node:net";
import type { Agent, fetch as UndiciFetch } from "undici";
import { isRefusedAddress } from "./refused-address.js";

export interface OutboundRules {
  allowPrivateAddresses: boolean;
}

const REFUSED = "ERR_OUTBOUND_ADDRESS_REFUSED";
const MAX_REDIRECTS = 5;

/** Thrown (as a fetch error's cause) when a request would reach a refused address. */
export class RefusedAddressError extends Error {
  readonly code = REFUSED;
  constructor(host: string) {
    super(`outbound requests to ${host} are not allowed: it is a loopback, link-local or private address`);
  }
}

type LookupCallback = (
  err: NodeJS.ErrnoException | null,
  address: string | LookupAddress[],
  family?: number,
) => void;

type Resolve = (
  hostname: string,
  options: LookupOptions & { all: true },
  callback: (err: NodeJS.ErrnoException | null, addresses: LookupAddress[]) => void,
) => void;

/** What decides: the address list (tests pass another to stand in for DNS or for a range). */
export interface OutboundChecks {
  resolve?: Resolve;
  isRefused?: (address: string) => boolean;
}

/**
 * A dns.lookup that fails when any address of the answer is refused, and otherwise answers
 * exactly the checked addresses (one or all, as net.connect asks: `all` with autoSelectFamily).
 * It runs for each connection, so the address connected to is always the one just checked.
 */
export const createCheckedLookup =
  ({ resolve = dnsLookup as Resolve, isRefused = isRefusedAddress }: OutboundChecks = {}) =>
  (hostname: string, options: LookupOptions, callback: LookupCallback): void => {
    resolve(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, []);
      const [first] = addresses;
      if (first === undefined || addresses.some((a) => isRefused(a.address))) {
        return callback(new RefusedAddressError(hostname), []);
      }
      if (options.all) return callback(null, addresses);
      callback(null, first.address, first.family);
    });
  };

interface Undici {
  Agent: typeof Agent;
  fetch: typeof UndiciFetch;
}
let undici: Promise<Undici> | undefined;

/**
 * undici, loaded on the first guarded request. Loading it installs its Agent as the global
 * dispatcher of Node's own fetch (the `undici.globalDispatcher.1` symbol), which Octokit uses:
 * Node's own dispatcher is put back, so only the guarded requests go through undici's.
 */
const loadUndici = (): Promise<Undici> =>
  (undici ??= (async () => {
    const legacy = Symbol.for("undici.globalDispatcher.1");
    const global = globalThis as unknown as Record<symbol, unknown>;
    void globalThis.fetch; // Node registers its own dispatcher when fetch is first touched
    const before = global[legacy];
    const loaded = await import("undici");
    if (before !== undefined) global[legacy] = before;
    return { Agent: loaded.Agent, fetch: loaded.fetch };
  })());

const agents = new WeakMap<OutboundChecks, Agent>();
const DEFAULT_CHECKS: OutboundChecks = {};
const agentFor = async (checks: OutboundChecks): Promise<Agent> => {
  const { Agent: UndiciAgent } = await loadUndici();
  let agent = agents.get(checks);
  if (!agent) {
    agent = new UndiciAgent({ connect: { lookup: createCheckedLookup(checks) } });
    agents.set(checks, agent);
  }
  return agent;
};

const literalHost = (url: URL): string | undefined => {
  const host = url.hostname.replace(/^\[(.*)\]$/, "$1");
  return isIP(host) ? host : undefined;
};

/** Refuses a URL before any connection: not http(s), or an IP literal that is refused. */
const checkUrl = (url: URL, isRefused: (address: string) => boolean): void => {
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new TypeError("fetch failed", { cause: new RefusedAddressError(url.protocol) });
  }
  const literal = literalHost(url);
  // WHATWG URL parsing already turned 2130706433, 0x7f.1 and 127.1 into 127.0.0.1.
  if (literal !== undefined && isRefused(literal)) {
    throw new TypeError("fetch failed", { cause: new RefusedAddressError(literal) });
  }
};

const isRedirect = (status: number) => [301, 302, 303, 307, 308].includes(status);

/** fetch under the operator's outbound rules (plain fetch when private addresses are allowed). */
export const guardedFetch = (rules: OutboundRules, checks: OutboundChecks = {}): typeof fetch => {
  if (rules.allowPrivateAddresses) return (input, init) => fetch(input, init);
  const isRefused = checks.isRefused ?? isRefusedAddress;
  const shared = checks.resolve || checks.isRefused ? checks : DEFAULT_CHECKS;
  const guarded = async (input: string | URL | Request, init: RequestInit = {}): Promise<Response> => {
    let url = new URL(input instanceof Request ? input.url : String(input));
    const method = (init.method ?? "GET").toUpperCase();
    const follow = (init.redirect ?? "follow") === "follow" && (method === "GET" || method === "HEAD");
    for (let hop = 0; ; hop++) {
      checkUrl(url, isRefused);
      const [{ fetch: undiciFetch }, agent] = await Promise.all([loadUndici(), agentFor(shared)]);
      const response = (await undiciFetch(url, {
        ...(init as Parameters<typeof UndiciFetch>[1]),
        redirect: "manual",
        dispatcher: agent,
      })) as unknown as Response;
      const location = response.headers.get("location");
      if (!follow || !isRedirect(response.status) || location === null) return response;
      await response.body?.cancel();
      if (hop >= MAX_REDIRECTS)
        throw new TypeError("fetch failed", { cause: new Error("redirect count exceeded") });
      url = new URL(location, url);
    }
  };
  return guarded as typeof fetch;
};

const causes = (error: unknown): unknown[] => {
  const chain: unknown[] = [];
  for (let e = error; e !== undefined && e !== null && chain.length < 5; e = (e as { cause?: unknown }).cause)
    chain.push(e);
  return chain;
};

/**
 * What a failed outbound request may tell a check run, a comment or a log: a fixed phrase chosen
 * by the error's kind, never its text (Node quotes an invalid header value, a token included, in
 * its TypeError; a server's answer may echo what it received).
 */
export const describeOutboundError = (error: unknown): string => {
  const chain = causes(error);
  const codes = chain.map((e) => (e as { code?: unknown }).code);
  const names = chain.map((e) => (e as { name?: unknown }).name);
  if (codes.includes(REFUSED)) return "refused: the address is loopback, link-local or private";
  if (
    names.includes("TimeoutError") ||
    names.includes("AbortError") ||
    codes.includes("UND_ERR_CONNECT_TIMEOUT")
  )
    return "timed out";
  if (codes.includes("ENOTFOUND") || codes.includes("EAI_AGAIN")) return "host not found";
  if (
    codes.some(
      (c) => c === "ECONNREFUSED" || c === "ECONNRESET" || c === "EHOSTUNREACH" || c === "ENETUNREACH",
    )
  )
    return "could not connect";
  if (codes.some((c) => typeof c === "string" && /^(ERR_TLS|CERT_|DEPTH_ZERO|UNABLE_TO|SELF_SIGNED)/.test(c)))
    return "TLS handshake failed";
  return "request failed";
};

/** `answered 503` → the status code's class, never the body. */
export const describeStatus = (status: number): string =>
  `answered ${status} (${status >= 500 ? "server error" : status >= 400 ? "client error" : status >= 300 ? "redirect" : "unexpected"})`;
