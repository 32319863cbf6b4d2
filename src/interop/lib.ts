// The library values interop uses, taken from the public entry and nowhere else: the browser
// build maps this one module onto the prebuilt simdnet bundle, so interop's bundle shares its
// classes (instanceof holds, errors are the same types) instead of carrying a second copy.

export {
  Sequential, dense, dropout, batchNorm, ModelFormatError, ValidationError, LifecycleError, writeFileAtomic, defaultBackend,
  LogisticRegression, SoftmaxRegression, Perceptron, MLPClassifier, MLPRegressor, OneVsRestClassifier, OneVsOneClassifier,
  ColumnPipeline, parseDate,
} from '../index.js';
