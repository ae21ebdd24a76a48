/** Waits until `done()` holds, checking every 10 ms, for at most `ms`: tests then wait no longer than they must, on a busy machine as on an idle one. */
export async function until(done: () => boolean, ms = 5000): Promise<void> {
  const giveUpAt = Date.now() + ms;
  while (!done()) {
    if (Date.now() > giveUpAt) throw new Error(`condition not met within ${ms} ms: ${done.toString()}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
