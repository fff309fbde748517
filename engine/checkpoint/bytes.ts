// Random access to a checkpoint's bytes, bounds-checked, and the one error type every reader
// throws. A reader asks only for the byte ranges it needs (a zip's central directory, a
// safetensors header, the recurrent tensors), so a large file need not be in memory: the CLI
// reads ranges from a file descriptor, a caller with the whole file wraps its bytes.

/** What a reader reads from. `read` returns exactly `length` bytes at `offset`, or throws. */
export interface ByteSource {
  readonly size: number;
  read(offset: number, length: number): Uint8Array;
}

/** A file that is not a checkpoint RNN Lens can read; the message is one line, fit for a user. */
export class CheckpointError extends Error {
  override name = 'CheckpointError';
}

export function fail(message: string): never {
  throw new CheckpointError(message);
}

export function bytesSource(bytes: Uint8Array): ByteSource {
  return {
    size: bytes.length,
    read(offset, length) {
      checkRange(this.size, offset, length);
      return bytes.subarray(offset, offset + length);
    },
  };
}

export function checkRange(size: number, offset: number, length: number): void {
  if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(length) || offset < 0 || length < 0 || offset + length > size) {
    const at = Number.isSafeInteger(offset) && Number.isSafeInteger(length) ? `bytes ${offset}..${offset + length}` : 'an offset that is not a number';
    fail(`the file is truncated or its offsets lie (${at} of ${size}): re-download or re-save it`);
  }
}

/** Little-endian reads over a byte array, bounds-checked. */
export class LittleEndian {
  private readonly view: DataView;
  constructor(readonly bytes: Uint8Array) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
  u8(at: number): number { checkRange(this.bytes.length, at, 1); return this.bytes[at]; }
  u16(at: number): number { checkRange(this.bytes.length, at, 2); return this.view.getUint16(at, true); }
  u32(at: number): number { checkRange(this.bytes.length, at, 4); return this.view.getUint32(at, true); }
  i32(at: number): number { checkRange(this.bytes.length, at, 4); return this.view.getInt32(at, true); }
  f64be(at: number): number { checkRange(this.bytes.length, at, 8); return this.view.getFloat64(at, false); }
  /** A 64-bit unsigned value, exact up to 2^53 (larger sizes are lies in any file we can open). */
  u64(at: number): number {
    const lo = this.u32(at);
    const hi = this.u32(at + 4);
    if (hi >= 0x200000) fail(`a size field claims more than 2^53 bytes`);
    return hi * 0x100000000 + lo;
  }
}

const utf8 = new TextDecoder('utf-8', { fatal: false });
export const decodeUtf8 = (b: Uint8Array): string => utf8.decode(b);
const latin1 = new TextDecoder('latin1');
export const decodeLatin1 = (b: Uint8Array): string => latin1.decode(b);

/** A user-facing rendering of a name taken from a file: printable, short, on one line. */
export function shown(name: string, max = 80): string {
  // eslint-disable-next-line no-control-regex
  const flat = name.replace(/[\u0000-\u001f\u007f]+/g, ' ');
  return JSON.stringify(flat.length > max ? `${flat.slice(0, max)}…` : flat);
}

/**
 * What one read of a checkpoint may spend: every byte inflated or read for a pickle or a tensor,
 * plus 4 bytes for every number decoded or mapped. 256 MiB is four times the 2^24 numbers
 * (64 MB as float32) the lab shows of one checkpoint, so the largest view the lab can show reads
 * within it, and a hostile file (a zip bomb, a storage viewed a thousand times, thousands of
 * small layers) stops at a bounded cost instead of exhausting the extension host.
 */
export const READ_BUDGET_BYTES = 256 * 1024 * 1024;

const mib = (n: number): string => `${(n / 1024 / 1024).toFixed(1)} MiB`;

export class ReadBudget {
  private used = 0;
  constructor(readonly limit = READ_BUDGET_BYTES) {}
  get spent(): number { return this.used; }
  /** Charges `bytes` for `what`, or refuses before they are spent. */
  charge(bytes: number, what: string): void {
    if (this.used + bytes > this.limit) {
      fail(`reading ${what} would bring this checkpoint to ${mib(this.used + bytes)} decoded, over the ${mib(this.limit)} RNN Lens spends on one (4 × the 64 MB the lab shows): save only the recurrent layers' tensors, or fewer of them`);
    }
    this.used += bytes;
  }
  /** Charges `count` numbers decoded as float32. */
  floats(count: number, what: string): void {
    this.charge(count * 4, what);
  }
}
