import { DataSource } from 'typeorm';

import { WorkspaceRow } from '../../src/metadata/workspace.repository';
import { LedgerRepository } from '../../src/upgrade/ledger.repository';
import { stepOptionsOf, UpgradeOptions } from '../../src/upgrade/upgrade.runner';
import { stepContext, UpgradeStepContext } from '../../src/upgrade/upgrade-step';

/**
 * Runs `work` as a step of `version` named `name` runs: on its own connection, with a ledger entry
 * (resumed with its checkpoint when one is left), the runner's transaction helper and options. For
 * specs that drive a piece of a step's machinery without a version to register it in.
 */
export const runAsStep = async <T>(
  dataSource: DataSource,
  workspace: WorkspaceRow,
  name: string,
  options: UpgradeOptions,
  work: (context: UpgradeStepContext) => Promise<T>,
): Promise<T> => {
  const connection = dataSource.createQueryRunner();
  await connection.connect();
  try {
    const ledger = new LedgerRepository(connection.manager);
    const entry = await ledger.start(workspace.id, '0.25', name, 'spec');
    const stepOptions = stepOptionsOf(options);
    const context = stepContext(workspace, entry, stepOptions, connection);
    const result = await work(context);
    await ledger.finish(entry.id);
    return result;
  } finally {
    await connection.release();
  }
};
