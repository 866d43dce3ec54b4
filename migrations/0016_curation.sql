-- Placeholder: filled by the work that owns this migration, or removed if it needs none.
SELECT 1;
