import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import t from 'tap';
import { PROJECT_ROOT } from '../src/paths.ts';

const DOMAIN = ['sources', 'criteria', 'evidence', 'dossier', 'cases', 'auth', 'mapping', 'shared'];
const FORBIDDEN = /from ['"](fastify|@fastify\/[\w-]+|pdfkit|better-sqlite3|kysely|pg|handlebars)['"/]/;

async function* files(dir: string): AsyncGenerator<string> {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* files(path);
    else if (entry.name.endsWith('.ts')) yield path;
  }
}

t.test('the domain imports no web framework, PDF library, template engine or database driver', async (t) => {
  for (const folder of DOMAIN) {
    for await (const file of files(join(PROJECT_ROOT, 'src', folder))) {
      const source = await readFile(file, 'utf8');
      t.notMatch(source, FORBIDDEN, relative(PROJECT_ROOT, file));
    }
  }
});

t.test('only src/render/pdf knows pdfkit', async (t) => {
  for await (const file of files(join(PROJECT_ROOT, 'src'))) {
    const path = relative(PROJECT_ROOT, file);
    if (path.startsWith('src/render/pdf/')) continue;
    t.notMatch(await readFile(file, 'utf8'), /from ['"]pdfkit['"]/, path);
  }
});

t.test('only src/store knows Kysely and the database drivers', async (t) => {
  for await (const file of files(join(PROJECT_ROOT, 'src'))) {
    const path = relative(PROJECT_ROOT, file);
    if (path.startsWith('src/store/')) continue;
    t.notMatch(await readFile(file, 'utf8'), /from ['"](kysely|better-sqlite3|pg)['"/]/, path);
  }
});
