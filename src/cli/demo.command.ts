import { Inject } from '@nestjs/common';
import { Command, Option } from 'nest-commander';

import { FleetItemResult, FleetWork } from '../workspace/workspace-fleet.runner';
import { DEMO_START_VERSION, DemoRunService, DemoStage } from '../workspace/demo-run.service';
import { LATEST_UPGRADE_JOB } from '../workspace/upgrade-job.handler';
import { BaseCommand, BaseCommandOptions } from './base.command';
import { EXIT_FAILURE } from './cli.error';
import { SYNC_METADATA_REPORT } from './sync-metadata.command';
import { upgradeReport } from './upgrade.command';
import { WORKSPACE_HEALTH_REPORT } from './workspace-health.command';

interface DemoOptions extends BaseCommandOptions {
  name?: string;
}

const resultOf = <T>(workspaceId: string, work: FleetWork<T>): FleetItemResult<T> => ({ workspaceId, ...work });

/** What each stage prints: a heading, then the lines its own command would print. */
const stageLines = (stage: DemoStage): string[] => {
  switch (stage.stage) {
    case 'migrated':
      return [
        `== database:migrate: ${stage.migrations.length === 0 ? 'the core schema is up to date' : `applied ${stage.migrations.length} migration(s)`}`,
      ];
    case 'created': {
      const { workspace, plan, views, records } = stage.created;
      return [
        `== workspace:create --name "${workspace.displayName}" --version ${DEMO_START_VERSION}`,
        `✔ ${workspace.id} (${workspace.schemaName}): ${plan.actions.length} action(s), ${views} default view(s), ${records.companies} companies, ${records.people} people, ${records.opportunities} opportunities`,
      ];
    }
    case 'upgraded':
      return [
        `== upgrade -v -w ${stage.workspace.id}`,
        ...upgradeReport(LATEST_UPGRADE_JOB).describe(resultOf(stage.workspace.id, stage.work), { verbose: true }),
      ];
    case 'synced':
      return [
        `== workspace:sync-metadata --check -v -w ${stage.workspace.id}`,
        ...SYNC_METADATA_REPORT.describe(resultOf(stage.workspace.id, stage.work), { verbose: true, check: true }),
      ];
    case 'checked':
      return [
        `== workspace:health -w ${stage.workspace.id}`,
        ...WORKSPACE_HEALTH_REPORT.describe(resultOf(stage.workspace.id, stage.work), undefined as never),
      ];
  }
};

@Command({
  name: 'demo',
  description: `The main job on a new demo workspace, in one process: migrate, create it at ${DEMO_START_VERSION} with prefill records, upgrade it to the latest version, sync it (--check) and check its health`,
})
export class DemoCommand extends BaseCommand<DemoOptions> {
  constructor(@Inject(DemoRunService) private readonly demo: DemoRunService) {
    super();
  }

  @Option({ flags: '--name <name>', description: 'display name of the demo workspace (default "Demo")' })
  parseName(value: string): string {
    return value;
  }

  async run(_params: string[], options: DemoOptions): Promise<void> {
    const succeeded = await this.demo.run(options.name ?? 'Demo', (stage) => stageLines(stage).forEach((line) => this.print(line)));
    if (!succeeded) process.exitCode = EXIT_FAILURE;
  }
}
