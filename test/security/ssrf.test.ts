import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { httpProbe } from "../../src/adapters/jobs/http-probe.js";
import {
  createCheckedLookup,
  describeOutboundError,
  guardedFetch,
} from "../../src/adapters/outbound/guarded-fetch.js";
import { isRefusedAddress } from "../../src/adapters/outbound/refused-address.js";
import { defaultOperatorSettings } from "../../src/config/operator-settings.js";

// Ranges from IANA's IPv4 and IPv6 Special-Purpose Address Registries (RFC 6890) and the cloud
// metadata endpoints of AWS (169.254.169.254, fd00:ec2::254), GCP and Azure (169.254.169.254).
const refused = [
  "0.0.0.0",
  "10.1.2.3",
  "100.64.0.1",
  "127.0.0.1",
  "127.255.255.254",
  "169.254.169.254",
  "172.16.0.1",
  "172.31.255.255",
  "192.168.1.1",
  "224.0.0.1",
  "255.255.255.255",
  "::",
  "::1",
  "fe80::1%eth0",
  "fd00:ec2::254",
  "fc00::1",
  "::ffff:127.0.0.1",
  "::ffff:7f00:1", // the same, as WHATWG URL writes it
  "::ffff:169.254.169.254",
  "::ffff:a9fe:a9fe",
  "64:ff9b::a9fe:a9fe", // NAT64 of the metadata address
  "2002:7f00:1::", // 6to4 of 127.0.0.1
  "::127.0.0.1", // IPv4-compatible
  "not-an-address",
];
const allowed = [
  "8.8.8.8",
  "140.82.112.3",
  "172.32.0.1",
  "100.128.0.1",
  "2606:4700:4700::1111",
  "::ffff:8.8.8.8",
];

describe("which addresses an outbound request may reach", () => {
  it.each(refused)("refuses %s", (address) => expect(isRefusedAddress(address)).toBe(true));
  it.each(allowed)("allows %s", (address) => expect(isRefusedAddress(address)).toBe(false));
});

describe("the connection's own lookup", () => {
  const lookup = (answers: string[][]) => {
    let call = 0;
    return createCheckedLookup({
      resolve: (_host, _options, callback) =>
        callback(
          null,
          (answers[call++] ?? []).map((address) => ({ address, family: address.includes(":") ? 6 : 4 })),
        ),
    });
  };
  const ask = (fn: ReturnType<typeof lookup>, all = false) =>
    new Promise<{ err: unknown; address: unknown }>((resolve) =>
      fn("mlflow.example", { all }, (err, address) => resolve({ err, address })),
    );

  it("refuses a name when any of its addresses is private, not only the first", async () => {
    const { err } = await ask(lookup([["93.184.216.34", "10.0.0.5"]]), true);
    expect(describeOutboundError(err)).toBe("refused: the address is loopback, link-local or private");
  });

  it("answers only the addresses it checked, and checks again at each connection (DNS rebinding)", async () => {
    const rebinding = lookup([["93.184.216.34"], ["127.0.0.1"]]);
    await expect(ask(rebinding)).resolves.toEqual({ err: null, address: "93.184.216.34" });
    const second = await ask(rebinding);
    expect(second.address).toEqual([]);
    expect(describeOutboundError(second.err)).toMatch(/^refused/);
  });
});

describe("guarded fetch and the health-check probe", () => {
  let server: Server;
  let port: number;
  const hits: string[] = [];
  beforeAll(async () => {
    server = createServer((req, res) => {
      hits.push(req.url ?? "");
      if (req.url === "/hop") {
        res.writeHead(302, { location: `http://127.0.0.2:${String(port)}/meta` }).end();
        return;
      }
      res.writeHead(200, { "content-type": "text/plain" }).end("ok");
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const refusedProbe = httpProbe(defaultOperatorSettings().outbound, 2000);

  it.each([
    (p: number) => `http://127.0.0.1:${String(p)}/health`,
    (p: number) => `http://localhost:${String(p)}/health`,
    (p: number) => `http://[::ffff:127.0.0.1]:${String(p)}/health`,
    (p: number) => `http://2130706433:${String(p)}/health`,
    () => "http://169.254.169.254/latest/meta-data/iam/security-credentials/",
    () => "http://[fd00:ec2::254]/latest/meta-data/",
  ])("with the default settings, refuses health URL %# before a byte is sent", async (url) => {
    const before = hits.length;
    await expect(refusedProbe(url(port))).resolves.toEqual({
      ok: false,
      detail: "refused: the address is loopback, link-local or private",
    });
    expect(hits).toHaveLength(before);
  });

  it("reaches loopback when the operator allows private addresses", async () => {
    const allowed = httpProbe({ allowPrivateAddresses: true }, 2000);
    await expect(allowed(`http://127.0.0.1:${String(port)}/health`)).resolves.toEqual({
      ok: true,
      status: 200,
    });
  });

  it("checks every redirect hop: a redirect to a refused address is not followed", async () => {
    // 127.0.0.1 stands in for a public address here; every other address keeps its rule.
    const fetchHop = guardedFetch(
      { allowPrivateAddresses: false },
      { isRefused: (address) => address !== "127.0.0.1" && isRefusedAddress(address) },
    );
    const before = hits.length;
    const failure = await fetchHop(`http://127.0.0.1:${String(port)}/hop`).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(describeOutboundError(failure)).toMatch(/^refused/);
    expect(hits.slice(before)).toEqual(["/hop"]);
  });

  it("does not follow a redirect of a POST", async () => {
    const fetchHop = guardedFetch(
      { allowPrivateAddresses: false },
      { isRefused: (address) => address !== "127.0.0.1" && isRefusedAddress(address) },
    );
    const response = await fetchHop(`http://127.0.0.1:${String(port)}/hop`, { method: "POST", body: "{}" });
    expect(response.status).toBe(302);
  });

  it("tells a health check that does not answer in time as timed out", async () => {
    const slow = createServer(() => undefined); // accepts, never answers
    await new Promise<void>((resolve) => slow.listen(0, "127.0.0.1", resolve));
    const slowPort = (slow.address() as AddressInfo).port;
    const probe = httpProbe({ allowPrivateAddresses: true }, 300);
    await expect(probe(`http://127.0.0.1:${String(slowPort)}/`)).resolves.toEqual({
      ok: false,
      detail: "timed out",
    });
    slow.closeAllConnections();
    await new Promise<void>((resolve) => slow.close(() => resolve()));
  });

  it("tells a failure by its kind, never by its text", async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const closedPort = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const allowed = httpProbe({ allowPrivateAddresses: true }, 2000);
    await expect(allowed(`http://127.0.0.1:${String(closedPort)}/`)).resolves.toEqual({
      ok: false,
      detail: "could not connect",
    });
    const pem = "-----BEGIN RSA PRIVATE KEY-----\nMIIE\n-----END RSA PRIVATE KEY-----";
    const headerError = await fetch(`http://127.0.0.1:${String(port)}/`, {
      headers: { authorization: `Bearer ${pem}` },
    }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(describeOutboundError(headerError)).toBe("request failed");
  });
});
