// The policy pack's entry: the built rules of components/policy (npm run build writes dist/).
// Needs @pulumi/policy next to @prosodystack/pulumi (npm install @pulumi/policy).
require("../dist/components/policy/pack");
