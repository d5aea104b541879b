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
import { GetObjectCommand, PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { GATEWAY_VARIABLES as V } from "../gateway/src/contract";
import { createS3Client } from "../gateway/src/s3";
import { signUploadToken, slotClaims } from "../test/support/upload-token";

const ROOT = join(__dirname, "..");
const MiB = 1024 * 1024;
const SECRET = "bench-upload-secret-0123456789";
const BUCKET = "bench";
const S3_PORT = 25590;
const GATEWAY_PORT = 25591;
const S3_ENDPOINT = `http://127.0.0.1:${S3_PORT}`;
const GATEWAY_URL = `http://127.0.0.1:${GATEWAY_PORT}`;
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

/** s3rver and the gateway's production bundle, each in its own process on loopback. */
async function startServers(directory: string, children: ChildProcess[]): Promise<ChildProcess> {
  children.push(
    await startProcess(
      join(ROOT, "node_modules", ".bin", "s3rver"),
      ["-d", directory, "-a", "127.0.0.1", "-p", String(S3_PORT), "--configure-bucket", BUCKET],
      {},
      /listening|S3rver/i,
    ),
  );
  const gateway = await startProcess(
    process.execPath,
    [join(ROOT, "gateway", "dist", "gateway.js")],
    {
      [V.bucket]: BUCKET,
      [V.endpoint]: S3_ENDPOINT,
      [V.forcePathStyle]: "true",
      [V.secret]: SECRET,
      [V.port]: String(GATEWAY_PORT),
      [V.host]: "127.0.0.1",
      [V.downloadMode]: "stream",
      [V.accessKeyId]: CREDENTIALS.accessKeyId,
      [V.secretAccessKey]: CREDENTIALS.secretAccessKey,
      NODE_NO_WARNINGS: "1",
    },
    /listening/,
  );
  children.push(gateway);
  return gateway;
}

interface Rates {
  putDirect: number;
  putGateway: number;
  getDirect: number;
  getGateway: number;
}

let slot = 0;

/** One round: the same bodies straight to S3 and through the gateway, up and down; MB/s each way. */
async function round(s3: S3Client, bodies: readonly Buffer[], size: number): Promise<Rates> {
  const keys = bodies.map(() => ({ direct: `direct-${++slot}/file.bin`, gateway: `bench${++slot}/file.bin` }));
  const total = size * bodies.length;
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
        `${GATEWAY_URL}/${keys[index]!.gateway}`,
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
      const answer = await exchange("GET", `${GATEWAY_URL}/${key.gateway}`, {});
      if (answer.bytes !== size) throw new Error(`gateway GET returned ${answer.bytes} bytes`);
    }
  });
  return {
    putDirect: rate(total, putDirect),
    putGateway: rate(total, putGateway),
    getDirect: rate(total, getDirect),
    getGateway: rate(total, getGateway),
  };
}

function row(size: number, files: number, best: Rates, rssMiB: number): string {
  const mbs = (value: number) => `${value.toFixed(1).padStart(7)} MB/s`;
  const ratio = (of: number, to: number) => (of / to).toFixed(2).padStart(5);
  return (
    `${`${size / MiB} MiB`.padEnd(9)} ${String(files).padStart(5)} ${mbs(best.putDirect)} ${mbs(best.putGateway)}  ` +
    `${ratio(best.putGateway, best.putDirect)}  ${mbs(best.getDirect)} ${mbs(best.getGateway)}  ` +
    `${ratio(best.getGateway, best.getDirect)}  ${rssMiB.toFixed(0).padStart(5)} MiB`
  );
}

async function main(): Promise<void> {
  const directory = mkdtempSync(join(tmpdir(), "bench-s3-"));
  const children: ChildProcess[] = [];
  try {
    const gateway = await startServers(directory, children);
    const s3 = createS3Client({ region: "us-east-1", endpoint: S3_ENDPOINT, forcePathStyle: true }, CREDENTIALS);
    console.log(`upload gateway vs direct S3 (s3rver on loopback), ${ROUNDS} round(s) per size, best round shown`);
    console.log("size      files  PUT direct  PUT gateway  ratio   GET direct  GET gateway  ratio  gateway peak RSS");
    for (const [size, files] of SIZES) {
      const bodies = Array.from({ length: files }, () => randomBytes(size));
      const best: Rates = { putDirect: 0, putGateway: 0, getDirect: 0, getGateway: 0 };
      for (let count = 0; count < ROUNDS; count++) {
        const rates = await round(s3, bodies, size);
        for (const key of Object.keys(best) as (keyof Rates)[]) best[key] = Math.max(best[key], rates[key]);
      }
      console.log(row(size, files, best, peakRss(gateway.pid ?? 0)));
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
