/**
 * HTTPS and HTTP requests to the server under test: connect to loopback, but
 * verify the certificate for (and send the Host of) the URL's real host name.
 */
import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";

export interface HttpResponse {
  status: number;
  body: Buffer;
  headers: Record<string, string | string[] | undefined>;
}

export interface RequestOptions {
  method?: string;
  headers?: Record<string, string>;
  /** one body with its Content-Length, or a list of chunks sent with chunked transfer encoding */
  body?: Buffer | Buffer[];
  /** the request target exactly as written, bypassing URL normalisation (which would resolve "..") */
  rawPath?: string;
  /** send only this many bytes of `body`, then cut the connection */
  cutAfter?: number;
  /** send only `bytes` of `body`, wait for `until` (a fault the test injects meanwhile), then send the rest */
  pauseAfter?: { bytes: number; until: Promise<unknown> };
  /** the loopback address to connect from (127.0.0.2: a client outside an allowed network) */
  localAddress?: string;
}

export function fetchLoopback(url: string, options: RequestOptions = {}): Promise<HttpResponse> {
  const target = new URL(url);
  const request = target.protocol === "https:" ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = request(
      {
        hostname: "127.0.0.1",
        port: Number(target.port || (target.protocol === "https:" ? 443 : 80)),
        path: options.rawPath ?? `${target.pathname}${target.search}`,
        method: options.method ?? "GET",
        servername: target.hostname,
        headers: { host: target.host, ...options.headers },
        ...(options.localAddress ? { localAddress: options.localAddress } : {}),
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () =>
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks), headers: res.headers }),
        );
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    const { body, cutAfter, pauseAfter } = options;
    if (pauseAfter && Buffer.isBuffer(body)) {
      req.setHeader("content-length", body.length);
      req.write(body.subarray(0, pauseAfter.bytes));
      void pauseAfter.until.then(() => req.end(body.subarray(pauseAfter.bytes)));
      return;
    }
    if (cutAfter !== undefined && Buffer.isBuffer(body)) {
      req.setHeader("content-length", body.length);
      req.write(body.subarray(0, cutAfter), () => setTimeout(() => req.destroy(new Error("cut by the test")), 50));
      return;
    }
    if (Array.isArray(body)) {
      for (const chunk of body) req.write(chunk);
      req.end();
      return;
    }
    req.end(body);
  });
}
