import { type ChildProcess, fork } from "node:child_process";
import type { SinkCommand, SinkReply } from "./fanout-sink.ts";

export type SinkStats = Extract<SinkReply, { type: "stats" }>;

/** The fake outside world as a child process, so it does not compete for our event loop. */
export class Sink {
  private constructor(
    readonly child: ChildProcess,
    readonly ports: number[],
  ) {}

  static async start(instances: number): Promise<Sink> {
    const child = fork(new URL("./fanout-sink.ts", import.meta.url).pathname, [], {
      execArgv: ["--import", "tsx"],
      env: { ...process.env, SINK_INSTANCES: String(instances) },
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    });
    const ports = await new Promise<number[]>((resolve, reject) => {
      child.once("exit", (code) => reject(new Error(`sink exited early (${code})`)));
      child.once("message", (reply: SinkReply) => {
        if (reply.type === "ready") resolve(reply.ports);
      });
    });
    child.removeAllListeners("exit");
    return new Sink(child, ports);
  }

  stats(): Promise<SinkStats> {
    return new Promise((resolve, reject) => {
      const onExit = (code: number | null) => reject(new Error(`the sink died (exit code ${code})`));
      const onMessage = (reply: SinkReply) => {
        if (reply.type !== "stats") return;
        this.child.off("message", onMessage);
        this.child.off("exit", onExit);
        resolve(reply);
      };
      this.child.once("exit", onExit);
      this.child.on("message", onMessage);
      this.child.send({ type: "stats" } satisfies SinkCommand);
    });
  }

  async stop(): Promise<void> {
    if (this.child.exitCode != null) return;
    const exited = new Promise((resolve) => this.child.once("exit", resolve));
    this.child.send({ type: "stop" } satisfies SinkCommand);
    await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
    if (this.child.exitCode == null) this.child.kill("SIGKILL");
  }
}
