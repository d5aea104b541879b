import { strict as assert } from "node:assert";
import {
  ALIASES,
  EXCLUSION_GROUPS,
  findAlias,
  findModule,
  MODULES,
  PROSODY_VERSIONS,
  type ProsodyVersion,
  usableVersions,
} from "../../src/catalog";
import { REQUIREMENTS } from "../../src/catalog/compliance-suites";
import { BASELINE, TIER_DEFINITIONS, TIERS, TOGGLE_MODULES, MODULE_TOGGLES } from "../../src/catalog/tiers";

const namesOf = (records: readonly { name: string }[]) => records.map((r) => r.name);

describe("catalog data", () => {
  it("has one record per name", () => {
    const names = namesOf(MODULES);
    assert.deepEqual(names, [...new Set(names)]);
  });

  it("gives every record a summary, a placement and an entry for every supported version", () => {
    for (const record of MODULES) {
      assert.ok(record.summary.length > 0, `${record.name} has no summary`);
      assert.ok(record.placement.length > 0, `${record.name} has no placement`);
      for (const version of PROSODY_VERSIONS) assert.ok(record.versions[version], `${record.name} lacks ${version}`);
    }
  });

  it("only depends on modules it has, and every dependency can load beside its dependent or globally", () => {
    for (const record of MODULES) {
      for (const dependency of [...record.depends, ...record.softDepends]) {
        const target = findModule(dependency.module);
        assert.ok(target, `${record.name} depends on unknown ${dependency.module}`);
        if (target.kind === "provider") continue;
        for (const where of record.placement) {
          assert.ok(
            target.placement.includes(where) || target.placement.includes("global"),
            `${record.name} on ${where} needs ${target.name}, which cannot load there`,
          );
        }
      }
    }
  });

  it("marks exactly Prosody's autoloaded modules as autoloaded (0.12 adds posix)", () => {
    const autoloaded = (version: ProsodyVersion) =>
      MODULES.filter((r) => {
        const entry = r.versions[version];
        return entry.source !== "absent" && entry.autoload === true && entry.excluded === undefined;
      })
        .map((r) => r.name)
        .sort();
    const common = ["c2s", "iq", "message", "offline", "presence", "s2s", "s2s_auth_certs"];
    assert.deepEqual(autoloaded("13"), common);
    assert.deepEqual(autoloaded("0.12"), [...common, "posix"].sort());
  });

  it("treats auth_*, authz_*, storage_* and cron as providers, never as modules", () => {
    for (const record of MODULES) {
      const providerName = /^(auth|authz|storage)_/.test(record.name) || record.name === "cron";
      assert.equal(record.kind === "provider", providerName, record.name);
    }
  });

  it("keeps the version facts of the design: core on 13, community on 0.12", () => {
    for (const name of ["cloud_notify", "http_altconnect", "server_info"]) {
      const record = findModule(name);
      assert.equal(record?.versions["13"].source, "core", name);
      assert.equal(record?.versions["0.12"].source, "community", name);
    }
  });

  it("never offers vcard_muc, http_upload or admin_web on 13", () => {
    for (const name of ["vcard_muc", "http_upload", "admin_web"]) {
      const record = findModule(name);
      assert.ok(record, name);
      assert.ok(!usableVersions(record).includes("13"), `${name} is usable on 13`);
    }
  });

  it("has no entry for seed names that are not modules, and an alias for each", () => {
    const notModules = [
      "push",
      "jingle_stats",
      "compliance_policy",
      "http_api",
      "watchdog",
      "blacklist",
      "whitelist",
      "reputation",
      "statistics",
      "sql",
      "fast",
      "json_logs",
      "prometheus",
    ];
    for (const name of notModules) {
      assert.equal(findModule(name), undefined, `${name} must not be a catalog entry`);
      assert.ok(findAlias(name), `${name} needs an alias entry`);
    }
    assert.equal(findAlias("push")?.replacement, "cloud_notify");
    assert.equal(findAlias("prometheus")?.replacement, "http_openmetrics");
    assert.equal(findAlias("fast")?.replacement, "sasl2_fast");
    assert.equal(findAlias("json_logs")?.replacement, "log_json");
  });

  it("points every alias replacement at a real catalog module and never shadows one", () => {
    for (const alias of ALIASES) {
      assert.equal(findModule(alias.name), undefined, `${alias.name} is both an alias and a module`);
      if (alias.replacement) assert.ok(findModule(alias.replacement), `${alias.name} → unknown ${alias.replacement}`);
    }
  });

  it("names only catalog modules in exclusion groups and compliance requirements", () => {
    for (const group of EXCLUSION_GROUPS) {
      for (const name of group.alternatives.flat()) assert.ok(findModule(name), `${group.id}: ${name}`);
    }
    for (const requirement of REQUIREMENTS) {
      for (const provision of requirement.alternatives.flat()) {
        if ("module" in provision)
          assert.ok(findModule(provision.module), `${requirement.feature}: ${provision.module}`);
      }
    }
  });

  it("builds tiers and toggles only from modules that are usable somewhere and are not providers", () => {
    const named = [
      ...BASELINE,
      ...MODULE_TOGGLES.flatMap((toggle) => TOGGLE_MODULES[toggle]),
      ...TIERS.flatMap((tier) => TIER_DEFINITIONS[tier].modules),
    ];
    for (const name of named) {
      const record = findModule(name);
      assert.ok(record, `${name} is not in the catalog`);
      assert.notEqual(record.kind, "provider", name);
      assert.ok(usableVersions(record).length > 0, `${name} is usable on no version`);
    }
  });

  it("marks every community module's stability from the labels we know, per version", () => {
    // A spot check of facts that differ by version (the truth suite checks all of them against Debian).
    const stability = (name: string, version: ProsodyVersion) => {
      const entry = findModule(name)?.versions[version];
      return entry && entry.source !== "absent" ? entry.stability : undefined;
    };
    assert.equal(stability("muc_moderation", "0.12"), "alpha");
    assert.equal(stability("muc_moderation", "13"), "beta");
    assert.equal(stability("http_upload_external", "13"), "beta");
    assert.equal(stability("log_auth", "13"), "stable");
  });
});
