// Whose turn it is to write to the SQLite file, among this process's connections. The main
// connection and the telemetry writer thread (decision 0006) both take SQLite's write lock; when
// one finds it held, SQLite's busy handler sleeps — and on the main thread that sleep stops the
// event loop (measured: a third of the main thread in an alert storm). Taking turns here first,
// with a promise, means this process's writers wait for each other without blocking anything, in
// the order they asked. Other processes (a CLI import beside the server) still meet the busy
// handler, as before.

export class WriteTurn {
  private held = false;
  private readonly queue: Array<() => void> = [];

  /** Resolves with the function that ends the turn, once every earlier holder has ended theirs. */
  acquire(): Promise<() => void> {
    if (!this.held) {
      this.held = true;
      return Promise.resolve(this.releaser());
    }
    return new Promise((resolve) => this.queue.push(() => resolve(this.releaser())));
  }

  private releaser(): () => void {
    let done = false;
    return () => {
      if (done) return;
      done = true;
      const next = this.queue.shift();
      if (next) next();
      else this.held = false;
    };
  }
}
