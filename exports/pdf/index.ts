export * from './document.ts';
export * from './render.ts';
export * from './seller.ts';
