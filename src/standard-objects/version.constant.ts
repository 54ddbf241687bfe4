/** The version whose standard objects the classes in this folder declare. */
export const CURRENT_VERSION = '0.25';

/** Versions with a frozen snapshot, oldest first: a workspace can be created at any of them. */
export const SUPPORTED_VERSIONS = ['0.22', '0.23', '0.24', '0.25'] as const;

/** The version that follows `version`, or null for the latest or an unknown one. */
export const nextVersion = (version: string | null): string | null => {
  const index = SUPPORTED_VERSIONS.indexOf(version as (typeof SUPPORTED_VERSIONS)[number]);
  return index >= 0 && index < SUPPORTED_VERSIONS.length - 1 ? SUPPORTED_VERSIONS[index + 1] : null;
};

/** The upgrade command that brings a workspace at `version` one step forward. */
export const upgradeCommandFor = (version: string | null): string | null => {
  const next = nextVersion(version);
  return next ? `upgrade-${next}` : null;
};
