// Every kernel source of one shape, by name.
import type { Cell, Shape } from '../../../types';
import { backwardSources } from './backward';
import { forwardSources } from './forward';
import { glsl } from './glsl';
import { gradientSources } from './gradients';
import { uploadSources } from './upload';

/**
 * Kernel sources, parameterised by literal constants so that loops have fixed bounds. Every
 * texture but W and the dW accumulator is batch-packed: a texel holds four batch rows (lanes) of
 * one column, rows are (step, group of four), so each product reads a weight once for four rows.
 * The products write four outputs per pixel (`quad`: the kernel's result and its sub-kernels
 * o1..o3), so that a pixel's eight reads per step (four weight texels, four input texels) serve
 * 64 multiply-adds.
 */
export function sources(cell: Cell, s: Shape, CB: number, act: number, resetAfter: boolean) {
  const c = glsl(cell, s, CB, act, resetAfter);
  return { ...uploadSources(), ...forwardSources(c), ...backwardSources(c), ...gradientSources(c) };
}
