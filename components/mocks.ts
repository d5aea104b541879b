/** Mock-runtime stand-ins for the children the component itself creates: secrets, certificates, images. */
import { fakeDigest, fakePem, type ProviderMocks } from "./mock-runtime/fakes";

export const componentMocks: ProviderMocks = {
  resources: {
    "random:index/randomPassword:RandomPassword": (name) => ({ result: `mock${fakeDigest(name).slice(0, 28)}` }),
    "tls:index/privateKey:PrivateKey": (name) => ({
      privateKeyPem: fakePem("PRIVATE KEY", name),
      publicKeyPem: fakePem("PUBLIC KEY", name),
    }),
    "tls:index/selfSignedCert:SelfSignedCert": (name) => ({ certPem: fakePem("CERTIFICATE", name) }),
    "tls:index/certRequest:CertRequest": (name) => ({ certRequestPem: fakePem("CERTIFICATE REQUEST", name) }),
    "tls:index/locallySignedCert:LocallySignedCert": (name) => ({ certPem: fakePem("CERTIFICATE", name) }),
    "acme:index/certificate:Certificate": (name) => ({
      certificatePem: fakePem("CERTIFICATE", name),
      issuerPem: fakePem("CERTIFICATE", `${name}-issuer`),
      privateKeyPem: fakePem("PRIVATE KEY", name),
      certificateSerial: fakeDigest(name).slice(0, 32),
    }),
    "docker-build:index:Image": (name, inputs) => {
      const digest = `sha256:${fakeDigest(name)}`;
      const [tag] = (inputs.tags as string[] | undefined) ?? [name];
      return { digest, ref: `${tag}@${digest}` };
    },
  },
};
