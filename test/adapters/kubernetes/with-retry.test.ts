import { afterEach, describe, expect, it, jest } from "@jest/globals";
import { ApiException } from "@kubernetes/client-node";
import { isTransient, withRetry } from "../../../src/adapters/kubernetes/with-retry.js";
import { toClusterError } from "../../../src/adapters/kubernetes/to-cluster-error.js";
import { ClusterError } from "../../../src/ports/cluster.js";

/** An attempt that fails with each of `failures` in turn, then answers "ok"; counts its calls. */
const failingWith = (...failures: unknown[]) => {
  let calls = 0;
  const attempt = async (): Promise<string> => {
    const failure = failures[calls++];
    if (failure === undefined) return "ok";
    throw failure;
  };
  return { attempt, calls: () => calls };
};

// The API server answers a Status with the HTTP code; client-node raises ApiException with it
// (https://kubernetes.io/docs/reference/using-api/api-concepts/#http-status-codes).
const http = (code: number) => new ApiException(code, `HTTP ${code}`, { kind: "Status", code }, {});
const toError = (e: unknown) => toClusterError(e, "get deployment prod/web");
const plainWrite = (e: ClusterError) => isTransient(e, true);
const preconditioned = (e: ClusterError) => isTransient(e, false);

/** The delays p-retry waits between attempts, read from its timers. */
const recordDelays = () => {
  const delays: number[] = [];
  const real = globalThis.setTimeout;
  jest.spyOn(globalThis, "setTimeout").mockImplementation(((fn: () => void, ms?: number) => {
    delays.push(ms ?? 0);
    return real(fn, 0);
  }) as typeof setTimeout);
  return delays;
};

afterEach(() => {
  jest.restoreAllMocks();
});

describe("withRetry", () => {
  it("retries 5xx, network failures and gateway timeouts, doubling the delay each time", async () => {
    const delays = recordDelays();
    const { attempt, calls } = failingWith(http(503), new TypeError("fetch failed"), http(504));
    await expect(withRetry(attempt, { retries: 3, backoffMs: 200 }, plainWrite, toError)).resolves.toBe("ok");
    expect(calls()).toBe(4);
    expect(delays).toEqual([200, 400, 800]);
  });

  it("gives up after the bound with the last failure as a ClusterError", async () => {
    recordDelays();
    const { attempt, calls } = failingWith(http(500), http(502), http(503), http(500));
    const failure = await withRetry(attempt, { retries: 2, backoffMs: 1 }, plainWrite, toError).catch(
      (e: unknown) => e,
    );
    expect(calls()).toBe(3);
    expect(failure).toBeInstanceOf(ClusterError);
    expect(failure).toMatchObject({ kind: "unavailable", status: 503 });
  });

  it("never repeats what is not transient: 404, 403, 422, or a 409 on a write with a precondition", async () => {
    for (const [error, retryable] of [
      [http(404), plainWrite],
      [http(403), plainWrite],
      [http(422), plainWrite],
      [http(409), preconditioned],
    ] as const) {
      const delays = recordDelays();
      const { attempt, calls } = failingWith(error);
      await expect(
        withRetry(attempt, { retries: 3, backoffMs: 1 }, retryable, toError),
      ).rejects.toMatchObject({
        status: error.code,
      });
      expect(calls()).toBe(1);
      expect(delays).toEqual([]);
      jest.restoreAllMocks();
    }
    const { attempt, calls } = failingWith(http(409));
    await expect(withRetry(attempt, { retries: 3, backoffMs: 1 }, plainWrite, toError)).resolves.toBe("ok");
    expect(calls()).toBe(2);
  });

  it("tries once when retries is 0, and maps what is not an Error", async () => {
    const { attempt, calls } = failingWith("socket hang up");
    await expect(withRetry(attempt, { retries: 0, backoffMs: 1 }, plainWrite, toError)).rejects.toMatchObject(
      {
        kind: "unavailable",
        message: "get deployment prod/web: socket hang up",
      },
    );
    expect(calls()).toBe(1);
  });
});
