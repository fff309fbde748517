// Reads the sizes of a recurrent layer from the call that constructs it (nn.LSTM(10, 20, 2),
// keras.layers.GRU(units=32), tf.layers.lstm({units: 32, inputShape: [10, 8]}), ...), so the
// lab can show "this" model. Pure: no vscode, no DOM; the CodeLens provider and the unit tests
// both call it on plain text.
//
// It reads literals only. A bare name is followed to one integer it is bound to in the same file
// (a default parameter value `hidden_size: int = 128` or a module constant `HIDDEN = 128`), because
// that is how most real models pass their sizes (examples/char_lstm.py); anything else (an
// expression, a name bound twice, a call) is unreadable, and the demo's default is used and named.
//
// Cost: a document is read in linear passes (ModelSource indexes its lines and its name bindings
// once, whatever the number of calls), and every step is bounded by CODELENS_LIMITS, so a hostile
// file (16,000 constructors, unclosed calls, a 1 MB line) costs milliseconds, not minutes.

export { CODELENS_LIMITS, demoFor, findModelCalls, ModelSource, type CodeLensLimits, type Framework, type ModelCall } from './calls';
export { scanModelLenses, type LimitNote, type ModelLens, type ModelLensScan } from './lenses';
export { describeModelConfig, readModelArgs } from './args';
export { matchingParen } from './tokens';
