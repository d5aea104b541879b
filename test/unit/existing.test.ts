/**
 * `existing`, keyed by who reads it (components/existing.ts), and the table of
 * renamed fields (src/schema/renamed-fields.ts): Route53's hosted zone belongs
 * to the DNS provider, on every platform, and its old place under existing.aws
 * is refused with the new one, from a program and from a stack file.
 */
import { strict as assert } from "node:assert";
import { parseExistingConfig } from "../../components/existing-rules";
import { ProsodyStack } from "../../components/prosody-stack";
import { ProblemError } from "../../common/problems";
import { RENAMED_FIELDS, type RenamedField, renamedFieldProblems } from "../../src/schema/renamed-fields";
import { parseDeploymentSpec } from "../../src/schema";
import { byName, expectResourceError, runComponents } from "../support/mock-stack";

const refusal = (run: () => unknown): string => {
  try {
    run();
  } catch (error) {
    assert.ok(error instanceof ProblemError, `expected a refusal, got ${String(error)}`);
    return error.message;
  }
  assert.fail("expected a refusal");
};

describe("existing resources and renamed fields", () => {
  it("name every renamed field once, old to new, and no new name is itself renamed", () => {
    const from = RENAMED_FIELDS.map((entry) => entry.from);
    assert.equal(new Set(from).size, from.length);
    for (const { to } of RENAMED_FIELDS) assert.ok(!from.includes(to), `${to} is renamed again`);
    assert.deepEqual(renamedFieldProblems({ existing: { aws: { hostedZoneId: "Z1" } } }, "prosody:"), [
      {
        field: "prosody:existing.aws.hostedZoneId",
        value: '"Z1"',
        message: "renamed to existing.route53.hostedZoneId in 0.1.0",
        fix: "write it as prosody:existing.route53.hostedZoneId",
      },
    ]);
    assert.deepEqual(renamedFieldProblems({ existing: { aws: { clusterArn: "arn" } } }), []);
  });

  it("refuse the hosted zone under existing.aws in a stack file, naming its new place", () => {
    const message = refusal(() => parseExistingConfig({ aws: { hostedZoneId: "Z0123456789ABCDEFGHIJ" } }, "prosody:"));
    assert.match(
      message,
      /prosody:existing\.aws\.hostedZoneId \(given "Z0123456789ABCDEFGHIJ"\): renamed to existing\.route53\.hostedZoneId in 0\.1\.0\. Fix: write it as prosody:existing\.route53\.hostedZoneId/,
    );
    assert.deepEqual(parseExistingConfig({ route53: { hostedZoneId: "Z0123456789ABCDEFGHIJ" } }, "prosody:"), {
      route53: { hostedZoneId: "Z0123456789ABCDEFGHIJ" },
    });
    assert.match(
      refusal(() => parseExistingConfig({ route53: { zone: "Z1" } }, "prosody:")),
      /prosody:existing\.route53\.zone \(given "Z1"\): unknown field/,
    );
    assert.match(
      refusal(() => parseExistingConfig({ docker: {} }, "prosody:")),
      /prosody:existing\.docker \(given \{\}\): unknown field/,
    );
  });

  it("refuse the hosted zone under existing.aws from a program, naming its new place", async () => {
    const message = await expectResourceError(
      () =>
        new ProsodyStack("chat", {
          domain: "example.org",
          dns: { provider: "route53" },
          // A JavaScript or YAML program may still write the old field.
          existing: { aws: { hostedZoneId: "Z0123456789ABCDEFGHIJ" } } as never,
        }),
    );
    assert.match(
      message,
      /existing\.aws\.hostedZoneId \(given "Z0123456789ABCDEFGHIJ"\): renamed to existing\.route53/,
    );
  });

  it("give the route53 provider the caller's zone on any platform, and refuse it where nothing reads it", async () => {
    const run = await runComponents(() => {
      new ProsodyStack("chat", {
        domain: "example.org",
        dns: { provider: "route53", ipv4: ["192.0.2.10"] },
        existing: { route53: { hostedZoneId: "Z0123456789ABCDEFGHIJ" } },
      });
      return {};
    });
    assert.equal(byName(run, "chat-dns-example.org-a").clearInputs.zoneId, "Z0123456789ABCDEFGHIJ");

    const unread = await expectResourceError(
      () => new ProsodyStack("chat", { domain: "example.org", existing: { route53: { hostedZoneId: "Z0123" } } }),
    );
    assert.match(
      unread,
      /existing\.route53: only the route53 DNS provider uses these resources, and this stack does not use it\. Fix: remove existing\.route53, or set dns\.provider: "route53"/,
    );
    const malformed = await expectResourceError(
      () =>
        new ProsodyStack("chat", {
          domain: "example.org",
          dns: { provider: "route53", ipv4: ["192.0.2.10"] },
          existing: { route53: { hostedZoneId: "my-zone" } },
        }),
    );
    assert.match(malformed, /existing\.route53\.hostedZoneId \(given "my-zone"\): does not look like one/);
  });

  it("refuse a renamed spec field once, with its new name, not also as an unknown field", () => {
    const table = RENAMED_FIELDS as RenamedField[];
    table.push({ from: "uploadLimit", to: "upload.sizeLimit", since: "0.0.1" });
    try {
      const message = refusal(() => parseDeploymentSpec({ domain: "example.org", uploadLimit: 5, tier: "x" }));
      assert.match(
        message,
        /uploadLimit \(given 5\): renamed to upload\.sizeLimit in 0\.0\.1\. Fix: write it as upload\.sizeLimit/,
      );
      assert.equal(message.match(/uploadLimit/g)?.length, 1, message);
      assert.match(message, /tier \(given "x"\): not one of the accepted values/, "other problems still show");
    } finally {
      table.pop();
    }
  });
});
