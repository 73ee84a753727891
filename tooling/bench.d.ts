/** Runs every `<dir>/*.bench.ts` in name order and keeps their rows in `<dir>/results/`. */
export function runBenchFolder(dir: string): Promise<void>
