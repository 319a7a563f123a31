import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import { AccountError, createUser } from '../api/auth/accounts.ts';
import { type Role, roleSchema } from '../api/auth/permissions.ts';
import { passwordLengthMax, passwordLengthMin } from '../api/auth/secrets.ts';
import type { Config } from '../app/config.ts';
import { openLedger } from '../app/runtime.ts';

export interface CreateUserOptions {
  readonly email: string;
  readonly role: string;
  readonly tenant?: string;
}

/** Reads a password from the terminal without echoing it. */
async function promptPassword(question: string): Promise<string> {
  let muted = false;
  const output = new Writable({
    write(chunk, _encoding, callback) {
      if (!muted) process.stderr.write(chunk);
      callback();
    },
  });
  const rl = createInterface({ input: process.stdin, output, terminal: true });
  try {
    return await new Promise<string>((resolve) => {
      rl.question(question, (answer) => resolve(answer));
      muted = true;
    });
  } finally {
    rl.close();
    process.stderr.write('\n');
  }
}

/**
 * `ledger user create`: the way the first super-admin comes to exist (later users can also be
 * made through the API). The password comes from LEDGER_USER_PASSWORD, or is asked for twice.
 * Returns the process exit code.
 */
export async function runCreateUser(config: Config, options: CreateUserOptions): Promise<number> {
  const role = roleSchema.safeParse(options.role);
  if (!role.success) {
    process.stderr.write(`--role must be one of ${roleSchema.options.join(', ')}\n`);
    return 2;
  }
  let password = process.env.LEDGER_USER_PASSWORD;
  if (password === undefined || password === '') {
    if (!process.stdin.isTTY) {
      process.stderr.write('set LEDGER_USER_PASSWORD, or run in a terminal to be asked\n');
      return 2;
    }
    password = await promptPassword('password: ');
    const again = await promptPassword('again: ');
    if (again !== password) {
      process.stderr.write('the two passwords differ\n');
      return 2;
    }
  }
  if (password.length < passwordLengthMin || password.length > passwordLengthMax) {
    process.stderr.write(`a password has ${passwordLengthMin} to ${passwordLengthMax} characters\n`);
    return 2;
  }
  const ledger = await openLedger(config);
  try {
    const user = await createUser(ledger.db, {
      email: options.email,
      password,
      role: role.data as Role,
      tenantId: options.tenant ?? null,
    });
    process.stdout.write(`user ${user.userId} <${user.email}> created as ${user.role}\n`);
    return 0;
  } catch (error) {
    if (error instanceof AccountError) {
      process.stderr.write(`${error.message}\n`);
      return 1;
    }
    throw error;
  } finally {
    await ledger.close();
  }
}
