/**
 * Progress of a long command on standard error: a bar redrawn in place on a terminal, one line
 * per step otherwise (a log file or a pipe should not fill with carriage returns).
 */
export interface Progress {
  update(done: number, total: number, detail: string): void;
  finish(): void;
}

const WIDTH = 30;

export function progressOnStderr(label: string, stream: NodeJS.WriteStream = process.stderr): Progress {
  const tty = stream.isTTY === true;
  let drawn = false;
  return {
    update(done, total, detail) {
      if (!tty) {
        stream.write(`${label} ${done}/${total} ${detail}\n`);
        return;
      }
      const filled = total === 0 ? WIDTH : Math.round((done / total) * WIDTH);
      const bar = `${"█".repeat(filled)}${"░".repeat(WIDTH - filled)}`;
      const line = `${label} ${bar} ${done}/${total} ${detail}`;
      const columns = stream.columns ?? 100;
      stream.write(`\r${line.slice(0, columns - 1).padEnd(Math.min(columns - 1, line.length))}\x1b[K`);
      drawn = true;
    },
    finish() {
      if (tty && drawn) stream.write("\n");
    },
  };
}
