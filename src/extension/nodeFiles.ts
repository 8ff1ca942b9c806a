import { constants } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import type { LocalFiles } from './platform';

/**
 * The Node extension host's own access to `file:` notes (only extension.ts imports this: the web
 * entry has no disk). The model stats a note before reading it and skips what is not a regular
 * file, but a path can turn into a FIFO between the two calls; a FIFO opened to read blocks until
 * a writer comes. So the read opens without blocking and checks the opened file itself: what is not
 * a regular file is refused there, whatever the stat said.
 */
export const nodeLocalFiles: LocalFiles = {
  async stat(file) {
    const found = await stat(file); // Follows a symbolic link, as `workspace.fs.stat` does.
    return { kind: found.isFile() ? 'file' : found.isDirectory() ? 'directory' : 'other', size: found.size };
  },
  async read(file) {
    const handle = await open(file, constants.O_RDONLY | constants.O_NONBLOCK);
    try {
      if (!(await handle.stat()).isFile()) throw new Error(`${file} is not a regular file (a FIFO, device or socket?)`);
      return await handle.readFile();
    } finally {
      await handle.close();
    }
  },
};
