import { execFile, type ExecFileException } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

jest.setTimeout(30_000);

const bin = resolve(__dirname, '..', 'bin', 'local-aws');

function exitCode(error: ExecFileException | null): number | null {
  if (!error) return 0;
  return typeof error.code === 'number' ? error.code : null;
}

function run(
  args: string[],
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise(done => {
    execFile(bin, args, { timeout: 25_000 }, (error, stdout, stderr) => {
      done({
        code: exitCode(error),
        stdout,
        stderr,
      });
    });
  });
}

describe('local-aws CLI', () => {
  it('exits with 1 and says so when the port is taken', async () => {
    const blocker = createServer();
    await new Promise<void>(r => blocker.listen(0, '127.0.0.1', r));
    const port = (blocker.address() as { port: number }).port;
    const dataDir = mkdtempSync(join(tmpdir(), 'local-aws-cli-'));
    try {
      const result = await run([
        'start',
        '--port',
        String(port),
        '--data-dir',
        dataDir,
      ]);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(
        `Port ${port} on 127.0.0.1 is already in use`,
      );
    } finally {
      blocker.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('reset deletes the state files of a data dir', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'local-aws-cli-'));
    const state = join(dataDir, 'datazone-state.json');
    const journal = join(dataDir, 'moto-journal.jsonl');
    writeFileSync(state, '{}');
    writeFileSync(journal, '');
    const result = await run(['reset', '--data-dir', dataDir]);
    expect(result.code).toBe(0);
    expect(existsSync(state)).toBe(false);
    expect(existsSync(journal)).toBe(false);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('rejects unknown options with usage and exit code 2', async () => {
    const result = await run(['start', '--bogus']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('Usage: local-aws');
  });
});
