;; The wasm backend's two matrix products, in 128-bit SIMD (four float32 lanes). They are the
;; same two shapes as gemmABt and gemmAtB in gemm.ts, restricted to whole register blocks;
;; wasm.ts hands the leftover rows and columns to those plain-loop versions.
;; Pointers are byte addresses in this module's memory, strides are in elements, `acc` = 0
;; overwrites C and 1 adds to it.
(module
  ;; The memory comes from wasm.ts, which makes a larger one (and a new instance) instead of
  ;; growing it: growing detaches the old buffer, and one detach anywhere makes V8 check every
  ;; typed-array access in the process from then on (~10% on the js backend's loops).
  (import "env" "memory" (memory 1))

  ;; The sum of a vector's four lanes.
  (func $hsum (param $v v128) (result f32)
    (f32.add
      (f32.add (f32x4.extract_lane 0 (local.get $v)) (f32x4.extract_lane 1 (local.get $v)))
      (f32.add (f32x4.extract_lane 2 (local.get $v)) (f32x4.extract_lane 3 (local.get $v)))))

  ;; C[p] = s, or C[p] += s.
  (func $put (param $p i32) (param $s f32) (param $acc i32)
    (if (local.get $acc)
      (then (local.set $s (f32.add (local.get $s) (f32.load (local.get $p))))))
    (f32.store (local.get $p) (local.get $s)))

  ;; C[i, k] (+)= sum over q < n of A[i, q] * B[k, q]  (A times B-transposed, rows against rows)
  ;; for i < aRows (a multiple of 2), k < bRows (a multiple of 4), n a multiple of 4.
  ;; A 2x4 block of C is summed in eight vectors along q: six loads feed 32 multiply-adds.
  (func (export "abt")
    (param $a i32) (param $lda i32) (param $aRows i32)
    (param $b i32) (param $ldb i32) (param $bRows i32) (param $n i32)
    (param $c i32) (param $ldc i32) (param $acc i32)
    (local $i i32) (local $k i32) (local $q i32)
    (local $pa0 i32) (local $pa1 i32) (local $pb0 i32) (local $pb1 i32) (local $pb2 i32) (local $pb3 i32)
    (local $pc i32)
    (local $x0 v128) (local $x1 v128) (local $y0 v128) (local $y1 v128) (local $y2 v128) (local $y3 v128)
    (local $s00 v128) (local $s01 v128) (local $s02 v128) (local $s03 v128)
    (local $s10 v128) (local $s11 v128) (local $s12 v128) (local $s13 v128)
    ;; Strides and n in bytes from here on.
    (local.set $lda (i32.shl (local.get $lda) (i32.const 2)))
    (local.set $ldb (i32.shl (local.get $ldb) (i32.const 2)))
    (local.set $ldc (i32.shl (local.get $ldc) (i32.const 2)))
    (local.set $n (i32.shl (local.get $n) (i32.const 2)))
    (block $rowsDone
      (loop $rows
        (br_if $rowsDone (i32.ge_u (local.get $i) (local.get $aRows)))
        (local.set $pa0 (i32.add (local.get $a) (i32.mul (local.get $i) (local.get $lda))))
        (local.set $pa1 (i32.add (local.get $pa0) (local.get $lda)))
        (local.set $k (i32.const 0))
        (block $colsDone
          (loop $cols
            (br_if $colsDone (i32.ge_u (local.get $k) (local.get $bRows)))
            (local.set $pb0 (i32.add (local.get $b) (i32.mul (local.get $k) (local.get $ldb))))
            (local.set $pb1 (i32.add (local.get $pb0) (local.get $ldb)))
            (local.set $pb2 (i32.add (local.get $pb1) (local.get $ldb)))
            (local.set $pb3 (i32.add (local.get $pb2) (local.get $ldb)))
            (local.set $s00 (v128.const i32x4 0 0 0 0)) (local.set $s01 (v128.const i32x4 0 0 0 0))
            (local.set $s02 (v128.const i32x4 0 0 0 0)) (local.set $s03 (v128.const i32x4 0 0 0 0))
            (local.set $s10 (v128.const i32x4 0 0 0 0)) (local.set $s11 (v128.const i32x4 0 0 0 0))
            (local.set $s12 (v128.const i32x4 0 0 0 0)) (local.set $s13 (v128.const i32x4 0 0 0 0))
            (local.set $q (i32.const 0))
            (block $dotDone
              (loop $dot
                (br_if $dotDone (i32.ge_u (local.get $q) (local.get $n)))
                (local.set $x0 (v128.load (i32.add (local.get $pa0) (local.get $q))))
                (local.set $x1 (v128.load (i32.add (local.get $pa1) (local.get $q))))
                (local.set $y0 (v128.load (i32.add (local.get $pb0) (local.get $q))))
                (local.set $y1 (v128.load (i32.add (local.get $pb1) (local.get $q))))
                (local.set $y2 (v128.load (i32.add (local.get $pb2) (local.get $q))))
                (local.set $y3 (v128.load (i32.add (local.get $pb3) (local.get $q))))
                (local.set $s00 (f32x4.add (local.get $s00) (f32x4.mul (local.get $x0) (local.get $y0))))
                (local.set $s01 (f32x4.add (local.get $s01) (f32x4.mul (local.get $x0) (local.get $y1))))
                (local.set $s02 (f32x4.add (local.get $s02) (f32x4.mul (local.get $x0) (local.get $y2))))
                (local.set $s03 (f32x4.add (local.get $s03) (f32x4.mul (local.get $x0) (local.get $y3))))
                (local.set $s10 (f32x4.add (local.get $s10) (f32x4.mul (local.get $x1) (local.get $y0))))
                (local.set $s11 (f32x4.add (local.get $s11) (f32x4.mul (local.get $x1) (local.get $y1))))
                (local.set $s12 (f32x4.add (local.get $s12) (f32x4.mul (local.get $x1) (local.get $y2))))
                (local.set $s13 (f32x4.add (local.get $s13) (f32x4.mul (local.get $x1) (local.get $y3))))
                (local.set $q (i32.add (local.get $q) (i32.const 16)))
                (br $dot)))
            (local.set $pc (i32.add (local.get $c)
              (i32.add (i32.mul (local.get $i) (local.get $ldc)) (i32.shl (local.get $k) (i32.const 2)))))
            (call $put (local.get $pc) (call $hsum (local.get $s00)) (local.get $acc))
            (call $put (i32.add (local.get $pc) (i32.const 4)) (call $hsum (local.get $s01)) (local.get $acc))
            (call $put (i32.add (local.get $pc) (i32.const 8)) (call $hsum (local.get $s02)) (local.get $acc))
            (call $put (i32.add (local.get $pc) (i32.const 12)) (call $hsum (local.get $s03)) (local.get $acc))
            (local.set $pc (i32.add (local.get $pc) (local.get $ldc)))
            (call $put (local.get $pc) (call $hsum (local.get $s10)) (local.get $acc))
            (call $put (i32.add (local.get $pc) (i32.const 4)) (call $hsum (local.get $s11)) (local.get $acc))
            (call $put (i32.add (local.get $pc) (i32.const 8)) (call $hsum (local.get $s12)) (local.get $acc))
            (call $put (i32.add (local.get $pc) (i32.const 12)) (call $hsum (local.get $s13)) (local.get $acc))
            (local.set $k (i32.add (local.get $k) (i32.const 4)))
            (br $cols)))
        (local.set $i (i32.add (local.get $i) (i32.const 2)))
        (br $rows))))

  ;; C[j, c] (+)= sum over r < rows of A[r, j] * B[r, c]  (A-transposed times B, the weight
  ;; gradient's shape) for j < m (a multiple of 4) and c < n (a multiple of 8).
  ;; A 4x8 block of C lives in eight vectors; each row r loads two vectors of B and four
  ;; broadcast scalars of A for 32 multiply-adds.
  (func (export "atb")
    (param $a i32) (param $lda i32) (param $b i32) (param $ldb i32)
    (param $rows i32) (param $m i32) (param $n i32)
    (param $c i32) (param $ldc i32) (param $acc i32)
    (local $j i32) (local $col i32) (local $r i32) (local $pa i32) (local $pb i32) (local $pc i32)
    (local $x v128) (local $y0 v128) (local $y1 v128)
    (local $s00 v128) (local $s01 v128) (local $s10 v128) (local $s11 v128)
    (local $s20 v128) (local $s21 v128) (local $s30 v128) (local $s31 v128)
    (local.set $lda (i32.shl (local.get $lda) (i32.const 2)))
    (local.set $ldb (i32.shl (local.get $ldb) (i32.const 2)))
    (local.set $ldc (i32.shl (local.get $ldc) (i32.const 2)))
    (block $jDone
      (loop $jLoop
        (br_if $jDone (i32.ge_u (local.get $j) (local.get $m)))
        (local.set $col (i32.const 0))
        (block $cDone
          (loop $cLoop
            (br_if $cDone (i32.ge_u (local.get $col) (local.get $n)))
            (local.set $s00 (v128.const i32x4 0 0 0 0)) (local.set $s01 (v128.const i32x4 0 0 0 0))
            (local.set $s10 (v128.const i32x4 0 0 0 0)) (local.set $s11 (v128.const i32x4 0 0 0 0))
            (local.set $s20 (v128.const i32x4 0 0 0 0)) (local.set $s21 (v128.const i32x4 0 0 0 0))
            (local.set $s30 (v128.const i32x4 0 0 0 0)) (local.set $s31 (v128.const i32x4 0 0 0 0))
            (local.set $pa (i32.add (local.get $a) (i32.shl (local.get $j) (i32.const 2))))
            (local.set $pb (i32.add (local.get $b) (i32.shl (local.get $col) (i32.const 2))))
            (local.set $r (i32.const 0))
            (block $rDone
              (loop $rLoop
                (br_if $rDone (i32.ge_u (local.get $r) (local.get $rows)))
                (local.set $y0 (v128.load (local.get $pb)))
                (local.set $y1 (v128.load offset=16 (local.get $pb)))
                (local.set $x (v128.load32_splat (local.get $pa)))
                (local.set $s00 (f32x4.add (local.get $s00) (f32x4.mul (local.get $x) (local.get $y0))))
                (local.set $s01 (f32x4.add (local.get $s01) (f32x4.mul (local.get $x) (local.get $y1))))
                (local.set $x (v128.load32_splat offset=4 (local.get $pa)))
                (local.set $s10 (f32x4.add (local.get $s10) (f32x4.mul (local.get $x) (local.get $y0))))
                (local.set $s11 (f32x4.add (local.get $s11) (f32x4.mul (local.get $x) (local.get $y1))))
                (local.set $x (v128.load32_splat offset=8 (local.get $pa)))
                (local.set $s20 (f32x4.add (local.get $s20) (f32x4.mul (local.get $x) (local.get $y0))))
                (local.set $s21 (f32x4.add (local.get $s21) (f32x4.mul (local.get $x) (local.get $y1))))
                (local.set $x (v128.load32_splat offset=12 (local.get $pa)))
                (local.set $s30 (f32x4.add (local.get $s30) (f32x4.mul (local.get $x) (local.get $y0))))
                (local.set $s31 (f32x4.add (local.get $s31) (f32x4.mul (local.get $x) (local.get $y1))))
                (local.set $pa (i32.add (local.get $pa) (local.get $lda)))
                (local.set $pb (i32.add (local.get $pb) (local.get $ldb)))
                (local.set $r (i32.add (local.get $r) (i32.const 1)))
                (br $rLoop)))
            (local.set $pc (i32.add (local.get $c)
              (i32.add (i32.mul (local.get $j) (local.get $ldc)) (i32.shl (local.get $col) (i32.const 2)))))
            (call $put4 (local.get $pc) (local.get $s00) (local.get $s01) (local.get $acc))
            (local.set $pc (i32.add (local.get $pc) (local.get $ldc)))
            (call $put4 (local.get $pc) (local.get $s10) (local.get $s11) (local.get $acc))
            (local.set $pc (i32.add (local.get $pc) (local.get $ldc)))
            (call $put4 (local.get $pc) (local.get $s20) (local.get $s21) (local.get $acc))
            (local.set $pc (i32.add (local.get $pc) (local.get $ldc)))
            (call $put4 (local.get $pc) (local.get $s30) (local.get $s31) (local.get $acc))
            (local.set $col (i32.add (local.get $col) (i32.const 8)))
            (br $cLoop)))
        (local.set $j (i32.add (local.get $j) (i32.const 4)))
        (br $jLoop))))

  ;; Eight consecutive floats of C from two vectors: stored, or added to what is there.
  (func $put4 (param $p i32) (param $lo v128) (param $hi v128) (param $acc i32)
    (if (local.get $acc)
      (then
        (local.set $lo (f32x4.add (local.get $lo) (v128.load (local.get $p))))
        (local.set $hi (f32x4.add (local.get $hi) (v128.load offset=16 (local.get $p))))))
    (v128.store (local.get $p) (local.get $lo))
    (v128.store offset=16 (local.get $p) (local.get $hi))))
