import { generateKeyPairSync } from "node:crypto";

let cached: string | undefined;

/** A throwaway RSA key for the App's JWT in tests and the demo (never a real credential). */
export const testPrivateKey = (): string => {
  cached ??= generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({
    type: "pkcs1",
    format: "pem",
  }) as string;
  return cached;
};
