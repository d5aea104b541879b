/**
 * Entry point of the upload gateway's image.
 *   node gateway.js            serve
 *   node gateway.js --health   ask the running gateway on this machine (the container health check)
 */
import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";
import { ProblemError } from "../../common/problems";
import { readGatewayConfig, type GatewayConfig } from "./config";
import { watchCertificate } from "./certificate-reload";
import { GATEWAY_HEALTH_FLAG, GATEWAY_HEALTH_WAIT_SECONDS } from "./contract";
import { ensureBucket } from "./bucket";
import { createS3Client } from "./s3";
import { createGateway, HEALTH_PATH } from "./server";
import { ensureTemporaryCertificate } from "./temporary-certificate";

/** EX_CONFIG from sysexits.h: a configuration error, so orchestrators do not retry in a tight loop expecting a fix. */
const EXIT_CONFIG = 78;

async function main(argv: readonly string[]): Promise<void> {
  if (!argv.includes(GATEWAY_HEALTH_FLAG))
    ensureTemporaryCertificate(process.env, (line) => process.stderr.write(`${line}\n`));
  let config: GatewayConfig;
  try {
    config = readGatewayConfig(process.env);
  } catch (error) {
    if (!(error instanceof ProblemError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exit(EXIT_CONFIG);
  }
  if (argv.includes(GATEWAY_HEALTH_FLAG)) return checkHealth(config);
  const s3 = createS3Client(config);
  const prepared = await ensureBucket(s3, config);
  const server = createGateway(config, s3);
  server.listen(config.port, config.host, () => {
    const scheme = config.tls ? "https" : "http";
    const listening = `${scheme}://${config.host}:${config.port}`;
    process.stdout.write(
      `${JSON.stringify({ listening, bucket: config.bucket, downloads: config.downloadMode, prepared })}\n`,
    );
  });
  watchCertificate(server, config);
  const stop = (): void => {
    server.close(() => process.exit(0));
    server.closeIdleConnections();
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
}

function checkHealth(config: GatewayConfig): void {
  const request = config.tls ? httpsRequest : httpRequest;
  // The health check runs beside the gateway: its certificate names the public host, not 127.0.0.1.
  const call = request(
    {
      host: "127.0.0.1",
      port: config.port,
      path: HEALTH_PATH,
      rejectUnauthorized: false,
      timeout: GATEWAY_HEALTH_WAIT_SECONDS * 1000,
    },
    (response) => {
      let body = "";
      response.on("data", (chunk: Buffer) => (body += chunk.toString()));
      response.on("end", () => {
        // Docker keeps this output with the health status: say why when unhealthy.
        process.stdout.write(`${response.statusCode} ${body}`);
        process.exit(response.statusCode === 200 ? 0 : 1);
      });
    },
  );
  call.on("error", (error) => {
    process.stdout.write(`the gateway does not answer on port ${config.port}: ${error.message}\n`);
    process.exit(1);
  });
  call.on("timeout", () => call.destroy(new Error("timeout")));
  call.end();
}

main(process.argv.slice(2)).catch((error: unknown) => {
  process.stderr.write(`upload gateway: ${(error as Error).message}\n`);
  process.exit(1);
});
