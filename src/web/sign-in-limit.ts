/**
 * Failed sign-ins per client address and minute, as the API counts failed
 * bearer tokens: only failures count, so that an honest team signing in does
 * not pay for an attacker's guesses. Kept in this instance's memory, bounded.
 */
export class SignInLimit {
  readonly #failures = new Map<string, { count: number; since: number }>();

  constructor(
    readonly perMinute: number,
    readonly now: () => number = Date.now,
  ) {}

  blocked(address: string): boolean {
    const entry = this.#failures.get(address);
    return !!entry && this.now() - entry.since < 60_000 && entry.count >= this.perMinute;
  }

  fail(address: string): void {
    const now = this.now();
    const entry = this.#failures.get(address);
    if (!entry || now - entry.since >= 60_000) this.#failures.set(address, { count: 1, since: now });
    else entry.count++;
    for (const key of this.#failures.keys()) {
      if (this.#failures.size <= 10_000) break;
      this.#failures.delete(key);
    }
  }
}
