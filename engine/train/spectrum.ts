// The spectrum of a square recurrent matrix W_hh, for the lab's plots: every singular value (how
// much one step can stretch or shrink a vector, direction by direction) and every eigenvalue as
// a (re, im) pair (what repeated steps do: inside the unit circle a linear recurrence decays,
// outside it explodes). float64 throughout.

/**
 * Singular values of an n×n row-major matrix, largest first, by one-sided Jacobi (Hestenes):
 * rotate pairs of columns until all are orthogonal; the column norms are then the singular values.
 */
export function singularValues(A: ArrayLike<number>, n: number): Float64Array {
  if (A.length !== n * n) throw new RangeError(`matrix must hold n·n = ${n * n} numbers, got ${A.length}`);
  // Columns of A as contiguous rows of C.
  const C = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) C[j * n + i] = A[i * n + j];
  for (let sweep = 0; sweep < 60; sweep++) {
    let rotated = false;
    for (let p = 0; p < n - 1; p++) {
      const po = p * n;
      for (let q = p + 1; q < n; q++) {
        const qo = q * n;
        let alpha = 0, beta = 0, gamma = 0;
        for (let k = 0; k < n; k++) {
          const a = C[po + k], b = C[qo + k];
          alpha += a * a;
          beta += b * b;
          gamma += a * b;
        }
        if (gamma === 0 || Math.abs(gamma) <= 1e-15 * Math.sqrt(alpha * beta)) continue;
        rotated = true;
        const zeta = (beta - alpha) / (2 * gamma);
        const t = (zeta >= 0 ? 1 : -1) / (Math.abs(zeta) + Math.sqrt(1 + zeta * zeta));
        const cs = 1 / Math.sqrt(1 + t * t);
        const sn = cs * t;
        for (let k = 0; k < n; k++) {
          const a = C[po + k], b = C[qo + k];
          C[po + k] = cs * a - sn * b;
          C[qo + k] = sn * a + cs * b;
        }
      }
    }
    if (!rotated) break;
  }
  const s = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    let sq = 0;
    for (let k = 0; k < n; k++) sq += C[j * n + k] * C[j * n + k];
    s[j] = Math.sqrt(sq);
  }
  return s.sort().reverse();
}

/**
 * Eigenvalues of an n×n real row-major matrix: reduction to Hessenberg form by stabilised
 * elementary similarity transforms, then the shifted QR iteration with Francis double shifts
 * (the classic elmhes + hqr). Returns re and im, complex pairs adjacent, sorted by decreasing
 * modulus.
 */
export function eigenvalues(A: ArrayLike<number>, n: number): { re: Float64Array; im: Float64Array } {
  if (A.length !== n * n) throw new RangeError(`matrix must hold n·n = ${n * n} numbers, got ${A.length}`);
  // 1-based (n+1)×(n+1) working copy: the algorithm's index arithmetic stays as published.
  const N = n + 1;
  const a = new Float64Array(N * N);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) a[(i + 1) * N + j + 1] = A[i * n + j];
  const at = (i: number, j: number): number => i * N + j;

  // elmhes
  for (let m = 2; m < n; m++) {
    let x = 0;
    let i = m;
    for (let j = m; j <= n; j++) {
      if (Math.abs(a[at(j, m - 1)]) > Math.abs(x)) {
        x = a[at(j, m - 1)];
        i = j;
      }
    }
    if (i !== m) {
      for (let j = m - 1; j <= n; j++) { const tmp = a[at(i, j)]; a[at(i, j)] = a[at(m, j)]; a[at(m, j)] = tmp; }
      for (let j = 1; j <= n; j++) { const tmp = a[at(j, i)]; a[at(j, i)] = a[at(j, m)]; a[at(j, m)] = tmp; }
    }
    if (x !== 0) {
      for (i = m + 1; i <= n; i++) {
        let y = a[at(i, m - 1)];
        if (y !== 0) {
          y /= x;
          a[at(i, m - 1)] = y;
          for (let j = m; j <= n; j++) a[at(i, j)] -= y * a[at(m, j)];
          for (let j = 1; j <= n; j++) a[at(j, m)] += y * a[at(j, i)];
        }
      }
    }
  }
  for (let i = 3; i <= n; i++) for (let j = 1; j < i - 1; j++) a[at(i, j)] = 0;

  // hqr
  const wr = new Float64Array(N);
  const wi = new Float64Array(N);
  let anorm = 0;
  for (let i = 1; i <= n; i++) for (let j = Math.max(i - 1, 1); j <= n; j++) anorm += Math.abs(a[at(i, j)]);
  let nn = n;
  let t = 0;
  let p = 0, q = 0, r = 0, s: number, w: number, x: number, y: number, z: number;
  while (nn >= 1) {
    let its = 0;
    let l: number;
    do {
      for (l = nn; l >= 2; l--) {
        s = Math.abs(a[at(l - 1, l - 1)]) + Math.abs(a[at(l, l)]);
        if (s === 0) s = anorm;
        if (Math.abs(a[at(l, l - 1)]) + s === s) {
          a[at(l, l - 1)] = 0;
          break;
        }
      }
      x = a[at(nn, nn)];
      if (l === nn) {
        wr[nn] = x + t;
        wi[nn--] = 0;
      } else {
        y = a[at(nn - 1, nn - 1)];
        w = a[at(nn, nn - 1)] * a[at(nn - 1, nn)];
        if (l === nn - 1) {
          p = 0.5 * (y - x);
          q = p * p + w;
          z = Math.sqrt(Math.abs(q));
          x += t;
          if (q >= 0) {
            z = p + (p >= 0 ? Math.abs(z) : -Math.abs(z));
            wr[nn - 1] = wr[nn] = x + z;
            if (z !== 0) wr[nn] = x - w / z;
            wi[nn - 1] = wi[nn] = 0;
          } else {
            wr[nn - 1] = wr[nn] = x + p;
            wi[nn - 1] = -(wi[nn] = z);
          }
          nn -= 2;
        } else {
          if (its === 60) throw new Error('eigenvalues: the QR iteration did not converge');
          if (its === 10 || its === 20 || its === 40) {
            t += x;
            for (let i = 1; i <= nn; i++) a[at(i, i)] -= x;
            s = Math.abs(a[at(nn, nn - 1)]) + Math.abs(a[at(nn - 1, nn - 2)]);
            y = x = 0.75 * s;
            w = -0.4375 * s * s;
          }
          ++its;
          let m: number;
          for (m = nn - 2; m >= l; m--) {
            z = a[at(m, m)];
            r = x - z;
            s = y - z;
            p = (r * s - w) / a[at(m + 1, m)] + a[at(m, m + 1)];
            q = a[at(m + 1, m + 1)] - z - r - s;
            r = a[at(m + 2, m + 1)];
            s = Math.abs(p) + Math.abs(q) + Math.abs(r);
            p /= s;
            q /= s;
            r /= s;
            if (m === l) break;
            const u = Math.abs(a[at(m, m - 1)]) * (Math.abs(q) + Math.abs(r));
            const v = Math.abs(p) * (Math.abs(a[at(m - 1, m - 1)]) + Math.abs(z) + Math.abs(a[at(m + 1, m + 1)]));
            if (u + v === v) break;
          }
          for (let i = m + 2; i <= nn; i++) {
            a[at(i, i - 2)] = 0;
            if (i !== m + 2) a[at(i, i - 3)] = 0;
          }
          for (let k = m; k <= nn - 1; k++) {
            if (k !== m) {
              p = a[at(k, k - 1)];
              q = a[at(k + 1, k - 1)];
              r = 0;
              if (k !== nn - 1) r = a[at(k + 2, k - 1)];
              if ((x = Math.abs(p) + Math.abs(q) + Math.abs(r)) !== 0) {
                p /= x;
                q /= x;
                r /= x;
              }
            }
            const root = Math.sqrt(p * p + q * q + r * r);
            s = p >= 0 ? root : -root;
            if (s !== 0) {
              if (k === m) {
                if (l !== m) a[at(k, k - 1)] = -a[at(k, k - 1)];
              } else {
                a[at(k, k - 1)] = -s * x;
              }
              p += s;
              x = p / s;
              y = q / s;
              z = r / s;
              q /= p;
              r /= p;
              for (let j = k; j <= nn; j++) {
                p = a[at(k, j)] + q * a[at(k + 1, j)];
                if (k !== nn - 1) {
                  p += r * a[at(k + 2, j)];
                  a[at(k + 2, j)] -= p * z;
                }
                a[at(k + 1, j)] -= p * y;
                a[at(k, j)] -= p * x;
              }
              const mmin = nn < k + 3 ? nn : k + 3;
              for (let i = l; i <= mmin; i++) {
                p = x * a[at(i, k)] + y * a[at(i, k + 1)];
                if (k !== nn - 1) {
                  p += z * a[at(i, k + 2)];
                  a[at(i, k + 2)] -= p * r;
                }
                a[at(i, k + 1)] -= p * q;
                a[at(i, k)] -= p;
              }
            }
          }
        }
      }
    } while (l < nn - 1);
  }
  const order = Array.from({ length: n }, (_, i) => i + 1)
    .sort((i, j) => Math.hypot(wr[j], wi[j]) - Math.hypot(wr[i], wi[i]) || wi[j] - wi[i]);
  return { re: Float64Array.from(order, (i) => wr[i]), im: Float64Array.from(order, (i) => wi[i]) };
}
