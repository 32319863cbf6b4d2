#!/usr/bin/python3
"""simdnet against a scikit-learn pipeline of the same design, on the same splits of public tables.

For each table and label, for seeds 1..5: the raw file is split (75 / 25, numpy permutation of the
seed) into train.csv and test.csv, copied cell for cell; then
  simdnet:  simdnet train train.csv --label L --test-data test.csv (defaults: mlp 64 relu, adam
            0.001, batch 32, 50 epochs, no validation split) --out model.json
  sklearn:  a ColumnTransformer that applies, column by column, what simdnet's saved pipeline says it
            inferred: SimpleImputer(median) + StandardScaler and a MissingIndicator for numbers,
            SimpleImputer(constant) + OneHotEncoder(handle_unknown='ignore') for text, one 0/1 column
            for booleans, the same date parts (pandas) standardized; dropped columns dropped; then
            MLPClassifier / MLPRegressor (in a TransformedTargetRegressor with a StandardScaler, as
            simdnet standardizes the target) with the same layer, optimizer, batch size and epochs.
The column types come from simdnet's model file so that both pipelines have the same design: the
comparison is of the fitting and the learning, not of two guesses. Prints accuracy or R² (mean ±
std over the seeds) and the difference in points.

Usage (from the repository root, after npm run build): /usr/bin/python3 bench/tables/compare.py [--seeds N] [--only NAME]
  --fixture: only the committed FIXTURE_TABLES, and write test/fixtures/tables/scores.json (splits and scores)
"""
import csv, io, json, math, os, subprocess, sys, tempfile, warnings
import numpy as np
import pandas as pd
import sklearn
from sklearn.compose import ColumnTransformer, TransformedTargetRegressor
from sklearn.exceptions import ConvergenceWarning
from sklearn.impute import MissingIndicator, SimpleImputer
from sklearn.metrics import accuracy_score, r2_score
from sklearn.neural_network import MLPClassifier, MLPRegressor
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import FunctionTransformer, OneHotEncoder, StandardScaler

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..')
FIX = os.path.join(ROOT, 'test', 'fixtures', 'tables')
CLI = ['node', os.path.join(ROOT, 'dist', 'cli', 'main.js')]
EPOCHS, HIDDEN, LR, BATCH = 50, 64, 0.001, 32
PKG = '/usr/lib/python3/dist-packages'
# (file, label): committed fixtures by name, the others read where their Debian package puts them
TABLES = [
    ('penguins_raw.csv', 'Species'),
    ('penguins_raw.csv', 'Body Mass (g)'),
    ('cars.csv', 'Miles_per_Gallon'),
    ('cars.csv', 'Origin'),
    ('autos.csv', 'price'),
    ('seattle-weather.csv', 'weather'),
    ('seattle-weather.csv', 'temp_max'),
    ('anes96.csv', 'vote'),
    ('modechoice.csv', 'choice'),
    (f'{PKG}/statsmodels/stats/tests/results/framing.csv', 'cong_mesg'),
    (f'{PKG}/statsmodels/regression/tests/results/dietox.csv', 'Weight'),
    (f'{PKG}/statsmodels/datasets/fertility/fertility.csv', '2010'),
    ('/usr/share/matplotlib/mpl-data/sample_data/Stocks.csv', 'AAPL'),
]
# the committed tables whose scikit-learn scores (and splits) test/cli/table-scores.test.ts compares with
FIXTURE_TABLES = [('anes96.csv', 'vote'), ('modechoice.csv', 'choice'), ('cars.csv', 'Miles_per_Gallon'), ('penguins_raw.csv', 'Species')]
NA = ['', 'NA', 'N/A', 'n/a', 'NaN', 'nan', 'null', 'NULL', 'Null', 'None', '?', '#N/A']
warnings.filterwarnings('ignore', category=ConvergenceWarning)


def split(path, seed, dirname):
    """Splits the raw lines (every table here has one record per line): comment lines and the header
    go to both parts, the body rows by a NumPy permutation of the seed."""
    with open(path, newline='', encoding='utf-8-sig') as f:
        lines = [l for l in f.read().splitlines() if l.strip() != '']
    h = 0
    while lines[h].lstrip().startswith('#'):
        h += 1
    head, body = lines[:h + 1], lines[h + 1:]
    perm = np.random.RandomState(seed).permutation(len(body))
    n_test = int(math.ceil(0.25 * len(body)))
    parts = {'test': sorted(perm[:n_test]), 'train': sorted(perm[n_test:])}
    out = {'comments': h, 'test_rows': [int(i) for i in parts['test']]}
    for name, idx in parts.items():
        p = os.path.join(dirname, f'{name}.csv')
        with open(p, 'w', newline='') as f:
            f.write('\n'.join(head + [body[i] for i in idx]) + '\n')
        out[name] = p
    return out


def read(path, comments, label):
    """The part as pandas reads it: delimiter sniffed, comment lines skipped, R's row names as the index,
    names in single quotes unquoted; every cell as text, the NA spellings simdnet uses."""
    d = pd.read_csv(path, sep=None, engine='python', skiprows=comments, na_values=NA, keep_default_na=False, dtype=str)
    d.columns = [c[1:-1] if len(c) >= 2 and c[0] == c[-1] == "'" else c for c in d.columns]
    d = d.apply(lambda s: s.str.strip())
    return d[d[label].notna()]


def date_parts(values, fmt, parts):
    t = pd.to_datetime(values, format={'ymd': None, 'dmy': '%d.%m.%Y', 'mdy': '%m/%d/%Y'}[fmt], errors='coerce')
    doy = t.dt.dayofyear - 1
    ydays = np.where(t.dt.is_leap_year, 366, 365)
    hour = t.dt.hour + t.dt.minute / 60 + t.dt.second / 3600
    all_parts = {
        'year': t.dt.year, 'month': t.dt.month, 'day': t.dt.day, 'dayofweek': t.dt.dayofweek, 'hour': hour,
        'month_sin': np.sin(2 * np.pi * (t.dt.month - 1) / 12), 'month_cos': np.cos(2 * np.pi * (t.dt.month - 1) / 12),
        'dayofweek_sin': np.sin(2 * np.pi * t.dt.dayofweek / 7), 'dayofweek_cos': np.cos(2 * np.pi * t.dt.dayofweek / 7),
        'dayofyear_sin': np.sin(2 * np.pi * doy / ydays), 'dayofyear_cos': np.cos(2 * np.pi * doy / ydays),
        'hour_sin': np.sin(2 * np.pi * hour / 24), 'hour_cos': np.cos(2 * np.pi * hour / 24),
    }
    return np.column_stack([np.asarray(all_parts[p], dtype=float) for p in parts])


def sklearn_pipeline(columns):
    steps = []
    for c in columns:
        name, kind = c['name'], c['type']
        if kind == 'numeric':
            steps.append((f'num:{name}', Pipeline([('to_num', FunctionTransformer(lambda X: X.apply(pd.to_numeric, errors='coerce'))),
                                                   ('impute', SimpleImputer(strategy='median')), ('scale', StandardScaler())]), [name]))
            if c['indicator']:
                steps.append((f'miss:{name}', Pipeline([('to_num', FunctionTransformer(lambda X: X.apply(pd.to_numeric, errors='coerce'))),
                                                        ('ind', MissingIndicator(features='all'))]), [name]))
        elif kind == 'categorical':
            steps.append((f'cat:{name}', Pipeline([('impute', SimpleImputer(strategy='constant', fill_value='(missing)')),
                                                   ('onehot', OneHotEncoder(handle_unknown='ignore'))]), [name]))
        elif kind == 'boolean':
            t = c['true'].lower()
            steps.append((f'bool:{name}', Pipeline([('b', FunctionTransformer(lambda X, t=t: X.apply(lambda s: s.str.lower() == t).astype(float))),
                                                    ('impute', SimpleImputer(strategy='most_frequent'))]), [name]))
        elif kind == 'date':
            parts = [p['part'] for p in c['parts']]
            steps.append((f'date:{name}', Pipeline([('parts', FunctionTransformer(lambda X, f=c['format'], p=parts: date_parts(X.iloc[:, 0], f, p))),
                                                    ('impute', SimpleImputer(strategy='mean')), ('scale', StandardScaler())]), [name]))
    return ColumnTransformer(steps, sparse_threshold=0)


def run(table, label, seed, tmp):
    paths = split(table if os.path.isabs(table) else os.path.join(FIX, table), seed, tmp)
    model = os.path.join(tmp, 'model.json')
    r = subprocess.run([*CLI, 'train', paths['train'], '--label', label, '--test-data', paths['test'], '--validation-split', '0',
                        '--epochs', str(EPOCHS), '--hidden', str(HIDDEN), '--lr', str(LR), '--batch-size', str(BATCH),
                        '--seed', str(seed), '--json', '--out', model], capture_output=True, text=True)
    if r.returncode != 0:
        raise SystemExit(f'simdnet failed on {table} / {label}: {r.stderr}')
    summary = json.loads(r.stdout.strip().split('\n')[-1])
    m = json.load(open(model))
    task = m['task']
    ours = summary['accuracy'] if task == 'classification' else summary['r2']
    columns = m['input']['pipeline']['columns']
    train, test = read(paths['train'], paths['comments'], label), read(paths['test'], paths['comments'], label)
    pre = sklearn_pipeline(columns)
    if task == 'classification':
        est = MLPClassifier(hidden_layer_sizes=(HIDDEN,), alpha=0.0, batch_size=BATCH, learning_rate_init=LR, max_iter=EPOCHS,
                            n_iter_no_change=EPOCHS + 1, tol=0.0, random_state=seed)
        pipe = Pipeline([('pre', pre), ('mlp', est)]).fit(train, train[label])
        theirs = accuracy_score(test[label], pipe.predict(test))
    else:
        est = MLPRegressor(hidden_layer_sizes=(HIDDEN,), alpha=0.0, batch_size=BATCH, learning_rate_init=LR, max_iter=EPOCHS,
                           n_iter_no_change=EPOCHS + 1, tol=0.0, random_state=seed)
        reg = TransformedTargetRegressor(regressor=est, transformer=StandardScaler())
        pipe = Pipeline([('pre', pre), ('mlp', reg)]).fit(train, train[label].astype(float))
        theirs = r2_score(test[label].astype(float), pipe.predict(test))
    return task, ours, theirs, paths['test_rows']


def main():
    seeds = int(sys.argv[sys.argv.index('--seeds') + 1]) if '--seeds' in sys.argv else 5
    print(f'scikit-learn {sklearn.__version__}, pandas {pd.__version__}; mlp {HIDDEN} relu, adam {LR}, batch {BATCH}, {EPOCHS} epochs; seeds 1..{seeds}, 75/25 splits')
    print(f"{'table':22} {'label':18} {'score':9} {'simdnet':>16} {'scikit-learn':>16} {'difference':>11}")
    results = []
    fixture = '--fixture' in sys.argv
    tables = FIXTURE_TABLES if fixture else TABLES
    only = sys.argv[sys.argv.index('--only') + 1] if '--only' in sys.argv else None
    for table, label in tables:
        if only and only not in label and only not in table:
            continue
        ours, theirs, rows = [], [], []
        for seed in range(1, seeds + 1):
            with tempfile.TemporaryDirectory() as tmp:
                task, a, b, test_rows = run(table, label, seed, tmp)
                rows.append(test_rows)
            ours.append(a)
            theirs.append(b)
        o, t = np.array(ours), np.array(theirs)
        score = 'accuracy' if task == 'classification' else 'R²'
        diff = 100 * (o.mean() - t.mean())
        print(f'{os.path.basename(table):22} {label:18} {score:9} {100 * o.mean():9.2f} ± {100 * o.std():4.2f} {100 * t.mean():9.2f} ± {100 * t.std():4.2f} {diff:+10.2f}')
        results.append({'table': os.path.basename(table), 'label': label, 'task': task, 'simdnet': ours, 'sklearn': theirs, 'testRows': rows})
    json.dump(results, open(os.path.join(tempfile.gettempdir(), 'simdnet-compare.json'), 'w'))
    if fixture:
        out = {'sklearn': sklearn.__version__, 'pandas': pd.__version__, 'split': '75/25, numpy RandomState(seed).permutation of the body rows; testRows are 0-based body rows',
               'simdnet': 'train train.csv --label L --test-data test.csv --validation-split 0 (mlp 64, adam 0.001, batch 32, 50 epochs) --seed seed', 'tables': results}
        with open(os.path.join(FIX, 'scores.json'), 'w') as f:
            json.dump(out, f, separators=(',', ':'))
        print('wrote', os.path.join(FIX, 'scores.json'))


if __name__ == '__main__':
    main()
