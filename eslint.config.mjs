import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";

const config = [
  ...nextVitals,
  ...nextTs,
  {
    ignores: [
      "node_modules/**",
      ".next/**",
      "data/**",
      ".tmp/**",
      "models/**",
      "test-results/**",
      "playwright-report/**",
      "next-env.d.ts",
    ],
  },
  {
    rules: {
      // Route params and test helpers legitimately use loose JSON bodies in tests only.
      "@typescript-eslint/no-explicit-any": "error",
    },
  },
  {
    // No import cycles anywhere (eslint-plugin-import, registered by eslint-config-next).
    files: ["**/*.ts", "**/*.tsx", "**/*.mjs", "**/*.js"],
    settings: { "import/ignore": ["node_modules"] },
    rules: { "import/no-cycle": ["error", { ignoreExternal: true }] },
  },
  {
    // Settings come from lib/config.ts (validated there) and are passed down.
    files: ["app/**/*.ts", "app/**/*.tsx", "lib/**/*.ts", "ml/**/*.ts", "db/**/*.ts"],
    ignores: ["lib/config.ts", "**/*.test.ts"],
    rules: {
      "no-restricted-properties": [
        "error",
        { object: "process", property: "env", message: "Read settings in lib/config.ts and pass them down." },
      ],
    },
  },
  {
    files: ["tests/**", "e2e/**"],
    rules: { "@typescript-eslint/no-explicit-any": "off" },
  },
  {
    // Dependencies point one way: db/ and ml/ never reach up into lib/ or app/.
    files: ["db/**/*.ts", "ml/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: ["@/lib/*", "@/app/*", "../lib/*", "../app/*"],
              message: "db/ and ml/ must not depend on lib/ or app/.",
            },
          ],
        },
      ],
    },
  },
  {
    files: ["lib/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        { patterns: [{ group: ["@/app/*"], message: "lib/ must not depend on app/." }] },
      ],
    },
  },
];

export default config;
