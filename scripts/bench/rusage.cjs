// Preloaded into each benchmarked child: reports its peak memory and CPU time on exit (read by scripts/bench-synth.ts).
process.on("exit", () => {
  const u = process.resourceUsage();
  process.stderr.write(`\n__BENCH_RUSAGE__ ${u.maxRSS} ${(u.userCPUTime + u.systemCPUTime) / 1e6}\n`);
});
