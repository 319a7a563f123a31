import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';

/**
 * The secrets of access control. Session ids and API tokens are 256-bit random values; only their
 * SHA-256 digest is stored, which is enough because a random 256-bit value cannot be guessed (a
 * slow hash would only slow every request). Passwords are people's choices, so they get argon2id.
 */

export const passwordLengthMin = 12;
export const passwordLengthMax = 200;

/** OWASP's argon2id baseline (19 MiB, 2 passes) keeps a sign-in near 30 ms on one core. */
const argon2Options = { memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(password: string): Promise<string> {
  return hash(password, argon2Options);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

/**
 * A hash of a password nobody knows, checked when the e-mail is unknown so that the answer takes
 * as long as for a real account and does not reveal which e-mails exist.
 */
let decoyHash: Promise<string> | null = null;
export function decoyPasswordHash(): Promise<string> {
  decoyHash ??= hashPassword(randomSecret());
  return decoyHash;
}

export function randomSecret(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

export function sha256Hex(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

export function sameSecret(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/** API tokens look like `lgr_<random>` so that secret scanners and people recognise them. */
export const tokenPrefix = 'lgr_';
export function newApiToken(): string {
  return `${tokenPrefix}${randomSecret()}`;
}
