import { createLogger, LogSink } from './logger';

const capture = () => {
  const lines: string[] = [];
  const sink = new LogSink();
  sink.redirect((line) => lines.push(line));
  return { sink, lines };
};

describe('createLogger', () => {
  it('writes one JSON object per line, level by name and time in ISO 8601, with the fields given', () => {
    const { sink, lines } = capture();
    createLogger({ level: 'info', pretty: false, sink }).info({ workspaceId: 'w1', rowsMoved: 3 }, 'workspace w1 upgraded');
    expect(lines).toHaveLength(1);
    expect(lines[0].endsWith('\n')).toBe(true);
    expect(JSON.parse(lines[0])).toEqual({
      level: 'info',
      time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      pid: process.pid,
      hostname: expect.any(String),
      workspaceId: 'w1',
      rowsMoved: 3,
      msg: 'workspace w1 upgraded',
    });
  });

  it('writes nothing below its level, and nothing at all when silent', () => {
    const { sink, lines } = capture();
    const logger = createLogger({ level: 'error', pretty: false, sink });
    logger.debug('d');
    logger.info('i');
    logger.warn('w');
    logger.error('e');
    expect(lines.map((line) => JSON.parse(line).msg)).toEqual(['e']);
    const silent = createLogger({ level: 'silent', pretty: false, sink });
    silent.error('e');
    silent.fatal('f');
    expect(lines).toHaveLength(1);
  });

  it('on a terminal: one readable line per entry, not JSON', () => {
    const { sink, lines } = capture();
    createLogger({ level: 'info', pretty: true, sink }).info({ workspaceId: 'w1' }, 'workspace w1 upgraded');
    expect(lines.join('')).toContain('workspace w1 upgraded');
    expect(lines.join('').trimEnd().split('\n')).toHaveLength(1);
    expect(() => JSON.parse(lines[0])).toThrow();
  });
});
