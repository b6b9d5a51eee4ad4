/**
 * Where the CLI's output goes. Two rules: nothing a row holds reaches the terminal raw (every
 * human line goes through neutralize-text.ts, so an agent name cannot clear the screen, colour
 * it, plant an OSC 8 link or reorder a line), and nothing is lost on a pipe. Node writes to a
 * pipe asynchronously, and `process.exit` drops whatever is still queued — `audit export | wc -l`
 * counted 153 of 369 rows. So writes respect backpressure, and `flush()` resolves only once the
 * last byte has been handed to the operating system.
 */
import type { Writable } from "node:stream";
import { neutralizeText } from "../text/neutralize-text";

export interface CliOutput {
  /** A line for a person: unsafe characters are replaced, a newline is added. */
  line(text: string): Promise<void>;
  /** Pre-formatted data (an export line that is already inert), with a newline added. */
  record(text: string): Promise<void>;
  /** Resolves when everything written so far has left the process. */
  flush(): Promise<void>;
}

export function createCliOutput(stream: Writable): CliOutput {
  let failure: Error | null = null;
  // A reader that went away (`| head`) is not an error of ours; stop writing quietly.
  stream.on("error", (error: Error) => (failure = error));

  async function write(text: string): Promise<void> {
    if (failure) return;
    if (stream.write(text)) return;
    await new Promise<void>((resolve) => {
      const done = () => {
        stream.off("drain", done).off("close", done).off("error", done);
        resolve();
      };
      stream.on("drain", done).on("close", done).on("error", done);
    });
  }

  return {
    line: (text) => write(`${neutralizeText(text)}\n`),
    record: (text) => write(`${text}\n`),
    flush: () =>
      new Promise<void>((resolve) => {
        if (failure || stream.writableEnded) return resolve();
        // The callback of an empty write runs once every earlier chunk was flushed.
        stream.write("", () => resolve());
      }),
  };
}
