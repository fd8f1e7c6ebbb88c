"""Message templates (R-41): stored, versioned, zh and en, with defaults shipped in template_defaults/."""
