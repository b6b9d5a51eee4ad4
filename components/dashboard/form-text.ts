/** A text field's value from a submitted form ("" for a missing field or a file input). */
export function formText(form: FormData, name: string): string {
  const value = form.get(name);
  return typeof value === "string" ? value : "";
}
