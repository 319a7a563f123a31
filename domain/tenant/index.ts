export * from './tenant.decide.ts';
export * from './tenant.ts';
