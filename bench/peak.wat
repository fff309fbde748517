;; The single-thread WebAssembly SIMD peak the benchmark measures the wasm backend against: the
;; matrix products' own multiply-add, written f32x4.relaxed_madd as in gemm.wat, so that
;; scripts/wat.mjs builds it twice: `peak.wat` with f32x4.mul then f32x4.add (plain SIMD has no fused
;; multiply-add) and `peak.wat?relaxed`, one FMA per step where the runtime has relaxed SIMD; on 12
;; independent accumulators so that the multiply and add units, not the
;; latency of one chain, set the pace. Each step of each accumulator is acc = acc * y + x: eight
;; flops (four lanes, a multiply and an add), and the chain converges to x / (1 - y), so no value
;; overflows or turns denormal. peak(n) runs n steps of all 12 and returns a lane sum (so the
;; work is used); flops = 96 n.
(module
  (func (export "peak") (param $n i32) (result f32)
    (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128) (local $a4 v128) (local $a5 v128)
    (local $a6 v128) (local $a7 v128) (local $a8 v128) (local $a9 v128) (local $a10 v128) (local $a11 v128)
    (local $x v128) (local $y v128)
    (local.set $x (f32x4.splat (f32.const 0.001)))
    (local.set $y (f32x4.splat (f32.const 0.999)))
    (local.set $a0 (f32x4.splat (f32.const 0.0)))
    (local.set $a1 (f32x4.splat (f32.const 1.0)))
    (local.set $a2 (f32x4.splat (f32.const 2.0)))
    (local.set $a3 (f32x4.splat (f32.const 3.0)))
    (local.set $a4 (f32x4.splat (f32.const 4.0)))
    (local.set $a5 (f32x4.splat (f32.const 5.0)))
    (local.set $a6 (f32x4.splat (f32.const 6.0)))
    (local.set $a7 (f32x4.splat (f32.const 7.0)))
    (local.set $a8 (f32x4.splat (f32.const 8.0)))
    (local.set $a9 (f32x4.splat (f32.const 9.0)))
    (local.set $a10 (f32x4.splat (f32.const 10.0)))
    (local.set $a11 (f32x4.splat (f32.const 11.0)))
    (block $done
      (loop $step
        (br_if $done (i32.eqz (local.get $n)))
        (local.set $a0 (f32x4.relaxed_madd (local.get $a0) (local.get $y) (local.get $x)))
        (local.set $a1 (f32x4.relaxed_madd (local.get $a1) (local.get $y) (local.get $x)))
        (local.set $a2 (f32x4.relaxed_madd (local.get $a2) (local.get $y) (local.get $x)))
        (local.set $a3 (f32x4.relaxed_madd (local.get $a3) (local.get $y) (local.get $x)))
        (local.set $a4 (f32x4.relaxed_madd (local.get $a4) (local.get $y) (local.get $x)))
        (local.set $a5 (f32x4.relaxed_madd (local.get $a5) (local.get $y) (local.get $x)))
        (local.set $a6 (f32x4.relaxed_madd (local.get $a6) (local.get $y) (local.get $x)))
        (local.set $a7 (f32x4.relaxed_madd (local.get $a7) (local.get $y) (local.get $x)))
        (local.set $a8 (f32x4.relaxed_madd (local.get $a8) (local.get $y) (local.get $x)))
        (local.set $a9 (f32x4.relaxed_madd (local.get $a9) (local.get $y) (local.get $x)))
        (local.set $a10 (f32x4.relaxed_madd (local.get $a10) (local.get $y) (local.get $x)))
        (local.set $a11 (f32x4.relaxed_madd (local.get $a11) (local.get $y) (local.get $x)))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $step)))
    (f32x4.extract_lane 0 (f32x4.add (f32x4.add (f32x4.add (f32x4.add (f32x4.add (f32x4.add (f32x4.add (f32x4.add (f32x4.add (f32x4.add (f32x4.add (local.get $a0) (local.get $a1)) (local.get $a2)) (local.get $a3)) (local.get $a4)) (local.get $a5)) (local.get $a6)) (local.get $a7)) (local.get $a8)) (local.get $a9)) (local.get $a10)) (local.get $a11)))))
