// Preloaded into each replica by e2e/cluster/cluster.ts (never into a real
// deployment): on SIGUSR2 it collects garbage and writes process.memoryUsage()
// to DMP_MEMORY_PROBE_FILE, so the load script can tell a leak (live heap
// growing) from a heap that has merely grown to its working size (RSS).
const fs = require('node:fs');

const file = process.env.DMP_MEMORY_PROBE_FILE;
if (file && typeof global.gc === 'function') {
  process.on('SIGUSR2', () => {
    global.gc();
    fs.writeFileSync(file, JSON.stringify({ at: Date.now(), ...process.memoryUsage() }));
  });
}
