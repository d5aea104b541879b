/**
 * The gateway against a real S3 protocol server (s3rver on loopback): uploads
 * land with their key and type, downloads come back byte-identical, and every
 * refusal leaves the bucket as it was.
 */
import { strict as assert } from "node:assert";
import { createHash, randomBytes } from "node:crypto";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { HeadObjectCommand } from "@aws-sdk/client-s3";
import { ensureBucket } from "../../gateway/src/bucket";
import { readGatewayConfig, type GatewayConfig } from "../../gateway/src/config";
import { createS3Client } from "../../gateway/src/s3";
import { createGateway } from "../../gateway/src/server";
import { fetchLoopback, type RequestOptions } from "../support/http";
import { startS3Server, S3_CREDENTIALS, type S3TestServer } from "../support/s3";
import { signUploadToken, slotClaims, type TokenClaims } from "../support/upload-token";

const SECRET = "gateway-test-secret-0123456789";

interface RunningGateway {
  url: string;
  server: Server;
}

async function startGateway(s3: S3TestServer, overrides: NodeJS.ProcessEnv = {}): Promise<RunningGateway> {
  const config: GatewayConfig = readGatewayConfig({
    S3_BUCKET: s3.bucket,
    S3_ENDPOINT: s3.endpoint,
    S3_FORCE_PATH_STYLE: "true",
    GATEWAY_SECRET: SECRET,
    ...overrides,
  });
  // s3rver checks SigV4 against the key pair the test support registered with it.
  const client = createS3Client(config, S3_CREDENTIALS);
  const server = createGateway(config, client, () => undefined);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

const stopGateway = (gateway: RunningGateway): Promise<void> =>
  new Promise((resolve) => {
    gateway.server.closeAllConnections();
    gateway.server.close(() => resolve());
  });

describe("gateway: against an S3 server", function () {
  this.timeout(60000);
  let s3: S3TestServer;
  let gateway: RunningGateway;
  let slotCounter = 0;

  before(async () => {
    s3 = await startS3Server();
    gateway = await startGateway(s3, { GATEWAY_DOWNLOAD_MODE: "stream" });
  });
  after(async () => {
    await stopGateway(gateway);
    await s3.stop();
  });

  const newSlot = (): string => `slot${++slotCounter}-${randomBytes(4).toString("hex")}`;
  const put = (path: string, claims: TokenClaims | undefined, options: RequestOptions = {}) =>
    fetchLoopback(`${gateway.url}/`, {
      method: "PUT",
      rawPath: path,
      ...options,
      headers: {
        ...(claims ? { authorization: `Bearer ${signUploadToken(SECRET, claims)}` } : {}),
        ...(claims?.filetype ? { "content-type": claims.filetype } : {}),
        ...options.headers,
      },
    });

  it("stores an upload at <slot>/<filename> with its type and serves it back byte-identical", async () => {
    const slot = newSlot();
    const body = randomBytes(300 * 1024);
    const claims = slotClaims(slot, "holiday photo.jpg", body.length, "image/jpeg");
    const created = await put(`/${slot}/holiday%20photo.jpg`, claims, { body });
    assert.equal(created.status, 201, created.body.toString());

    const head = await s3.client.send(new HeadObjectCommand({ Bucket: s3.bucket, Key: `${slot}/holiday photo.jpg` }));
    assert.equal(head.ContentType, "image/jpeg");
    assert.equal(head.ContentLength, body.length);

    const got = await fetchLoopback(`${gateway.url}/${slot}/holiday%20photo.jpg`);
    assert.equal(got.status, 200);
    assert.ok(got.body.equals(body), "the download differs from the upload");
    assert.equal(got.headers["content-type"], "image/jpeg");
    assert.equal(got.headers["content-disposition"], "inline; filename*=UTF-8''holiday%20photo.jpg");
    assert.equal(got.headers["x-content-type-options"], "nosniff");
    assert.match(String(got.headers["content-security-policy"]), /default-src 'none'/);

    const range = await fetchLoopback(`${gateway.url}/${slot}/holiday%20photo.jpg`, {
      headers: { range: "bytes=10-19" },
    });
    assert.equal(range.status, 206);
    assert.ok(range.body.equals(body.subarray(10, 20)));

    const headOnly = await fetchLoopback(`${gateway.url}/${slot}/holiday%20photo.jpg`, { method: "HEAD" });
    assert.equal(headOnly.status, 200);
    assert.equal(headOnly.headers["content-length"], String(body.length));
  });

  it("streams a body of more than one multipart part as one PutObject: the token gives its exact size", async () => {
    const slot = newSlot();
    const body = randomBytes(20 * 1024 * 1024 + 12345);
    const chunks = Array.from({ length: Math.ceil(body.length / 65536) }, (_, index) =>
      body.subarray(index * 65536, (index + 1) * 65536),
    );
    const created = await put(`/${slot}/big.bin`, slotClaims(slot, "big.bin", body.length), { body: chunks });
    assert.equal(created.status, 201, created.body.toString());
    const got = await fetchLoopback(`${gateway.url}/${slot}/big.bin`);
    assert.ok(got.body.equals(body));
    assert.equal(got.headers["content-disposition"], "attachment; filename*=UTF-8''big.bin");
    // A multipart object's ETag ends in -<parts>; a single PUT's is the body's MD5.
    const head = await s3.client.send(new HeadObjectCommand({ Bucket: s3.bucket, Key: `${slot}/big.bin` }));
    assert.equal(head.ETag, `"${createHash("md5").update(body).digest("hex")}"`);
  });

  describe("refusals write nothing", () => {
    const refusals: [string, () => { path: string; claims?: TokenClaims; options?: RequestOptions }, number][] = [
      ["no token", () => ({ path: `/${newSlot()}/a.txt`, options: { body: Buffer.from("hello") } }), 401],
      [
        "a token signed with another secret",
        () => {
          const slot = newSlot();
          return {
            path: `/${slot}/a.txt`,
            options: {
              body: Buffer.from("hello"),
              headers: {
                authorization: `Bearer ${signUploadToken("another-secret-entirely", slotClaims(slot, "a.txt", 5))}`,
              },
            },
          };
        },
        403,
      ],
      [
        "an expired token",
        () => {
          const slot = newSlot();
          const claims = { ...slotClaims(slot, "a.txt", 5), exp: Math.floor(Date.now() / 1000) - 1 };
          return { path: `/${slot}/a.txt`, claims, options: { body: Buffer.from("hello") } };
        },
        403,
      ],
      [
        "a token for another slot",
        () => ({
          path: `/${newSlot()}/a.txt`,
          claims: slotClaims(newSlot(), "a.txt", 5),
          options: { body: Buffer.from("hello") },
        }),
        403,
      ],
      [
        "a token for another file name",
        () => {
          const slot = newSlot();
          return {
            path: `/${slot}/b.txt`,
            claims: slotClaims(slot, "a.txt", 5),
            options: { body: Buffer.from("hello") },
          };
        },
        403,
      ],
      [
        "another Content-Type",
        () => {
          const slot = newSlot();
          return {
            path: `/${slot}/a.txt`,
            claims: slotClaims(slot, "a.txt", 5, "text/plain"),
            options: { body: Buffer.from("hello"), headers: { "content-type": "text/html" } },
          };
        },
        415,
      ],
      [
        "a Content-Length other than the slot's size",
        () => {
          const slot = newSlot();
          return {
            path: `/${slot}/a.txt`,
            claims: slotClaims(slot, "a.txt", 4),
            options: { body: Buffer.from("hello") },
          };
        },
        413,
      ],
      [
        "a chunked body longer than promised",
        () => {
          const slot = newSlot();
          return {
            path: `/${slot}/a.txt`,
            claims: slotClaims(slot, "a.txt", 6),
            options: { body: [Buffer.from("hello"), Buffer.from(" world")] },
          };
        },
        413,
      ],
      [
        "a chunked body shorter than promised",
        () => {
          const slot = newSlot();
          return {
            path: `/${slot}/a.txt`,
            claims: slotClaims(slot, "a.txt", 20),
            options: { body: [Buffer.from("hello")] },
          };
        },
        413,
      ],
      [
        "a path with ..",
        () => ({ path: `/${newSlot()}/..`, claims: slotClaims("x", "..", 5), options: { body: Buffer.from("hello") } }),
        400,
      ],
      ["a path climbing out", () => ({ path: `/../${newSlot()}/a.txt`, options: { body: Buffer.from("hello") } }), 400],
      ["an encoded slash", () => ({ path: `/${newSlot()}/a%2Fb`, options: { body: Buffer.from("hello") } }), 400],
      ["an extra segment", () => ({ path: `/${newSlot()}/x/a.txt`, options: { body: Buffer.from("hello") } }), 400],
    ];
    for (const [name, make, status] of refusals) {
      it(`${name}: ${status}`, async () => {
        const before = await s3.objects();
        const { path, claims, options } = make();
        const response = await put(path, claims, options);
        assert.equal(response.status, status, response.body.toString());
        assert.deepEqual(await s3.objects(), before);
      });
    }

    it("a body cut off before its Content-Length", async () => {
      const before = await s3.objects();
      const slot = newSlot();
      const body = randomBytes(64 * 1024);
      await assert.rejects(put(`/${slot}/cut.bin`, slotClaims(slot, "cut.bin", body.length), { body, cutAfter: 1000 }));
      // The gateway notices the closed connection asynchronously.
      await new Promise((resolve) => setTimeout(resolve, 300));
      assert.deepEqual(await s3.objects(), before);
    });

    it("a second PUT to a completed slot: 409, the first file kept", async () => {
      const slot = newSlot();
      const claims = slotClaims(slot, "once.txt", 5, "text/plain");
      assert.equal((await put(`/${slot}/once.txt`, claims, { body: Buffer.from("first") })).status, 201);
      const before = await s3.objects();
      const again = await put(`/${slot}/once.txt`, claims, { body: Buffer.from("again") });
      assert.equal(again.status, 409);
      assert.deepEqual(await s3.objects(), before);
      assert.equal((await fetchLoopback(`${gateway.url}/${slot}/once.txt`)).body.toString(), "first");
    });

    it("ten simultaneous PUTs of one slot: one 201, nine 409, and the stored bytes are the winner's", async () => {
      const slot = newSlot();
      const claims = slotClaims(slot, "race.txt", 6, "text/plain");
      const bodies = Array.from({ length: 10 }, (_, index) => `body-${index}`);
      const answers = await Promise.all(
        bodies.map((body) => put(`/${slot}/race.txt`, claims, { body: Buffer.from(body) })),
      );
      const statuses = answers.map((answer) => answer.status);
      assert.deepEqual([...statuses].sort(), [201, 409, 409, 409, 409, 409, 409, 409, 409, 409]);
      const winner = bodies[statuses.indexOf(201)];
      assert.equal((await fetchLoopback(`${gateway.url}/${slot}/race.txt`)).body.toString(), winner);
    });

    it("methods other than PUT, GET, HEAD and OPTIONS: 405", async () => {
      const response = await fetchLoopback(`${gateway.url}/${newSlot()}/a.txt`, { method: "DELETE" });
      assert.equal(response.status, 405);
      assert.equal(response.headers.allow, "GET, HEAD, PUT, OPTIONS");
    });
  });

  it("answers a missing upload with 404", async () => {
    assert.equal((await fetchLoopback(`${gateway.url}/${newSlot()}/nothing.txt`)).status, 404);
  });

  it("answers CORS preflights so web clients can upload", async () => {
    const response = await fetchLoopback(`${gateway.url}/${newSlot()}/a.txt`, {
      method: "OPTIONS",
      headers: { origin: "https://web.example", "access-control-request-method": "PUT" },
    });
    assert.equal(response.status, 204);
    assert.equal(response.headers["access-control-allow-origin"], "*");
    assert.match(String(response.headers["access-control-allow-headers"]), /Authorization/);
    assert.match(String(response.headers["access-control-allow-methods"]), /PUT/);
  });

  it("reports health from the bucket: 200 when reachable, 503 when not", async () => {
    assert.equal((await fetchLoopback(`${gateway.url}/health`)).status, 200);
    const broken = await startGateway(s3, { S3_BUCKET: "no-such-bucket" });
    try {
      const response = await fetchLoopback(`${broken.url}/health`);
      assert.equal(response.status, 503);
      assert.match(response.body.toString(), /no-such-bucket/);
    } finally {
      await stopGateway(broken);
    }
  });

  it("redirects downloads to a presigned URL that serves the file as an attachment", async () => {
    const redirecting = await startGateway(s3, { GATEWAY_DOWNLOAD_MODE: "redirect", GATEWAY_PRESIGN_SECONDS: "120" });
    try {
      const slot = newSlot();
      const body = Buffer.from("<html><script>alert(1)</script></html>");
      const claims = slotClaims(slot, "page.html", body.length, "text/html");
      assert.equal((await put(`/${slot}/page.html`, claims, { body })).status, 201);
      const response = await fetchLoopback(`${redirecting.url}/${slot}/page.html`);
      assert.equal(response.status, 302);
      const location = new URL(String(response.headers.location));
      assert.equal(location.origin, s3.endpoint);
      assert.equal(location.searchParams.get("X-Amz-Expires"), "120");
      const object = await fetchLoopback(location.href);
      assert.equal(object.status, 200);
      assert.ok(object.body.equals(body));
      assert.equal(object.headers["content-disposition"], "attachment; filename*=UTF-8''page.html");
      // An SVG is an image that runs scripts: the bucket, which sends no Content-Security-Policy, must not show it.
      const svgSlot = newSlot();
      const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>');
      const svgClaims = slotClaims(svgSlot, "logo.svg", svg.length, "image/svg+xml");
      assert.equal((await put(`/${svgSlot}/logo.svg`, svgClaims, { body: svg })).status, 201);
      const svgRedirect = await fetchLoopback(`${redirecting.url}/${svgSlot}/logo.svg`);
      const svgObject = await fetchLoopback(new URL(String(svgRedirect.headers.location)).href);
      assert.equal(svgObject.headers["content-disposition"], "attachment; filename*=UTF-8''logo.svg");
      const streamed = await fetchLoopback(`${gateway.url}/${svgSlot}/logo.svg`);
      assert.equal(streamed.headers["content-disposition"], "attachment; filename*=UTF-8''logo.svg");
      assert.equal((await fetchLoopback(`${redirecting.url}/${newSlot()}/missing.txt`)).status, 404);
    } finally {
      await stopGateway(redirecting);
    }
  });

  it("creates a missing bucket at start when asked, and reports a server without lifecycle rules", async () => {
    const client = createS3Client({ region: "us-east-1", endpoint: s3.endpoint, forcePathStyle: true }, S3_CREDENTIALS);
    try {
      assert.deepEqual(await ensureBucket(client, { bucket: "made-at-start", createBucket: false }), []);
      const done = await ensureBucket(client, { bucket: "made-at-start", createBucket: true, bucketExpiryDays: 7 });
      assert.equal(done[0], "created bucket made-at-start");
      // s3rver has no lifecycle rules (MinIO and AWS do): the gateway says so and still starts.
      assert.equal(done[1], "warning: the server refused the lifecycle rule (NotImplemented); uploads will not expire");
      const again = await ensureBucket(client, { bucket: "made-at-start", createBucket: true });
      assert.deepEqual(again, [], "an existing bucket is left alone");
    } finally {
      client.destroy();
    }
  });
});
