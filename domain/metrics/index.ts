export * from './calendar.ts';
export * from './churn.ts';
export * from './cohorts.ts';
export * from './conversion.ts';
export * from './decimal.ts';
export * from './movements.ts';
export * from './mrr.ts';
export * from './series.ts';
