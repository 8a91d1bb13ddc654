import { z } from 'zod';

/** Every setting of the service, read once from the environment. */
export const Config = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATA_DIR: z.string().min(1).default('./data'),
  /** Empty: SQLite in DATA_DIR. */
  DATABASE_URL: z
    .string()
    .regex(/^(sqlite:|file:|postgres(ql)?:\/\/)/, 'DATABASE_URL must start with sqlite:, file: or postgres://')
    .optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Reviewer approvals a case needs to move from in_review to approved. */
  REVIEW_APPROVALS: z.coerce.number().int().min(1).max(20).default(2),
  /** Largest request body accepted, in bytes. */
  BODY_LIMIT: z.coerce.number().int().min(1024).max(50 * 1024 * 1024).default(1024 * 1024),
  /** Largest source text accepted by upload, in bytes. */
  SOURCE_LIMIT: z.coerce.number().int().min(1024).max(50 * 1024 * 1024).default(5 * 1024 * 1024),
  /** Failed authentications allowed per client address and minute. */
  AUTH_FAILURES_PER_MINUTE: z.coerce.number().int().min(1).max(10000).default(30),
  /** The case imported from evidence/ on first start. */
  SEED_CASE: z.string().default('nso-group'),
});
export type Config = z.infer<typeof Config>;

export class ConfigError extends Error {}

/** Parses the environment; a bad value stops start-up with a message naming the variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = Config.safeParse(Object.fromEntries(Object.entries(env).filter(([, v]) => v !== '')));
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}${i.path.length ? ` (got "${env[String(i.path[0])]}")` : ''}`);
    throw new ConfigError(`invalid configuration:\n${lines.join('\n')}`);
  }
  return parsed.data;
}
