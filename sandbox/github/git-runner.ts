// The parent side of the git helper process.
import { fork, type ChildProcess } from "node:child_process";

export interface RunnerReply {
  id: number;
  code: number;
  stdout: Uint8Array;
  stderr: string;
  message: string;
}

/** One long-lived helper process per sandbox that spawns git (see git-runner-child.mjs for why). */
export class GitRunner {
  private readonly pending = new Map<number, (reply: RunnerReply) => void>();
  private nextId = 0;

  private constructor(private readonly child: ChildProcess) {
    child.on("message", (reply: RunnerReply) => {
      this.pending.get(reply.id)?.(reply);
      this.pending.delete(reply.id);
    });
  }

  static start(): GitRunner {
    const path = new URL("./git-runner-child.mjs", import.meta.url);
    return new GitRunner(
      fork(path, [], {
        serialization: "advanced",
        stdio: ["ignore", "ignore", "inherit", "ipc"],
        execArgv: [],
      }),
    );
  }

  run(
    args: string[],
    input: string | Buffer | undefined,
    cwd: string,
    env: Record<string, string>,
  ): Promise<RunnerReply> {
    const id = ++this.nextId;
    return new Promise((resolve, reject) => {
      this.pending.set(id, resolve);
      this.child.send(
        { id, args, input: typeof input === "string" ? Buffer.from(input) : input, cwd, env },
        (error) => {
          if (error) {
            this.pending.delete(id);
            reject(error);
          }
        },
      );
    });
  }

  stop(): Promise<void> {
    return new Promise((resolve) => {
      if (this.child.exitCode !== null || this.child.signalCode !== null) return resolve();
      this.child.once("exit", () => resolve());
      this.child.disconnect();
    });
  }
}
