// `node --import ./test/support/module-log/register.mjs …`: records every ES module the process
// loads (Node's module customization hooks, https://nodejs.org/api/module.html#customization-hooks).
import { register } from "node:module";

register("./hooks.mjs", import.meta.url);
