/**
 * The package's public API, chosen on purpose: each entry of package.json
 * `exports` and every name it exports, values and types, pinned here. A name
 * added to or dropped from an entry fails this test until it is added here,
 * deliberately: once published, every exported name is a promise. The README,
 * the docs and the examples import only what the entries export.
 */
import { strict as assert } from "node:assert";
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import ts from "typescript";

const ROOT = join(__dirname, "..", "..");

const ENTRIES: Record<string, { source: string; names: string[] }> = {
  "@prosodystack/pulumi": {
    source: "index.ts",
    names: [
      "BackupTask",
      "ExistingAwsResources",
      "ExistingKubernetesResources",
      "ExistingResources",
      "ExistingRoute53Resources",
      "GivenSecrets",
      "PROSODY_STACK_TYPE",
      "ProsodyStack",
      "ProsodyStackArgs",
      "ProsodyStackOutputs",
      "ProsodyStackProvider",
      "SuiteSummary",
      "serveProvider",
    ],
  },
  "@prosodystack/pulumi/offline": {
    source: "offline.ts",
    names: [
      "BackupPlan",
      "BucketPlan",
      "Category",
      "CertificatePlan",
      "ComplianceReport",
      "ComponentKind",
      "ConditionName",
      "Dependency",
      "DeploymentPlan",
      "DeploymentSpec",
      "DeploymentSpecInput",
      "DnsPlan",
      "DnsRecord",
      "EnvironmentVariable",
      "InstallFrom",
      "LEVELS",
      "Level",
      "LevelResult",
      "Listener",
      "MODULES",
      "ModuleKind",
      "ModuleRecord",
      "ModulesSpec",
      "ModulesSpecInput",
      "OptionDoc",
      "PLATFORMS",
      "PROSODY_VERSIONS",
      "Placement",
      "PlannedComponent",
      "Platform",
      "Problem",
      "ProblemError",
      "ProsodyVersion",
      "RenewerPlan",
      "RequirementResult",
      "Resolution",
      "ResolveContext",
      "ResolvedModule",
      "ResolvedSection",
      "SUITES",
      "SkippedModule",
      "SoftDependencyNote",
      "Stability",
      "StabilityProfile",
      "StoragePlan",
      "Suite",
      "SuiteResult",
      "TIERS",
      "TIER_DEFINITIONS",
      "TOGGLES",
      "Tier",
      "TierDefinition",
      "Toggle",
      "Toggles",
      "UploadGatewayPlan",
      "UploadPlan",
      "VersionEntry",
      "Via",
      "WatchdogPlan",
      "WebClientPlan",
      "findModule",
      "formatProblem",
      "parseDeploymentSpec",
      "parseModulesSpec",
      "planDeployment",
      "renderArtifacts",
      "resolveModules",
    ],
  },
};

/** Every name a source file exports, values and types, as TypeScript sees them. */
function exportedNames(source: string): string[] {
  const file = join(ROOT, source);
  const program = ts.createProgram([file], { strict: true, skipLibCheck: true, noEmit: true });
  const checker = program.getTypeChecker();
  const module = checker.getSymbolAtLocation(program.getSourceFile(file) as ts.SourceFile);
  assert.ok(module, `${source} is a module`);
  return checker
    .getExportsOfModule(module)
    .map((symbol) => symbol.getName())
    .sort((a, b) => a.localeCompare(b));
}

/** The names a text imports from the package's entries, by entry (`import { a, type B } from "…"`). */
function importedNames(text: string): { entry: string; name: string }[] {
  return [...text.matchAll(/import\s+(?:type\s+)?\{([^}]*)\}\s+from\s+"(@prosodystack\/pulumi[^"]*)"/g)].flatMap(
    ([, names = "", entry = ""]) =>
      names
        .split(",")
        .map(
          (name) =>
            name
              .trim()
              .replace(/^type\s+/, "")
              .split(/\s+as\s+/)[0] ?? "",
        )
        .filter((name) => name !== "" && name !== "...")
        .map((name) => ({ entry, name })),
  );
}

function filesUnder(folder: string, pattern: RegExp): string[] {
  return readdirSync(join(ROOT, folder), { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? entry.name === "node_modules"
        ? []
        : filesUnder(join(folder, entry.name), pattern)
      : pattern.test(entry.name)
        ? [join(folder, entry.name)]
        : [],
  );
}

describe("the public API", () => {
  it("has exactly the entries package.json exports, each with its compiled file", () => {
    const manifest = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as {
      exports: Record<string, string | { types: string; default: string }>;
      typesVersions: Record<string, Record<string, string[]>>;
    };
    const entries = Object.keys(manifest.exports).filter((key) => key !== "./package.json");
    assert.deepEqual(entries.map((key) => `@prosodystack/pulumi${key.slice(1)}`).sort(), Object.keys(ENTRIES).sort());
    for (const [name, { source }] of Object.entries(ENTRIES)) {
      const key = `.${name.slice("@prosodystack/pulumi".length)}`;
      const compiled = source.replace(/\.ts$/, "");
      assert.deepEqual(manifest.exports[key], { types: `./dist/${compiled}.d.ts`, default: `./dist/${compiled}.js` });
      if (key !== ".") {
        assert.deepEqual(manifest.typesVersions["*"]?.[key.slice(2)], [`dist/${compiled}.d.ts`], `${key} for node10`);
      }
    }
  });

  for (const [entry, { source, names }] of Object.entries(ENTRIES)) {
    it(`${entry} exports exactly the names chosen for it`, () => {
      assert.deepEqual(
        exportedNames(source),
        [...names].sort((a, b) => a.localeCompare(b)),
      );
    });
  }

  it("offline loads no Pulumi SDK and no cloud SDK: planning needs neither", () => {
    const loaded = execFileSync(
      process.execPath,
      [
        "-r",
        "ts-node/register/transpile-only",
        "-e",
        `require(${JSON.stringify(join(ROOT, "offline.ts"))});` +
          "console.log(JSON.stringify(Object.keys(require.cache).filter((file) => file.includes('node_modules'))))",
      ],
      { cwd: ROOT, encoding: "utf8" },
    );
    const packages = new Set(
      (JSON.parse(loaded) as string[]).map((file) => {
        const [scope = "", name = ""] = (file.split("node_modules/").pop() ?? "").split("/");
        return scope.startsWith("@") ? `${scope}/${name}` : scope;
      }),
    );
    assert.deepEqual(
      [...packages].filter((name) => /^@pulumi|^@pulumiverse|^@aws-sdk/.test(name)),
      [],
      `offline loaded ${[...packages].join(", ")}`,
    );
    assert.ok(packages.has("zod"), "the list is of what offline loaded");
  });

  it("exports nothing twice: each name has one entry", () => {
    const [main, offline] = Object.values(ENTRIES).map((entry) => new Set(entry.names));
    assert.deepEqual(
      [...(main ?? [])].filter((name) => offline?.has(name)),
      [],
    );
  });

  it("is all the README, the docs and the examples import", () => {
    const texts = [
      "README.md",
      ...filesUnder("docs", /\.md$/),
      ...filesUnder("examples", /\.ts$/),
      ...filesUnder("test/fixtures", /\.ts$/),
      "provider/index.ts",
    ];
    const imports = texts.flatMap((file) =>
      importedNames(readFileSync(join(ROOT, file), "utf8")).map((found) => ({ file, ...found })),
    );
    assert.ok(imports.length >= 5, "the docs and examples import the package");
    const unknown = imports.filter(({ entry, name }) => !ENTRIES[entry]?.names.includes(name));
    assert.deepEqual(unknown, []);
  });
});
