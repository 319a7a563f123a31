import { getContext } from 'svelte';
import type { Readable } from 'svelte/store';

/** The part of LayerCake's context the chart kit reads: stores of the drawing area and scales. */
export interface LinearScale {
  (value: number): number;
  invert(pixel: number): number;
  domain(): number[];
}

export interface CakeContext {
  readonly width: Readable<number>;
  readonly height: Readable<number>;
  readonly xScale: Readable<LinearScale>;
  readonly yScale: Readable<LinearScale>;
}

export function cake(): CakeContext {
  return getContext<CakeContext>('LayerCake');
}
