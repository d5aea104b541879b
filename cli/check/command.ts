/** The `check` entry of the command table: its options, where the spec and the password come from, the exit code. */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { planDeployment } from "../../src/plan/plan-deployment";
import type { Command } from "../command";
import { EXIT } from "../exit-codes";
import { deploymentSpecFromOptions, UsageError } from "../options";
import { checkText } from "./report";
import { stackImage } from "./updates";

const withImage = (image: string | undefined) => (image === undefined ? {} : { image });

const readPassword = (jid: string): string => {
  if (process.stdin.isTTY) {
    throw new UsageError(
      `give the password of ${jid} on standard input, e.g. \`pass show xmpp | prosody-stack check ...\``,
    );
  }
  const [line = ""] = readFileSync(0, "utf8").split(/\r?\n/);
  if (line === "") throw new UsageError(`standard input held no password for ${jid}`);
  return line;
};

const readCa = (file: string): string => {
  try {
    return readFileSync(file, "utf8");
  } catch (error) {
    throw new UsageError(`--ca ${file}: ${(error as Error).message}`);
  }
};

export const checkCommand: Command = {
  summary: "check a deployed server against its plan: DNS, ports, certificates, features, and optionally a login",
  flags: ["stack", "spec", "resolver", "ca", "jid", "backups", "backups-bucket", "renewal", "image", "peer", "json"],
  options: [
    ["--stack NAME | --spec FILE", "the spec the server was deployed from"],
    ["--resolver HOST:PORT", "ask this DNS server instead of the system's (tests, split-horizon DNS)"],
    ["--ca FILE", "trust this CA besides the system's (a self-signed stack's caCertificate output)"],
    ["--jid JID", "log in as JID (its password on standard input): disco#info, archive and upload"],
    ["--backups DIR", "with backups to a volume: its folder, to read the latest backup's note"],
    ["--backups-bucket NAME", "with backups to a bucket the stack created: its name (the backupDestination output)"],
    [
      "--renewal DIR",
      "where the certificate renews itself: the renewer's state folder, for its last renewal and next look",
    ],
    [
      "--image REF",
      "the deployed image (the image output; read with Pulumi's CLI when it is there): how old its packages are",
    ],
    ["--peer DOMAIN", "with --jid: whether another XMPP server's domain answers over server-to-server"],
    ["--json", "machine-readable report"],
  ],
  async run(positionals, values, io) {
    if (positionals.length > 0) throw new UsageError(`check takes no arguments (got ${positionals.join(" ")})`);
    if (values.stack === undefined && values.spec === undefined) {
      throw new UsageError("check needs --stack NAME or --spec FILE");
    }
    const plan = planDeployment(deploymentSpecFromOptions(values));
    const jid = values.jid as string | undefined;
    if (jid !== undefined && !plan.domains.includes(jid.slice(jid.lastIndexOf("@") + 1))) {
      throw new UsageError(`--jid ${jid} is not an account on ${plan.domains.join(", ")}`);
    }
    const caFile = values.ca as string | undefined;
    const ca = caFile === undefined ? undefined : readCa(caFile);
    const password = jid === undefined ? undefined : readPassword(jid);
    if (password !== undefined && caFile !== undefined && process.env.NODE_EXTRA_CA_CERTS !== resolve(caFile)) {
      // The XMPP client trusts what Node loads at start (NODE_EXTRA_CA_CERTS): run again with the CA loaded.
      const again = spawnSync(process.execPath, [...process.execArgv, ...process.argv.slice(1)], {
        input: `${password}\n`,
        stdio: ["pipe", "inherit", "inherit"],
        env: { ...process.env, NODE_EXTRA_CA_CERTS: resolve(caFile) },
      });
      return again.status ?? EXIT.checkFailed;
    }
    const { checkServer } = await import("./index");
    const report = await checkServer(plan, {
      ...(values.resolver === undefined ? {} : { resolver: values.resolver as string }),
      ...(ca === undefined ? {} : { ca }),
      ...(jid === undefined || password === undefined ? {} : { login: { jid, password } }),
      ...(typeof values.image === "string"
        ? { image: values.image }
        : typeof values.stack === "string"
          ? withImage(stackImage(values.stack))
          : {}),
      ...(typeof values.renewal === "string" ? { renewal: values.renewal } : {}),
      ...(typeof values.peer === "string" ? { peer: values.peer } : {}),
      backups: {
        ...(typeof values.backups === "string" ? { folder: values.backups } : {}),
        ...(typeof values["backups-bucket"] === "string" ? { bucket: values["backups-bucket"] } : {}),
      },
    });
    io.stdout(values.json ? JSON.stringify(report, null, 2) : checkText(report));
    return report.summary.fail > 0 ? EXIT.checkFailed : EXIT.ok;
  },
};
