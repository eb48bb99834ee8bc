// Every delivery the sandbox emits is checked against GitHub's own JSON schemas of webhook
// payloads (@octokit/webhooks-schemas, generated from GitHub's webhook documentation:
// https://docs.github.com/en/webhooks/webhook-events-and-payloads), as every REST exchange is
// checked against the OpenAPI description. A mismatch is a sandbox violation.
import { createRequire } from "node:module";
import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import addFormatsModule from "ajv-formats";

interface Schema {
  definitions: Record<string, unknown>;
}

type Node = Record<string, unknown> & { properties?: Record<string, Record<string, unknown>> };

const NULLABLE_STRING = { oneOf: [{ type: "string" }, { type: "null" }] };

/**
 * @octokit/webhooks-schemas 7.6 predates a few fields GitHub now sends and documents in its
 * current webhook description (@octokit/openapi-webhooks-types, generated from GitHub's OpenAPI
 * `webhooks`): `user_view_type` on users (simple-user), `client_id` on apps (integration), and
 * on releases `immutable`, `updated_at` and a nullable `name` and `body` (webhooks_release_1).
 * These, and only these, are added to the schemas before any payload is checked.
 */
function amend(node: unknown): void {
  if (Array.isArray(node)) return node.forEach(amend);
  if (node === null || typeof node !== "object") return;
  const n = node as Node;
  for (const value of Object.values(n)) amend(value);
  const props = n.properties;
  if (!props) return;
  if ("login" in props && "gravatar_id" in props) props.user_view_type ??= { type: "string" };
  if ("slug" in props && "external_url" in props) props.client_id ??= NULLABLE_STRING;
  if ("tag_name" in props && "tarball_url" in props && "assets" in props) {
    props.immutable ??= { type: "boolean" };
    props.updated_at ??= { oneOf: [{ type: "string", format: "date-time" }, { type: "null" }] };
    props.name = NULLABLE_STRING;
    props.body = NULLABLE_STRING;
  }
}

let ajv: Ajv | undefined;
const validators = new Map<string, ValidateFunction | null>();

function compiler(): Ajv {
  if (ajv) return ajv;
  const schema = structuredClone(
    createRequire(import.meta.url)("@octokit/webhooks-schemas/schema.json") as Schema,
  );
  amend(schema.definitions);
  ajv = new Ajv({ strict: false, allErrors: true, logger: false, validateFormats: true });
  (addFormatsModule as unknown as (a: Ajv) => Ajv)(ajv);
  ajv.addSchema({ $id: "webhooks", definitions: schema.definitions });
  return ajv;
}

/**
 * The schema of one event and action: `check_run$rerequested`, else the event's union
 * (`push_event`, `create_event`, which have no action). Null when GitHub publishes none.
 */
function validatorFor(event: string, action: string | undefined): ValidateFunction | null {
  const key = `${event}$${action ?? ""}`;
  if (validators.has(key)) return validators.get(key)!;
  const a = compiler();
  const schema = a.getSchema("webhooks") as unknown as { schema: Schema };
  const defs = schema.schema.definitions;
  // Events without actions are named `push$event`, `create$event`; the rest `event$action`.
  const name = [`${event}$${action ?? "event"}`, `${event}_event`].find((n) => n in defs);
  const fn = name ? a.compile({ $ref: `webhooks#/definitions/${name}` }) : null;
  validators.set(key, fn);
  return fn;
}

function describe(error: ErrorObject): string {
  const extra =
    error.keyword === "additionalProperties"
      ? ` (${String((error.params as { additionalProperty: string }).additionalProperty)})`
      : error.keyword === "enum"
        ? ` (${JSON.stringify((error.params as { allowedValues: unknown }).allowedValues)})`
        : "";
  return `${error.instancePath || "/"} ${error.message ?? error.keyword}${extra}`;
}

/** Problems of one payload against GitHub's schema for its event and action; [] when valid. */
export function webhookViolations(event: string, payload: Record<string, unknown>): string[] {
  const action = typeof payload.action === "string" ? payload.action : undefined;
  const validate = validatorFor(event, action);
  const label = `webhook ${event}${action ? `.${action}` : ""}`;
  if (!validate) return [`${label}: GitHub publishes no schema for this event`];
  if (validate(payload)) return [];
  // A oneOf (an event's union, or a nullable object) reports every branch's errors; the deepest
  // path is the one that tells what is wrong.
  const errors = (validate.errors ?? []).filter((e) => e.keyword !== "oneOf" && e.keyword !== "anyOf");
  const shown = [...new Set(errors.map(describe))].slice(0, 20);
  return shown.map((m) => `${label}: ${m}`);
}
