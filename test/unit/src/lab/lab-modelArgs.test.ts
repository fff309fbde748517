// The CodeLens's argument reader: every constructor form it promises to read, the sizes it
// reads, what it cannot read (named, default used) and what it caps.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { CODELENS_LIMITS, ModelSource, describeModelConfig, findModelCalls, readModelArgs, scanModelLenses } from '../../../../src/lab/modelArgs';
import { LAB_DEFAULTS, LAB_LIMITS, labModelConfigSchema, parseMessage, type LabModelConfig } from '../../../../protocol';
import { findRepoRoot } from '../../../fixtures/repoRoot';

/** Reads the first (or only) recurrent constructor in `text`. */
function read(text: string, index = 0): LabModelConfig {
  const calls = findModelCalls(text);
  assert.ok(calls.length > index, `found ${calls.length} calls in:\n${text}`);
  return readModelArgs(text, calls[index]);
}

function unreadable(m: LabModelConfig): string[] {
  return m.readings.filter((r) => r.status === 'unreadable').map((r) => r.param);
}

describe('findModelCalls', () => {
  it('finds every constructor family the CodeLens offers, with its line', () => {
    const text = [
      'a = nn.LSTM(10, 20)',
      'b = torch.nn.GRU(input_size=3, hidden_size=4)',
      'c = nn.RNN(5, 6)',
      'd = nn.LSTMCell(7, 8)',
      'e = keras.layers.LSTM(32)',
      'f = layers.GRU(16)',
      'g = tf.keras.layers.SimpleRNN(8)',
      'const h = tf.layers.lstm({units: 32, inputShape: [10, 8]});',
    ].join('\n');
    const calls = findModelCalls(text);
    assert.deepEqual(calls.map((c) => [c.callee, c.cell, c.framework, c.line]), [
      ['nn.LSTM', 'lstm', 'pytorch', 0],
      ['torch.nn.GRU', 'gru', 'pytorch', 1],
      ['nn.RNN', 'rnn', 'pytorch', 2],
      ['nn.LSTMCell', 'lstm', 'pytorch', 3],
      ['keras.layers.LSTM', 'lstm', 'keras', 4],
      ['layers.GRU', 'gru', 'keras', 5],
      ['tf.keras.layers.SimpleRNN', 'rnn', 'keras', 6],
      ['tf.layers.lstm', 'lstm', 'tfjs', 7],
    ]);
    assert.equal(calls[3].isCell, true);
  });

  it('skips constructors in comments and names that only look alike', () => {
    const text = '# self.rnn = nn.LSTM(4, 4)\n// tf.layers.lstm({units: 3})\nx = nn.LSTMish(3)\ny = mynn.GRU(2)\n';
    assert.deepEqual(findModelCalls(text), []);
  });
});

describe('readModelArgs: PyTorch', () => {
  it('reads positional sizes: nn.LSTM(10, 20, 2)', () => {
    const m = read('lstm = nn.LSTM(10, 20, 2)');
    assert.equal(m.inputSize, 10);
    assert.equal(m.hiddenSize, 20);
    assert.equal(m.numLayers, 2);
    assert.equal(m.demo, 'lstm-forward');
    assert.deepEqual(unreadable(m), []);
    assert.ok(describeModelConfig(m).some((l) => /2 stacked layers/.test(l)));
  });

  it('reads keyword sizes and bidirectional, in any order', () => {
    const m = read('gru = nn.GRU(hidden_size=24, input_size=6, bidirectional=True, batch_first=True)');
    assert.equal(m.inputSize, 6);
    assert.equal(m.hiddenSize, 24);
    assert.equal(m.bidirectional, true);
    assert.equal(m.cell, 'gru');
    assert.equal(m.demo, 'bptt');
    assert.ok(describeModelConfig(m).some((l) => /Bidirectional/.test(l)));
  });

  it('reads the nonlinearity of nn.RNN (IRNN uses relu)', () => {
    const m = read("rnn = nn.RNN(3, 5, 1, 'relu')");
    assert.equal(m.activation, 'relu');
    assert.equal(read('rnn = nn.RNN(3, 5, nonlinearity="tanh")').activation, 'tanh');
  });

  it('reads a multi-line call with comments holding brackets', () => {
    const m = read([
      'self.lstm = nn.LSTM(',
      '    input_size=12,   # features (per step)',
      '    hidden_size=48,',
      '    num_layers=3,',
      '    dropout=0.1,',
      ')',
    ].join('\n'));
    assert.deepEqual([m.inputSize, m.hiddenSize, m.numLayers], [12, 48, 3]);
  });

  it('reads nn.LSTMCell(input_size, hidden_size)', () => {
    const m = read('cell = nn.LSTMCell(7, 9)');
    assert.deepEqual([m.inputSize, m.hiddenSize, m.numLayers], [7, 9, 1]);
  });

  it('names unreadable arguments (expressions, calls) and falls back to the demo defaults', () => {
    const m = read('lstm = nn.LSTM(vocab.size * 2, get_hidden(), num_layers=n_layers)');
    assert.deepEqual(unreadable(m), ['input_size', 'hidden_size', 'num_layers']);
    assert.equal(m.inputSize, LAB_DEFAULTS['lstm-forward'].D);
    assert.equal(m.hiddenSize, LAB_DEFAULTS['lstm-forward'].H);
    assert.equal(m.numLayers, 1);
    const lines = describeModelConfig(m);
    assert.ok(lines.some((l) => l.startsWith('input_size = vocab.size * 2 could not be read')), lines.join('\n'));
    assert.ok(lines.some((l) => l.startsWith('hidden_size = get_hidden() could not be read')), lines.join('\n'));
  });

  it('follows a name to the one integer it is bound to (default parameter or constant)', () => {
    const text = [
      'HIDDEN = 64',
      'def build(embed_dim: int = 32, layers=2):',
      '    return nn.LSTM(input_size=embed_dim, hidden_size=HIDDEN, num_layers=layers)',
    ].join('\n');
    const m = read(text);
    assert.deepEqual([m.inputSize, m.hiddenSize, m.numLayers], [32, 64, 2]);
    const r = m.readings.find((x) => x.param === 'input_size');
    assert.equal(r?.status, 'resolved');
    assert.match(r?.via ?? '', /embed_dim = 32 on line 2/);
  });

  it('reads a string or a boolean only as a literal: through a name it is named as unreadable', () => {
    const m = read('ACT = "relu"\nBI = True\nnet = nn.RNN(3, 5, nonlinearity=ACT, bidirectional=BI)');
    assert.equal(m.activation, undefined);
    assert.equal(m.bidirectional, false);
    assert.deepEqual(unreadable(m).sort(), ['bidirectional', 'nonlinearity']);
    const lines = describeModelConfig(m);
    assert.ok(lines.includes("nonlinearity = ACT could not be read; the demo's default is used."), lines.join('\n'));
    const lit = read('net = nn.RNN(3, 5, nonlinearity="relu", bidirectional=True)');
    assert.deepEqual([lit.activation, lit.bidirectional, unreadable(lit)], ['relu', true, []]);
  });

  it('does not guess a name bound to different values', () => {
    const m = read('h = 16\nif big:\n    h = 256\nnet = nn.GRU(8, h)');
    assert.deepEqual(unreadable(m), ['hidden_size']);
    assert.equal(m.inputSize, 8);
  });

  it('reads the examples/char_lstm.py model through its default parameters', () => {
    const text = readFileSync(join(findRepoRoot(__dirname), 'examples', 'char_lstm.py'), 'utf8');
    const m = read(text);
    assert.equal(m.callee, 'nn.LSTM');
    assert.deepEqual([m.inputSize, m.hiddenSize, m.numLayers], [32, 128, 2]);
    assert.equal(text.split('\n')[m.line].trim(), 'self.lstm = nn.LSTM(');
  });

  it('caps sizes to what runs interactively and says so', () => {
    const m = read('nn.LSTM(input_size=512, hidden_size=1024)');
    assert.equal(m.inputSize, LAB_LIMITS.D);
    assert.equal(m.hiddenSize, LAB_LIMITS.H);
    assert.deepEqual(m.capped, [
      { param: 'input size', from: 512, to: LAB_LIMITS.D },
      { param: 'hidden size', from: 1024, to: LAB_LIMITS.H },
    ]);
    assert.ok(describeModelConfig(m).some((l) => l === `hidden size 1024 is capped to ${LAB_LIMITS.H} so the demo stays interactive.`));
  });

  it('reads what it can of a call still being typed', () => {
    const m = read('x = nn.LSTM(5, 7,');
    assert.deepEqual([m.inputSize, m.hiddenSize], [5, 7]);
  });
});

describe('readModelArgs: Keras', () => {
  it('reads units positionally and by keyword, input_shape as (T, D)', () => {
    const a = read('x = keras.layers.LSTM(32)');
    assert.equal(a.hiddenSize, 32);
    assert.deepEqual(a.missing, ['input_shape']);
    assert.equal(a.inputSize, LAB_DEFAULTS['lstm-forward'].D);
    const b = read('x = layers.LSTM(units=20, input_shape=(30, 6), return_sequences=True)');
    assert.deepEqual([b.hiddenSize, b.inputSize, b.steps], [20, 6, 30]);
  });

  it('sees a Bidirectional wrapper and reads names bound in the file', () => {
    const m = read('def build_model(units: int = 32):\n    x = layers.Bidirectional(layers.GRU(units, reset_after=True))(x)');
    assert.equal(m.hiddenSize, 32);
    assert.equal(m.bidirectional, true);
    assert.equal(m.cell, 'gru');
  });

  it('reads SimpleRNN with its activation; unreadable units are named', () => {
    const m = read("tf.keras.layers.SimpleRNN(n * 2, activation='relu')");
    assert.equal(m.cell, 'rnn');
    assert.equal(m.activation, 'relu');
    assert.deepEqual(unreadable(m), ['units']);
    assert.equal(m.hiddenSize, LAB_DEFAULTS.bptt.H);
  });
});

describe('readModelArgs: TensorFlow.js', () => {
  it('reads the config object: units and inputShape [T, D]', () => {
    const m = read('const l = tf.layers.lstm({units: 32, inputShape: [10, 8], returnSequences: true});');
    assert.deepEqual([m.hiddenSize, m.inputSize, m.steps], [32, 8, 10]);
    assert.equal(m.framework, 'tfjs');
  });

  it('reads a multi-line object with quoted keys and constants', () => {
    const text = 'const WINDOW = 20;\nconst l = tf.layers.simpleRNN({\n  "units": 16,\n  inputShape: [WINDOW, 1],\n});';
    const m = read(text);
    assert.deepEqual([m.hiddenSize, m.inputSize, m.steps], [16, 1, 20]);
    assert.equal(m.cell, 'rnn');
  });

  it('names an unreadable units value', () => {
    const m = read('tf.layers.gru({units: cfg.units})');
    assert.deepEqual(unreadable(m), ['units']);
    assert.ok(describeModelConfig(m).some((l) => /units = cfg.units could not be read/.test(l)));
  });

  it('reads examples/tfjs_rnn.ts', () => {
    const text = readFileSync(join(findRepoRoot(__dirname), 'examples', 'tfjs_rnn.ts'), 'utf8');
    const calls = findModelCalls(text);
    assert.ok(calls.length >= 1);
    for (const c of calls) {
      const m = readModelArgs(text, c);
      assert.ok(m.hiddenSize >= 1 && m.inputSize >= 1);
    }
  });
});

describe('the CodeLens on hostile files: every call read, work bounded by CODELENS_LIMITS', () => {
  // 16,000 constructors in one 0.9 MB file, their sizes literal or behind names bound once.
  const N = 16_000;
  const head = ['import torch.nn as nn', 'HIDDEN = 64', 'def embed(dim: int = 24):', '    pass', ''];
  const body: string[] = [];
  for (let i = 0; i < N; i++) {
    body.push(i % 2 === 0
      ? `layer_${i} = nn.LSTM(${(i % 50) + 1}, HIDDEN, num_layers=2)  # layer ${i}`
      : `layer_${i} = nn.GRU(input_size=dim, hidden_size=${(i % 100) + 1}, bidirectional=True)`);
  }
  const text = [...head, ...body].join('\n');
  const expected = (i: number): [string, number, number, number, boolean] => (i % 2 === 0
    ? ['nn.LSTM', (i % 50) + 1, 64, 2, false]
    : ['nn.GRU', 24, (i % 100) + 1, 1, true]);

  it(`finds all ${N.toLocaleString('en')} constructors and reads every argument`, () => {
    assert.ok(text.length > 900_000, `${text.length} chars`);
    const source = new ModelSource(text);
    const calls = findModelCalls(source);
    assert.equal(calls.length, N);
    calls.forEach((call, i) => {
      assert.equal(call.line, head.length + i);
      const m = readModelArgs(source, call);
      assert.deepEqual([m.callee, m.inputSize, m.hiddenSize, m.numLayers, m.bidirectional], expected(i), `call ${i}`);
      assert.deepEqual(unreadable(m), [], `call ${i}`);
    });
    const last = readModelArgs(source, calls[N - 1]);
    assert.equal(last.readings.find((r) => r.param === 'input_size')?.via, 'dim = 24 on line 3');
  });

  it(`shows the first ${CODELENS_LIMITS.maxLenses.toLocaleString('en')} as lenses and says how many more there are`, () => {
    const scan = scanModelLenses(text);
    assert.equal(scan.total, N);
    assert.equal(scan.lenses.length, CODELENS_LIMITS.maxLenses);
    scan.lenses.forEach(({ call, config }, i) => {
      assert.deepEqual([call.line, call.column], [head.length + i, `layer_${i} = `.length]);
      assert.deepEqual([config.callee, config.inputSize, config.hiddenSize, config.numLayers, config.bidirectional], expected(i));
    });
    assert.deepEqual(scan.note, {
      line: head.length + CODELENS_LIMITS.maxLenses, column: `layer_${CODELENS_LIMITS.maxLenses} = `.length,
      title: 'RNN Lens: 15,000 more layers from here have no lens (at most 1,000 per file)',
    });
    const few = scanModelLenses([...head, ...body.slice(0, 3)].join('\n'));
    assert.deepEqual([few.total, few.lenses.length, few.note], [3, 3, undefined]);
    const oneMore = scanModelLenses([...head, ...body.slice(0, 3)].join('\n'), { ...CODELENS_LIMITS, maxLenses: 2 });
    assert.deepEqual([oneMore.total, oneMore.lenses.length, oneMore.note?.title],
      [3, 2, 'RNN Lens: 1 more layer from here has no lens (at most 2 per file)']);
  });

  it('says a file over the size limit is not read, above its first constructor', () => {
    const big = `# ${'x'.repeat(CODELENS_LIMITS.maxChars)}\n${body.slice(0, 10).join('\n')}`;
    assert.deepEqual(scanModelLenses(big), { lenses: [], total: 0 });
    const bigWithLayer = `import torch.nn as nn\n\nrnn = nn.RNN(3, 4)\n# ${'x'.repeat(CODELENS_LIMITS.maxChars)}\n`;
    assert.deepEqual(scanModelLenses(bigWithLayer), {
      lenses: [], total: 0,
      note: { line: 2, column: 6, title: 'RNN Lens: recurrent layers are not read in files over 2,000,000 characters (this one has 2,000,045)' },
    });
  });

  it('reads an unclosed call only up to maxCallChars, even 120,000 of them nested', () => {
    const nested = `x = ${'nn.LSTM('.repeat(120_000)}`;
    const scan = scanModelLenses(nested);
    assert.equal(scan.total, 120_000);
    assert.equal(scan.lenses.length, CODELENS_LIMITS.maxLenses);
    const first = scan.lenses[0];
    assert.equal(first.call.end, first.call.openParen + CODELENS_LIMITS.maxCallChars);
    assert.deepEqual(unreadable(first.config), ['input_size']);
    assert.ok(describeModelConfig(first.config).includes("input_size = nn.LSTM(nn.LSTM(nn.LSTM(nn.LSTM(nn.LS... could not be read; the demo's default is used."));
    const strings = scanModelLenses(`x = ${'nn.GRU("'.repeat(110_000)}`);
    assert.deepEqual([strings.total, strings.lenses[5].call.end - strings.lenses[5].call.openParen], [110_000, CODELENS_LIMITS.maxCallChars]);
  });

  it('follows a name bound 100,000 times to the nearest binding above the call', () => {
    const many = `${'size = 8\n'.repeat(100_000)}a = nn.LSTM(size, size)\nsize = 8\n`;
    const m = read(many);
    assert.deepEqual([m.inputSize, m.readings[0].via], [8, 'size = 8 on line 100000']);
    const above = read(`b = nn.GRU(size, 4)\n${'size = 8\n'.repeat(3)}`);
    assert.equal(above.readings[0].via, 'size = 8 on line 2');
    const twice = read(`${'size = 8\n'.repeat(100_000)}size = 9\nc = nn.LSTM(size, 4)`);
    assert.deepEqual(unreadable(twice), ['input_size']);
  });

  it('skips constructors after a comment on a 1 MB line', () => {
    const line = `a = 1  # ${'nn.LSTM(1, 2) '.repeat(70_000)}`;
    assert.equal(findModelCalls(line).length, 0);
    const before = `${'nn.GRU(1, 2); '.repeat(70_000)}// nn.LSTM(3, 4)`;
    assert.deepEqual(scanModelLenses(before).total, 70_000);
  });
});

describe('every lens opens the lab: its config passes the command\'s check', () => {
  const passes = (m: LabModelConfig) => parseMessage(labModelConfigSchema, { ...m, file: 'file:///w/model.py' }).ok;

  it('for hostile arguments: a 1,000-character expression, a 400-character name, 5,000 layers, an unclosed call', () => {
    const longName = `n${'x'.repeat(400)}`;
    const text = [
      `${longName} = 12`,
      `a = nn.LSTM(${'1 + '.repeat(250)}1, ${longName}, 5000)`,
      `b = nn.GRU(${'nn.GRU('.repeat(500)}`,
    ].join('\n');
    const calls = findModelCalls(text);
    assert.equal(calls.length, 502);
    const a = readModelArgs(text, calls[0]);
    assert.deepEqual([a.hiddenSize, a.numLayers, unreadable(a)], [12, 1, ['input_size', 'num_layers']]);
    assert.ok(describeModelConfig(a).includes("num_layers = 5000 could not be read; the demo's default is used."));
    assert.ok(calls[0].end - calls[0].openParen < CODELENS_LIMITS.maxCallChars, 'the call is read whole');
    for (const call of calls) assert.ok(passes(readModelArgs(text, call)), `call on line ${call.line}`);
  });

  it('for the 1,000 lenses of a file of 16,000 nested unclosed calls', () => {
    const scan = scanModelLenses(`x = ${'nn.LSTM('.repeat(16_000)}`);
    assert.equal(scan.lenses.length, CODELENS_LIMITS.maxLenses);
    for (const { config } of scan.lenses) assert.ok(passes(config));
  });
});
