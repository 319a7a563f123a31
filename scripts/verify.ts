import cliProgress from 'cli-progress';
import type { Config } from '../app/config.ts';
import { openLedger } from '../app/runtime.ts';
import { verifyChains } from '../eventstore/verify.ts';

/** `ledger verify`: exit 0 with a summary, or 1 with the first break. */
export async function runVerify(config: Config, options: { json: boolean }): Promise<number> {
  // Verification reads and changes nothing: no migrations either (an auditor's run must not alter the schema).
  const ledger = await openLedger({ ...config, LOG_LEVEL: 'warn' }, { migrate: false });
  const bar =
    options.json || !process.stderr.isTTY
      ? null
      : new cliProgress.SingleBar(
          {
            format: 'verifying {streams} streams, {events} events',
            stream: process.stderr,
          },
          cliProgress.Presets.shades_classic,
        );
  bar?.start(0, 0, { streams: 0, events: 0 });
  try {
    const result = await verifyChains(ledger.store, (done) => bar?.update(0, done));
    bar?.stop();
    const { streams, events, heads } = result.summary;
    if (options.json) {
      process.stdout.write(
        `${JSON.stringify(result, (_k, v) => (typeof v === 'bigint' ? v.toString() : v), 2)}\n`,
      );
    } else if (result.ok) {
      process.stdout.write(`verify: OK — ${streams} streams, ${events} events, every hash chain intact\n`);
      for (const head of heads.slice(0, 20)) {
        process.stdout.write(`  ${head.streamName} @${head.revision} ${head.hash}\n`);
      }
      if (heads.length > 20)
        process.stdout.write(`  … and ${heads.length - 20} more heads (--json lists all)\n`);
    } else {
      const b = result.break;
      process.stdout.write(
        `verify: BROKEN at stream ${b.streamName}, revision ${b.revision} (${b.reason})\n` +
          `  expected hash ${b.expectedHash}\n  found hash    ${b.foundHash}\n` +
          `  (checked ${streams} streams and ${events} events before it)\n`,
      );
    }
    return result.ok ? 0 : 1;
  } finally {
    await ledger.close();
  }
}
