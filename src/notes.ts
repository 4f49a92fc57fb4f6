import type { FastifyInstance } from "fastify";
import { z } from "zod";
import type { Db } from "./db.js";

export const MAX_LIST_LIMIT = 100;

const createNoteSchema = z.object({
  title: z.string().trim().min(1).max(200),
  body: z.string().max(10_000),
});

const listNotesQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(MAX_LIST_LIMIT).default(20),
});

export interface Note {
  id: number;
  title: string;
  body: string;
  created_at: Date;
}

function validationError(error: z.ZodError) {
  const { formErrors, fieldErrors } = z.flattenError(error);
  return { error: "validation_failed", formErrors, fieldErrors };
}

export function registerNoteRoutes(app: FastifyInstance, db: Db): void {
  app.post("/notes", async (request, reply) => {
    const parsed = createNoteSchema.safeParse(request.body);
    if (!parsed.success) {
      return reply.code(400).send(validationError(parsed.error));
    }
    const { rows } = await db.query<Note>(
      "INSERT INTO notes (title, body) VALUES ($1, $2) RETURNING id, title, body, created_at",
      [parsed.data.title, parsed.data.body],
    );
    return reply.code(201).send(rows[0]);
  });

  app.get("/notes", async (request, reply) => {
    const parsed = listNotesQuerySchema.safeParse(request.query);
    if (!parsed.success) {
      return reply.code(400).send(validationError(parsed.error));
    }
    const { rows } = await db.query<Note>(
      "SELECT id, title, body, created_at FROM notes ORDER BY created_at DESC, id DESC LIMIT $1",
      [parsed.data.limit],
    );
    return { notes: rows };
  });
}
