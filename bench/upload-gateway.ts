/**
 * Upload gateway throughput against direct S3 access, on one machine:
 * s3rver and the gateway (its production bundle) each in their own process
 * on loopback; this process is the client. For each file size, the same bytes
 * go PUT straight to S3 and PUT through the gateway, then come back with GET
 * both ways. Prints MB/s, the gateway/direct ratio, and the gateway's peak RSS
 * so far after each size (bodies stream in parts: it must not grow with the file).
 *
 *   npm run bench            (defaults: 1 MiB x 16, 16 MiB x 4, 64 MiB x 2)
 *   BENCH_ROUNDS=3 npm run bench
 */
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { GetObjectCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { createS3Client } from "../gateway/src/s3";
import { signUploadToken, slotClaims } from "../test/support/upload-token";

const ROOT = join(__dirname, "..");
const MiB = 1024 * 1024;
const SECRET = "bench-upload-secret-0123456789";
const BUCKET = "bench";
const S3_PORT = 25590;
const GATEWAY_PORT = 25591;
const CREDENTIALS = { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" };
const SIZES: [bytes: number, files: number][] = [
  [1 * MiB, 16],
  [16 * MiB, 4],
  [64 * MiB, 2],
];
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);

function startProcess(command: string, args: string[], env: NodeJS.ProcessEnv, ready: RegExp): Promise<ChildProcess> {
  const child = spawn(command, args, { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  return new Promise((resolve, reject) => {
    const check = (chunk: Buffer) => {
      output += chunk.toString();
      if (ready.test(output)) resolve(child);
    };
    child.stdout?.on("data", check);
    child.stderr?.on("data", check);
    child.on("exit", (code) => reject(new Error(`${command} exited with ${code}: ${output}`)));
  });
}

/** One HTTP exchange with a body, draining the answer; returns the status and the bytes received. */
function exchange(
  method: string,
  url: string,
  headers: Record<string, string>,
  body?: Buffer,
): Promise<{ status: number; bytes: number; location?: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers }, (response) => {
      let bytes = 0;
      response.on("data", (chunk: Buffer) => (bytes += chunk.length));
      response.on("end", () =>
        resolve({ status: response.statusCode ?? 0, bytes, location: response.headers.location }),
      );
    });
    req.on("error", reject);
    req.end(body);
  });
}

async function time(action: () => Promise<void>): Promise<number> {
  const started = process.hrtime.bigint();
  await action();
  return Number(process.hrtime.bigint() - started) / 1e9;
}

const rate = (bytes: number, seconds: number): number => bytes / MiB / seconds;
const peakRss = (pid: number): number =>
  Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? 0) / 1024;

async function main(): Promise<void> {
  const directory = mkdtempSync(join(tmpdir(), "bench-s3-"));
  const children: ChildProcess[] = [];
  try {
    children.push(
      await startProcess(
        join(ROOT, "node_modules", ".bin", "s3rver"),
        ["-d", directory, "-a", "127.0.0.1", "-p", String(S3_PORT), "--configure-bucket", BUCKET],
        {},
        /listening|S3rver/i,
      ),
    );
    const endpoint = `http://127.0.0.1:${S3_PORT}`;
    const gateway = await startProcess(
      process.execPath,
      [join(ROOT, "gateway", "dist", "gateway.js")],
      {
        S3_BUCKET: BUCKET,
        S3_ENDPOINT: endpoint,
        S3_FORCE_PATH_STYLE: "true",
        GATEWAY_SECRET: SECRET,
        GATEWAY_PORT: String(GATEWAY_PORT),
        GATEWAY_HOST: "127.0.0.1",
        GATEWAY_DOWNLOAD_MODE: "stream",
        AWS_ACCESS_KEY_ID: CREDENTIALS.accessKeyId,
        AWS_SECRET_ACCESS_KEY: CREDENTIALS.secretAccessKey,
        NODE_NO_WARNINGS: "1",
      },
      /listening/,
    );
    children.push(gateway);
    const s3 = createS3Client({ region: "us-east-1", endpoint, forcePathStyle: true }, CREDENTIALS);
    const gatewayUrl = `http://127.0.0.1:${GATEWAY_PORT}`;
    let slot = 0;

    console.log(`upload gateway vs direct S3 (s3rver on loopback), ${ROUNDS} round(s) per size, best round shown`);
    console.log("size      files  PUT direct  PUT gateway  ratio   GET direct  GET gateway  ratio  gateway peak RSS");
    for (const [size, files] of SIZES) {
      const bodies = Array.from({ length: files }, () => randomBytes(size));
      const best = { putDirect: 0, putGateway: 0, getDirect: 0, getGateway: 0 };
      for (let round = 0; round < ROUNDS; round++) {
        const keys: { direct: string; gateway: string }[] = bodies.map(() => ({
          direct: `direct-${++slot}/file.bin`,
          gateway: `bench${++slot}/file.bin`,
        }));
        const total = size * files;
        const putDirect = await time(async () => {
          for (const [index, body] of bodies.entries()) {
            await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: keys[index]!.direct, Body: body }));
          }
        });
        const putGateway = await time(async () => {
          for (const [index, body] of bodies.entries()) {
            const [slotId, filename] = keys[index]!.gateway.split("/") as [string, string];
            const token = signUploadToken(SECRET, slotClaims(slotId, filename, body.length));
            const answer = await exchange(
              "PUT",
              `${gatewayUrl}/${keys[index]!.gateway}`,
              {
                authorization: `Bearer ${token}`,
                "content-type": "application/octet-stream",
                "content-length": String(body.length),
              },
              body,
            );
            if (answer.status !== 201) throw new Error(`gateway PUT answered ${answer.status}`);
          }
        });
        const getDirect = await time(async () => {
          for (const key of keys) {
            const object = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: key.direct }));
            const bytes = (await object.Body?.transformToByteArray())?.length ?? 0;
            if (bytes !== size) throw new Error(`direct GET returned ${bytes} bytes`);
          }
        });
        const getGateway = await time(async () => {
          for (const key of keys) {
            const answer = await exchange("GET", `${gatewayUrl}/${key.gateway}`, {});
            if (answer.bytes !== size) throw new Error(`gateway GET returned ${answer.bytes} bytes`);
          }
        });
        best.putDirect = Math.max(best.putDirect, rate(total, putDirect));
        best.putGateway = Math.max(best.putGateway, rate(total, putGateway));
        best.getDirect = Math.max(best.getDirect, rate(total, getDirect));
        best.getGateway = Math.max(best.getGateway, rate(total, getGateway));
      }
      const mbs = (value: number) => `${value.toFixed(1).padStart(7)} MB/s`;
      console.log(
        `${`${size / MiB} MiB`.padEnd(9)} ${String(files).padStart(5)} ${mbs(best.putDirect)} ${mbs(best.putGateway)}  ` +
          `${(best.putGateway / best.putDirect).toFixed(2).padStart(5)}  ${mbs(best.getDirect)} ${mbs(best.getGateway)}  ` +
          `${(best.getGateway / best.getDirect).toFixed(2).padStart(5)}  ${peakRss(gateway.pid ?? 0)
            .toFixed(0)
            .padStart(5)} MiB`,
      );
    }
    s3.destroy();
  } finally {
    for (const child of children) child.kill("SIGTERM");
    rmSync(directory, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
