export * from './currency.ts';
export * from './format.ts';
export * from './money.ts';
export * from './rounding.ts';
export * from './schema.ts';
