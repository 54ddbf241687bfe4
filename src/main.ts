import 'reflect-metadata';

import { CliModule } from './cli/cli.module';
import { runCli } from './cli/cli-runner';

void runCli(CliModule);
