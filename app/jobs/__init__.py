"""Background jobs: the jobs table, kinds and periodic steps, engine, sweeper, dispatch."""
