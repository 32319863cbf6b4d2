// The HTML training report.

export { trainingReport } from './report.js';
export type { TrainingReportOptions, ReportEvaluation, ModelDescription } from './report.js';
export type { DecisionRegionData } from './decision.js';
export type { ReportRegression } from './regression.js';
