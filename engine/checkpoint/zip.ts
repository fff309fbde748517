// The zip container, read from its central directory: PyTorch's `torch.save` format and NumPy's
// .npz are both zips. Only the entries asked for are read; stored entries are sliced, deflated
// ones inflated (fflate) in steps that stop at the size the directory declares, so a zip bomb
// costs what it declares and no more, and that size is charged to the read's budget first.
// Every entry read whole is checked against its CRC-32. Zip64 sizes are understood.
// Encryption, spanning and other methods are refused with one line.
import { Inflate } from 'fflate';
import { type ByteSource, CheckpointError, LittleEndian, type ReadBudget, decodeUtf8, fail, shown } from './bytes';

export interface ZipEntry {
  name: string;
  method: number;
  compressedSize: number;
  size: number;
  localHeaderOffset: number;
  crc: number;
}

const EOCD_SIG = 0x06054b50;
const EOCD64_LOCATOR_SIG = 0x07064b50;
const EOCD64_SIG = 0x06064b50;
const CENTRAL_SIG = 0x02014b50;
const LOCAL_SIG = 0x04034b50;
/** The end record is 22 bytes plus a comment of at most 65,535. */
const EOCD_SEARCH = 22 + 0xffff;
/** More entries than any checkpoint has; a directory claiming more is a lie. */
const MAX_ENTRIES = 1_000_000;
const MAX_DIRECTORY_BYTES = 256 * 1024 * 1024;
/** Deflate makes at most about 1,032 bytes from one; a directory declaring more lies. */
const MAX_DEFLATE_RATIO = 1032;
/** Compressed bytes fed to the inflater per step: one step makes at most ~4 MB past the declared size. */
const INFLATE_STEP = 4096;

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

export function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) c = CRC_TABLE[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

export function isZip(src: ByteSource): boolean {
  return src.size >= 4 && new LittleEndian(src.read(0, 4)).u32(0) === LOCAL_SIG;
}

export function readZipDirectory(src: ByteSource): Map<string, ZipEntry> {
  const tailLength = Math.min(src.size, EOCD_SEARCH);
  const tailStart = src.size - tailLength;
  const tail = new LittleEndian(src.read(tailStart, tailLength));
  let eocd = -1;
  for (let p = tailLength - 22; p >= 0; p--) {
    if (tail.u32(p) === EOCD_SIG) { eocd = p; break; }
  }
  if (eocd < 0) fail('not a complete zip file (no end of central directory): the file is truncated; copy or download it again');
  let count = tail.u16(eocd + 10);
  let dirSize = tail.u32(eocd + 12);
  let dirOffset = tail.u32(eocd + 16);
  if (count === 0xffff || dirSize === 0xffffffff || dirOffset === 0xffffffff) {
    const loc = eocd - 20;
    if (loc < 0 || tail.u32(loc) !== EOCD64_LOCATOR_SIG) fail('a zip64 file without its zip64 locator');
    const at = tail.u64(loc + 8);
    const rec = new LittleEndian(src.read(at, 56));
    if (rec.u32(0) !== EOCD64_SIG) fail('the zip64 end record is not where the locator says');
    count = rec.u64(32);
    dirSize = rec.u64(40);
    dirOffset = rec.u64(48);
  }
  if (count > MAX_ENTRIES) fail(`the zip directory claims ${count} entries`);
  if (dirSize > MAX_DIRECTORY_BYTES) fail(`the zip directory claims ${dirSize} bytes`);
  const dir = new LittleEndian(src.read(dirOffset, dirSize));
  const entries = new Map<string, ZipEntry>();
  let p = 0;
  for (let i = 0; i < count; i++) {
    if (dir.u32(p) !== CENTRAL_SIG) fail('the zip directory is damaged (bad entry signature)');
    const flags = dir.u16(p + 8);
    const method = dir.u16(p + 10);
    const crc = dir.u32(p + 16);
    let compressedSize = dir.u32(p + 20);
    let size = dir.u32(p + 24);
    const nameLen = dir.u16(p + 28);
    const extraLen = dir.u16(p + 30);
    const commentLen = dir.u16(p + 32);
    let localHeaderOffset = dir.u32(p + 42);
    const nameStart = p + 46;
    const name = decodeUtf8(dir.bytes.subarray(nameStart, nameStart + nameLen));
    if (nameStart + nameLen > dir.bytes.length) fail('the zip directory is damaged (a name runs past its end)');
    // Zip64: the sizes that read as 0xffffffff follow, in order, in extra field 0x0001.
    let e = nameStart + nameLen;
    const extraEnd = e + extraLen;
    while (e + 4 <= extraEnd) {
      const id = dir.u16(e);
      const len = dir.u16(e + 2);
      if (id === 0x0001) {
        let q = e + 4;
        if (size === 0xffffffff) { size = dir.u64(q); q += 8; }
        if (compressedSize === 0xffffffff) { compressedSize = dir.u64(q); q += 8; }
        if (localHeaderOffset === 0xffffffff) localHeaderOffset = dir.u64(q);
      }
      e += 4 + len;
    }
    if (flags & 0x1) fail(`zip entry ${shown(name)} is encrypted`);
    entries.set(name, { name, method, compressedSize, size, localHeaderOffset, crc });
    p = extraEnd + commentLen;
  }
  return entries;
}

function dataStart(src: ByteSource, entry: ZipEntry): number {
  const local = new LittleEndian(src.read(entry.localHeaderOffset, 30));
  if (local.u32(0) !== LOCAL_SIG) fail(`zip entry ${shown(entry.name)} is not where the directory says (a damaged zip)`);
  return entry.localHeaderOffset + 30 + local.u16(26) + local.u16(28);
}

/** Stored and deflated entries only; `hint` says how to re-save the file. */
function checkMethod(entry: ZipEntry, hint: string): void {
  if (entry.method !== 0 && entry.method !== 8) {
    fail(`zip entry ${shown(entry.name)} uses compression method ${entry.method}; RNN Lens reads stored and deflated entries (re-save it with ${hint})`);
  }
}

/**
 * Feeds an entry's compressed bytes to an inflater INFLATE_STEP at a time, until they end or
 * `more()` says enough was made. `Enough`, thrown by a chunk handler, stops it early; any other
 * inflater error becomes one line.
 */
function inflateInSteps(name: string, compressedSize: number, read: (offset: number, length: number) => Uint8Array,
  onChunk: (chunk: Uint8Array, final: boolean) => void, more: () => boolean): void {
  const inflater = new Inflate(onChunk);
  try {
    for (let p = 0; p < compressedSize && more(); p += INFLATE_STEP) {
      const n = Math.min(INFLATE_STEP, compressedSize - p);
      inflater.push(read(p, n), p + n >= compressedSize);
    }
  } catch (err) {
    if (err instanceof Enough) return;
    if (err instanceof CheckpointError) throw err;
    fail(`zip entry ${shown(name)} does not inflate (${err instanceof Error ? err.message : String(err)}): the file is damaged; re-download or re-save it`);
  }
}

/** The first `length` bytes of a stored entry (an .npy header), without reading the rest. */
export function readStoredPrefix(src: ByteSource, entry: ZipEntry, length: number): Uint8Array {
  if (entry.method !== 0) fail(`zip entry ${shown(entry.name)} is not stored`);
  return src.read(dataStart(src, entry), Math.min(length, entry.size));
}

/** Stops an inflater once it has made what was asked for. */
class Enough extends Error {}

/**
 * The first `length` bytes of an entry (an .npy header), inflating only as far as they reach, so
 * that what an entry holds can be checked before it is inflated whole. Not CRC-checked: the whole
 * read that follows is.
 */
export function readEntryPrefix(src: ByteSource, entry: ZipEntry, length: number): Uint8Array {
  if (entry.method === 0) return readStoredPrefix(src, entry, length);
  checkMethod(entry, 'numpy.savez');
  const want = Math.min(length, entry.size);
  const out = new Uint8Array(want);
  let made = 0;
  const start = dataStart(src, entry);
  inflateInSteps(entry.name, entry.compressedSize, (p, n) => src.read(start + p, n), (chunk) => {
    const n = Math.min(chunk.length, want - made);
    out.set(chunk.subarray(0, n), made);
    made += n;
    if (made >= want) throw new Enough();
  }, () => made < want);
  return out.subarray(0, made);
}

/** Inflates `raw` into exactly `size` bytes, stopping as soon as it would make more. */
function inflateBounded(raw: Uint8Array, size: number, name: string): Uint8Array {
  const out = new Uint8Array(size);
  let made = 0;
  let ended = false;
  inflateInSteps(name, raw.length, (p, n) => raw.subarray(p, p + n), (chunk, final) => {
    if (made + chunk.length > size) fail(`zip entry ${shown(name)} inflates to more than the ${size} bytes it declares (a zip bomb); refused: re-save it with torch.save or numpy.savez`);
    out.set(chunk, made);
    made += chunk.length;
    if (final) ended = true;
  }, () => !ended);
  if (made !== size) fail(`zip entry ${shown(name)} inflates to ${made} bytes, not the ${size} it declares: the file is damaged; re-download or re-save it`);
  return out;
}

/**
 * One entry's bytes, whole and CRC-checked. `maxSize` bounds what an entry may claim to hold;
 * the declared size is charged to `budget` before anything is inflated.
 */
export function readZipEntry(src: ByteSource, entry: ZipEntry, maxSize: number, budget: ReadBudget): Uint8Array {
  if (entry.size > maxSize) fail(`zip entry ${shown(entry.name)} is ${entry.size} bytes, more than RNN Lens reads (${maxSize}): save only the recurrent layers' tensors`);
  checkMethod(entry, 'torch.save or numpy.savez');
  if (entry.method === 0 && entry.compressedSize !== entry.size) fail(`zip entry ${shown(entry.name)} declares ${entry.compressedSize} stored bytes and a size of ${entry.size}: a damaged zip`);
  if (entry.method === 8 && entry.size > entry.compressedSize * MAX_DEFLATE_RATIO + 1024) {
    fail(`zip entry ${shown(entry.name)} declares ${entry.size} bytes from ${entry.compressedSize} compressed, more than deflate can make: the zip directory lies; re-save the file`);
  }
  const start = dataStart(src, entry);
  budget.charge(entry.size, `zip entry ${shown(entry.name)}`);
  const raw = src.read(start, entry.compressedSize);
  const out = entry.method === 0 ? raw : inflateBounded(raw, entry.size, entry.name);
  const crc = crc32(out);
  if (crc !== entry.crc) {
    fail(`zip entry ${shown(entry.name)} fails its CRC-32 check (${hex(crc)}, the directory says ${hex(entry.crc)}): the file is damaged or was altered; re-download or re-save it`);
  }
  return out;
}

const hex = (n: number): string => `0x${n.toString(16).padStart(8, '0')}`;
