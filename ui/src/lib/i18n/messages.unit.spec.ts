// Proves both languages carry the same keys and the same placeholders, and that translation fills them.
import { describe, expect, it } from 'vitest';
import { en, fr, type MessageKey, translate, translateDynamic } from './messages.ts';

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('messages', () => {
  it('gives every French key an English message with the same placeholders', () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(fr).sort());
    for (const key of Object.keys(fr) as MessageKey[]) {
      expect(placeholders(en[key]), key).toEqual(placeholders(fr[key]));
      expect(en[key].trim(), key).not.toBe('');
    }
  });

  it.each([
    ['fr', 'auth.signIn', undefined, 'Se connecter'],
    ['en', 'auth.signIn', undefined, 'Sign in'],
    ['fr', 'app.signedInAs', { email: 'a@b.sn' }, 'Connecté en tant que a@b.sn'],
    ['en', 'pay.imported', { matched: 3, unmatched: 1 }, 'Statement imported: 3 matched, 1 to review.'],
    ['en', 'app.signedInAs', {}, 'Signed in as {email}'],
  ] as const)('%s %s', (locale, key, params, expected) => {
    expect(translate(locale, key, params)).toBe(expected);
  });

  it('falls back to the raw value for keys it does not know', () => {
    expect(translateDynamic('fr', 'status.paid', 'paid')).toBe('Payée');
    expect(translateDynamic('fr', 'status.unheard_of', 'unheard_of')).toBe('unheard_of');
  });
});
