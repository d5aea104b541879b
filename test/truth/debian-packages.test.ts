/**
 * The catalog checked against Debian's real packages, downloaded and unpacked
 * by scripts/fetch-debian-packages.sh: bookworm for Prosody 0.12, trixie for 13.
 */
import { strict as assert } from "node:assert";
import { join } from "node:path";
import { findModule, MODULES, type ProsodyVersion } from "../../src/catalog";
import { dependsCalls, fetchRelease, loadableModules, readmeLabels } from "./debian-tree";

const CACHE = join(__dirname, "..", "..", ".cache", "debian");

/** Real core modules the catalog deliberately leaves out. */
const IGNORED_CORE = new Map([
  ["unknown", "platform stub Prosody loads on an unknown operating system; never configured"],
  ["windows", "platform stub for Windows; never configured"],
]);

/** Where the catalog deliberately differs from the Stage label Debian ships, and why. */
const LABEL_OVERRIDES = new Map([
  ["13:admin_web", "labelled Broken upstream after Debian's 2025-04 snapshot: it does not work on Prosody 13"],
  ["0.12:blocking", "core blocklist implements XEP-0191 on 0.12 too"],
  ["0.12:http_upload", "core http_file_share replaces it since 0.12"],
  ["0.12:turncredentials", "core turn_external replaces it since 0.12"],
  ["0.12:s2s_smacks_timeout", "labelled Obsolete upstream since 2024; core smacks handles server connections"],
  ["0.12:sasl2", "its README says it does not work on 0.12"],
  ["0.12:sasl2_bind2", "needs sasl2, which does not work on 0.12"],
  ["0.12:sasl2_fast", "needs sasl2, which does not work on 0.12"],
  ["0.12:sasl2_sm", "needs sasl2, which does not work on 0.12"],
]);

/**
 * module:depends() calls the catalog models differently, and why. Keys are
 * "version:module"; values list the called names the catalog does not record.
 */
const DEPENDS_NOT_RECORDED = new Map<string, { names: string[]; why: string }>([]);

const EXCLUDED_LABELS = new Set(["obsolete", "deprecated", "merged", "broken"]);
const stabilityOfLabel = (label: string) => (label === "stable" ? "stable" : label === "beta" ? "beta" : "alpha");

for (const [version, release] of [
  ["0.12", "bookworm"],
  ["13", "trixie"],
] as const) {
  describe(`catalog against Debian ${release} (Prosody ${version})`, function () {
    let core: Map<string, string>;
    let community: Map<string, string>;
    let labels: Map<string, string>;
    let root: string;

    before(function () {
      this.timeout(300_000);
      root = fetchRelease(release, CACHE);
      core = loadableModules(join(root, "prosody"));
      community = loadableModules(join(root, "prosody-modules"));
      labels = readmeLabels(join(root, "prosody-modules"));
      assert.ok(core.size > 50, `found only ${core.size} core modules in ${root}`);
      assert.ok(community.size > 50, `found only ${community.size} community modules in ${root}`);
    });

    const entries = (source: "core" | "community") =>
      MODULES.flatMap((record) => {
        const entry = record.versions[version as ProsodyVersion];
        return entry.source === source ? [{ record, entry }] : [];
      });

    it("offers as core only modules the prosody package has", () => {
      const missing = entries("core")
        .map(({ record }) => record.name)
        .filter((name) => !core.has(name));
      assert.deepEqual(missing, []);
    });

    it("has every real core module, or an explicit reason to leave it out", () => {
      const unknown = [...core.keys()].filter((name) => !findModule(name) && !IGNORED_CORE.has(name));
      assert.deepEqual(unknown, []);
      for (const name of [...core.keys()].filter((n) => findModule(n))) {
        assert.equal(
          findModule(name)?.versions[version as ProsodyVersion].source,
          "core",
          `${name} is core in the package`,
        );
      }
    });

    it("marks as Debian-packaged only modules the prosody-modules package has", () => {
      const missing = entries("community")
        .filter(({ entry }) => entry.source === "community" && entry.install === "debian")
        .map(({ record }) => record.name)
        .filter((name) => !community.has(name));
      assert.deepEqual(missing, []);
    });

    it("covers every module the prosody-modules package ships, as Debian-packaged", () => {
      const problems = [...community.keys()].flatMap((name) => {
        const entry = findModule(name)?.versions[version as ProsodyVersion];
        if (!entry) return [`${name}: not in the catalog`];
        if (entry.source === "core") return []; // a stale community copy of a core module (none expected)
        if (entry.source === "absent" || entry.install !== "debian") return [`${name}: not marked as Debian-packaged`];
        return [];
      });
      assert.deepEqual(problems, []);
    });

    it("takes each community module's stability from the label Debian ships, or says why not", () => {
      const problems = entries("community").flatMap(({ record, entry }) => {
        if (entry.source !== "community" || entry.install !== "debian") return [];
        const label = labels.get(record.name) ?? "";
        const override = LABEL_OVERRIDES.get(`${version}:${record.name}`);
        const labelExcludes = EXCLUDED_LABELS.has(label);
        if (override) return entry.excluded ? [] : [`${record.name}: override "${override}" but not excluded`];
        if (labelExcludes !== (entry.excluded !== undefined)) {
          return [`${record.name}: label "${label}" but ${entry.excluded ? "excluded" : "not excluded"}`];
        }
        if (!entry.excluded && entry.stability !== stabilityOfLabel(label)) {
          return [`${record.name}: label "${label}" but stability ${entry.stability}`];
        }
        return [];
      });
      assert.deepEqual(problems, []);
    });

    it("records exactly the module:depends() calls of the shipped code", () => {
      const problems: string[] = [];
      const check = (packageDir: string, modules: Map<string, string>) => {
        for (const [name, file] of modules) {
          const record = findModule(name);
          if (!record) continue;
          const recorded = new Set(
            [...record.depends, ...record.softDepends]
              .filter((d) => d.versions === undefined || d.versions.includes(version as ProsodyVersion))
              .map((d) => d.module),
          );
          const exception = DEPENDS_NOT_RECORDED.get(`${version}:${name}`);
          const real = [...dependsCalls(file, join(root, packageDir))].filter(
            (n) => n !== name && !exception?.names.includes(n),
          );
          const missing = real.filter((n) => !recorded.has(n)).sort();
          const extra = [...recorded].filter((n) => !real.includes(n)).sort();
          if (missing.length || extra.length)
            problems.push(`${name}: code has [${missing}] not recorded; recorded [${extra}] not in code`);
        }
      };
      check("prosody", core);
      check("prosody-modules", community);
      assert.deepEqual(problems, []);
    });
  });
}
