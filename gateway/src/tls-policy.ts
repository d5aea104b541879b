/**
 * The gateway's TLS, the same as Prosody's own listeners (Mozilla's
 * "intermediate" profile, which Prosody's defaults follow): TLS 1.2 and 1.3,
 * forward-secret key exchange and AEAD ciphers only. Node's defaults would
 * also offer RSA key exchange and CBC suites, which Prosody's ports do not.
 * Every secure context the gateway makes (at start and at each certificate
 * reload) takes these, or a reload would fall back to Node's defaults.
 */
export const TLS_POLICY = {
  minVersion: "TLSv1.2",
  ciphers: [
    "ECDHE-ECDSA-AES128-GCM-SHA256",
    "ECDHE-RSA-AES128-GCM-SHA256",
    "ECDHE-ECDSA-AES256-GCM-SHA384",
    "ECDHE-RSA-AES256-GCM-SHA384",
    "ECDHE-ECDSA-CHACHA20-POLY1305",
    "ECDHE-RSA-CHACHA20-POLY1305",
  ].join(":"),
} as const;
