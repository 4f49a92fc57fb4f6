DROP INDEX notes_created_at_id_idx;
