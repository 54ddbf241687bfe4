import { INestApplicationContext, Type } from '@nestjs/common';
import { Command, CommanderError } from 'commander';
import { CommandFactory, CommandRunnerService } from 'nest-commander';

import { ServerDirectoryError } from '../server-directory';
import { EXIT_FAILURE, EXIT_STATUS_HELP, EXIT_USAGE, UsageError } from './cli.error';

const isVerbose = (argv: string[]): boolean => argv.includes('-v') || argv.includes('--verbose');

const reportError = (error: unknown, argv: string[]): void => {
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`Error: ${message}\n`);
  if (isVerbose(argv) && error instanceof Error && error.stack) {
    process.stderr.write(`${error.stack}\n`);
  }
  // A server name the directory does not know came from the command line (--server).
  const usage = error instanceof UsageError || (error instanceof ServerDirectoryError && error.code === 'UNKNOWN_SERVER');
  process.exitCode = usage ? EXIT_USAGE : EXIT_FAILURE;
};

/** Commander reports bad arguments by exiting; map its codes onto ours (help is success, the rest 2). */
const onCommanderExit = (error: CommanderError): never => {
  const success = error.code === 'commander.helpDisplayed' || error.code === 'commander.version';
  process.exit(success ? 0 : EXIT_USAGE);
};

const configure = (command: Command): void => {
  command.exitOverride(onCommanderExit);
  command.showSuggestionAfterError(true);
  command.addHelpText('after', EXIT_STATUS_HELP);
  command.configureOutput({
    outputError: (text, write) => write(`${text.trimEnd()}\nRun with --help to see the commands and their options.\n`),
  });
  command.commands.forEach(configure);
};

/**
 * Runs the CLI: builds the command module (validating declarations and configuration on the way),
 * parses argv, and turns every outcome into one clear line and an exit status:
 * 0 success, 1 refused or failed work, 2 a command line that cannot be parsed.
 */
export const runCli = async (rootModule: Type<unknown>, argv: string[] = process.argv): Promise<void> => {
  let app: INestApplicationContext | undefined;
  try {
    app = await CommandFactory.createWithoutRunning(rootModule, {
      logger: false,
      // Throw instead of exiting, so that a start-up error gets the same one-line report.
      abortOnError: false,
      cliName: 'command:prod',
      serviceErrorHandler: (error: Error) => reportError(error, argv),
    });
    const runner = app.get(CommandRunnerService);
    // nest-commander applies its error handler to the root command only; sub-commands need it too.
    const root = runner['commander'] as Command;
    root.name('command:prod').usage('<command> [options]').configureHelp({ helpWidth: 200 });
    configure(root);
    await runner.run(argv);
  } catch (error) {
    reportError(error, argv);
  } finally {
    await app?.close().catch((error: unknown) => reportError(error, argv));
  }
  // A pipe whose reader is slower than us holds part of the output in memory: let it drain
  // before exiting, or a large --json document is cut short.
  await Promise.all([process.stdout, process.stderr].map((stream) => new Promise<void>((resolve) => stream.write('', () => resolve()))));
  process.exit(process.exitCode ?? 0);
};
