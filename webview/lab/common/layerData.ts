// A checkpoint layer as the host sends it (protocol's InspectLayerData: weights as base64 of
// float32) decoded into the engine's layout, for the inspector and for the playground that
// trains it again after a window reload.
import type { InspectLayerData } from '../../../protocol';
import type { RecurrentLayer } from '../../../engine/checkpoint';
import { decodeFloat32 } from '../../../engine/floats';
import { GATES } from '../../../engine/summaries/inspect';

/** A layer as the view holds it: decoded weights, or why there are none. */
export type ViewLayer = Omit<InspectLayerData, 'W' | 'b' | 'bh'> & { params?: RecurrentLayer['params'] };

/** The layer's weights decoded and their lengths checked; `omitted` says why there are none. */
export function decodeLayer(d: InspectLayerData): ViewLayer {
  const { W: w, b: bb, bh: bhh, Wr: wr, ...head } = d;
  if (head.omitted || w === undefined || bb === undefined || bhh === undefined) return { ...head, omitted: head.omitted ?? 'its weights were not sent' };
  const GH = GATES[d.cell].length * d.H;
  const P = d.options?.projSize;
  const W = decodeFloat32(w, GH * (d.D + (P ?? d.H)));
  const b = decodeFloat32(bb, GH);
  const bh = decodeFloat32(bhh, GH);
  const Wr = P === undefined ? undefined : wr === undefined ? null : decodeFloat32(wr, P * d.H);
  if (!W || !b || !bh || Wr === null) return { ...head, omitted: 'its weights arrived malformed' };
  return { ...head, params: Wr ? { W, b, bh, Wr } : { W, b, bh } };
}
