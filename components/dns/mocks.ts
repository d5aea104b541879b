/** Mock-runtime stand-ins for the DNS providers' data sources. */
import { fakeDigest, type ProviderMocks } from "../mock-runtime/fakes";

export const dnsMocks: ProviderMocks = {
  calls: {
    "aws:route53/getZone:getZone": (inputs) => ({
      zoneId: `Z${fakeDigest(String(inputs.name)).slice(0, 20).toUpperCase()}`,
    }),
  },
};
