/**
 * The gateway's HTTP(S) server: routing, CORS for web clients, the health
 * endpoint and one log line per request. Stateless: every decision comes from
 * the request, its token and the bucket.
 */
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import { HeadBucketCommand, type S3Client } from "@aws-sdk/client-s3";
import type { GatewayConfig } from "./config";
import { type DownloadSource, end, handleDownload } from "./download";
import { parseSlotPath } from "./slot-path";
import { TLS_POLICY } from "./tls-policy";
import { handleUpload, type UploadTarget } from "./upload";

export const HEALTH_PATH = "/health";
const ALLOWED_METHODS = "GET, HEAD, PUT, OPTIONS";
const HEALTH_TIMEOUT_MS = 3000;

export type RequestLog = (entry: { method: string; path: string; status: number; ms: number; reason?: string }) => void;

const jsonLog: RequestLog = (entry) =>
  process.stdout.write(`${JSON.stringify({ time: new Date().toISOString(), ...entry })}\n`);

/**
 * The gateway's own limits, so a slow or idle client cannot hold connections open on Node's
 * defaults. No limit on a whole request: a large upload over a slow link may take hours (Node's
 * default of 300 s would cut every upload longer than five minutes); a connection that sends nothing
 * for `idleMs` is closed instead, and its upload leaves nothing in the bucket.
 */
export interface ConnectionLimits {
  /** the request line and headers must arrive within this */
  headersMs: number;
  /** a connection with no bytes either way for this long is closed */
  idleMs: number;
  /** connections open at once; more are refused at accept */
  maxConnections: number;
  /** headers per request */
  maxHeaders: number;
}

export const CONNECTION_LIMITS: ConnectionLimits = {
  headersMs: 15_000,
  idleMs: 60_000,
  maxConnections: 1024,
  maxHeaders: 64,
};

export function createGateway(
  config: GatewayConfig,
  s3: S3Client,
  log: RequestLog = jsonLog,
  limits: ConnectionLimits = CONNECTION_LIMITS,
): Server {
  const uploadTarget: UploadTarget = { s3, bucket: config.bucket, secret: config.secret, inFlight: new Set<string>() };
  const downloadSource: DownloadSource = {
    s3,
    bucket: config.bucket,
    mode: config.downloadMode,
    presignSeconds: config.presignSeconds,
  };
  const handle = async (
    request: IncomingMessage,
    response: ServerResponse,
  ): Promise<{ status: number; reason?: string }> => {
    setCorsHeaders(request, response, config.corsOrigins);
    const target = request.url ?? "/";
    if (request.method === "OPTIONS") {
      response.writeHead(204, {
        "access-control-allow-methods": ALLOWED_METHODS,
        "access-control-allow-headers": "Authorization, Content-Type",
        "access-control-max-age": "86400",
      });
      response.end();
      return { status: 204 };
    }
    if (target === HEALTH_PATH && (request.method === "GET" || request.method === "HEAD")) {
      return health(response, s3, config.bucket);
    }
    const parsed = parseSlotPath(target);
    if (!parsed.ok) return refuse(request, response, parsed.refusal);
    switch (request.method) {
      case "PUT": {
        const result = await handleUpload(request, parsed.path, uploadTarget);
        if ("reason" in result) return refuse(request, response, result);
        response.writeHead(201, { "content-length": "0" });
        response.end();
        return { status: 201 };
      }
      case "GET":
      case "HEAD":
        return {
          status: await handleDownload(request, response, parsed.path, downloadSource),
        };
      default:
        response.setHeader("allow", ALLOWED_METHODS);
        return refuse(request, response, { status: 405, reason: "use PUT to upload, GET or HEAD to download" });
    }
  };

  const listener = (request: IncomingMessage, response: ServerResponse): void => {
    const started = performance.now();
    const path = (request.url ?? "/").split("?", 1)[0] ?? "/";
    const method = request.method ?? "?";
    handle(request, response)
      .catch((error: unknown) => {
        if (!response.headersSent) end(response, 502, "the storage service failed; try again");
        else response.destroy();
        return { status: 502, reason: (error as Error).message };
      })
      .then(({ status, reason }) => {
        if (path !== HEALTH_PATH)
          log({ method, path, status, ms: Math.round(performance.now() - started), ...(reason ? { reason } : {}) });
      });
  };
  const options = {
    headersTimeout: limits.headersMs,
    // Node checks the headers limit only this often (default 30 s): often enough for it to mean it.
    connectionsCheckingInterval: Math.min(1_000, limits.headersMs),
    requestTimeout: 0,
    keepAliveTimeout: Math.min(5_000, limits.idleMs),
  };
  const server = config.tls
    ? createHttpsServer({ ...options, ...TLS_POLICY, cert: config.tls.cert, key: config.tls.key }, listener)
    : createHttpServer(options, listener);
  server.maxConnections = limits.maxConnections;
  server.maxHeadersCount = limits.maxHeaders;
  server.setTimeout(limits.idleMs, (socket) => socket.destroy());
  return server;
}

/** A refusal writes nothing to S3; the unread body is discarded so keep-alive clients still read the answer. */
function refuse(
  request: IncomingMessage,
  response: ServerResponse,
  refusal: { status: number; reason: string },
): { status: number; reason: string } {
  request.resume();
  if (refusal.status === 401) response.setHeader("www-authenticate", 'Bearer realm="upload"');
  end(response, refusal.status, refusal.reason);
  return refusal;
}

function setCorsHeaders(
  request: IncomingMessage,
  response: ServerResponse,
  origins: GatewayConfig["corsOrigins"],
): void {
  const origin = request.headers.origin;
  if (origins === "*") {
    response.setHeader("access-control-allow-origin", "*");
  } else if (origin && origins.includes(origin)) {
    response.setHeader("access-control-allow-origin", origin);
    response.setHeader("vary", "Origin");
  } else {
    return;
  }
  response.setHeader("access-control-expose-headers", "Content-Length, Content-Range, Content-Disposition, ETag");
}

async function health(
  response: ServerResponse,
  s3: S3Client,
  bucket: string,
): Promise<{ status: number; reason?: string }> {
  try {
    await s3.send(new HeadBucketCommand({ Bucket: bucket }), { abortSignal: AbortSignal.timeout(HEALTH_TIMEOUT_MS) });
    end(response, 200, "ok");
    return { status: 200 };
  } catch (error) {
    const reason = `bucket ${bucket} is not reachable: ${(error as Error).name}`;
    end(response, 503, reason);
    return { status: 503, reason };
  }
}
