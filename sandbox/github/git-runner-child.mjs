// Runs git for the sandbox in a small child process: spawning from a big test process (Jest)
// costs ~70 ms per call, from this one a few ms. Requests and replies travel over IPC.
import { execFile } from "node:child_process";

process.on("message", (msg) => {
  const { id, args, input, cwd, env } = msg;
  const child = execFile(
    "git",
    args,
    { cwd, env, encoding: "buffer", maxBuffer: 64 * 1024 * 1024 },
    (error, stdout, stderr) => {
      const code = error ? (typeof error.code === "number" ? error.code : -1) : 0;
      process.send({
        id,
        code,
        stdout,
        stderr: stderr.toString("utf8"),
        message: error ? error.message : "",
      });
    },
  );
  if (input !== undefined) child.stdin.end(Buffer.from(input));
});
process.on("disconnect", () => process.exit(0));
