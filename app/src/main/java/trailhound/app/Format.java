package trailhound.app;

/** Output formats of the query commands. */
enum Format { table, csv, json }
