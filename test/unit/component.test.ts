/**
 * ProsodyStack and the Docker platform under Pulumi's mock runtime, through
 * the same runner `prosody-stack plan` uses (it sets the mocks for each run;
 * runs never overlap, so the process-global mock state is never shared).
 */
import { strict as assert } from "node:assert";
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import * as docker from "@pulumi/docker";
import * as dockerBuild from "@pulumi/docker-build";
import * as pulumi from "@pulumi/pulumi";
import { ProsodyStack } from "../../components/prosody-stack";
import type { TestedRun, TestedResource } from "../support/mock-stack";
import { planDeployment } from "../../src/plan";
import { renderArtifacts } from "../../src/render";
import { missingSdks } from "../../components/optional-sdks";
import { readStackConfig, stackSpec } from "../../src/schema/stack-file";
import {
  byName,
  describeResources,
  devConfig,
  devWith,
  expectResourceError,
  runComponents,
  runProgram,
  stackWith,
} from "../support/mock-stack";

const ROOT = join(__dirname, "..", "..");
const prodValues = () => readStackConfig("prod", ROOT).values;

describe("ProsodyStack under Pulumi mocks", function () {
  this.timeout(60000);

  it("creates exactly the dev stack's resources, each parented to the component", async () => {
    const run = await runProgram(devConfig());
    assert.deepEqual(describeResources(run), [
      "docker-build:index:Image prosody-backup-image",
      "docker-build:index:Image prosody-image",
      "docker:index/container:Container prosody-backup",
      "docker:index/container:Container prosody-server",
      "docker:index/network:Network prosody-network",
      "docker:index/volume:Volume prosody-backups",
      "docker:index/volume:Volume prosody-certificates",
      "docker:index/volume:Volume prosody-data",
      "docker:index/volume:Volume prosody-uploads",
      "prosodystack:index:ProsodyStack prosody",
      "random:index/randomPassword:RandomPassword prosody-admin-password-admin@localhost",
      // Kept with SQLite too: a later switch of storage back from PostgreSQL reads the old database with it.
      "random:index/randomPassword:RandomPassword prosody-database-password",
      "tls:index/certRequest:CertRequest prosody-tls-request",
      "tls:index/locallySignedCert:LocallySignedCert prosody-tls-certificate",
      "tls:index/privateKey:PrivateKey prosody-backup-key",
      "tls:index/privateKey:PrivateKey prosody-ca-key",
      "tls:index/privateKey:PrivateKey prosody-tls-key",
      "tls:index/selfSignedCert:SelfSignedCert prosody-ca",
    ]);
    for (const resource of run.resources) {
      if (resource.type === "prosodystack:index:ProsodyStack") assert.equal(resource.parent, undefined);
      else assert.equal(resource.parent, "prosody", `${resource.name} is not parented to the component`);
    }
  });

  it("wires the dev server as the plan says: image, ports on 127.0.0.1, volumes, config, certificate", async () => {
    const run = await runProgram(devConfig());
    const plan = planDeployment(stackSpec(devConfig()));
    const server = byName(run, "prosody-server").inputs;
    assert.equal(server.name, "prosody-dev-server");
    assert.equal(server.restart, "unless-stopped");
    assert.match(String(server.image), /^prosody-stack\/prosody:13-2026w50-[0-9a-f]{12}@sha256:/);
    assert.deepEqual(
      server.ports,
      [5222, 5223, 5269, 5281].map((port) => ({ internal: port, external: port, ip: "127.0.0.1", protocol: "tcp" })),
    );
    assert.deepEqual(server.volumes, [
      { volumeName: "prosody-dev-data", containerPath: "/var/lib/prosody" },
      { volumeName: "prosody-dev-uploads", containerPath: "/var/lib/prosody/share%2elocalhost/http_file_share" },
      { volumeName: "prosody-dev-certificates", containerPath: "/etc/prosody/certs" },
    ]);
    const uploads = server.uploads as { file: string; content: string; owner?: string; permissions: string }[];
    assert.deepEqual(
      uploads.map((upload) => upload.file),
      ["/etc/prosody/prosody.cfg.lua", "/etc/prosody/certs/localhost.crt", "/etc/prosody/certs/localhost.key"],
    );
    assert.equal(uploads[0]?.content, renderArtifacts(plan)["prosody.cfg.lua"]);
    assert.equal(uploads[2]?.content, "[secret]");
    assert.equal(uploads[2]?.owner, "100");
    assert.equal(uploads[2]?.permissions, "0600");
    assert.deepEqual((server.healthcheck as { tests: string[] }).tests, ["CMD", "/usr/local/bin/prosody-healthcheck"]);
    assert.equal(byName(run, "prosody-server").deleteBeforeReplace, true);
    const request = byName(run, "prosody-tls-request").inputs;
    assert.deepEqual(request.dnsNames, plan.certificateNames);
    const image = byName(run, "prosody-image").inputs;
    assert.equal(image.push, false);
    assert.equal(image.load, true);
    assert.deepEqual(image.context, { location: "image" });
    assert.equal(run.outputs.clientEndpoint, "localhost:5222");
    assert.equal(run.outputs.dataVolume, "prosody-dev-data");
  });

  it("gives the same names, URNs and inputs on every run", async () => {
    const first = await runProgram(devConfig());
    const second = await runProgram(devConfig());
    const view = (run: TestedRun) =>
      run.resources
        .map((resource) => ({ urn: resource.urn, inputs: resource.inputs }))
        .sort((a, b) => a.urn.localeCompare(b.urn));
    assert.deepEqual(view(second), view(first));
    assert.deepEqual(second.outputs, first.outputs);
  });

  it("keeps every secret out of plain inputs, outputs and rendered files", async () => {
    const given = "given-database-password-0123456789";
    const config = devWith(
      {
        "prosody:tier": "enterprise",
        "prosody:storage": "postgresql",
        "prosody:turn": { host: "turn.localhost" },
        "prosody:databasePassword": given,
      },
      ["prosody:databasePassword"],
    );
    const run = await runProgram(config);
    const wrapped = run.resources.flatMap((resource) => resource.secretValues);
    // The secret values themselves, out of the env entries, PEM files and config files that carry them.
    const secrets = new Set(
      wrapped.flatMap((value) => [
        ...[...value.matchAll(/^[A-Z_]+=(.+)$/gm)].map((match) => match[1] ?? ""),
        ...[...value.matchAll(/^static-auth-secret=(.+)$/gm)].map((match) => match[1] ?? ""),
        ...[...value.matchAll(/^-----BEGIN [A-Z ]+-----\n(.+)\n/gm)].map((match) => match[1] ?? ""),
      ]),
    );
    assert.ok(wrapped.includes(`PROSODY_DB_PASSWORD=${given}`), "the given password reaches Prosody as a secret");
    assert.ok(wrapped.includes(`POSTGRES_PASSWORD=${given}`), "and PostgreSQL");
    const turn = wrapped.find((value) => value.startsWith("PROSODY_TURN_SECRET="))?.split("=")[1];
    assert.ok(turn, "the generated TURN secret reaches Prosody as a secret");
    assert.ok(
      wrapped.some((value) => value.includes(`static-auth-secret=${turn}`)),
      "and coturn, in its config file",
    );
    assert.ok(
      wrapped.some((value) => value.includes("BEGIN PRIVATE KEY")),
      "the TLS key is a secret",
    );
    assert.deepEqual(
      run.resources.filter((resource) => resource.type.startsWith("random:")).map((resource) => resource.name),
      ["prosody-turn-secret", "prosody-admin-password-admin@localhost"],
      "only the secret that was not given is generated, and the first admin's password",
    );
    assert.ok(secrets.size >= 4, `found ${[...secrets].join(", ")}`);
    const plainTexts = [
      ...run.resources.map((resource) => JSON.stringify(resource.inputs)),
      JSON.stringify(run.outputs),
      ...Object.values(renderArtifacts(planDeployment(stackSpec(config)))),
    ];
    for (const secret of secrets) {
      assert.ok(secret.length >= 16, `a secret this short proves nothing: ${secret}`);
      for (const text of plainTexts) assert.ok(!text.includes(secret), `${secret.slice(0, 8)}… appears in plain text`);
    }
  });

  it("keeps the data volumes when the tier switches between personal and enterprise", async () => {
    const personal = await runProgram(devWith({ "prosody:tier": "personal" }));
    const enterprise = await runProgram(devWith({ "prosody:tier": "enterprise" }));
    const stateful = (run: TestedRun) =>
      run.resources
        .filter((resource) => resource.protect)
        .map((resource) => ({ urn: resource.urn, inputs: resource.inputs }))
        .sort((a, b) => a.urn.localeCompare(b.urn));
    assert.deepEqual(
      stateful(personal).map((resource) => resource.urn),
      [
        "urn:pulumi:dev::prosody::prosodystack:index:ProsodyStack$docker:index/volume:Volume::prosody-backups",
        "urn:pulumi:dev::prosody::prosodystack:index:ProsodyStack$docker:index/volume:Volume::prosody-data",
        "urn:pulumi:dev::prosody::prosodystack:index:ProsodyStack$docker:index/volume:Volume::prosody-uploads",
      ],
    );
    assert.deepEqual(stateful(enterprise), stateful(personal), "same URNs and inputs: no replacement, no data lost");
    const config = (run: TestedRun) =>
      (byName(run, "prosody-server").inputs.uploads as { content: string }[])[0]?.content ?? "";
    assert.notEqual(config(enterprise), config(personal), "the modules did change");
    const mountsOf = (run: TestedRun) => byName(run, "prosody-server").inputs.volumes;
    assert.deepEqual(mountsOf(enterprise), mountsOf(personal));
  });

  it("keeps the data volume when storage moves to PostgreSQL, and protects the new database volume", async () => {
    const sqlite = await runProgram(devConfig());
    const postgres = await runProgram(devWith({ "prosody:tier": "enterprise", "prosody:storage": "postgresql" }));
    assert.deepEqual(byName(postgres, "prosody-data"), byName(sqlite, "prosody-data"));
    assert.equal(byName(postgres, "prosody-database").protect, true);
    const database = byName(postgres, "prosody-postgres");
    assert.equal(database.inputs.name, "prosody-dev-postgres");
    assert.equal(database.inputs.ports, undefined, "PostgreSQL is not published");
    assert.deepEqual(database.inputs.envs, ["POSTGRES_DB=prosody", "POSTGRES_USER=prosody", "[secret]"]);
    const server = byName(postgres, "prosody-server");
    assert.ok(server.dependsOn.includes("prosody-postgres"));
    assert.deepEqual((server.inputs.envs as string[]).slice(0, 2), [
      "PROSODY_HEALTH_PORT=5222",
      "PROSODY_DB_HOST=postgres",
    ]);
    assert.equal(postgres.outputs.databaseHost, "postgres");
  });

  it("does not protect data when the spec opts out", async () => {
    const run = await runProgram(devWith({ "prosody:protectData": false }));
    assert.deepEqual(
      run.resources.filter((resource) => resource.protect),
      [],
    );
  });

  it("lets two stacks live in one program without a shared name", async () => {
    const run = await runComponents(() => {
      const a = new ProsodyStack("chat-a", { domain: "a.example.test" });
      const b = new ProsodyStack("chat-b", {
        domain: "b.example.test",
        ports: { c2s: 15222, c2sDirectTls: 15223, s2s: 15269, https: 15281, http: 15280 },
      });
      return { a: a.dataVolume, b: b.dataVolume };
    });
    const urns = run.resources.map((resource) => resource.urn);
    assert.equal(new Set(urns).size, urns.length, "URNs collide");
    const physical = run.resources.map((resource) => resource.inputs.name).filter((name) => typeof name === "string");
    assert.equal(new Set(physical).size, physical.length, "Docker names collide");
    assert.equal(run.resources.filter((resource) => resource.type.startsWith("prosodystack:")).length, 2);
    assert.deepEqual(run.outputs, { a: "chat-a-test-data", b: "chat-b-test-data" });
  });

  it("hands the caller's Docker provider (opts.providers) to every Docker child, and only to those", async () => {
    const run = await runComponents(() => {
      const remote = new docker.Provider("remote", { host: "ssh://deploy@chat.example.org" });
      const server = new ProsodyStack("chat", { domain: "example.org" }, { providers: { docker: remote } });
      return { volume: server.dataVolume };
    });
    const children = run.resources.filter((resource) => resource.parent === "chat");
    const viaRemote = (resource: TestedResource) => resource.provider?.includes("pulumi:providers:docker::remote");
    const dockerChildren = children.filter((resource) => resource.type.startsWith("docker:"));
    assert.ok(dockerChildren.length >= 5);
    for (const resource of dockerChildren) assert.ok(viaRemote(resource), `${resource.name} ignores the provider`);
    for (const resource of children.filter((entry) => !entry.type.startsWith("docker:"))) {
      assert.ok(!viaRemote(resource), `${resource.name} must not use the Docker provider`);
    }
  });

  it("builds the images on the engine of the caller's Docker provider, or with the caller's docker-build provider", async () => {
    const run = await runComponents(() => {
      const remote = new docker.Provider("remote", { host: "ssh://deploy@chat.example.org" });
      new ProsodyStack("chat", { domain: "example.org" }, { providers: { docker: remote } });
      return {};
    });
    const builder = byName(run, "chat-image-builder");
    assert.equal(builder.type, "pulumi:providers:docker-build");
    assert.equal(builder.clearInputs.host, "ssh://deploy@chat.example.org");
    assert.match(byName(run, "chat-image").provider ?? "", /pulumi:providers:docker-build::chat-image-builder::/);

    const theirs = await runComponents(() => {
      const remote = new docker.Provider("remote", { host: "ssh://deploy@chat.example.org" });
      const builds = new dockerBuild.Provider("builds", { host: "tcp://builder:2376" });
      new ProsodyStack("chat", { domain: "example.org" }, { providers: [remote, builds] });
      return {};
    });
    assert.ok(!theirs.resources.some((resource) => resource.name === "chat-image-builder"));
    assert.match(byName(theirs, "chat-image").provider ?? "", /pulumi:providers:docker-build::builds::/);
    assert.match(byName(theirs, "chat-server").provider ?? "", /pulumi:providers:docker::remote::/);
  });

  it("refuses a bad spec with a ResourceError naming the field, the value and the fix", async () => {
    const badDomain = await expectResourceError(() => new ProsodyStack("chat", { domain: "Not A Domain" }));
    assert.match(badDomain, /domain \(given "Not A Domain"\): not a DNS host name\. Fix: /);
    const misplaced = await expectResourceError(
      () => new ProsodyStack("chat", { domain: "example.org", existing: { aws: { clusterArn: "arn:aws:ecs:x" } } }),
    );
    assert.match(misplaced, /existing\.aws: only the aws platform uses these resources.* Fix: remove existing\.aws/);
    const kubernetes = await expectResourceError(
      () => new ProsodyStack("chat", { domain: "example.org", platform: "kubernetes" }),
    );
    assert.match(kubernetes, /kubernetes\.context: no cluster was named.* Fix: set kubernetes\.context/);
    assert.match(kubernetes, /image\.registry: a cluster pulls images from a registry.* Fix: set image\.registry/);
    const acme = await expectResourceError(
      () => new ProsodyStack("chat", { domain: "example.org", tls: { mode: "acme" }, uploads: "s3" }),
    );
    assert.match(
      acme,
      /dns\.provider \(given "none"\): Let's Encrypt certificates are proven through DNS records.* Fix: set dns\.provider: "route53" or "cloudflare"/,
    );
    assert.match(
      acme,
      /upload\.s3\.endpoint: uploads go to S3, and a Docker host has no S3 of its own\. Fix: .*docker\.minio/,
    );
    const keys = await expectResourceError(
      () =>
        new ProsodyStack("chat", {
          domain: "example.org",
          uploads: "s3",
          upload: { s3: { endpoint: "http://s3.internal:9000" } },
          secrets: { s3AccessKeyId: "given-access-key" },
        }),
    );
    assert.match(
      keys,
      /secrets\.s3SecretAccessKey: .*only its owner can issue\. Fix: `pulumi config set --secret prosody:s3SecretAccessKey/,
    );
    assert.doesNotMatch(keys, /secrets\.s3AccessKeyId/);
    const rocks = await expectResourceError(
      () => new ProsodyStack("chat", { domain: "example.org", prosodyVersion: "0.12", modules: { add: ["log_json"] } }),
    );
    assert.match(rocks, /image\.rocks\.log_json: .*pinned.*Fix: set image\.rocks\.log_json/);
    const name = await expectResourceError(() => new ProsodyStack("Chat Server", { domain: "example.org" }));
    assert.match(name, /name \(given "Chat Server"\)/);
  });

  it("builds a consumer program that imports the package by its public entry point", async function () {
    this.timeout(180000);
    execFileSync("npm", ["run", "--silent", "build"], { cwd: ROOT, stdio: "pipe" });
    execFileSync(process.execPath, [require.resolve("typescript/bin/tsc"), "-p", "test/fixtures/consumer"], {
      cwd: ROOT,
      stdio: "pipe",
    });
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the fixture is a Pulumi program (export =)
    const consumer = require("../fixtures/consumer") as () => Record<string, pulumi.Output<unknown>>;
    const run = await runComponents(consumer);
    assert.equal(run.outputs.clientEndpoint, "chat.consumer.test:5222");
    assert.ok(run.resources.some((resource) => resource.name === "chat-server"));

    // The example of examples/: ProsodyStack inside a VPC, cluster and zone the caller's program owns.
    execFileSync(process.execPath, [require.resolve("typescript/bin/tsc"), "-p", "examples/existing-vpc"], {
      cwd: ROOT,
      stdio: "pipe",
    });
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- a Pulumi program (export =)
    const estate = require("../../examples/existing-vpc") as () => Record<string, pulumi.Output<unknown>>;
    const inEstate = await runComponents(estate);
    const names = inEstate.resources.map((resource) => resource.name);
    assert.ok(
      !names.includes("chat-vpc") && !names.includes("chat-cluster"),
      "the estate's network and cluster are used",
    );
    const service = inEstate.resources.find((resource) => resource.name === "chat-server-service");
    assert.deepEqual((service?.clearInputs.networkConfiguration as { subnets: string[] }).subnets, [
      "estate-private-a-id",
      "estate-private-b-id",
    ]);
    for (const resource of inEstate.resources.filter((entry) => entry.type.startsWith("aws:"))) {
      assert.match(resource.provider ?? "", /::estate::/, `${resource.name} ignores the estate's provider`);
    }

    // The Kubernetes example: ProsodyStack in a cluster and namespace of the caller's, through the caller's provider.
    execFileSync(process.execPath, [require.resolve("typescript/bin/tsc"), "-p", "examples/kubernetes"], {
      cwd: ROOT,
      stdio: "pipe",
    });
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- a Pulumi program (export =)
    const inCluster = require("../../examples/kubernetes") as () => Record<string, pulumi.Output<unknown>>;
    const clusterRun = await runComponents(inCluster);
    const ours = clusterRun.resources.filter(
      (entry) => entry.type.startsWith("kubernetes:") && entry.parent === "chat",
    );
    assert.ok(
      ours.some((entry) => entry.name === "chat-server"),
      "the example deploys Prosody",
    );
    for (const resource of ours) {
      assert.match(resource.provider ?? "", /::platform::/, `${resource.name} ignores the example's provider`);
    }
    assert.equal(clusterRun.outputs.databaseHost, "chat-test-postgres-rw.chat.svc");
  });
});

describe("the program and Pulumi's list of secure config keys", function () {
  this.timeout(60000);
  const config = stackWith("dev", { "prosody:turnSecret": "a-plain-turn-secret-0123456789" });
  afterEach(() => delete process.env.PULUMI_CONFIG_SECRET_KEYS);

  it("refuses a secret the stack file holds in plain text when Pulumi's CLI lists the secure keys", async () => {
    // The CLI's language host sets this for the program: the keys whose values were `secure:`.
    process.env.PULUMI_CONFIG_SECRET_KEYS = JSON.stringify([]);
    await assert.rejects(runProgram(config), (error: Error) => {
      assert.match(
        error.message,
        /prosody:turnSecret \(given \[hidden\]\): is a secret, but it is written in plain text/,
      );
      assert.ok(!error.message.includes("a-plain-turn-secret"), "the refusal shows the secret");
      return true;
    });
  });

  it("takes it when the CLI lists it as secure, or lists nothing (an older CLI)", async () => {
    process.env.PULUMI_CONFIG_SECRET_KEYS = JSON.stringify(["prosody:turnSecret"]);
    await runProgram(config);
    delete process.env.PULUMI_CONFIG_SECRET_KEYS;
    await runProgram(config);
  });
});

describe("optional Pulumi SDKs", () => {
  it("names the SDK a stack's choices need and how to install it, when it is missing", () => {
    const plan = planDeployment(
      stackSpec({ file: "Pulumi.x.yaml", values: { ...prodValues(), "prosody:dns": { provider: "route53" } } }),
    );
    const problems = missingSdks(plan, () => false);
    assert.deepEqual(
      problems.map((problem) => [problem.field, problem.fix]),
      [
        ["platform", 'npm install @pulumi/aws@"^7.48.0"'],
        ["dns.provider", 'npm install @pulumi/aws@"^7.48.0"'],
        ["tls.mode", 'npm install @pulumiverse/acme@"^0.16.2"'],
      ],
    );
    assert.deepEqual(missingSdks(plan), [], "this checkout has every optional SDK");
    const dev = planDeployment(stackSpec(devConfig()));
    assert.deepEqual(
      missingSdks(dev, (sdk) => sdk !== "@pulumi/docker").map((problem) => problem.fix),
      ['npm install @pulumi/docker@"^5.2.0"'],
    );
  });
});
