import { strict as assert } from "node:assert";
import { readGatewayConfig } from "../../gateway/src/config";
import { parseSlotPath } from "../../gateway/src/slot-path";
import { verifyUploadToken } from "../../gateway/src/token";
import { ProblemError } from "../../common/problems";
import { signUploadToken, slotClaims } from "../support/upload-token";

const SECRET = "a-shared-secret-of-some-length";
const key = Buffer.from(SECRET);
const bearer = (token: string): string => `Bearer ${token}`;

describe("gateway: upload token", () => {
  it("accepts a token signed like Prosody's and returns its claims", async () => {
    const claims = slotClaims("AbC-12_x", "cat picture.jpg", 1234, "image/jpeg");
    const check = await verifyUploadToken(bearer(signUploadToken(SECRET, claims)), key);
    assert.deepEqual(check, {
      ok: true,
      claims: {
        uploader: "alice@localhost",
        slot: "AbC-12_x",
        filename: "cat picture.jpg",
        filesize: 1234,
        filetype: "image/jpeg",
        notAfter: claims.exp,
      },
    });
  });

  const refusals: [string, () => string | undefined, number, RegExp][] = [
    ["no Authorization header", () => undefined, 401, /missing or malformed/],
    ["a Basic header", () => "Basic YWxpY2U6c2VjcmV0", 401, /missing or malformed/],
    ["a bearer that is not a JWT", () => "Bearer not-a-token", 401, /missing or malformed/],
    [
      "another server's secret",
      () => bearer(signUploadToken("some-other-secret-value", slotClaims("s", "f", 1))),
      403,
      /not valid/,
    ],
    [
      "an expired token",
      () => bearer(signUploadToken(SECRET, { ...slotClaims("s", "f", 1), exp: Math.floor(Date.now() / 1000) - 5 })),
      403,
      /expired/,
    ],
    [
      "no exp claim",
      () => bearer(signUploadToken(SECRET, { ...slotClaims("s", "f", 1), exp: undefined })),
      403,
      /not valid/,
    ],
    [
      "alg none",
      () => bearer(signUploadToken(SECRET, slotClaims("s", "f", 1), { alg: "none", typ: "JWT" })),
      403,
      /not valid/,
    ],
    [
      "HS512 instead of HS256",
      () => bearer(signUploadToken(SECRET, slotClaims("s", "f", 1), { alg: "HS512" })),
      403,
      /not valid/,
    ],
    [
      "no slot claim",
      () => bearer(signUploadToken(SECRET, { ...slotClaims("s", "f", 1), slot: undefined })),
      403,
      /lacks/,
    ],
    ["a negative filesize", () => bearer(signUploadToken(SECRET, slotClaims("s", "f", -1))), 403, /lacks/],
  ];
  for (const [name, header, status, reason] of refusals) {
    it(`refuses ${name} with ${status}`, async () => {
      const check = await verifyUploadToken(header(), key);
      assert.equal(check.ok, false);
      if (check.ok) return;
      assert.equal(check.refusal.status, status);
      assert.match(check.refusal.reason, reason);
    });
  }

  it("defaults a token without filetype to application/octet-stream, as Prosody does before signing", async () => {
    const check = await verifyUploadToken(
      bearer(signUploadToken(SECRET, { ...slotClaims("s", "f", 1), filetype: undefined })),
      key,
    );
    assert.ok(check.ok);
    assert.equal(check.ok && check.claims.filetype, "application/octet-stream");
  });
});

describe("gateway: slot paths", () => {
  it("decodes the file name Prosody percent-encoded and keys the object by slot/name", () => {
    assert.deepEqual(parseSlotPath("/Zx9_-a/na%C3%AFve%20plan%2B1.pdf?ignored=1"), {
      ok: true,
      path: { slot: "Zx9_-a", filename: "naïve plan+1.pdf", key: "Zx9_-a/naïve plan+1.pdf" },
    });
  });

  for (const target of [
    "/",
    "/slot",
    "/slot/",
    "//file",
    "/slot/a/b",
    "/../slot/file",
    "/slot/..",
    "/slot/%2e%2e",
    "/slot/.",
    "/slot/a%2Fb",
    "/slot/a%00b",
    "/slot/%E0%A4%A",
    "/sl.ot/file",
    "/sl%2Fot/file",
    `/slot/${"x".repeat(256)}`,
    "slot/file",
  ]) {
    it(`refuses ${JSON.stringify(target.length > 40 ? `${target.slice(0, 37)}...` : target)} with 400`, () => {
      const check = parseSlotPath(target);
      assert.equal(check.ok, false);
      assert.equal(!check.ok && check.refusal.status, 400);
    });
  }
});

describe("gateway: configuration", () => {
  const base = { S3_BUCKET: "uploads", GATEWAY_SECRET: SECRET };
  const noFiles = (path: string): Buffer => {
    throw new Error(`ENOENT: no such file, open '${path}'`);
  };

  it("applies the documented defaults", () => {
    const config = readGatewayConfig(base, noFiles);
    assert.deepEqual(
      { ...config, secret: config.secret.toString() },
      {
        secret: SECRET,
        bucket: "uploads",
        region: "us-east-1",
        forcePathStyle: false,
        port: 5050,
        host: "0.0.0.0",
        downloadMode: "redirect",
        presignSeconds: 300,
        corsOrigins: "*",
        createBucket: false,
      },
    );
  });

  it("reads an S3-compatible endpoint, path style, a file secret without its newline, TLS and CORS origins", () => {
    const files: Record<string, string> = { "/run/secret": `${SECRET}\n`, "/c.pem": "CERT", "/k.pem": "KEY" };
    const config = readGatewayConfig(
      {
        S3_BUCKET: "uploads",
        GATEWAY_SECRET_FILE: "/run/secret",
        S3_ENDPOINT: "http://minio:9000",
        S3_FORCE_PATH_STYLE: "true",
        GATEWAY_DOWNLOAD_MODE: "stream",
        GATEWAY_CORS_ORIGINS: "https://a.example, https://b.example",
        GATEWAY_TLS_CERT_FILE: "/c.pem",
        GATEWAY_TLS_KEY_FILE: "/k.pem",
      },
      (path) => Buffer.from(files[path] ?? ""),
    );
    assert.equal(config.secret.toString(), SECRET);
    assert.equal(config.endpoint, "http://minio:9000");
    assert.equal(config.forcePathStyle, true);
    assert.equal(config.downloadMode, "stream");
    assert.deepEqual(config.corsOrigins, ["https://a.example", "https://b.example"]);
    assert.equal(config.tls?.cert.toString(), "CERT");
  });

  const rejects = (environment: NodeJS.ProcessEnv, expected: RegExp, forbidden?: string): void => {
    assert.throws(
      () => readGatewayConfig(environment, noFiles),
      (error: unknown) => {
        assert.ok(error instanceof ProblemError);
        assert.match(error.message, expected);
        assert.match(error.message, /Fix: /);
        if (forbidden) assert.ok(!error.message.includes(forbidden), "the message must not show the secret");
        return true;
      },
    );
  };

  it("names a missing bucket and a missing secret", () => rejects({}, /S3_BUCKET[\s\S]*GATEWAY_SECRET: is not set/));
  it("names a bad bucket name with its value", () =>
    rejects({ ...base, S3_BUCKET: "Up_Loads" }, /S3_BUCKET \(given "Up_Loads"\): not an S3 bucket name/));
  it("names an unknown download mode", () =>
    rejects(
      { ...base, GATEWAY_DOWNLOAD_MODE: "proxy" },
      /GATEWAY_DOWNLOAD_MODE \(given "proxy"\).*"redirect", "stream"/,
    ));
  it("names an endpoint that is not a URL", () => rejects({ ...base, S3_ENDPOINT: "minio:9000" }, /S3_ENDPOINT/));
  it("refuses a short secret without printing it", () =>
    rejects(
      { ...base, GATEWAY_SECRET: "short-secret" },
      /GATEWAY_SECRET \(given \[secret\]\): is 12 bytes/,
      "short-secret",
    ));
  it("refuses both secret variables", () => rejects({ ...base, GATEWAY_SECRET_FILE: "/run/s" }, /set only one/));
  it("names an unreadable secret file", () =>
    rejects(
      { S3_BUCKET: "uploads", GATEWAY_SECRET_FILE: "/run/s" },
      /GATEWAY_SECRET_FILE \(given "\/run\/s"\): cannot be read/,
    ));
  it("refuses half a TLS pair, naming the half that is set", () =>
    rejects(
      { ...base, GATEWAY_TLS_CERT_FILE: "/c.pem" },
      /GATEWAY_TLS_KEY: is not set \(nor its _FILE form\) while its pair is.*GATEWAY_TLS_CERT_FILE is set/,
    ));
  it("refuses a TLS key given both inline and as a file", () =>
    rejects(
      { ...base, GATEWAY_TLS_CERT: "CERT", GATEWAY_TLS_KEY: "KEY", GATEWAY_TLS_KEY_FILE: "/k.pem" },
      /GATEWAY_TLS_KEY_FILE \(given "\/k.pem"\): both GATEWAY_TLS_KEY and GATEWAY_TLS_KEY_FILE are set/,
    ));
  it("takes the TLS pair inline, as ECS passes secrets", () => {
    const config = readGatewayConfig({ ...base, GATEWAY_TLS_CERT: "CERT", GATEWAY_TLS_KEY: "KEY" }, noFiles);
    assert.equal(config.tls?.cert.toString(), "CERT");
    assert.equal(config.tls?.key.toString(), "KEY");
  });
});
