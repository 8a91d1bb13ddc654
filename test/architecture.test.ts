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

/** What ARCHITECTURE.md's layout table says a folder of src imports: every top-level part of src its "imports" cell names. */
async function documentedImports(): Promise<Map<string, Set<string> | 'everything'>> {
  const text = await readFile(join(PROJECT_ROOT, 'ARCHITECTURE.md'), 'utf8');
  const entries = await readdir(join(PROJECT_ROOT, 'src'), { withFileTypes: true });
  const parts = entries.map((e) => e.name);
  const folders = entries.filter((e) => e.isDirectory()).map((e) => e.name);
  const table = new Map<string, Set<string> | 'everything'>();
  for (const row of text.split('\n').filter((line) => line.startsWith('| `src/'))) {
    const cells = row.split(' | ');
    const folder = /^\| `src\/([\w.-]+)`/.exec(row)![1]!;
    if (!folders.includes(folder)) continue;
    // What a cell says in parentheses explains a name; only the names outside them are imports.
    const cell = cells.at(-1)!.replace(/\|\s*$/, '').replace(/\([^)]*\)/g, '');
    if (/^everything/.test(cell)) table.set(folder, 'everything');
    else table.set(folder, new Set(parts.filter((part) => part !== folder && new RegExp(`(^|[^\\w/.-])${part.replace('.', '\\.')}(?![\\w-])`).test(cell))));
  }
  return table;
}

/** The top-level parts of src (folders, and files such as paths.ts) that a folder's files import. */
async function actualImports(folder: string): Promise<Set<string>> {
  const root = join(PROJECT_ROOT, 'src');
  const found = new Set<string>();
  for await (const file of files(join(root, folder))) {
    for (const [, spec] of (await readFile(file, 'utf8')).matchAll(/(?:from|import)\s*\(?\s*'(\.[^']+)'/g)) {
      const [top] = relative(root, join(file, '..', spec!)).split('/');
      if (top && top !== folder) found.add(top);
    }
  }
  return found;
}

t.test("ARCHITECTURE.md's layout table names what each folder of src imports, no more and no less", async (t) => {
  const table = await documentedImports();
  const folders = (await readdir(join(PROJECT_ROOT, 'src'), { withFileTypes: true })).filter((e) => e.isDirectory()).map((e) => e.name);
  t.same([...table.keys()].sort(), folders.sort(), 'the table has a row for each folder of src');
  for (const [folder, documented] of table) {
    if (documented === 'everything') continue;
    t.same([...(await actualImports(folder))].sort(), [...documented].sort(), `src/${folder}`);
  }
});
