import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

import { parse } from 'yaml';

import { PROJECT_ROOT, runCli } from '../utils/cli';

interface Instruction {
  keyword: string;
  args: string;
}

/** The Dockerfile's instructions (comments dropped, continued lines joined), by stage. */
const dockerfileStages = (text: string): Array<{ from: string; name: string | null; instructions: Instruction[] }> => {
  const joined = text
    .split('\n')
    .filter((line) => !/^\s*#/.test(line))
    .join('\n')
    .replace(/\\\n/g, ' ');
  const stages: Array<{ from: string; name: string | null; instructions: Instruction[] }> = [];
  for (const line of joined.split('\n').map((text) => text.trim())) {
    if (line === '') continue;
    const [, keyword, args] = /^(\S+)\s+(.*)$/.exec(line) ?? [];
    if (keyword.toUpperCase() === 'FROM') {
      const [, from, name] = /^(\S+)(?:\s+AS\s+(\S+))?$/i.exec(args) ?? [];
      stages.push({ from, name: name ?? null, instructions: [] });
    } else {
      stages.at(-1)!.instructions.push({ keyword: keyword.toUpperCase(), args });
    }
  }
  return stages;
};

interface ComposeService {
  image?: string;
  build?: unknown;
  command?: string[];
  environment?: Record<string, string>;
  ports?: string[];
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
}

const compose = parse(readFileSync(resolve(PROJECT_ROOT, 'docker-compose.yml'), 'utf8')) as { services: Record<string, ComposeService> };
const stages = dockerfileStages(readFileSync(resolve(PROJECT_ROOT, 'Dockerfile'), 'utf8'));

/** The container files, checked as text: no Docker runs on the machines the tests run on. */
describe('Dockerfile', () => {
  const runtime = stages.at(-1)!;
  const of = (keyword: string) => runtime.instructions.filter((instruction) => instruction.keyword === keyword);

  it('builds in stages and runs as a user that is not root', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    const users = of('USER').map((instruction) => instruction.args);
    expect(users.length).toBeGreaterThan(0);
    expect(['root', '0']).not.toContain(users.at(-1));
  });

  it('ships production dependencies only: node_modules of a stage that installed with --omit=dev, and the compiled code', () => {
    const modules = of('COPY').filter((instruction) => /\bnode_modules\b/.test(instruction.args));
    expect(modules).toHaveLength(1);
    const source = /--from=(\S+)/.exec(modules[0].args)?.[1];
    const stage = stages.find((candidate) => candidate.name === source);
    expect(stage?.instructions.filter((instruction) => instruction.keyword === 'RUN').map((instruction) => instruction.args)).toEqual([
      expect.stringMatching(/npm ci --omit=dev/),
    ]);
    expect(of('COPY').map((instruction) => instruction.args)).toEqual(
      expect.arrayContaining([expect.stringMatching(/--from=build .*\/app\/dist \.\/dist$/)]),
    );
    // Nothing is installed or built in the final stage itself.
    expect(of('RUN')).toEqual([]);
  });

  it('has a healthcheck on /healthz and starts the HTTP service', () => {
    expect(of('HEALTHCHECK').map((instruction) => instruction.args)).toEqual([expect.stringContaining('/healthz')]);
    expect(of('CMD').map((instruction) => JSON.parse(instruction.args))).toEqual([['node', 'dist/src/server.js']]);
  });

  it('leaves secrets and local builds out of the build context', () => {
    const ignored = readFileSync(resolve(PROJECT_ROOT, '.dockerignore'), 'utf8').split('\n');
    expect(ignored).toEqual(expect.arrayContaining(['node_modules', 'dist', '.env', '.data']));
  });
});

describe('docker-compose.yml', () => {
  const { services } = compose;

  it('runs server and worker beside PostgreSQL and Redis, each with a healthcheck', () => {
    expect(Object.keys(services).sort()).toEqual(['postgres', 'redis', 'server', 'worker']);
    for (const [name, service] of Object.entries(services)) {
      expect({ name, healthcheck: service.healthcheck?.test?.[0] }).toEqual({ name, healthcheck: expect.stringMatching(/^CMD(-SHELL)?$/) });
    }
    expect(services.server.healthcheck!.test.join(' ')).toContain('http://127.0.0.1:3000/readyz');
    expect(services.worker.healthcheck!.test.join(' ')).toContain(`http://127.0.0.1:${services.worker.environment!.WORKER_PORT}/healthz`);
  });

  it('binds every published port to 127.0.0.1', () => {
    const ports = Object.values(services).flatMap((service) => service.ports ?? []);
    expect(ports.length).toBe(4);
    for (const port of ports) expect(port).toMatch(/^127\.0\.0\.1:\d+:\d+$/);
  });

  it('has Redis keep every key (maxmemory-policy noeviction), as BullMQ needs', () => {
    const command = services.redis.command!;
    expect(command[command.indexOf('--maxmemory-policy') + 1]).toBe('noeviction');
  });

  it('has the server migrate, then upgrade, then serve, stopping at the first that fails', () => {
    const [shell, flag, script] = services.server.command!;
    expect([shell, flag]).toEqual(['sh', '-c']);
    expect(script.split(' && ')).toEqual([
      'node dist/src/main.js database:migrate',
      'node dist/src/main.js upgrade',
      'exec node dist/src/server.js',
    ]);
    expect(services.server.depends_on).toEqual({ postgres: { condition: 'service_healthy' }, redis: { condition: 'service_healthy' } });
    expect(services.worker.depends_on?.server).toEqual({ condition: 'service_healthy' });
    expect(services.worker.image).toBe(services.server.image);
  });

  it('names commands the CLI has, and settings the service reads', async () => {
    const help = await runCli(['--help']);
    const commands = [
      ...services.server.command![2].matchAll(/main\.js (\S+)/g),
      ...services.worker.command!.join(' ').matchAll(/main\.js (\S+)/g),
    ].map((match) => match[1]);
    expect(commands).toEqual(['database:migrate', 'upgrade', 'worker']);
    for (const command of commands) expect(help.stdout).toMatch(new RegExp(`^\\s+${command}\\b`, 'm'));
    const example = readFileSync(resolve(PROJECT_ROOT, '.env.example'), 'utf8');
    for (const name of ['server', 'worker']) {
      for (const key of Object.keys(services[name].environment!))
        expect({ key, documented: example.includes(`\n${key}=`) }).toEqual({ key, documented: true });
    }
  });
});
