/**
 * Short messages for results ("Invoice issued."), read out by screen readers through the polite
 * live region in `Toasts.svelte`. Errors stay until dismissed; successes fade after a few seconds.
 */
export type ToastKind = 'success' | 'error' | 'info';

export interface Toast {
  readonly id: number;
  readonly kind: ToastKind;
  readonly text: string;
}

const visibleMax = 5;
const successTimeoutMs = 5000;

export const toasts = $state<Toast[]>([]);
let nextId = 1;

export function dismiss(id: number): void {
  const index = toasts.findIndex((t) => t.id === id);
  if (index >= 0) toasts.splice(index, 1);
}

export function toast(text: string, kind: ToastKind = 'success'): void {
  const id = nextId++;
  toasts.push({ id, kind, text });
  while (toasts.length > visibleMax) toasts.shift();
  if (kind !== 'error') setTimeout(() => dismiss(id), successTimeoutMs);
}
