// Shared by the backend's benchmark scripts (benchmark.ts, slo-benchmark.ts).

/** `--name N` from the command line, or `fallback`. */
export function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}

/** The p-th percentile (nearest rank) of ascending `sorted`. */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length) - 1;
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank))];
}

/** Just enough of `jest.fn` for @backstage/backend-test-utils' service mocks outside Jest. */
export function installJestShim() {
  const fn = (impl?: (...args: any[]) => any) => {
    let current = impl;
    const mock: any = (...args: any[]) => {
      mock.mock.calls.push(args);
      return current?.(...args);
    };
    mock.mock = { calls: [] as unknown[][] };
    mock.mockImplementation = (i: typeof impl) => {
      current = i;
      return mock;
    };
    mock.mockReturnValue = (v: unknown) => {
      current = () => v;
      return mock;
    };
    mock.mockResolvedValue = (v: unknown) => {
      current = async () => v;
      return mock;
    };
    return mock;
  };
  (globalThis as any).jest = { fn };
}
