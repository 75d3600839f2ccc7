"""Glue workflows as a domain: the graph of triggers, jobs and crawlers, and the engine that runs it."""
