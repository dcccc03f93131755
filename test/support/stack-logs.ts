import type { Stack } from './stack';

/** One process's log lines at warn and above, as `time level msg: error`, repeats counted. */
function warnings(output: string[]): string[] {
  const lines: string[] = [];
  let previous = '';
  let repeats = 0;
  const flush = (): void => void (previous && lines.push(repeats > 1 ? `${previous} (x${repeats})` : previous));
  for (const raw of output) {
    let line: string;
    try {
      const entry = JSON.parse(raw) as { level?: number; time?: number; msg?: string; err?: { message?: string } };
      if ((entry.level ?? 0) < 40) continue;
      line = `${new Date(entry.time ?? 0).toISOString().slice(11, 23)} ${entry.level} ${entry.msg ?? ''}: ${(entry.err?.message ?? '').slice(0, 300)}`;
    } catch {
      if (/^\s+at /.test(raw)) continue;
      line = raw.slice(0, 300);
    }
    if (line.replace(/^\S+ /, '') === previous.replace(/^\S+ /, '')) {
      repeats++;
      continue;
    }
    flush();
    [previous, repeats] = [line, 1];
  }
  flush();
  return lines;
}

/**
 * Runs a test `body` that breaks Redis on purpose; when it fails, prints what the stack's gateway
 * and workers logged at warn and above (the story of the outage), then fails with the same error.
 */
export async function withLogsOnFailure(stack: Stack, body: () => Promise<void>): Promise<void> {
  try {
    await body();
  } catch (error) {
    for (const [name, handle] of [
      ['gateway', stack.gateway],
      ...stack.workers.map((worker, index) => [`worker ${index}`, worker] as const),
    ] as const) {
      process.stdout.write(
        `# ${name} warnings and errors:\n${warnings(handle.output)
          .map((line) => `#   ${line}`)
          .join('\n')}\n`,
      );
    }
    throw error;
  }
}
