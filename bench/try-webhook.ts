import { benchWebhooks } from "./webhook-overhead.js";
console.log(JSON.stringify(await benchWebhooks({ rounds: 2, seconds: 2 }), null, 1));
