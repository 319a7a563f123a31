export * from './entitlements.ts';
export * from './period.ts';
export * from './proration.ts';
export * from './subscription.decide.ts';
export * from './subscription.ts';
