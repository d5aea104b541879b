/**
 * Rendered prosody.cfg.lua files, loaded by real Lua 5.4 the way Prosody's
 * config loader does (VirtualHost and Component calls, ENV_ globals): every
 * string a user can put in a spec comes back byte for byte, on the right host,
 * and nothing a user writes can run code.
 */
import { strict as assert } from "node:assert";
import { execFileSync } from "node:child_process";
import fc from "fast-check";
import { planDeployment } from "../../src/plan";
import { renderProsodyConfig } from "../../src/render";
import { type DeploymentSpecInput, parseDeploymentSpec } from "../../src/schema";
import { ipOrCidr, jid } from "../../src/schema/fields";
import { canonical, CONFIG_LOADER } from "./lua-dump";

const LOADER = `
${CONFIG_LOADER}
io.write(dump(assert(load_config(io.read("a")))))
`;

const loadConfig = (config: string): Buffer => execFileSync("lua5.4", ["-e", LOADER], { input: config });

const label = fc.stringMatching(/^[a-z0-9](?:[a-z0-9-]{0,10}[a-z0-9])?$/);
const domain = fc.tuple(label, label).map(([a, b]) => `${a}.${b}`);
/** Anything without white space after the scheme: quotes, backslashes, brackets, comment markers, UTF-8. */
const uriTail = fc
  .string({
    unit: fc.oneof(
      fc.constantFrom('"', "\\", "]", "[", "=", "-", "'", "\u00e9", "\u{1F600}"),
      fc.string({ unit: "grapheme", minLength: 1, maxLength: 1 }),
    ),
    minLength: 1,
    maxLength: 30,
  })
  .filter((text) => !/\s/.test(text));

/** Localparts RFC 7622 allows as Prosody stores them: +, dots, quotes Lua cares about, non-ASCII letters. */
const localpart = fc
  .string({
    unit: fc.oneof(
      fc.constantFrom("+", ".", "=", "\\", "]", "[", "-", "_", "!", "\u00fc", "\u4e2d"),
      fc.string({ unit: "grapheme", minLength: 1, maxLength: 1 }),
    ),
    minLength: 1,
    maxLength: 20,
  })
  .filter((local) => jid.safeParse(`${local}@example.org`).success);
/** Every address or range the schema accepts for trusted proxies. */
const proxy = fc
  .oneof(
    fc.ipV4(),
    fc.ipV6(),
    fc.tuple(fc.ipV4(), fc.integer({ min: 0, max: 32 })).map(([address, bits]) => `${address}/${bits}`),
    fc.tuple(fc.ipV6(), fc.integer({ min: 0, max: 128 })).map(([address, bits]) => `${address}/${bits}`),
  )
  .filter((value) => ipOrCidr.safeParse(value).success);

/** Option values the schema accepts: any text, integers, booleans, and lists and maps of them. */
const { optionValue } = fc.letrec<{ optionValue: unknown }>((tie) => ({
  optionValue: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    uriTail,
    fc.string({ unit: "grapheme", maxLength: 12 }),
    fc.integer(),
    fc.boolean(),
    fc.array(tie("optionValue"), { maxLength: 3 }),
    fc.dictionary(fc.string({ unit: "grapheme", minLength: 1, maxLength: 8 }), tie("optionValue"), { maxKeys: 3 }),
  ),
}));
const optionName = fc.stringMatching(/^x_[a-z0-9_]{1,12}$/);

describe("rendered prosody.cfg.lua in real Lua 5.4", function () {
  this.timeout(300_000);

  it("keeps every user string byte for byte and on the right host", () => {
    fc.assert(
      fc.property(
        domain,
        fc.uniqueArray(localpart, { maxLength: 3 }),
        fc.array(uriTail, { minLength: 1, maxLength: 3 }),
        fc.constantFrom("personal", "community", "enterprise"),
        fc.constantFrom("sqlite", "postgresql"),
        fc.array(proxy, { maxLength: 3 }),
        (name, admins, uris, tier, storage, proxies) => {
          const input: DeploymentSpecInput = {
            domain: name,
            tier: tier as DeploymentSpecInput["tier"],
            storage: storage as DeploymentSpecInput["storage"],
            admins: admins.map((local) => `${local}@${name}`),
            http: { trustedProxies: proxies },
            contact: { abuse: uris.map((tail) => `xmpp:${tail}`), admin: ["mailto:ops@example.org"] },
            uploads: "s3",
          };
          const plan = planDeployment(parseDeploymentSpec(input));
          const dumped = loadConfig(renderProsodyConfig(plan));
          const expect = (value: Parameters<typeof canonical>[0]) =>
            assert.ok(dumped.includes(canonical(value)), `missing ${JSON.stringify(value)} in ${dumped.toString()}`);
          expect({ "(kind)": "host" });
          if (plan.admins.length > 0) expect(plan.admins);
          if (proxies.length > 0) expect(proxies);
          if (plan.modules.some((m) => m.name === "server_contact_info")) {
            expect({ abuse: input.contact?.abuse ?? [], admin: ["mailto:ops@example.org"] });
          }
          assert.ok(dumped.includes(canonical(`(env PROSODY_UPLOAD_SECRET)`)));
          assert.ok(dumped.includes(canonical(name)));
        },
      ),
      { numRuns: 150 },
    );
  });

  it("keeps every option of the user's own byte for byte, in the section it was given for", () => {
    fc.assert(
      fc.property(
        fc.dictionary(optionName, optionValue, { maxKeys: 4 }),
        fc.dictionary(optionName, optionValue, { maxKeys: 3 }),
        (global, muc) => {
          const input: DeploymentSpecInput = {
            domain: "example.org",
            tier: "community",
            options: { global, components: { muc } } as DeploymentSpecInput["options"],
          };
          const dumped = loadConfig(renderProsodyConfig(planDeployment(parseDeploymentSpec(input))));
          for (const table of [global, muc]) {
            for (const [name, value] of Object.entries(table)) {
              const pair = Buffer.concat([canonical(name), canonical(value as Parameters<typeof canonical>[0])]);
              assert.ok(dumped.includes(pair), `missing ${name} = ${JSON.stringify(value)} in ${dumped.toString()}`);
            }
          }
        },
      ),
      { numRuns: 100 },
    );
  });
});
