"""Everything that turns "a Nemotron-Personas dataset somewhere" into files the ingest can trust."""
