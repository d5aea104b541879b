/** The Kubernetes platform's whole resource set for the k8s stack, under Pulumi's mocks. */
import { strict as assert } from "node:assert";
import { PROSODY_HEALTH_COMMAND, PROSODY_USER } from "../../../image/contract";
import { byName } from "../../support/mock-stack";
import {
  k8sStack,
  kubernetesResources,
  manifest,
  manifestProblems,
  onlyContainer,
  podSpec,
  type PodSpec,
} from "./support";

describe("Kubernetes platform: the k8s stack's resources", function () {
  this.timeout(60000);
  const stack = k8sStack();

  it("creates the namespace, claims, config, secrets, certificate, PostgreSQL, workload, backups, Services and policy, each a child of the component through the stack's own provider", () => {
    const kinds = kubernetesResources(stack.run)
      .map((resource) => `${resource.type} ${resource.name}`)
      .sort();
    assert.deepEqual(kinds, [
      "kubernetes:apps/v1:Deployment prosody-server",
      "kubernetes:batch/v1:CronJob prosody-backup",
      "kubernetes:cert-manager.io/v1:Certificate prosody-certificate",
      "kubernetes:core/v1:ConfigMap prosody-server-config",
      "kubernetes:core/v1:Namespace prosody-namespace",
      "kubernetes:core/v1:PersistentVolumeClaim prosody-backups",
      "kubernetes:core/v1:PersistentVolumeClaim prosody-data",
      "kubernetes:core/v1:PersistentVolumeClaim prosody-uploads",
      "kubernetes:core/v1:Secret prosody-backup-env",
      "kubernetes:core/v1:Secret prosody-postgres-credentials",
      "kubernetes:core/v1:Secret prosody-server-env",
      "kubernetes:core/v1:Service prosody-server-private",
      "kubernetes:core/v1:Service prosody-server-public",
      "kubernetes:networking.k8s.io/v1:NetworkPolicy prosody-server-policy",
      "kubernetes:postgresql.cnpg.io/v1:Cluster prosody-postgres",
    ]);
    const provider = byName(stack.run, "prosody-cluster");
    assert.equal(provider.type, "pulumi:providers:kubernetes");
    assert.equal(provider.inputs.context, "prod-eu");
    for (const resource of kubernetesResources(stack.run)) {
      assert.equal(resource.parent, "prosody", `${resource.name} is not the component's child`);
      assert.match(
        resource.provider ?? "",
        /::prosody-cluster::/,
        `${resource.name} does not use the stack's provider`,
      );
      const metadata = manifest(stack.run, resource.name).metadata;
      if (resource.type !== "kubernetes:core/v1:Namespace") assert.equal(metadata.namespace, "chat", resource.name);
    }
    // Fixed names for what others find by name; generated ones for what rolls the pod when it changes.
    assert.equal(manifest(stack.run, "prosody-data").metadata.name, "prosody-k8s-data");
    assert.equal(manifest(stack.run, "prosody-server-public").metadata.name, "prosody-k8s-server");
    assert.equal(manifest(stack.run, "prosody-server-config").metadata.name, undefined);
    assert.equal(manifest(stack.run, "prosody-server-env").metadata.name, undefined);
  });

  it("runs one Prosody that never runs twice, in the restricted Pod Security profile", () => {
    const deployment = manifest(stack.run, "prosody-server").spec as { replicas: number; strategy: { type: string } };
    assert.equal(deployment.replicas, 1);
    assert.deepEqual(deployment.strategy, { type: "Recreate" });
    const pod = podSpec(stack.run, "prosody-server");
    assert.equal(pod.automountServiceAccountToken, false);
    assert.deepEqual(pod.securityContext, {
      runAsNonRoot: true,
      runAsUser: PROSODY_USER.uid,
      runAsGroup: PROSODY_USER.gid,
      fsGroup: PROSODY_USER.gid,
      fsGroupChangePolicy: "OnRootMismatch",
      seccompProfile: { type: "RuntimeDefault" },
    });
    assert.ok(pod.terminationGracePeriodSeconds >= 30);
    const container = onlyContainer(pod);
    assert.deepEqual(container.securityContext, {
      runAsNonRoot: true,
      runAsUser: PROSODY_USER.uid,
      runAsGroup: PROSODY_USER.gid,
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ["ALL"] },
      seccompProfile: { type: "RuntimeDefault" },
    });
    // Writable only on its volumes and two emptyDirs.
    const writable = container.volumeMounts.filter((mount) => mount.readOnly !== true).map((mount) => mount.mountPath);
    assert.deepEqual(writable.sort(), [
      "/run/prosody",
      "/tmp",
      "/var/lib/prosody",
      "/var/lib/prosody/share%2eexample%2eorg/http_file_share",
    ]);
    for (const probe of [container.startupProbe, container.readinessProbe, container.livenessProbe]) {
      assert.deepEqual(probe.exec.command, [...PROSODY_HEALTH_COMMAND]);
    }
    assert.ok(container.startupProbe.failureThreshold * container.startupProbe.periodSeconds >= 60);
    assert.deepEqual(container.resources, { requests: { cpu: "250m", memory: "512Mi" }, limits: { memory: "512Mi" } });
  });

  it("mounts the configuration from the ConfigMap and the certificate as a folder from the TLS Secret (no subPath)", () => {
    const pod = podSpec(stack.run, "prosody-server");
    const container = onlyContainer(pod);
    const tlsMount = container.volumeMounts.find((mount) => mount.name === "tls");
    assert.deepEqual(tlsMount, { name: "tls", mountPath: "/etc/prosody/certs", readOnly: true });
    const tls = pod.volumes.find((volume) => volume.name === "tls");
    assert.equal(tls?.secret?.secretName, "prosody-k8s-tls");
    assert.deepEqual(tls?.secret?.items, [
      { key: "tls.crt", path: "example.org.crt", mode: 0o444 },
      { key: "tls.key", path: "example.org.key", mode: 0o440 },
    ]);
    const config = container.volumeMounts.find((mount) => mount.name === "config");
    assert.equal(config?.mountPath, "/etc/prosody/prosody.cfg.lua");
    const data = manifest(stack.run, "prosody-server-config").data as Record<string, string>;
    assert.match(data["prosody.cfg.lua"] ?? "", /VirtualHost "example\.org"/);
    const env = Object.fromEntries(container.env.map((entry) => [entry.name, entry]));
    assert.equal(env.PROSODY_CERTIFICATE_WATCH_SECONDS?.value, "60");
    assert.equal(env.PROSODY_CERTIFICATES?.value, "/etc/prosody/certs");
  });

  it("puts no secret value in any plain input: secrets reach the pod by secretKeyRef only", () => {
    // Every value inside a secret, but the role name that shares the basic-auth Secret with the password.
    const secrets = new Set(
      stack.run.resources.flatMap((resource) => resource.secretValues).filter((value) => value !== "prosody"),
    );
    assert.ok(secrets.size >= 2, "the run holds the database password and the admin accounts");
    for (const resource of stack.run.resources) {
      const plain = JSON.stringify(resource.inputs);
      for (const secret of secrets)
        assert.ok(!plain.includes(secret), `${resource.name} holds a secret in a plain input`);
    }
    for (const secret of ["prosody-server-env", "prosody-postgres-credentials"]) {
      assert.equal(byName(stack.run, secret).inputs.stringData, "[secret]");
    }
    const container = onlyContainer(podSpec(stack.run, "prosody-server"));
    const fromSecret = container.env.filter((entry) => entry.valueFrom).map((entry) => entry.name);
    assert.deepEqual(fromSecret.sort(), ["PROSODY_ADMIN_ACCOUNTS", "PROSODY_DB_PASSWORD"]);
    for (const entry of container.env.filter((variable) => variable.valueFrom)) {
      assert.equal(entry.value, undefined);
      assert.equal(entry.valueFrom?.secretKeyRef.key, entry.name);
    }
  });

  it("exposes exactly the plan's public listeners, keeps the private port inside, and fences both with the NetworkPolicy", () => {
    const publicListeners = stack.plan.listeners.filter((listener) => listener.public);
    const service = manifest(stack.run, "prosody-server-public").spec as {
      type: string;
      externalTrafficPolicy: string;
      ports: { port: number; targetPort: number }[];
    };
    assert.equal(service.type, "LoadBalancer");
    assert.equal(service.externalTrafficPolicy, "Local");
    assert.deepEqual(
      service.ports.map((port) => port.port),
      publicListeners.map((listener) => listener.port),
    );
    const inside = manifest(stack.run, "prosody-server-private").spec as { type: string; ports: { port: number }[] };
    assert.equal(inside.type, "ClusterIP");
    assert.deepEqual(
      inside.ports.map((port) => port.port),
      stack.plan.listeners.filter((listener) => !listener.public).map((listener) => listener.port),
    );
    const policy = manifest(stack.run, "prosody-server-policy").spec as {
      podSelector: { matchLabels: Record<string, string> };
      ingress: { ports: { port: number }[]; from?: { namespaceSelector: { matchLabels: Record<string, string> } }[] }[];
    };
    const [open, fenced, ...more] = policy.ingress;
    assert.equal(more.length, 0);
    assert.equal(open?.from, undefined);
    assert.deepEqual(
      open?.ports.map((port) => port.port),
      publicListeners.map((listener) => listener.port),
    );
    assert.deepEqual(
      fenced?.ports.map((port) => port.port),
      [stack.plan.spec.ports.http],
    );
    assert.deepEqual(fenced?.from, [
      { namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "monitoring" } } },
    ]);
    const selector = (manifest(stack.run, "prosody-server").spec as { selector: { matchLabels: unknown } }).selector;
    assert.deepEqual(policy.podSelector.matchLabels, selector.matchLabels);
  });

  it("asks cert-manager for exactly the plan's host names, from the stack's issuer, and starts Prosody after it is Ready", () => {
    const certificate = manifest(stack.run, "prosody-certificate");
    const spec = certificate.spec as { dnsNames: string[]; secretName: string; issuerRef: Record<string, string> };
    assert.deepEqual(spec.dnsNames, stack.plan.certificateNames);
    assert.equal(spec.secretName, "prosody-k8s-tls");
    assert.deepEqual(spec.issuerRef, { name: "letsencrypt-prod", kind: "ClusterIssuer", group: "cert-manager.io" });
    assert.equal(certificate.metadata.annotations?.["pulumi.com/waitFor"], "condition=Ready");
    const server = byName(stack.run, "prosody-server");
    assert.ok(server.dependsOn.includes("prosody-certificate"));
    assert.ok(server.dependsOn.includes("prosody-postgres"));
    assert.equal(stack.run.outputs.certificateExpires, "2027-03-02T00:00:00Z");
  });

  it("bootstraps CloudNativePG with the stack's database, role and generated password, protected and waited on", () => {
    const postgres = byName(stack.run, "prosody-postgres");
    assert.equal(postgres.protect, true);
    const spec = manifest(stack.run, "prosody-postgres").spec as {
      instances: number;
      bootstrap: { initdb: { database: string; owner: string; secret: { name: string } } };
    };
    assert.deepEqual(spec.bootstrap.initdb, {
      database: "prosody",
      owner: "prosody",
      secret: { name: "prosody-k8s-postgres-credentials" },
    });
    const credentials = manifest(stack.run, "prosody-postgres-credentials");
    assert.equal(credentials.type, "kubernetes.io/basic-auth");
    const password = byName(stack.run, "prosody-database-password");
    assert.equal(password.type, "random:index/randomPassword:RandomPassword");
    assert.equal(stack.run.outputs.databaseHost, "prosody-k8s-postgres-rw.chat.svc");
    const env = onlyContainer(podSpec(stack.run, "prosody-server")).env.find(
      (entry) => entry.name === "PROSODY_DB_HOST",
    );
    assert.equal(env?.value, "prosody-k8s-postgres-rw.chat.svc");
  });

  it("validates every manifest offline: the Kubernetes, cert-manager and CloudNativePG schemas, names, ports and labels", () => {
    const problems = kubernetesResources(stack.run).flatMap((resource) => manifestProblems(resource));
    assert.deepEqual(problems, []);
  });

  it("backs up on a CronJob in UTC, one run at a time, next to Prosody's pod, with its one-shot command and no probe", () => {
    const cron = manifest(stack.run, "prosody-backup").spec as {
      schedule: string;
      timeZone: string;
      concurrencyPolicy: string;
      jobTemplate: { spec: { backoffLimit: number; template: { spec: PodSpec & Record<string, unknown> } } };
    };
    assert.equal(cron.schedule, "17 3 * * *");
    assert.equal(cron.timeZone, "Etc/UTC");
    assert.equal(cron.concurrencyPolicy, "Forbid");
    const pod = cron.jobTemplate.spec.template.spec;
    assert.equal(pod.restartPolicy, "Never");
    assert.deepEqual(pod.affinity, {
      podAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: [
          {
            labelSelector: {
              matchLabels: (
                manifest(stack.run, "prosody-server").spec as { selector: { matchLabels: Record<string, string> } }
              ).selector.matchLabels,
            },
            topologyKey: "kubernetes.io/hostname",
          },
        ],
      },
    });
    const container = onlyContainer(pod) as ReturnType<typeof onlyContainer> & { args: string[]; command?: string[] };
    assert.deepEqual(container.args, ["once"], "the image's entrypoint, once");
    assert.equal(container.command, undefined);
    assert.equal(container.startupProbe ?? container.readinessProbe ?? container.livenessProbe, undefined);
    const password = container.env.find((variable) => variable.name === "PGPASSWORD");
    assert.equal(password?.value, undefined, "the password only by secretKeyRef");
    assert.equal(password?.valueFrom?.secretKeyRef.key, "PGPASSWORD");
    assert.equal(
      container.env.find((variable) => variable.name === "PGHOST")?.value,
      "prosody-k8s-postgres-rw.chat.svc",
    );
    assert.deepEqual(
      container.volumeMounts.filter((mount) => !mount.mountPath.startsWith("/tmp")).map((mount) => mount.mountPath),
      ["/var/lib/prosody/share%2eexample%2eorg/http_file_share", "/var/backups/prosody"],
      "the uploads and its own backups claim; the database is reached over the network",
    );
    const scratch = pod.volumes.find((volume) => volume.emptyDir !== undefined);
    assert.deepEqual(scratch?.emptyDir, {}, "working copies as large as the database: no size limit");
    assert.equal(byName(stack.run, "prosody-backups").protect, true);
    assert.equal(stack.run.outputs.backupDestination, "claim prosody-k8s-backups");
  });
});
