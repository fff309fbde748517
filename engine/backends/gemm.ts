// The two matrix products every step of the js backend reduces to, as plain loops over float32
// arrays: A·Bᵀ (rows against rows) and Aᵀ·B (the weight gradient's shape). The wasm backend
// runs the same two shapes in SIMD (gemm.wat) and hands its leftover rows and columns to these.

/** Four accumulators let V8 overlap the multiply-adds; a single running sum is latency-bound. */
function dot(a: Float32Array, ao: number, b: Float32Array, bo: number, n: number): number {
  let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  let k = 0;
  for (; k + 3 < n; k += 4) {
    s0 += a[ao + k] * b[bo + k];
    s1 += a[ao + k + 1] * b[bo + k + 1];
    s2 += a[ao + k + 2] * b[bo + k + 2];
    s3 += a[ao + k + 3] * b[bo + k + 3];
  }
  for (; k < n; k++) s0 += a[ao + k] * b[bo + k];
  return s0 + s1 + s2 + s3;
}

/**
 * C[i, c0 + k] = A[i]·B[k] (+= when acc) for rows of length n: A times B-transposed, the one
 * product shape every step of the engine reduces to. All reads are contiguous; a 2×4 block of
 * outputs is kept in registers so each 6 loads feed 8 multiply-adds (typed-array loads, with
 * their bounds checks, are what a scalar JS inner loop is limited by).
 */
export function gemmABt(
  A: Float32Array, aOff: number, lda: number, aRows: number,
  Bm: Float32Array, bOff: number, ldb: number, bRows: number, n: number,
  C: Float32Array, cOff: number, ldc: number, acc: boolean,
): void {
  let i = 0;
  // 4×4 output blocks: 8 loads feed 16 multiply-adds.
  for (; i + 3 < aRows; i += 4) {
    const a0 = aOff + i * lda, a1 = a0 + lda, a2 = a1 + lda, a3 = a2 + lda;
    const c0 = cOff + i * ldc, c1 = c0 + ldc, c2 = c1 + ldc, c3 = c2 + ldc;
    let k = 0;
    for (; k + 3 < bRows; k += 4) {
      const b0 = bOff + k * ldb, b1 = b0 + ldb, b2 = b1 + ldb, b3 = b2 + ldb;
      let s00 = 0, s01 = 0, s02 = 0, s03 = 0, s10 = 0, s11 = 0, s12 = 0, s13 = 0;
      let s20 = 0, s21 = 0, s22 = 0, s23 = 0, s30 = 0, s31 = 0, s32 = 0, s33 = 0;
      for (let q = 0; q < n; q++) {
        const y0 = Bm[b0 + q], y1 = Bm[b1 + q], y2 = Bm[b2 + q], y3 = Bm[b3 + q];
        let x = A[a0 + q];
        s00 += x * y0; s01 += x * y1; s02 += x * y2; s03 += x * y3;
        x = A[a1 + q];
        s10 += x * y0; s11 += x * y1; s12 += x * y2; s13 += x * y3;
        x = A[a2 + q];
        s20 += x * y0; s21 += x * y1; s22 += x * y2; s23 += x * y3;
        x = A[a3 + q];
        s30 += x * y0; s31 += x * y1; s32 += x * y2; s33 += x * y3;
      }
      if (acc) {
        C[c0 + k] += s00; C[c0 + k + 1] += s01; C[c0 + k + 2] += s02; C[c0 + k + 3] += s03;
        C[c1 + k] += s10; C[c1 + k + 1] += s11; C[c1 + k + 2] += s12; C[c1 + k + 3] += s13;
        C[c2 + k] += s20; C[c2 + k + 1] += s21; C[c2 + k + 2] += s22; C[c2 + k + 3] += s23;
        C[c3 + k] += s30; C[c3 + k + 1] += s31; C[c3 + k + 2] += s32; C[c3 + k + 3] += s33;
      } else {
        C[c0 + k] = s00; C[c0 + k + 1] = s01; C[c0 + k + 2] = s02; C[c0 + k + 3] = s03;
        C[c1 + k] = s10; C[c1 + k + 1] = s11; C[c1 + k + 2] = s12; C[c1 + k + 3] = s13;
        C[c2 + k] = s20; C[c2 + k + 1] = s21; C[c2 + k + 2] = s22; C[c2 + k + 3] = s23;
        C[c3 + k] = s30; C[c3 + k + 1] = s31; C[c3 + k + 2] = s32; C[c3 + k + 3] = s33;
      }
    }
    for (; k < bRows; k++) {
      const bk = bOff + k * ldb;
      const v0 = dot(A, a0, Bm, bk, n), v1 = dot(A, a1, Bm, bk, n);
      const v2 = dot(A, a2, Bm, bk, n), v3 = dot(A, a3, Bm, bk, n);
      C[c0 + k] = acc ? C[c0 + k] + v0 : v0;
      C[c1 + k] = acc ? C[c1 + k] + v1 : v1;
      C[c2 + k] = acc ? C[c2 + k] + v2 : v2;
      C[c3 + k] = acc ? C[c3 + k] + v3 : v3;
    }
  }
  for (; i + 1 < aRows; i += 2) {
    const a0 = aOff + i * lda, a1 = a0 + lda;
    const c0 = cOff + i * ldc, c1 = c0 + ldc;
    let k = 0;
    for (; k + 3 < bRows; k += 4) {
      const b0 = bOff + k * ldb, b1 = b0 + ldb, b2 = b1 + ldb, b3 = b2 + ldb;
      let s00 = 0, s01 = 0, s02 = 0, s03 = 0, s10 = 0, s11 = 0, s12 = 0, s13 = 0;
      for (let q = 0; q < n; q++) {
        const x0 = A[a0 + q], x1 = A[a1 + q];
        const y0 = Bm[b0 + q], y1 = Bm[b1 + q], y2 = Bm[b2 + q], y3 = Bm[b3 + q];
        s00 += x0 * y0; s01 += x0 * y1; s02 += x0 * y2; s03 += x0 * y3;
        s10 += x1 * y0; s11 += x1 * y1; s12 += x1 * y2; s13 += x1 * y3;
      }
      if (acc) {
        C[c0 + k] += s00; C[c0 + k + 1] += s01; C[c0 + k + 2] += s02; C[c0 + k + 3] += s03;
        C[c1 + k] += s10; C[c1 + k + 1] += s11; C[c1 + k + 2] += s12; C[c1 + k + 3] += s13;
      } else {
        C[c0 + k] = s00; C[c0 + k + 1] = s01; C[c0 + k + 2] = s02; C[c0 + k + 3] = s03;
        C[c1 + k] = s10; C[c1 + k + 1] = s11; C[c1 + k + 2] = s12; C[c1 + k + 3] = s13;
      }
    }
    for (; k < bRows; k++) {
      const v0 = dot(A, a0, Bm, bOff + k * ldb, n);
      const v1 = dot(A, a1, Bm, bOff + k * ldb, n);
      C[c0 + k] = acc ? C[c0 + k] + v0 : v0;
      C[c1 + k] = acc ? C[c1 + k] + v1 : v1;
    }
  }
  for (; i < aRows; i++) {
    const ai = aOff + i * lda;
    const ci = cOff + i * ldc;
    let k = 0;
    for (; k + 3 < bRows; k += 4) {
      const b0 = bOff + k * ldb, b1 = b0 + ldb, b2 = b1 + ldb, b3 = b2 + ldb;
      let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
      for (let q = 0; q < n; q++) {
        const a = A[ai + q];
        s0 += a * Bm[b0 + q];
        s1 += a * Bm[b1 + q];
        s2 += a * Bm[b2 + q];
        s3 += a * Bm[b3 + q];
      }
      if (acc) {
        C[ci + k] += s0; C[ci + k + 1] += s1; C[ci + k + 2] += s2; C[ci + k + 3] += s3;
      } else {
        C[ci + k] = s0; C[ci + k + 1] = s1; C[ci + k + 2] = s2; C[ci + k + 3] = s3;
      }
    }
    for (; k < bRows; k++) {
      const v = dot(A, ai, Bm, bOff + k * ldb, n);
      C[ci + k] = acc ? C[ci + k] + v : v;
    }
  }
}

/**
 * C[j, c] (+)= Σ_r A[r, j]·B[r, c] for j < m, c < n: Aᵀ times B over rows r, the shape of the
 * weight gradient dZᵀ·[X | H_prev]. Reading both operands along rows needs no transposed
 * copies; rows go in chunks so a 4-column strip of A stays in cache across the column blocks
 * of B, and a 4×4 block of C is kept in registers (8 loads per 16 multiply-adds).
 */
export function gemmAtB(
  A: Float32Array, aOff: number, lda: number, Bm: Float32Array, bOff: number, ldb: number,
  rows: number, m: number, n: number, C: Float32Array, cOff: number, ldc: number, acc: boolean,
): void {
  if (!acc) for (let j = 0; j < m; j++) C.fill(0, cOff + j * ldc, cOff + j * ldc + n);
  for (let r0 = 0; r0 < rows; r0 += 128) {
    const r1 = r0 + 128 < rows ? r0 + 128 : rows;
    let j = 0;
    for (; j + 3 < m; j += 4) {
      const c0 = cOff + j * ldc, c1 = c0 + ldc, c2 = c1 + ldc, c3 = c2 + ldc;
      let c = 0;
      for (; c + 3 < n; c += 4) {
        let s00 = 0, s01 = 0, s02 = 0, s03 = 0, s10 = 0, s11 = 0, s12 = 0, s13 = 0;
        let s20 = 0, s21 = 0, s22 = 0, s23 = 0, s30 = 0, s31 = 0, s32 = 0, s33 = 0;
        let pa = aOff + r0 * lda + j, pb = bOff + r0 * ldb + c;
        for (let r = r0; r < r1; r++) {
          const y0 = Bm[pb], y1 = Bm[pb + 1], y2 = Bm[pb + 2], y3 = Bm[pb + 3];
          let x = A[pa];
          s00 += x * y0; s01 += x * y1; s02 += x * y2; s03 += x * y3;
          x = A[pa + 1];
          s10 += x * y0; s11 += x * y1; s12 += x * y2; s13 += x * y3;
          x = A[pa + 2];
          s20 += x * y0; s21 += x * y1; s22 += x * y2; s23 += x * y3;
          x = A[pa + 3];
          s30 += x * y0; s31 += x * y1; s32 += x * y2; s33 += x * y3;
          pa += lda; pb += ldb;
        }
        C[c0 + c] += s00; C[c0 + c + 1] += s01; C[c0 + c + 2] += s02; C[c0 + c + 3] += s03;
        C[c1 + c] += s10; C[c1 + c + 1] += s11; C[c1 + c + 2] += s12; C[c1 + c + 3] += s13;
        C[c2 + c] += s20; C[c2 + c + 1] += s21; C[c2 + c + 2] += s22; C[c2 + c + 3] += s23;
        C[c3 + c] += s30; C[c3 + c + 1] += s31; C[c3 + c + 2] += s32; C[c3 + c + 3] += s33;
      }
      for (; c < n; c++) {
        let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        let pa = aOff + r0 * lda + j, pb = bOff + r0 * ldb + c;
        for (let r = r0; r < r1; r++) {
          const y = Bm[pb];
          s0 += A[pa] * y; s1 += A[pa + 1] * y; s2 += A[pa + 2] * y; s3 += A[pa + 3] * y;
          pa += lda; pb += ldb;
        }
        C[c0 + c] += s0; C[c1 + c] += s1; C[c2 + c] += s2; C[c3 + c] += s3;
      }
    }
    for (; j < m; j++) {
      const cj = cOff + j * ldc;
      for (let c = 0; c < n; c++) {
        let s0 = 0;
        let pa = aOff + r0 * lda + j, pb = bOff + r0 * ldb + c;
        for (let r = r0; r < r1; r++) {
          s0 += A[pa] * Bm[pb];
          pa += lda; pb += ldb;
        }
        C[cj + c] += s0;
      }
    }
  }
}
