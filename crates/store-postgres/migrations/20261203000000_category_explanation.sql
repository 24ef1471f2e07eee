-- What explains an automatic category, kept from the moment the classifier chose it, so a
-- ticket page shows it without asking the classifier again.

-- The deciding words, strongest first, joined by newlines (a word never holds one); empty when
-- staff or an imported file set the category, and for tickets from before this migration.
ALTER TABLE tickets ADD COLUMN category_terms TEXT NOT NULL DEFAULT '';

-- Whether staff should check the category: the classifier was unsure (confidence under 0.7,
-- `classifier::UNCERTAIN_BELOW`) and no staff member has set or confirmed it since. Tickets from
-- before this migration get what the rule said then.
ALTER TABLE tickets ADD COLUMN needs_check BOOLEAN NOT NULL DEFAULT FALSE;
UPDATE tickets SET needs_check = TRUE WHERE category_source = 'auto' AND category_confidence < 0.7;
