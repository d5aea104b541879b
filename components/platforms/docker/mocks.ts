/** Mock-runtime stand-ins for what the Docker provider computes. */
import { fakeDigest, type ProviderMocks } from "../../mock-runtime/fakes";

export const dockerMocks: ProviderMocks = {
  resources: {
    "docker:index/remoteImage:RemoteImage": (name, inputs) => ({
      imageId: `sha256:${fakeDigest(name)}`,
      repoDigest: `${String(inputs.name)}@sha256:${fakeDigest(name)}`,
    }),
  },
};
