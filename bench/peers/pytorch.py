"""PyTorch CPU runner of the peer benchmark (Debian's python3-torch).

    /usr/bin/python3 bench/peers/pytorch.py --threads N [--quick] [--workloads gemm,train,accuracy,inference]
    /usr/bin/python3 bench/peers/pytorch.py --cold-start
    /usr/bin/python3 bench/peers/pytorch.py --export-onnx PATH   (the 784-256-128-10 MLP, for onnxruntime-web)

Prints `@@row {json}` lines like the JavaScript runners (see common.mjs); the sizes mirror
common.mjs's SIZES.
"""
import gzip
import json
import os
import sys
import time

t_import0 = time.perf_counter()
args = sys.argv[1:]


def arg(name, default=None):
    return args[args.index(name) + 1] if name in args else default


quick = '--quick' in args
threads = int(arg('--threads', '1'))
wanted = arg('--workloads', 'gemm,train,accuracy,inference').split(',')
SYSTEM = 'pytorch'
base = {'system': SYSTEM, 'threads': threads}

S = {
    'gemm_shapes': [(256, 256, 256), (128, 784, 256)],
    'gemm_layouts': ['nn', 'tn', 'nt'],
    'gemm_samples': 3 if quick else 7,
    'gemm_min_s': 0.025 if quick else 0.1,
    'batch': 128, 'sgd_lr': 0.1, 'train_samples': 4096 if quick else 60000, 'train_runs': 2 if quick else 5,
    'acc_epochs': 1 if quick else 3, 'acc_seeds': [7] if quick else [7, 8, 9], 'acc_rows': 10000 if quick else 60000, 'adam_lr': 1e-3,
    'infer_runs': 3 if quick else 9, 'latency_calls': 100 if quick else 400, 'latency_reps': 3 if quick else 15,
}


import atexit  # noqa: E402
atexit.register(lambda: print('@@cpu ' + json.dumps({'seconds': time.process_time()}), flush=True))


def emit(row):
    print('@@row ' + json.dumps(row), flush=True)


def guard(row, fn):
    try:
        fn()
    except Exception as e:  # the figure becomes an error row, never a blank
        emit({**row, 'error': f'{type(e).__name__}: {e}'.split('\n')[0][:300]})


try:
    import torch
    from torch import nn
except Exception as e:
    names = {'gemm': ['gemm'], 'train': ['train-sgd'], 'accuracy': ['accuracy-adam'], 'inference': ['infer-b1024', 'infer-b1']}
    for w in (['cold-start'] if '--cold-start' in args else [n for w in wanted for n in names.get(w, [w])]):
        emit({**base, 'workload': w, 'metric': '', 'error': f'python3-torch not importable ({e}); apt-get install python3-torch libopenblas0-pthread'})
    sys.exit(0)

torch.set_num_threads(threads)
BLAS = os.path.realpath('/usr/lib/x86_64-linux-gnu/libblas.so.3')
BLAS_NOTE = ('torch.set_num_threads(2), OMP/OPENBLAS_NUM_THREADS=2: OpenMP sync per small op costs more than it gains at batch 128 on 2 vCPUs (1 thread is the faster PyTorch setting here); ' if threads > 1 else '') + f"torch {torch.__version__}, BLAS {'OpenBLAS' if 'openblas' in BLAS else 'BLIS' if 'blis' in BLAS else 'reference (netlib)' if BLAS.endswith('/blas/libblas.so.3') else BLAS}"


def make_model():
    return nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 128), nn.ReLU(), nn.Linear(128, 10))


if '--cold-start' in args:
    torch.manual_seed(1)
    m = nn.Sequential(make_model(), nn.Softmax(dim=1)).eval()
    with torch.no_grad():
        m(torch.rand(1, 784)).numpy()
    emit({'workload': 'cold-start', 'system': SYSTEM, 'threads': threads, 'metric': 'ms import→first prediction',
          'values': [(time.perf_counter() - t_import0) * 1000]})
    sys.exit(0)

if '--export-onnx' in args:
    path = arg('--export-onnx')
    torch.manual_seed(1)
    m = nn.Sequential(make_model(), nn.Softmax(dim=1)).eval()
    torch.onnx.export(m, torch.rand(1, 784), path, input_names=['x'], output_names=['y'],
                      dynamic_axes={'x': {0: 'batch'}, 'y': {0: 'batch'}}, opset_version=13)
    print(f'exported {path}', file=sys.stderr)
    sys.exit(0)

DIR = '/usr/share/datasets/fashion-mnist'


def load_data():
    def idx(name):
        with gzip.open(f'{DIR}/{name}', 'rb') as f:
            raw = f.read()
        dims = raw[3]
        shape = [int.from_bytes(raw[4 + 4 * i:8 + 4 * i], 'big') for i in range(dims)]
        return torch.frombuffer(bytearray(raw[4 + 4 * dims:]), dtype=torch.uint8).reshape(shape)
    if os.path.exists(f'{DIR}/train-images-idx3-ubyte.gz'):
        xtr = idx('train-images-idx3-ubyte.gz').reshape(-1, 784).float() / 255
        xte = idx('t10k-images-idx3-ubyte.gz').reshape(-1, 784).float() / 255
        return xtr, idx('train-labels-idx1-ubyte.gz').long(), xte, idx('t10k-labels-idx1-ubyte.gz').long()
    # Same shape, learnable (not the exact generator of common.mjs: noted in RESULTS.md by source).
    g = torch.Generator().manual_seed(12345)
    protos = torch.rand(10, 784, generator=g)

    def make(n):
        y = torch.randint(0, 10, (n,), generator=g)
        return (protos[y] + 0.5 * (torch.rand(n, 784, generator=g) - 0.5)).clamp(0, 1), y
    xtr, ytr = make(60000)
    xte, yte = make(10000)
    return xtr, ytr, xte, yte


def median(xs):
    s = sorted(xs)
    h = len(s) // 2
    return s[h] if len(s) % 2 else (s[h - 1] + s[h]) / 2


if 'gemm' in wanted:
    for (m, n, k) in S['gemm_shapes']:
        for layout in S['gemm_layouts']:
            row = {**base, 'workload': f'gemm-{layout}-{m}x{n}x{k}', 'metric': 'GFLOPS', 'note': BLAS_NOTE}

            def bench():
                g = torch.Generator().manual_seed(1)
                # Stored the way simdnet stores them; .t() is a view, so matmul sees a transposed stride.
                a = torch.rand(k, m, generator=g).t() if layout == 'tn' else torch.rand(m, k, generator=g)
                b = torch.rand(n, k, generator=g).t() if layout == 'nt' else torch.rand(k, n, generator=g)
                c = torch.empty(m, n)
                flop = 2 * m * n * k
                end = time.perf_counter() + max(S['gemm_min_s'], 0.05)
                while time.perf_counter() < end:
                    torch.matmul(a, b, out=c)
                values = []
                for _ in range(S['gemm_samples']):
                    r = 0
                    t0 = time.perf_counter()
                    while True:
                        torch.matmul(a, b, out=c)
                        r += 1
                        if time.perf_counter() - t0 >= S['gemm_min_s']:
                            break
                    values.append(flop * r / (time.perf_counter() - t0) / 1e9)
                emit({**row, 'values': values})
            guard(row, bench)

data = load_data() if any(w != 'gemm' for w in wanted) else None


def fit(model, opt, X, y, epochs):
    loss_fn = nn.CrossEntropyLoss()  # log-softmax + NLL from logits, like simdnet's fused loss
    model.train()
    for _ in range(epochs):
        perm = torch.randperm(X.shape[0])
        for i in range(0, X.shape[0], S['batch']):
            idx = perm[i:i + S['batch']]
            opt.zero_grad(set_to_none=True)
            loss = loss_fn(model(X[idx]), y[idx])
            loss.backward()
            opt.step()


if 'train' in wanted and data:
    n = S['train_samples']
    row = {**base, 'workload': 'train-sgd', 'metric': 'samples/s', 'note': f'{n}-sample subset per run; {BLAS_NOTE}'}

    def bench():
        torch.manual_seed(1)
        X, y = data[0][:n].contiguous(), data[1][:n].contiguous()
        model = make_model()
        opt = torch.optim.SGD(model.parameters(), lr=S['sgd_lr'])
        fit(model, opt, X, y, 1)
        values = []
        for _ in range(S['train_runs']):
            t0 = time.perf_counter()
            fit(model, opt, X, y, 1)
            values.append(n / (time.perf_counter() - t0))
        emit({**row, 'values': values})
    guard(row, bench)

if 'accuracy' in wanted and data:
    row = {**base, 'workload': 'accuracy-adam', 'metric': 'test accuracy'}

    def bench():
        X, y = data[0][:S['acc_rows']], data[1][:S['acc_rows']]
        values, secs = [], 0.0
        for seed in S['acc_seeds']:
            torch.manual_seed(seed)
            model = make_model()
            opt = torch.optim.Adam(model.parameters(), lr=S['adam_lr'])
            t0 = time.perf_counter()
            fit(model, opt, X, y, S['acc_epochs'])
            secs += time.perf_counter() - t0
            model.eval()
            with torch.no_grad():
                values.append((model(data[2]).argmax(1) == data[3]).float().mean().item())
        seeds = ','.join(map(str, S['acc_seeds']))
        emit({**row, 'values': values, 'note': f"{S['acc_epochs']} epochs × {X.shape[0]} rows, {secs / len(values):.1f} s per seed; seeds {seeds}; kaiming-uniform init (torch default)"})
    guard(row, bench)

if 'inference' in wanted and data:
    torch.manual_seed(1)
    model = nn.Sequential(make_model(), nn.Softmax(dim=1)).eval()
    X = data[2][:1024].contiguous()
    one = X[:1].contiguous()

    def b1024():
        values = []
        with torch.inference_mode():
            model(X).numpy()
            model(X).numpy()
            for _ in range(S['infer_runs']):
                t0 = time.perf_counter()
                model(X).numpy()
                values.append(1024 / (time.perf_counter() - t0))
        emit({**base, 'workload': 'infer-b1024', 'metric': 'samples/s', 'values': values, 'note': 'torch.inference_mode'})
    guard({**base, 'workload': 'infer-b1024', 'metric': 'samples/s'}, b1024)

    def b1():
        calls = S['latency_calls']
        values = []
        with torch.inference_mode():
            for _ in range(min(200, calls)):
                model(one).numpy()
            for _ in range(S['latency_reps']):
                t0 = time.perf_counter()
                for _ in range(calls):
                    model(one).numpy()
                values.append((time.perf_counter() - t0) * 1e6 / calls)
        emit({**base, 'workload': 'infer-b1', 'metric': 'latency µs', 'values': values, 'note': 'torch.inference_mode'})
    guard({**base, 'workload': 'infer-b1', 'metric': 'latency µs'}, b1)
