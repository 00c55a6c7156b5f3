/**
 * Boot marks (performance marks the benchmark reads): each is set once per page load, at the
 * first time it happens (`segnote:first-result`: the first cell the engine answered, of any kind;
 * `segnote:kept-results`: the last visit's results first on screen).
 */
export function markOnce(name: string, startTime = performance.now()): void {
  if (performance.getEntriesByName(name).length === 0) performance.mark(name, { startTime });
}
