"""A whole model's state dict written by PyTorch, and what the model computes, as the outside
oracle for rnnlab's state dicts (Debian's python3-torch 1.13, float64).

The model is a character language model with the attribute names rnnlab's CharLM uses, so
that its state_dict() keys are the ones CharLM.stateDict() gives: embedding.weight,
rnn.weight_ih_l0 … (a 2-layer nn.LSTM), head.weight [out, in], head.bias.

Files (in spec/fixtures/pytorch-model/):
  charlm.safetensors       the state dict, F64, under PyTorch's names
  charlm-data.safetensors  tokens (I64 [T, B]), logits (F64 [T, B, V]); and for the dtype
                           checks: lengths (I32 [B]), mask (BOOL [T, B]), bytes (U8 [6]),
                           logits_f16 (F16, torch's rounding of the logits) and
                           logits_f16_values (F64, those halves read back by torch)
Run from the repository root:  /usr/bin/python3 tools/make_model_golden.py
The specs read the files; they never run this. torch 1.13 has no safetensors writer, so
the format (8-byte header length, JSON header, little-endian data) is written here.
"""
import json
import struct

import torch
from torch import nn

V, D, H, LAYERS, T, B = 7, 5, 6, 2, 4, 3
OUT = 'spec/fixtures/pytorch-model'


class CharLM(nn.Module):
    def __init__(self):
        super().__init__()
        self.embedding = nn.Embedding(V, D)
        self.rnn = nn.LSTM(D, H, num_layers=LAYERS)
        self.head = nn.Linear(H, V)

    def forward(self, tokens):
        y, _ = self.rnn(self.embedding(tokens))
        return self.head(y)


DTYPES = {torch.float64: 'F64', torch.float32: 'F32', torch.float16: 'F16', torch.int64: 'I64',
          torch.int32: 'I32', torch.uint8: 'U8', torch.bool: 'BOOL'}
SIZES = {'F64': 8, 'I64': 8, 'F32': 4, 'I32': 4, 'F16': 2, 'U8': 1, 'BOOL': 1}


def save(path, tensors):
    """The reference layout: tensors by dtype size (largest first), then by name; header padded to 8."""
    names = sorted(tensors, key=lambda n: (-SIZES[DTYPES[tensors[n].dtype]], n))
    header, blobs, offset = {}, [], 0
    for name in names:
        t = tensors[name].contiguous()
        data = t.numpy().tobytes() if t.dtype != torch.bool else t.to(torch.uint8).numpy().tobytes()
        header[name] = {'dtype': DTYPES[t.dtype], 'shape': list(t.shape), 'data_offsets': [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    text = json.dumps(header, separators=(',', ':')).encode()
    text += b' ' * ((8 - len(text) % 8) % 8)
    with open(path, 'wb') as f:
        f.write(struct.pack('<Q', len(text)) + text + b''.join(blobs))


torch.manual_seed(0)
model = CharLM().double()
tokens = torch.randint(0, V, (T, B))
with torch.no_grad():
    logits = model(tokens)
save(f'{OUT}/charlm.safetensors', {k: v for k, v in model.state_dict().items()})
half = logits.half()
save(f'{OUT}/charlm-data.safetensors', {
    'tokens': tokens, 'logits': logits,
    'lengths': torch.tensor([4, 2, 3], dtype=torch.int32),
    'mask': torch.arange(T).unsqueeze(1) < torch.tensor([4, 2, 3]).unsqueeze(0),
    'bytes': torch.tensor([0, 1, 127, 128, 254, 255], dtype=torch.uint8),
    'logits_f16': half, 'logits_f16_values': half.double(),
})
print('wrote', OUT, 'with', len(model.state_dict()), 'parameters; torch', torch.__version__)
