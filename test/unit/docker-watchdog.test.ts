/**
 * The watchdog on the Docker platform under Pulumi's mocks: its container
 * next to Prosody with the spec it plans, the volumes it reads, its own state
 * volume and its image; the monitoring account's password and the channels'
 * secrets only as secrets, the account created by Prosody's entrypoint; and
 * the refusal of a channel secret nobody gave.
 */
import { strict as assert } from "node:assert";
import {
  byName,
  describeResources,
  devWith,
  envsByName,
  expectResourceError,
  runProgram,
  type TestedResource,
  type TestedRun,
} from "../support/mock-stack";
import { ProsodyStack } from "../../components/prosody-stack";

const WEBHOOK = "https://alerts:tk_0123456789@ntfy.example.org/prosody";
const SMTP_PASSWORD = "smtp-password-0123";
const watched = devWith(
  {
    "prosody:admins": ["admin@localhost"],
    "prosody:backup": { enabled: true },
    "prosody:alerts": {
      email: ["ops@example.org"],
      smtp: { host: "smtp.example.org", from: "xmpp@example.org", username: "xmpp" },
      webhook: "ntfy",
      watchdog: { enabled: true, everyMinutes: 10 },
    },
    "prosody:alertsWebhookUrl": WEBHOOK,
    "prosody:alertsSmtpPassword": SMTP_PASSWORD,
  },
  ["prosody:alertsWebhookUrl", "prosody:alertsSmtpPassword"],
);

interface ContainerInputs {
  envs: string[];
  ports?: unknown[];
  volumes?: { volumeName: string; containerPath: string }[];
  healthcheck: { tests: string[] };
}
const clear = (resource: TestedResource) => resource.clearInputs as unknown as ContainerInputs;

describe("Docker platform: the watchdog", function () {
  this.timeout(60000);
  let run: TestedRun;
  before(async () => {
    run = await runProgram(watched);
  });

  it("adds the watchdog, its image and a state volume of its own", () => {
    const names = describeResources(run);
    for (const name of [
      "docker:index/container:Container prosody-watchdog",
      "docker-build:index:Image prosody-watchdog-image",
      "docker:index/volume:Volume prosody-watchdog",
      "random:index/randomPassword:RandomPassword prosody-watchdog-password",
    ]) {
      assert.ok(names.includes(name), `${name} missing from\n${names.join("\n")}`);
    }
    assert.notEqual(byName(run, "prosody-watchdog").protect, true, "its state is no data to protect");
    const image = byName(run, "prosody-watchdog-image").inputs as { tags: string[]; context: { location: string } };
    assert.match(image.tags[0] ?? "", /^prosody-stack\/prosody-watchdog:watchdog-2026w50-[0-9a-f]{12}$/);
    assert.equal(image.context.location, "watchdog");
  });

  it("gives it the spec, the self-signed CA, the served image, and the backups and its state to read, no port published", () => {
    const watchdog = byName(run, "prosody-watchdog");
    const settings = envsByName(clear(watchdog).envs);
    const spec = JSON.parse(settings.get("WATCHDOG_SPEC") ?? "{}") as {
      alerts: { watchdog: { everyMinutes: number } };
    };
    assert.equal(spec.alerts.watchdog.everyMinutes, 10);
    assert.match(settings.get("WATCHDOG_CA") ?? "", /^-----BEGIN CERTIFICATE-----/);
    assert.match(settings.get("WATCHDOG_IMAGE") ?? "", /^prosody-stack\/prosody:/);
    assert.equal(settings.get("WATCHDOG_BACKUPS_FOLDER"), "/var/backups/prosody");
    assert.deepEqual(
      clear(watchdog).volumes?.map((volume) => [volume.volumeName, volume.containerPath]),
      [
        ["prosody-dev-watchdog", "/var/lib/prosody-watchdog"],
        ["prosody-dev-backups", "/var/backups/prosody"],
      ],
    );
    assert.deepEqual(clear(watchdog).ports ?? [], [], "its metrics stay on the private network");
    assert.deepEqual(clear(watchdog).healthcheck.tests, ["CMD", "/usr/local/bin/prosody-watchdog", "--health"]);
  });

  it("hands the monitoring password and the channels' secrets over as secrets only, and has Prosody create the account", () => {
    const watchdog = byName(run, "prosody-watchdog");
    const password = watchdog.secretValues.find((value) => value.startsWith("WATCHDOG_PASSWORD="));
    assert.ok(password, "the monitoring password is a secret variable");
    assert.ok(watchdog.secretValues.includes(`WATCHDOG_WEBHOOK_URL=${WEBHOOK}`));
    assert.ok(watchdog.secretValues.includes(`WATCHDOG_SMTP_PASSWORD=${SMTP_PASSWORD}`));
    const plain = JSON.stringify(watchdog.inputs);
    for (const secret of [WEBHOOK, SMTP_PASSWORD, password.slice("WATCHDOG_PASSWORD=".length)]) {
      assert.ok(!plain.includes(secret), "a secret in a plain input");
    }
    const accounts = byName(run, "prosody-server")
      .secretValues.find((value) => value.startsWith("PROSODY_ADMIN_ACCOUNTS="))
      ?.slice("PROSODY_ADMIN_ACCOUNTS=".length)
      .trim()
      .split("\n");
    assert.equal(accounts?.length, 2);
    assert.match(accounts?.[0] ?? "", /^admin@localhost \S+$/);
    assert.equal(accounts?.[1], `watchdog@localhost ${password.slice("WATCHDOG_PASSWORD=".length)}`);
  });

  it("refuses a webhook whose URL nobody gave, and an SMTP login without its password, naming the secrets", async () => {
    const error = await expectResourceError(
      () =>
        new ProsodyStack("chat", {
          domain: "localhost",
          admins: ["admin@localhost"],
          alerts: {
            email: ["ops@example.org"],
            smtp: { host: "smtp.example.org", from: "xmpp@example.org", username: "xmpp" },
            webhook: "slack",
            watchdog: { enabled: true },
          },
        }),
    );
    assert.match(error, /secrets\.alertsWebhookUrl: alerts\.webhook posts to a URL only you have/);
    assert.match(error, /secrets\.alertsSmtpPassword: alerts\.smtp\.username logs in to your SMTP server/);
  });
});
