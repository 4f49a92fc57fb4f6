-- Serves GET /notes, which lists newest first.
CREATE INDEX notes_created_at_id_idx ON notes (created_at DESC, id DESC);
