// A checkpoint file as a ByteSource for the readers (Node only): every read is a positioned
// read on one file descriptor, so a checkpoint of gigabytes costs only the bytes the reader
// asks for (its zip directory or safetensors header, and the recurrent tensors).
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { CheckpointError, checkRange, type ByteSource } from '../engine/checkpoint/bytes';

export interface FileSource extends ByteSource {
  /** Bytes read so far, over all reads. */
  readonly bytesRead: number;
  close(): void;
}

/** O_NONBLOCK so that opening a FIFO returns at once (it is then refused as not regular). */
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0);

/** Opens a regular file (not a device, pipe or directory); throws the OS error or a CheckpointError. */
export function openFileSource(path: string): FileSource {
  const fd = openSync(path, OPEN_FLAGS);
  try {
    const st = fstatSync(fd);
    if (st.isDirectory()) throw new CheckpointError('is a directory');
    if (!st.isFile()) throw new CheckpointError('not a regular file (a device, pipe or socket)');
  } catch (err) {
    closeSync(fd);
    throw err;
  }
  const size = fstatSync(fd).size;
  let bytesRead = 0;
  let open = true;
  return {
    size,
    get bytesRead() { return bytesRead; },
    read(offset, length) {
      checkRange(size, offset, length);
      const buf = new Uint8Array(length);
      let n = 0;
      while (n < length) {
        const got = readSync(fd, buf, n, length - n, offset + n);
        if (got === 0) throw new CheckpointError(`the file ended at byte ${offset + n} (it shrank while being read)`);
        n += got;
      }
      bytesRead += length;
      return buf;
    },
    close() {
      if (open) closeSync(fd);
      open = false;
    },
  };
}
