/** src/plan/certificate-check.ts on real certificates: what a provided pair must hold, each refusal naming the field and the host. */
import { strict as assert } from "node:assert";
import { certificatePairProblems, daysLeft, parseChain, uncoveredHosts } from "../../src/plan/certificate-check";
import { testCa } from "../support/certificates";

const FIELDS = { certificate: "secrets.tlsCertificate", key: "secrets.tlsPrivateKey" };
const HOSTS = ["example.org", "groups.example.org", "share.example.org"];

describe("a provided certificate, checked with crypto.X509Certificate", function () {
  this.timeout(30000);
  const { issue } = testCa();
  const good = issue(HOSTS);
  const wildcard = issue(["example.org", "*.example.org"]);
  const partial = issue(["example.org", "groups.example.org"]);
  const other = issue(HOSTS);

  it("accepts a chain, leaf first, naming every host, with its own key", () => {
    assert.deepEqual(certificatePairProblems(HOSTS, good.chain, good.key, FIELDS), []);
    assert.deepEqual(
      certificatePairProblems(HOSTS, wildcard.chain, wildcard.key, FIELDS),
      [],
      "a wildcard covers the components",
    );
    assert.equal(parseChain(good.chain)?.length, 2);
  });

  it("names each host the certificate does not cover", () => {
    const problems = certificatePairProblems(HOSTS, partial.chain, partial.key, FIELDS);
    assert.deepEqual(
      problems.map((problem) => [problem.field, problem.value]),
      [["secrets.tlsCertificate", '"share.example.org"']],
    );
    assert.match(problems[0]?.fix ?? "", /subjectAltNames include share\.example\.org/);
    assert.deepEqual(uncoveredHosts(parseChain(wildcard.chain)![0]!, ["a.b.example.org"]), ["a.b.example.org"]);
  });

  it("refuses an expired or not yet valid certificate, judged at the given time", () => {
    const leaf = parseChain(good.chain)![0]!;
    const later = new Date(new Date(leaf.validTo).getTime() + 24 * 3600 * 1000);
    const expired = certificatePairProblems(HOSTS, good.chain, good.key, FIELDS, later);
    assert.deepEqual(
      expired.map((problem) => problem.message),
      ["the certificate has expired"],
    );
    const earlier = new Date(new Date(leaf.validFrom).getTime() - 24 * 3600 * 1000);
    assert.deepEqual(
      certificatePairProblems(HOSTS, good.chain, good.key, FIELDS, earlier).map((problem) => problem.message),
      ["the certificate is not valid yet"],
    );
    assert.ok(daysLeft(leaf, new Date()) >= 29);
    assert.equal(daysLeft(leaf, later), -1);
  });

  it("refuses a key that is not the certificate's, or no key at all", () => {
    const mismatch = certificatePairProblems(HOSTS, good.chain, other.key, FIELDS);
    assert.deepEqual(
      mismatch.map((problem) => [problem.field, problem.message]),
      [["secrets.tlsPrivateKey", "this key does not belong to the certificate"]],
    );
    const unreadable = certificatePairProblems(
      HOSTS,
      good.chain,
      "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n",
      FIELDS,
    );
    assert.equal(unreadable[0]?.field, "secrets.tlsPrivateKey");
    assert.match(unreadable[0]?.fix ?? "", /privkey\.pem/);
  });

  it("refuses a chain out of order, and text that holds no certificate", () => {
    const reversed = `${good.ca}${good.leaf}`;
    const problems = certificatePairProblems(HOSTS, reversed, good.key, FIELDS);
    assert.ok(
      problems.some((problem) => /certificate 1 of the chain is not issued by certificate 2/.test(problem.message)),
    );
    const none = certificatePairProblems(HOSTS, "not a certificate", good.key, FIELDS);
    assert.deepEqual(
      none.map((problem) => problem.field),
      ["secrets.tlsCertificate"],
    );
    assert.match(none[0]?.fix ?? "", /fullchain\.pem/);
  });
});
