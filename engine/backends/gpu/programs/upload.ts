// Kernels that move data: uploads of flat arrays as textures, zeros, copies.
import { copyQuad, quadReturn } from './glsl';

/** Uploads, zero and copy kernels (they depend on no shape constant). */
export function uploadSources() {
  return {
    /** A flat array as (rows, cols) vec4 texels, four floats per texel, in order. */
    upload4: (cols: number) => `function(a) { const i = (this.thread.y * ${cols} + this.thread.x) * 4; return [a[i], a[i + 1], a[i + 2], a[i + 3]]; }`,
    /** Four (rows, cols) vec4 textures from one flat array, one after the other. */
    uploadQuad: (cols: number, rows: number) => `function(a) { const i = (this.thread.y * ${cols} + this.thread.x) * 4;
      ${quadReturn((q, l) => `a[i + ${q * rows * cols * 4 + l}]`)} }`,
    upload: (cols: number) => `function(a) { return a[this.thread.y * ${cols} + this.thread.x]; }`,
    zeroQuad: `function() { ${quadReturn(() => '0.0')} }`,
    copyQuad: `function(A0, A1, A2, A3) { ${copyQuad('A', 'this.thread.y', 'this.thread.x')} }`,
  };
}
