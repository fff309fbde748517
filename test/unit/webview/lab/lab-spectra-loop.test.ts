// The inspector's spectra job (webview/lab/demos/inspect/spectraLoop.ts), as the lab's Worker
// runs it: block by block with progress, the same numbers as computing every block at once, σ_max
// alone above SPECTRUM_MAX_H, and a cancel heard between blocks.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { inspectCommandSchema, inspectReplySchema, parseMessage, type InspectReply } from '../../../../protocol';
import { SPECTRUM_MAX_H, freshLayer, gateSpectra, gateSummaries, spectrumSummary, type LayerLike } from '../../../../engine/summaries/inspect';
import { SpectraLoop } from '../../../../webview/lab/demos/inspect/spectraLoop';

function layer(cell: 'lstm' | 'gru' | 'rnn', D: number, H: number): LayerLike {
  const G = { lstm: 4, gru: 3, rnn: 1 }[cell];
  return { cell, D, H, params: { W: Float32Array.from({ length: G * H * (D + H) }, (_, i) => Math.sin(1.3 * i) * 0.4), b: new Float32Array(G * H), bh: new Float32Array(G * H) } };
}

function run(trained: LayerLike, fresh: LayerLike, ms = 0): InspectReply[] {
  const replies: InspectReply[] = [];
  const loop = new SpectraLoop((r) => replies.push(r));
  const cmd = parseMessage(inspectCommandSchema, { type: 'spectra', id: 4, trained, fresh });
  assert.ok(cmd.ok);
  loop.handle(cmd.msg);
  let clock = 0;
  // A clock that moves 1 ms per call: a slice of `ms` computes about ms blocks (at least one).
  while (loop.playing) loop.slice(ms, () => clock++);
  for (const r of replies) assert.ok(parseMessage(inspectReplySchema, r).ok, r.type);
  return replies;
}

describe('the inspector\'s spectra job', () => {
  it('reports each block done, then the spectra and summaries of both layers, as gateSpectra computes them', () => {
    const trained = layer('lstm', 3, 6);
    const fresh = freshLayer(trained, 12345);
    const replies = run(trained, fresh);
    assert.deepEqual(replies.filter((r) => r.type === 'progress').map((r) => r.type === 'progress' && `${r.done}/${r.total}`), ['1/8', '2/8', '3/8', '4/8', '5/8', '6/8', '7/8']);
    const last = replies.at(-1)!;
    assert.ok(last.type === 'spectra' && last.id === 4);
    assert.deepEqual(last.spectra?.trained, gateSpectra(trained));
    assert.deepEqual(last.spectra?.fresh, gateSpectra(fresh));
    // The table's numbers: each spectrum's largest singular value and eigenvalue modulus.
    assert.deepEqual(last.summaries.trained, gateSpectra(trained)!.map(spectrumSummary));
    assert.deepEqual(last.summaries.fresh, gateSpectra(fresh)!.map(spectrumSummary));
    assert.equal(last.summaries.trained[0].sigmaMax, last.spectra!.trained[0].singular[0]);
  });

  it('gives σ_max alone, no spectra, above SPECTRUM_MAX_H', () => {
    const trained = layer('rnn', 2, SPECTRUM_MAX_H + 1);
    const last = run(trained, freshLayer(trained, 1), 1000).at(-1)!;
    assert.ok(last.type === 'spectra');
    assert.equal(last.spectra, undefined);
    assert.equal(last.summaries.trained.length, 1);
    assert.equal(last.summaries.trained[0].radius, null);
    assert.deepEqual(last.summaries.trained, gateSummaries(trained));
  });

  it('stops at a cancel between blocks: no spectra reply', () => {
    const replies: InspectReply[] = [];
    const loop = new SpectraLoop((r) => replies.push(r));
    const trained = layer('gru', 2, 5);
    loop.handle({ type: 'spectra', id: 1, trained, fresh: freshLayer(trained, 2) });
    loop.slice(0, () => 0);
    loop.handle({ type: 'cancel', id: 1 });
    assert.equal(loop.playing, false);
    loop.slice(0, () => 0);
    assert.deepEqual(replies.map((r) => r.type), ['progress']);
  });
});
