/**
 * A certificate the user brings (their certbot, a reverse proxy's, a company
 * CA's): the chain and key come in as the secrets tlsCertificate and
 * tlsPrivateKey, and the pair is refused unless it covers every host of the
 * plan, is valid now and the key is its own. Renewal is the user's: setting
 * the new pair and running `pulumi up` hands it to the server.
 */
import * as pulumi from "@pulumi/pulumi";
import { formatProblem } from "../../common/problems";
import { certificatePairProblems, parseChain } from "../../src/plan/certificate-check";
import { dialbackProblems, lacksClientAuthentication } from "../../src/plan/federation";
import type { DeploymentPlan } from "../../src/plan/types";
import { ENCRYPTED_STAND_IN } from "../../src/schema/stack-file";
import { givenSecret, type GivenSecrets } from "../stack-secrets";
import type { ChildContext } from "../naming";
import type { StackCertificate } from "./contract";

const FIELDS = { certificate: "secrets.tlsCertificate", key: "secrets.tlsPrivateKey" };

/** Problems of a pair given as plain text, found at construction; `prosody-stack plan` cannot decrypt a stack file's pair, so `pulumi up` checks that one. */
export function givenPairProblems(
  plan: DeploymentPlan,
  given: GivenSecrets,
): ReturnType<typeof certificatePairProblems> {
  const { tlsCertificate, tlsPrivateKey } = given;
  if (typeof tlsCertificate !== "string" || typeof tlsPrivateKey !== "string") return [];
  if (tlsCertificate === ENCRYPTED_STAND_IN || tlsPrivateKey === ENCRYPTED_STAND_IN) return [];
  return pairProblems(plan, tlsCertificate, tlsPrivateKey);
}

/** The pair's own problems, and dialback removed while its certificate cannot authenticate this server to others. */
function pairProblems(plan: DeploymentPlan, chainPem: string, keyPem: string) {
  const leaf = parseChain(chainPem)?.[0];
  return [
    ...certificatePairProblems(plan.certificateNames, chainPem, keyPem, FIELDS),
    ...(leaf && lacksClientAuthentication(leaf.keyUsage)
      ? dialbackProblems(plan.spec, plan.modules, `the provided certificate (${FIELDS.certificate})`)
      : []),
  ];
}

export function providedCertificate(context: ChildContext, given: GivenSecrets): StackCertificate {
  const { parent, plan } = context;
  const { tlsCertificate, tlsPrivateKey } = given;
  // The component refused a plan without them.
  if (tlsCertificate === undefined || tlsPrivateKey === undefined) throw new Error("the provided pair was not given");
  const chain = givenSecret(parent, "tlsCertificate", tlsCertificate);
  const key = givenSecret(parent, "tlsPrivateKey", tlsPrivateKey);
  const checked = pulumi.all([chain, key]).apply(([chainPem, keyPem]) => {
    if (chainPem === ENCRYPTED_STAND_IN || keyPem === ENCRYPTED_STAND_IN) return [chainPem, keyPem] as const;
    const problems = pairProblems(plan, chainPem, keyPem);
    if (problems.length > 0) {
      throw new pulumi.ResourceError(
        `ProsodyStack "${context.name}" cannot use the provided certificate:\n${problems.map(formatProblem).join("\n")}`,
        parent,
      );
    }
    return [chainPem, keyPem] as const;
  });
  return {
    // The chain is public; it stays a secret output only because it came in as one.
    fullChainPem: checked.apply(([chainPem]) => chainPem),
    privateKeyPem: pulumi.secret(checked.apply(([, keyPem]) => keyPem)),
    // Plain: a date is no secret, and an output that depends on the check makes a refused pair fail `pulumi up` early.
    expires: pulumi.unsecret(
      checked.apply(([chainPem]) => {
        const leaf = parseChain(chainPem)?.[0];
        return leaf ? new Date(leaf.validTo).toISOString() : "";
      }),
    ),
  };
}
