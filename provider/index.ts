// The plugin's entry point: the Pulumi engine starts it and speaks gRPC to it.
import { serveProvider } from "@prosodystack/pulumi";

serveProvider(process.argv.slice(2)).catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
