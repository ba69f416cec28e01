// @ts-check
import eslint from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["node_modules/", "dist/", "coverage/", "**/*.js", "**/*.mjs", "**/*.cjs"] },
  eslint.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", ignoreRestSiblings: true },
      ],
      eqeqeq: ["error", "always"],
    },
  },
  {
    // The domain and evidence code is pure logic shared by the component, the policies and the CLI.
    files: ["src/domain/**/*.ts", "src/evidence/**/*.ts", "src/mocks/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: ["@pulumi/*"],
              message:
                "src/domain, src/evidence and src/mocks stay free of Pulumi: pass plain values in.",
            },
          ],
        },
      ],
    },
  },
  {
    // azure-native's root import doubles type-check time and memory: import a subpath.
    files: ["**/*.ts"],
    ignores: ["src/domain/**/*.ts", "src/evidence/**/*.ts", "src/mocks/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          paths: [
            {
              name: "@pulumi/azure-native",
              message: "Import a subpath, e.g. @pulumi/azure-native/compute.",
            },
          ],
        },
      ],
    },
  },
  {
    files: ["test/**/*.ts"],
    rules: {
      "@typescript-eslint/no-explicit-any": "off",
      "@typescript-eslint/no-non-null-assertion": "off",
    },
  },
);
