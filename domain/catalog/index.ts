export * from './default-catalog.ts';
export * from './plan.decide.ts';
export * from './plan.ts';
export * from './pricing.ts';
export * from './offer.ts';
