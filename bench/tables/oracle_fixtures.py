#!/usr/bin/python3
"""Writes test/fixtures/tables/oracle.json: what scikit-learn (Debian's python3-sklearn) and pandas
compute on the fixture tables, for the tests to compare simdnet's column pipeline and class
weights with. Run: /usr/bin/python3 bench/tables/oracle_fixtures.py (from the repository root).

- penguins.csv: ColumnTransformer of SimpleImputer(median) + StandardScaler on the numbers, a
  MissingIndicator (missing-only) beside them, SimpleImputer(constant "(missing)") + OneHotEncoder on
  the text columns; fitted and applied to every row.
- seattle-weather.csv: the date expanded by pandas (year, month, day, day of week with Monday = 0,
  sin/cos of month, day of week and day of year), then StandardScaler, beside the scaled numbers.
- LogisticRegression(C=1, class_weight='balanced', lbfgs) on penguins' four standardized numbers
  (rows without missing cells), classes Adelie/Chinstrap/Gentoo: coef_ and intercept_ (multinomial).
"""
import json, math, os
import numpy as np
import pandas as pd
import sklearn
from sklearn.compose import ColumnTransformer
from sklearn.impute import MissingIndicator, SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

ROOT = os.path.join(os.path.dirname(__file__), '..', '..')
FIX = os.path.join(ROOT, 'test', 'fixtures', 'tables')
out = {'sklearn': sklearn.__version__, 'pandas': pd.__version__}

# penguins: numbers and text, missing cells
d = pd.read_csv(os.path.join(FIX, 'penguins.csv'))
num = ['bill_length_mm', 'bill_depth_mm', 'flipper_length_mm', 'body_mass_g', 'year']
cat = ['island', 'sex']
ct = ColumnTransformer([
    ('num', Pipeline([('impute', SimpleImputer(strategy='median')), ('scale', StandardScaler())]), num),
    ('missing', MissingIndicator(features='missing-only'), num),
    ('cat', Pipeline([('impute', SimpleImputer(strategy='constant', fill_value='(missing)')), ('onehot', OneHotEncoder())]), cat),
], sparse_threshold=0)
X = ct.fit_transform(d)
names = list(num)
names += [num[j] + '_missing' for j in ct.named_transformers_['missing'].features_]
for c, cats in zip(cat, ct.named_transformers_['cat'].named_steps['onehot'].categories_):
    names += [f'{c}={v}' for v in cats]
out['penguins'] = {'features': names, 'X': np.round(X, 7).tolist()}

# seattle-weather: a date column
w = pd.read_csv(os.path.join(FIX, 'seattle-weather.csv'))
t = pd.to_datetime(w['date'], format='%Y/%m/%d')
doy = t.dt.dayofyear - 1
ydays = np.where(t.dt.is_leap_year, 366, 365)
parts = pd.DataFrame({
    'date_year': t.dt.year, 'date_month': t.dt.month, 'date_day': t.dt.day, 'date_dayofweek': t.dt.dayofweek,
    'date_month_sin': np.sin(2 * math.pi * (t.dt.month - 1) / 12), 'date_month_cos': np.cos(2 * math.pi * (t.dt.month - 1) / 12),
    'date_dayofweek_sin': np.sin(2 * math.pi * t.dt.dayofweek / 7), 'date_dayofweek_cos': np.cos(2 * math.pi * t.dt.dayofweek / 7),
    'date_dayofyear_sin': np.sin(2 * math.pi * doy / ydays), 'date_dayofyear_cos': np.cos(2 * math.pi * doy / ydays),
})
for c in ['precipitation', 'temp_max', 'temp_min', 'wind']:
    parts[c] = w[c]
Xw = StandardScaler().fit_transform(parts.values)
out['seattle'] = {'features': list(parts.columns), 'X': np.round(Xw, 7).tolist()}

# class weights: balanced multinomial logistic regression
p = d.dropna(subset=num[:4])
Xp = StandardScaler().fit_transform(p[num[:4]].values)
yp = p['species'].values
lr = LogisticRegression(C=1.0, class_weight='balanced', tol=1e-10, max_iter=10000).fit(Xp, yp)
out['balancedLogistic'] = {
    'features': num[:4], 'classes': list(lr.classes_), 'rows': int(len(p)),
    'coef': lr.coef_.tolist(), 'intercept': lr.intercept_.tolist(),
}
with open(os.path.join(FIX, 'oracle.json'), 'w') as f:
    json.dump(out, f, separators=(',', ':'))
print('wrote', os.path.join(FIX, 'oracle.json'))
