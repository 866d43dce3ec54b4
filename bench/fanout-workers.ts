import { type ChildProcess, spawn } from "node:child_process";
import { createInterface } from "node:readline";

const ROOT = new URL("../", import.meta.url).pathname;

export interface Workers {
  pids: number[];
  stop(): Promise<void>;
}

/**
 * `count` queue workers as separate `npm start` processes with NODE_TYPE=worker on the same
 * database, as an operator would run them next to a web process (BENCH_WORKERS). Their stdout
 * carries logs, so it goes to our stderr; only warnings and errors are passed on.
 */
export async function startWorkers(count: number, env: Record<string, string>): Promise<Workers> {
  const children: ChildProcess[] = [];
  const ready: Promise<void>[] = [];
  for (let i = 0; i < count; i++) {
    const child = spawn(process.execPath, ["--import", "tsx", "server/main.ts"], {
      cwd: ROOT,
      env: { ...process.env, ...env, NODE_TYPE: "worker", LOG_LEVEL: "info" },
      stdio: ["ignore", "pipe", "inherit"],
    });
    children.push(child);
    ready.push(
      new Promise((resolve, reject) => {
        child.once("exit", (code) => reject(new Error(`worker ${i} exited (${code})`)));
        createInterface({ input: child.stdout as NodeJS.ReadableStream }).on("line", (line) => {
          if (line.includes("Queue worker started")) resolve();
          else if (/\[(WRN|ERR|FTL)\]/.test(line)) process.stderr.write(`[worker ${i}] ${line}\n`);
        });
      }),
    );
  }
  await Promise.all(ready);
  for (const child of children) child.removeAllListeners("exit");
  return {
    pids: children.map((c) => c.pid ?? 0),
    async stop() {
      await Promise.all(
        children.map(async (child) => {
          if (child.exitCode != null) return;
          const exited = new Promise((resolve) => child.once("exit", resolve));
          child.kill("SIGTERM");
          await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
          if (child.exitCode == null) child.kill("SIGKILL");
        }),
      );
    },
  };
}
