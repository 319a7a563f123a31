// Proves configuration is validated at start: defaults apply, and a bad variable is named.
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';

describe('loadConfig', () => {
  it('applies defaults on an empty environment (embedded PGlite in ./var, port 3000)', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ PORT: 3000, LEDGER_DATA_DIR: './var' });
    expect(config.DATABASE_URL).toBeUndefined();
    expect(loadConfig({ DATABASE_URL: '' }).DATABASE_URL).toBeUndefined();
    expect(config.KURRENTDB_URL).toBeUndefined();
  });

  it('names each bad variable', () => {
    const error = (() => {
      try {
        loadConfig({ PORT: 'abc', DATABASE_URL: 'mysql://x', KURRENTDB_URL: 'http://x' });
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems.map((p) => p.variable).sort()).toEqual([
      'DATABASE_URL',
      'KURRENTDB_URL',
      'PORT',
    ]);
  });
});
