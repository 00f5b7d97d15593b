/**
 * What this package says about itself in its package.json: its version and the versions it
 * supports, for `--version` and for the generated project's dependencies.
 */
import * as fs from "fs";
import * as path from "path";
import type { DependencyVersions } from "./generate";

/** The fields read from this package's package.json. */
interface PackageJson {
  readonly name?: string;
  readonly version?: string;
  readonly peerDependencies?: Record<string, string>;
  readonly devDependencies?: Record<string, string>;
}

let cached: PackageJson | undefined;

/** This package's package.json (found from the compiled file, `dist/cli/`, two levels up). */
function packageJson(): PackageJson {
  if (cached) return cached;
  for (const up of [path.join(__dirname, "..", ".."), path.join(__dirname, "..")]) {
    const file = path.join(up, "package.json");
    if (!fs.existsSync(file)) continue;
    const parsed = JSON.parse(fs.readFileSync(file, "utf8")) as PackageJson;
    if (parsed.name === "pulumi-mode") return (cached = parsed);
  }
  throw new Error(`pulumi-mode's package.json was not found above ${__dirname}: reinstall the package`);
}

/** This package's version. */
export function packageVersion(): string {
  return packageJson().version ?? "0.0.0";
}

/** The dependency versions a generated project declares. */
export function dependencyVersions(): DependencyVersions {
  const pkg = packageJson();
  return {
    pulumiMode: `^${packageVersion()}`,
    pulumi: pkg.peerDependencies?.["@pulumi/pulumi"] ?? "^3.0.0",
    typescript: pkg.devDependencies?.typescript ?? "^5.0.0",
    typesNode: pkg.devDependencies?.["@types/node"] ?? "^20.0.0",
  };
}
