import { createHmac, randomUUID } from "node:crypto";
import { WEBHOOK_SECRET } from "../../../sandbox/harness/e2e.js";

export interface PostOptions {
  secret?: string;
  /** Replaces the computed signature header (undefined: computed; null: left out). */
  signature?: string | null;
  deliveryId?: string;
}

/** POSTs one webhook the way GitHub does (HMAC-SHA256 of the raw body) and returns the status. */
export const postWebhook = async (
  url: string,
  event: string,
  body: string,
  options: PostOptions = {},
): Promise<{ status: number; text: string }> => {
  const signature =
    options.signature === undefined
      ? `sha256=${createHmac("sha256", options.secret ?? WEBHOOK_SECRET)
          .update(body)
          .digest("hex")}`
      : options.signature;
  const headers: Record<string, string> = {
    "content-type": "application/json",
    "x-github-event": event,
    "x-github-delivery": options.deliveryId ?? randomUUID(),
    "user-agent": "GitHub-Hookshot/reliability",
  };
  if (signature !== null) headers["x-hub-signature-256"] = signature;
  const response = await fetch(url, { method: "POST", headers, body });
  return { status: response.status, text: await response.text() };
};
