import { Command } from 'commander';
import { type Config, ConfigError, loadConfig } from '../app/config.ts';

/**
 * `ledger <command>`: one binary for every role and every operator task. Configuration comes from
 * the environment; a bad variable is named and the process exits with code 2.
 */
function config(): Config {
  try {
    return loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
}

const program = new Command()
  .name('ledger')
  .description('SmartQueue Ledger — event-sourced billing ledger')
  .showHelpAfterError();

program
  .command('serve')
  .description('run the service (API, projectors, scheduler; LEDGER_ROLE picks one)')
  .option('-p, --port <port>', 'port to listen on (default PORT or 3000)')
  .action(async (options: { port?: string }) => {
    const { serve } = await import('./serve.ts');
    const c = config();
    await serve(options.port === undefined ? c : { ...c, PORT: Number.parseInt(options.port, 10) });
  });

program
  .command('demo')
  .description('run the service with demo data on the embedded default (seeds on first run)')
  .action(async () => {
    const { serve } = await import('./serve.ts');
    await serve(config(), { demo: true });
  });

program
  .command('migrate')
  .description('apply pending migrations to the database')
  .action(async () => {
    const { openLedger } = await import('../app/runtime.ts');
    const ledger = await openLedger(config());
    await ledger.close();
    process.stdout.write('migrations: up to date\n');
  });

program
  .command('verify')
  .description('recompute every stream hash chain; exit 1 at the first break')
  .option('--json', 'print the result as JSON')
  .action(async (options: { json?: boolean }) => {
    const { runVerify } = await import('./verify.ts');
    process.exitCode = await runVerify(config(), { json: options.json === true });
  });

const user = program.command('user').description('manage the people who sign in to the API');
user
  .command('create')
  .description(
    'create a user (the first super-admin comes from here); password from LEDGER_USER_PASSWORD or a prompt',
  )
  .requiredOption('--email <email>', 'e-mail address, used to sign in')
  .requiredOption('--role <role>', 'superadmin, accountant, auditor, tenant_admin or service')
  .option('--tenant <tenantId>', 'the tenant of a tenant_admin or service user')
  .action(async (options: { email: string; role: string; tenant?: string }) => {
    const { runCreateUser } = await import('./user.ts');
    process.exitCode = await runCreateUser(config(), options);
  });

program
  .command('rebuild')
  .description('rebuild read models beside the live ones from the whole log, then swap them in')
  .argument('[names...]', 'projections to rebuild (default: all)')
  .option('--check', 'freeze the live rows, rebuild to the same position and fail on any checksum difference')
  .option('--json', 'print the report as JSON')
  .option('--no-progress', 'no progress bar')
  .action(async (names: string[], options: { check?: boolean; json?: boolean; progress: boolean }) => {
    const { runRebuild } = await import('./rebuild.ts');
    process.exitCode = await runRebuild(config(), names, {
      check: options.check === true,
      json: options.json === true,
      progress: options.progress,
    });
  });

const projectionsCommand = program.command('projections').description('inspect and operate the projectors');
projectionsCommand
  .command('status')
  .description('position, lag, lease and error of every projection; exit 1 when one is stopped')
  .option('--json', 'print as JSON')
  .action(async (options: { json?: boolean }) => {
    const { runProjectionStatus } = await import('./rebuild.ts');
    process.exitCode = await runProjectionStatus(config(), { json: options.json === true });
  });
projectionsCommand
  .command('retry')
  .description('after a fix, run a projection stopped by a poison event again from that event')
  .argument('<name>', 'the projection')
  .action(async (name: string) => {
    const { runProjectionRetry } = await import('./rebuild.ts');
    process.exitCode = await runProjectionRetry(config(), name);
  });

program
  .command('seed')
  .description('fill an empty store with a realistic, deterministic demo history (same seed, same events)')
  .option('--seed <n>', 'the PRNG seed', '42')
  .option('--tenants <n>', 'tenants to create', '200')
  .option('--years <n>', 'years of history, ending today (or --until)', '2')
  .option('--until <date>', 'the last simulated day, YYYY-MM-DD (default: today in Africa/Dakar)')
  .option('--force', 'seed even when the store already holds events')
  .option('--no-progress', 'no progress bar')
  .action(
    async (options: {
      seed: string;
      tenants: string;
      years: string;
      until?: string;
      force?: boolean;
      progress: boolean;
    }) => {
      const { runSeed } = await import('./seed.ts');
      process.exitCode = await runSeed(config(), {
        seed: Number.parseInt(options.seed, 10),
        tenants: Number.parseInt(options.tenants, 10),
        years: Number(options.years),
        until: options.until,
        force: options.force === true,
        progress: options.progress,
      });
    },
  );

const bench = program.command('bench').description('measure throughput beside a baseline in the same run');
bench
  .command('eventstore')
  .description('appends (1, 8, 32 writers; single and 100-event batches) and log reads vs plain SQL')
  .option('--seconds <n>', 'seconds per measurement', '5')
  .option('--write <file>', 'also write the table into this markdown file (docs/performance.md)')
  .option('--writers <list>', 'comma-separated writer counts', '1,8,32')
  .action(async (options: { seconds: string; write?: string; writers: string }) => {
    const { benchEventStore } = await import('./bench/eventstore.ts');
    await benchEventStore(config(), {
      seconds: Number(options.seconds),
      write: options.write,
      writers: options.writers.split(',').map((w) => Number.parseInt(w, 10)),
    });
  });

bench
  .command('projections')
  .description(
    'rebuild every read model from a generated history, beside reading the same events (the ceiling)',
  )
  .option('--events <n>', 'events to generate', '1000000')
  .option(
    '--write <file>',
    'also write the table into its section of this markdown file (docs/performance.md)',
  )
  .option('--keep', 'keep the generated history (its schema is printed) instead of dropping it')
  .option('--reuse <schema>', 'measure on a history kept by an earlier --keep run instead of generating one')
  .action(async (options: { events: string; write?: string; keep?: boolean; reuse?: string }) => {
    const { benchProjections } = await import('./bench/projections.ts');
    await benchProjections(config(), {
      events: Number(options.events),
      write: options.write,
      keep: options.keep === true || options.reuse !== undefined,
      reuse: options.reuse,
    });
  });

bench
  .command('api')
  .description('invoice list (page of 50) and dashboard MRR through HTTP vs a bare Fastify route')
  .option('--seconds <n>', 'seconds per measurement', '5')
  .option('--tenants <n>', 'tenants seeded', '10000')
  .option('--invoices-per-tenant <n>', 'invoices seeded per tenant', '10')
  .option('--connections <n>', 'concurrent connections', '20')
  .option(
    '--write <file>',
    'also put the table under "## HTTP API" in this markdown file (docs/performance.md)',
  )
  .action(
    async (options: {
      seconds: string;
      tenants: string;
      invoicesPerTenant: string;
      connections: string;
      write?: string;
    }) => {
      const { benchApi } = await import('./bench/api.ts');
      await benchApi(config(), {
        seconds: Number(options.seconds),
        tenants: Number(options.tenants),
        invoicesPerTenant: Number(options.invoicesPerTenant),
        connections: Number(options.connections),
        write: options.write,
      });
    },
  );

await program.parseAsync(process.argv);
