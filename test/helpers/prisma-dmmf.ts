/**
 * Prisma's DMMF (its parsed data model: models, fields, types, defaults, indexes) for a schema file,
 * read with the schema wasm that ships inside the installed `prisma` package — the same module
 * `prisma generate` uses — so no schema engine or network is needed. The package does not export its
 * JS glue, so this is the few lines of wasm-bindgen glue `get_dmmf` needs: pass a string in, read one
 * out, rethrow an error value.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { z } from "zod";

interface SchemaWasm {
  memory: WebAssembly.Memory;
  __wbindgen_externrefs: WebAssembly.Table;
  __wbindgen_malloc(size: number, align: number): number;
  __wbindgen_free(ptr: number, size: number, align: number): void;
  __externref_table_dealloc(index: number): void;
  __wbindgen_start(): void;
  get_dmmf(ptr: number, len: number): [number, number, number, number];
}

const FieldSchema = z.object({
  name: z.string(),
  kind: z.enum(["scalar", "object", "enum", "unsupported"]),
  type: z.string(),
  isRequired: z.boolean(),
  isList: z.boolean(),
  isId: z.boolean(),
  isUnique: z.boolean(),
  hasDefaultValue: z.boolean(),
  default: z.unknown().optional(),
  nativeType: z.unknown().optional(),
  relationName: z.string().optional(),
  relationFromFields: z.array(z.string()).optional(),
  relationToFields: z.array(z.string()).optional(),
  relationOnDelete: z.string().optional(),
  relationOnUpdate: z.string().optional(),
});
const IndexSchema = z.object({
  model: z.string(),
  type: z.enum(["id", "normal", "unique", "fulltext"]),
  isDefinedOnField: z.boolean(),
  name: z.string().nullable().optional(),
  dbName: z.string().nullable().optional(),
  fields: z.array(z.object({ name: z.string() })),
});
const DmmfSchema = z.object({
  datamodel: z.object({
    models: z.array(z.object({ name: z.string(), dbName: z.string().nullable(), fields: z.array(FieldSchema) })),
    indexes: z.array(IndexSchema),
  }),
});
export type Dmmf = z.infer<typeof DmmfSchema>;
export type DmmfField = z.infer<typeof FieldSchema>;

let wasm: SchemaWasm | null = null;

function load(): SchemaWasm {
  if (wasm) return wasm;
  const prismaDir = path.dirname(createRequire(import.meta.url).resolve("prisma/package.json"));
  const module = new WebAssembly.Module(readFileSync(path.join(prismaDir, "build", "prisma_schema_build_bg.wasm")));
  const text = (ptr: number, len: number) => new TextDecoder().decode(new Uint8Array(instance.memory.buffer, ptr, len));
  const imports = {
    __wbindgen_placeholder__: {
      __wbg_set_message_f22ac4a6869ee695: () => undefined,
      __wbg_Error_e83987f665cf5504: (ptr: number, len: number) => new Error(text(ptr, len)),
      __wbg___wbindgen_throw_b855445ff6a94295: (ptr: number, len: number) => {
        throw new Error(text(ptr, len));
      },
      __wbindgen_init_externref_table: () => {
        const table = instance.__wbindgen_externrefs;
        const at = table.grow(4);
        table.set(0, undefined);
        table.set(at + 0, undefined);
        table.set(at + 1, null);
        table.set(at + 2, true);
        table.set(at + 3, false);
      },
    },
  };
  // The exports are typed by the interface above: WebAssembly's own types cannot know them.
  const instance = new WebAssembly.Instance(module, imports).exports as unknown as SchemaWasm;
  instance.__wbindgen_start();
  wasm = instance;
  return instance;
}

export function readDmmf(schemaFile: string): Dmmf {
  const w = load();
  const input = new TextEncoder().encode(JSON.stringify({ prismaSchema: readFileSync(schemaFile, "utf8"), noColor: true }));
  const ptr = w.__wbindgen_malloc(input.length, 1);
  new Uint8Array(w.memory.buffer, ptr, input.length).set(input);
  const [outPtr, outLen, errorRef, isError] = w.get_dmmf(ptr, input.length);
  if (isError) {
    const error: unknown = w.__wbindgen_externrefs.get(errorRef);
    w.__externref_table_dealloc(errorRef);
    throw error instanceof Error ? error : new Error(String(error));
  }
  const json = new TextDecoder().decode(new Uint8Array(w.memory.buffer, outPtr, outLen));
  w.__wbindgen_free(outPtr, outLen, 1);
  return DmmfSchema.parse(JSON.parse(json));
}
