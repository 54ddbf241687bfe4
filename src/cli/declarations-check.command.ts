import { existsSync, readFileSync } from 'node:fs';

import { Inject } from '@nestjs/common';
import { Command, Option } from 'nest-commander';

import { DeclaredSchema } from '../declarations/declared-schema';
import { STANDARD_DECLARATIONS } from '../standard-objects/standard-declarations.module';
import { getVersionSnapshot, snapshotVersions } from '../standard-objects/version-snapshots';
import { checkDeclarations, followingVersion, formatDeclarationChange } from '../upgrade/declarations-check';
import { UPGRADE_VERSIONS } from '../upgrade/upgrade-versions';
import { BaseCommand, BaseCommandOptions } from './base.command';
import { UsageError } from './cli.error';

interface DeclarationsCheckOptions extends BaseCommandOptions {
  against?: string;
}

const versionNumber = (version: string): number[] => version.split('.').map(Number);
const isAfter = (version: string, than: string): boolean => {
  const [a, b] = [versionNumber(version), versionNumber(than)];
  return a[0] > b[0] || (a[0] === b[0] && a[1] > b[1]);
};

@Command({
  name: 'declarations:check',
  description: 'Compare the declarations with the last frozen snapshot; fail when a change that needs data moved has no upgrade step',
})
export class DeclarationsCheckCommand extends BaseCommand<DeclarationsCheckOptions> {
  constructor(@Inject(STANDARD_DECLARATIONS) private readonly declarations: DeclaredSchema) {
    super();
  }

  @Option({
    flags: '--against <version>',
    description: 'the snapshot to compare with: a released version, or a snapshot file (.json); default: the latest released',
  })
  parseAgainst(value: string): string {
    return value;
  }

  async run(_params: string[], options: DeclarationsCheckOptions): Promise<void> {
    const { version, snapshot } = this.snapshotOf(options.against);
    const steps = UPGRADE_VERSIONS.filter((upgrade) => isAfter(upgrade.version, version)).flatMap((upgrade) => upgrade.steps);
    const next = UPGRADE_VERSIONS.find((upgrade) => upgrade.previous === version)?.version ?? followingVersion(version);
    const result = checkDeclarations(this.declarations, snapshot, version, steps, next);
    const claimed = result.changes.filter((change) => change.claimedBy !== null).length;
    this.print(`Declarations against ${options.against ?? version}:`);
    for (const change of result.changes) this.print(`  ${formatDeclarationChange(change, next)}`);
    this.print(
      `${result.changes.length} change(s): ${result.changes.length - claimed - result.unclaimed.length} by sync alone, ` +
        `${claimed} claimed by upgrade steps, ${result.unclaimed.length} unclaimed`,
    );
    if (result.unclaimed.length > 0) {
      const fields = result.unclaimed.map((change) => (change.field ? `${change.object}.${change.field}` : change.object));
      throw new Error(
        `${result.unclaimed.length} change(s) need data moved and no upgrade step claims them (${fields.join(', ')}): ` +
          `add a step of ${next} that names each field's standardId, or revert the change.`,
      );
    }
  }

  /** The snapshot of a released version, or one read from a file (whose `version` says which steps follow it). */
  private snapshotOf(against: string | undefined): { version: string; snapshot: DeclaredSchema } {
    const versions = snapshotVersions();
    if (against === undefined) {
      const latest = versions[versions.length - 1];
      return { version: latest, snapshot: getVersionSnapshot(latest) };
    }
    if (against.endsWith('.json')) {
      if (!existsSync(against)) throw new UsageError(`--against ${against}: no such file`);
      let snapshot: DeclaredSchema;
      try {
        snapshot = JSON.parse(readFileSync(against, 'utf8')) as DeclaredSchema;
      } catch (error) {
        throw new UsageError(`--against ${against} is not JSON (${(error as Error).message})`);
      }
      if (typeof snapshot?.version !== 'string' || !/^\d+\.\d+$/.test(snapshot.version) || !Array.isArray(snapshot.objects)) {
        throw new UsageError(
          `--against ${against} is not a snapshot: it needs a "version" like "0.24" and "objects" (see snapshot:generate)`,
        );
      }
      return { version: snapshot.version, snapshot };
    }
    if (!versions.includes(against)) {
      throw new UsageError(`--against ${against}: unknown version. Known versions: ${versions.join(', ')}, or a snapshot file (.json)`);
    }
    return { version: against, snapshot: getVersionSnapshot(against) };
  }
}
