import { type ChildProcess, spawn } from "node:child_process";
import { createInterface } from "node:readline";

const ROOT = new URL("../", import.meta.url).pathname;

export interface Processes {
  pids: number[];
  stop(): Promise<void>;
}

/**
 * `count` processes of our server started as `npm start` starts it (the bundle, through
 * scripts/run.ts), on the bench's database: the instance itself (NODE_TYPE=all or web) and, with
 * BENCH_WORKERS, the worker processes an operator would run beside it. Their stdout carries
 * logs, so only warnings and errors are passed on to our stderr. Resolves once each logged `ready`.
 * BENCH_CPU_PROFILE=<folder> starts them with `--cpu-prof` (Node refuses it in NODE_OPTIONS):
 * one .cpuprofile per thread, written when the process exits, for Chrome DevTools.
 */
export async function startServers(
  count: number,
  env: Record<string, string>,
  ready: string,
  label: string,
): Promise<Processes> {
  const children: ChildProcess[] = [];
  const started: Promise<void>[] = [];
  for (let i = 0; i < count; i++) {
    const profile = process.env.BENCH_CPU_PROFILE;
    const nodeArgs = profile ? ["--cpu-prof", `--cpu-prof-dir=${profile}`] : [];
    const child = spawn(process.execPath, [...nodeArgs, "scripts/run.ts", "server"], {
      cwd: ROOT,
      env: { ...process.env, ...env, LOG_LEVEL: "info" },
      stdio: ["ignore", "pipe", "inherit"],
    });
    children.push(child);
    started.push(
      new Promise((resolve, reject) => {
        child.once("exit", (code) => reject(new Error(`${label} ${i} exited (${code})`)));
        createInterface({ input: child.stdout as NodeJS.ReadableStream }).on("line", (line) => {
          if (line.includes(ready)) resolve();
          else if (/\[(WRN|ERR|FTL)\]/.test(line)) process.stderr.write(`[${label} ${i}] ${line}\n`);
        });
      }),
    );
  }
  await Promise.all(started);
  for (const child of children) child.removeAllListeners("exit");
  return {
    pids: children.map((c) => c.pid ?? 0),
    async stop() {
      await Promise.all(
        children.map(async (child) => {
          if (child.exitCode != null) return;
          const exited = new Promise((resolve) => child.once("exit", resolve));
          child.kill("SIGTERM");
          await Promise.race([exited, new Promise((r) => setTimeout(r, 15_000))]);
          if (child.exitCode == null) child.kill("SIGKILL");
        }),
      );
    },
  };
}
