// The playground's "Your numbers" task, its pure parts: the task config from the controls, the
// two baselines on the chart and in the headline, and the note about what is trained on.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_TRAIN_CONTROLS, DEFAULT_TRAIN_SERIES, labViewStateSchema, parseMessage, type TrainControls } from '../../../../protocol';
import { History, referenceLevels, summarize, trainerConfig } from '../../../../webview/lab/demos/train/math';
import { seriesNote, seriesValues } from '../../../../webview/lab/demos/train/series';
import { seriesBaselines } from '../../../../engine/train/series';
import { LAB_DEFAULTS } from '../../../../protocol';

const c: TrainControls = { ...DEFAULT_TRAIN_CONTROLS, task: 'series', T: 10 };
const values = Array.from({ length: 100 }, (_, i) => Math.sin(i / 3));

describe('the series task in the playground', () => {
  it('every model trains on the same numbers with the chosen T', () => {
    const cfg = trainerConfig(c, 'gru', '', values);
    assert.deepEqual(cfg.task, { kind: 'series', values, T: 10 });
  });

  it('the loss chart carries both held-out baselines; the headline names them and who is below both', () => {
    const ref = referenceLevels(c, '', values);
    const b = seriesBaselines(values);
    assert.equal(ref.loss, b.mean);
    assert.equal(ref.second?.loss, b.persistence);
    assert.equal(ref.accuracy, undefined);
    const h = new History(2);
    h.add(1, [{ loss: 0.001 }, { loss: 0.001 }]);
    // The training loss does not count: the held-out MSE does.
    assert.match(summarize(c, ['lstm', 'rnn'], h, 1, '', values), /the models' held-out MSE is measured next\.$/);
    const s = summarize(c, ['lstm', 'rnn'], h, 1, '', values, [b.persistence / 2, b.mean * 2]);
    assert.match(s, /^At step 1, MSE on the held-out last 20% \(normalised units\): LSTM [\d.e-]+; tanh RNN [\d.]+; predicting the mean scores [\d.]+ and predicting the last value [\d.]+\. Below both: LSTM\.$/);
  });

  it('the note says how many values, the split, the normalisation and what was ignored', () => {
    const v = seriesValues({ ...DEFAULT_TRAIN_SERIES, pasted: `${values.join(', ')}, n/a, x` });
    assert.equal(v.values.length, 100);
    assert.match(seriesNote(v), /^Training on 100 pasted numbers: 100 values, the first 80 for training and the last 20 \(20%\) held out .*normalised as \(x − [-\d.e]+\) \/ [\d.]+, .* 2 non-numeric entries were ignored\.$/);
    assert.match(seriesNote(seriesValues({ ...DEFAULT_TRAIN_SERIES, pasted: '1 2 3' })), /3 values; at least 20 are needed/);
    assert.equal(seriesValues({ ...DEFAULT_TRAIN_SERIES, source: 'csv' }).label, 'no CSV file chosen yet');
  });

  it('the numbers survive a reload: a state with them fits the schema; too many are refused', () => {
    const csv = { file: 'a.csv', rows: 3, header: true, textColumns: 0, capped: [], columns: [{ name: 'x', values: [1, 2, 3], ignored: 0, empty: 0 }] };
    const trainSeries = { source: 'csv', pasted: '', csv, column: 0 };
    const base = { demo: 'train', forward: LAB_DEFAULTS['lstm-forward'], bptt: LAB_DEFAULTS.bptt, train: c };
    assert.ok(parseMessage(labViewStateSchema, { ...base, trainSeries }).ok);
    const huge = { ...csv, columns: [{ ...csv.columns[0], values: new Array(100_001).fill(0) }] };
    assert.equal(parseMessage(labViewStateSchema, { ...base, trainSeries: { ...trainSeries, csv: huge } }).ok, false);
  });
});
