export * from './overdue-risk.ts';
