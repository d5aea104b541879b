/**
 * Mock-runtime stand-ins for what the Kubernetes provider and the cluster
 * compute. An object without metadata.name gets one as the provider gives
 * it: its logical name and 8 hex characters. A change to a ConfigMap's or a
 * Secret's data replaces it, and a replacement gets a fresh name, so here the
 * suffix is a digest of the data: the same data keeps its name, other data
 * gets another. A LoadBalancer Service gets an address, a Certificate an
 * expiry, so the wiring that reads them runs.
 */
import { fakeDigest, type ProviderMocks, type ResourceMock } from "../../mock-runtime/fakes";

type Metadata = { name?: string; namespace?: string } | undefined;

const autoNamedByData: ResourceMock = (name, inputs) => {
  const metadata = inputs.metadata as Metadata;
  if (metadata?.name !== undefined) return {};
  const data = JSON.stringify([inputs.data ?? null, inputs.stringData ?? null, inputs.type ?? null]);
  return { metadata: { ...metadata, name: `${name}-${fakeDigest(`${name}\0${data}`).slice(0, 8)}` } };
};

const loadBalancer: ResourceMock = (name, inputs) => {
  const spec = inputs.spec as { type?: string } | undefined;
  if (spec?.type !== "LoadBalancer") return {};
  const octet = Number.parseInt(fakeDigest(name).slice(0, 2), 16);
  return { status: { loadBalancer: { ingress: [{ ip: `203.0.113.${octet}` }] } } };
};

export const kubernetesMocks: ProviderMocks = {
  resources: {
    "kubernetes:core/v1:ConfigMap": autoNamedByData,
    "kubernetes:core/v1:Secret": autoNamedByData,
    "kubernetes:core/v1:Service": loadBalancer,
    "kubernetes:cert-manager.io/v1:Certificate": () => ({
      status: { notAfter: "2027-03-02T00:00:00Z", conditions: [{ type: "Ready", status: "True" }] },
    }),
  },
};
