/**
 * Modules that must not load together on the same host or component, and pairs
 * that load together but confuse. Sources, in Prosody 13.0.1: core/modulemanager.lua
 * (vcard dropped when vcard_legacy loads), plugins/mod_bookmarks.lua (refuses
 * bookmarks2), plugins/mod_http_file_share.lua (the XEP-0363 namespace), and
 * util/startup.lua (plugin_paths come before Prosody's own, so a community copy
 * shadows the core module); in prosody-modules, mod_vcard_muc.lua's
 * `conflicts: muc_vcard` and mod_csi_battery_saver's README (one CSI optimiser).
 */
import type { ExclusionGroup, ProsodyVersion } from "./types";

export const EXCLUSION_GROUPS: readonly ExclusionGroup[] = [
  {
    id: "vcard-provider",
    alternatives: [["vcard"], ["vcard_legacy"]],
    why: "Prosody drops vcard when vcard_legacy is enabled on the same host; vcard_legacy serves vcard-temp from PEP",
  },
  {
    id: "upload-provider",
    alternatives: [["http_file_share"], ["http_upload_external"], ["http_upload"]],
    why: "two HTTP upload providers on one component answer the same XEP-0363 namespace",
  },
  {
    id: "csi-optimiser",
    alternatives: [["csi_simple"], ["csi_battery_saver"], ["filter_chatstates", "throttle_presence"]],
    why: "csi_battery_saver's README: use with other CSI plugins (csi_simple, filter_chatstates, throttle_presence) is not supported",
  },
];

export interface Caution {
  modules: readonly [string, string];
  versions: readonly ProsodyVersion[];
  note: string;
}

export const CAUTIONS: readonly Caution[] = [
  {
    modules: ["pubsub_serverinfo", "server_contact_info"],
    versions: ["0.12"],
    note: "both publish server information on 0.12 and may confuse readers of it (upstream issue #1841)",
  },
];
