// The sizes every lab demo's controls are bounded by, and the number schemas they are built
// from. A leaf module: the demos' schemas import it, and lab.ts imports the demos' schemas to
// build the lab's state, so these cannot live in lab.ts without a cycle.
import * as v from 'valibot';

/** Largest sizes one recompute + redraw handles inside a frame (the CodeLens caps to these). */
export const LAB_LIMITS = { D: 64, H: 128, T: 256 } as const;

/** An integer in [min, max]. */
export const int = (min: number, max: number) => v.pipe(v.number(), v.integer(), v.minValue(min), v.maxValue(max));
/** A finite number in [min, max]. */
export const real = (min: number, max: number) => v.pipe(v.number(), v.finite(), v.minValue(min), v.maxValue(max));
/** A seed: a non-negative 31-bit integer. */
export const seed = int(0, 2 ** 31 - 1);
/** Any number, NaN and ±Infinity included: a diverged model reports them, and the views show "—". */
export const anyNumber = v.custom<number>((x) => typeof x === 'number');
/**
 * An object of the page's own making (a trainer configuration, a layer) handed to a Worker's loop,
 * checked as an object only: what reads it (createTrainer, the summaries) checks its contents.
 */
export const plainObject = <T>() => v.custom<T>((x) => typeof x === 'object' && x !== null && !Array.isArray(x));
