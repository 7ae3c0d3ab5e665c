/** How a progress line shows its figures. */
export interface ProgressDetail {
  /** `bytes`: done and total are byte counts, shown in MB (the rate in MB/s). */
  unit?: 'bytes';
  /** Extra text after the figures (rows read, rows per second). */
  note?: string;
}

const MB = 1024 * 1024;
const mb = (n: number) => `${(n / MB).toLocaleString('en', { minimumFractionDigits: 1, maximumFractionDigits: 1 })} MB`;

/**
 * Progress for long steps. On a terminal: one line redrawn in place with a bar, counts, rate and
 * ETA; in logs (CI, pipes): a line at each 10% so output stays readable.
 */
export function progressPrinter(out: NodeJS.WriteStream = process.stderr) {
  const started = new Map<string, { at: number; done: number }>();
  const lastDecile = new Map<string, number>();
  return (label: string, done: number, total: number, detail: ProgressDetail = {}) => {
    const now = Date.now();
    if (!started.has(label)) started.set(label, { at: now, done });
    const start = started.get(label)!;
    const secs = Math.max((now - start.at) / 1000, 0.001);
    const bytes = detail.unit === 'bytes';
    // Bytes count from the first report: a resumed import starts part-way through its file.
    const rate = (bytes ? done - start.done : done) / secs;
    const finished = total > 0 && done >= total;
    const figures = bytes
      ? `${mb(done)}${total ? '/' + mb(total) : ''} (${mb(rate)}/s)`
      : `${done.toLocaleString('en')}${total ? '/' + total.toLocaleString('en') : ''} (${Math.round(rate).toLocaleString('en')}/s)`;
    const note = detail.note ? ` · ${detail.note}` : '';
    if (out.isTTY) {
      const width = 24;
      const frac = total > 0 ? Math.min(done / total, 1) : 0;
      const bar = total > 0 ? '[' + '#'.repeat(Math.round(frac * width)).padEnd(width, '.') + '] ' : '';
      const eta = total > 0 && rate > 0 && !finished ? ` ETA ${Math.ceil((total - done) / rate)}s` : '';
      out.write(`\r${label} ${bar}${figures}${eta}${note}   `);
      if (finished) out.write('\n');
      return;
    }
    const decile = total > 0 ? Math.floor((done / total) * 10) : -1;
    if (finished || decile > (lastDecile.get(label) ?? -1)) {
      lastDecile.set(label, decile);
      const pct = bytes && total > 0 ? ` ${Math.floor((done / total) * 100)}%` : '';
      out.write(`${label}:${pct} ${figures}${note}\n`);
    }
  };
}
