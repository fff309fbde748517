;; The LSTM's element-wise step for the wasm backend, four units per vector: the same math as the
;; forward loop of cells/lstm.ts (gates f, i, g, o; c_t = f ⊙ c_{t-1} + i ⊙ g; h_t = o ⊙ tanh c_t),
;; with exp computed in float32 SIMD instead of approx.ts's float64 scalar fexp. wasm.ts calls it
;; where H is a multiple of 4; cells/lstm.ts runs its own loop otherwise.
;; Pointers are byte addresses in the memory wasm.ts shares with gemm.wat.
(module
  (import "env" "memory" (memory 1))

  ;; e^x for x clamped to [-87, 87] (where sigmoid and tanh are saturated in float32):
  ;; x = k·ln2 + r with |r| <= ln2/2 (ln2 in two parts, Cody and Waite), e^r by its degree-6
  ;; Taylor polynomial (relative error < 2e-7, about float32's rounding), 2^k built in the
  ;; exponent bits.
  (func $exp (param $x v128) (result v128)
    (local $k v128) (local $r v128) (local $p v128)
    (local.set $x (f32x4.min (f32x4.max (local.get $x) (v128.const f32x4 -87 -87 -87 -87)) (v128.const f32x4 87 87 87 87)))
    (local.set $k (f32x4.nearest (f32x4.mul (local.get $x) (v128.const f32x4 1.44269504 1.44269504 1.44269504 1.44269504))))
    (local.set $r (f32x4.sub (local.get $x) (f32x4.mul (local.get $k) (v128.const f32x4 0.693359375 0.693359375 0.693359375 0.693359375))))
    (local.set $r (f32x4.add (local.get $r) (f32x4.mul (local.get $k) (v128.const f32x4 2.12194440e-4 2.12194440e-4 2.12194440e-4 2.12194440e-4))))
    (local.set $p (v128.const f32x4 1.38888889e-3 1.38888889e-3 1.38888889e-3 1.38888889e-3))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r)) (v128.const f32x4 8.33333333e-3 8.33333333e-3 8.33333333e-3 8.33333333e-3)))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r)) (v128.const f32x4 4.16666667e-2 4.16666667e-2 4.16666667e-2 4.16666667e-2)))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r)) (v128.const f32x4 0.166666667 0.166666667 0.166666667 0.166666667)))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r)) (v128.const f32x4 0.5 0.5 0.5 0.5)))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r)) (v128.const f32x4 1 1 1 1)))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r)) (v128.const f32x4 1 1 1 1)))
    (f32x4.mul (local.get $p)
      (i32x4.shl (i32x4.add (i32x4.trunc_sat_f32x4_s (local.get $k)) (v128.const i32x4 127 127 127 127)) (i32.const 23))))

  (func $sigmoid (param $x v128) (result v128)
    (f32x4.div (v128.const f32x4 1 1 1 1)
      (f32x4.add (v128.const f32x4 1 1 1 1) (call $exp (f32x4.neg (local.get $x))))))

  ;; tanh x = 1 - 2 / (e^{2x} + 1).
  (func $tanh (param $x v128) (result v128)
    (f32x4.sub (v128.const f32x4 1 1 1 1)
      (f32x4.div (v128.const f32x4 2 2 2 2)
        (f32x4.add (call $exp (f32x4.add (local.get $x) (local.get $x))) (v128.const f32x4 1 1 1 1)))))

  ;; One step for B rows of H units: a (B, 4H) pre-activations [f | i | g | o], cp (B, H) the
  ;; previous c; writes c, h, f, i, g, o (B, H each) from their byte addresses on. H a multiple of 4.
  (func (export "lstmStep")
    (param $a i32) (param $cp i32) (param $c i32) (param $h i32)
    (param $f i32) (param $i i32) (param $g i32) (param $o i32) (param $rows i32) (param $H i32)
    (local $bb i32) (local $u i32) (local $pa i32) (local $q i32) (local $hb i32)
    (local $vf v128) (local $vi v128) (local $vg v128) (local $vo v128) (local $vc v128)
    (local.set $hb (i32.shl (local.get $H) (i32.const 2)))
    (block $rowsDone
      (loop $row
        (br_if $rowsDone (i32.ge_u (local.get $bb) (local.get $rows)))
        (local.set $u (i32.const 0))
        (block $unitsDone
          (loop $unit
            (br_if $unitsDone (i32.ge_u (local.get $u) (local.get $hb)))
            (local.set $pa (i32.add (local.get $a) (local.get $u)))
            (local.set $vf (call $sigmoid (v128.load (local.get $pa))))
            (local.set $pa (i32.add (local.get $pa) (local.get $hb)))
            (local.set $vi (call $sigmoid (v128.load (local.get $pa))))
            (local.set $pa (i32.add (local.get $pa) (local.get $hb)))
            (local.set $vg (call $tanh (v128.load (local.get $pa))))
            (local.set $pa (i32.add (local.get $pa) (local.get $hb)))
            (local.set $vo (call $sigmoid (v128.load (local.get $pa))))
            (local.set $vc (f32x4.add
              (f32x4.mul (local.get $vf) (v128.load (i32.add (local.get $cp) (local.get $q))))
              (f32x4.mul (local.get $vi) (local.get $vg))))
            (v128.store (i32.add (local.get $c) (local.get $q)) (local.get $vc))
            (v128.store (i32.add (local.get $h) (local.get $q)) (f32x4.mul (local.get $vo) (call $tanh (local.get $vc))))
            (v128.store (i32.add (local.get $f) (local.get $q)) (local.get $vf))
            (v128.store (i32.add (local.get $i) (local.get $q)) (local.get $vi))
            (v128.store (i32.add (local.get $g) (local.get $q)) (local.get $vg))
            (v128.store (i32.add (local.get $o) (local.get $q)) (local.get $vo))
            (local.set $q (i32.add (local.get $q) (i32.const 16)))
            (local.set $u (i32.add (local.get $u) (i32.const 16)))
            (br $unit)))
        (local.set $a (i32.add (local.get $a) (i32.shl (local.get $hb) (i32.const 2))))
        (local.set $bb (i32.add (local.get $bb) (i32.const 1)))
        (br $row))))
;; dL/dz of one step, as cells/lstm.ts's backward gates loop: from dhTot and dcNext (B, H), the
  ;; step's c, f, i, g, o and the previous c, writes dz (B rows of [f | i | g | o], 4H each) and
  ;; dcPrev = dc ⊙ f. H a multiple of 4.
  (func (export "lstmBack")
    (param $c i32) (param $cp i32) (param $f i32) (param $i i32) (param $g i32) (param $o i32)
    (param $dh i32) (param $dcn i32) (param $dz i32) (param $dcp i32) (param $rows i32) (param $H i32)
    (local $bb i32) (local $u i32) (local $q i32) (local $hb i32) (local $pz i32)
    (local $vf v128) (local $vi v128) (local $vg v128) (local $vo v128) (local $tc v128) (local $dht v128) (local $dct v128)
    (local.set $hb (i32.shl (local.get $H) (i32.const 2)))
    (block $rowsDone
      (loop $row
        (br_if $rowsDone (i32.ge_u (local.get $bb) (local.get $rows)))
        (local.set $u (i32.const 0))
        (block $unitsDone
          (loop $unit
            (br_if $unitsDone (i32.ge_u (local.get $u) (local.get $hb)))
            (local.set $vf (v128.load (i32.add (local.get $f) (local.get $q))))
            (local.set $vi (v128.load (i32.add (local.get $i) (local.get $q))))
            (local.set $vg (v128.load (i32.add (local.get $g) (local.get $q))))
            (local.set $vo (v128.load (i32.add (local.get $o) (local.get $q))))
            (local.set $tc (call $tanh (v128.load (i32.add (local.get $c) (local.get $q)))))
            (local.set $dht (v128.load (i32.add (local.get $dh) (local.get $q))))
            ;; dc = dcNext + dh ⊙ o ⊙ (1 - tanh² c)
            (local.set $dct (f32x4.add (v128.load (i32.add (local.get $dcn) (local.get $q)))
              (f32x4.mul (f32x4.mul (local.get $dht) (local.get $vo))
                (f32x4.sub (v128.const f32x4 1 1 1 1) (f32x4.mul (local.get $tc) (local.get $tc))))))
            (local.set $pz (i32.add (local.get $dz) (local.get $u)))
            (v128.store (local.get $pz) (f32x4.mul (f32x4.mul (f32x4.mul (local.get $dct) (v128.load (i32.add (local.get $cp) (local.get $q))))
              (local.get $vf)) (f32x4.sub (v128.const f32x4 1 1 1 1) (local.get $vf))))
            (local.set $pz (i32.add (local.get $pz) (local.get $hb)))
            (v128.store (local.get $pz) (f32x4.mul (f32x4.mul (f32x4.mul (local.get $dct) (local.get $vg))
              (local.get $vi)) (f32x4.sub (v128.const f32x4 1 1 1 1) (local.get $vi))))
            (local.set $pz (i32.add (local.get $pz) (local.get $hb)))
            (v128.store (local.get $pz) (f32x4.mul (f32x4.mul (local.get $dct) (local.get $vi))
              (f32x4.sub (v128.const f32x4 1 1 1 1) (f32x4.mul (local.get $vg) (local.get $vg)))))
            (local.set $pz (i32.add (local.get $pz) (local.get $hb)))
            (v128.store (local.get $pz) (f32x4.mul (f32x4.mul (f32x4.mul (local.get $dht) (local.get $tc))
              (local.get $vo)) (f32x4.sub (v128.const f32x4 1 1 1 1) (local.get $vo))))
            (v128.store (i32.add (local.get $dcp) (local.get $q)) (f32x4.mul (local.get $dct) (local.get $vf)))
            (local.set $q (i32.add (local.get $q) (i32.const 16)))
            (local.set $u (i32.add (local.get $u) (i32.const 16)))
            (br $unit)))
        (local.set $dz (i32.add (local.get $dz) (i32.shl (local.get $hb) (i32.const 2))))
        (local.set $bb (i32.add (local.get $bb) (i32.const 1)))
        (br $row))))
;; dst[j] += sum over r < rows of m[r, j] for j < cols (a multiple of 4), rows in order (as
  ;; workspace.ts addColumnSums adds them, so the float32 roundings are the same). Row by row, so m
  ;; is read front to back; dst (one row) stays in L1.
  (func (export "colSums") (param $dst i32) (param $m i32) (param $ld i32) (param $rows i32) (param $cols i32)
    (local $j i32) (local $r i32)
    (local.set $ld (i32.shl (local.get $ld) (i32.const 2)))
    (local.set $cols (i32.shl (local.get $cols) (i32.const 2)))
    (block $rowsDone
      (loop $row
        (br_if $rowsDone (i32.ge_u (local.get $r) (local.get $rows)))
        (local.set $j (i32.const 0))
        (block $colsDone
          (loop $col
            (br_if $colsDone (i32.ge_u (local.get $j) (local.get $cols)))
            (v128.store (i32.add (local.get $dst) (local.get $j))
              (f32x4.add (v128.load (i32.add (local.get $dst) (local.get $j))) (v128.load (i32.add (local.get $m) (local.get $j)))))
            (local.set $j (i32.add (local.get $j) (i32.const 16)))
            (br $col)))
        (local.set $m (i32.add (local.get $m) (local.get $ld)))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $row))))
)
