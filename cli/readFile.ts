// Reading a named file in Node (the CLI and the build) without trusting what the name is: only
// a regular file is read (not a device such as /dev/zero, a FIFO or a directory, even behind a
// symlink), and never more than a cap, checked on the opened file so it cannot grow in between.
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';

export type BoundedRead =
  | { ok: true; text: string }
  | { ok: false; reason: 'not-regular'; message: string }
  | { ok: false; reason: 'too-large'; size: number; message: string };

/** O_NONBLOCK so that opening a FIFO returns at once (it is then refused as not regular). */
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0);

/** The file's text (UTF-8) if it is a regular file of at most maxBytes; throws only on errors from the OS. */
export function readRegularFile(path: string, maxBytes: number): BoundedRead {
  const r = readRegularBytes(path, maxBytes);
  return r.ok ? { ok: true, text: Buffer.from(r.bytes.buffer, r.bytes.byteOffset, r.bytes.length).toString('utf8') } : r;
}

export type BoundedBytes = { ok: true; bytes: Uint8Array } | Exclude<BoundedRead, { ok: true }>;

/** The file's bytes if it is a regular file of at most maxBytes; throws only on errors from the OS. */
export function readRegularBytes(path: string, maxBytes: number): BoundedBytes {
  const fd = openSync(path, OPEN_FLAGS);
  try {
    const st = fstatSync(fd);
    if (st.isDirectory()) return { ok: false, reason: 'not-regular', message: 'is a directory' };
    if (!st.isFile()) return { ok: false, reason: 'not-regular', message: 'not a regular file (a device, pipe or socket)' };
    if (st.size > maxBytes) return { ok: false, reason: 'too-large', size: st.size, message: tooLarge(st.size, maxBytes) };
    // Read at most one byte past the cap: a file that grew since fstat is refused, not read whole.
    const buf = Buffer.alloc(Math.min(st.size, maxBytes) + 1);
    let n = 0;
    for (let got = 1; got > 0 && n < buf.length; n += got) got = readSync(fd, buf, n, buf.length - n, null);
    if (n > maxBytes) return { ok: false, reason: 'too-large', size: n, message: tooLarge(n, maxBytes) };
    return { ok: true, bytes: buf.subarray(0, n) };
  } finally {
    closeSync(fd);
  }
}

function tooLarge(size: number, max: number): string {
  return `too large (${kib(size)}; at most ${kib(max)})`;
}

function kib(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MiB` : `${Math.ceil(bytes / 1024)} KiB`;
}
