/**
 * A Let's Encrypt certificate on AWS, issued and renewed where the server
 * runs, with no Pulumi run: the prod stack (tls.mode acme, Route53) runs
 * under Pulumi's mocks, and its renewer and Prosody tasks are started with
 * buildah from their task definitions, as in aws-task.test.ts. The renewer
 * reaches Route53, Secrets Manager and ECS through loopback stand-ins
 * (harness/route53-api.ts, harness/aws-api.ts) in place of its task role;
 * pebble validates the DNS-01 challenges against a Knot DNS zone. Each new
 * deployment the renewer starts replaces Prosody's task as ECS does (the old
 * one stopped first), with the secret's current version, and a client with
 * xmpp.js's reconnection comes back to each new certificate.
 */
import { strict as assert } from "node:assert";
import { chmodSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { RENEWER_SECRET_KEYS } from "../../renewer/src/contract";
import { recordFigure } from "../support/figures";
import { byName, programShowingAdminPasswords, runTested, stackWith, type TestedRun } from "../support/mock-stack";
import { type AwsApi, startAwsApi } from "./harness/aws-api";
import { suiteCa } from "./harness/certs";
import { RENEWER_IMAGE, ReplayedContainer } from "./harness/docker-replay";
import { ecsContainerInputs } from "./harness/ecs-replay";
import { type KnotServer, startKnot } from "./harness/knot";
import { type Pebble, startPebble } from "./harness/pebble";
import { type Postgres, startPostgres } from "./harness/postgres";
import { reconnects, serialOf, served, until, verifiedSerial } from "./harness/renewal";
import { type Route53Api, startRoute53Api } from "./harness/route53-api";
import { PORTS } from "./harness/server";
import { trustAlso } from "./harness/trust";
import { archivedBodies, login, sendChat, type Session } from "./harness/xmpp";

const DOMAIN = "renewal-aws.e2e.test";
const HOSTS = [DOMAIN, `groups.${DOMAIN}`, `share.${DOMAIN}`, `proxy.${DOMAIN}`];
const LOOPBACK = { dns: 25355, route53: 25382, pebble: 24011, aws: 25390, database: 25433 };
const CA_FILE = "/etc/prosody-renewer-e2e/ca.crt";
const RENEWALS = 3;
const SERVER_PORTS = [PORTS.c2s, PORTS.c2sDirectTls, PORTS.s2s];

const awsAcmeStack = () =>
  stackWith("prod", {
    "prosody:domain": DOMAIN,
    "prosody:admins": [`admin@${DOMAIN}`],
    "prosody:tls": { mode: "acme" },
    "prosody:dns": { provider: "route53" },
    "prosody:ports": PORTS,
    "prosody:interfaces": ["127.0.0.1"],
    "prosody:database": { port: LOOPBACK.database },
  });

describe("a Let's Encrypt certificate on AWS, issued and renewed where the server runs", function () {
  this.timeout(900_000);
  let root: string;
  let postgres: Postgres | undefined;
  let dns: KnotServer | undefined;
  let route53: Route53Api | undefined;
  let pebble: Pebble | undefined;
  let aws: AwsApi | undefined;
  const containers = new Set<ReplayedContainer>();
  const sessions: Session[] = [];
  let untrust: (() => void) | undefined;
  /** Each new deployment of Prosody's service, in order: the old task stops, then the new one starts. */
  let rollovers: Promise<void> = Promise.resolve();
  /** Set once the test is over: a deployment asked for later starts nothing. */
  let closing = false;

  before(async () => {
    root = mkdtempSync(join(tmpdir(), "prosody-renewal-aws-"));
    chmodSync(root, 0o755);
    postgres = startPostgres(LOOPBACK.database);
    dns = await startKnot(LOOPBACK.dns, DOMAIN, Object.fromEntries(HOSTS.map((host) => [host, "127.0.0.1"])));
    route53 = await startRoute53Api(LOOPBACK.route53, dns);
    pebble = await startPebble(LOOPBACK.pebble, dns.address);
  });

  after(async () => {
    untrust?.();
    closing = true;
    for (const session of sessions) await session.close().catch(() => undefined);
    // No task may start after the cleanup: the renewer first, then any rollover under way, then the rest.
    await aws?.stop();
    await rollovers.catch(() => undefined);
    for (const container of containers) await container.remove().catch(() => undefined);
    await pebble?.close();
    await route53?.stop();
    await dns?.stop();
    postgres?.stop();
    rmSync(root, { recursive: true, force: true });
  });

  it("starts on a temporary pair; each pair the renewer writes rolls Prosody's task over, and the client follows", async () => {
    const run: TestedRun = await runTested("prod", awsAcmeStack(), programShowingAdminPasswords, {
      outputs: (type, name) => {
        if (type === "aws:rds/instance:Instance") return { address: postgres?.host };
        if (name === "prosody-database-password") return { result: postgres?.password };
        return undefined;
      },
    });
    const adminPassword = (run.outputs.shownAdminPasswords as Record<string, string>)[`admin@${DOMAIN}`] ?? "";
    const tlsArn = String(
      JSON.parse(String(byName(run, "prosody-renewer-task").clearInputs.containerDefinitions))[0].environment.find(
        (variable: { name: string }) => variable.name === "RENEWER_TLS_ARN",
      ).value,
    );
    assert.ok(tlsArn.endsWith(":prosody-tls-secret"), tlsArn);
    const written = String(byName(run, "prosody-tls-secret-version").clearInputs.secretString);

    // Prosody's task as ECS starts it: the secret's current version, whoever wrote it.
    let generation = 0;
    const startServer = async (): Promise<ReplayedContainer> => {
      generation += 1;
      const server = new ReplayedContainer(
        ecsContainerInputs(run, "prosody-server-task", (arn) => aws?.current(arn)),
        join(root, "volumes"),
        join(root, `server-${generation}`),
      );
      containers.add(server);
      await server.start(SERVER_PORTS);
      return server;
    };
    let server: ReplayedContainer | undefined;
    aws = await startAwsApi(LOOPBACK.aws, { [tlsArn]: written }, (_cluster, service) => {
      if (!service.startsWith("prosody-server-service") || closing) return;
      rollovers = rollovers.then(async () => {
        if (closing) return;
        const old = server;
        if (old) {
          await old.remove();
          containers.delete(old);
        }
        server = await startServer();
      });
    });

    server = await startServer();
    const registered = server.exec([
      "sh",
      "-c",
      `printf '%s\\n' "$PROSODY_CONFIG_TEXT" > /tmp/prosody.cfg.lua && prosodyctl --config /tmp/prosody.cfg.lua register bob ${DOMAIN} bob-password-1`,
    ]);
    assert.equal(registered.code, 0, registered.output);
    assert.match(server.log(), /no certificate for renewal-aws\.e2e\.test yet: serving a temporary self-signed one/);
    const waiting = await server.healthcheck();
    assert.equal(waiting.code, 0, waiting.output);
    assert.match(waiting.output, /temporary self-signed certificate/);

    const definition = ecsContainerInputs(run, "prosody-renewer-task");
    const renewer = new ReplayedContainer(
      {
        ...definition,
        envs: [
          ...(definition.envs ?? []).filter((entry) => !/^RENEWER_(DIRECTORY|RENEW_DAYS_BEFORE)=/.test(entry)),
          `RENEWER_DIRECTORY=${pebble!.directory}`,
          // pebble's certificates last five years: renewing at every look gives renewals within minutes.
          "RENEWER_RENEW_DAYS_BEFORE=100000",
          // Long enough for a client to log in and chat between two rollovers.
          "RENEWER_CHECK_SECONDS=20",
          "RENEWER_RETRY_SECONDS=5",
          `REQUESTS_CA_BUNDLE=${CA_FILE}`,
          // The stand-ins, and keys in place of the task role.
          `AWS_ENDPOINT_URL_ROUTE_53=${route53!.endpoint}`,
          `AWS_ENDPOINT_URL_SECRETS_MANAGER=${aws.endpoint}`,
          `AWS_ENDPOINT_URL_ECS=${aws.endpoint}`,
          "AWS_REGION=eu-central-1",
          "AWS_DEFAULT_REGION=eu-central-1",
          "AWS_ACCESS_KEY_ID=AKIAE2ETESTE2ETEST00",
          "AWS_SECRET_ACCESS_KEY=e2e-task-role-stand-in",
        ],
        uploads: [{ file: CA_FILE, content: readFileSync(suiteCa().cert, "utf8") }],
      },
      join(root, "volumes"),
      join(root, "renewer-files"),
      RENEWER_IMAGE,
    );
    containers.add(renewer);
    const startedAt = Date.now();
    await renewer.start([]);

    const pebbleRoot = await pebble!.root();
    const log = () => `${server?.log() ?? ""}\n${renewer.log()}`;
    const first = await until(
      "Prosody's new task served no certificate of pebble's",
      240_000,
      async () => {
        await rollovers;
        const now = await served(DOMAIN, pebbleRoot);
        return now.authorized ? now : undefined;
      },
      log,
    );
    const firstSeconds = Math.round((Date.now() - startedAt) / 1000);
    assert.match(first.issuer, /Pebble/);
    // The gateway's task would read the same pair: its references follow the current version too.
    const gatewayCertificate = (ecsContainerInputs(run, "prosody-gateway-task", (arn) => aws?.current(arn)).envs ?? [])
      .find((entry) => entry.startsWith("GATEWAY_TLS_CERT="))
      ?.slice("GATEWAY_TLS_CERT=".length);
    const current = JSON.parse(aws.current(tlsArn) ?? "{}") as Record<string, string>;
    assert.equal(gatewayCertificate, current[RENEWER_SECRET_KEYS.certificate]);
    assert.ok(
      aws.deployments.some((deployment) => deployment.service.startsWith("prosody-gateway-service")),
      "the gateway's service was rolled over too",
    );

    untrust = trustAlso([pebbleRoot]);
    const admin = await login(DOMAIN, "admin", adminPassword);
    sessions.push(admin);
    const bob = await login(DOMAIN, "bob", "bob-password-1");
    sessions.push(bob);
    const sent: string[] = [];
    const serials = [first.serial];
    const backAfterMs: number[] = [];
    for (let renewal = 1; renewal <= RENEWALS; renewal += 1) {
      const { online } = reconnects(admin, 180_000);
      const body = `before renewal ${renewal}`;
      await sendChat(admin, `bob@${DOMAIN}`, body);
      sent.push(body);
      backAfterMs.push(await online);
      await rollovers;
      const now = verifiedSerial(admin);
      assert.ok(
        !serials.map((serial) => serial.toUpperCase()).includes(now.toUpperCase()),
        `renewal ${renewal} is new`,
      );
      serials.push(now);
      const after = `after renewal ${renewal}`;
      await sendChat(admin, `bob@${DOMAIN}`, after);
      sent.push(after);
    }
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const reader = await login(DOMAIN, "bob", "bob-password-1");
    sessions.push(reader);
    const archived = await archivedBodies(reader, `admin@${DOMAIN}`);
    const lost = sent.filter((body) => !archived.includes(body));
    assert.deepEqual(lost, [], "every message sent across the renewals is archived (PostgreSQL outlives the tasks)");
    assert.equal(new Set(serials.map((serial) => serial.toUpperCase())).size, RENEWALS + 1);
    assert.equal(serialOf(JSON.parse(aws.current(tlsArn) ?? "{}")[RENEWER_SECRET_KEYS.certificate]), serials.at(-1));
    // Only the challenges' TXT records were touched, as the task role allows.
    assert.ok(route53!.changes.length > 0);
    assert.ok(
      route53!.changes.every((change) => change.type === "TXT" && change.name.startsWith("_acme-challenge.")),
      JSON.stringify(route53!.changes),
    );

    recordFigure("certificate-renewal-aws", {
      title: "Let's Encrypt renewed where the server runs (AWS)",
      done: "The prod stack with tls.mode acme and Route53 under mocks; its renewer and Prosody tasks started with buildah from their task definitions, the renewer against pebble validating DNS-01 in a Knot DNS zone, and stand-ins for Route53, Secrets Manager and ECS. Each pair it writes to the TLS secret and each new deployment it starts replaces Prosody's task (the old one stopped first) with the secret's current version, while a client with xmpp.js's reconnection stays logged in and sends chats.",
      test: __filename,
      figures: {
        "renewals, each a new task": RENEWALS,
        "the connected client": "reconnects by itself and verifies each new certificate",
        "messages sent": sent.length,
        "messages lost": lost.length,
        "records changed": "only _acme-challenge TXT",
      },
      observed: {
        "seconds to the first certificate": firstSeconds,
        "ms from each disconnect to online": backAfterMs.join(", "),
      },
    });
  });
});
