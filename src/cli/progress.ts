/**
 * Progress for long steps. On a terminal: one line redrawn in place with a bar, counts, rate and
 * ETA; in logs (CI, pipes): a line at each 10% so output stays readable.
 */
export function progressPrinter(out: NodeJS.WriteStream = process.stderr) {
  const started = new Map<string, number>();
  const lastDecile = new Map<string, number>();
  return (label: string, done: number, total: number) => {
    const now = Date.now();
    if (!started.has(label)) started.set(label, now);
    const secs = Math.max((now - started.get(label)!) / 1000, 0.001);
    const rate = done / secs;
    const finished = total > 0 && done >= total;
    if (out.isTTY) {
      const width = 24;
      const frac = total > 0 ? Math.min(done / total, 1) : 0;
      const bar = total > 0 ? '[' + '#'.repeat(Math.round(frac * width)).padEnd(width, '.') + '] ' : '';
      const eta = total > 0 && rate > 0 && !finished ? ` ETA ${Math.ceil((total - done) / rate)}s` : '';
      out.write(`\r${label} ${bar}${done.toLocaleString('en')}${total ? '/' + total.toLocaleString('en') : ''} (${Math.round(rate).toLocaleString('en')}/s)${eta}   `);
      if (finished) out.write('\n');
      return;
    }
    const decile = total > 0 ? Math.floor((done / total) * 10) : -1;
    if (finished || decile > (lastDecile.get(label) ?? -1)) {
      lastDecile.set(label, decile);
      out.write(`${label}: ${done.toLocaleString('en')}${total ? '/' + total.toLocaleString('en') : ''} (${Math.round(rate).toLocaleString('en')}/s)\n`);
    }
  };
}
