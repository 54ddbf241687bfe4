import { Writable } from 'node:stream';

import { Injectable } from '@nestjs/common';
import { DestinationStream, Logger, pino } from 'pino';
import pretty from 'pino-pretty';

import { LogLevel } from '../config/app-config';

/** The provider of the process's pino logger. */
export const LOGGER = Symbol('LOGGER');

/**
 * Where log lines go: stderr (stdout carries a command's own output), or, while a progress bar
 * is drawn on the terminal, above the bar, so that a log line never tears it.
 */
@Injectable()
export class LogSink implements DestinationStream {
  private target: ((line: string) => void) | null = null;

  write(line: string): void {
    if (this.target) this.target(line);
    else process.stderr.write(line);
  }

  /** Sends the lines to `target` until it is called with null. */
  redirect(target: ((line: string) => void) | null): void {
    this.target = target;
  }
}

/** pino-pretty writes to a stream: one that hands each line to the sink as it comes. */
const streamTo = (sink: LogSink): Writable =>
  new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      sink.write(String(chunk));
      done();
    },
  });

export interface LoggerOptions {
  level: LogLevel;
  /** Readable coloured lines (a terminal) instead of JSON lines. */
  pretty: boolean;
  sink?: LogSink;
}

/**
 * The one logger of a process: JSON lines (time as ISO 8601, level by name) for files and log
 * collectors, readable lines on a terminal; below `level`, nothing is written.
 */
export const createLogger = ({ level, pretty: readable, sink = new LogSink() }: LoggerOptions): Logger =>
  pino(
    {
      level,
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    readable
      ? pretty({ destination: streamTo(sink), colorize: true, singleLine: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' })
      : sink,
  );
