// The `load` hook (https://nodejs.org/api/module.html#loadurl-context-nextload): appends
// "<epoch ms>\t<url>" to the file MODULE_LOG names once a module's source is loaded. The hooks run
// on their own thread, so the app's own event loop does not see them.
import { appendFileSync } from "node:fs";

const out = process.env.MODULE_LOG;

export async function load(url, context, nextLoad) {
  const loaded = await nextLoad(url, context);
  if (out) appendFileSync(out, `${Date.now()}\t${url}\n`);
  return loaded;
}
