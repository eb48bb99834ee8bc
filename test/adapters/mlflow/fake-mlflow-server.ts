import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";

interface Version {
  name: string;
  version: string;
  current_stage: string;
  run_id: string;
  aliases?: string[];
}

/** A local stand-in for an MLflow tracking server's documented REST endpoints. */
export interface FakeMlflow {
  url: string;
  token: string;
  versions: Version[];
  runs: Record<string, { key: string; value: number }[]>;
  tags: { name: string; version: string; key: string; value: string }[];
  requests: string[];
  close(): Promise<void>;
}

const readBody = async (req: IncomingMessage): Promise<string> => {
  let s = "";
  for await (const chunk of req) s += String(chunk);
  return s;
};

const version = (v: Version) => ({
  ...v,
  creation_timestamp: 1736937600000,
  last_updated_timestamp: 1736937600000,
  source: `mlflow-artifacts:/1/${v.run_id}/artifacts/model`,
  status: "READY",
});

export const startFakeMlflow = async (): Promise<FakeMlflow> => {
  const state: Omit<FakeMlflow, "url" | "close"> = {
    token: "s3cret",
    versions: [],
    runs: {},
    tags: [],
    requests: [],
  };
  const server: Server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? "/", "http://x");
      const q = url.searchParams;
      state.requests.push(`${req.method ?? "?"} ${url.pathname}${url.search}`);
      const send = (status: number, body: unknown) => {
        res.writeHead(status, { "content-type": "application/json" });
        res.end(JSON.stringify(body));
      };
      const missing = (what: string) => send(404, { error_code: "RESOURCE_DOES_NOT_EXIST", message: what });
      if (req.headers.authorization !== `Bearer ${state.token}`) {
        send(401, { error_code: "UNAUTHENTICATED", message: "Credentials were not supplied" });
        return;
      }
      const route = `${req.method ?? ""} ${url.pathname}`;
      const byName = state.versions.filter((v) => v.name === q.get("name"));
      switch (route) {
        case "GET /api/2.0/mlflow/registered-models/get-latest-versions": {
          if (byName.length === 0)
            return missing(`Registered Model with name=${q.get("name") ?? ""} not found`);
          const stages = q.getAll("stages");
          const latest = new Map<string, Version>();
          for (const v of byName) {
            if (stages.length > 0 && !stages.includes(v.current_stage)) continue;
            const seen = latest.get(v.current_stage);
            if (!seen || Number(seen.version) < Number(v.version)) latest.set(v.current_stage, v);
          }
          // MLflow omits empty lists from its JSON.
          return send(200, latest.size === 0 ? {} : { model_versions: [...latest.values()].map(version) });
        }
        case "GET /api/2.0/mlflow/model-versions/get": {
          const v = byName.find((x) => x.version === q.get("version"));
          return v
            ? send(200, { model_version: version(v) })
            : missing(
                `Model Version (name=${q.get("name") ?? ""}, version=${q.get("version") ?? ""}) not found`,
              );
        }
        case "GET /api/2.0/mlflow/registered-models/alias": {
          const v = byName.find((x) => x.aliases?.includes(q.get("alias") ?? ""));
          return v
            ? send(200, { model_version: version(v) })
            : missing(`alias ${q.get("alias") ?? ""} not found`);
        }
        case "GET /api/2.0/mlflow/runs/get": {
          const id = q.get("run_id") ?? "";
          const metrics = state.runs[id];
          if (!metrics) return missing(`Run '${id}' not found`);
          return send(200, {
            run: {
              info: {
                run_id: id,
                run_uuid: id,
                experiment_id: "1",
                status: "FINISHED",
                start_time: 1,
                end_time: 2,
                lifecycle_stage: "active",
              },
              data: {
                metrics: metrics.map((m) => ({ ...m, timestamp: 1736937600000, step: 0 })),
                params: [{ key: "max_depth", value: "6" }],
                tags: [],
              },
              inputs: {},
            },
          });
        }
        case "POST /api/2.0/mlflow/model-versions/set-tag": {
          const body = JSON.parse(await readBody(req)) as {
            name: string;
            version: string;
            key: string;
            value: string;
          };
          if (!state.versions.some((v) => v.name === body.name && v.version === body.version))
            return missing("model version not found");
          state.tags.push(body);
          return send(200, {});
        }
        case "GET /api/2.0/mlflow/broken":
          res.writeHead(200, { "content-type": "text/html" });
          return res.end("<html>proxy error</html>");
        default:
          return send(404, { error_code: "ENDPOINT_NOT_FOUND", message: `No API endpoint for ${route}` });
      }
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(state, {
    url: `http://127.0.0.1:${String(port)}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((e) => (e ? reject(e) : resolve()));
      }),
  });
};
