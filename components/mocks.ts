/** Mock-runtime stand-ins for the children the component itself creates: secrets, certificates, images. */
import { fakeDigest, fakePem, type ProviderMocks } from "./mock-runtime/fakes";

/** A fixed expiry, so a plan prints the same from run to run. */
const MOCK_EXPIRY = "2030-01-01T00:00:00Z";

export const componentMocks: ProviderMocks = {
  resources: {
    "random:index/randomPassword:RandomPassword": (name) => ({ result: `mock${fakeDigest(name).slice(0, 28)}` }),
    "tls:index/privateKey:PrivateKey": (name) => ({
      privateKeyPem: fakePem("PRIVATE KEY", name),
      publicKeyPem: fakePem("PUBLIC KEY", name),
      privateKeyOpenssh: fakePem("OPENSSH PRIVATE KEY", name),
      publicKeyOpenssh: `ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI${Buffer.from(fakeDigest(name)).toString("base64").slice(0, 43)}\n`,
    }),
    "tls:index/selfSignedCert:SelfSignedCert": (name) => ({ certPem: fakePem("CERTIFICATE", name) }),
    "tls:index/certRequest:CertRequest": (name) => ({ certRequestPem: fakePem("CERTIFICATE REQUEST", name) }),
    "tls:index/locallySignedCert:LocallySignedCert": (name) => ({
      certPem: fakePem("CERTIFICATE", name),
      validityEndTime: MOCK_EXPIRY,
    }),
    "acme:index/certificate:Certificate": (name) => ({
      certificatePem: fakePem("CERTIFICATE", name),
      issuerPem: fakePem("CERTIFICATE", `${name}-issuer`),
      privateKeyPem: fakePem("PRIVATE KEY", name),
      certificateSerial: fakeDigest(name).slice(0, 32),
      certificateNotAfter: MOCK_EXPIRY,
    }),
    "docker-build:index:Image": (name, inputs) => {
      const digest = `sha256:${fakeDigest(name)}`;
      const [tag] = (inputs.tags as string[] | undefined) ?? [name];
      return { digest, ref: `${tag}@${digest}` };
    },
  },
};
