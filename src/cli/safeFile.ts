import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CliError, CliRefusal, ioReason } from './errors';

/**
 * Reading and rewriting notes without surprises. The CLI rewrites files the user cares about:
 * - only regular files are read: a FIFO would block forever and `/dev/zero` never ends, so the
 *   file is opened non-blocking and refused unless `fstat` says it is a regular file;
 * - a write goes to the symlink's target (the link stays a link), keeps mode and owner, and keeps
 *   the identity of a hard-linked file (written in place, with a recovery copy beside it);
 * - a note without write permission is refused (also as root, who could write it anyway);
 * - the file is checked again just before the write — size, mtime and content against what was
 *   read — and a change made meanwhile (an editor's save, a `git pull`) is refused, not overwritten.
 */

export interface NoteFile {
  readonly file: string;
  readonly text: string;
  /** False when the bytes are not valid UTF-8 (then never rewritten). */
  readonly lossless: boolean;
  readonly size: number;
  readonly mtimeMs: number;
  /** SHA-256 of the bytes read. */
  readonly digest: string;
}

/** Reads a regular file; anything else (directory, FIFO, device, socket) is a one-line error. */
export function readNoteFile(file: string): NoteFile {
  const { bytes, stat } = readRegularFile(file);
  const text = bytes.toString('utf8');
  return {
    file,
    text,
    lossless: Buffer.byteLength(text, 'utf8') === bytes.length && Buffer.from(text, 'utf8').equals(bytes),
    size: bytes.length,
    mtimeMs: stat.mtimeMs,
    digest: sha256(bytes),
  };
}

function readRegularFile(file: string): { bytes: Buffer; stat: fs.Stats } {
  let fd: number;
  try {
    fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
  } catch (e) {
    throw new CliError(`${file}: ${ioReason(e)}`);
  }
  try {
    const stat = fs.fstatSync(fd);
    if (!stat.isFile()) throw new CliError(`${file}: ${kindOf(stat)}, not a regular file; refusing to read it`);
    return { bytes: readAll(fd, stat.size, file), stat };
  } finally {
    fs.closeSync(fd);
  }
}

function readAll(fd: number, size: number, file: string): Buffer {
  const bytes = Buffer.allocUnsafe(size);
  let filled = 0;
  try {
    while (filled < size) {
      const n = fs.readSync(fd, bytes, filled, size - filled, filled);
      if (n === 0) break;
      filled += n;
    }
  } catch (e) {
    throw new CliError(`${file}: ${ioReason(e)}`);
  }
  // A file that grew while being read is caught by the check before any write.
  return filled === size ? bytes : bytes.subarray(0, filled);
}

function kindOf(stat: fs.Stats): string {
  if (stat.isDirectory()) return 'is a directory';
  if (stat.isFIFO()) return 'is a FIFO';
  if (stat.isCharacterDevice()) return 'is a character device';
  if (stat.isBlockDevice()) return 'is a block device';
  if (stat.isSocket()) return 'is a socket';
  return 'is a special file';
}

function sha256(bytes: Buffer): string {
  return crypto.createHash('sha256').update(bytes).digest('hex');
}

/**
 * Replaces the note's content with `text`, refusing (exit 1) when the file changed since `read`
 * and failing (exit 2) when it cannot be written. Atomic (temp file + rename) for ordinary files.
 */
export function writeNoteFile(read: NoteFile, text: string): void {
  const { file } = read;
  let target: string;
  try {
    target = fs.realpathSync(file);
  } catch (e) {
    throw new CliError(`${file}: ${ioReason(e)}`);
  }
  const stat = fs.statSync(target);
  if (!stat.isFile()) throw new CliError(`${file}: ${kindOf(stat)}, not a regular file; refusing to write it`);
  if ((stat.mode & 0o222) === 0) throw new CliError(`${file}: read-only (mode ${(stat.mode & 0o777).toString(8).padStart(4, '0')}); refusing to rewrite it`);
  try {
    fs.accessSync(target, fs.constants.W_OK);
  } catch {
    throw new CliError(`${file}: no write permission; refusing to rewrite it`);
  }
  const mode = stat.mode & 0o7777;
  if (stat.nlink > 1) {
    writeInPlace(read, target, text, 'it has other hard links');
    return;
  }
  const temp = tempName(target);
  try {
    fs.writeFileSync(temp, text, { encoding: 'utf8', mode, flag: 'wx' });
    fs.chmodSync(temp, mode);
  } catch (e) {
    removeQuietly(temp);
    throw new CliError(`${file}: cannot write: ${ioReason(e)}`);
  }
  const uid = process.getuid?.();
  if ((uid !== undefined && stat.uid !== uid) || (process.getgid?.() !== undefined && stat.gid !== process.getgid?.())) {
    try {
      fs.chownSync(temp, stat.uid, stat.gid);
    } catch {
      // Not allowed to give the file its owner back: a rename would change the owner; write in place.
      removeQuietly(temp);
      writeInPlace(read, target, text, 'it belongs to another user');
      return;
    }
  }
  try {
    assertUnchanged(read, target);
    fs.renameSync(temp, target);
  } catch (e) {
    removeQuietly(temp);
    if (e instanceof CliRefusal) throw e;
    throw new CliError(`${file}: cannot write: ${ioReason(e)}`);
  }
}

/**
 * For a file whose identity matters (hard links, another owner): a full copy of the new text is
 * written beside it first, then the file itself is overwritten and truncated; the copy is removed
 * once the file holds the new text, so an interrupted write leaves the complete new text behind.
 */
function writeInPlace(read: NoteFile, target: string, text: string, why: string): void {
  const recovery = tempName(target);
  try {
    fs.writeFileSync(recovery, text, { encoding: 'utf8', mode: 0o600, flag: 'wx' });
  } catch (e) {
    removeQuietly(recovery);
    throw new CliError(`${read.file}: cannot write a recovery copy before rewriting in place (${why}): ${ioReason(e)}`);
  }
  let fd = -1;
  try {
    assertUnchanged(read, target);
    fd = fs.openSync(target, fs.constants.O_RDWR | fs.constants.O_NONBLOCK);
    const bytes = Buffer.from(text, 'utf8');
    let written = 0;
    while (written < bytes.length) written += fs.writeSync(fd, bytes, written, bytes.length - written, written);
    fs.ftruncateSync(fd, bytes.length);
    fs.fsyncSync(fd);
  } catch (e) {
    if (e instanceof CliRefusal) {
      removeQuietly(recovery);
      throw e;
    }
    throw new CliError(`${read.file}: cannot write in place (${why}): ${ioReason(e)}; the new text is in ${recovery}`);
  } finally {
    if (fd !== -1) fs.closeSync(fd);
  }
  removeQuietly(recovery);
}

/** Size, mtime and content as read; a difference is refused with exit 1, nothing written. */
function assertUnchanged(read: NoteFile, target: string): void {
  const changed = () => new CliRefusal(`${read.file}: changed on disk since it was read; nothing written (run the command again)`);
  let now: { bytes: Buffer; stat: fs.Stats };
  try {
    now = readRegularFile(target);
  } catch {
    throw changed();
  }
  if (now.stat.size !== read.size || now.stat.mtimeMs !== read.mtimeMs || sha256(now.bytes) !== read.digest) throw changed();
}

function tempName(target: string): string {
  return path.join(path.dirname(target), `.${path.basename(target)}.lectern-${process.pid}-${crypto.randomBytes(4).toString('hex')}.tmp`);
}

function removeQuietly(file: string): void {
  try {
    fs.unlinkSync(file);
  } catch {
    // never created, or already gone
  }
}
