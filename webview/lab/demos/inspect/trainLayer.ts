// The inspector's "Train this layer": hands the layer shown (its loaded weights) to the training
// playground and opens it there (train/fromLayer.ts says what trains and how). A layer whose
// weights were not sent, or one with a projection, says why on the button's note instead.
import { layerLabel } from '../../../../engine/summaries/inspect';
import { button } from '../../../ui/render/toolkit';
import { el } from '../../../ui/dom';
import type { DemoContext, DemoSpec } from '../../demo';
import { handLayerToPlayground } from '../../common/handedLayer';
import { InspectDemo, inspectDemo } from './view';

export function addTrainButton(ctx: DemoContext, demo: InspectDemo): InspectDemo {
  const note = el('p', { id: 'inspect-train-note', class: 'note', role: 'status' });
  const train = button('inspect-train-layer', 'Train this layer', {
    appearance: 'secondary',
    ariaLabel: 'Train this layer in the playground, starting from its loaded weights',
    onClick: () => {
      const layer = demo.current();
      note.textContent = '';
      if (!layer) return;
      if (!layer.params) {
        note.textContent = `${layerLabel(layer)} cannot be trained: ${layer.omitted ?? 'its weights were not sent'}.`;
        return;
      }
      if (layer.params.Wr) {
        note.textContent = `${layerLabel(layer)} has a projection (proj_size): the playground does not train such layers.`;
        return;
      }
      handLayerToPlayground({
        ...layer, params: layer.params, options: layer.options ?? {},
        label: `${demo.checkpoint?.name ?? 'the checkpoint'}, ${layerLabel(layer)}`,
        from: { file: demo.checkpoint?.file ?? '', index: demo.layerIndex },
      });
      ctx.open('train');
    },
  });
  const row = el('div', { class: 'control' });
  row.append(train, note);
  // Below the layer picker, in the Layer group.
  demo.root.querySelector('#inspect-layer-pick')?.closest('fieldset')?.append(row);
  return demo;
}

/** The inspector's spec, with the button. */
export const inspectWithTraining: DemoSpec = {
  ...inspectDemo,
  create: (ctx, state) => addTrainButton(ctx, inspectDemo.create(ctx, state) as InspectDemo),
};
