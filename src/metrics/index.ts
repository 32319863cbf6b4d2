// Evaluation metrics: confusion matrix, classification scores and report, log loss, regression errors.

export { confusionMatrix, formatConfusionMatrix } from './confusion.js';
export type { ConfusionMatrix, ConfusionMatrixOptions, FormatConfusionMatrixOptions } from './confusion.js';
export {
  accuracy,
  misclassificationRate,
  precision,
  recall,
  sensitivity,
  specificity,
  f1,
  classCounts,
} from './classification.js';
export type { Average, ScoreOptions, AveragedScoreOptions, PerClassScoreOptions, ClassCounts } from './classification.js';
export { classificationReport } from './report.js';
export type { ClassificationReport, ClassificationReportOptions, ClassReportRow, ClassScores } from './report.js';
export { logLoss } from './logloss.js';
export type { LogLossOptions } from './logloss.js';
export { meanSquaredError, meanAbsoluteError, r2 } from './regression.js';
export type { Targets } from './regression.js';
export { quantiles, quantileSorted, fiveNumbers } from './quantiles.js';
export type { FiveNumbers } from './quantiles.js';
