/**
 * `npm start`: the app with its settings from the environment and `.env` (see .env.example). A
 * start-up error is one line on stderr and a non-zero exit: 2 for a setting to fix, 1 for
 * anything else.
 */
import { StartupError, startFromEnv } from "./composition/start-from-env.js";

try {
  await startFromEnv(process.env);
} catch (err) {
  const message = err instanceof Error ? err.message : String(err);
  console.error(`release-pilot: ${message.split("\n")[0]}`);
  process.exit(err instanceof StartupError ? 2 : 1);
}
