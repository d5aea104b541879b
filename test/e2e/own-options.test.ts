/**
 * The spec's `options` and whatever else the schema accepts, in real Prosody:
 * a config with options of the user's own passes `prosodyctl check config`
 * and starts cleanly on Prosody 13 (our image) and 0.12 (Debian bookworm), and
 * so do random specs the schema accepts (a seeded property, a handful of runs
 * per version: each is a real prosodyctl).
 */
import { strict as assert } from "node:assert";
import fc from "fast-check";
import type { DeploymentSpecInput } from "../../src/schema";
import { ipOrCidr, jid } from "../../src/schema/fields";
import { hostRuntime, imageRuntime, type Runtime } from "./harness/prosody";
import { ServerUnderTest } from "./harness/server";

const DOMAIN = "chat.e2e.test";

const OWN_OPTIONS: DeploymentSpecInput["options"] = {
  global: { c2s_timeout: 300, mam_smart_enable: true, max_archive_query_results: 100 },
  virtualHosts: { [DOMAIN]: { welcome_message: 'Welcome to "chat" ]] -- not a comment' } },
  components: { muc: { muc_room_default_public: false, max_history_messages: 40 } },
};

const label = fc.stringMatching(/^[a-z0-9](?:[a-z0-9-]{0,8}[a-z0-9])?$/);
/** Any spec the schema accepts, on the suite's domain, with options of made-up names. */
const acceptedSpec: fc.Arbitrary<Omit<DeploymentSpecInput, "paths" | "interfaces" | "ports">> = fc.record({
  domain: fc.constant(DOMAIN),
  tier: fc.constantFrom("personal", "community", "enterprise"),
  registration: fc.constantFrom("invite-only", "open", "closed"),
  extraDomains: fc
    .uniqueArray(
      label.map((name) => `${name}.e2e.test`),
      { maxLength: 2 },
    )
    .filter((names) => !names.includes(DOMAIN)),
  admins: fc
    .array(fc.string({ unit: fc.constantFrom("a", "b", "+", ".", "-", "\u00fc", "_"), minLength: 1, maxLength: 8 }), {
      maxLength: 2,
    })
    .map((locals) => locals.map((local) => `${local}@${DOMAIN}`).filter((address) => jid.safeParse(address).success)),
  http: fc.record({
    trustedProxies: fc
      .array(fc.oneof(fc.ipV4(), fc.ipV6()), { maxLength: 2 })
      .map((list) => list.filter((v) => ipOrCidr.safeParse(v).success)),
  }),
  archive: fc.record({ expiresAfter: fc.constantFrom("never", "1d", "2w", "1y") }),
  options: fc.record({
    global: fc.dictionary(
      fc.stringMatching(/^x_[a-z0-9_]{1,10}$/),
      fc.oneof(
        fc.string({ maxLength: 12 }),
        fc.integer(),
        fc.boolean(),
        fc.array(fc.string({ maxLength: 6 }), { maxLength: 3 }),
      ),
      { maxKeys: 3 },
    ),
  }),
});

const runtimes: [string, () => Runtime, number][] = [
  ["Prosody 13 (our image)", imageRuntime, 5],
  ["Prosody 0.12 (Debian bookworm)", hostRuntime, 10],
];

for (const [name, makeRuntime, runs] of runtimes) {
  describe(`${name}: options of your own and any accepted spec`, function () {
    this.timeout(300_000);
    let runtime: Runtime;
    before(() => {
      runtime = makeRuntime();
    });

    it("passes prosodyctl check config and starts cleanly with options of the user's own", async () => {
      const server = new ServerUnderTest(runtime, { domain: DOMAIN, tier: "community", options: OWN_OPTIONS });
      try {
        assert.match(server.config, /^c2s_timeout = 300$/m);
        assert.match(server.config, /^\tmuc_room_default_public = false$/m);
        const result = server.prosodyctl("check", "config");
        assert.equal(result.code, 0, result.output);
        assert.match(result.output, /All checks passed/);
        await server.start();
        const errors = server
          .log()
          .split("\n")
          .filter((line) => /^\S+\s+error\s/.test(line));
        assert.deepEqual(errors, []);
      } finally {
        await server.dispose();
      }
    });

    it(`passes prosodyctl check config for ${runs} random specs the schema accepts`, async () => {
      for (const input of fc.sample(acceptedSpec, { numRuns: runs, seed: 7622 })) {
        const server = new ServerUnderTest(runtime, input);
        try {
          const result = server.prosodyctl("check", "config");
          assert.equal(result.code, 0, `${JSON.stringify(input)}\n${result.output}`);
        } finally {
          await server.dispose();
        }
      }
    });
  });
}
