/** What one request of a group comes to: its answer, or the refusal that is its answer. */
export type Settled<T> = { ok: true; value: T } | { ok: false; error: unknown };

interface Waiting<Item, Result> {
  item: Item;
  resolve: (value: Result) => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit: requests under one key (a case) that arrive while a group of
 * them is being committed wait, and are then committed together, in one
 * transaction with one write to disk, by `commit(key, items)`, which returns
 * one answer per item in order. Each request is answered once its group's
 * transaction is over. When a group fails as a whole (not a refusal of one
 * request, which is that request's answer), its requests are committed again
 * one by one, so that one bad request cannot fail the others.
 *
 * Nothing here outlives a request: it only orders the requests one process
 * has in hand; what must hold across processes is the database's job.
 */
export class GroupCommit<Item, Result> {
  private readonly waiting = new Map<string, Waiting<Item, Result>[]>();
  private readonly committing = new Set<string>();

  constructor(
    private readonly commit: (key: string, items: Item[]) => Promise<Settled<Result>[]>,
    /** The most requests one transaction takes. */
    private readonly maxGroup = 200,
  ) {}

  submit(key: string, item: Item): Promise<Result> {
    return new Promise<Result>((resolve, reject) => {
      const queue = this.waiting.get(key);
      if (queue) queue.push({ item, resolve, reject });
      else this.waiting.set(key, [{ item, resolve, reject }]);
      if (!this.committing.has(key)) {
        this.committing.add(key);
        // After the current turn of the event loop: requests that arrived together go together.
        setImmediate(() => void this.drain(key));
      }
    });
  }

  private async drain(key: string): Promise<void> {
    for (;;) {
      const queue = this.waiting.get(key) ?? [];
      const group = queue.splice(0, this.maxGroup);
      if (!queue.length) this.waiting.delete(key);
      if (!group.length) {
        this.committing.delete(key);
        return;
      }
      try {
        settle(group, await this.commit(key, group.map((w) => w.item)));
      } catch (error) {
        if (group.length === 1) group[0]!.reject(error);
        else for (const one of group) await this.commit(key, [one.item]).then((answers) => settle([one], answers), one.reject);
      }
      // One more turn of the event loop before the next group: requests held back while this group had the
      // database (their token lookups wait for the connection) join it, rather than wait for one group more.
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }
}

function settle<Item, Result>(group: Waiting<Item, Result>[], answers: Settled<Result>[]): void {
  group.forEach((waiting, i) => {
    const answer = answers[i];
    if (!answer) waiting.reject(new Error('the group commit gave no answer for this request'));
    else if (answer.ok) waiting.resolve(answer.value);
    else waiting.reject(answer.error);
  });
}
