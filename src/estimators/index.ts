// scikit-learn-style estimators on the WASM core: linear models, the perceptron, MLPs and the
// one-vs-rest / one-vs-one wrappers.

export { LogisticRegression, SoftmaxRegression } from './linear.js';
export type { LinearOptions, LinearSolver, LinearClassifierJSON } from './linear.js';
export { Perceptron } from './perceptron.js';
export type { PerceptronOptions, PerceptronJSON } from './perceptron.js';
export { MLPClassifier, MLPRegressor } from './mlp.js';
export type { MLPOptions, MLPJSON } from './mlp.js';
export { OneVsRestClassifier, OneVsOneClassifier } from './multiclass.js';
export type { ClassifierFactory, MulticlassOptions, MulticlassJSON } from './multiclass.js';
export type { Classifier, ClassList, EstimatorJSON } from './base.js';
export { lbfgs } from './lbfgs.js';
export type { LbfgsOptions, LbfgsResult, Objective } from './lbfgs.js';
