/**
 * `npm run bench` (`node --import tsx bench/run.ts [--quick | --smoke]`): runs each
 * figure of issue 6 for the gateway and its raw baseline in one invocation,
 * prints one JSON object per figure line on stdout, writes bench/RESULTS.md
 * (a full run) or bench/.runs/. Progress and a verdict per figure line go to
 * stderr; child logs go to a temporary directory. Exits 1 when a figure broke
 * (an error, or a side that measured nothing), never because of a figure's value.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { enqueueBulk, enqueueSingle } from './figures/enqueue';
import { endToEnd } from './figures/end-to-end';
import { eventLatency } from './figures/event-latency';
import { fanout } from './figures/fanout';
import { fanoutLatency } from './figures/fanout-latency';
import { flows } from './figures/flows';
import { manySubscriptions, memory } from './figures/memory';
import { pollingVsPush } from './figures/polling-vs-push';
import { sse } from './figures/sse';
import { tracing } from './figures/tracing';
import { cleanRun } from './lib/cleanup';
import { FigureContext, type Figure, type RunContext } from './lib/context';
import { gatewayLauncher, type GatewayLauncher } from './lib/gateway';
import { stopAllChildren } from './lib/ipc';
import { machineInfo } from './lib/machine';
import { parseOptions, runDeadlineMs, USAGE, type FigureName, type Options } from './lib/options';
import { startPrivateRedis, useExternalRedis } from './lib/redis-server';
import { figureResult, toJsonLine, writeMarkdown, type FigureResult } from './lib/report';

const ALL: Record<FigureName, Figure> = {
  'enqueue-single': enqueueSingle,
  'enqueue-bulk': enqueueBulk,
  'event-latency': eventLatency,
  fanout,
  'fanout-latency': fanoutLatency,
  memory,
  'many-subscriptions': manySubscriptions,
  sse,
  'polling-vs-push': pollingVsPush,
  flows,
  tracing,
  'end-to-end': endToEnd,
};

const started = performance.now();
const loadAtStart = loadavg()[0] ?? 0;
const log = (message: string): void =>
  void process.stderr.write(`[bench +${((performance.now() - started) / 1000).toFixed(1)}s] ${message}\n`);

function failed(name: string, error: unknown): FigureResult {
  const message = error instanceof Error ? error.message : String(error);
  return figureResult({
    figure: name,
    unit: '',
    target: { kind: 'none' },
    gateway: null,
    baseline: null,
    skipped: `error: ${message.split('\n')[0]}`,
  });
}

/** Units of counts per second: zero of them means nothing got through. */
const COUNTED_UNITS: ReadonlySet<string> = new Set(['jobs/s', 'deliveries/s']);

/**
 * Why a figure line shows its figure broken, or null: an error, a side without a value, nothing
 * counted. A line's value against its target never counts, so a loaded machine fails no run.
 */
function brokenBy(result: FigureResult): string | null {
  if (result.skipped) return result.skipped;
  if (result.gateway === null) return 'the gateway side has no value';
  if (result.baseline === null) return 'the baseline side has no value';
  if (COUNTED_UNITS.has(result.unit) && (result.gateway <= 0 || result.baseline <= 0)) return `nothing counted (${result.unit})`;
  return null;
}

/** Logs one verdict per figure line and returns how many are broken; `--no-gateway` skips are not. */
function judgeRun(results: readonly FigureResult[], launcher: GatewayLauncher): number {
  let broken = 0;
  for (const result of results) {
    const reason = brokenBy(result);
    const values = `gateway ${result.gateway ?? '–'}, baseline ${result.baseline ?? '–'}${result.unit ? ` ${result.unit}` : ''}`;
    if (reason === null) log(`ok       ${result.figure}: ${values}`);
    else if (!launcher.available && reason.includes(launcher.reason)) log(`skipped  ${result.figure}: ${reason}`);
    else {
      broken += 1;
      log(`BROKEN   ${result.figure}: ${reason} (${values})`);
    }
  }
  log(`${results.length} figure lines, ${broken} broken`);
  return broken;
}

async function runFigures(
  run: RunContext,
  figures: readonly Figure[],
  results: FigureResult[],
  onContext: (ctx: FigureContext | null) => void,
): Promise<void> {
  for (const figure of figures) {
    const ctx = new FigureContext(run, figure.name);
    onContext(ctx);
    log(`${figure.name}: start`);
    try {
      const lines = await figure.run(ctx);
      if (lines.length === 0) throw new Error('it reported no figure line');
      for (const result of lines) {
        process.stdout.write(`${toJsonLine(result)}\n`);
        results.push(result);
      }
    } catch (error) {
      log(`${figure.name}: ${error instanceof Error ? error.stack : String(error)}`);
      const result = failed(figure.name, error);
      process.stdout.write(`${toJsonLine(result)}\n`);
      results.push(result);
    } finally {
      await ctx.close();
      onContext(null);
    }
  }
}

async function main(options: Options): Promise<void> {
  const runId = randomBytes(4).toString('hex');
  const logDir = mkdtempSync(path.join(tmpdir(), `jobgate-bench-${runId}-`));
  const redis = options.redisUrl ? await useExternalRedis(options.redisUrl) : await startPrivateRedis(logDir);
  const run: RunContext = {
    profile: options.profile,
    prefix: `jgbench-${runId}`,
    redis,
    logDir,
    launcher: gatewayLauncher(options.gateway, options.cpuProf ? logDir : null),
    queues: [],
    log,
  };
  log(`run ${runId} (${options.profile.mode}); Redis ${redis.url}${redis.private ? ' (private)' : ''}; logs in ${logDir}`);
  if (loadAtStart > 0.5) log(`load average is ${loadAtStart.toFixed(2)}: other work on this machine will skew the figures`);
  const figures = options.figures.map((name) => ALL[name]);
  const results: FigureResult[] = [];
  let current: FigureContext | null = null;
  const finishRun = async (): Promise<void> => {
    await current?.close();
    await stopAllChildren();
    mkdirSync(path.dirname(options.out), { recursive: true });
    writeMarkdown(options.out, results, {
      machine: machineInfo(
        redis.version,
        redis.private ? 'private redis-server started by the bench' : `external ${redis.url}`,
        loadAtStart,
      ),
      mode: options.profile.mode,
      command: `node --import tsx bench/run.ts ${process.argv.slice(2).join(' ')}`.trim(),
      elapsedS: (performance.now() - started) / 1000,
      notes: figures.map((f) => f.note(options.profile)),
    });
    const removed = await cleanRun(redis.url, run.prefix, run.queues).catch(
      (error: unknown) => (log(`cleanup failed: ${String(error)}`), 0),
    );
    log(`cleaned ${run.queues.length} queues and ${removed} stray keys under ${run.prefix}-*; wrote ${options.out}`);
    await redis.stop();
  };
  // Once: an abort and the run's own end can both ask, and a second cleanup reaching for the Redis
  // the first had stopped retried its connection forever, so the aborted run never exited.
  let finishing: Promise<void> | undefined;
  const finish = (): Promise<void> => (finishing ??= finishRun());
  const abort = (reason: string): void => {
    log(`aborting: ${reason}`);
    void finish().finally(() => process.exit(1));
  };
  const deadlineMs = runDeadlineMs(options);
  const deadline = setTimeout(() => abort(`run exceeded ${deadlineMs / 1000} s`), deadlineMs);
  process.once('SIGINT', () => abort('SIGINT'));
  process.once('SIGTERM', () => abort('SIGTERM'));
  await runFigures(run, figures, results, (ctx) => (current = ctx));
  clearTimeout(deadline);
  await finish();
  if (judgeRun(results, run.launcher) > 0) process.exitCode = 1;
  log(`done in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

if (process.argv.includes('--help')) {
  process.stdout.write(`${USAGE}\n`);
} else {
  let options: Options | null = null;
  try {
    options = parseOptions(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 2;
  }
  if (options) {
    main(options).catch((error: unknown) => {
      log(`fatal: ${error instanceof Error ? error.stack : String(error)}`);
      void stopAllChildren().finally(() => process.exit(1));
    });
  }
}
