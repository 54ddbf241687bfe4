import { UpgradeStep } from './upgrade-step';
import { UPGRADE_0_23_STEPS } from './versions/0-23';
import { UPGRADE_0_24_STEPS } from './versions/0-24';
import { UPGRADE_0_25_STEPS } from './versions/0-25';

export interface UpgradeVersion {
  version: string;
  /** The version a workspace must be at to take this upgrade. */
  previous: string;
  steps: UpgradeStep[];
}

/** Every upgrade the product ships, oldest first. */
export const UPGRADE_VERSIONS: UpgradeVersion[] = [
  { version: '0.23', previous: '0.22', steps: UPGRADE_0_23_STEPS },
  { version: '0.24', previous: '0.23', steps: UPGRADE_0_24_STEPS },
  { version: '0.25', previous: '0.24', steps: UPGRADE_0_25_STEPS },
];

export const findUpgradeVersion = (version: string): UpgradeVersion | undefined =>
  UPGRADE_VERSIONS.find((candidate) => candidate.version === version);

export const upgradeCommandName = (version: string): string => `upgrade-${version}`;
