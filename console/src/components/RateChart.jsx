// A live line chart (uPlot) of one quantity in and out of a stream over the last minute.
import React, { useEffect, useRef } from 'react';
import uPlot from 'uplot';

export function RateChart({ title, history, inKey, outKey, unit, testId }) {
  const el = useRef(null);
  const plot = useRef(null);
  useEffect(() => {
    const opts = {
      title, width: 520, height: 220,
      scales: { x: { time: true } },
      axes: [{}, { label: unit, size: 70 }],
      series: [{}, { label: 'in', stroke: '#228be6', width: 2 }, { label: 'out', stroke: '#40c057', width: 2 }],
    };
    plot.current = new uPlot(opts, [[], [], []], el.current);
    return () => plot.current.destroy();
  }, [title, unit]);
  useEffect(() => {
    plot.current?.setData([history.map((h) => h.t), history.map((h) => h[inKey]), history.map((h) => h[outKey])]);
  }, [history, inKey, outKey]);
  const latest = history.at(-1);
  return (
    <div data-testid={testId} data-in={latest ? latest[inKey] : 0} data-out={latest ? latest[outKey] : 0}
      data-points={history.length} ref={el} />
  );
}
