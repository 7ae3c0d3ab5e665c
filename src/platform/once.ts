/**
 * A load that runs once, on first need, and is shared by everyone waiting for it; a failed load is
 * forgotten, so the next caller tries again (a registry built before its migrations ran, say).
 */
export class Once {
  private running: Promise<void> | null = null;

  run(load: () => Promise<void>): Promise<void> {
    this.running ??= load().catch((err) => {
      this.running = null;
      throw err;
    });
    return this.running;
  }

  /** Marks the load as done (the data was filled another way). */
  done(): void {
    this.running = Promise.resolve();
  }
}
