import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';

import { PGlite } from '@electric-sql/pglite';
import { x as extractTar } from 'tar';

/**
 * A new embedded database starts from this archive: the data directory PGlite's initdb makes,
 * made once (`npm run embedded:template`) rather than on every new machine. Running initdb inside
 * PGlite takes a second WebAssembly instance and about 750 MB of memory; unpacking its result to
 * disk takes next to none. The archive belongs to the PGlite release in package-lock.json: a spec
 * checks that it is what that release's initdb makes.
 */
export const EMBEDDED_TEMPLATE = resolve(__dirname, 'embedded-template', 'pglite-initdb.tar.gz');

/**
 * Unpacks the template as the data directory `directory` when that directory is missing or empty
 * (one that holds anything is left to PGlite). Unpacked beside it and renamed into place, so that a
 * process killed halfway leaves no half-made database. Returns whether it did.
 */
export const unpackEmbeddedTemplate = async (directory: string): Promise<boolean> => {
  if (!existsSync(EMBEDDED_TEMPLATE)) return false;
  if (existsSync(directory) && readdirSync(directory).length > 0) return false;
  const unpacking = `${directory}.unpacking`;
  rmSync(unpacking, { recursive: true, force: true });
  mkdirSync(unpacking, { recursive: true });
  await extractTar({ file: EMBEDDED_TEMPLATE, cwd: unpacking });
  rmSync(directory, { recursive: true, force: true });
  renameSync(unpacking, directory);
  return true;
};

/** Runs PGlite's initdb in memory and writes its data directory as an archive at `path`. */
export const writeEmbeddedTemplate = async (path: string): Promise<void> => {
  const db = await PGlite.create();
  try {
    const archive = await db.dumpDataDir('gzip');
    writeFileSync(path, Buffer.from(await archive.arrayBuffer()));
  } finally {
    await db.close();
  }
};
