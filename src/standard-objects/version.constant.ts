/** The version whose standard objects the classes in this folder declare. */
export const CURRENT_VERSION = '0.23';

/** Versions with a frozen snapshot, oldest first: a workspace can be created at any of them. */
export const SUPPORTED_VERSIONS = ['0.22', '0.23'] as const;
