/**
 * The programs the runner drives, from Debian's packages in its image:
 * sqlite3, pg_dump and pg_restore, tar and age. Each run either succeeds or
 * rejects with the program's own last words.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";

export interface ToolRun {
  stdout: string;
  stderr: string;
}

const lastWords = (text: string): string => text.trim().split("\n").slice(-5).join(" / ");

/** Runs `command` to its end; rejects unless it exits 0. */
export function run(command: string, args: readonly string[], input?: string): Promise<ToolRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: [input === undefined ? "ignore" : "pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout?.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", (error) => reject(new Error(`${command} could not run: ${error.message}`)));
    child.on("close", (code, signal) => {
      if (code === 0) resolve({ stdout, stderr });
      else reject(new Error(`${command} failed (${signal ?? `exit ${code}`}): ${lastWords(stderr || stdout)}`));
    });
    if (input !== undefined) child.stdin?.end(input);
  });
}

/** `first | second`, both to their end; rejects unless both exit 0. */
export function pipe(first: [string, readonly string[]], second: [string, readonly string[]]): Promise<void> {
  return new Promise((resolve, reject) => {
    const left = spawn(first[0], first[1], { stdio: ["ignore", "pipe", "pipe"] });
    const right = spawn(second[0], second[1], { stdio: ["pipe", "ignore", "pipe"] });
    left.stdout.pipe(right.stdin);
    const errors = { left: "", right: "" };
    left.stderr.on("data", (chunk: Buffer) => (errors.left += chunk.toString()));
    right.stderr.on("data", (chunk: Buffer) => (errors.right += chunk.toString()));
    const ended = (child: ChildProcess, name: string, side: "left" | "right") =>
      new Promise<void>((done, fail) => {
        child.on("error", (error) => fail(new Error(`${name} could not run: ${error.message}`)));
        child.on("close", (code, signal) =>
          code === 0
            ? done()
            : fail(new Error(`${name} failed (${signal ?? `exit ${code}`}): ${lastWords(errors[side])}`)),
        );
      });
    Promise.all([ended(left, first[0], "left"), ended(right, second[0], "right")]).then(() => resolve(), reject);
  });
}

export function sha256File(file: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash("sha256");
    createReadStream(file)
      .on("data", (chunk) => hash.update(chunk))
      .on("end", () => resolve(hash.digest("hex")))
      .on("error", reject);
  });
}
