import js from "@eslint/js";
import tseslint from "typescript-eslint";

/**
 * The layers and what each may import (docs/ARCHITECTURE.md). A pattern is a
 * regular expression on the import's specifier, relative paths included.
 */
const layer = (files, forbidden) => ({
  files,
  rules: {
    "@typescript-eslint/no-restricted-imports": [
      "error",
      { patterns: forbidden.map(([regex, message]) => ({ regex, message })) },
    ],
  },
});

const PULUMI = ["^@pulumi/|^@pulumiverse/", "the pure core imports no Pulumi SDK: Pulumi code belongs in components/"];
const COMPONENTS = [
  "(^|/)components(/|$)",
  "the pure core imports nothing from components/ (components/ import the core)",
];
const ENTRY = [
  "(^|/)(cli|test|scripts|bench)(/|$)|^(\\.\\./)+(program|index|offline)$",
  "the CLI, the program, the package entries, tests, scripts and benchmarks sit above; nothing below imports them",
];

export default tseslint.config(
  {
    ignores: [
      "node_modules/",
      "dist/",
      "gateway/dist/",
      "backup/dist/",
      "renewer/dist/",
      "watchdog/dist/",
      "image/webclient/converse/",
      ".cache/",
      ".scratch/",
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: { process: "readonly", console: "readonly", require: "readonly", __dirname: "readonly" },
    },
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_" }],
    },
  },
  // Plain Node scripts that run before anything is built: CommonJS.
  {
    files: ["scripts/*.js", "bin/*.js", "policy/*.js"],
    languageOptions: { globals: { module: "readonly" } },
    rules: { "@typescript-eslint/no-require-imports": "off" },
  },
  layer(
    ["src/**/*.ts"],
    [
      PULUMI,
      COMPONENTS,
      ENTRY,
      [
        "(^|/)gateway/src/(?!contract$)",
        "of the upload gateway the core imports only its contract (gateway/src/contract.ts)",
      ],
      [
        "(^|/)backup/src/(?!contract$)",
        "of the backup runner the core imports only its contract (backup/src/contract.ts)",
      ],
      [
        "(^|/)renewer/src/(?!contract$)",
        "of the certificate renewer the core imports only its contract (renewer/src/contract.ts)",
      ],
      [
        "(^|/)watchdog/src/(?!contract$)",
        "of the watchdog the core imports only its contract (watchdog/src/contract.ts)",
      ],
    ],
  ),
  layer(["common/**/*.ts"], [PULUMI, ["^\\.\\./", "common/ imports nothing of the product: every layer stands on it"]]),
  layer(["image/contract.ts"], [["^\\.", "the Prosody image's contract is plain data: it imports nothing"]]),
  layer(
    ["gateway/src/**/*.ts"],
    [["(^|/)src(/|$)", "the upload gateway imports only common/ of the product"], PULUMI, COMPONENTS, ENTRY],
  ),
  layer(
    ["backup/src/**/*.ts"],
    [["(^|/)src(/|$)", "the backup runner imports only common/ of the product"], PULUMI, COMPONENTS, ENTRY],
  ),
  layer(
    ["renewer/src/**/*.ts"],
    [["(^|/)src(/|$)", "the certificate renewer imports only common/ of the product"], PULUMI, COMPONENTS, ENTRY],
  ),
  layer(
    ["watchdog/src/**/*.ts"],
    [
      PULUMI,
      COMPONENTS,
      [
        "(^|/)(test|scripts|bench)(/|$)|^(\\.\\./)+(program|index|offline)$",
        "the watchdog stands beside the CLI: it runs `check` (cli/check/) on the core, never the program, tests or scripts",
      ],
    ],
  ),
  layer(["components/**/*.ts"], [ENTRY]),
  {
    // The web client's page scripts run in the browser.
    files: ["image/webclient/*.js"],
    languageOptions: { globals: { customElements: "readonly", HTMLElement: "readonly" } },
  },
);
