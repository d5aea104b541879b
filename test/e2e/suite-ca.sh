# Sourced by test/e2e/run.sh and bench/served-load/run.sh: a throwaway CA made
# before Node starts, so the client verifies Prosody's certificates through
# NODE_EXTRA_CA_CERTS exactly as it would a public CA's (test/e2e/harness/certs.ts
# signs each server's leaf with it). Removed when the sourcing script exits.
# Usage: . test/e2e/suite-ca.sh NAME   (NAME goes into the folder and the CA's subject)
E2E_CA_DIR="$(mktemp -d "/tmp/prosody-$1-ca.XXXXXX")"
trap 'rm -rf "$E2E_CA_DIR"' EXIT
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=ProsodyStack $1 CA" \
  -keyout "$E2E_CA_DIR/ca.key" -out "$E2E_CA_DIR/ca.crt" 2>/dev/null
chmod 0755 "$E2E_CA_DIR"
export E2E_CA_DIR NODE_EXTRA_CA_CERTS="$E2E_CA_DIR/ca.crt"
