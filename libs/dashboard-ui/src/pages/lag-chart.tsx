import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import { duration } from '../components';

/** Pixels of the chart's plot height; its width follows the page. */
const CHART_HEIGHT_PX = 160;

/**
 * A group's lag over the samples the dashboard kept (up to an hour), drawn by uPlot on a canvas.
 * The figure's caption says in words what the canvas shows (first, last, highest), for screen readers.
 */
export function LagChart({ at, lag, label }: { at: number[]; lag: number[]; label: string }) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = box.current;
    if (!el || at.length < 2) return;
    const chart = new uPlot(
      {
        width: Math.max(320, el.clientWidth),
        height: CHART_HEIGHT_PX,
        legend: { show: false },
        scales: { x: { time: true } },
        series: [{}, { label: 'lag', stroke: '#0b57d0', width: 2, fill: 'rgba(11, 87, 208, 0.08)' }],
        axes: [{}, { size: 70 }],
      },
      [at.map((ms) => ms / 1000), lag],
      el,
    );
    return () => chart.destroy();
  }, [at, lag]);
  if (at.length < 2) return <p class="muted">The lag chart needs two samples (the dashboard samples every group's lag every lagSampleIntervalMs).</p>;
  const span = duration((at[at.length - 1] as number) - (at[0] as number));
  return (
    <figure class="chart" data-testid="lag-chart">
      <div ref={box} role="img" aria-label={`${label} over the last ${span}`} />
      <figcaption class="muted">
        Lag over the last {span}: from {lag[0]} to {lag[lag.length - 1]}, at most {Math.max(...lag)} ({at.length} samples).
      </figcaption>
    </figure>
  );
}
