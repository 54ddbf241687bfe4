import { Inject } from '@nestjs/common';
import { InvalidArgumentError } from 'commander';
import { Command, Option } from 'nest-commander';
import { DataSource } from 'typeorm';

import { DatabaseService } from '../database/database.service';
import { DeclaredSchema } from '../declarations/declared-schema';
import { STANDARD_DECLARATIONS } from '../standard-objects/standard-declarations.module';
import { upgradeCommandFor } from '../standard-objects/version.constant';
import { ALLOWABLE_HAZARDS, Hazard } from '../sync/plan';
import { WorkspaceOutcome, WorkspaceSyncService } from '../sync/workspace-sync.service';
import { FleetItemResult } from '../workspace/workspace-fleet.runner';
import { WorkspaceRow } from '../metadata/workspace.repository';
import { actionJson, formatPlan } from './plan.format';
import { WorkspaceWalkCommand, WorkspaceWalkOptions, WorkspaceWork } from './workspace-walk.command';

interface SyncMetadataOptions extends WorkspaceWalkOptions {
  check?: boolean;
  force?: boolean;
  allowHazards?: Hazard[];
}

@Command({
  name: 'workspace:sync-metadata',
  description: 'Bring workspaces in step with the declared objects and fields (one transaction per workspace)',
})
export class SyncMetadataCommand extends WorkspaceWalkCommand<WorkspaceOutcome, SyncMetadataOptions> {
  private service: WorkspaceSyncService | undefined;

  constructor(
    database: DatabaseService,
    @Inject(STANDARD_DECLARATIONS) private readonly declared: DeclaredSchema,
  ) {
    super(database);
  }

  @Option({ flags: '--check', description: 'compare the whole workspace with the live schema, even where the fingerprint says in sync' })
  parseCheck(): boolean {
    return true;
  }

  @Option({ flags: '-f, --force', description: 'skip the health check (sync even where metadata and tables drifted)' })
  parseForce(): boolean {
    return true;
  }

  @Option({
    flags: '--allow-hazards <list>',
    description: `apply actions with these hazards (comma-separated: ${ALLOWABLE_HAZARDS.join(', ')})`,
  })
  parseAllowHazards(value: string, previous: Hazard[] = []): Hazard[] {
    const hazards = value.split(',').map((item) => item.trim()).filter(Boolean);
    for (const hazard of hazards) {
      if (!ALLOWABLE_HAZARDS.includes(hazard as Hazard)) {
        throw new InvalidArgumentError(
          hazard === Hazard.TYPE_CHANGE || hazard === Hazard.NAME_CONFLICT
            ? `${hazard} cannot be allowed: type changes go through the upgrade commands, name conflicts are resolved by renaming.`
            : `"${hazard.slice(0, 40)}" is not a hazard that can be allowed (${ALLOWABLE_HAZARDS.join(', ')}).`,
        );
      }
    }
    return [...previous, ...(hazards as Hazard[])];
  }

  private serviceFor(dataSource: DataSource): WorkspaceSyncService {
    this.service ??= new WorkspaceSyncService(dataSource, this.declared);
    return this.service;
  }

  /** The stored fingerprint equals the declared state's: the sync takes its fast path, no query. */
  protected override isSettledByRow(workspace: WorkspaceRow, options: SyncMetadataOptions, dataSource: DataSource): boolean {
    return !options.check && workspace.fingerprint === this.serviceFor(dataSource).desiredStateFor(workspace).fingerprint;
  }

  protected async processWorkspace(workspace: WorkspaceRow, options: SyncMetadataOptions, dataSource: DataSource): Promise<WorkspaceWork<WorkspaceOutcome>> {
    const outcome = await this.serviceFor(dataSource).sync(workspace, {
      dryRun: options.dryRun,
      check: options.check,
      skipHealthCheck: options.force,
      allowHazards: new Set(options.allowHazards ?? []),
      upgradeCommand: upgradeCommandFor(workspace.version),
      onStatement: this.faults.onStatement,
    });
    return {
      status: outcome.status === 'failed' ? 'failed' : outcome.status === 'skipped' ? 'skipped' : 'succeeded',
      detail: outcome,
      message: outcome.message,
    };
  }

  protected describe(result: FleetItemResult<WorkspaceOutcome>, options: SyncMetadataOptions): string[] {
    const outcome = result.detail;
    const name = outcome ? `${result.workspaceId} (${outcome.schemaName})` : result.workspaceId;
    if (!outcome) return [`✖ ${name}: failed: ${result.message}`];
    const actions = outcome.plan?.actions.length ?? 0;
    const head = {
      applied: `✔ ${name}: applied ${actions} action(s), ${outcome.statementsExecuted} statement(s)`,
      'up-to-date': `= ${name}: up to date`,
      planned: `~ ${name}: ${actions} action(s) planned (dry run, nothing written)`,
      failed: outcome.plan?.refusals.length
        ? `✖ ${name}: failed: ${outcome.plan.refusals.length} change(s) refused, nothing was written`
        : `✖ ${name}: failed: ${outcome.message}`,
      skipped: `- ${name}: ${outcome.message}`,
    }[outcome.status];
    const showPlan = outcome.plan && (options.dryRun || options.verbose || outcome.status === 'failed');
    return [head, ...(showPlan ? formatPlan(outcome.plan!, options.verbose) : [])];
  }

  protected toJson(result: FleetItemResult<WorkspaceOutcome>): Record<string, unknown> {
    return {
      id: result.workspaceId,
      status: result.detail?.status ?? 'failed',
      message: result.message,
      actions: result.detail?.plan?.actions.map(actionJson) ?? [],
      refusals: result.detail?.plan?.refusals ?? [],
    };
  }
}
