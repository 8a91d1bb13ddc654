import { availableParallelism } from 'node:os';
import { z } from 'zod';
import { DEFAULT_RENDER_HEAP_MB } from './render/render-memory.ts';
import { DEFAULT_RENDER_QUEUE } from './render/render-queue.ts';
import type { DatabaseSettings } from './store/database.ts';

/** A whole number written as plain digits: "0x50", "1e3" or " " are refused, not read as numbers. */
const integer = (min: number, max: number, fallback: number) =>
  z
    .string()
    .regex(/^\d+$/, 'must be a whole number written in digits')
    .transform(Number)
    .pipe(z.int().min(min).max(max))
    .default(fallback);

/** What Fastify (proxy-addr) takes as a trusted proxy: an address, a CIDR range, or one of its named ranges. */
const ProxyAddress = z.union([z.ipv4(), z.ipv6(), z.cidrv4(), z.cidrv6(), z.enum(['loopback', 'linklocal', 'uniquelocal'])]);

/** Every setting of the service, read once from the environment. */
export const Config = z.object({
  PORT: integer(0, 65535, 3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATA_DIR: z.string().min(1).default('./data'),
  /** Empty: SQLite in DATA_DIR; postgres://… for PostgreSQL, which several instances can share. */
  DATABASE_URL: z
    .string()
    .regex(/^(sqlite:|file:|postgres(ql)?:\/\/)/, 'DATABASE_URL must start with sqlite:, file: or postgres://')
    .optional(),
  /** With PostgreSQL: connections each instance opens at most (the server's max_connections is shared by every instance). */
  DATABASE_POOL_SIZE: integer(1, 1000, 10),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Reviewer approvals a case needs to move from in_review to approved. */
  REVIEW_APPROVALS: integer(1, 20, 2),
  /** Largest request body accepted, in bytes. */
  BODY_LIMIT: integer(1024, 50 * 1024 * 1024, 1024 * 1024),
  /** Largest source text accepted by upload, in bytes. */
  SOURCE_LIMIT: integer(1024, 50 * 1024 * 1024, 5 * 1024 * 1024),
  /** Failed authentications allowed per client address and minute. */
  AUTH_FAILURES_PER_MINUTE: integer(1, 10000, 30),
  /** The case imported from evidence/ on first start. */
  SEED_CASE: z.string().default('nso-group'),
  /**
   * Which proxies to believe about the client's address (X-Forwarded-For), for the
   * failed-authentication limit behind a load balancer: empty (none), `true` (any),
   * a number of hops, or addresses and CIDR ranges separated by commas.
   */
  TRUST_PROXY: z
    .string()
    .trim()
    .min(1)
    .transform((v, ctx): boolean | number | string[] => {
      if (v === 'true' || v === 'false') return v === 'true';
      if (/^\d+$/.test(v)) return Number(v);
      const addresses = v.split(',').map((a) => a.trim()).filter(Boolean);
      // Checked here, where the variable is named: Fastify would stop at start with only "invalid IP address".
      for (const address of addresses) {
        if (!ProxyAddress.safeParse(address).success) ctx.addIssue({ code: 'custom', message: `"${address}" is not an IP address, a CIDR range, loopback, linklocal or uniquelocal` });
      }
      return addresses;
    })
    .optional(),
  /** Worker threads that render PDFs, off the event loop: by default one per processor the machine runs in parallel. */
  RENDER_WORKERS: integer(1, 256, Math.max(1, availableParallelism())),
  /**
   * Heap of each render thread in MB; a dossier that needs more is refused (503) and its thread replaced.
   * A thread needs about 20 MB to start; below the floor every render would fail as the thread starts.
   */
  RENDER_HEAP_MB: integer(48, 65_536, DEFAULT_RENDER_HEAP_MB),
  /** Renders that may wait for a busy render thread; one more is refused at once (503 with Retry-After) instead of held in memory. */
  RENDER_QUEUE: integer(0, 10_000, DEFAULT_RENDER_QUEUE),
  /** Empty: rendered PDFs are cached in the database; a directory: cached there as files (shared if the instances share it). */
  PDF_CACHE_DIR: z.string().min(1).optional(),
  /** How many rendered draft PDFs the cache keeps, the newest; 0 turns the cache off. */
  PDF_CACHE_ENTRIES: integer(0, 100_000, 200),
  /** Signs the web pages' session cookies; empty: a random secret made on first start and kept in the database, shared by every instance. */
  SESSION_SECRET: z.string().min(32, 'SESSION_SECRET must be at least 32 characters').optional(),
});
export type Config = z.infer<typeof Config>;

export class ConfigError extends Error {}

/** Where the database is, as the service and every command that opens it read it from the configuration. */
export const databaseSettings = (config: Config): DatabaseSettings => ({ dataDir: config.DATA_DIR, databaseUrl: config.DATABASE_URL, poolSize: config.DATABASE_POOL_SIZE });

/** Settings whose values are secrets. */
const SECRETS = new Set(['SESSION_SECRET', 'DATABASE_URL']);

/** Parses the environment; a bad value stops start-up with a message naming the variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = Config.safeParse(Object.fromEntries(Object.entries(env).filter(([, v]) => v !== '')));
  if (!parsed.success) {
    // A secret's value is never echoed: the message ends up in logs.
    const got = (name: string) => (SECRETS.has(name) ? ` (got ${env[name]?.length ?? 0} characters)` : ` (got "${env[name]}")`);
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}${i.path.length ? got(String(i.path[0])) : ''}`);
    throw new ConfigError(`invalid configuration:\n${lines.join('\n')}`);
  }
  return parsed.data;
}
