// A node:test reporter that prints, when the run ends, the test files that took longest: the sum of
// their top-level tests' durations (hooks of a describe count, module loading does not). CI has a
// 20-minute budget; this shows where it goes.
export default async function* slowest(source) {
  const spent = new Map();
  for await (const event of source) {
    if ((event.type !== 'test:pass' && event.type !== 'test:fail') || event.data.nesting !== 0 || !event.data.file) continue;
    spent.set(event.data.file, (spent.get(event.data.file) ?? 0) + (event.data.details?.duration_ms ?? 0));
  }
  const rows = [...spent].sort((a, b) => b[1] - a[1]);
  const total = rows.reduce((s, [, ms]) => s + ms, 0);
  yield `\nslowest test files (seconds in their tests; ${rows.length} files, ${(total / 1000).toFixed(0)} s in all):\n`;
  for (const [file, ms] of rows.slice(0, 25)) yield `${(ms / 1000).toFixed(1).padStart(7)}  ${file.replace(process.cwd() + '/', '')}\n`;
}
