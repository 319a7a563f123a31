import type { GlobalPosition } from '../port.ts';

/**
 * PostgreSQL log positions are the pair (transaction id, global position), encoded as two
 * zero-padded decimal numbers so that string order is log order.
 */
export const positionWidth = 20;

export function encodePosition(transactionId: string, globalPosition: string): GlobalPosition {
  return `${transactionId.padStart(positionWidth, '0')}:${globalPosition.padStart(positionWidth, '0')}`;
}

export function decodePosition(position: GlobalPosition): { transactionId: string; globalPosition: string } {
  if (position === '') return { transactionId: '0', globalPosition: '0' };
  const match = /^(\d{1,20}):(\d{1,20})$/.exec(position);
  if (match === null) throw new TypeError(`not a PostgreSQL log position: ${position}`);
  return { transactionId: BigInt(match[1]!).toString(), globalPosition: BigInt(match[2]!).toString() };
}
