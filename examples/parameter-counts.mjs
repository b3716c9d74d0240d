// Parameter counts, the textbook ratios: an LSTM has 4 times the parameters of a plain RNN
// of the same sizes (four gate blocks), a GRU 3 times (three), and a bidirectional layer
// twice its unidirectional one (a second set for the other direction).
import { RecurrentLayer } from 'rnnlab';

const I = 10,
  H = 20;
const count = (options) => new RecurrentLayer({ inputSize: I, hiddenSize: H, ...options }).parameterCount().total;
const rnn = count({ cell: 'rnn' });
console.log(`input ${I}, hidden ${H}; PyTorch's layout: W_ih, W_hh and two bias vectors per gate block`);
for (const [name, options] of [
  ['RNN', { cell: 'rnn' }],
  ['GRU', { cell: 'gru' }],
  ['LSTM', { cell: 'lstm' }],
  ['LSTM, coupled gates (CIFG)', { cell: 'lstm', variant: 'cifg' }],
  ['LSTM with peepholes', { cell: 'lstm', variant: 'peephole' }],
  ['bidirectional RNN', { cell: 'rnn', bidirectional: true }],
  ['bidirectional LSTM', { cell: 'lstm', bidirectional: true }],
  ['2-layer bidirectional LSTM', { cell: 'lstm', bidirectional: true, numLayers: 2 }],
]) {
  const n = count(options);
  console.log(`${name.padEnd(28)} ${String(n).padStart(6)}  ${(n / rnn).toFixed(2)} × RNN`);
}
