import { CommandRunner, Option } from 'nest-commander';

export interface BaseCommandOptions {
  verbose?: boolean;
}

/** Every command takes `-v, --verbose` (error stacks, more detail). */
export abstract class BaseCommand<TOptions extends BaseCommandOptions = BaseCommandOptions> extends CommandRunner {
  abstract override run(passedParams: string[], options: TOptions): Promise<void>;

  @Option({ flags: '-v, --verbose', description: 'print more detail, and stack traces on errors' })
  parseVerbose(): boolean {
    return true;
  }

  protected print(line: string): void {
    process.stdout.write(`${line}\n`);
  }
}
