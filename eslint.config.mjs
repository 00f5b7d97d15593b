// @ts-check
import eslint from "@eslint/js";
import tseslint from "typescript-eslint";
import { importX } from "eslint-plugin-import-x";
import { createTypeScriptImportResolver } from "eslint-import-resolver-typescript";

/**
 * The layering CONTRIBUTING.md promises, as lint rules: each entry forbids the files of a folder (and
 * of its subfolders) to import from the places named (relative import specifiers, matched as regular
 * expressions). General folders come before the folders inside them. Data flows one
 * way: sdk → provider (resources → collections → client) → API; the emulator is a separate server.
 * tests/unit/lint-layering.test.ts proves each rule fires on a deliberately bad file.
 */
const ROOT_FOLDERS = "(sdk|emulator|scripts|testing|bench|cli|tests|examples)";
const layers = [
  {
    folder: "provider",
    regex: `^(\\.\\./)+${ROOT_FOLDERS}(/|$)`,
    message:
      "provider/ runs inside the Pulumi provider process: it never imports sdk/, emulator/, cli/, scripts/, testing/, bench/ or tests/.",
  },
  {
    folder: "provider/client",
    regex: "^(\\.\\./)+(settings|context|collections|resources|resource|inputs|batch|apis)(/|$)",
    message:
      "provider/client/ knows nothing of settings, context, collections or resources: it imports only its own files, ../rules and ../json-schema.",
  },
  {
    folder: "provider/collections",
    regex: "^\\.\\./(resources|resource)(/|$)",
    message: "provider/collections/ serves the resources and never imports them.",
  },
  {
    folder: "provider/resources",
    regex: "^\\./",
    message:
      "A resource file never imports another resource file: put the shared rule in its collection's layer (provider/collections/).",
  },
  {
    folder: "emulator",
    regex: `^(\\.\\./)+(provider|sdk|scripts|testing|bench|cli|tests|examples)(/|$)`,
    message:
      "The emulator is our own reading of the API, shipped on its own: it imports nothing from provider/, sdk/ or the repository's tooling.",
  },
  {
    folder: "sdk",
    regex: `^(\\.\\./)+(emulator|scripts|testing|bench|cli|tests|examples)(/|$)`,
    message:
      "sdk/ is what a Pulumi program imports: it may use provider/, never the emulator or the repository's tooling.",
  },
  {
    folder: "cli",
    regex: `^(\\.\\./)+(sdk|emulator|scripts|testing|bench|tests|examples)(/|$)`,
    message:
      "cli/ runs on the clients and collections of provider/: it never imports sdk/, the emulator or the repository's tooling.",
  },
  {
    folder: "testing",
    regex: `^(\\.\\./)+(tests|bench)(/|$)`,
    message: "testing/ is the harness that tests, the demo and the bench share: it never imports them.",
  },
];

export default tseslint.config(
  {
    ignores: [
      "dist/**",
      "node_modules/**",
      "examples/**/node_modules/**",
      "examples/**/dist/**",
      "bench/results/**",
    ],
  },
  eslint.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ["**/*.ts"],
    plugins: { "import-x": importX },
    settings: {
      "import-x/extensions": [".ts", ".js"],
      "import-x/parsers": { "@typescript-eslint/parser": [".ts"] },
      "import-x/resolver-next": [createTypeScriptImportResolver({ project: "./tsconfig.json" })],
    },
    rules: {
      "@typescript-eslint/no-explicit-any": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      eqeqeq: ["error", "always", { null: "ignore" }],
      "import-x/no-cycle": ["error", { ignoreExternal: true }],
    },
  },
  // A file obeys the rules of its folder and of every folder above it (flat config keeps only the
  // last matching options of a rule, so each folder's entry carries its ancestors' patterns too).
  ...layers.map(({ folder }) => ({
    files: [`${folder}/**/*.ts`],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: layers
            .filter((outer) => folder === outer.folder || folder.startsWith(`${outer.folder}/`))
            .map(({ regex, message }) => ({ regex, message })),
        },
      ],
    },
  })),
  {
    files: ["tests/**/*.ts"],
    rules: { "@typescript-eslint/no-unused-expressions": "off" },
  },
  {
    files: ["scripts/**/*.js", "**/*.cjs"],
    languageOptions: {
      sourceType: "commonjs",
      globals: {
        require: "readonly",
        module: "writable",
        __dirname: "readonly",
        process: "readonly",
        console: "readonly",
      },
    },
    rules: { "@typescript-eslint/no-require-imports": "off" },
  },
);
