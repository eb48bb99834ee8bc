import { execFile } from "node:child_process";
import { promisify } from "node:util";

/**
 * The undici entries of `process.moduleLoadList` in a process that only imports `node:http` as
 * an ES module, on the Node running the tests: none on Node 20; on Node 24, `node:http` exports
 * `WebSocket` from undici and an ES import reads every export, so undici is loaded for any ES
 * module that imports `node:http` (Probot's server too). A process that uses the GitHub transport
 * must load no more of it than that.
 */
export const undiciWithHttpAlone = async (): Promise<string[]> => {
  const { stdout } = await promisify(execFile)(process.execPath, [
    "--input-type=module",
    "-e",
    "import 'node:http'; console.log(JSON.stringify(process.moduleLoadList.filter((m) => m.includes('undici'))))",
  ]);
  return JSON.parse(stdout) as string[];
};
