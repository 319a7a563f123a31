import { existsSync, readFileSync, writeFileSync } from 'node:fs';

/**
 * Replaces (or appends) one `## heading` section of docs/performance.md, leaving the other benches'
 * sections as they are: each `ledger bench …` owns its own section.
 */
export function writeSection(path: string, heading: string, intro: string, body: string): void {
  const text = existsSync(path) ? readFileSync(path, 'utf8') : '# Performance\n';
  const section = `## ${heading}\n\n${intro}\n\n${body}\n`;
  const start = text.indexOf(`\n## ${heading}\n`);
  if (start === -1) {
    writeFileSync(path, `${text.trimEnd()}\n\n${section}`);
    return;
  }
  const next = text.indexOf('\n## ', start + 1);
  writeFileSync(path, `${text.slice(0, start + 1)}${section}${next === -1 ? '' : text.slice(next)}`);
}
