/** The gateway's own connection limits, on a real server: slow headers and idle uploads are cut, and leave nothing. */
import { strict as assert } from "node:assert";
import type { Server } from "node:http";
import { type AddressInfo, connect, type Socket } from "node:net";
import { readGatewayConfig } from "../../gateway/src/config";
import { createS3Client } from "../../gateway/src/s3";
import { CONNECTION_LIMITS, createGateway } from "../../gateway/src/server";
import { startS3Server, S3_CREDENTIALS, type S3TestServer } from "../support/s3";
import { signUploadToken, slotClaims } from "../support/upload-token";

const SECRET = "gateway-test-secret-0123456789";

/** Resolves with what the server sent before it closed the connection, and how long that took. */
const closed = (socket: Socket): Promise<{ answer: string; ms: number }> => {
  const started = Date.now();
  let answer = "";
  socket.on("data", (chunk: Buffer) => (answer += chunk.toString()));
  return new Promise((resolve) => socket.on("close", () => resolve({ answer, ms: Date.now() - started })));
};

describe("gateway: connection limits", function () {
  this.timeout(30000);
  let s3: S3TestServer;
  let server: Server;
  let port: number;

  before(async () => {
    s3 = await startS3Server();
    const config = readGatewayConfig({
      S3_BUCKET: s3.bucket,
      S3_ENDPOINT: s3.endpoint,
      S3_FORCE_PATH_STYLE: "true",
      GATEWAY_SECRET: SECRET,
    });
    server = createGateway(config, createS3Client(config, S3_CREDENTIALS), () => undefined, {
      ...CONNECTION_LIMITS,
      headersMs: 800,
      idleMs: 2500,
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    port = (server.address() as AddressInfo).port;
  });
  after(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await s3.stop();
  });

  it("sets limits of its own, and none on a whole request: a long upload over a slow link is not cut", () => {
    assert.equal(server.requestTimeout, 0);
    assert.equal(server.maxConnections, CONNECTION_LIMITS.maxConnections);
    assert.equal(server.maxHeadersCount, CONNECTION_LIMITS.maxHeaders);
    assert.equal(server.headersTimeout, 800);
    assert.equal(server.timeout, 2500);
  });

  it("closes a connection whose headers never end (slowloris)", async () => {
    const socket = connect(port, "127.0.0.1");
    const result = closed(socket);
    socket.write("PUT /slot/a.txt HTTP/1.1\r\nHost: share.example.org\r\n");
    const { answer, ms } = await result;
    assert.match(answer, /^HTTP\/1\.1 408/);
    assert.ok(ms < 5000, `closed after ${ms} ms`);
  });

  it("closes an upload that stops sending, and the bucket stays as it was", async () => {
    const before = await s3.objects();
    const slot = `idle-${Date.now()}`;
    const token = signUploadToken(SECRET, slotClaims(slot, "a.txt", 1000, "text/plain"));
    const socket = connect(port, "127.0.0.1");
    const result = closed(socket);
    socket.write(
      `PUT /${slot}/a.txt HTTP/1.1\r\nHost: share.example.org\r\nAuthorization: Bearer ${token}\r\n` +
        "Content-Type: text/plain\r\nContent-Length: 1000\r\n\r\nthe first bytes, then nothing",
    );
    const { ms } = await result;
    assert.ok(ms >= 2000 && ms < 8000, `closed after ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 400));
    assert.deepEqual(await s3.objects(), before);
  });
});
