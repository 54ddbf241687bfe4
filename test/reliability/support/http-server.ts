import { spawn } from 'node:child_process';
import { AddressInfo, createServer } from 'node:net';
import { resolve } from 'node:path';

import { PROJECT_ROOT } from '../../utils/cli';
import { ProcessResult } from './processes';

/** The built HTTP server (`npm start`). */
const SERVER_ENTRY = resolve(PROJECT_ROOT, 'dist', 'src', 'server.js');

export interface ServerProcess {
  port: number;
  /** True once it listens; false when it ended before (killed while starting). */
  listening: Promise<boolean>;
  ended: Promise<ProcessResult>;
  /** SIGTERM, then waits for it to end. */
  stop(): Promise<ProcessResult>;
}

const freePort = (): Promise<number> =>
  new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolvePort(port));
    });
  });

/** Starts the built HTTP server in a process of its own, with a clean environment plus `env`. */
export const startServer = async (env: Record<string, string>): Promise<ServerProcess> => {
  const port = await freePort();
  const child = spawn(process.execPath, [SERVER_ENTRY], {
    cwd: PROJECT_ROOT,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, PORT: String(port), LOG_LEVEL: 'info', ...env },
  });
  let stdout = '';
  let stderr = '';
  let onListening: (listening: boolean) => void = () => undefined;
  const listening = new Promise<boolean>((resolveListening) => (onListening = resolveListening));
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => {
    stderr += chunk;
    if (/"msg":"Listening on /.test(stderr)) onListening(true);
  });
  const ended = new Promise<ProcessResult>((resolveEnded, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => {
      onListening(false);
      resolveEnded({ code, signal, stdout, stderr });
    });
  });
  return {
    port,
    listening,
    ended,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      return ended;
    },
  };
};
