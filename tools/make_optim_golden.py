"""Optimizer and clipping reference cases for the options the shared cases leave out,
computed by PyTorch (Debian's python3-torch 1.13) in float64, in the rnn-golden/1 format.

Run from the repository root:  /usr/bin/python3 tools/make_optim_golden.py
It writes spec/fixtures/golden-optim/*.json. The specs read those files; they never run this.
"""
import json

import torch

OPTIMIZERS = {'sgd': torch.optim.SGD, 'rmsprop': torch.optim.RMSprop, 'adagrad': torch.optim.Adagrad,
              'adam': torch.optim.Adam, 'adamw': torch.optim.AdamW}


def as_json(t):
    return {'shape': list(t.shape), 'data': [float(v) for v in t.detach().reshape(-1).tolist()]}


def optimizer_case(name, optimizer, steps=8, n=10, seed=0, **hyper):
    torch.manual_seed(seed)
    param0 = torch.randn(n, dtype=torch.float64)
    grads = torch.randn(steps, n, dtype=torch.float64)
    p = param0.clone().requires_grad_()
    opt = OPTIMIZERS[optimizer]([p], **hyper)
    trajectory = []
    for k in range(steps):
        p.grad = grads[k].clone()
        opt.step()
        trajectory.append(p.detach().clone())
    case = {
        'format': 'rnn-golden/1', 'name': name, 'source': f'PyTorch {torch.__version__}, float64',
        'module': 'optimizer', 'config': {'optimizer': optimizer, **hyper, 'steps': steps},
        'inputs': {'param0': as_json(param0), 'grads': as_json(grads)}, 'params': {},
        'outputs': {'trajectory': as_json(torch.stack(trajectory))}, 'grads': {},
    }
    with open(f'spec/fixtures/golden-optim/{name}.json', 'w') as f:
        json.dump(case, f)


def clip_case(name, module, max_value, scale, seed=0):
    torch.manual_seed(seed)
    inputs = [torch.randn(s, dtype=torch.float64) * scale for s in (4, 6, 2)]
    params = [torch.zeros_like(g, requires_grad=True) for g in inputs]
    for p, g in zip(params, inputs):
        p.grad = g.clone()
    config = {'max': max_value}
    if module == 'clip_grad_norm':
        config['totalNorm'] = float(torch.nn.utils.clip_grad_norm_(params, max_value))
    else:
        torch.nn.utils.clip_grad_value_(params, max_value)
    case = {
        'format': 'rnn-golden/1', 'name': name, 'source': f'PyTorch {torch.__version__}, float64',
        'module': module, 'config': config,
        'inputs': {f'grad{k}': as_json(g) for k, g in enumerate(inputs)}, 'params': {},
        'outputs': {f'grad{k}': as_json(p.grad) for k, p in enumerate(params)}, 'grads': {},
    }
    with open(f'spec/fixtures/golden-optim/{name}.json', 'w') as f:
        json.dump(case, f)


optimizer_case('sgd_nesterov_wd', 'sgd', lr=0.05, momentum=0.8, nesterov=True, weight_decay=0.01)
optimizer_case('sgd_dampening', 'sgd', lr=0.1, momentum=0.9, dampening=0.3)
optimizer_case('sgd_plain_wd', 'sgd', lr=0.2, weight_decay=0.1)
optimizer_case('rmsprop_centered_momentum_wd', 'rmsprop', lr=0.01, alpha=0.9, eps=1e-6, momentum=0.5, centered=True, weight_decay=0.05)
optimizer_case('rmsprop_momentum', 'rmsprop', lr=0.02, momentum=0.9)
optimizer_case('adagrad_decay_init_wd', 'adagrad', lr=0.3, lr_decay=0.1, initial_accumulator_value=0.5, weight_decay=0.02)
optimizer_case('adam_amsgrad_wd', 'adam', lr=0.05, betas=(0.8, 0.95), eps=1e-6, weight_decay=0.1, amsgrad=True)
optimizer_case('adamw', 'adamw', lr=0.02, weight_decay=0.3)
optimizer_case('adamw_amsgrad', 'adamw', lr=0.02, betas=(0.5, 0.9), weight_decay=0.05, amsgrad=True)
clip_case('clip_norm_below_max', 'clip_grad_norm', 10.0, 0.5)
clip_case('clip_norm_scaled', 'clip_grad_norm', 0.25, 3.0, seed=1)
clip_case('clip_value_small', 'clip_grad_value', 0.1, 1.0, seed=2)
