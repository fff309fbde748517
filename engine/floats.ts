// Float32 arrays through postMessage as base64 text (little-endian bytes): the host encodes a
// checkpoint layer's weights or a .npy input, the lab view decodes them. Pure: btoa and atob
// exist in Node, the web extension host and the webview alike.

/** base64 of the array's little-endian float32 bytes. */
export function encodeFloat32(a: Float32Array): string {
  const bytes = new Uint8Array(a.length * 4);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < a.length; i++) view.setFloat32(i * 4, a[i], true);
  let text = '';
  // String.fromCharCode takes its arguments on the stack: go in chunks.
  for (let i = 0; i < bytes.length; i += 0x8000) text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(text);
}

/** The array `encodeFloat32` made, if `text` is base64 of exactly `count` float32 values; else undefined. */
export function decodeFloat32(text: string, count: number): Float32Array | undefined {
  if (typeof text !== 'string' || text.length !== 4 * Math.ceil((count * 4) / 3)) return undefined;
  let raw: string;
  try {
    raw = atob(text);
  } catch {
    return undefined;
  }
  if (raw.length !== count * 4) return undefined;
  const view = new DataView(new ArrayBuffer(raw.length));
  for (let i = 0; i < raw.length; i++) view.setUint8(i, raw.charCodeAt(i));
  const out = new Float32Array(count);
  for (let i = 0; i < count; i++) out[i] = view.getFloat32(i * 4, true);
  return out;
}
