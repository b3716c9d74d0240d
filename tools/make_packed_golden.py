"""Reference cases for padded batches, computed by PyTorch (Debian's python3-torch 1.13).

PyTorch runs a padded batch through pack_padded_sequence: each sequence stops at its own
length, padded outputs are zero, h_n (and c_n) are taken at each sequence's own last step,
and the reverse direction starts at each sequence's own end. These cases extend the
rnn-golden/1 format with an integer input `lengths` [batch] and config `batchFirst`.

Run from the repository root:  /usr/bin/python3 tools/make_packed_golden.py
It writes spec/fixtures/golden-packed/*.json. The specs read those files; they never run this.
"""
import json

import torch
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

MODULES = {'lstm': torch.nn.LSTM, 'gru': torch.nn.GRU, 'rnn_tanh': torch.nn.RNN}


def uniform(*shape):
    return (torch.rand(*shape, dtype=torch.float64) * 2 - 1)


def as_json(t):
    return {'shape': list(t.shape), 'data': [float(v) for v in t.detach().reshape(-1).tolist()]}


def make(name, module, inputs, hidden, layers, bidirectional, batch, steps, lengths, batch_first, seed):
    torch.manual_seed(seed)
    net = MODULES[module](inputs, hidden, num_layers=layers, bidirectional=bidirectional,
                          batch_first=batch_first).double()
    with torch.no_grad():
        for p in net.parameters():
            p.copy_(uniform(*p.shape))
    dirs = 2 if bidirectional else 1
    x = uniform(*((batch, steps, inputs) if batch_first else (steps, batch, inputs))).requires_grad_()
    h0 = uniform(layers * dirs, batch, hidden).requires_grad_()
    c0 = uniform(layers * dirs, batch, hidden).requires_grad_()
    packed = pack_padded_sequence(x, torch.tensor(lengths), batch_first=batch_first, enforce_sorted=False)
    out, state = net(packed, (h0, c0) if module == 'lstm' else h0)
    y, _ = pad_packed_sequence(out, batch_first=batch_first, total_length=steps)
    outputs = {'y': y, 'h_n': state[0] if module == 'lstm' else state}
    if module == 'lstm':
        outputs['c_n'] = state[1]
    weights = {f'r_{k}': uniform(*v.shape) for k, v in outputs.items()}
    loss = sum((v * weights[f'r_{k}']).sum() for k, v in outputs.items())
    loss.backward()
    given = {'x': x, 'h0': h0} | ({'c0': c0} if module == 'lstm' else {})
    params = dict(net.named_parameters())
    case = {
        'format': 'rnn-golden/1',
        'name': name,
        'source': f'PyTorch {torch.__version__}, float64, pack_padded_sequence',
        'module': module,
        'config': {'inputSize': inputs, 'hiddenSize': hidden, 'numLayers': layers, 'bidirectional': bidirectional,
                   'bias': True, 'seqLen': steps, 'batch': batch, 'batchFirst': batch_first},
        'inputs': {k: as_json(v) for k, v in given.items()} | {'lengths': {'shape': [batch], 'data': lengths}},
        'params': {k: as_json(v) for k, v in params.items()},
        'lossWeights': {k: as_json(v) for k, v in weights.items()},
        'loss': float(loss),
        'outputs': {k: as_json(v) for k, v in outputs.items()},
        'grads': {k: as_json(v.grad) for k, v in (given | params).items()},
    }
    with open(f'spec/fixtures/golden-packed/{name}.json', 'w') as f:
        json.dump(case, f)


make('lstm_packed_bidir_2layer', 'lstm', 3, 4, 2, True, 3, 5, [5, 2, 4], False, 1)
make('gru_packed_bidir', 'gru', 2, 3, 1, True, 4, 6, [3, 6, 1, 5], False, 2)
make('rnn_tanh_packed_2layer_batch_first', 'rnn_tanh', 3, 4, 2, False, 3, 4, [2, 4, 3], True, 3)
make('lstm_packed_batch_first_bidir', 'lstm', 2, 3, 1, True, 2, 5, [4, 5], True, 4)
