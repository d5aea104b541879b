/** The gateway takes a certificate renewed in its files, on a real HTTPS server, and keeps the old one when the new files are broken. */
import { strict as assert } from "node:assert";
import { createPrivateKey, X509Certificate } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import type { Server } from "node:https";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { connect } from "node:tls";
import { reloadCertificate } from "../../gateway/src/certificate-reload";
import { readGatewayConfig } from "../../gateway/src/config";
import { createS3Client } from "../../gateway/src/s3";
import { createGateway } from "../../gateway/src/server";
import { ensureTemporaryCertificate, TEMPORARY_MARK } from "../../gateway/src/temporary-certificate";
import { testCa } from "../support/certificates";

const served = (port: number): Promise<string> =>
  new Promise((resolve, reject) => {
    const socket = connect(
      { host: "127.0.0.1", port, servername: "share.example.org", rejectUnauthorized: false },
      () => {
        resolve(socket.getPeerCertificate().serialNumber);
        socket.end();
      },
    );
    socket.on("error", reject);
  });

/** Whether the server agrees to a TLS 1.2 handshake offering only `ciphers`. */
const accepts = (port: number, ciphers: string): Promise<boolean> =>
  new Promise((resolve) => {
    const socket = connect(
      {
        host: "127.0.0.1",
        port,
        servername: "share.example.org",
        rejectUnauthorized: false,
        ciphers,
        maxVersion: "TLSv1.2",
      },
      () => {
        socket.end();
        resolve(true);
      },
    );
    socket.on("error", () => resolve(false));
  });

describe("gateway: a certificate renewed in its files", () => {
  it("serves the new pair to new connections, and keeps the old one when the files are not a usable pair", async () => {
    const folder = mkdtempSync(join(tmpdir(), "gateway-tls-"));
    const ca = testCa();
    const write = (pair: { chain: string; key: string }) => {
      writeFileSync(join(folder, "tls.crt"), pair.chain);
      writeFileSync(join(folder, "tls.key"), pair.key);
    };
    const first = ca.issue(["share.example.org"]);
    write(first);
    const environment = {
      S3_BUCKET: "uploads",
      GATEWAY_SECRET: "gateway-test-secret-0123456789",
      GATEWAY_TLS_CERT_FILE: join(folder, "tls.crt"),
      GATEWAY_TLS_KEY_FILE: join(folder, "tls.key"),
    };
    const config = readGatewayConfig(environment);
    const server = createGateway(config, createS3Client(config), () => undefined) as Server;
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    const lines: string[] = [];
    try {
      assert.equal(await served(port), new X509Certificate(first.leaf).serialNumber);
      assert.equal(await accepts(port, "ECDHE-ECDSA-AES128-SHA"), false, "a CBC suite at start");
      const renewed = ca.issue(["share.example.org"]);
      write(renewed);
      const now = reloadCertificate(server, environment, config.tls!, (line) => lines.push(line));
      assert.equal(await served(port), new X509Certificate(renewed.leaf).serialNumber);
      assert.deepEqual(lines, ['{"certificate":"reloaded"}']);
      // The renewed context keeps Prosody's cipher policy (AEAD only), where Node's defaults would take CBC.
      assert.equal(await accepts(port, "ECDHE-ECDSA-AES128-GCM-SHA256"), true);
      assert.equal(await accepts(port, "ECDHE-ECDSA-AES128-SHA"), false, "a CBC suite after a reload");
      // Half-written: a key that is not the certificate's own.
      writeFileSync(join(folder, "tls.key"), first.key);
      const kept = reloadCertificate(server, environment, now, (line) => lines.push(line));
      assert.equal(kept, now);
      assert.equal(await served(port), new X509Certificate(renewed.leaf).serialNumber);
      assert.match(lines[1] ?? "", /cannot be used, keeping the old one/);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      rmSync(folder, { recursive: true, force: true });
    }
  });
});

describe("the gateway before its first certificate", () => {
  let folder: string;
  beforeEach(() => {
    folder = mkdtempSync(join(tmpdir(), "gateway-temporary-"));
  });
  afterEach(() => rmSync(folder, { recursive: true, force: true }));

  const environment = () => ({
    GATEWAY_TLS_TEMPORARY: "example.org share.example.org",
    GATEWAY_TLS_CERT_FILE: join(folder, "tls.crt"),
    GATEWAY_TLS_KEY_FILE: join(folder, "tls.key"),
  });

  it("makes a temporary self-signed pair where the issued one will be, says so, and then leaves the files alone", () => {
    const lines: string[] = [];
    assert.equal(
      ensureTemporaryCertificate(environment(), (line) => lines.push(line)),
      true,
    );
    const certificate = new X509Certificate(readFileSync(join(folder, "tls.crt")));
    assert.ok(certificate.checkHost("share.example.org"));
    assert.ok(certificate.checkIssued(certificate), "self-signed");
    assert.match(certificate.subject, new RegExp(TEMPORARY_MARK));
    assert.equal(statSync(join(folder, "tls.key")).mode & 0o777, 0o600);
    assert.match(lines.join(""), /no certificate for example\.org yet: serving a temporary self-signed one/);
    const serial = certificate.serialNumber;
    assert.equal(
      ensureTemporaryCertificate(environment(), () => undefined),
      false,
      "an existing pair stays",
    );
    assert.equal(new X509Certificate(readFileSync(join(folder, "tls.crt"))).serialNumber, serial);
    assert.equal(
      ensureTemporaryCertificate({ ...environment(), GATEWAY_TLS_TEMPORARY: "" }, () => undefined),
      false,
    );
    assert.throws(
      () =>
        ensureTemporaryCertificate(
          { ...environment(), GATEWAY_TLS_CERT_FILE: join(folder, "other.crt"), GATEWAY_TLS_TEMPORARY: "x y/z" },
          () => undefined,
        ),
      /GATEWAY_TLS_TEMPORARY: "y\/z" is not a host name/,
    );
  });

  it("makes it in memory where the pair comes inline and both halves are still empty (AWS, before the renewer's first)", () => {
    const lines: string[] = [];
    const inline: NodeJS.ProcessEnv = {
      GATEWAY_TLS_TEMPORARY: "example.org share.example.org",
      GATEWAY_TLS_CERT: "",
      GATEWAY_TLS_KEY: "",
    };
    assert.equal(
      ensureTemporaryCertificate(inline, (line) => lines.push(line)),
      true,
    );
    const certificate = new X509Certificate(inline.GATEWAY_TLS_CERT ?? "");
    assert.ok(certificate.checkHost("share.example.org"));
    assert.match(certificate.subject, new RegExp(TEMPORARY_MARK));
    assert.ok(certificate.checkPrivateKey(createPrivateKey(inline.GATEWAY_TLS_KEY ?? "")), "the key is the pair's");
    assert.match(lines.join(""), /no certificate for example\.org yet/);
    assert.deepEqual(readdirSync(folder), [], "nothing written to disk");
    const issued = { ...inline };
    assert.equal(
      ensureTemporaryCertificate(issued, () => undefined),
      false,
      "an issued pair stays",
    );
    assert.equal(issued.GATEWAY_TLS_CERT, inline.GATEWAY_TLS_CERT);
  });
});
