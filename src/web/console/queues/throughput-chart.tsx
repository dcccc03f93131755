import { useId } from 'react';

/** Finished jobs per minute, newest first as `Queue.completed/failed.perMinute` gives them (the first is the minute in progress). */
export interface Throughput {
  completed: readonly number[];
  failed: readonly number[];
}

const MINUTES = 60;
const sum = (values: readonly number[]): number => values.reduce((total, value) => total + value, 0);

/** Oldest first, padded with zeros to a full hour, so x grows with time. */
const chronological = (newestFirst: readonly number[]): number[] => {
  const hour = newestFirst.slice(0, MINUTES);
  return [...hour, ...Array<number>(MINUTES - hour.length).fill(0)].reverse();
};

/** The points of a line over `width` × `height`, with `peak` at the top. */
function points(values: readonly number[], width: number, height: number, peak: number): string {
  const step = width / (values.length - 1);
  return values.map((value, index) => `${(index * step).toFixed(1)},${(height - (value / peak) * height).toFixed(1)}`).join(' ');
}

const summary = ({ completed, failed }: Throughput): string =>
  `${sum(completed.slice(0, MINUTES))} completed and ${sum(failed.slice(0, MINUTES))} failed in the last 60 minutes`;

/** A queue's last hour as two tiny lines (completed, failed) for a table cell. */
export function Sparkline({ throughput }: { throughput: Throughput }) {
  const width = 120;
  const height = 24;
  const completed = chronological(throughput.completed);
  const failed = chronological(throughput.failed);
  const peak = Math.max(1, ...completed, ...failed);
  return (
    <svg className="sparkline" viewBox={`0 0 ${width} ${height}`} width={width} height={height} role="img" aria-label={summary(throughput)}>
      <polyline className="line-completed" points={points(completed, width, height, peak)} />
      <polyline className="line-failed" points={points(failed, width, height, peak)} />
    </svg>
  );
}

const PLOT = { left: 36, right: 8, top: 8, bottom: 24, width: 600, height: 180 };

/** A queue's completed and failed jobs per minute over the last hour, with axes and a legend. */
export function ThroughputChart({ throughput }: { throughput: Throughput }) {
  const titleId = useId();
  const descId = useId();
  const completed = chronological(throughput.completed);
  const failed = chronological(throughput.failed);
  const peak = Math.max(1, ...completed, ...failed);
  const innerWidth = PLOT.width - PLOT.left - PLOT.right;
  const innerHeight = PLOT.height - PLOT.top - PLOT.bottom;
  const xTicks = [
    { minute: 0, label: '60 min ago' },
    { minute: 30, label: '30 min ago' },
    { minute: MINUTES - 1, label: 'now' },
  ];
  return (
    <figure className="throughput" data-testid="throughput-chart">
      <svg viewBox={`0 0 ${PLOT.width} ${PLOT.height}`} role="img" aria-labelledby={titleId} aria-describedby={descId}>
        <title id={titleId}>Completed and failed jobs per minute, last 60 minutes</title>
        <desc id={descId}>{summary(throughput)}</desc>
        <g transform={`translate(${PLOT.left} ${PLOT.top})`}>
          <line className="axis" x1={0} y1={innerHeight} x2={innerWidth} y2={innerHeight} />
          <line className="axis" x1={0} y1={0} x2={0} y2={innerHeight} />
          <text className="tick" x={-6} y={4} textAnchor="end">
            {peak}
          </text>
          <text className="tick" x={-6} y={innerHeight} textAnchor="end">
            0
          </text>
          {xTicks.map(({ minute, label }) => (
            <text
              key={label}
              className="tick"
              x={(minute / (MINUTES - 1)) * innerWidth}
              y={innerHeight + 16}
              textAnchor={minute === 0 ? 'start' : minute === MINUTES - 1 ? 'end' : 'middle'}
            >
              {label}
            </text>
          ))}
          <polyline className="line-completed" points={points(completed, innerWidth, innerHeight, peak)} />
          <polyline className="line-failed" points={points(failed, innerWidth, innerHeight, peak)} />
        </g>
      </svg>
      <figcaption>
        <span className="legend legend-completed">completed</span> <span className="legend legend-failed">failed</span> per minute
      </figcaption>
    </figure>
  );
}
