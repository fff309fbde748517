// The zip container, read from its central directory: PyTorch's `torch.save` format and NumPy's
// .npz are both zips. Only the entries asked for are read; stored entries are sliced, deflated
// ones inflated (fflate), each bounded by the size its header declares. Zip64 sizes are
// understood. Encryption, spanning and other methods are refused with one line.
import { inflateSync } from 'fflate';
import { type ByteSource, LittleEndian, decodeUtf8, fail, shown } from './bytes';

export interface ZipEntry {
  name: string;
  method: number;
  compressedSize: number;
  size: number;
  localHeaderOffset: number;
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
  if (eocd < 0) fail('not a complete zip file (no end of central directory: truncated?)');
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
    entries.set(name, { name, method, compressedSize, size, localHeaderOffset });
    p = extraEnd + commentLen;
  }
  return entries;
}

/** One entry's bytes; `maxSize` bounds what an entry may claim to inflate to. */
export function readZipEntry(src: ByteSource, entry: ZipEntry, maxSize: number): Uint8Array {
  if (entry.size > maxSize) fail(`zip entry ${shown(entry.name)} is ${entry.size} bytes, more than RNN Lens reads (${maxSize})`);
  const local = new LittleEndian(src.read(entry.localHeaderOffset, 30));
  if (local.u32(0) !== LOCAL_SIG) fail(`zip entry ${shown(entry.name)} is not where the directory says`);
  const dataStart = entry.localHeaderOffset + 30 + local.u16(26) + local.u16(28);
  const raw = src.read(dataStart, entry.compressedSize);
  if (entry.method === 0) {
    if (entry.compressedSize !== entry.size) fail(`zip entry ${shown(entry.name)} has two different sizes`);
    return raw;
  }
  if (entry.method === 8) {
    // One byte more than declared: inflation stops at the buffer's end, so a full buffer means
    // the entry holds more than its header says (a zip bomb), and nothing past it is made.
    let out: Uint8Array;
    try {
      out = inflateSync(raw, { out: new Uint8Array(entry.size + 1) });
    } catch (err) {
      fail(`zip entry ${shown(entry.name)} does not inflate (${(err as Error).message})`);
    }
    if (out.length !== entry.size) {
      fail(`zip entry ${shown(entry.name)} inflates to ${out.length > entry.size ? 'more than' : out.length} bytes, not the ${entry.size} it declares`);
    }
    return out;
  }
  return fail(`zip entry ${shown(entry.name)} uses compression method ${entry.method}; RNN Lens reads stored and deflated entries`);
}
