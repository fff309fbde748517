// scripts/wat.mjs builds each .wat twice: as written (`x.wat?relaxed`) and with every
// f32x4.relaxed_madd rewritten to f32x4.mul then f32x4.add (`x.wat`), for runtimes without relaxed
// SIMD. The fallback must be exactly that rewrite, and a relaxed instruction it cannot rewrite must
// stop the build rather than ship a module that fails to compile there.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { findRepoRoot } from '../../fixtures/repoRoot';

const ROOT = findRepoRoot(__dirname);
interface Wat {
  withoutRelaxed(text: string): string;
  compileWat(path: string, text: string, relaxed: boolean): Promise<Uint8Array<ArrayBuffer>>;
}
const load = async (): Promise<Wat> => (await import(pathToFileURL(join(ROOT, 'scripts', 'wat.mjs')).href)) as Wat;

const FMA = `(module (func (export "f") (param $a v128) (param $b v128) (param $c v128) (result v128)
  (f32x4.relaxed_madd (local.get $a) (local.get $b) (local.get $c))))`;

/** Lane 0 of relaxed_madd(splat a, splat b, splat c). */
const LANE = `(module (func (export "f") (param $x f32) (param $y f32) (param $z f32) (result f32)
  (local $a v128) (local $b v128) (local $c v128)
  (local.set $a (f32x4.splat (local.get $x))) (local.set $b (f32x4.splat (local.get $y))) (local.set $c (f32x4.splat (local.get $z)))
  (f32x4.extract_lane 0 (f32x4.relaxed_madd (local.get $a) (local.get $b) (local.get $c)))))`;

describe('the .wat plugin\'s two builds', () => {
  it('rewrites relaxed_madd a b c to add (mul a b) c, and the fallback computes a·b + c', async () => {
    const wat = await load();
    assert.equal(wat.withoutRelaxed(';; f32x4.relaxed_madd in a comment stays\n(f32x4.relaxed_madd (local.get $x) (local.get $y) (local.get $s))'),
      ';; f32x4.relaxed_madd in a comment stays\n(f32x4.add (f32x4.mul (local.get $x) (local.get $y)) (local.get $s))');
    const bytes = await wat.compileWat('fma.wat', FMA, false);
    assert.ok(WebAssembly.validate(bytes), 'the fallback is plain SIMD');
    const mod = new WebAssembly.Instance(new WebAssembly.Module(await wat.compileWat('lane.wat', LANE, false)));
    const f = mod.exports.f as (a: number, b: number, c: number) => number;
    assert.equal(f(2, 3, 4), 10);
    assert.equal(f(-1.5, 2, 0.25), -2.75);
  });

  it('stops on a relaxed instruction it has no rewrite for', async () => {
    const wat = await load();
    assert.throws(() => wat.withoutRelaxed('(i32x4.relaxed_laneselect (local.get $a) (local.get $b) (local.get $m))'),
      /i32x4\.relaxed_laneselect has no fallback rewrite/);
    assert.throws(() => wat.withoutRelaxed('(f32x4.relaxed_madd (v128.load (local.get $p)) (local.get $b) (local.get $c))'),
      /f32x4\.relaxed_madd has no fallback rewrite/);
  });

  it('gemm.wat\'s relaxed build differs from its fallback, which has no relaxed instruction left', async () => {
    const wat = await load();
    const text = readFileSync(join(ROOT, 'engine', 'backends', 'gemm.wat'), 'utf8');
    assert.ok((text.match(/f32x4\.relaxed_madd \(/g) ?? []).length >= 30);
    const plain = wat.withoutRelaxed(text);
    assert.doesNotMatch(plain.replace(/;;.*$/gm, ''), /relaxed/);
    const a = await wat.compileWat('gemm.wat', text, false), b = await wat.compileWat('gemm.wat', text, true);
    assert.notDeepEqual(a, b);
    assert.ok(WebAssembly.validate(a));
  });
});
