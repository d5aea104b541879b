/**
 * Uploads "s3", end to end: the dev stack with uploads going to an
 * S3-compatible server (s3rver, started here on loopback) runs under Pulumi's
 * mocks, and the Docker platform's Prosody 13 and upload-gateway containers
 * are replayed with buildah from our two images. A real XMPP client asks
 * Prosody for slots and talks to the gateway over verified TLS.
 */
import { strict as assert } from "node:assert";
import { randomBytes } from "node:crypto";
import { chmodSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { HeadObjectCommand } from "@aws-sdk/client-s3";
import { recordFigure } from "../support/figures";
import { runTested } from "../support/mock-stack";
import { planDeployment } from "../../src/plan";
import program from "../../program";
import { type StackConfig, stackSpec } from "../../src/schema/stack-file";
import { fetchLoopback, type RequestOptions } from "../support/http";
import { byName, stackWith } from "../support/mock-stack";
import { S3_CREDENTIALS, startS3Server, type S3TestServer } from "../support/s3";
import { signUploadToken, slotClaims } from "../support/upload-token";
import { type SuiteTls, suiteTls, suiteTlsOutputs } from "./harness/certs";
import { type ContainerInputs, GATEWAY_IMAGE, ReplayedContainer } from "./harness/docker-replay";
import { PORTS } from "./harness/server";
import { scanTls, weaknesses } from "./harness/tls-scan";
import { login, requestSlot, type Session, type UploadSlot } from "./harness/xmpp";

const MiB = 1024 * 1024;
const GATEWAY_PORT = 25443;

const s3Stack = (endpoint: string): StackConfig =>
  stackWith(
    "dev",
    {
      "prosody:ports": { ...PORTS, uploadGateway: GATEWAY_PORT },
      "prosody:interfaces": ["127.0.0.1"],
      "prosody:uploads": "s3",
      // The quota is small enough for the test to reach it.
      "prosody:upload": { sizeLimit: 8 * MiB, dailyQuota: 12 * MiB, s3: { endpoint, forcePathStyle: true } },
      "prosody:s3AccessKeyId": S3_CREDENTIALS.accessKeyId,
      "prosody:s3SecretAccessKey": S3_CREDENTIALS.secretAccessKey,
    },
    ["prosody:s3AccessKeyId", "prosody:s3SecretAccessKey"],
  );

describe("uploads to S3 through the gateway, with Prosody 13 and a real client", function () {
  this.timeout(180_000);
  let root: string;
  let s3: S3TestServer;
  let tls: SuiteTls;
  let prosody: ReplayedContainer;
  let gateway: ReplayedContainer;
  let uploadSecret: string;
  let alice: Session;

  before(async () => {
    root = mkdtempSync(join(tmpdir(), "prosody-s3-"));
    chmodSync(root, 0o755);
    s3 = await startS3Server("prosody-uploads");
    const stack = s3Stack(s3.endpoint);
    const folder = join(root, "tls");
    mkdirSync(folder);
    tls = suiteTls(folder, planDeployment(stackSpec(stack)).certificateNames);
    const run = await runTested("dev", stack, program, { outputs: suiteTlsOutputs(tls) });

    const server = byName(run, "prosody-server");
    const gatewayInputs = byName(run, "prosody-upload-gateway").clearInputs as ContainerInputs;
    uploadSecret = (gatewayInputs.envs ?? []).find((entry) => entry.startsWith("GATEWAY_SECRET="))?.slice(15) ?? "";
    assert.ok(uploadSecret.length >= 16);

    prosody = new ReplayedContainer(server.clearInputs as ContainerInputs, join(root, "volumes"), join(root, "p"));
    gateway = new ReplayedContainer(gatewayInputs, join(root, "volumes"), join(root, "g"), GATEWAY_IMAGE);
    const registered = prosody.exec(["prosodyctl", "register", "alice", "localhost", "alice-password-1"]);
    assert.equal(registered.code, 0, registered.output);
    // With uploads in S3 and the personal tier, nothing of Prosody's serves HTTPS: its port stays closed.
    await prosody.start([PORTS.c2s, PORTS.c2sDirectTls, PORTS.s2s]);
    await gateway.start();
    const health = await gateway.healthcheck();
    assert.equal(health.code, 0, `${health.output}\n${gateway.log()}`);
    alice = await login("localhost", "alice", "alice-password-1");
  });

  after(async () => {
    await alice?.close().catch(() => undefined);
    for (const container of [gateway, prosody]) await container?.remove().catch(() => undefined);
    await s3?.stop();
    rmSync(root, { recursive: true, force: true });
  });

  const put = (slot: UploadSlot, body: Buffer, type: string, options: RequestOptions = {}) =>
    fetchLoopback(slot.put, {
      method: "PUT",
      ...options,
      headers: { ...slot.headers, "content-type": type, ...options.headers },
      body: options.body ?? body,
    });
  const gatewayRequests = (): number =>
    gateway
      .log()
      .split("\n")
      .filter((line) => line.includes('"method"')).length;

  it("takes a slot from Prosody, PUTs several MB to the bucket and GETs them back byte-identical", async () => {
    const content = randomBytes(5 * MiB + 4321);
    const slot = await requestSlot(alice, "share.localhost", "trip report.pdf", content.length, "application/pdf");
    assert.ok(slot.put.startsWith(`https://share.localhost:${GATEWAY_PORT}/`), slot.put);
    assert.equal(slot.get, slot.put);

    const created = await put(slot, content, "application/pdf");
    assert.equal(created.status, 201, created.body.toString());
    const slotId = new URL(slot.put).pathname.split("/")[1] ?? "";
    const head = await s3.client.send(new HeadObjectCommand({ Bucket: s3.bucket, Key: `${slotId}/trip report.pdf` }));
    assert.equal(head.ContentType, "application/pdf");
    assert.equal(head.ContentLength, content.length);

    // The user's S3 server is reachable by clients here, so downloads redirect to it (presigned).
    const redirect = await fetchLoopback(slot.get);
    assert.equal(redirect.status, 302);
    const location = String(redirect.headers.location);
    assert.ok(location.startsWith(s3.endpoint), location);
    const got = await fetchLoopback(location);
    assert.equal(got.status, 200);
    assert.ok(got.body.equals(content), "the download differs from the upload");
  });

  it("refuses every bad upload and leaves the bucket unchanged", async () => {
    const content = Buffer.from("a small text file\n");
    const slot = await requestSlot(alice, "share.localhost", "notes.txt", content.length, "text/plain");
    const [, slotId = ""] = new URL(slot.put).pathname.split("/");
    const origin = new URL(slot.put).origin;
    const before = await s3.objects();
    const expired = signUploadToken(uploadSecret, {
      ...slotClaims(slotId, "notes.txt", content.length, "text/plain"),
      exp: Math.floor(Date.now() / 1000) - 60,
    });
    // One at a time: s3rver shows a cut body's remains for a moment, so a refusal still in flight
    // would show up in another case's look at the bucket.
    const cases: [string, () => Promise<{ status: number }>, number][] = [
      ["no token", () => put(slot, content, "text/plain", { headers: { authorization: "" } }), 401],
      [
        "a token with a changed signature",
        () => put(slot, content, "text/plain", { headers: { authorization: `${slot.headers.Authorization}x` } }),
        403,
      ],
      [
        "an expired token",
        () => put(slot, content, "text/plain", { headers: { authorization: `Bearer ${expired}` } }),
        403,
      ],
      [
        "another slot's path",
        () =>
          fetchLoopback(`${origin}/${slotId}x/notes.txt`, {
            method: "PUT",
            headers: { ...slot.headers, "content-type": "text/plain" },
            body: content,
          }),
        403,
      ],
      [
        "another file name",
        () =>
          fetchLoopback(`${origin}/${slotId}/other.txt`, {
            method: "PUT",
            headers: { ...slot.headers, "content-type": "text/plain" },
            body: content,
          }),
        403,
      ],
      ["another type", () => put(slot, content, "text/html"), 415],
      ["a longer body", () => put(slot, content, "text/plain", { body: Buffer.concat([content, content]) }), 413],
      ["a shorter chunked body", () => put(slot, content, "text/plain", { body: [content.subarray(0, 5)] }), 413],
      [
        "a path trick",
        () =>
          fetchLoopback(`${origin}/`, {
            method: "PUT",
            rawPath: `/${slotId}/../notes.txt`,
            headers: slot.headers,
            body: content,
          }),
        400,
      ],
    ];
    for (const [name, response, status] of cases) {
      assert.equal((await response()).status, status, name);
      assert.deepEqual(await s3.objects(), before, `${name} wrote to the bucket`);
    }
    await assert.rejects(put(slot, content, "text/plain", { cutAfter: 4 }));
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.deepEqual(await s3.objects(), before, "a cut-off body wrote to the bucket");

    assert.equal((await put(slot, content, "text/plain")).status, 201, "the slot still works after the refusals");
    const after = await s3.objects();
    assert.equal(after.size, before.size + 1);
    assert.equal((await put(slot, Buffer.alloc(content.length, "x"), "text/plain")).status, 409, "a second PUT");
    assert.deepEqual(await s3.objects(), after);
  });

  it("never sends a slot Prosody refuses (too big, over quota) to the gateway", async () => {
    const requests = gatewayRequests();
    const before = await s3.objects();
    await assert.rejects(
      requestSlot(alice, "share.localhost", "huge.iso", 9 * MiB, "application/octet-stream"),
      /not-acceptable|file-too-large/,
    );
    // 5 MB were uploaded already; 12 MB a day is the quota.
    await assert.rejects(
      requestSlot(alice, "share.localhost", "more.bin", 7 * MiB + 1, "application/octet-stream"),
      /resource-constraint|quota/i,
    );
    assert.equal(gatewayRequests(), requests, "the gateway saw a request");
    assert.deepEqual(await s3.objects(), before);
    const errors = prosody
      .log()
      .split("\n")
      .filter((line) => /^\S+\s+error\s/.test(line));
    assert.deepEqual(errors, []);
  });

  it("keeps no object, whole or partial, of an upload whose gateway was killed, and takes a new slot after", async () => {
    const before = await s3.objects();
    const content = randomBytes(3 * MiB);
    const slot = await requestSlot(alice, "share.localhost", "cut.bin", content.length, "application/octet-stream");
    let killed: () => void = () => undefined;
    const kill = new Promise<void>((resolve) => (killed = resolve));
    // Settled at once, so the rejection the kill causes is handled when it happens.
    const upload = put(slot, content, "application/octet-stream", { pauseAfter: { bytes: MiB, until: kill } }).then(
      (response) => `answered ${response.status}`,
      (error: Error) => error,
    );
    await new Promise((resolve) => setTimeout(resolve, 500));
    await gateway.kill9();
    killed();
    const outcome = await upload;
    assert.ok(outcome instanceof Error, `the cut upload was ${String(outcome)}`);
    await gateway.start();
    assert.equal((await gateway.healthcheck()).code, 0, gateway.log());
    // s3rver shows a cut body's remains for a moment; S3 never stores a PUT that did not finish.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const afterKill = await s3.objects();
    assert.deepEqual(afterKill, before, "the killed upload left an object in the bucket");

    const fresh = randomBytes(MiB + 17);
    const next = await requestSlot(alice, "share.localhost", "after.bin", fresh.length, "application/octet-stream");
    assert.equal((await put(next, fresh, "application/octet-stream")).status, 201);
    const location = String((await fetchLoopback(next.get)).headers.location);
    assert.ok((await fetchLoopback(location)).body.equals(fresh), "the upload after the restart differs");
    recordFigure("gateway-killed-mid-upload", {
      title: "Upload gateway killed mid-upload",
      done: "A client streams a 3 MiB PUT through the gateway (the Docker platform's container, replayed with buildah) to an S3-compatible server; after 1 MiB the gateway gets SIGKILL, then starts again and a new slot is uploaded and downloaded.",
      test: __filename,
      figures: {
        "objects left by the killed upload": afterKill.size - before.size,
        "new upload after the restart": "201, bytes identical",
      },
    });
  });

  it("offers TLS 1.2+ with no weak suite on the gateway's port (sslscan)", async () => {
    const scan = await scanTls({ port: GATEWAY_PORT, host: "share.localhost" });
    assert.deepEqual(weaknesses(scan), []);
    recordFigure("tls-scan-gateway", {
      title: "TLS offered by the upload gateway",
      done: "Debian's sslscan scans the upload gateway's HTTPS port (the Docker platform's container, replayed with buildah; SNI share.localhost).",
      test: __filename,
      figures: {
        "protocols offered": scan.protocols,
        "cipher suites offered": scan.ciphers,
        "below TLS 1.2, null, anonymous, export, RC4, DES or MD5": weaknesses(scan).length,
      },
    });
  });
});
