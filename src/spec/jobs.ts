// A fixed number of job slots shared by everything that takes a core: module compiles, links and
// emulator runs. Higher priority waiters go first, so the emulator never queues behind a build.

export class JobPool {
  private busy = 0;
  private waiting: { priority: number; start: () => void }[] = [];

  constructor(readonly slots: number) {}

  async run<T>(work: () => Promise<T>, priority = 0): Promise<T> {
    await this.acquire(priority);
    try {
      return await work();
    } finally {
      this.release();
    }
  }

  private acquire(priority: number): Promise<void> {
    if (this.busy < this.slots) {
      this.busy++;
      return Promise.resolve();
    }
    return new Promise((start) => {
      const at = this.waiting.findIndex((w) => w.priority < priority);
      this.waiting.splice(at === -1 ? this.waiting.length : at, 0, { priority, start });
    });
  }

  private release(): void {
    const next = this.waiting.shift();
    if (next) next.start();
    else this.busy--;
  }
}

/** Runs callers one at a time, in call order. */
export class Mutex {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(work: () => Promise<T>): Promise<T> {
    const result = this.tail.then(work);
    this.tail = result.catch(() => undefined);
    return result;
  }
}
