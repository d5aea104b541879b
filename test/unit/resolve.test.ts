import { strict as assert } from "node:assert";
import fc from "fast-check";
import { EXCLUSION_GROUPS, findModule, MODULES, PROSODY_VERSIONS, type ProsodyVersion } from "../../src/catalog";
import { TIER_DEFINITIONS, TIERS, TOGGLES } from "../../src/catalog/tiers";
import { DEFAULT_CONDITIONS, resolveModules, type Resolution, type ResolveContext } from "../../src/plan";
import { parseModulesSpec, ProblemError, type ModulesSpecInput } from "../../src/schema";
import { problemLines } from "../support/problems";

const resolve = (input: ModulesSpecInput = {}, context?: ResolveContext) =>
  resolveModules(parseModulesSpec(input), context);

const section = (resolution: Resolution, id: string) => resolution.sections.find((s) => s.id === id);
const namesIn = (resolution: Resolution, id: string) => section(resolution, id)?.modules.map((m) => m.name) ?? [];
const moduleIn = (resolution: Resolution, id: string, name: string) =>
  section(resolution, id)?.modules.find((m) => m.name === name);

describe("resolver", () => {
  describe("dependency closure", () => {
    it("loads muc's real dependencies on the MUC component, and vcard only on 13", () => {
      const on13 = resolve({ prosodyVersion: "13" });
      const on012 = resolve({ prosodyVersion: "0.12" });
      for (const name of ["disco", "muc_unique", "adhoc"]) {
        assert.equal(moduleIn(on13, "muc", name)?.reason, "dependency of muc", name);
        assert.ok(namesIn(on012, "muc").includes(name), name);
      }
      assert.deepEqual(moduleIn(on13, "muc", "vcard")?.requiredBy, ["muc"]);
      assert.ok(!namesIn(on012, "muc").includes("vcard"));
    });

    it("places global dependencies globally: http for uploads, admin_socket for the shell", () => {
      const resolution = resolve();
      assert.equal(moduleIn(resolution, "global", "http")?.reason, "dependency of http_file_share");
      assert.equal(moduleIn(resolution, "global", "admin_socket")?.reason, "dependency of admin_shell");
      assert.ok(!namesIn(resolution, "upload").includes("http"));
    });

    it("follows conditional dependencies from the deployment facts", () => {
      const closed = resolve();
      assert.ok(!namesIn(closed, "host").includes("watchregistrations"));
      const open = resolve({}, { conditions: { openRegistration: true } });
      assert.deepEqual(moduleIn(open, "host", "watchregistrations")?.requiredBy, ["register"]);
      const external = resolve({}, { conditions: { externalUploads: true } });
      assert.deepEqual(
        moduleIn(external, "global", "http")?.requiredBy,
        ["http_openmetrics"],
        "external uploads need no local HTTP server; only the metrics endpoint does",
      );
    });

    it("reports soft dependencies without adding them", () => {
      const resolution = resolve({ tier: "community", modules: { remove: ["http_altconnect"] } });
      assert.ok(!namesIn(resolution, "host").includes("http_altconnect"));
      assert.deepEqual(
        resolution.softDependencies.filter((s) => s.wants === "http_altconnect").map((s) => s.module),
        ["bosh", "websocket"],
      );
    });

    it("explains every module with a reason and keeps the strongest", () => {
      const resolution = resolve({ modules: { add: ["adhoc"] } });
      for (const s of resolution.sections) for (const m of s.modules) assert.ok(m.reason.length > 0, m.name);
      const adhoc = moduleIn(resolution, "host", "adhoc");
      assert.equal(adhoc?.via, "explicit");
      assert.ok(adhoc?.requiredBy.includes("uptime"));
      assert.equal(moduleIn(resolution, "host", "roster")?.reason, "essential");
      assert.equal(moduleIn(resolution, "host", "mam")?.reason, "toggle modern");
    });
  });

  describe("tiers and toggles", () => {
    it("gives every tier a MUC and an upload component", () => {
      for (const tier of TIERS) {
        for (const prosodyVersion of PROSODY_VERSIONS) {
          const resolution = resolve({ tier, prosodyVersion });
          assert.ok(namesIn(resolution, "muc").includes("muc"), `${tier} ${prosodyVersion}`);
          assert.ok(namesIn(resolution, "upload").includes("http_file_share"), `${tier} ${prosodyVersion}`);
        }
      }
    });

    it("reaches every compliance level each tier claims, on every version", () => {
      for (const tier of TIERS) {
        for (const prosodyVersion of PROSODY_VERSIONS) {
          const report = resolve({ tier, prosodyVersion }).compliance;
          for (const claim of TIER_DEFINITIONS[tier].claims) {
            const suite = report.suites.find((s) => s.suite === claim.suite);
            assert.ok(
              suite?.[claim.level].met,
              `${tier} on ${prosodyVersion} misses ${claim.suite} ${claim.level}: ${suite?.[claim.level].missing}`,
            );
          }
        }
      }
    });

    it("lets the personal tier reach the Server level of Core, IM and Mobile", () => {
      const report = resolve({ tier: "personal" }).compliance;
      for (const suite of ["core", "im", "mobile"])
        assert.ok(report.suites.find((s) => s.suite === suite)?.server.met, suite);
    });

    it("turns toggles off and on over the tier's defaults", () => {
      assert.ok(!namesIn(resolve({ tier: "personal" }), "host").includes("websocket"));
      assert.ok(namesIn(resolve({ tier: "personal", features: { http: true } }), "host").includes("websocket"));
      assert.ok(!namesIn(resolve({ tier: "community", features: { modern: false } }), "host").includes("mam"));
    });

    it("never lets beta or alpha arrive silently", () => {
      const enterprise = resolve({ tier: "enterprise" });
      const all = enterprise.sections.flatMap((s) => s.modules);
      assert.deepEqual(
        all.filter((m) => m.stability !== "stable"),
        [],
      );
      assert.ok(enterprise.skipped.some((s) => s.name === "sasl2" && /beta toggle is off/.test(s.reason)));
    });

    it("allows a beta or alpha module named in add, with a warning, when its toggle is off", () => {
      const resolution = resolve({ tier: "enterprise", modules: { add: ["watch_spam_reports", "firewall"] } });
      assert.equal(moduleIn(resolution, "host", "watch_spam_reports")?.stability, "beta");
      assert.equal(moduleIn(resolution, "host", "spam_reporting")?.reason, "dependency of watch_spam_reports");
      const text = resolution.warnings.join("\n");
      assert.match(text, /watch_spam_reports is beta on Prosody 13 and the beta toggle is off/);
      assert.match(text, /spam_reporting \(beta\) arrives as a dependency of watch_spam_reports/);
      assert.match(text, /firewall is alpha/);
    });

    it("skips toggle modules that need the rocks server, saying so", () => {
      const resolution = resolve({ prosodyVersion: "0.12" });
      const skip = resolution.skipped.find((s) => s.name === "spam_reporting");
      assert.match(skip?.reason ?? "", /not packaged by Debian for Prosody 0\.12; name it in modules\.add/);
    });
  });

  describe("never in modules_enabled", () => {
    it("keeps autoloaded modules and providers out of every section, on every tier and version", () => {
      for (const tier of TIERS) {
        for (const prosodyVersion of PROSODY_VERSIONS) {
          const resolution = resolve({ tier, prosodyVersion });
          for (const m of resolution.sections.flatMap((s) => s.modules)) {
            const record = findModule(m.name);
            const entry = record?.versions[prosodyVersion];
            assert.ok(entry && entry.source !== "absent" && !entry.autoload, `${m.name} is autoloaded`);
            assert.notEqual(record?.kind, "provider", m.name);
            assert.doesNotMatch(m.name, /^(auth|authz|storage)_|^cron$/);
          }
        }
      }
    });

    it("removes autoloaded modules through modules_disabled", () => {
      const resolution = resolve({ modules: { remove: ["offline", "s2s"] } });
      assert.deepEqual(section(resolution, "host")?.disabled, ["offline"]);
      assert.deepEqual(section(resolution, "global")?.disabled, ["s2s"]);
    });

    it("warns and adds nothing when an autoloaded module is added", () => {
      const resolution = resolve({ modules: { add: ["offline"] } });
      assert.match(resolution.warnings.join(), /offline is loaded automatically on every host; nothing to add/);
      assert.ok(!namesIn(resolution, "host").includes("offline"));
    });
  });

  describe("errors", () => {
    it("rejects an unknown name with the closest real names", () => {
      const [problem] = problemLines(() => resolve({ modules: { add: ["carbon"] } }));
      assert.match(
        problem ?? "",
        /^modules\.add\[0\] "carbon" unknown module "carbon" FIX the closest modules are "carbons"/,
      );
    });

    it("rejects a seed name that is not a module and points at its real replacement", () => {
      const [problem] = problemLines(() => resolve({ modules: { add: ["push"] } }));
      assert.match(problem ?? "", /"push" is not a module FIX use "cloud_notify"/);
      const [json] = problemLines(() => resolve({ modules: { add: ["json_logs"] } }));
      assert.match(json ?? "", /use "log_json"/);
      const [none] = problemLines(() => resolve({ modules: { add: ["jingle_stats"] } }));
      assert.match(
        none ?? "",
        /"jingle_stats" is not a module FIX "jingle_stats" is not a module: no such module exists/,
      );
    });

    it("suggests the bare name for a mod_ prefix", () => {
      const [problem] = problemLines(() => resolve({ modules: { add: ["mod_mam"] } }));
      assert.match(problem ?? "", /FIX write "mam": module names are written without the mod_ prefix/);
    });

    it("says on which version a module is available", () => {
      const [problem] = problemLines(() => resolve({ prosodyVersion: "0.12", modules: { add: ["account_activity"] } }));
      assert.match(
        problem ?? "",
        /account_activity is not available on Prosody 0\.12 \(new in Prosody 13\) FIX it is available on Prosody 13 \(core\)/,
      );
    });

    it("names the replacement of an excluded module", () => {
      const [problem] = problemLines(() => resolve({ modules: { add: ["vcard_muc"] } }));
      assert.match(
        problem ?? "",
        /vcard_muc is excluded on Prosody 13: built into Prosody 13's muc .* FIX use "muc" instead/,
      );
      const [upload] = problemLines(() => resolve({ prosodyVersion: "0.12", modules: { add: ["http_upload"] } }));
      assert.match(upload ?? "", /FIX use "http_file_share" instead/);
    });

    it("names both sides and the group of a conflict", () => {
      const problems = problemLines(() => resolve({ modules: { add: ["csi_battery_saver"] } }));
      assert.equal(problems.length, 1);
      assert.match(
        problems[0] ?? "",
        /conflict in group "csi-optimiser" on the host section: csi_simple and csi_battery_saver cannot load together/,
      );
      const [upload] = problemLines(() => resolve({ modules: { add: ["http_upload_external"] } }));
      assert.match(upload ?? "", /"upload-provider" on the upload section: http_file_share and http_upload_external/);
    });

    it("accepts a conflict resolved by removing one side", () => {
      const resolution = resolve({ modules: { add: ["csi_battery_saver"], remove: ["csi_simple"] } });
      assert.ok(namesIn(resolution, "host").includes("csi_battery_saver"));
    });

    it("names the dependents when a needed module is removed", () => {
      const [problem] = problemLines(() => resolve({ modules: { remove: ["pep"] } }));
      assert.match(
        problem ?? "",
        /^modules\.remove\[0\] "pep" pep cannot be removed: bookmarks \[toggle modern\]; vcard4 .*; vcard_legacy .* need it FIX keep pep, or also remove bookmarks, vcard4, vcard_legacy/,
      );
    });

    it("rejects a module placed where it cannot load", () => {
      const [problem] = problemLines(() => resolve({ modules: { add: ["limits@host"] } }));
      assert.match(
        problem ?? "",
        /limits cannot load on the host section FIX write "limits" without @host, or with @global/,
      );
    });

    it("rejects a module for a component the plan does not have", () => {
      const noMuc = problemLines(() =>
        resolve({ modules: { remove: ["muc", "muc_mam", "muc_moderation"], add: ["bob"] } }),
      );
      assert.match(
        noMuc.join("\n"),
        /modules\.add\[0\] "bob" bob loads on the muc component, which this plan does not have FIX add the component's module \(muc\)/,
      );
    });

    it("rejects essential removals, providers in add, and a module both added and removed", () => {
      assert.match(problemLines(() => resolve({ modules: { remove: ["roster"] } }))[0] ?? "", /roster is essential/);
      assert.match(
        problemLines(() => resolve({ modules: { add: ["storage_sql"] } }))[0] ?? "",
        /storage_sql is a storage provider: it is chosen with a setting, never listed in modules_enabled/,
      );
      assert.match(
        problemLines(() => resolve({ modules: { add: ["mam"], remove: ["mam"] } }))[0] ?? "",
        /mam is both added and removed FIX keep it in only one of modules\.add and modules\.remove\[0\]/,
      );
    });

    it("reports every problem at once", () => {
      const problems = problemLines(() => resolve({ modules: { add: ["push", "nope_x"], remove: ["roster"] } }));
      assert.equal(problems.length, 3);
    });
  });

  describe("output", () => {
    it("is deterministic: the same spec gives byte-identical JSON", () => {
      for (const tier of TIERS) {
        const spec: ModulesSpecInput = { tier, modules: { add: ["firewall", "muc_limits"] } };
        assert.equal(JSON.stringify(resolve(spec)), JSON.stringify(resolve(spec)));
      }
    });

    it("counts the stability profile by source and stability", () => {
      const resolution = resolve({ tier: "community", modules: { add: ["firewall"] } });
      const unique = new Map(resolution.sections.flatMap((s) => s.modules).map((m) => [m.name, m]));
      const { profile } = resolution;
      assert.equal(profile.total, unique.size);
      assert.equal(
        profile.core + profile.community.stable + profile.community.beta + profile.community.alpha,
        profile.total,
      );
      assert.equal(profile.community.alpha, 1);
    });

    it("says what is missing for a suite and which module or option would meet it", () => {
      const report = resolve({ tier: "personal" }).compliance;
      const web = report.suites.find((s) => s.suite === "web");
      assert.equal(web?.server.met, false);
      assert.match(
        web?.server.missing.join() ?? "",
        /needs websocket or bosh: turn on the http toggle \(it brings websocket\)/,
      );
      const av = report.suites.find((s) => s.suite === "av");
      assert.match(av?.server.missing.join() ?? "", /turn_external_host and turn_external_secret/);
      const withTurn = resolve({ modules: { add: ["turn_external"] } }, { facts: { turn: true } }).compliance;
      assert.ok(withTurn.suites.find((s) => s.suite === "av")?.advanced.met);
    });

    it("explains a push gap on 0.12 by the skip reason", () => {
      const report = resolve({ tier: "enterprise", prosodyVersion: "0.12" }).compliance;
      const mobile = report.suites.find((s) => s.suite === "mobile");
      assert.match(
        mobile?.advanced.missing.join() ?? "",
        /cloud_notify was skipped: cloud_notify is beta on Prosody 0\.12 and the beta toggle is off/,
      );
    });
  });

  describe("properties", () => {
    const names = MODULES.map((m) => m.name);
    const arbitrarySpec = fc.record({
      tier: fc.constantFrom(...TIERS),
      prosodyVersion: fc.constantFrom(...PROSODY_VERSIONS),
      features: fc.record(
        Object.fromEntries(TOGGLES.map((t) => [t, fc.boolean()])) as Record<
          (typeof TOGGLES)[number],
          fc.Arbitrary<boolean>
        >,
        {
          requiredKeys: [],
        },
      ),
      modules: fc.record({
        add: fc.uniqueArray(fc.constantFrom(...names), { maxLength: 6 }),
        remove: fc.uniqueArray(fc.constantFrom(...names), { maxLength: 4 }),
      }),
    });

    it("either resolves to a closed, conflict-free, gated set or rejects with a ProblemError", () => {
      fc.assert(
        fc.property(arbitrarySpec, (input) => {
          let resolution: Resolution;
          try {
            resolution = resolve(input);
          } catch (error) {
            assert.ok(error instanceof ProblemError, String(error));
            assert.ok(error.problems.length > 0);
            for (const p of error.problems) assert.ok(p.field && p.message && p.fix);
            return;
          }
          const version = input.prosodyVersion as ProsodyVersion;
          const explicit = new Set(input.modules.add);
          for (const s of resolution.sections) {
            const here = new Set(s.modules.map((m) => m.name));
            for (const m of s.modules) {
              const record = findModule(m.name);
              assert.ok(record);
              const entry = record.versions[version];
              assert.ok(entry.source !== "absent" && !entry.excluded && !entry.autoload, `${m.name} unusable`);
              assert.notEqual(record.kind, "provider");
              for (const dependency of record.depends) {
                if (dependency.versions && !dependency.versions.includes(version)) continue;
                if (dependency.when && !DEFAULT_CONDITIONS[dependency.when]) continue;
                if (dependency.unless && DEFAULT_CONDITIONS[dependency.unless]) continue;
                const target = findModule(dependency.module);
                const targetEntry = target?.versions[version];
                if (
                  target?.kind === "provider" ||
                  (targetEntry && targetEntry.source !== "absent" && targetEntry.autoload)
                )
                  continue;
                const inGlobal = namesIn(resolution, "global").includes(dependency.module);
                assert.ok(here.has(dependency.module) || inGlobal, `${m.name} lacks ${dependency.module} on ${s.id}`);
              }
              if (m.stability !== "stable") {
                const open = m.stability === "beta" ? resolution.toggles.beta : resolution.toggles.alpha;
                assert.ok(
                  open || m.via === "explicit" || m.via === "dependency",
                  `${m.name} (${m.stability}) arrived silently`,
                );
                if (!open && m.via === "dependency")
                  assert.ok(resolution.warnings.some((w) => w.includes(`${m.name} (${m.stability})`)));
              }
              if (m.install === "rocks")
                assert.ok(m.via === "explicit" || m.via === "dependency", `${m.name} from rocks`);
            }
            for (const group of EXCLUSION_GROUPS) {
              const chosen = group.alternatives.filter((alternative) => alternative.some((n) => here.has(n)));
              assert.ok(chosen.length <= 1, `${group.id} violated on ${s.id}`);
            }
          }
          for (const removed of input.modules.remove) {
            for (const s of resolution.sections)
              assert.ok(
                !s.modules.some((m) => m.name === removed && !explicit.has(removed)),
                `${removed} still present`,
              );
          }
          assert.equal(JSON.stringify(resolve(input)), JSON.stringify(resolution));
        }),
        { numRuns: 300 },
      );
    });
  });
});
