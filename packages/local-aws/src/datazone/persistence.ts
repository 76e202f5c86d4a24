import {
  promises as fs,
  readFileSync,
  existsSync,
  renameSync,
  writeFileSync,
  mkdirSync,
} from 'node:fs';
import { dirname } from 'node:path';
import { emptyState, type DataZoneState } from './state';
import { DataZoneStore } from './store';

/**
 * Keeps the stand-in's state in one JSON file: loaded on start, written atomically
 * (temp file + rename) shortly after changes, and flushed on stop. Writes are coalesced
 * so a burst of mutations (a seed, a benchmark) costs one write, not one per call.
 */
export class StatePersistence {
  private timer?: NodeJS.Timeout;
  private writing: Promise<void> = Promise.resolve();
  private dirty = false;

  constructor(
    private readonly file: string,
    private readonly store: DataZoneStore,
    private readonly delayMs = 200,
  ) {
    store.onChange(() => this.schedule());
  }

  static load(file: string): DataZoneState {
    if (!existsSync(file)) return emptyState();
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as DataZoneState;
    if (parsed.format !== emptyState().format) {
      throw new Error(
        `${file} is not a local DataZone state file (format ${String(
          parsed.format,
        )})`,
      );
    }
    return { ...emptyState(), ...parsed };
  }

  private schedule() {
    this.dirty = true;
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.flush();
    }, this.delayMs);
    this.timer.unref();
  }

  async flush(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    this.writing = this.writing.then(async () => {
      if (!this.dirty) return;
      this.dirty = false;
      const tmp = `${this.file}.${process.pid}.tmp`;
      await fs.mkdir(dirname(this.file), { recursive: true });
      await fs.writeFile(tmp, JSON.stringify(this.store.state));
      await fs.rename(tmp, this.file);
    });
    return this.writing;
  }

  /** For exit paths that cannot wait on promises. */
  flushSync() {
    if (!this.dirty) return;
    this.dirty = false;
    mkdirSync(dirname(this.file), { recursive: true });
    const tmp = `${this.file}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(this.store.state));
    renameSync(tmp, this.file);
  }
}
