/**
 * What the CLI prints on stderr for an error that ends a command: a configuration error line by
 * line, an application error's public message, a validation error's issues, else the message.
 */
import { ZodError } from "zod";
import { ConfigError } from "../config/config";
import { AppError } from "../errors/app-error";

export function cliErrorLines(error: unknown): string[] {
  if (error instanceof ConfigError) return error.message.split("\n");
  if (error instanceof AppError) return [`error: ${error.publicMessage}`];
  if (error instanceof ZodError) return [`error: ${error.issues.map((i) => `${i.path.join(".") || "input"}: ${i.message}`).join("; ")}`];
  return [`error: ${error instanceof Error ? error.message : String(error)}`];
}
