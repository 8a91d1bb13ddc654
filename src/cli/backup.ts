import { databaseSettings } from '../config.ts';
import { BackupError, backupSqlite } from '../store/backup.ts';
import { isPostgresUrl, sqlitePath } from '../store/database.ts';
import { commandConfig, parseCommandLine, runCli, UsageError } from './run.ts';

const USAGE = 'usage: npm run backup -- FILE [--force]';

/** Copies the service's SQLite database to FILE while the service runs: `npm run backup -- FILE [--force]`. */
await runCli(async () => {
  const parsed = parseCommandLine({ options: { force: { type: 'boolean', default: false } }, allowPositionals: true }, USAGE);
  const [file, ...extra] = parsed.positionals;
  if (file === undefined || !file.trim()) throw new UsageError(`name the FILE to write the backup to (${USAGE})`);
  if (extra.length) throw new UsageError(`one FILE only, got also "${extra[0]}" (${USAGE})`);
  const config = commandConfig();
  if (isPostgresUrl(config.DATABASE_URL)) {
    throw new UsageError('DATABASE_URL names PostgreSQL: back it up with pg_dump (see "Backup and restore" in the README); this command copies SQLite only');
  }
  try {
    const done = await backupSqlite(sqlitePath(databaseSettings(config)), file, { force: parsed.values.force });
    process.stdout.write(`backed up ${done.source} to ${done.destination} (${done.pages} pages, ${(done.bytes / 1024).toFixed(0)} KiB)\n`);
  } catch (error) {
    if (error instanceof BackupError) throw new UsageError(error.message);
    throw error;
  }
});
