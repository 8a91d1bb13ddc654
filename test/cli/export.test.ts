import t from 'tap';
import { parse } from 'yaml';
import { runCommand } from '../helpers/command.ts';

const exportCli = (...args: string[]) => runCommand('export', args);

t.test('npm run export -- --format ftm writes one entity per line to standard output', async (t) => {
  const { code, stdout } = await exportCli('--case', 'nso-group', '--format', 'ftm');
  t.equal(code, 0);
  const entities = stdout.trimEnd().split('\n').map((l) => JSON.parse(l));
  t.ok(entities.some((e) => e.schema === 'Sanction' && e.properties.entity[0] === entities[0].id));
});

t.test('--format case writes the case file back', async (t) => {
  const { code, stdout } = await exportCli('--format', 'case');
  t.equal(code, 0);
  t.equal(parse(stdout).id, 'nso-group');
});

t.test('an unknown format or case is refused with a one-line message', async (t) => {
  t.match(await exportCli('--format', 'csv'), { code: 1, stderr: /--format "csv" is not known/ });
  t.match(await exportCli('--case', 'acme'), { code: 1, stderr: /no case "acme"/ });
});
