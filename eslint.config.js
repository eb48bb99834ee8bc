import js from "@eslint/js";
import regexp from "eslint-plugin-regexp";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["lib/", "node_modules/", "coverage/", "bench/results.json"] },
  js.configs.recommended,
  ...tseslint.configs.strict,
  ...tseslint.configs.stylistic,
  {
    languageOptions: {
      globals: {
        process: "readonly",
        console: "readonly",
        URL: "readonly",
        Buffer: "readonly",
        setTimeout: "readonly",
        clearTimeout: "readonly",
        setInterval: "readonly",
        clearInterval: "readonly",
      },
    },
    rules: {
      "@typescript-eslint/no-non-null-assertion": "off",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/no-dynamic-delete": "off",
      "@typescript-eslint/no-extraneous-class": "off",
    },
  },
  {
    // The app trusts nothing it is given: what may be absent is checked, not asserted. An answer
    // that enters from GitHub, Kubernetes or HTTP is checked where it enters (an adapter), and the
    // layers inward see types that already say what may be absent.
    files: ["src/**/*.ts"],
    rules: { "@typescript-eslint/no-non-null-assertion": "error" },
  },
  {
    // Unchecked casts sit where payloads and API answers enter (adapters, the composition root's
    // webhook entry) and nowhere else: inward, a type is narrowed by checking, never asserted.
    files: ["src/**/*.ts"],
    ignores: ["src/adapters/**", "src/composition/**"],
    rules: {
      "@typescript-eslint/consistent-type-assertions": [
        "error",
        { assertionStyle: "as", objectLiteralTypeAssertions: "never" },
      ],
      "no-restricted-syntax": [
        "error",
        {
          selector: "TSAsExpression > TSAsExpression.expression[typeAnnotation.type='TSUnknownKeyword']",
          message:
            "`as unknown as` belongs where data enters (src/adapters, src/composition); check the value instead.",
        },
      ],
    },
  },
  {
    // User text (comments, CHANGELOGs, PR bodies, check names) reaches the app's regexes: none may
    // backtrack super-linearly on any input, or one crafted string stalls the event loop.
    files: ["src/**/*.ts"],
    plugins: { regexp },
    rules: {
      "regexp/no-super-linear-backtracking": "error",
      "regexp/no-super-linear-move": "error",
    },
  },
);
