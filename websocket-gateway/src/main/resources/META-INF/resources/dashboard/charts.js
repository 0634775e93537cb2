// Line charts on <canvas>, drawn by hand: no library, no build step. window.LiveCharts.draw(canvas, options).
(() => {
  'use strict';

  const GRID = '#e6e9ef';
  const LABEL = '#667085';
  const FONT = '11px system-ui, sans-serif';

  // The smallest "round" number (1, 2 or 5 times a power of ten) at or above max / 4, times 4: a tidy y axis.
  function niceMax(max) {
    if (!(max > 0)) return 4;
    const step = max / 4;
    const power = 10 ** Math.floor(Math.log10(step));
    const nice = [1, 2, 5, 10].map((m) => m * power).find((v) => v >= step);
    return nice * 4;
  }

  function fit(canvas) {
    const ratio = window.devicePixelRatio || 1;
    const width = canvas.clientWidth || 400;
    const height = Number(canvas.getAttribute('height')) || 160;
    if (canvas.width !== Math.round(width * ratio)) {
      canvas.width = Math.round(width * ratio);
      canvas.height = Math.round(height * ratio);
      canvas.style.height = `${height}px`;
    }
    const ctx = canvas.getContext('2d');
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    return { ctx, width, height };
  }

  // options: {from, to (epoch ms), lines: [{color, points: [[t, value|null], …]}], format(value) → label}
  function draw(canvas, options) {
    const { ctx, width, height } = fit(canvas);
    const pad = { left: 44, right: 8, top: 8, bottom: 18 };
    const w = width - pad.left - pad.right;
    const h = height - pad.top - pad.bottom;
    const span = Math.max(1, options.to - options.from);
    let max = 0;
    options.lines.forEach((line) => line.points.forEach(([, v]) => { if (v != null && v > max) max = v; }));
    const top = niceMax(max);
    const x = (t) => pad.left + ((t - options.from) / span) * w;
    const y = (v) => pad.top + h - (v / top) * h;

    ctx.clearRect(0, 0, width, height);
    ctx.font = FONT;
    ctx.lineWidth = 1;
    ctx.strokeStyle = GRID;
    ctx.fillStyle = LABEL;
    ctx.textAlign = 'right';
    ctx.textBaseline = 'middle';
    for (let i = 0; i <= 4; i++) {
      const value = (top / 4) * i;
      const py = Math.round(y(value)) + 0.5;
      ctx.beginPath();
      ctx.moveTo(pad.left, py);
      ctx.lineTo(pad.left + w, py);
      ctx.stroke();
      ctx.fillText(options.format ? options.format(value) : String(value), pad.left - 6, py);
    }
    ctx.textAlign = 'center';
    ctx.textBaseline = 'top';
    const minutes = Math.floor(span / 60000);
    for (let m = 0; m <= minutes; m++) {
      const t = options.to - m * 60000;
      ctx.fillText(m === 0 ? 'now' : `-${m}m`, Math.min(x(t), pad.left + w - 12), pad.top + h + 4);
    }

    // a null value breaks the line: no sample in that second
    options.lines.forEach((line) => {
      ctx.strokeStyle = line.color;
      ctx.lineWidth = 1.75;
      ctx.lineJoin = 'round';
      ctx.beginPath();
      let drawing = false;
      line.points.forEach(([t, v]) => {
        if (v == null || t < options.from || t > options.to) {
          drawing = false;
          return;
        }
        if (drawing) ctx.lineTo(x(t), y(v)); else ctx.moveTo(x(t), y(v));
        drawing = true;
      });
      ctx.stroke();
      // a lone sample between two quiet seconds would be invisible as a line: show it as a dot
      ctx.fillStyle = line.color;
      line.points.forEach(([t, v], i) => {
        const before = line.points[i - 1];
        const after = line.points[i + 1];
        if (v != null && t >= options.from && (!before || before[1] == null) && (!after || after[1] == null)) {
          ctx.fillRect(x(t) - 1.5, y(v) - 1.5, 3, 3);
        }
      });
    });
  }

  window.LiveCharts = { draw };
})();
