/**
 * Progress on stderr: a cli-progress bar on a terminal, otherwise a line every few percent (so logs from
 * CI and pipes stay readable). Nothing is written when quiet.
 */
import cliProgress from 'cli-progress';

/** A progress reporter for a known number of steps. */
export interface Progress {
  update(done: number, detail?: string): void;
  stop(): void;
}

/** Starts a progress reporter titled `label` for `total` steps. */
export function startProgress(label: string, total: number, options: { quiet?: boolean } = {}): Progress {
  if (options.quiet || total === 0) return { update() {}, stop() {} };
  if (process.stderr.isTTY) {
    const bar = new cliProgress.SingleBar(
      { format: `${label} [{bar}] {value}/{total} {percentage}% | eta {eta_formatted} | {detail}`, stream: process.stderr, hideCursor: true },
      cliProgress.Presets.shades_classic,
    );
    bar.start(total, 0, { detail: '' });
    return { update: (done, detail = '') => bar.update(done, { detail }), stop: () => bar.stop() };
  }
  let lastPercent = -1;
  return {
    update(done) {
      const percent = Math.floor((done / total) * 100);
      if (percent >= lastPercent + 10 || done === total) {
        lastPercent = percent;
        process.stderr.write(`${label}: ${done}/${total} (${percent}%)\n`);
      }
    },
    stop() {},
  };
}
