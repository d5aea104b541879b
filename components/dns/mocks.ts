/** Mock-runtime stand-ins for the DNS providers' data sources. */
import { fakeDigest, type ProviderMocks } from "../mock-runtime/fakes";

export const dnsMocks: ProviderMocks = {
  calls: {
    "aws:route53/getZone:getZone": (inputs) => ({
      zoneId: `Z${fakeDigest(String(inputs.name)).slice(0, 20).toUpperCase()}`,
    }),
    "cloudflare:index/getZone:getZone": (inputs) => {
      const id = fakeDigest(JSON.stringify(inputs.filter)).slice(0, 32);
      return { id, zoneId: id };
    },
    // An empty zone: every record is the stack's to create.
    "cloudflare:index/getDnsRecords:getDnsRecords": () => ({ results: [] }),
  },
};
