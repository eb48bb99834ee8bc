/** `npm start`: the app with its settings from the environment (see .env.example). */
import { startFromEnv } from "./start-from-env.js";

await startFromEnv();
