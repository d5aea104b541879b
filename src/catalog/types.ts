/**
 * The shape of the module catalog. Every fact about a Prosody module that the
 * resolver, the renderer or the image needs lives in one `ModuleRecord`.
 */

export const PROSODY_VERSIONS = ["0.12", "13"] as const;
export type ProsodyVersion = (typeof PROSODY_VERSIONS)[number];

export const STABILITIES = ["stable", "beta", "alpha"] as const;
export type Stability = (typeof STABILITIES)[number];

/** Where the image gets a module's code from. */
export type InstallFrom =
  /** the `prosody` package itself */
  | "prosody"
  /** Debian's `prosody-modules` package for that release (pinned by its version) */
  | "debian"
  /** `prosodyctl install` from the community rocks server, pinned, only when a spec asks */
  | "rocks";

/** Why a module that exists must not be used, and what to use instead. */
export interface Exclusion {
  reason: string;
  /** the module (or setting) to use instead, when there is one */
  replacement?: string;
}

/** What one Prosody version offers of a module. */
export type VersionEntry =
  | { source: "absent"; note?: string }
  | {
      source: "core" | "community";
      stability: Stability;
      install: InstallFrom;
      /** loaded on every host by Prosody itself; only ever removed through `modules_disabled` */
      autoload?: boolean;
      excluded?: Exclusion;
    };

export const CATEGORIES = [
  "core",
  "im",
  "modern",
  "mobile",
  "security",
  "http",
  "admin",
  "monitoring",
  "muc",
  "upload",
  "auth",
  "storage",
  "registration",
  "pubsub",
  "federation",
  "integration",
  "developer",
] as const;
export type Category = (typeof CATEGORIES)[number];

/**
 * Where a module loads. `global` modules sit in the global section only;
 * `host` modules load on virtual hosts; the others load on the named component.
 */
export const PLACEMENTS = ["global", "host", "muc", "upload", "proxy65", "pubsub"] as const;
export type Placement = (typeof PLACEMENTS)[number];
export type ComponentKind = Exclude<Placement, "global" | "host">;

/**
 * How a module is switched on.
 * - `module`: listed in `modules_enabled` (or as a Component's type).
 * - `provider`: an `auth_*`, `authz_*` or `storage_*` backend, or `cron`; chosen
 *   with a setting (`authentication`, `storage`), never listed in `modules_enabled`.
 * - `library`: pulled in by other modules; not useful on its own.
 */
export type ModuleKind = "module" | "provider" | "library";

/** Facts of the deployment that some dependencies hang on. */
export const CONDITIONS = {
  openRegistration: "allow_registration = true",
  inviteOnlyRegistration: "registration_invite_only = true (the default)",
  externalUploads: "http_file_share_base_url is set (uploads served by an external gateway)",
  dane: "use_dane = true",
} as const;
export type ConditionName = keyof typeof CONDITIONS;

export interface Dependency {
  module: string;
  /** only on these versions (default: every version where the dependent exists) */
  versions?: readonly ProsodyVersion[];
  /** only when this deployment fact holds ... */
  when?: ConditionName;
  /** ... or only when it does not */
  unless?: ConditionName;
  /** why, when it is not obvious */
  note?: string;
}

export interface OptionDoc {
  name: string;
  doc: string;
  /** the module does nothing useful (or refuses to load) without it */
  required?: boolean;
}

export interface ModuleRecord {
  name: string;
  /** one line */
  summary: string;
  category: Category;
  kind: ModuleKind;
  /** XEPs and RFCs the module implements, e.g. "XEP-0313" */
  xeps: readonly string[];
  versions: Readonly<Record<ProsodyVersion, VersionEntry>>;
  /** loads only here; the first entry is where the resolver puts it by default */
  placement: readonly Placement[];
  /** `module:depends()` calls: Prosody loads these with the module */
  depends: readonly Dependency[];
  /** modules that work better alongside; reported, never added */
  softDepends: readonly Dependency[];
  /** the component type this module defines, when it is a component's main module */
  definesComponent?: ComponentKind;
  /** cannot be removed: the server does not work as an XMPP server without it */
  essential?: boolean;
  /** options the module reads that a deployer must know about */
  options: readonly OptionDoc[];
  /** Debian packages the module needs at run time beyond `prosody` itself */
  systemPackages?: readonly string[];
  /** where our sources are unsure or disagree, said plainly */
  uncertain?: string;
}

/** A set of alternatives of which at most one may load on the same host or component. */
export interface ExclusionGroup {
  id: string;
  /** each alternative is one module or a set of modules that go together */
  alternatives: readonly (readonly string[])[];
  why: string;
}

/** A name people ask for that is not a catalog module. */
export interface Alias {
  name: string;
  /** the real module to use, when there is exactly one */
  replacement?: string;
  explanation: string;
}
