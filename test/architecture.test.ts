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

/**
 * What ARCHITECTURE.md's layout table says each part of src imports (a folder,
 * or a file such as `paths.ts`; a row may name several): every top-level part
 * of src its "imports" cell names. Parts named by more than one row are listed
 * apart.
 */
async function documentedImports(): Promise<{ table: Map<string, Set<string> | 'everything'>; rowOf: Map<string, string[]>; twice: string[] }> {
  const text = await readFile(join(PROJECT_ROOT, 'ARCHITECTURE.md'), 'utf8');
  const parts = await readdir(join(PROJECT_ROOT, 'src'));
  const table = new Map<string, Set<string> | 'everything'>();
  const rowOf = new Map<string, string[]>();
  const twice: string[] = [];
  for (const row of text.split('\n').filter((line) => line.startsWith('| `src/'))) {
    const cells = row.split(' | ');
    const named = [...cells[0]!.matchAll(/`src\/([\w.-]+)`/g)].map((m) => m[1]!).filter((part) => parts.includes(part));
    // What a cell says in parentheses explains a name; only the names outside them are imports.
    const cell = cells.at(-1)!.replace(/\|\s*$/, '').replace(/\([^)]*\)/g, '');
    for (const part of named) {
      if (table.has(part)) twice.push(part);
      rowOf.set(part, named);
      if (/^everything/.test(cell)) table.set(part, 'everything');
      else table.set(part, new Set(parts.filter((other) => !named.includes(other) && new RegExp(`(^|[^\\w/.-])${other.replace('.', '\\.')}(?![\\w-])`).test(cell))));
    }
  }
  return { table, rowOf, twice };
}

/** The top-level parts of src (folders, and files such as paths.ts) that a part's files import, itself and `besides` left out. */
async function actualImports(part: string, besides: readonly string[]): Promise<Set<string>> {
  const root = join(PROJECT_ROOT, 'src');
  const found = new Set<string>();
  const sources: string[] = [];
  if (part.endsWith('.ts')) sources.push(join(root, part));
  else for await (const file of files(join(root, part))) sources.push(file);
  for (const file of sources) {
    for (const [, spec] of (await readFile(file, 'utf8')).matchAll(/(?:from|import)\s*\(?\s*'(\.[^']+)'/g)) {
      const [top] = relative(root, join(file, '..', spec!)).split('/');
      if (top && top !== part && !besides.includes(top)) found.add(top);
    }
  }
  return found;
}

t.test("ARCHITECTURE.md's layout table names what each part of src imports, no more and no less", async (t) => {
  const { table, rowOf, twice } = await documentedImports();
  const parts = (await readdir(join(PROJECT_ROOT, 'src'), { withFileTypes: true })).filter((e) => e.isDirectory() || e.name.endsWith('.ts')).map((e) => e.name);
  t.same([...table.keys()].sort(), parts.sort(), 'the table has a row for each folder and file of src');
  t.same(twice, [], 'no part has two rows');
  for (const [part, documented] of table) {
    if (documented === 'everything') continue;
    // Parts that share a row are described together: what one imports of the other stays inside the row.
    t.same([...(await actualImports(part, rowOf.get(part)!))].sort(), [...documented].sort(), `src/${part}`);
  }
});
